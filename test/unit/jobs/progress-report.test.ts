import { test } from "node:test";
import assert from "node:assert/strict";
import type { StreamingQueryProgress } from "spark-connect-ts";
import { describeBatch, RejectedRecords } from "../../../src/jobs/progress-report.js";

function progress(batchId: number, observedMetrics: StreamingQueryProgress["observedMetrics"], extra: Partial<StreamingQueryProgress> = {}): StreamingQueryProgress {
  return {
    id: "q",
    runId: "r",
    name: "customer-risk",
    timestamp: "2026-01-01T00:00:00.000Z",
    batchId,
    batchDuration: 812,
    numInputRows: 180,
    inputRowsPerSecond: 90,
    processedRowsPerSecond: 221.67,
    durationMs: { triggerExecution: 812, addBatch: 640 },
    eventTime: {},
    stateOperators: [],
    sources: [],
    sink: { description: "kafka", numOutputRows: 60, metrics: {} },
    observedMetrics,
    json: "{}",
    ...extra,
  };
}

function stateOperator(numRowsTotal: number, numRowsDroppedByWatermark = 0): StreamingQueryProgress["stateOperators"][number] {
  return { operatorName: "dedupe", numRowsTotal, numRowsUpdated: 1, numRowsRemoved: 0, memoryUsedBytes: 3 * 2 ** 20, numRowsDroppedByWatermark, allUpdatesTimeMs: 5, allRemovalsTimeMs: 1, commitTimeMs: 7, customMetrics: {} };
}

test("rejected records add up per metrics name and reason across batches; totals are not rejections", () => {
  const rejected = new RejectedRecords();
  rejected.add(progress(0, { redis_server_records: { records: 10, undecodable: 1, otherKeys: 3 }, customer_entries: { entries: 4, incomplete: 1 } }, { stateOperators: [stateOperator(40, 3)] }));
  rejected.add(progress(1, { redis_server_records: { records: 5, undecodable: 0, otherKeys: 2 }, stedi_events_records: { records: 7, undecodable: 2 } }));
  assert.deepEqual(rejected.toJSON(), {
    "redis_server_records.undecodable": 1,
    "redis_server_records.otherKeys": 5,
    "customer_entries.incomplete": 1,
    "stedi_events_records.undecodable": 2,
    "late.droppedByWatermark": 3,
  });
  assert.equal(rejected.total, 12);
});

test("a batch is one line: id, input and output rows, rate, duration and skips so far", () => {
  const rejected = new RejectedRecords();
  const batch = progress(7, { stedi_events_records: { records: 180, undecodable: 2 } });
  rejected.add(batch);
  assert.equal(describeBatch(batch, rejected), 'batch 7: 180 input rows, 60 output rows, 221.7 rows/s, 812 ms; skipped so far {"stedi_events_records.undecodable":2}');
});

test("a sink that reports no output count and an idle rate still give a readable line", () => {
  const line = describeBatch(progress(0, {}, { processedRowsPerSecond: Number.NaN, sink: { description: "noop", numOutputRows: -1, metrics: {} } }), new RejectedRecords());
  assert.equal(line, "batch 0: 180 input rows, 0.0 rows/s, 812 ms; skipped so far {}");
});

test("a stateful batch reports its state's rows and memory over all operators", () => {
  const line = describeBatch(progress(3, {}, { stateOperators: [stateOperator(30), stateOperator(1200)] }), new RejectedRecords());
  assert.equal(line, "batch 3: 180 input rows, 60 output rows, 221.7 rows/s, 812 ms; state 1230 rows, 6.0 MiB; skipped so far {}");
});
