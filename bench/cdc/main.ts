/**
 * `npm run bench -- cdc [--writes 100000] [--rate 1000] [--seconds 10]`
 *
 * Against the running stack (Redis and Kafka from the environment), on its own topics and keys:
 *   1. sustained throughput: pipelined ZADDs as fast as Redis takes them, until every record is
 *      readable in Kafka, through the CDC source;
 *   2. latency at a fixed rate: Redis write → record readable by a consumer, p50/p95/p99;
 *   3. the ceiling: the same payloads produced straight to Kafka by the same kind of producer.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Admin, Consumer, Producer } from "@platformatic/kafka";
import { Redis } from "ioredis";
import { pino } from "pino";
import { loadConfig } from "../../src/config.js";
import { cdcOptions } from "../../src/cdc/cdc-options.js";
import { CdcSource } from "../../src/cdc/cdc-source.js";
import { zaddValue } from "../../src/domain/redis-server.js";

const { values: args } = parseArgs({
  options: { writes: { type: "string", default: "100000" }, rate: { type: "string", default: "1000" }, seconds: { type: "string", default: "10" } },
});
const WRITES = Number(args.writes);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);

const run = `bench-cdc-${Date.now()}-${randomBytes(3).toString("hex")}`;
const topic = `${run}-redis-server`;
const directTopic = `${run}-direct`;
const prefix = `${run}:`;
const print = (line: string): void => void process.stdout.write(`${line}\n`);

const stateDir = await mkdtemp(join(tmpdir(), "stedi-bench-cdc-"));
const env = { ...process.env, KAFKA_REDIS_TOPIC: topic, CDC_STATE_FILE: join(stateDir, "state.json"), CDC_INCLUDE_KEYS: `${prefix}*` };
const config = loadConfig(env);
const broker = config.kafka.broker;
const admin = new Admin({ clientId: "bench-cdc", bootstrapBrokers: [broker] });
await admin.createTopics({ topics: [topic, directTopic], partitions: config.kafka.partitions, replicas: 1 });

/** Counts a topic's records as they become readable, noting when each arrived. */
async function watch(name: string, onRecord: (value: Buffer, at: number) => void) {
  const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({ groupId: `${run}-${name}`, clientId: "bench-cdc", bootstrapBrokers: [broker], maxWaitTime: 5, minBytes: 1 });
  const stream = await consumer.consume({ topics: [name], mode: "earliest", autocommit: false });
  stream.on("data", (message) => onRecord(message.value!, performance.now()));
  return async () => {
    await stream.close();
    await consumer.close(true);
  };
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const redis = new Redis({ host: config.redis.host, port: config.redis.port, password: config.redis.password, db: config.redis.db });
const source = new CdcSource(cdcOptions(config, env), pino({ level: "warn" }));
await source.start();
await source.streaming();

let received = 0;
const latencies: number[] = [];
let phase: "throughput" | "latency" = "throughput";
let lastArrival = 0;
const stopWatching = await watch(topic, (value, at) => {
  received++;
  lastArrival = at;
  if (phase === "latency") {
    const element = (JSON.parse(value.toString()) as { zSetEntries: { element: string }[] }).zSetEntries[0]!.element;
    latencies.push(at - Number(Buffer.from(element, "base64").toString()));
  }
});

try {
  print(`stedi CDC benchmark: Redis ${config.redis.host}:${config.redis.port} → CDC → Kafka ${broker} (${config.kafka.partitions} partition(s))`);

  // 1. Throughput.
  const member = '{"customerName":"Sam Test","email":"sam.test@test.com","phone":"8015551212","birthDay":"2001-01-03"}';
  const started = performance.now();
  for (let start = 0; start < WRITES; start += 1_000) {
    const pipeline = redis.pipeline();
    for (let i = start; i < Math.min(WRITES, start + 1_000); i++) pipeline.zadd(`${prefix}${i % 100}`, i, `${i}:${member}`);
    await pipeline.exec();
  }
  const written = performance.now();
  await until(() => received >= WRITES, 300_000, `${WRITES} records in Kafka`);
  const throughput = (WRITES * 1000) / (lastArrival - started);
  print(`throughput: ${WRITES} ZADDs written in ${((written - started) / 1000).toFixed(2)} s (${Math.round((WRITES * 1000) / (written - started))}/s into Redis); all readable in Kafka after ${((lastArrival - started) / 1000).toFixed(2)} s → ${Math.round(throughput)} writes/s through the CDC (target ≥ 10,000)`);

  // 2. Latency at a fixed rate: each member carries the time of its write.
  phase = "latency";
  received = 0;
  const total = RATE * SECONDS;
  const begin = performance.now();
  for (let i = 0; i < total; i++) {
    const due = begin + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    void redis.zadd(`${prefix}latency`, 0, String(performance.now()));
  }
  await until(() => received >= total, 60_000, `the ${total} latency records`);
  latencies.sort((a, b) => a - b);
  print(
    `latency at ${RATE} writes/s for ${SECONDS} s (Redis write → readable in Kafka, ${latencies.length} samples): p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms (target p99 ≤ 50 ms)`,
  );

  // 3. Ceiling: the same payloads straight to Kafka, same producer settings, batches of 1,500 (under 1 MB, as the CDC bounds its own).
  const producer = new Producer<Buffer, Buffer, Buffer, Buffer>({ clientId: "bench-cdc-direct", bootstrapBrokers: [broker], idempotent: true, acks: -1 });
  let direct = 0;
  const stopDirect = await watch(directTopic, (_value, at) => {
    direct++;
    lastArrival = at;
  });
  const payloads = Array.from({ length: WRITES }, (_, i) => {
    const key = Buffer.from(`${prefix}${i % 100}`);
    return { topic: directTopic, key, value: Buffer.from(zaddValue(key, [{ element: Buffer.from(`${i}:${member}`), score: i }])), headers: new Map([[Buffer.from("command"), Buffer.from("ZADD")]]) };
  });
  const directStart = performance.now();
  for (let start = 0; start < WRITES; start += 1_500) await producer.send({ messages: payloads.slice(start, start + 1_500) });
  await until(() => direct >= WRITES, 120_000, "the direct records");
  const ceiling = (WRITES * 1000) / (lastArrival - directStart);
  print(`ceiling: the same ${WRITES} payloads produced straight to Kafka → ${Math.round(ceiling)} records/s readable; CDC / direct = ${(throughput / ceiling).toFixed(2)}`);
  await producer.close();
  await stopDirect();
  print(`cdc stats: ${JSON.stringify(source.stats())}`);
} finally {
  await stopWatching();
  await source.stop();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await admin.deleteTopics({ topics: [topic, directTopic] }).catch(() => undefined);
  await admin.close();
  await rm(stateDir, { recursive: true, force: true });
}
