/** foreachBatch's plan rewrite: the streaming Kafka read becomes a batch read of one range, the rest is kept. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { UnsupportedForeachBatchPlan, functions as F } from "spark-connect-ts";
import { relationOf } from "../../../packages/spark-connect/src/internal.js";
import { batchPlan, replayableSource, startingOffsetsOption } from "../../../packages/spark-connect/src/plan/batch-replay.js";
import { offlineSession } from "./offline-session.js";

const spark = offlineSession();
const kafka = () => spark.readStream.format("kafka").option("kafka.bootstrap.servers", "b:9092").option("subscribe", "t").option("StartingOffsets", "earliest").option("maxOffsetsPerTrigger", 100).load();

function reads(plan: unknown): Array<{ isStreaming: boolean; options: Record<string, string> }> {
  const found: Array<{ isStreaming: boolean; options: Record<string, string> }> = [];
  const walk = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    const relType = (node as { relType?: { case?: string; value?: { isStreaming: boolean; readType: { value: { options: Record<string, string> } } } } }).relType;
    if (relType?.case === "read" && relType.value) found.push({ isStreaming: relType.value.isStreaming, options: relType.value.readType.value.options });
    for (const value of Object.values(node)) walk(value);
  };
  walk(plan);
  return found;
}

test("the streaming read becomes a batch read of the range; streaming-only options go, the others stay", () => {
  const streaming = relationOf(kafka().selectExpr("CAST(value AS STRING) v").where(F.col("v").isNotNull()));
  const range = { assign: '{"t":[0]}', startingOffsets: '{"t":{"0":3}}', endingOffsets: '{"t":{"0":9}}' };
  const batch = batchPlan(streaming, range);
  assert.deepEqual(reads(batch), [{ isStreaming: false, options: { "kafka.bootstrap.servers": "b:9092", ...range } }]);
  assert.equal(batch.relType.case, "filter", "the transformations above the read are kept");
  assert.equal(batch.common?.planId, streaming.common?.planId, "plan ids are kept, so DataFrame column references still resolve");
  assert.deepEqual(reads(streaming)[0], { isStreaming: true, options: { "kafka.bootstrap.servers": "b:9092", subscribe: "t", StartingOffsets: "earliest", maxOffsetsPerTrigger: "100" } }, "the streaming plan is left as it was");
});

test("the Kafka source is found with its options; startingOffsets is looked up whatever its case", () => {
  const source = replayableSource(relationOf(kafka().select("value")));
  assert.equal(startingOffsetsOption(source), "earliest");
});

test("plans that a batch read of one range would not reproduce are refused, saying why", () => {
  const refused = (plan: Parameters<typeof relationOf>[0], pattern: RegExp) =>
    assert.throws(() => replayableSource(relationOf(plan)), (error: unknown) => error instanceof UnsupportedForeachBatchPlan && pattern.test(error.message));
  refused(spark.readStream.format("rate").load(), /the "rate" source cannot be read back/);
  refused(spark.readStream.table("events"), /a streaming table cannot be read back/);
  refused(spark.range(3), /needs a streaming read/);
  refused(kafka().union(kafka()), /this plan reads 2/);
  refused(kafka().dropDuplicates(["key"]), /this plan has deduplicate/);
  refused(kafka().withWatermark("timestamp", "1 minute").groupBy("key").count(), /this plan has aggregate, withWatermark/);
});

test("a static DataFrame joined to the stream is kept as it is", () => {
  const lookup = spark.read.format("parquet").load("/data/lookup");
  const batch = batchPlan(relationOf(kafka().join(lookup, "key")), { assign: "{}", startingOffsets: "{}", endingOffsets: "{}" });
  assert.deepEqual(
    reads(batch).map((read) => read.isStreaming),
    [false, false],
  );
  assert.equal(reads(batch)[1]?.options.assign, undefined, "the static read gets no Kafka range");
});
