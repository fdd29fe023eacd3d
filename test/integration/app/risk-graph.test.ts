import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { buildApp, eventually, openRiskStream, produce, uniqueTopic, type SseEvent } from "./harness.js";
import { BROKER } from "../../support/kafka.js";

const record = (email: string, score: string, birthYear: string) => ({
  key: email,
  value: JSON.stringify({ customer: email, score, email, birthYear }),
});

test("history on load, then every record to every open page; malformed records are skipped and counted", async (t) => {
  const topic = await uniqueTopic(t, "risk");
  await produce(topic, [record("old.one@test.com", "2.5", "1961"), { key: "x", value: "not json at all" }]);
  const app = await buildApp(t, { KAFKA_RISK_TOPIC: topic }, { riskFeed: true });
  await eventually(async () => (await app.call("GET", "/risk/stats")).body.received >= 2, "the feed to read the topic's history");

  const pages = await Promise.all([openRiskStream(t, app), openRiskStream(t, app), openRiskStream(t, app)]);
  for (const page of pages) {
    const history = await page.next((e) => e.event === "history", "history");
    assert.deepEqual(history.data.map((p: { email: string; score: number; birthYear: number }) => [p.email, p.score, p.birthYear]), [["old.one@test.com", 2.5, 1961]]);
  }
  assert.equal((await app.call("GET", "/risk/stats")).body.subscribers, 3);

  await produce(topic, [{ key: "y", value: '{"customer":"a@b.c","score":"high","email":"a@b.c","birthYear":"1950"}' }, record("Santosh.Fibonnaci@test.com", "-28.5", "1963")]);
  let live;
  for (const page of pages) {
    live = await page.next((e) => e.event === "risk", "a live point");
    assert.deepEqual([live.data.email, live.data.score, live.data.birthYear, live.data.id], ["Santosh.Fibonnaci@test.com", -28.5, 1963, "0:3"]);
  }
  assert.ok(live);
  const stats = (await app.call("GET", "/risk/stats")).body;
  assert.deepEqual([stats.received, stats.malformed, stats.connected], [4, 2, true]);
  assert.match(stats.lastMalformedReason, /score "high" is not a number/);

  // Event ids are topic positions; a page that reconnects with Last-Event-ID gets only what it missed.
  const history = pages[0]?.events.find((e) => e.event === "history");
  assert.equal(history?.id, "0:1", "the history's id is the position of the last record read");
  assert.equal(live.id, "0:3");
  const resumed = await openRiskStream(t, app, "0:0");
  const missed = await resumed.next((e) => e.event === "history", "resumed history");
  assert.deepEqual(missed.data.map((p: { email: string }) => p.email), ["Santosh.Fibonnaci@test.com"]);
});

test("an empty topic and a topic that does not exist yet keep the graph working", async (t) => {
  const empty = await uniqueTopic(t, "empty");
  const app = await buildApp(t, { KAFKA_RISK_TOPIC: empty }, { riskFeed: true });
  const page = await openRiskStream(t, app);
  assert.deepEqual((await page.next((e) => e.event === "history", "history")).data, []);
  const missing = await buildApp(t, { KAFKA_RISK_TOPIC: `missing-${Date.now()}` }, { riskFeed: true });
  const stats = await missing.call("GET", "/risk/stats");
  assert.equal(stats.status, 200);
  assert.equal((await missing.call("GET", "/risk/recent")).body.length, 0);
});

const emails = (events: readonly SseEvent[]): string[] => events.flatMap((e) => (e.event === "history" ? e.data : e.event === "risk" ? [e.data] : [])).map((p: { email: string }) => p.email);

test("ids stay valid across app processes: a page resumes after a restart with what it missed, and one ahead of the new process gets nothing twice", async (t) => {
  const topic = await uniqueTopic(t, "risk-restart");
  await produce(topic, [record("a@test.com", "1.0", "1950"), record("b@test.com", "2.0", "1951")]);
  const first = await buildApp(t, { KAFKA_RISK_TOPIC: topic }, { riskFeed: true });
  await eventually(async () => (await first.call("GET", "/risk/stats")).body.received === 2, "the app to read the topic");
  const page = await openRiskStream(t, first);
  await page.next((e) => e.event === "history" && e.data.length === 2, "the history");
  await first.close();
  await produce(topic, [record("c@test.com", "3.0", "1952")]);

  const second = await buildApp(t, { KAFKA_RISK_TOPIC: topic }, { riskFeed: true });
  await eventually(async () => (await second.call("GET", "/risk/stats")).body.received === 3, "the new app to read the topic");
  const resumed = await openRiskStream(t, second, page.events.at(-1)?.id);
  const missed = await resumed.next((e) => e.event === "history", "the resumed history");
  assert.deepEqual(emails([missed]), ["c@test.com"]);
  assert.equal(missed.id, "0:2");

  // A page whose id is ahead of this process (it read offset 4 elsewhere) gets only offset 5 on.
  const ahead = await openRiskStream(t, second, "0:4");
  assert.deepEqual((await ahead.next((e) => e.event === "history", "history")).data, []);
  await produce(topic, [record("d@test.com", "4.0", "1953"), record("e@test.com", "5.0", "1954"), record("f@test.com", "6.0", "1955")]);
  await ahead.next((e) => e.event === "risk", "a live point");
  await resumed.next((e) => e.event === "risk" && e.data.email === "f@test.com", "the last point");
  assert.deepEqual(emails(ahead.events), ["f@test.com"]);
  assert.deepEqual(emails(resumed.events), ["c@test.com", "d@test.com", "e@test.com", "f@test.com"]);
});

