/** `spark.catalog` against the real server: databases, tables, columns, functions, temp views, the table cache. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { AnalysisException, SparkSession, StorageLevel } from "spark-connect-ts";
import { REMOTE, createSession, tempDir, uniqueName } from "./harness.js";

/** A new database, dropped with its tables after the test (through a session of its own, which outlives the test's). */
async function scratchDatabase(t: TestContext): Promise<string> {
  const owner = await SparkSession.builder().remote(REMOTE).create();
  const db = uniqueName("catdb");
  await owner.sql(`create database ${db}`);
  t.after(async () => {
    await owner.sql(`drop database if exists ${db} cascade`);
    await owner.stop();
  });
  return db;
}

test("catalog: current catalog and database, listing and switching databases", async (t) => {
  const spark = await createSession(t);
  assert.equal(await spark.catalog.currentCatalog(), "spark_catalog");
  assert.ok((await spark.catalog.listCatalogs()).some((c) => c.name === "spark_catalog"));
  assert.equal(await spark.catalog.currentDatabase(), "default");
  const db = await scratchDatabase(t);
  assert.equal(await spark.catalog.databaseExists(db), true);
  assert.equal(await spark.catalog.databaseExists(`${db}_absent`), false);
  const listed = await spark.catalog.listDatabases(`${db.slice(0, 10)}*`);
  assert.deepEqual(listed.map((d) => d.name), [db]);
  assert.equal(listed[0]?.catalog, "spark_catalog");
  assert.match(listed[0]?.locationUri ?? "", new RegExp(`${db}\\.db$`));
  assert.equal((await spark.catalog.getDatabase(db)).name, db);
  await assert.rejects(spark.catalog.getDatabase(`${db}_absent`), AnalysisException);
  await spark.catalog.setCurrentDatabase(db);
  assert.equal(await spark.catalog.currentDatabase(), db);
  await spark.catalog.setCurrentDatabase("default");
});

test("catalog: createTable, listTables, getTable, tableExists, listColumns", async (t) => {
  const spark = await createSession(t);
  const db = await scratchDatabase(t);
  const table = `${db}.people`;
  const created = await spark.catalog.createTable(table, { source: "parquet", schema: "id BIGINT, name STRING", description: "people we know" });
  assert.deepEqual(await created.columns(), ["id", "name"]);
  assert.equal(await created.count(), 0);
  await spark.range(3).selectExpr("id", "cast(id as string) as name").write.insertInto(table);
  assert.equal(await spark.table(table).count(), 3);
  assert.equal(await spark.catalog.tableExists(table), true);
  assert.equal(await spark.catalog.tableExists("people", db), true);
  assert.equal(await spark.catalog.tableExists("nobody", db), false);
  const [listed] = await spark.catalog.listTables(db);
  assert.deepEqual(listed, { name: "people", catalog: "spark_catalog", namespace: [db], description: "people we know", tableType: "MANAGED", isTemporary: false });
  assert.equal((await spark.catalog.getTable(table)).tableType, "MANAGED");
  const columns = await spark.catalog.listColumns(table);
  assert.deepEqual(columns.map((c) => [c.name, c.dataType, c.nullable, c.isPartition]), [["id", "bigint", true, false], ["name", "string", true, false]]);
  const dir = join(await tempDir(t, "catalog-external"), "ext");
  await spark.range(4).write.parquet(dir);
  const external = await spark.catalog.createTable(`${db}.ext`, { path: dir, source: "parquet" });
  assert.equal(await external.count(), 4, "an external table over existing files takes their schema");
  assert.equal((await spark.catalog.getTable(`${db}.ext`)).tableType, "EXTERNAL");
  assert.deepEqual((await spark.catalog.listTables(db, "e*")).map((t) => t.name), ["ext"]);
});

test("catalog: functions", async (t) => {
  const spark = await createSession(t);
  assert.equal(await spark.catalog.functionExists("upper"), true);
  assert.equal(await spark.catalog.functionExists("no_such_function_here"), false);
  const upper = await spark.catalog.getFunction("upper");
  assert.equal(upper.name, "upper");
  assert.match(upper.className, /Upper$/);
  const listed = await spark.catalog.listFunctions(undefined, "uppe*");
  assert.ok(listed.some((f) => f.name === "upper" && f.isTemporary), "built-ins are listed as temporary, as in PySpark");
});

test("catalog: temporary views and the table cache", async (t) => {
  const spark = await createSession(t);
  const view = uniqueName("v");
  await spark.range(5).createOrReplaceTempView(view);
  const temp = (await spark.catalog.listTables()).find((t) => t.name === view);
  assert.deepEqual(temp && { isTemporary: temp.isTemporary, tableType: temp.tableType }, { isTemporary: true, tableType: "TEMPORARY" });
  assert.equal(await spark.catalog.isCached(view), false);
  await spark.catalog.cacheTable(view, StorageLevel.MEMORY_ONLY);
  assert.equal(await spark.catalog.isCached(view), true);
  assert.ok((await spark.table(view).storageLevel()).equals(StorageLevel.MEMORY_ONLY));
  await spark.catalog.uncacheTable(view);
  assert.equal(await spark.catalog.isCached(view), false);
  await spark.catalog.cacheTable(view);
  await spark.catalog.clearCache();
  assert.equal(await spark.catalog.isCached(view), false);
  await spark.catalog.refreshTable(view);
  assert.equal(await spark.catalog.dropTempView(view), true);
  assert.equal(await spark.catalog.dropTempView(view), false);
  assert.equal(await spark.catalog.tableExists(view), false);
  const global = uniqueName("g");
  await spark.range(2).createGlobalTempView(global);
  assert.equal(await spark.table(`global_temp.${global}`).count(), 2);
  assert.equal(await spark.catalog.dropGlobalTempView(global), true);
  assert.equal(await spark.catalog.dropGlobalTempView(global), false);
});

test("catalog: recoverPartitions and refreshByPath find files written behind the catalog's back", async (t) => {
  const spark = await createSession(t);
  const db = await scratchDatabase(t);
  const dir = join(await tempDir(t, "catalog-partitions"), "parted");
  await spark.range(6).selectExpr("id", "id % 2 as part").write.partitionBy("part").parquet(dir);
  await spark.sql(`create table ${db}.parted (id bigint, part bigint) using parquet partitioned by (part) location '${dir}'`);
  assert.equal(await spark.table(`${db}.parted`).count(), 0, "partitions unknown to the catalog");
  await spark.catalog.recoverPartitions(`${db}.parted`);
  assert.equal(await spark.table(`${db}.parted`).count(), 6);
  const byPath = await spark.read.parquet(dir).cache();
  assert.equal(await byPath.count(), 6);
  await spark.range(10, 12).selectExpr("id", "2 as part").write.mode("append").partitionBy("part").parquet(dir);
  await spark.catalog.refreshByPath(dir);
  assert.equal(await spark.read.parquet(dir).count(), 8);
});
