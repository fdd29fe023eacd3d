/**
 * `npm run bench -- pipeline [--rate 100] [--seconds 20] [--burst 20000] [--customers 30] [--set key=value…]`
 *
 * The customer-risk job (tuned, src/jobs/tuning.ts) against the naive seed-shaped job
 * (bench/pipeline/naive-job.ts, Spark's defaults), on the real stack:
 *   1. side by side: both jobs at the same time on the same cluster, reading the same input topics;
 *   2. one after the other, each alone on fresh topics.
 * Each run measures the latency from producing a risk event to its customer-risk record, p50/p99,
 * at --rate events/s, then how fast a backlog of --burst events drains. Needs the stack up.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { Admin, Consumer, Producer, ProduceAcks, stringDeserializers, stringSerializers } from "@platformatic/kafka";
import { SparkSession, type DataStreamWriter, type StreamingQuery } from "spark-connect-ts";
import { loadConfig } from "../../src/config.js";
import { CUSTOMER_RISK_CONF, customerRiskQuery, type CustomerRiskOptions } from "../../src/jobs/customer-risk.js";
import { stateSize } from "../../src/jobs/progress-report.js";
import { applyStreamingTuning, DEFAULT_STREAMING_CONF } from "../../src/jobs/tuning.js";
import { batchTimeBreakdown, sessionSettings } from "../batch-time.js";
import { naiveCustomerRiskQuery } from "./naive-job.js";
import { CUSTOMER_KEY, customerValue, eventSequence, scoreEvent, ZADD_HEADER } from "./records.js";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "100" },
    seconds: { type: "string", default: "20" },
    burst: { type: "string", default: "20000" },
    customers: { type: "string", default: "30" },
    // Extra session settings for our job, to try a change: --set key=value (repeatable).
    set: { type: "string", multiple: true, default: [] },
    "skip-naive": { type: "boolean", default: false },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const burst = Number(values.burst);
const customerCount = Number(values.customers);
const { kafka: { broker }, spark: { remote }, jobs } = loadConfig();

const say = (message: string): void => void process.stdout.write(`${message}\n`);
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

interface Variant {
  readonly name: string;
  /** Sets the variant's session settings for a query checkpointed at `checkpoint`. */
  readonly configure: (spark: SparkSession, checkpoint: string) => Promise<void>;
  readonly build: (spark: SparkSession, options: CustomerRiskOptions) => DataStreamWriter;
}

interface Result {
  readonly p50: number;
  readonly p99: number;
  readonly received: number;
  readonly sent: number;
  readonly drainPerSecond: number;
  readonly summary: string;
}

const overrides = sessionSettings(values.set as string[]);
const OURS: Variant = { name: "ours", configure: (spark, checkpoint) => applyStreamingTuning(spark, checkpoint, { ...CUSTOMER_RISK_CONF, ...overrides }), build: customerRiskQuery };
const NAIVE: Variant = { name: "naive", configure: (spark) => spark.conf.setAll(DEFAULT_STREAMING_CONF), build: naiveCustomerRiskQuery };

/** Event `sequence` for the stedi-events topic; its riskDate is unique per event, as the de-duplication needs. */
const eventRecord = (topic: string, sequence: number): { topic: string; key: string; value: string } => ({ topic, ...scoreEvent(sequence, customerCount, 1_600_000_000_000 + sequence) });

/** One variant's query and what it delivered. */
interface Running {
  readonly variant: Variant;
  readonly spark: SparkSession;
  readonly query: StreamingQuery;
  readonly checkpoint: string;
  readonly latencies: number[];
  received: number;
  close: () => Promise<void>;
}