test("a consumer whose connection to Kafka is cut reconnects without re-sending old points as new", { timeout: 60_000 }, async (t) => {
  const topic = await uniqueTopic(t, "risk-cut");
  await produce(topic, [record("a@test.com", "1.0", "1950"), record("b@test.com", "2.0", "1951")]);
  const app = await buildApp(t, { KAFKA_RISK_TOPIC: topic }, { riskFeed: true });
  await eventually(async () => (await app.call("GET", "/risk/stats")).body.received === 2, "the app to read the topic");
  const page = await openRiskStream(t, app);
  await page.next((e) => e.event === "history" && e.data.length === 2, "the history");
  // The fault: for 8 s every client connection to the broker is reset as soon as it is made (ss -K,
  // as a broken link would), longer than the consumer's own retries: the feed has to reconnect.
  const [, port] = BROKER.split(":");
  for (const until = Date.now() + 8_000; Date.now() < until; ) {
    execFileSync("ss", ["-K", "dst", "127.0.0.1", "dport", "=", port!], { stdio: "ignore" });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await produce(topic, [record("c@test.com", "3.0", "1952")]);
  await page.next((e) => e.event === "risk" && e.data.email === "c@test.com", "the new point after the cut", 30_000);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.deepEqual(emails(page.events), ["a@test.com", "b@test.com", "c@test.com"], "nothing old arrived again");
  assert.equal((await app.call("GET", "/risk/stats")).body.received, 3);
});

/** A record as the job writes it, naming its score (the riskDate header). */
const scored = (email: string, score: string, birthYear: string, riskDate: string) => ({ ...record(email, score, birthYear), headers: { "stedi-risk-date": riskDate } });

test("a batch the job wrote again after a crash is shown once: records whose identity was delivered are dropped and counted", { timeout: 60_000 }, async (t) => {
  const topic = await uniqueTopic(t, "risk-rewrite");
  const [day1, day2] = ["2026-01-01T10:00:00.000Z", "2026-01-02T10:00:00.000Z"];
  // Equal scores on two days are two points; the re-written batch (both again) is none; records without the header all pass.
  const batch = [scored("a@test.com", "1.5", "1950", day1), scored("a@test.com", "1.5", "1950", day2)];
  await produce(topic, [...batch, ...batch, record("old@test.com", "2.0", "1951"), record("old@test.com", "2.0", "1951")]);
  const app = await buildApp(t, { KAFKA_RISK_TOPIC: topic }, { riskFeed: true });
  await eventually(async () => (await app.call("GET", "/risk/stats")).body.received === 6, "the app to read the topic");
  assert.deepEqual((await app.call("GET", "/risk/recent")).body.map((point: { id: string }) => point.id), ["0:0", "0:1", "0:4", "0:5"]);
  const page = await openRiskStream(t, app);
  await page.next((e) => e.event === "history" && e.data.length === 4, "the history without the re-writes");

  // Live: the re-write of a delivered score is dropped, a new score of the same customer and value is not.
  await produce(topic, [scored("a@test.com", "1.5", "1950", day2), scored("a@test.com", "1.5", "1950", "2026-01-03T10:00:00.000Z")]);
  const live = await page.next((e) => e.event === "risk", "the new score");
  assert.equal(live.id, "0:7", "the re-written record at 0:6 was not sent");
  const stats = (await app.call("GET", "/risk/stats")).body;
  assert.deepEqual([stats.received, stats.rewritten, stats.malformed], [8, 3, 0]);
  assert.equal((await app.call("GET", "/health", undefined, null)).body.riskRewritten, 3);
});

test("a stream ends when its session is logged out", async (t) => {
  const topic = await uniqueTopic(t, "risk-logout");
  const app = await buildApp(t, { KAFKA_RISK_TOPIC: topic }, { riskFeed: true, sseSessionCheckMs: 200 });
  const page = await openRiskStream(t, app);
  await page.next((e) => e.event === "history", "history");
  assert.equal((await app.call("POST", "/logout")).status, 204);
  const ended = await page.next((e) => e.event === "session-ended", "the end of the session", 5_000);
  assert.match(ended.data.message, /log in again/);
  await eventually(async () => (await app.call("GET", "/risk/stats", undefined, null)).status === 401, "the token to be gone");
});
