/**
 * foreachBatch's delivery loop against a scripted server query (no Spark): which ranges the handler
 * gets, in which order, what the commit log records, and what a failing handler does.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { StreamingQuery, StreamingQueryException, type BatchCommitLog, type HandledBatch, type StreamingQueryProgress } from "spark-connect-ts";
import { relationOf } from "../../../packages/spark-connect/src/internal.js";
import { BatchDelivery, type DeliverySetup } from "../../../packages/spark-connect/src/streaming/foreach-batch.js";
import { parseProgress } from "../../../packages/spark-connect/src/streaming/progress.js";
import { offlineSession } from "./offline-session.js";

const spark = offlineSession();
const plan = relationOf(spark.readStream.format("kafka").option("subscribe", "t").option("startingOffsets", "earliest").load().selectExpr("CAST(value AS STRING) v"));

const progress = (batchId: number, start: unknown, end: unknown, ran = true): StreamingQueryProgress =>
  parseProgress(JSON.stringify({ id: "q", runId: "r", batchId, durationMs: ran ? { addBatch: 5, triggerExecution: 9 } : { triggerExecution: 1 }, sources: [{ startOffset: start, endOffset: end }] }));

/** A server query whose progress the test scripts; it stops when told to. */
class ScriptedQuery extends StreamingQuery {
  progresses: StreamingQueryProgress[] = [];
  stopped = false;
  constructor() {
    super(spark, "q", "r", null);
  }
  override recentProgress(): Promise<StreamingQueryProgress[]> {
    return Promise.resolve([...this.progresses]);
  }
  override async awaitTermination(timeoutMs = 0): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, 5)));
    return this.stopped;
  }
  override stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}

class MemoryCommitLog implements BatchCommitLog {
  writes: HandledBatch[] = [];
  read(): Promise<HandledBatch | undefined> {
    return Promise.resolve(this.writes.at(-1));
  }
  write(batch: HandledBatch): Promise<void> {
    this.writes.push(batch);
    return Promise.resolve();
  }
}

interface Delivery {
  readonly batchId: number;
  readonly startingOffsets: string | undefined;
  readonly endingOffsets: string | undefined;
}

function readOptions(batchDf: Parameters<typeof relationOf>[0]): Record<string, string> {
  let node = relationOf(batchDf);
  while (node.relType.case !== "read") node = (node.relType.value as { input: typeof node }).input;
  const readType = node.relType.value.readType;
  assert.equal(node.relType.value.isStreaming, false);
  return readType.case === "dataSource" ? readType.value.options : {};
}

function setup(overrides: Partial<DeliverySetup>, deliveries: Delivery[]): DeliverySetup {
  return {
    session: spark,
    plan,
    handler: async (batchDf, batchId) => {
      const options = readOptions(batchDf);
      deliveries.push({ batchId, startingOffsets: options.startingOffsets, endingOffsets: options.endingOffsets });
    },
    commitLog: undefined,
    handled: undefined,
    firstStart: "earliest",
    pollMs: 5,
    maxQueuedBatches: 1000,
    ...overrides,
  };
}

test("executed batches are delivered in order with their ranges, idle triggers are not, and each is committed", async () => {
  const server = new ScriptedQuery();
  const log = new MemoryCommitLog();
  const deliveries: Delivery[] = [];
  server.progresses = [progress(0, null, { t: { "0": 3 } }), progress(1, { t: { "0": 3 } }, { t: { "0": 3 } }, false), progress(1, { t: { "0": 3 } }, { t: { "0": 7 } })];
  const delivery = new BatchDelivery(setup({ commitLog: log }, deliveries), server);
  await delivery.caughtUp();
  await delivery.stop();
  assert.deepEqual(deliveries, [
    { batchId: 0, startingOffsets: '{"t":{"0":-2}}', endingOffsets: '{"t":{"0":3}}' },
    { batchId: 1, startingOffsets: '{"t":{"0":3}}', endingOffsets: '{"t":{"0":7}}' },
  ]);
  assert.deepEqual(log.writes, [
    { batchId: 0, endOffsets: { t: { "0": 3 } } },
    { batchId: 1, endOffsets: { t: { "0": 7 } } },
  ]);
});

