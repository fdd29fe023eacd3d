/** `spark.createDataFrame` against the real server: inferred schemas, explicit schemas, Arrow tables, cached local relations. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { tableFromArrays } from "apache-arrow";
import { functions as F, types as T } from "spark-connect-ts";
import { clientOf, relationOf } from "../../../packages/spark-connect/src/internal.js";
import { createSession } from "./harness.js";

test("createDataFrame infers a schema from objects as PySpark does", async (t) => {
  const spark = await createSession(t);
  await spark.conf.set("spark.sql.session.timeZone", "UTC");
  const df = await spark.createDataFrame([
    { name: "ann", age: 31, score: 1.5, ok: true, at: new Date("2024-02-29T12:34:56.789Z"), tags: ["a", "b"], address: { city: "paris", zip: 75001 } },
    { name: "bob", age: null, score: 2, ok: false, at: null, tags: [], address: { city: "lyon", zip: null } },
  ]);
  assert.deepEqual(await df.dtypes(), [
    ["name", "string"],
    ["age", "bigint"],
    ["score", "double"],
    ["ok", "boolean"],
    ["at", "timestamp"],
    ["tags", "array<string>"],
    ["address", "struct<city:string,zip:bigint>"],
  ]);
  const rows = await df.orderBy("name").collect();
  assert.deepEqual(rows[0], { name: "ann", age: 31, score: 1.5, ok: true, at: new Date("2024-02-29T12:34:56.789Z"), tags: ["a", "b"], address: { city: "paris", zip: 75001 } });
  assert.deepEqual(rows[1], { name: "bob", age: null, score: 2, ok: false, at: null, tags: [], address: { city: "lyon", zip: null } });
  assert.deepEqual(await df.groupBy().agg(F.sum("score").alias("total")).collect(), [{ total: 3.5 }], "the data is computed on by the server");
  await assert.rejects(spark.createDataFrame([{ a: null }]), /cannot determine the type of a/);
  await assert.rejects(spark.createDataFrame([{ a: 1 }, { a: "x" }]), /both bigint and string in row\.a/);
});

test("createDataFrame with a DDL schema, a StructType, or column names", async (t) => {
  const spark = await createSession(t);
  const ddl = await spark.createDataFrame([["ann", 31, "12.50", "2024-02-29"], ["bob", null, "-0.05", null]], "name STRING, age INT, balance DECIMAL(10,2), born DATE");
  assert.deepEqual(await ddl.dtypes(), [["name", "string"], ["age", "int"], ["balance", "decimal(10,2)"], ["born", "date"]]);
  const [ann, bob] = await ddl.orderBy("name").selectExpr("name", "age", "cast(balance as string) as balance", "cast(born as string) as born").collect();
  assert.deepEqual(ann, { name: "ann", age: 31, balance: "12.50", born: "2024-02-29" });
  assert.deepEqual(bob, { name: "bob", age: null, balance: "-0.05", born: null });
  const schema = new T.StructType([
    new T.StructField("id", new T.LongType(), false),
    new T.StructField("scores", new T.MapType(new T.StringType(), new T.DoubleType())),
    new T.StructField("raw", new T.BinaryType()),
  ]);
  const struct = await spark.createDataFrame([{ id: 1n, scores: { math: 1.5 }, raw: new Uint8Array([0, 255]) }], schema);
  assert.deepEqual(await struct.collect(), [{ id: 1, scores: new Map([["math", 1.5]]), raw: new Uint8Array([0, 255]) }]);
  assert.equal((await struct.schema()).fields[0]?.nullable, false);
  await assert.rejects(spark.createDataFrame([{ id: null }], schema), /id is not nullable/);
  await assert.rejects(spark.createDataFrame([["x"]], "n INT"), /row 0\.n is x, not a int/);
  const named = await spark.createDataFrame([[1, "a"], [2, "b"]], ["n", "letter"]);
  assert.deepEqual(await named.dtypes(), [["n", "bigint"], ["letter", "string"]]);
  const empty = await spark.createDataFrame([], "a INT, b STRING");
  assert.deepEqual(await empty.columns(), ["a", "b"]);
  assert.equal(await empty.count(), 0);
});

test("createDataFrame from an Arrow Table, with an optional schema", async (t) => {
  const spark = await createSession(t);
  // tableFromArrays dictionary-encodes strings: createDataFrame sends their values.
  const table = tableFromArrays({ id: Int32Array.from([1, 2, 3]), name: ["a", "b", "c"] });
  const df = await spark.createDataFrame(table);
  assert.deepEqual(await df.dtypes(), [["id", "int"], ["name", "string"]]);
  assert.deepEqual(await df.filter("id > 1").collect(), [{ id: 2, name: "b" }, { id: 3, name: "c" }]);
  const renamed = await spark.createDataFrame(table, "key INT, label STRING");
  assert.deepEqual(await renamed.columns(), ["key", "label"]);
  const back = await df.toArrow();
  assert.deepEqual(back.getChild("name")?.toArray(), ["a", "b", "c"]);
});

test("large local data goes through a cached local relation (an artifact) above the threshold", async (t) => {
  const spark = await createSession(t);
  await spark.conf.set("spark.sql.session.localRelationCacheThreshold", 4096);
  const rows = Array.from({ length: 2000 }, (_, id) => ({ id, text: `row number ${id}` }));
  const big = await spark.createDataFrame(rows);
  const relation = relationOf(big);
  assert.equal(relation.relType.case, "cachedLocalRelation", "above the threshold the plan only names the data");
  const hash = relation.relType.case === "cachedLocalRelation" ? relation.relType.value.hash : "";
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(await clientOf(spark).artifactStatuses([`cache/${hash}`]), { [`cache/${hash}`]: true });
  assert.equal(await big.count(), 2000);
  assert.deepEqual(await big.agg(F.sum("id").alias("s"), F.max("text").alias("m")).collect(), [{ s: 1999000, m: "row number 999" }]);
  const again = await spark.createDataFrame(rows);
  const againType = relationOf(again).relType;
  assert.equal(againType.case === "cachedLocalRelation" ? againType.value.hash : undefined, hash, "same data, same artifact");
  const small = await spark.createDataFrame([{ id: 1 }]);
  assert.equal(relationOf(small).relType.case, "localRelation", "below the threshold the data travels in the plan");
});
