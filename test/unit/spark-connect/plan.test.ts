/** Golden tests of the plans DataFrame/Column operations build (no server involved). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { SparkSession, functions as F, types as T, type DataFrame } from "spark-connect-ts";
import { exprOf, relationOf } from "../../../packages/spark-connect/src/internal.js";
import { rootPlan, writeStreamPlan, streamingQueryCommandPlan } from "../../../packages/spark-connect/src/plan/commands.js";
import { offlineSession } from "./offline-session.js";
import { assertPlanGolden, assertRelationGolden } from "./golden.js";


const people = (spark: SparkSession): DataFrame => spark.table("people");

test("range → filter → select", async () => {
  const spark = offlineSession();
  const df = spark.range(0, 10, 2).filter(F.col("id").gt(3)).select(F.col("id").plus(1).alias("next"), "id");
  assertRelationGolden("range-filter-select", df);
});

test("every relation gets a new plan id; DataFrame.col pins to it", async () => {
  const spark = offlineSession();
  const a = spark.range(3);
  const b = a.select("id");
  assert.equal(a.planId, 0n);
  assert.equal(b.planId, 1n);
  const pinned = exprOf(b.col("id")).exprType;
  assert.equal(pinned.case, "unresolvedAttribute");
  assert.equal(pinned.case === "unresolvedAttribute" ? pinned.value.planId : undefined, 1n);
});

test("join on a condition between aliased sides, and join on names", async () => {
  const spark = offlineSession();
  const left = people(spark).alias("l");
  const right = spark.table("scores").alias("r");
  assertRelationGolden("join-condition", left.join(right, left.col("email").eq(right.col("customer")), "left"));
  assertRelationGolden("join-using", left.join(right, ["email", "day"], "anti"));
  assertRelationGolden("join-cross", left.join(right));
});

test("join types map onto the protocol's", async () => {
  const spark = offlineSession();
  const kinds = ["inner", "left", "right", "outer", "full", "semi", "anti", "left_outer", "leftsemi", "cross"] as const;
  const types = kinds.map((how) => {
    const rel = relationOf(people(spark).join(people(spark), "id", how)).relType;
    return rel.case === "join" ? rel.value.joinType : -1;
  });
  assert.deepEqual(types, [1, 3, 4, 2, 2, 6, 5, 3, 6, 7]);
  assert.throws(() => people(spark).join(people(spark), "id", "sideways" as "inner"), /unknown join type "sideways"/);
});

test("groupBy().agg, withColumn with when/otherwise, orderBy, limit", async () => {
  const spark = offlineSession();
  const df = people(spark)
    .withColumn("band", F.when(F.col("age").lt(30), "young").when(F.col("age").lt(60), "middle").otherwise("senior"))
    .groupBy("band")
    .agg(F.count("*").alias("n"), F.avg("age").alias("mean"))
    .orderBy(F.col("n").desc(), "band")
    .limit(5);
  assertRelationGolden("group-agg-sort-limit", df);
});

test("from_json with a StructType and with DDL, unbase64, split, getItem, getField", async () => {
  const spark = offlineSession();
  const schema = new T.StructType([new T.StructField("email", new T.StringType()), new T.StructField("birthDay", new T.StringType())]);
  const df = spark
    .table("raw")
    .select(F.from_json(F.col("value").cast("string"), "payload STRING", { mode: "PERMISSIVE" }).alias("m"))
    .select(F.from_json(F.unbase64(F.col("m").getField("payload")).cast(new T.StringType()), schema).alias("c"))
    .select(F.col("c.email"), F.split(F.col("c.birthDay"), "-").getItem(0).alias("birthYear"));
  assertRelationGolden("from-json-unbase64-split", df);
});

test("to_json(struct), explode, regexp_extract, concat, coalesce, callFunction, isin, isNotNull", async () => {
  const spark = offlineSession();
  const df = people(spark)
    .filter(F.col("email").isNotNull().and(F.col("state").isin("UT", "CO")))
    .select(
      F.to_json(F.struct("email", F.col("score").cast("string").alias("score"))).alias("value"),
      F.explode(F.col("tags")).alias("tag"),
      F.regexp_extract(F.col("email"), "@(.*)$", 1).alias("domain"),
      F.concat(F.col("first"), F.lit(" "), F.col("last")).alias("name"),
      F.coalesce(F.col("nick"), F.col("first")).alias("call"),
      F.callFunction("sha2", F.col("email"), F.lit(256)).alias("hash"),
    );
  assertRelationGolden("json-explode-strings", df);
});

test("dropDuplicates, withWatermark, window, drop, rename, union, distinct", async () => {
  const spark = offlineSession();
  const df = people(spark)
    .withWatermark("ts", "10 minutes")
    .dropDuplicates(["email", "ts"])
    .groupBy(F.window(F.col("ts"), "5 minutes"), F.col("email"))
    .count()
    .withColumnRenamed("count", "n")
    .drop("email")
    .union(people(spark).select("window", "n"))
    .distinct();
  assertRelationGolden("dedup-watermark-window-union", df);
});

test("literals of every JavaScript type", async () => {
  const spark = offlineSession();
  const df = spark.range(1).select(
    F.lit(1),
    F.lit(2 ** 40),
    F.lit(1.5),
    F.lit(12345678901234567890n),
    F.lit("s"),
    F.lit(true),
    F.lit(null),
    F.lit(new Date("2024-01-02T03:04:05.678Z")),
    F.lit(new Uint8Array([1, 2])),
    F.lit([1, 2, 3]),
  );
  assertRelationGolden("literals", df);
  assert.throws(() => F.lit({} as unknown as string), /lit\(\) cannot take a object/);
});

test("streaming read from Kafka and writeStream start / query commands", async () => {
  const spark = offlineSession();
  const stream = spark.readStream.format("kafka").option("subscribe", "in").options({ "kafka.bootstrap.servers": "127.0.0.1:9092", startingOffsets: "earliest" }).load();
  assertRelationGolden("read-stream-kafka", stream);
  const plan = writeStreamPlan(relationOf(stream.selectExpr("CAST(value AS STRING) AS value")), {
    format: "kafka",
    options: { topic: "out", checkpointLocation: "/tmp/checkpoint" },
    outputMode: "append",
    queryName: "q",
    trigger: { case: "processingTimeInterval", value: "1 second" },
  });
  assertPlanGolden("write-stream-start", plan);
  assertPlanGolden("query-await-termination", streamingQueryCommandPlan("id-1", "run-1", { case: "awaitTermination", value: { timeoutMs: 60_000n } }));
});

test("root plan and batch read plans", async () => {
  const spark = offlineSession();
  assertPlanGolden("root-range", rootPlan(relationOf(offlineSession().range(3))));
  const read = spark.read.format("json").schema(new T.StructType([new T.StructField("id", new T.LongType(), false)])).option("multiLine", true).load("/data/a", "/data/b");
  assertRelationGolden("read-json-with-schema", read);
});

test("Column misuse fails early with a clear message", () => {
  assert.throws(() => F.col("a").otherwise(1), /otherwise\(\) can only follow functions\.when\(\)/);
  assert.throws(() => F.when(F.col("a"), 1).otherwise(2).when(F.col("b"), 3), /when\(\) can only follow/);
  assert.throws(() => F.col("a").alias(), /alias\(\) needs a name/);
  assert.equal(String(F.col("a").plus(1).alias("b")), "Column<+(a, 1) AS b>");
});
