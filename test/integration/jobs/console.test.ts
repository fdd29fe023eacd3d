import { test } from "node:test";
import assert from "node:assert/strict";
import { SparkSession } from "spark-connect-ts";
import { loadConfig } from "../../../src/config.js";
import { zaddValue } from "../../../src/domain/redis-server.js";
import { consoleQuery, customersView, eventsView, type ConsoleView } from "../../../src/jobs/console.js";
import { runJob } from "../../../src/jobs/runner.js";
import { BROKER, createTopics, produce, type KafkaRecord } from "../../support/kafka.js";

const config = loadConfig();

/** Runs a console job over `records` and returns what it printed for its batches. */
async function printed(t: test.TestContext, view: ConsoleView, records: readonly KafkaRecord[], batches: number): Promise<string[]> {
  const [topic] = await createTopics(t, "console-job", ["source"]);
  const spark = await SparkSession.builder().remote(config.spark.remote).appName("console-job-test").create();
  t.after(() => spark.stop());
  const source = { bootstrapServers: BROKER, topic: topic! };
  const output: string[] = [];
  await produce(topic!, records.slice(0, 1));
  const run = await runJob(
    consoleQuery(spark, source, view, `console_test_${Date.now()}`, (text) => void output.push(text)),
    { log: () => undefined, pollMs: 200 },
  );
  t.after(() => run.stop());
  await run.query.processAllAvailable();
  await produce(topic!, records.slice(1));
  await run.query.processAllAvailable();
  const deadline = Date.now() + 20_000;
  while (output.length < batches && Date.now() < deadline) await run.query.awaitTermination(200);
  await run.stop();
  return output;
}

test("events-console prints each batch's (customer, score) as Spark's console sink does", { timeout: 120_000 }, async (t) => {
  const output = await printed(
    t,
    eventsView,
    [
      { key: "a", value: '{"customer":"Jason.Mitra@test.com","score":7.0,"riskDate":"2020-09-14T07:54:06.417Z"}' },
      { key: "b", value: '{"customer":"Santosh.Fibonnaci@test.com","score":-28.5,"riskDate":"2020-09-14T07:54:06.417Z"}' },
      { key: "bad", value: "not json" },
    ],
    2,
  );
  assert.equal(
    output[0],
    [
      "-------------------------------------------",
      "Batch: 0",
      "-------------------------------------------",
      "+--------------------+-----+",
      "|            customer|score|",
      "+--------------------+-----+",
      "|Jason.Mitra@test.com|  7.0|",
      "+--------------------+-----+",
      "",
      "",
    ].join("\n"),
  );
  assert.match(output[1]!, /^-{43}\nBatch: 1\n-{43}\n/);
  assert.match(output[1]!, /\|Santosh.Fibonnaci...\|-28.5\|\n\+-+\+-+\+\n/, "long values are truncated to 20 characters, the bad record is skipped");
});

test("redis-console prints the (email, birthYear) of every Customer entry", { timeout: 120_000 }, async (t) => {
  const member = (email: string, birthDay: string): Buffer => Buffer.from(JSON.stringify({ customerName: "X", email, phone: "1", birthDay }));
  const output = await printed(
    t,
    customersView,
    [
      { key: "Customer", value: zaddValue(Buffer.from("Customer"), [{ element: member("sam.test@test.com", "2001-01-03"), score: 0 }]) },
      { key: "Other", value: zaddValue(Buffer.from("Other"), [{ element: member("other@test.com", "1999-01-01"), score: 0 }]) },
    ],
    1,
  );
  assert.match(output[0]!, /Batch: 0\n-{43}\n\+-+\+-+\+\n\| {12}email\|birthYear\|\n\+-+\+-+\+\n\|sam.test@test.com\| {5}2001\|\n/);
  assert.ok(output.every((text) => !text.includes("other@test.com")), "entries of other keys are not printed");
});
