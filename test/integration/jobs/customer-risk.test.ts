import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SparkSession } from "spark-connect-ts";
import { loadConfig } from "../../../src/config.js";
import { RISK_DATE_HEADER } from "../../../src/domain/customer-risk.js";
import { setValue, zaddValue } from "../../../src/domain/redis-server.js";
import { customerRiskQuery } from "../../../src/jobs/customer-risk.js";
import { runJob } from "../../../src/jobs/runner.js";
import { BROKER, createTopics, produce, readToEnd, type KafkaRecord } from "../../support/kafka.js";

const config = loadConfig();

function customer(name: string, email: string, birthDay: string): string {
  return JSON.stringify({ customerName: name, email, phone: "8015551212", birthDay });
}

/** A redis-server record as the CDC source writes it: key = Redis key, value = SPEC §2 JSON. */
function zadd(key: string, ...members: string[]): KafkaRecord {
  return { key, value: zaddValue(Buffer.from(key), members.map((member) => ({ element: Buffer.from(member), score: 0 }))) };
}

function event(email: string, score: number | string, riskDate: string): KafkaRecord {
  return { key: email, value: `{"customer":"${email}","score":${score},"riskDate":"${riskDate}"}` };
}

/** A customer-risk record: SPEC §2's key and value, and the header naming the score it joins. */
function risk(email: string, score: string, birthYear: string, riskDate: string): KafkaRecord {
  return { key: email, value: JSON.stringify({ customer: email, score, email, birthYear }), headers: { [RISK_DATE_HEADER]: riskDate } };
}

const byKeyAndValue = (a: KafkaRecord, b: KafkaRecord): number => (a.key + a.value).localeCompare(b.key + b.value);

test("customer-risk joins every decodable customer with its scores, once, and counts what it skips", { timeout: 240_000 }, async (t) => {
  const [redisTopic, eventsTopic, riskTopic] = await createTopics(t, "risk-job", ["redis-server", "stedi-events", "customer-risk"]);
  const checkpoint = await mkdtemp(join(tmpdir(), "stedi-risk-checkpoint-"));
  t.after(() => rm(checkpoint, { recursive: true, force: true }));
  const spark = await SparkSession.builder().remote(config.spark.remote).appName("customer-risk-test").create();
  t.after(() => spark.stop());

  const alice = customer("Alice Test", "alice@test.com", "1960-03-01");
  await produce(redisTopic!, [
    zadd("Customer", alice),
    zadd("Customer", customer("Bob Test", "bob@test.com", "1955-07-14"), customer("Carol Test", "carol@test.com", "1948-12-31")),
    zadd("Customer", alice), // the same customer saved again
    zadd("RapidStepTest", '{"startTime":1}'), // another sorted set
    { key: "foo", value: setValue(Buffer.from("foo"), Buffer.from("bar")) }, // another command
    { key: "junk", value: "not json at all" },
    { key: "bad-key", value: '{"key":"!!!not base64","zSetEntries":[]}' },
    { key: "Customer", value: setValue(Buffer.from("Customer"), Buffer.from("x")) }, // Customer, but not a ZADD
    { key: "Customer", value: '{"key":"Q3VzdG9tZXI=","zSetEntries":[{"element":"%%% not base64","score":0.0}]}' },
    zadd("Customer", JSON.stringify({ customerName: "No Birthday", email: "nobirthday@test.com" })),
  ]);
  await produce(eventsTopic!, [
    event("alice@test.com", "7.0", "2020-09-14T07:54:06.417Z"),
    event("alice@test.com", "7.0", "2020-09-14T07:54:06.417Z"), // delivered twice
    event("alice@test.com", "-3.5", "2020-09-15T07:54:06.417Z"),
    event("bob@test.com", "28.5", "2020-09-14T08:00:00.000Z"),
    event("dave@test.com", "1.25", "2020-09-16T09:00:00.000Z"), // before Dave's customer record
    event("nobody@test.com", "4.0", "2020-09-16T09:00:00.000Z"), // never a customer
    { key: "garbage", value: "{{{" },
    { key: "null", value: '{"customer":null,"score":1.0,"riskDate":"2020-09-16T09:00:00.000Z"}' },
  ]);

  const lines: string[] = [];
  const run = await runJob(
    customerRiskQuery(spark, {
      bootstrapServers: BROKER,
      redisServerTopic: redisTopic!,
      stediEventsTopic: eventsTopic!,
      customerRiskTopic: riskTopic!,
      checkpointLocation: checkpoint,
      queryName: `customer_risk_test_${Date.now()}`,
      joinHorizon: config.jobs.joinHorizon,
      joinLateness: config.jobs.joinLateness,
    }),
    { log: (line) => lines.push(line), pollMs: 200 },
  );
  t.after(() => run.stop());
  await run.query.processAllAvailable();
  await produce(redisTopic!, [zadd("Customer", customer("Dave Test", "dave@test.com", "1937-05-05"))]);
  await run.query.processAllAvailable();

  const published = (await readToEnd(riskTopic!)).sort(byKeyAndValue);
  assert.deepEqual(
    published,
    [
      risk("alice@test.com", "-3.5", "1960", "2020-09-15T07:54:06.417Z"),
      risk("alice@test.com", "7.0", "1960", "2020-09-14T07:54:06.417Z"),
      risk("bob@test.com", "28.5", "1955", "2020-09-14T08:00:00.000Z"),
      risk("dave@test.com", "1.25", "1937", "2020-09-16T09:00:00.000Z"),
    ].sort(byKeyAndValue),
  );
  // Field order and string types exactly as SPEC §2.
  assert.ok(published.some((record) => record.value === '{"customer":"bob@test.com","score":"28.5","email":"bob@test.com","birthYear":"1955"}'));

  await run.stop();
  assert.deepEqual(run.rejected.toJSON(), {
    "redis_server_records.undecodable": 1,
    "redis_server_records.otherKeys": 3,
    "redis_server_records.notZadd": 1,
    "redis_server_records.incomplete": 2,
    "stedi_events_records.undecodable": 2,
    "late_scores.unmatched": 0,
  });
  assert.ok(lines.some((line) => /^query started: id [0-9a-f-]{36}/.test(line)), "the query id is logged");
  assert.ok(lines.some((line) => /^batch \d+: \d+ input rows/.test(line)), "each batch is logged");
});