test("a restart ahead of the commit log delivers the gap first, then the run's batches", async () => {
  const server = new ScriptedQuery();
  const deliveries: Delivery[] = [];
  server.progresses = [progress(5, { t: { "0": 9 } }, { t: { "0": 12 } })];
  const delivery = new BatchDelivery(setup({ handled: { batchId: 2, endOffsets: { t: { "0": 4 } } }, firstStart: { t: { "0": 4 } } }, deliveries), server);
  await delivery.caughtUp();
  await delivery.stop();
  assert.deepEqual(deliveries, [
    { batchId: 4, startingOffsets: '{"t":{"0":4}}', endingOffsets: '{"t":{"0":9}}' },
    { batchId: 5, startingOffsets: '{"t":{"0":9}}', endingOffsets: '{"t":{"0":12}}' },
  ]);
});

test("a slow handler is not overtaken: past maxQueuedBatches the newest ranges merge, and no offset is skipped", async () => {
  const server = new ScriptedQuery();
  const deliveries: Delivery[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const base = setup({ maxQueuedBatches: 2 }, deliveries);
  const delivery = new BatchDelivery({ ...base, handler: async (batchDf, batchId) => (await base.handler(batchDf, batchId), batchId === 0 ? gate : undefined) }, server);
  server.progresses = [progress(0, null, { t: { "0": 1 } })];
  while (deliveries.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  server.progresses = [...server.progresses, ...[1, 2, 3, 4].map((id) => progress(id, { t: { "0": id } }, { t: { "0": id + 1 } }))];
  await new Promise((resolve) => setTimeout(resolve, 50));
  release();
  await delivery.caughtUp();
  await delivery.stop();
  assert.deepEqual(deliveries, [
    { batchId: 0, startingOffsets: '{"t":{"0":-2}}', endingOffsets: '{"t":{"0":1}}' },
    { batchId: 1, startingOffsets: '{"t":{"0":1}}', endingOffsets: '{"t":{"0":2}}' },
    { batchId: 4, startingOffsets: '{"t":{"0":2}}', endingOffsets: '{"t":{"0":5}}' },
  ]);
});

test("a handler that throws stops the server's query, is the failure, and its batch is not committed", async () => {
  const server = new ScriptedQuery();
  const log = new MemoryCommitLog();
  const boom = new Error("boom");
  server.progresses = [progress(0, null, { t: { "0": 3 } }), progress(1, { t: { "0": 3 } }, { t: { "0": 5 } })];
  const delivery = new BatchDelivery({ ...setup({ commitLog: log }, []), handler: async (_df, batchId) => (batchId === 1 ? Promise.reject(boom) : undefined) }, server);
  await delivery.finished;
  assert.equal(server.stopped, true);
  assert.ok(delivery.failure instanceof StreamingQueryException);
  assert.equal(delivery.failure.cause, boom);
  assert.deepEqual(log.writes, [{ batchId: 0, endOffsets: { t: { "0": 3 } } }]);
});

test("a query that ends by itself is drained before delivery ends", async () => {
  const server = new ScriptedQuery();
  const deliveries: Delivery[] = [];
  server.progresses = [progress(0, null, { t: { "0": 2 } }), progress(1, { t: { "0": 2 } }, { t: { "0": 4 } })];
  server.stopped = true; // availableNow: the server ran both batches and terminated
  const delivery = new BatchDelivery(setup({}, deliveries), server);
  await delivery.finished;
  assert.deepEqual(deliveries.map((d) => d.batchId), [0, 1]);
  assert.equal(delivery.ended, true);
});
