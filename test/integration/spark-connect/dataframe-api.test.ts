/** The everyday DataFrame API against the real server: sampling, na/stat, describe, grouping sets, pivot, unpivot, partitioning, caching. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { StorageLevel, functions as F, type DataFrame, type SparkSession } from "spark-connect-ts";
import { createSession } from "./harness.js";

async function people(spark: SparkSession): Promise<DataFrame> {
  return spark.sql(`select * from values
    ('ann', 'paris', 'free', 31, 1.5d), ('bob', 'paris', 'paid', null, 2.5d), ('cid', 'lyon', 'paid', 45, null),
    ('dee', 'lyon', 'free', 28, 4.0d), (null, 'nice', 'paid', 52, 5.0d)
    as t(name, city, plan, age, score)`);
}

test("sample and randomSplit: seeded, repeatable, disjoint and complete", async (t) => {
  const spark = await createSession(t);
  const df = spark.range(1000);
  const sampled = df.sample(0.3, 11);
  const first = (await sampled.collect()).map((row) => row.id);
  assert.deepEqual((await sampled.collect()).map((row) => row.id), first, "a seeded sample is the same each run");
  assert.ok(first.length > 200 && first.length < 400, `about 30 % of 1000 rows, got ${first.length}`);
  const unseeded = df.sample(0.3);
  assert.equal(await unseeded.count(), await unseeded.count(), "an unseeded sample draws its seed once");
  const withReplacement = await df.sample(true, 2.0, 3).count();
  assert.ok(withReplacement > 1500, `with replacement a fraction above 1 oversamples: ${withReplacement}`);
  const parts = df.randomSplit([3, 1], 5);
  assert.equal(parts.length, 2);
  const ids = (await Promise.all(parts.map((part) => part.collect()))).map((rows) => rows.map((row) => Number(row.id)));
  const [train = [], testIds = []] = ids;
  assert.equal(train.length + testIds.length, 1000, "every row in exactly one split");
  assert.equal(new Set([...train, ...testIds]).size, 1000, "splits are disjoint");
  assert.ok(train.length > 650 && train.length < 850, `3:1 split, got ${train.length}`);
});

test("na.drop, na.fill, na.replace and their DataFrame aliases", async (t) => {
  const spark = await createSession(t);
  const df = await people(spark);
  assert.equal(await df.na.drop().count(), 2, "rows without any null");
  assert.equal(await df.na.drop({ subset: ["age"] }).count(), 4);
  assert.equal(await df.na.drop({ how: "all", subset: ["age", "score"] }).count(), 5);
  assert.equal(await df.dropna({ thresh: 5 }).count(), 2);
  const filled = await df.na.fill(0).orderBy("city", "plan").select("age", "score").collect();
  assert.deepEqual(filled.map((row) => [row.age, row.score]), [[28, 4], [45, 0], [52, 5], [31, 1.5], [0, 2.5]]);
  const perColumn = await df.fillna({ name: "anon", age: 99 }).filter("city = 'nice' or name = 'bob'").orderBy("city").select("name", "age").collect();
  assert.deepEqual(perColumn, [{ name: "anon", age: 52 }, { name: "bob", age: 99 }]);
  const replaced = await df.na.replace(["paris", "lyon"], ["Paris", "Lyon"], "city").select("city").distinct().orderBy("city").collect();
  assert.deepEqual(replaced.map((row) => row.city), ["Lyon", "Paris", "nice"]);
  const byMap = await df.replace({ free: "gratis" }).filter("plan = 'gratis'").count();
  assert.equal(byMap, 2);
  assert.deepEqual(await df.replace(31, 32, "age").filter("name = 'ann'").select("age").collect(), [{ age: 32 }]);
});

test("stat: approxQuantile, corr, cov, crosstab, freqItems, sampleBy", async (t) => {
  const spark = await createSession(t);
  const df = spark.range(1, 101).withColumn("twice", F.col("id").multiply(2)).withColumn("bucket", F.expr("id % 3"));
  assert.deepEqual(await df.stat.approxQuantile("id", [0, 0.5, 1], 0), [1, 50, 100]);
  assert.deepEqual(await df.approxQuantile(["id", "twice"], [0.5], 0), [[50], [100]]);
  assert.ok(Math.abs((await df.stat.corr("id", "twice")) - 1) < 1e-12);
  const [expected] = await df.agg(F.expr("covar_samp(id, twice)").alias("c")).collect();
  assert.equal(await df.cov("id", "twice"), expected?.c);
  const people_ = await people(spark);
  const table = await people_.stat.crosstab("city", "plan").orderBy("city_plan").collect();
  assert.deepEqual(table, [
    { city_plan: "lyon", free: 1, paid: 1 },
    { city_plan: "nice", free: 0, paid: 1 },
    { city_plan: "paris", free: 1, paid: 1 },
  ]);
  const [frequent] = await people_.freqItems(["city"], 0.4).collect();
  assert.ok(Array.isArray(frequent?.city_freqItems) && (frequent.city_freqItems as string[]).includes("paris"));
  const strata = await df.stat.sampleBy("bucket", new Map([[0, 1.0], [1, 0.0]]), 1).groupBy("bucket").count().collect();
  assert.deepEqual(strata, [{ bucket: 0, count: 33 }], "stratum 0 kept whole, 1 dropped, 2 not listed");
});

test("describe and summary compute Spark's statistics", async (t) => {
  const spark = await createSession(t);
  const df = spark.range(1, 11);
  const described = Object.fromEntries((await df.describe("id").collect()).map((row) => [row.summary, row.id]));
  assert.deepEqual({ count: described.count, mean: described.mean, min: described.min, max: described.max }, { count: "10", mean: "5.5", min: "1", max: "10" });
  const summary = await df.summary("min", "50%", "max", "count_distinct").collect();
  assert.deepEqual(summary.map((row) => [row.summary, row.id]), [["min", "1"], ["50%", "5"], ["max", "10"], ["count_distinct", "10"]]);
  assert.deepEqual((await df.summary().collect()).map((row) => row.summary), ["count", "mean", "stddev", "min", "25%", "50%", "75%", "max"]);
});

test("groupBy().pivot(), cube and rollup", async (t) => {
  const spark = await createSession(t);
  const df = await people(spark);
  const listed = await df.groupBy("city").pivot("plan", ["free", "paid"]).agg(F.count(F.lit(1))).orderBy("city").collect();
  assert.deepEqual(listed, [
    { city: "lyon", free: 1, paid: 1 },
    { city: "nice", free: null, paid: 1 },
    { city: "paris", free: 1, paid: 1 },
  ]);
  const found = await df.groupBy("city").pivot("plan").max("age").orderBy("city").collect();
  assert.deepEqual(found, [
    { city: "lyon", free: 28, paid: 45 },
    { city: "nice", free: null, paid: 52 },
    { city: "paris", free: 31, paid: null },
  ]);
  const cube = await df.cube("city", "plan").count().orderBy(F.col("city").asc_nulls_first(), F.col("plan").asc_nulls_first()).collect();
  assert.equal(cube.length, 1 + 3 + 2 + 5, "grand total, per city, per plan, per pair");
  assert.deepEqual(cube[0], { city: null, plan: null, count: 5 });
  const rollup = await df.rollup("city", "plan").agg(F.sum("age").alias("ages")).collect();
  assert.equal(rollup.length, 1 + 3 + 5, "grand total, per city, per pair");
  assert.ok(rollup.some((row) => row.city === null && row.plan === null && row.ages === 156));
  assert.throws(() => df.cube("city").pivot("plan"), /pivot\(\) follows groupBy/);
});

test("unpivot/melt, transform, withColumns, withColumnsRenamed", async (t) => {
  const spark = await createSession(t);
  const wide = await spark.sql("select * from values (1, 10, 20), (2, 30, 40) as t(id, q1, q2)");
  const long = await wide.unpivot("id", ["q1", "q2"], "quarter", "sales").orderBy("id", "quarter").collect();
  assert.deepEqual(long, [
    { id: 1, quarter: "q1", sales: 10 },
    { id: 1, quarter: "q2", sales: 20 },
    { id: 2, quarter: "q1", sales: 30 },
    { id: 2, quarter: "q2", sales: 40 },
  ]);
  assert.equal(await wide.melt(["id"], null, "k", "v").count(), 4, "values null: every non-id column");
  const addTax = (df: DataFrame, rate: number): DataFrame => df.withColumn("tax", F.col("q1").multiply(rate));
  assert.deepEqual(await wide.transform(addTax, 2).select("tax").orderBy("tax").collect(), [{ tax: 20 }, { tax: 60 }]);
  const both = wide.withColumns({ total: F.col("q1").plus(F.col("q2")), one: F.lit(1) }).withColumnsRenamed({ q1: "first", q2: "second" });
  assert.deepEqual(await both.columns(), ["id", "first", "second", "total", "one"]);
});

test("repartition by number and columns, repartitionByRange", async (t) => {
  const spark = await createSession(t);
  const df = spark.range(100);
  const partitionsOf = async (d: DataFrame): Promise<number> => (await d.select(F.expr("spark_partition_id()").alias("p")).distinct().count());
  assert.equal(await partitionsOf(df.repartition(5)), 5);
  const byColumn = df.withColumn("key", F.expr("id % 2")).repartition(7, "key");
  const groups = await byColumn.select("key", F.expr("spark_partition_id()").alias("p")).distinct().collect();
  assert.equal(groups.length, 2, "each key lands in one partition");
  assert.match(await df.repartition("id").explainString(), /hashpartitioning\(id/);
  const ranged = df.repartitionByRange(4, F.col("id").desc());
  assert.match(await ranged.explainString(), /rangepartitioning\(id#\d+L? DESC/);
  const ranges = await ranged.groupBy(F.expr("spark_partition_id()").alias("p")).agg(F.min("id").alias("lo"), F.max("id").alias("hi")).orderBy("p").collect();
  assert.equal(ranges.length, 4);
  assert.ok(ranges.every((row, index) => index === 0 || Number(row.hi) < Number(ranges[index - 1]?.lo)), "descending ranges, one per partition");
});

test("cache, persist, storageLevel, unpersist; isLocal, sameSemantics, semanticHash", async (t) => {
  const spark = await createSession(t);
  const df = spark.range(10).withColumn("x", F.col("id").multiply(3));
  assert.ok((await df.storageLevel()).equals(StorageLevel.NONE));
  await df.cache();
  assert.ok((await df.storageLevel()).equals(StorageLevel.MEMORY_AND_DISK_DESER));
  assert.equal(await df.count(), 10);
  assert.match(await df.explainString(), /InMemoryRelation|InMemoryTableScan/);
  await df.unpersist(true);
  assert.ok((await df.storageLevel()).equals(StorageLevel.NONE));
  const onDisk = await spark.range(5).persist(StorageLevel.DISK_ONLY);
  assert.equal(String(await onDisk.storageLevel()), "Disk Serialized 1x Replicated");
  await onDisk.unpersist();
  assert.equal(await (await spark.sql("values (1)")).isLocal(), true);
  assert.equal(await spark.range(3).isLocal(), false);
  assert.equal(await spark.range(3).select("id").sameSemantics(spark.range(3).select(F.col("id"))), true);
  assert.equal(await spark.range(3).sameSemantics(spark.range(4)), false);
  assert.equal(await spark.range(3).semanticHash(), await spark.range(3).semanticHash());
});
