import { test } from "node:test";
import assert from "node:assert/strict";
import type { StreamingQueryProgress } from "spark-connect-ts";
import { batchTimeBreakdown, sessionSettings } from "../../../bench/batch-time.js";

type Operator = StreamingQueryProgress["stateOperators"][number];

function batch(addBatch: number, operators: readonly Pick<Operator, "operatorName" | "allUpdatesTimeMs" | "allRemovalsTimeMs" | "commitTimeMs">[]): StreamingQueryProgress {
  return {
    id: "q",
    runId: "r",
    name: "customer-risk",
    timestamp: "2026-01-01T00:00:00.000Z",
    batchId: 0,
    batchDuration: addBatch + 100,
    numInputRows: 1,
    inputRowsPerSecond: 1,
    processedRowsPerSecond: 1,
    durationMs: { triggerExecution: addBatch + 100, addBatch },
    eventTime: {},
    stateOperators: operators.map((operator) => ({ numRowsTotal: 1, numRowsUpdated: 1, numRowsRemoved: 0, memoryUsedBytes: 0, numRowsDroppedByWatermark: 0, customMetrics: {}, ...operator })),
    sources: [],
    sink: { description: "kafka", numOutputRows: 1, metrics: {} },
    observedMetrics: {},
    json: "{}",
  };
}

test("the breakdown averages each phase and each operator's update/evict/commit time over the batches", () => {
  const line = batchTimeBreakdown([
    batch(200, [{ operatorName: "symmetricHashJoin", allUpdatesTimeMs: 100, allRemovalsTimeMs: 300, commitTimeMs: 6 }, { operatorName: "dedupe", allUpdatesTimeMs: 40, allRemovalsTimeMs: 0, commitTimeMs: 2 }]),
    // Spark reports -1 for a time it did not measure: it counts as 0, not as a negative time.
    batch(400, [{ operatorName: "symmetricHashJoin", allUpdatesTimeMs: 200, allRemovalsTimeMs: 100, commitTimeMs: 4 }, { operatorName: "dedupe", allUpdatesTimeMs: -1, allRemovalsTimeMs: 0, commitTimeMs: 2 }]),
  ]);
  assert.equal(line, "mean of 2 batches, ms: triggerExecution 400, addBatch 300; state stores update/evict/commit ms: symmetricHashJoin 150/200/5, dedupe 20/0/2");
});

test("an empty list of batches gives a line, not a division by zero", () => {
  assert.equal(batchTimeBreakdown([]), "mean of 0 batches, ms: ; state stores update/evict/commit ms: ");
});

test("--set pairs become session settings; a value may contain '='", () => {
  assert.deepEqual(sessionSettings(["spark.a=1", "spark.b=x=y"]), { "spark.a": "1", "spark.b": "x=y" });
  assert.throws(() => sessionSettings(["spark.a"]), /--set spark\.a: expected key=value/);
});
