/**
 * `npm run bench -- pipeline [--rate 100] [--seconds 20] [--burst 20000] [--customers 30]`
 *
 * The customer-risk job on the real stack, tuned (src/jobs/tuning.ts) and with Spark's defaults
 * (200 shuffle partitions, HDFS state store, default trigger), side by side:
 *   1. latency from producing a risk event to its customer-risk record, p50/p99, at --rate events/s;
 *   2. sustained throughput: a backlog of --burst events, drained at how many events/s.
 * Each variant gets its own topics and checkpoint. Needs the stack up (`npx stedi stack up`).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { Admin, Consumer, Producer, ProduceAcks, stringDeserializers, stringSerializers } from "@platformatic/kafka";
import { SparkSession } from "spark-connect-ts";
import { loadConfig } from "../../src/config.js";
import { zaddValue } from "../../src/domain/redis-server.js";
import { customerRiskQuery } from "../../src/jobs/customer-risk.js";
import { DEFAULT_STREAMING_CONF, TUNED_STREAMING_CONF } from "../../src/jobs/tuning.js";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "100" },
    seconds: { type: "string", default: "20" },
    burst: { type: "string", default: "20000" },
    customers: { type: "string", default: "30" },
    // Extra session settings for the tuned run, to try a change: --set key=value (repeatable).
    set: { type: "string", multiple: true, default: [] },
    "skip-default": { type: "boolean", default: false },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const burst = Number(values.burst);
const customerCount = Number(values.customers);
const config = loadConfig();
const broker = config.kafka.broker;

const say = (message: string): void => void process.stdout.write(`${message}\n`);
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

interface Result {
  readonly p50: number;
  readonly p99: number;
  readonly received: number;
  readonly sent: number;
  readonly drainPerSecond: number;
}

const email = (index: number): string => `bench.customer${index}@test.com`;

/** Scores carry the event's sequence number, so each output record names the event it came from. */
function eventValue(sequence: number): string {
  return JSON.stringify({ customer: email(sequence % customerCount), score: sequence + 0.5, riskDate: new Date(1_600_000_000_000 + sequence).toISOString() });
}

