import { test } from "node:test";
import assert from "node:assert/strict";
import type { StreamingQueryProgress } from "spark-connect-ts";
import { parseBatchLine, slope } from "../../../bench/soak/sampler.js";
import { describeBatch, RejectedRecords } from "../../../src/jobs/progress-report.js";

test("the soak sampler reads the job's own batch lines", () => {
  const progress: StreamingQueryProgress = {
    id: "q",
    runId: "r",
    name: "customer-risk",
    timestamp: "2026-01-01T00:00:00.000Z",
    batchId: 12,
    batchDuration: 412,
    numInputRows: 30,
    inputRowsPerSecond: 25,
    processedRowsPerSecond: 25,
    durationMs: { triggerExecution: 412 },
    eventTime: {},
    stateOperators: [{ operatorName: "dedupe", numRowsTotal: 77, numRowsUpdated: 1, numRowsRemoved: 0, memoryUsedBytes: 3 * 2 ** 20, numRowsDroppedByWatermark: 0, allUpdatesTimeMs: 5, allRemovalsTimeMs: 1, commitTimeMs: 7, customMetrics: {} }],
    sources: [],
    sink: { description: "kafka", numOutputRows: 10, metrics: {} },
    observedMetrics: {},
    json: "{}",
  };
  const line = `2026-01-01T00:00:01.000Z ${describeBatch(progress, new RejectedRecords())}`;
  assert.deepEqual(parseBatchLine(line), { at: Date.parse("2026-01-01T00:00:01.000Z"), batchId: 12, inputRows: 30, durationMs: 412, stateRows: 77, stateMiB: 3 });
  assert.equal(parseBatchLine("2026-01-01T00:00:01.000Z query started: id x"), undefined);
});

test("the growth per hour is the least-squares slope", () => {
  assert.equal(slope([{ x: 0, y: 10 }, { x: 1, y: 12 }, { x: 2, y: 14 }]), 2);
  assert.equal(slope([{ x: 1, y: 5 }]), 0);
});
