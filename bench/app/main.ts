/**
 * `npm run bench -- app [--seconds N] [--connections N] [--tests N]`
 *  1. POST /rapidsteptest throughput and latency (autocannon) with 100,000 tests already stored —
 *     every request saves a test, scores it and publishes the score to Kafka (the full path).
 *  2. The time from a record landing on the risk topic to its SSE event reaching a connected page.
 * Redis is a private instance on its own port (100,000 tests must not flood the shared Redis or the
 * CDC source); Kafka is the shared broker, on topics made for this run and deleted after it.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { Admin, Producer, stringSerializers } from "@platformatic/kafka";
import { Redis } from "ioredis";
import { loadConfig } from "../../src/config.js";
import { serviceDown, serviceUp } from "../../src/stack/stack.js";
import { startApp } from "../../src/app/server.js";
import { serializeCustomer, type Customer } from "../../src/domain/customer.js";
import { serializeRapidStepTest } from "../../src/domain/rapid-step-test.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "16" },
    tests: { type: "string", default: "100000" },
    customers: { type: "string", default: "1000" },
    "sse-records": { type: "string", default: "300" },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const TESTS = Number(values.tests);
const CUSTOMERS = Number(values.customers);
const SSE_RECORDS = Number(values["sse-records"]);
const say = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const home = await mkdtemp(join(tmpdir(), "stedi-bench-app-"));
const run = Date.now().toString(36);
const topics = { events: `bench-app-events-${run}`, risk: `bench-app-risk-${run}` };
const config = loadConfig({ ...process.env, STEDI_HOME: home, STEDI_PORT: "0", REDIS_PORT: process.env.BENCH_REDIS_PORT ?? "16392", KAFKA_EVENTS_TOPIC: topics.events, KAFKA_RISK_TOPIC: topics.risk });
const admin = new Admin({ clientId: "stedi-bench", bootstrapBrokers: [config.kafka.broker] });
const cleanups: (() => Promise<unknown>)[] = [];

try {
  say(`private Redis on port ${config.redis.port} (runtime ${home})`);
  await serviceUp(config, "redis", say);
  // Cleanups run newest first.
  cleanups.unshift(() => serviceDown(config, "redis", say, { kill: true }));
  await admin.createTopics({ topics: Object.values(topics), partitions: 1, replicas: 1 });
  cleanups.unshift(() => admin.deleteTopics({ topics: Object.values(topics) }));

  // 1,000 customers × 100 tests, written in the app's own layout, pipelined.
  const redis = new Redis({ host: config.redis.host, port: config.redis.port, db: config.redis.db });
  cleanups.unshift(() => redis.quit());
  const customers: Customer[] = Array.from({ length: CUSTOMERS }, (_, i) => ({ customerName: `Bench ${i}`, email: `bench.${i}@bench.test`, phone: "8015551212", birthDay: `${1937 + (i % 29)}-01-01` }));
  const base = Date.UTC(2020, 0, 1);
  const loadStarted = Date.now();
  for (let from = 0; from < TESTS; from += 10_000) {
    const batch = redis.pipeline();
    for (let n = from; n < Math.min(TESTS, from + 10_000); n++) {
      const customer = customers[n % CUSTOMERS] as Customer;
      const startTime = base + Math.floor(n / CUSTOMERS) * 600_000;
      const member = serializeRapidStepTest({ startTime, stopTime: startTime + 61_000 + (n % 50) * 1000, testTime: 61_000 + (n % 50) * 1000, totalSteps: 30, customer });
      batch.zadd("RapidStepTest", 0, member).zadd(`RapidStepTest:${customer.email}`, startTime, member);
    }
    await batch.exec();
  }
  for (const customer of customers) await redis.hset("CustomerByEmail", customer.email, serializeCustomer(customer));
  await redis.zadd("Customer", ...customers.flatMap((customer) => [0, serializeCustomer(customer)]));
  say(`stored ${await redis.zcard("RapidStepTest")} tests for ${CUSTOMERS} customers in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);

  const app = await startApp(config, { scryptCost: 1024, logLevel: "warn", demoUser: null, riskFeed: true, riskHistorySize: 10 });
  cleanups.unshift(() => app.close());
  const password = "bench password";
  await fetch(`${app.url}/user`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userName: "bench", email: "b@bench.test", phone: "1", birthDate: "1980-01-01", password, verifyPassword: password }) });
  const token = await (await fetch(`${app.url}/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userName: "bench", password }) })).text();

  // 1. Throughput: every request a new test (new startTime) of one of the customers.
  let counter = 0;
  const firstNew = base + Math.ceil(TESTS / CUSTOMERS + 1) * 600_000;
  say(`POST /rapidsteptest for ${SECONDS} s with ${CONNECTIONS} connections …`);
  const result = await autocannon({
    url: `${app.url}/rapidsteptest`,
    method: "POST",
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { "content-type": "application/json", "suresteps.session.token": token },
    requests: [
      {
        setupRequest: (request) => {
          const n = counter++;
          const startTime = firstNew + Math.floor(n / CUSTOMERS) * 600_000;
          const testTime = 61_000 + (n % 40) * 1000;
          return { ...request, body: JSON.stringify({ customer: `bench.${n % CUSTOMERS}@bench.test`, startTime, stopTime: startTime + testTime, testTime, totalSteps: 30 }) };
        },
      },
    ],
  });
  const published = app.server.riskEvents.stats;
  const non2xx = result.non2xx + result.errors;
  // 2. Risk topic → SSE: the record's Kafka timestamp vs. when the page receives it.
  const latencies = await sseLatency(app.url, token);

  const report = {
    storedTests: TESTS,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    non2xxOrErrors: non2xx,
    scoresPublished: published.published,
    publishFailures: published.failed,
    sse: { records: latencies.length, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies.at(-1) },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    `POST /rapidsteptest with ${TESTS.toLocaleString("en")} tests stored: ${report.requestsPerSecond} req/s (target ≥ 1000: ${(report.requestsPerSecond / 1000).toFixed(2)}×), ` +
      `p99 ${report.latencyMs.p99} ms (target ≤ 50: ${(50 / report.latencyMs.p99).toFixed(2)}× headroom), ${non2xx} failed\n` +
      `risk topic → SSE page: p50 ${report.sse.p50Ms} ms, p99 ${report.sse.p99Ms} ms over ${latencies.length} records\n`,
  );
  if (non2xx > 0) process.exitCode = 1;

  async function sseLatency(url: string, session: string): Promise<number[]> {
    const controller = new AbortController();
    const response = await fetch(`${url}/risk/stream`, { headers: { "suresteps.session.token": session }, signal: controller.signal });
    const received: number[] = [];
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    const reader = (async () => {
      let buffer = "";
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += Buffer.from(chunk).toString();
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!block.includes("event: risk")) continue;
          const data = JSON.parse(block.slice(block.indexOf("data: ") + 6)) as { timestamp: number };
          received.push(Date.now() - data.timestamp);
          if (received.length >= SSE_RECORDS) done();
        }
      }
    })().catch(() => undefined);
    // Wait for the feed to be attached before producing.
    while (!app.server.riskFeed.stats.connected) await new Promise((resolve) => setTimeout(resolve, 50));
    const producer = new Producer({ clientId: "stedi-bench", bootstrapBrokers: [config.kafka.broker], serializers: stringSerializers });
    say(`producing ${SSE_RECORDS} records to ${topics.risk}, one every 10 ms …`);
    for (let i = 0; i < SSE_RECORDS; i++) {
      const email = `bench.${i}@bench.test`;
      await producer.send({ messages: [{ topic: topics.risk, key: email, value: JSON.stringify({ customer: email, score: "1.5", email, birthYear: "1950" }) }] });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const timeout = setTimeout(done, 10_000);
    await all;
    clearTimeout(timeout);
    controller.abort();
    await reader;
    await producer.close();
    return received.sort((a, b) => a - b);
  }
} finally {
  for (const cleanup of cleanups) await cleanup().catch((error: unknown) => say(`cleanup: ${(error as Error).message}`));
  await admin.close();
  await rm(home, { recursive: true, force: true });
}
