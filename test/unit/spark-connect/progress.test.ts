/** Parsing of Spark's streaming progress JSON into typed progress objects. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseProgress } from "../../../packages/spark-connect/src/streaming/progress.js";

// As Spark 4.0 reports a Kafka → Kafka micro-batch (abridged to the fields that matter).
const SAMPLE = JSON.stringify({
  id: "2f7e3c4a-0000-4000-8000-000000000001",
  runId: "2f7e3c4a-0000-4000-8000-000000000002",
  name: "scores",
  timestamp: "2024-05-01T10:00:00.000Z",
  batchId: 3,
  batchDuration: 412,
  durationMs: { addBatch: 300, triggerExecution: 412 },
  eventTime: { watermark: "1970-01-01T00:00:00.000Z" },
  stateOperators: [{ operatorName: "dedupe", numRowsTotal: 10, numRowsUpdated: 2, numRowsRemoved: 0, memoryUsedBytes: 1024, numRowsDroppedByWatermark: 0, allUpdatesTimeMs: 5, allRemovalsTimeMs: 1, commitTimeMs: 7, customMetrics: { numDroppedDuplicateRows: 1 } }],
  sources: [
    { description: "KafkaV2[Subscribe[a]]", startOffset: { a: { "0": 5 } }, endOffset: { a: { "0": 8 } }, latestOffset: { a: { "0": 8 } }, numInputRows: 3, inputRowsPerSecond: 1.5, processedRowsPerSecond: 7.5, metrics: { avgOffsetsBehindLatest: "0.0" } },
    { description: "KafkaV2[Subscribe[b]]", startOffset: null, endOffset: "{\"b\":{\"0\":2}}", latestOffset: null, numInputRows: 2, inputRowsPerSecond: "NaN", processedRowsPerSecond: 5, metrics: {} },
  ],
  sink: { description: "org.apache.spark.sql.kafka010.KafkaSourceProvider$KafkaTable@1", numOutputRows: -1 },
});

test("progress parses with totals summed from the sources when Spark omits them", () => {
  const progress = parseProgress(SAMPLE);
  assert.equal(progress.name, "scores");
  assert.equal(progress.batchId, 3);
  assert.equal(progress.numInputRows, 5);
  assert.equal(progress.processedRowsPerSecond, 12.5);
  assert.equal(progress.inputRowsPerSecond, 1.5, "NaN rates count as nothing in the total");
  assert.deepEqual(progress.sources[0]?.endOffset, { a: { "0": 8 } });
  assert.deepEqual(progress.sources[1]?.endOffset, { b: { "0": 2 } }, "offsets sent as JSON text are parsed");
  assert.equal(progress.sources[1]?.startOffset, null);
  assert.ok(Number.isNaN(progress.sources[1]?.inputRowsPerSecond));
  assert.equal(progress.sink.numOutputRows, -1);
  assert.equal(progress.stateOperators[0]?.customMetrics.numDroppedDuplicateRows, 1);
  assert.equal(progress.durationMs.triggerExecution, 412);
  assert.equal(progress.json, SAMPLE);
});

test("explicit totals win, and a minimal progress still parses", () => {
  const progress = parseProgress(JSON.stringify({ id: "i", runId: "r", name: null, batchId: 0, numInputRows: 9, sources: [], sink: {} }));
  assert.equal(progress.numInputRows, 9);
  assert.equal(progress.name, null);
  assert.deepEqual(progress.sources, []);
  assert.equal(progress.sink.description, "");
});
