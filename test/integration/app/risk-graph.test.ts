import { test } from "node:test";
import assert from "node:assert/strict";
import { buildApp, eventually, openRiskStream, produce, uniqueTopic } from "./harness.js";

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
  for (const page of pages) {
    const live = await page.next((e) => e.event === "risk", "a live point");
    assert.deepEqual([live.data.email, live.data.score, live.data.birthYear], ["Santosh.Fibonnaci@test.com", -28.5, 1963]);
    assert.equal(live.id, String(live.data.id));
  }
  const stats = (await app.call("GET", "/risk/stats")).body;
  assert.deepEqual([stats.received, stats.malformed, stats.connected], [4, 2, true]);
  assert.match(stats.lastMalformedReason, /score "high" is not a number/);

  // A page that reconnects with Last-Event-ID gets only what it missed.
  const first = pages[0]?.events.find((e) => e.event === "history")?.data[0].id;
  const resumed = await openRiskStream(t, app, String(first));
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