async function runVariant(name: string, conf: Readonly<Record<string, string>>): Promise<Result> {
  const run = `${name}-${Date.now()}`;
  const [redisTopic, eventsTopic, riskTopic] = ["redis-server", "stedi-events", "customer-risk"].map((topic) => `bench-pipeline-${run}-${topic}`) as [string, string, string];
  const admin = new Admin({ clientId: "bench-pipeline", bootstrapBrokers: [broker] });
  await admin.createTopics({ topics: [redisTopic, eventsTopic, riskTopic], partitions: 1, replicas: 1 });
  const checkpoint = await mkdtemp(join(tmpdir(), `bench-pipeline-${name}-`));
  const producer = new Producer({ clientId: "bench-pipeline", bootstrapBrokers: [broker], serializers: stringSerializers, acks: ProduceAcks.LEADER });
  const consumer = new Consumer({ groupId: `bench-${run}`, clientId: "bench-pipeline", bootstrapBrokers: [broker], deserializers: stringDeserializers, maxWaitTime: 10 });
  const spark = await SparkSession.builder().remote(config.spark.remote).appName(`bench pipeline ${name}`).create();
  try {
    for (const [key, value] of Object.entries(conf)) await spark.conf.set(key, value);
    const customers = Array.from({ length: customerCount }, (_, index) => ({
      topic: redisTopic,
      key: "Customer",
      value: zaddValue(Buffer.from("Customer"), [{ element: Buffer.from(JSON.stringify({ customerName: `Bench ${index}`, email: email(index), phone: "8015551212", birthDay: `${1937 + (index % 29)}-01-01` })), score: 0 }]),
    }));
    await producer.send({ messages: customers });
    const query = await customerRiskQuery(spark, { bootstrapServers: broker, redisServerTopic: redisTopic, stediEventsTopic: eventsTopic, customerRiskTopic: riskTopic, checkpointLocation: checkpoint, queryName: `bench_${name}_${Date.now()}` }).start();
    await query.processAllAvailable();

    const sentAt = new Map<number, number>();
    const latencies: number[] = [];
    let received = 0;
    const stream = await consumer.consume({ topics: [riskTopic], mode: "earliest", autocommit: false });
    stream.on("data", (message) => {
      received += 1;
      const sequence = Math.floor(Number((JSON.parse(message.value ?? "{}") as { score?: string }).score));
      const sent = sentAt.get(sequence);
      if (sent !== undefined) latencies.push(performance.now() - sent);
    });

    say(`  ${name}: ${rate} events/s for ${seconds} s…`);
    const total = rate * seconds;
    const started = performance.now();
    for (let sequence = 0; sequence < total; sequence += 1) {
      const due = started + (sequence * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      sentAt.set(sequence, performance.now());
      void producer.send({ messages: [{ topic: eventsTopic, key: email(sequence % customerCount), value: eventValue(sequence) }] });
    }
    const deadline = performance.now() + 60_000;
    while (received < total && performance.now() < deadline) await sleep(50);
    const latencyReceived = received;
    latencies.sort((a, b) => a - b);

    say(`  ${name}: backlog of ${burst} events…`);
    const burstStart = performance.now();
    const chunk = 1_000;
    for (let first = total; first < total + burst; first += chunk) {
      const messages = Array.from({ length: Math.min(chunk, total + burst - first) }, (_, offset) => ({ topic: eventsTopic, key: email((first + offset) % customerCount), value: eventValue(first + offset) }));
      await producer.send({ messages });
    }
    const drainDeadline = performance.now() + 600_000;
    while (received < total + burst && performance.now() < drainDeadline) await sleep(50);
    const drainSeconds = (performance.now() - burstStart) / 1000;
    await stream.close();
    const batches = (await query.recentProgress()).filter((progress) => progress.durationMs.addBatch !== undefined);
    const phases = new Map<string, number>();
    for (const progress of batches) for (const [phase, ms] of Object.entries(progress.durationMs)) phases.set(phase, (phases.get(phase) ?? 0) + ms / batches.length);
    say(`  ${name}: mean of the last ${batches.length} batches, ms: ${[...phases].map(([phase, ms]) => `${phase} ${ms.toFixed(0)}`).join(", ")}`);
    await query.stop();
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), received: latencyReceived, sent: total, drainPerSecond: (received - latencyReceived) / drainSeconds };
  } finally {
    await spark.stop().catch(() => undefined);
    await new Promise<void>((resolve) => consumer.close(true, () => resolve()));
    await producer.close().catch(() => undefined);
    await admin.deleteTopics({ topics: [redisTopic, eventsTopic, riskTopic] }).catch(() => undefined);
    await admin.close();
    // Spark may still be closing state files of the stopped query: retry the removal.
    await rm(checkpoint, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
  }
}

say(`bench pipeline: ${customerCount} customers, ${rate} events/s for ${seconds} s, then a backlog of ${burst} events`);
const overrides = Object.fromEntries((values.set as string[]).map((pair) => pair.split("=", 2) as [string, string]));
const tuned = await runVariant("tuned", { ...TUNED_STREAMING_CONF, ...overrides });
if (values["skip-default"]) {
  say(`tuned: p50 ${tuned.p50.toFixed(0)} ms, p99 ${tuned.p99.toFixed(0)} ms, ${tuned.received}/${tuned.sent} delivered, backlog drained at ${tuned.drainPerSecond.toFixed(0)} events/s`);
  process.exit(0);
}
const baseline = await runVariant("default", DEFAULT_STREAMING_CONF);
const row = (label: string, a: string, b: string, ratio: string): string => `${label.padEnd(34)}${a.padStart(14)}${b.padStart(16)}${ratio.padStart(10)}`;
const fmt = (value: number, unit: string): string => (Number.isFinite(value) ? `${value.toFixed(0)} ${unit}` : "n/a");
say("");
say(row("", "tuned", "Spark defaults", "ratio"));
say(row(`latency p50 @ ${rate} events/s`, fmt(tuned.p50, "ms"), fmt(baseline.p50, "ms"), `${(baseline.p50 / tuned.p50).toFixed(1)}×`));
say(row(`latency p99 @ ${rate} events/s`, fmt(tuned.p99, "ms"), fmt(baseline.p99, "ms"), `${(baseline.p99 / tuned.p99).toFixed(1)}×`));
say(row("records delivered", `${tuned.received}/${tuned.sent}`, `${baseline.received}/${baseline.sent}`, ""));
say(row(`backlog drain (${burst} events)`, fmt(tuned.drainPerSecond, "ev/s"), fmt(baseline.drainPerSecond, "ev/s"), `${(tuned.drainPerSecond / baseline.drainPerSecond).toFixed(1)}×`));
say("targets: p50 ≤ 1000 ms, p99 ≤ 3000 ms at 100 events/s; ≥ 5000 events/s sustained");