/** Runs `variants` at the same time on the same fresh input topics, each to its own output topic. */
async function runTogether(label: string, variants: readonly Variant[]): Promise<Map<string, Result>> {
  const run = `${label}-${Date.now()}`;
  const [redisTopic, eventsTopic] = ["redis-server", "stedi-events"].map((topic) => `bench-pipeline-${run}-${topic}`) as [string, string];
  const outputTopics = variants.map((variant) => `bench-pipeline-${run}-${variant.name}-customer-risk`);
  const admin = new Admin({ clientId: "bench-pipeline", bootstrapBrokers: [broker] });
  await admin.createTopics({ topics: [redisTopic, eventsTopic, ...outputTopics], partitions: 1, replicas: 1 });
  const producer = new Producer({ clientId: "bench-pipeline", bootstrapBrokers: [broker], serializers: stringSerializers, acks: ProduceAcks.LEADER });
  const sentAt = new Map<number, number>();
  const running: Running[] = [];
  try {
    const customers = Array.from({ length: customerCount }, (_, index) => ({
      topic: redisTopic,
      key: CUSTOMER_KEY,
      value: customerValue(index),
      headers: { [ZADD_HEADER.name]: ZADD_HEADER.value },
    }));
    await producer.send({ messages: customers });
    for (const [index, variant] of variants.entries()) {
      const spark = await SparkSession.builder().remote(remote).appName(`bench pipeline ${variant.name}`).create();
      const checkpoint = await mkdtemp(join(tmpdir(), `bench-pipeline-${variant.name}-`));
      await variant.configure(spark, checkpoint);
      const topic = outputTopics[index]!;
      const query = await variant.build(spark, { bootstrapServers: broker, redisServerTopic: redisTopic, stediEventsTopic: eventsTopic, customerRiskTopic: topic, checkpointLocation: checkpoint, queryName: `bench_${variant.name}_${Date.now()}`, joinHorizon: jobs.joinHorizon, joinLateness: jobs.joinLateness }).start();
      const consumer = new Consumer({ groupId: `bench-${run}-${variant.name}`, clientId: "bench-pipeline", bootstrapBrokers: [broker], deserializers: stringDeserializers, maxWaitTime: 10 });
      const entry: Running = { variant, spark, query, checkpoint, latencies: [], received: 0, close: async () => undefined };
      const stream = await consumer.consume({ topics: [topic], mode: "earliest", autocommit: false });
      stream.on("data", (message) => {
        entry.received += 1;
        const sequence = eventSequence(message.value ?? "");
        const sent = sequence === undefined ? undefined : sentAt.get(sequence);
        if (sent !== undefined) entry.latencies.push(performance.now() - sent);
      });
      entry.close = async () => {
        await stream.close().catch(() => undefined);
        await new Promise<void>((resolve) => consumer.close(true, () => resolve()));
      };
      running.push(entry);
    }
    for (const entry of running) await entry.query.processAllAvailable();

    say(`  ${label}: ${rate} events/s for ${seconds} s…`);
    const total = rate * seconds;
    const started = performance.now();
    for (let sequence = 0; sequence < total; sequence += 1) {
      const wait = started + (sequence * 1000) / rate - performance.now();
      if (wait > 1) await sleep(wait);
      sentAt.set(sequence, performance.now());
      void producer.send({ messages: [eventRecord(eventsTopic, sequence)] });
    }
    const deadline = performance.now() + 60_000;
    while (running.some((entry) => entry.received < total) && performance.now() < deadline) await sleep(50);
    const latencyReceived = new Map(running.map((entry) => [entry.variant.name, entry.received]));

    say(`  ${label}: backlog of ${burst} events…`);
    const burstStart = performance.now();
    for (let first = total; first < total + burst; first += 1_000) {
      const messages = Array.from({ length: Math.min(1_000, total + burst - first) }, (_, offset) => eventRecord(eventsTopic, first + offset));
      await producer.send({ messages });
    }
    const drained = new Map<string, number>();
    const drainDeadline = performance.now() + 300_000;
    while (drained.size < running.length && performance.now() < drainDeadline) {
      for (const entry of running) if (!drained.has(entry.variant.name) && entry.received >= total + burst) drained.set(entry.variant.name, (performance.now() - burstStart) / 1000);
      await sleep(50);
    }
    const results = new Map<string, Result>();
    for (const entry of running) {
      const batches = (await entry.query.recentProgress()).filter((progress) => progress.durationMs.addBatch !== undefined);
      const last = batches.at(-1);
      const state = last ? stateSize(last) : { rows: 0, memoryBytes: 0 };
      const summary = `${batchTimeBreakdown(batches)}; state ${state.rows} rows, ${(state.memoryBytes / 2 ** 20).toFixed(1)} MiB`;
      const sorted = [...entry.latencies].sort((a, b) => a - b);
      const received = latencyReceived.get(entry.variant.name) ?? 0;
      const drainSeconds = drained.get(entry.variant.name) ?? (performance.now() - burstStart) / 1000;
      results.set(entry.variant.name, { p50: percentile(sorted.slice(0, received), 50), p99: percentile(sorted.slice(0, received), 99), received, sent: total, drainPerSecond: (entry.received - received) / drainSeconds, summary });
      say(`  ${label}/${entry.variant.name}: ${summary}`);
    }
    return results;
  } finally {
    for (const entry of running) {
      await entry.query.stop().catch(() => undefined);
      await entry.spark.stop().catch(() => undefined);
      await entry.close();
      // Spark may still be closing state files of the stopped query: retry the removal.
      await rm(entry.checkpoint, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
    }
    await producer.close().catch(() => undefined);
    await admin.deleteTopics({ topics: [redisTopic, eventsTopic, ...outputTopics] }).catch(() => undefined);
    await admin.close();
  }
}

const row = (label: string, a: string, b: string, ratio: string): string => `${label.padEnd(36)}${a.padStart(14)}${b.padStart(14)}${ratio.padStart(10)}`;
const fmt = (value: number | undefined, unit: string): string => (value !== undefined && Number.isFinite(value) ? `${value.toFixed(0)} ${unit}` : "n/a");

function table(title: string, ours: Result | undefined, naive: Result | undefined): void {
  say("");
  say(row(title, "ours", "naive", "ratio"));
  say(row(`latency p50 @ ${rate} events/s`, fmt(ours?.p50, "ms"), fmt(naive?.p50, "ms"), `${((naive?.p50 ?? Number.NaN) / (ours?.p50 ?? Number.NaN)).toFixed(1)}×`));
  say(row(`latency p99 @ ${rate} events/s`, fmt(ours?.p99, "ms"), fmt(naive?.p99, "ms"), `${((naive?.p99 ?? Number.NaN) / (ours?.p99 ?? Number.NaN)).toFixed(1)}×`));
  say(row("records delivered", `${ours?.received ?? 0}/${ours?.sent ?? 0}`, `${naive?.received ?? 0}/${naive?.sent ?? 0}`, ""));
  say(row(`backlog drain (${burst} events)`, fmt(ours?.drainPerSecond, "ev/s"), fmt(naive?.drainPerSecond, "ev/s"), `${((ours?.drainPerSecond ?? Number.NaN) / (naive?.drainPerSecond ?? Number.NaN)).toFixed(1)}×`));
}

say(`bench pipeline: ${customerCount} customers, ${rate} events/s for ${seconds} s, then a backlog of ${burst} events`);
if (values["skip-naive"]) {
  const alone = await runTogether("alone", [OURS]);
  table("ours alone", alone.get("ours"), undefined);
} else {
  const together = await runTogether("side-by-side", [OURS, NAIVE]);
  const ours = await runTogether("ours-alone", [OURS]);
  const naive = await runTogether("naive-alone", [NAIVE]);
  table("side by side (same cluster, same input)", together.get("ours"), together.get("naive"));
  table("one after the other", ours.get("ours"), naive.get("naive"));
}
say("targets: ours p50 ≤ 600 ms, p99 ≤ 1500 ms at 100 events/s, ≥ 3× lower p50 than naive; ≥ 10,000 events/s sustained");
