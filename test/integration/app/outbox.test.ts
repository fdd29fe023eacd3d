/**
 * No risk score is lost: faults injected around the outbox, outcomes read from the topic and Redis.
 * Kafka away = the app's broker is a port where nothing listens (the relay cannot tell that from a
 * dead broker); "back" = an app on the same Redis and topic with the live broker.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { loadConfig } from "../../../src/config.js";
import { formatStediEvent } from "../../../src/domain/stedi-events.js";
import { buildApp, eventually, finishedTest, forgetCustomerAfter, readRecords, redisFor, uniqueEmail, uniqueTopic, type TestApp } from "./harness.js";
import { readToEnd } from "../../support/kafka.js";

/** A port nothing listens on (taken and released at once). */
async function deadPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address !== null ? address.port : 1;
}

/** Creates `customers` customers and posts `tests` tests for each, interleaved; answers the scores in order and the POST latencies. */
async function postTests(t: TestContext, app: Pick<TestApp, "call">, customers: number, tests: number): Promise<{ expected: { key: string; value: string }[]; latencies: number[] }> {
  const emails = Array.from({ length: customers }, (_, index) => uniqueEmail(`outbox${index}`));
  for (const email of emails) {
    forgetCustomerAfter(t, email);
    const created = await app.call("POST", "/customer", { customerName: "Out Box", email, phone: "8015551212", birthDay: "1955-01-01" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  }
  const expected: { key: string; value: string }[] = [];
  const latencies: number[] = [];
  const start = Date.UTC(2024, 0, 1);
  for (let round = 0; round < tests; round++) {
    for (const [index, email] of emails.entries()) {
      const began = performance.now();
      const reply = await app.call("POST", "/rapidsteptest", finishedTest(email, start + round * 600_000 + index * 1000, 61_000 + ((round * 7 + index * 3) % 50) * 1000));
      latencies.push(performance.now() - began);
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      assert.equal(reply.body.queued, round >= 3, "a score is queued from the 4th test on");
      if (reply.body.riskScore) {
        expected.push({ key: reply.body.riskScore.customer, value: formatStediEvent(reply.body.riskScore) });
      }
    }
  }
  return { expected, latencies };
}

const percentile = (values: readonly number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

test("Kafka away: POST /rapidsteptest answers in milliseconds, /health shows the backlog, and every score arrives in order once Kafka is back", { timeout: 90_000 }, async (t) => {
  const events = await uniqueTopic(t, "outbox-away");
  const away = await buildApp(t, { KAFKA_EVENTS_TOPIC: events, KAFKA_BROKER: `127.0.0.1:${await deadPort()}` });
  const { expected, latencies } = await postTests(t, away, 3, 8);
  assert.equal(expected.length, 15);
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  process.stderr.write(`[outbox] POST /rapidsteptest while Kafka is away: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms over ${latencies.length}\n`);
  assert.ok(p99 < 250, `p99 ${p99} ms: saving must not wait for Kafka`);

  const health = await away.call("GET", "/health");
  assert.equal(health.body.outbox.entries, 15);
  assert.ok(health.body.outbox.oldestAgeMs >= 0 && health.body.outbox.oldestAgeMs < 60_000, JSON.stringify(health.body));
  assert.equal(health.body.eventsPublished, 0);
  assert.deepEqual(await readToEnd(events), [], "nothing reached the topic while Kafka was away");
  await away.close();

  const back = Date.now();
  const live = await buildApp(t, { KAFKA_EVENTS_TOPIC: events });
  assert.deepEqual(await readRecords(events, expected.length, 30_000), expected, "every score, in order, byte for byte");
  process.stderr.write(`[outbox] ${expected.length} queued scores on the topic ${Date.now() - back} ms after Kafka came back\n`);
  await eventually(async () => (await live.call("GET", "/health")).body.outbox.entries === 0, "the outbox to be empty");
  assert.equal(await redisFor(t, loadConfig().redis.secretsDb).xlen(`Outbox:${events}`), 0);
});

test("SIGKILL of the app between saving a test and Kafka's acknowledgement: the score still arrives", { timeout: 90_000 }, async (t) => {
  const events = await uniqueTopic(t, "outbox-kill");
  const port = await deadPort();
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", "src/cli.ts", "app", "--port", String(port)], {
    env: { ...process.env, KAFKA_EVENTS_TOPIC: events, KAFKA_BROKER: `127.0.0.1:${await deadPort()}`, STEDI_PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  t.after(() => void child.kill("SIGKILL"));
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => (await fetch(`${url}/health`).catch(() => null))?.ok === true, "the child app to answer", 30_000);
  // The child's demo user logs in like a therapist would.
  const login = await fetch(`${url}/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userName: "demo", password: "stedi-demo-2024" }) });
  const token = await login.text();
  assert.equal(login.status, 200, token);
  const call: TestApp["call"] = async (method, path, body) => {
    const response = await fetch(url + path, { method, headers: { "suresteps.session.token": token, "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json(), headers: response.headers };
  };
  const { expected } = await postTests(t, { call }, 2, 6);
  child.kill("SIGKILL");
  await once(child, "exit");
  const secrets = new Redis({ ...loadConfig().redis, db: loadConfig().redis.secretsDb });
  t.after(() => secrets.quit());
  assert.equal(await secrets.xlen(`Outbox:${events}`), expected.length, "the killed app's scores are in the outbox");
  assert.ok((await secrets.pttl(`Outbox:${events}:relay`)) > 0, "the killed relay's lease is still held");

  const restarted = Date.now();
  await buildApp(t, { KAFKA_EVENTS_TOPIC: events });
  assert.deepEqual(await readRecords(events, expected.length, 30_000), expected);
  process.stderr.write(`[outbox] after SIGKILL: ${expected.length}/${expected.length} scores on the topic ${Date.now() - restarted} ms after the next app started (lease takeover included)\n`);
  await eventually(async () => (await secrets.xlen(`Outbox:${events}`)) === 0, "the outbox to be empty");
});
