import { test } from "node:test";
import assert from "node:assert/strict";
import { buildApp, finishedTest, forgetCustomerAfter, readRecords, redisFor, uniqueEmail, uniqueTopic } from "./harness.js";

test("full flow: account, login, customer, four tests → risk score returned and published once per test from the 4th", async (t) => {
  const events = await uniqueTopic(t, "events");
  const app = await buildApp(t, { KAFKA_EVENTS_TOPIC: events });
  const email = uniqueEmail("jason.mitra");
  forgetCustomerAfter(t, email);
  const customer = { customerName: "Jason Mitra", email, phone: "8015551212", birthDay: "1955-03-04" };

  const created = await app.call("POST", "/customer", customer);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual(created.body, customer);
  assert.deepEqual((await app.call("GET", `/customer/${encodeURIComponent(email)}`)).body, customer);

  // Durations 100, 100, 93, 93 s → previous 100, current 93 → score 7.0; then 90 s → (100+93)/2 − (93+90)/2 = 5.0.
  const start = Date.UTC(2020, 8, 14, 7, 0, 0);
  const durations = [100_000, 100_000, 93_000, 93_000, 90_000];
  const replies = [];
  for (const [index, ms] of durations.entries()) {
    const reply = await app.call("POST", "/rapidsteptest", finishedTest(email, start + index * 600_000, ms));
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    replies.push(reply.body);
  }
  assert.deepEqual(replies.slice(0, 3).map((reply) => [reply.testsStored, reply.testsNeeded, reply.riskScore]), [[1, 3, null], [2, 2, null], [3, 1, null]]);
  const fourth = replies[3];
  assert.deepEqual(fourth.riskScore, { customer: email, score: 7, riskDate: new Date(start + 3 * 600_000 + 93_000).toISOString() });
  assert.equal(fourth.queued, true);
  assert.equal(fourth.published, true, "the reply stays backwards-compatible");
  assert.equal(replies[4].riskScore.score, 5);

  const risk = await app.call("GET", `/riskscore/${encodeURIComponent(email)}`);
  assert.equal(risk.status, 200);
  assert.equal(risk.body.score, 5);

  // Exactly two records — for the 4th and the 5th test — byte-exact SPEC §2, keyed by the email.
  const records = await readRecords(events, 2);
  assert.deepEqual(records, [
    { key: email, value: `{"customer":"${email}","score":7.0,"riskDate":"${new Date(start + 3 * 600_000 + 93_000).toISOString()}"}` },
    { key: email, value: `{"customer":"${email}","score":5.0,"riskDate":"${new Date(start + 4 * 600_000 + 90_000).toISOString()}"}` },
  ]);
  await assert.rejects(readRecords(events, 3, 1500), /only 2 of 3 records/);

  // The history comes back oldest first, each test embedding the customer, byte-compatible in Redis.
  const history = await app.call("GET", `/stephistory/${encodeURIComponent(email)}`);
  assert.deepEqual(history.body.map((test: { testTime: number }) => test.testTime), durations);
  assert.deepEqual(history.body[0].customer, customer);
  const redis = redisFor(t);
  const [member] = await redis.zrange(`RapidStepTest:${email}`, 0, 0);
  assert.equal(
    member,
    `{"startTime":${start},"stepPoints":[${Array(30).fill(3333).join(",")}],"stopTime":${start + 100_000},"testTime":100000,"totalSteps":30,"customer":{"customerName":"Jason Mitra","email":"${email}","phone":"8015551212","birthDay":"1955-03-04"}}`,
  );
  assert.equal(await redis.zscore("RapidStepTest", member as string), "0");
  assert.equal(await redis.zscore("Customer", JSON.stringify(customer)), "0");
});

test("a slower customer scores below zero", async (t) => {
  const app = await buildApp(t);
  const email = uniqueEmail("slower");
  forgetCustomerAfter(t, email);
  assert.equal((await app.call("POST", "/customer", { customerName: "Slow Poke", email, phone: "1", birthDay: "1952-01-01" })).status, 201);
  const start = Date.UTC(2021, 0, 1);
  let last;
  for (const [index, ms] of [61_000, 61_000, 64_000, 65_000].entries()) last = await app.call("POST", "/rapidsteptest", finishedTest(email, start + index * 600_000, ms));
  assert.equal(last?.body.riskScore.score, -3.5);
});
