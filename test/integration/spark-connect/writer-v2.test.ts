/** `df.writeTo(table)` (DataFrameWriterV2) against the real server's session catalog. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { AnalysisException, functions as F } from "spark-connect-ts";
import { createSession, uniqueName } from "./harness.js";

test("writeTo: create with provider, partitioning and properties; append; createOrReplace", async (t) => {
  const spark = await createSession(t);
  const table = `default.${uniqueName("wv2")}`;
  t.after(async () => {
    await spark.sql(`drop table if exists ${table}`);
  });
  const df = spark.range(4).withColumn("part", F.expr("id % 2"));
  await df.writeTo(table).using("parquet").partitionedBy("part").tableProperty("team", "api-test").create();
  assert.equal(await spark.table(table).count(), 4);
  const columns = await spark.catalog.listColumns(table);
  assert.deepEqual(columns.filter((c) => c.isPartition).map((c) => c.name), ["part"]);
  const properties = await (await spark.sql(`show tblproperties ${table} ('team')`)).collect();
  assert.equal(properties[0]?.value, "api-test");
  await assert.rejects(df.writeTo(table).using("parquet").create(), AnalysisException, "create fails when the table exists");
  await df.writeTo(table).append();
  assert.equal(await spark.table(table).count(), 8);
  await spark.range(3).writeTo(table).using("parquet").createOrReplace();
  assert.deepEqual(await spark.table(table).columns(), ["id"], "createOrReplace replaces the schema too");
  assert.equal(await spark.table(table).count(), 3);
});
