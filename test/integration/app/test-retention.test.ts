import { test } from "node:test";
import assert from "node:assert/strict";
import { buildApp, finishedTest, forgetCustomerAfter, redisFor, uniqueEmail, uniqueTopic } from "./harness.js";

const KEPT = 5;

test("beyond STEDI_TESTS_KEPT_PER_CUSTOMER a save drops the customer's oldest tests from both sets; the risk score is the one of the newest 4", async (t) => {
  const events = await uniqueTopic(t, "events");
  const app = await buildApp(t, { KAFKA_EVENTS_TOPIC: events, STEDI_TESTS_KEPT_PER_CUSTOMER: String(KEPT) });
  const other = await buildApp(t, { KAFKA_EVENTS_TOPIC: events });
  const redis = redisFor(t);
  const [email, neighbour] = [uniqueEmail("kept"), uniqueEmail("neighbour")];
  for (const each of [email, neighbour]) {
    forgetCustomerAfter(t, each);
    const created = await app.call("POST", "/customer", { customerName: "Kept Tests", email: each, phone: "8015551212", birthDay: "1950-01-01" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  }
  const neighbourTest = await app.call("POST", "/rapidsteptest", finishedTest(neighbour, Date.UTC(2019, 0, 1), 60_000));
  assert.equal(neighbourTest.status, 201);

  const start = Date.UTC(2021, 0, 1);
  const durations = [100_000, 95_000, 90_000, 85_000, 80_000, 75_000, 70_000, 65_000, 61_000];
  const stored: number[] = [];
  let last;
  for (const [index, ms] of durations.entries()) {
    const reply = await app.call("POST", "/rapidsteptest", finishedTest(email, start + index * 600_000, ms));
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    stored.push(reply.body.testsStored);
    last = reply.body;
  }
  assert.deepEqual(stored, [1, 2, 3, 4, 5, 5, 5, 5, 5], "the count stops at the bound");

  // The newest five by startTime stay, in both the customer's set and the original's RapidStepTest.
  const members = await redis.zrange(`RapidStepTest:${email}`, 0, -1);
  assert.deepEqual(members.map((member) => JSON.parse(member).startTime), durations.slice(-KEPT).map((_, index) => start + (durations.length - KEPT + index) * 600_000));
  const all = new Set(await redis.zrange("RapidStepTest", 0, -1));
  assert.ok(members.every((member) => all.has(member)), "every kept test is still in RapidStepTest");
  const mine = [...all].filter((member) => JSON.parse(member).customer?.email === email);
  assert.equal(mine.length, KEPT, "the dropped tests left RapidStepTest too");
  assert.equal(await redis.zcard(`RapidStepTest:${neighbour}`), 1, "another customer's tests are untouched");

  // Newest 4: 75, 70, 65, 61 s → previous (75+70)/2 = 72.5, current (65+61)/2 = 63 → 9.5.
  assert.equal(last.riskScore.score, 9.5);
  const score = await app.call("GET", `/riskscore/${encodeURIComponent(email)}`);
  assert.deepEqual(score.body, last.riskScore);

  // A back-dated test (older than every kept one) is stored and at once the oldest, so it goes.
  const backDated = await app.call("POST", "/rapidsteptest", finishedTest(email, start - 600_000, 200_000));
  assert.equal(backDated.status, 201);
  assert.equal(backDated.body.testsStored, KEPT);
  assert.deepEqual(await redis.zrange(`RapidStepTest:${email}`, 0, -1), members);
  assert.deepEqual((await app.call("GET", `/riskscore/${encodeURIComponent(email)}`)).body, last.riskScore);

  // With the default bound (1000) the same customer keeps growing: the bound is the app's setting.
  const more = await other.call("POST", "/rapidsteptest", finishedTest(email, start + durations.length * 600_000, 60_000));
  assert.equal(more.body.testsStored, KEPT + 1);
});
