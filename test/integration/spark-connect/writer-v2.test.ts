/** `df.writeTo(table)` (DataFrameWriterV2) against the real server's session catalog. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { AnalysisException, functions as F, type SparkSession } from "spark-connect-ts";
import { createSession, uniqueName } from "./harness.js";

test("writeTo: create with provider, partitioning and properties; the session catalog refuses v2 append/replace by name", async (t) => {
  const table = `default.${uniqueName("wv2")}`;
  // Registered before the session's own cleanup (after hooks run in order), so the table is dropped while the session is open.
  const opened: { spark?: SparkSession } = {};
  t.after(async () => {
    await opened.spark?.sql(`drop table if exists ${table}`);
  });
  const spark = await createSession(t);
  opened.spark = spark;
  const df = spark.range(4).withColumn("part", F.expr("id % 2"));
  await df.writeTo(table).using("parquet").partitionedBy("part").tableProperty("team", "api-test").create();
  assert.equal(await spark.table(table).count(), 4);
  const columns = await spark.catalog.listColumns(table);
  assert.deepEqual(columns.filter((c) => c.isPartition).map((c) => c.name), ["part"]);
  const properties = await (await spark.sql(`show tblproperties ${table} ('team')`)).collect();
  assert.equal(properties[0]?.value, "api-test");
  await assert.rejects(df.writeTo(table).using("parquet").create(), AnalysisException, "create fails when the table exists");
  // The session catalog's parquet tables are v1 tables: Spark refuses v2 appends to them by name.
  await assert.rejects(df.writeTo(table).append(), (error: unknown) => error instanceof AnalysisException && /Cannot write into v1 table/.test(error.message));
  // Replacing needs a v2 table too (Delta, Iceberg …); the server names the operation it refused.
  const refused = (operation: string) => (error: unknown) => error instanceof AnalysisException && error.messageParameters.operation === operation;
  await assert.rejects(spark.range(3).writeTo(table).using("parquet").createOrReplace(), refused("REPLACE TABLE AS SELECT"));
  await assert.rejects(spark.range(3).writeTo(table).using("parquet").replace(), refused("REPLACE TABLE AS SELECT"));
  // The session catalog refuses it even for an absent table (Spark plans createOrReplace as a replace).
  await assert.rejects(spark.range(3).writeTo(`default.${uniqueName("wv2")}`).using("parquet").createOrReplace(), refused("REPLACE TABLE AS SELECT"));
});
