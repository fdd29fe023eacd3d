import { spawn } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { test, type TestContext } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Admin } from "@platformatic/kafka";
import { Redis } from "ioredis";
import { SparkSession } from "spark-connect-ts";
import { loadConfig } from "../../../src/config.js";
import { CUSTOMER_RISK_CONF, customerRiskQuery } from "../../../src/jobs/customer-risk.js";
import { runJob } from "../../../src/jobs/runner.js";
import { applyStreamingTuning } from "../../../src/jobs/tuning.js";
import { BROKER, createTopics, produce, readToEnd } from "../../support/kafka.js";
import { startCdc, TopicReader } from "../cdc/cdc-harness.js";

const config = loadConfig();
const DB = 0;

/** A private Redis on a free port: a replica's full resync of the stack's Redis takes as long as its data. */
async function privateRedis(t: TestContext): Promise<number> {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port: free } = server.address() as AddressInfo;
      server.close(() => resolve(free));
    });
  });
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  t.after(() => void child.kill("SIGKILL"));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      return port;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    } finally {
      probe.disconnect();
    }
  }
}
const CUSTOMERS = 6;
const email = (index: number): string => `retention.customer${index}@test.com`;

/** How many ZADD Customer records the topic holds at or after `from`. */
const customerZadds = (records: { command: string; key: Buffer | undefined; offset: bigint }[], from: bigint): number =>
  records.filter((record) => record.command === "ZADD" && record.key?.toString() === "Customer" && record.offset >= from).length;

test("a fresh-checkpoint job still knows every customer after retention deleted the records that registered them", { timeout: 300_000 }, async (t) => {
  const redisPort = await privateRedis(t);
  const redis = new Redis({ host: "127.0.0.1", port: redisPort, db: DB });
  t.after(() => void redis.disconnect());
  for (let index = 0; index < CUSTOMERS; index += 1) {
    await redis.zadd("Customer", 0, JSON.stringify({ customerName: `R ${index}`, email: email(index), phone: "8015551212", birthDay: `${1950 + index}-04-05` }));
  }
  const [redisTopic, eventsTopic, riskTopic] = await createTopics(t, "risk-retention", ["redis-server", "stedi-events", "customer-risk"]);
  const reader = await TopicReader.open(t, BROKER, redisTopic!);
  const { source } = await startCdc(t, { KAFKA_REDIS_TOPIC: redisTopic!, REDIS_HOST: "127.0.0.1", REDIS_PORT: String(redisPort), REDIS_PASSWORD: "", REDIS_DB: String(DB), CDC_REPUBLISH_KEYS: "Customer", CDC_REPUBLISH_INTERVAL_MS: "4000" });
  // The full resync's snapshot, then the re-publication on start.
  await reader.waitFor((records) => customerZadds(records, 0n) >= 2, 30_000, "the customers in the topic (snapshot and re-publication on start)");
  const republishedBefore = source.stats().republished;

  // Retention: the broker moves the partition's start past every record so far, as deleting old
  // segments does (the broker's own retention check runs every 5 minutes, too slow for a test).
  const admin = new Admin({ clientId: "retention-test", bootstrapBrokers: [BROKER] });
  t.after(() => admin.close());
  const end = BigInt(reader.records.length === 0 ? 0 : Number(reader.records.at(-1)!.offset) + 1);
  const [deleted] = await admin.deleteRecords({ topics: [{ name: redisTopic!, partitions: [{ partition: 0, offset: end }] }] });
  assert.equal(deleted?.partitions[0]?.lowWatermark, end, "the records that registered the customers are gone");

  // The CDC source re-publishes Customer on its schedule, after the deleted ones.
  await reader.waitFor((records) => customerZadds(records, end) > 0, 30_000, "a re-publication of Customer after the deleted records");
  assert.ok(source.stats().republished > republishedBefore, "re-published on schedule");

  // A job with a fresh checkpoint, from the earliest offset retention left.
  const checkpoint = await mkdtemp(join(tmpdir(), "stedi-risk-retention-"));
  t.after(() => rm(checkpoint, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 }));
  const spark = await SparkSession.builder().remote(config.spark.remote).appName("customer-risk-retention-test").create();
  await applyStreamingTuning(spark, checkpoint, CUSTOMER_RISK_CONF);
  const run = await runJob(
    customerRiskQuery(spark, {
      bootstrapServers: BROKER,
      redisServerTopic: redisTopic!,
      stediEventsTopic: eventsTopic!,
      customerRiskTopic: riskTopic!,
      checkpointLocation: checkpoint,
      queryName: `customer_risk_retention_${Date.now()}`,
      joinHorizon: config.jobs.joinHorizon,
      joinLateness: config.jobs.joinLateness,
    }),
    { log: () => undefined, pollMs: 200 },
  );
  // One hook, in this order: the query runs in the session.
  t.after(async () => {
    await run.stop();
    await spark.stop();
  });
  await produce(
    eventsTopic!,
    Array.from({ length: CUSTOMERS }, (_, index) => ({ key: email(index), value: JSON.stringify({ customer: email(index), score: index + 0.25, riskDate: new Date(1_700_000_000_000 + index).toISOString() }) })),
  );
  await run.query.processAllAvailable();
  // Stopped here, not only in its hook: hooks run in the order they were added, and the topics'
  // hook (added first) deletes them under a running query.
  await run.stop();
  const points = (await readToEnd(riskTopic!)).map((record) => JSON.parse(record.value) as { email: string; birthYear: string });
  assert.deepEqual(
    points.map((point) => `${point.email} ${point.birthYear}`).sort(),
    Array.from({ length: CUSTOMERS }, (_, index) => `${email(index)} ${1950 + index}`).sort(),
    "one point for every customer, with its birth year",
  );
});
