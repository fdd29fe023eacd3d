import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SparkSession, type StreamingQuery, type StreamingQueryProgress } from "spark-connect-ts";
import { loadConfig } from "../../../src/config.js";
import { zaddValue } from "../../../src/domain/redis-server.js";
import { CUSTOMER_RISK_CONF, customerRiskQuery } from "../../../src/jobs/customer-risk.js";
import { runJob } from "../../../src/jobs/runner.js";
import { applyStreamingTuning } from "../../../src/jobs/tuning.js";
import { BROKER, createTopics, produce, readToEnd, type KafkaRecord } from "../../support/kafka.js";

const config = loadConfig();
const HORIZON_MS = 4_000;
const LATENESS_MS = 1_000;

function customer(email: string, birthDay: string): KafkaRecord {
  const member = JSON.stringify({ customerName: email, email, phone: "8015551212", birthDay });
  return { key: "Customer", value: zaddValue(Buffer.from("Customer"), [{ element: Buffer.from(member), score: 0 }]) };
}

function score(email: string, sequence: number): KafkaRecord {
  return { key: email, value: JSON.stringify({ customer: email, score: sequence + 0.5, riskDate: new Date(1_600_000_000_000 + sequence).toISOString() }) };
}

/** The last executed batch's state operators, by name (the join is "symmetricHashJoin"). */
async function stateRows(query: StreamingQuery): Promise<Record<string, number[]>> {
  const executed = (await query.recentProgress()).filter((progress: StreamingQueryProgress) => progress.stateOperators.length > 0).at(-1);
  const rows: Record<string, number[]> = {};
  for (const operator of executed?.stateOperators ?? []) (rows[operator.operatorName] ??= []).push(operator.numRowsTotal);
  return rows;
}

/** Runs batches until the watermark (the newest Kafka timestamp minus the lateness) has passed `ms` ago. */
async function advanceWatermark(query: StreamingQuery, topic: string, ms: number): Promise<void> {
  await sleep(ms);
  // A fresh record moves the watermark; Spark evicts in the next batch (a no-data batch if need be).
  await produce(topic, [score("clock@test.com", 1_000_000 + Date.now())]);
  await query.processAllAvailable();
  await sleep(1_500);
  await query.processAllAvailable();
}

test("scores leave the state after the horizon, customers stay, and a score whose customer came too late is counted", { timeout: 240_000 }, async (t) => {
  const [redisTopic, eventsTopic, riskTopic] = await createTopics(t, "risk-state", ["redis-server", "stedi-events", "customer-risk"]);
  const checkpoint = await mkdtemp(join(tmpdir(), "stedi-risk-state-"));
  t.after(() => rm(checkpoint, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 }));
  const spark = await SparkSession.builder().remote(config.spark.remote).appName("customer-risk-state-test").create();
  t.after(() => spark.stop());
  // The job's own settings, with exact row counts from RocksDB for the assertions below.
  await applyStreamingTuning(spark, checkpoint, { ...CUSTOMER_RISK_CONF, "spark.sql.streaming.stateStore.rocksdb.trackTotalNumberOfRows": "true" });

  await produce(redisTopic!, [customer("alice@test.com", "1960-03-01"), customer("bob@test.com", "1955-07-14"), customer("alice@test.com", "1960-03-01"), customer("clock@test.com", "1999-01-01")]);
  const run = await runJob(
    customerRiskQuery(spark, {
      bootstrapServers: BROKER,
      redisServerTopic: redisTopic!,
      stediEventsTopic: eventsTopic!,
      customerRiskTopic: riskTopic!,
      checkpointLocation: checkpoint,
      queryName: `customer_risk_state_${Date.now()}`,
      joinHorizon: `${HORIZON_MS / 1000} seconds`,
      joinLateness: `${LATENESS_MS / 1000} seconds`,
    }),
    { log: () => undefined, pollMs: 200 },
  );
  t.after(() => run.stop());
  await run.query.processAllAvailable();

  const SCORES = 60;
  await produce(eventsTopic!, [
    ...Array.from({ length: SCORES }, (_, sequence) => score(sequence % 2 === 0 ? "alice@test.com" : "bob@test.com", sequence)),
    score("alice@test.com", 0), // a duplicate
    score("erin@test.com", 7), // Erin registers after the horizon
  ]);
  await run.query.processAllAvailable();
  const whileWaiting = await stateRows(run.query);

  await advanceWatermark(run.query, eventsTopic!, HORIZON_MS + LATENESS_MS + 1_000);
  await produce(redisTopic!, [customer("erin@test.com", "1970-01-01")]);
  // Alice registered long before the horizon: her new score still joins.
  await produce(eventsTopic!, [score("alice@test.com", SCORES)]);
  await run.query.processAllAvailable();
  await advanceWatermark(run.query, eventsTopic!, HORIZON_MS + LATENESS_MS + 1_000);
  const afterHorizon = await stateRows(run.query);

  const published = (await readToEnd(riskTopic!)).filter((record) => record.key !== "clock@test.com");
  const emails = published.map((record) => record.key);
  assert.equal(published.length, SCORES + 1, "every score of a known customer, once");
  assert.equal(new Set(published.map((record) => record.value)).size, published.length, "no duplicates");
  assert.ok(!emails.includes("erin@test.com"), "Erin came after her score's horizon");
  assert.ok(published.some((record) => record.value.includes(`"score":"${SCORES}.5"`)), "a customer older than the horizon still joins");

  await run.stop();
  t.diagnostic(`state rows by operator: while waiting ${JSON.stringify(whileWaiting)}, after the horizon ${JSON.stringify(afterHorizon)}`);
  assert.equal(run.rejected.toJSON()["late_scores.unmatched"], 1, `Erin's score is counted: ${JSON.stringify(run.rejected.toJSON())}`);
  // The customers' de-duplication keeps every customer (alice, bob, clock, erin); the join's state holds
  // the customers and only the scores still inside the horizon (the clock's).
  const customersKept = afterHorizon.dedupe?.find((rows) => rows === 4);
  assert.equal(customersKept, 4, `customers stay in the de-duplication state: ${JSON.stringify(afterHorizon)}`);
  const joinWhileWaiting = whileWaiting.symmetricHashJoin?.[0] ?? 0;
  const joinAfter = afterHorizon.symmetricHashJoin?.[0] ?? Number.POSITIVE_INFINITY;
  assert.ok(joinWhileWaiting >= SCORES, `the scores wait in the join's state: ${JSON.stringify(whileWaiting)}`);
  assert.ok(joinAfter < 10, `scores left the join's state after the horizon: ${JSON.stringify(afterHorizon)}`);
});
