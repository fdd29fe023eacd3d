/** The `spark.connect.Catalog` relation: one catalog call, run like a query; its answer comes back as rows. */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { CatalogSchema } from "../gen/spark/connect/catalog_pb.js";
import { RelationSchema, type Relation } from "../gen/spark/connect/relations_pb.js";

export type CatalogCall = MessageInitShape<typeof CatalogSchema>["catType"];

export function catalogRel(planId: bigint, call: CatalogCall): Relation {
  return create(RelationSchema, { common: { planId }, relType: { case: "catalog", value: { catType: call } } });
}
