/** Relations of data the client sends: inline Arrow IPC bytes, or a reference to bytes uploaded before as an artifact. */
import { create, toBinary } from "@bufbuild/protobuf";
import { createHash } from "node:crypto";
import { LocalRelationSchema, RelationSchema, type Relation } from "../gen/spark/connect/relations_pb.js";

/** `schema` is a DDL or JSON string; without `data` the relation is empty with that schema. */
export function localRelationRel(planId: bigint, data: Uint8Array | undefined, schema: string | undefined): Relation {
  return create(RelationSchema, {
    common: { planId },
    relType: { case: "localRelation", value: { ...(data === undefined ? {} : { data }), ...(schema === undefined ? {} : { schema }) } },
  });
}

/**
 * The bytes of a LocalRelation message and their SHA-256, which name the artifact
 * (`cache/<hash>`) that a CachedLocalRelation refers to: the server parses the artifact as that message.
 */
export function serializedLocalRelation(data: Uint8Array, schema: string | undefined): { bytes: Uint8Array; hash: string } {
  const bytes = toBinary(LocalRelationSchema, create(LocalRelationSchema, { data, ...(schema === undefined ? {} : { schema }) }));
  return { bytes, hash: createHash("sha256").update(bytes).digest("hex") };
}

export function cachedLocalRelationRel(planId: bigint, hash: string): Relation {
  return create(RelationSchema, { common: { planId }, relType: { case: "cachedLocalRelation", value: { hash } } });
}
