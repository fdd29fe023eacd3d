/** Golden plans of the everyday DataFrame API (sampling, na/stat, grouping sets, pivot, unpivot, partitioning) — no server. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { functions as F } from "spark-connect-ts";
import { relationOf } from "../../../packages/spark-connect/src/internal.js";
import { offlineSession } from "./offline-session.js";
import { assertRelationGolden } from "./golden.js";

test("sample, randomSplit bounds, describe, summary", () => {
  const spark = offlineSession();
  const people = spark.table("people");
  assertRelationGolden("api-sample", people.sample(true, 0.5, 42));
  const [a, b] = people.randomSplit([1, 3], 7);
  const bounds = [a, b].map((part) => {
    const rel = part ? relationOf(part).relType : undefined;
    return rel?.case === "sample" ? [rel.value.lowerBound, rel.value.upperBound, rel.value.seed, rel.value.deterministicOrder] : undefined;
  });
  assert.deepEqual(bounds, [[0, 0.25, 7n, true], [0.25, 1, 7n, true]]);
  assertRelationGolden("api-describe-summary", people.describe("age").summary("min", "max"));
});

test("na and stat relations", () => {
  const spark = offlineSession();
  const people = spark.table("people");
  assertRelationGolden("api-na", people.na.drop({ how: "all", subset: ["a"] }).na.fill({ age: 0, name: "x" }).na.replace([1, 2], [3, 4], "age"));
  assertRelationGolden("api-stat", people.stat.crosstab("a", "b").stat.sampleBy("a", { x: 0.5 }, 1));
});

test("cube, rollup, pivot, unpivot, repartition by columns and by range", () => {
  const spark = offlineSession();
  const people = spark.table("people");
  assertRelationGolden("api-pivot", people.groupBy("year").pivot("course", ["java", "ts"]).sum("earnings"));
  assertRelationGolden("api-cube-rollup", people.cube("a", "b").count().rollup("a").agg(F.max("count")));
  assertRelationGolden("api-unpivot", people.unpivot("id", ["q1", "q2"], "quarter", "sales"));
  assertRelationGolden("api-repartition", people.repartition(4, "a").repartitionByRange(F.col("b").desc(), "c"));
  assert.throws(() => people.repartitionByRange(3), /at least one column/);
});
