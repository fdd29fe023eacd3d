import { test } from "node:test";
import assert from "node:assert/strict";
import { buildApp, forgetCustomerAfter, readRecords, unique, uniqueTopic } from "./harness.js";

test("the seeded simulation: 30 customers born 1965→1937, the 1950–1960 cohort declining, scores published from round 4", async (t) => {
  const events = await uniqueTopic(t, "sim-events");
  const emailDomain = `${unique("sim")}.test`;
  const app = await buildApp(t, { KAFKA_EVENTS_TOPIC: events }, { simulation: { seed: 42, emailDomain } });
  for (let round = 0; round < 5; round++) await app.server.simulation.round();
  const status = app.server.simulation.status;
  assert.deepEqual([status.customers, status.rounds, status.testsSaved, status.scoresPublished, status.errors], [30, 5, 150, 60, 0]);

  const records = await readRecords(events, 60);
  const customers = new Map<string, string>();
  for (const record of records) customers.set(record.key, record.value);
  assert.equal(customers.size, 30);
  for (const email of customers.keys()) forgetCustomerAfter(t, email);

  const years = [];
  for (const email of customers.keys()) {
    assert.match(email, new RegExp(`^[A-Z][a-z]+\\.[A-Z][a-z]+@${emailDomain.replace(/\./g, "\\.")}$`));
    const customer = (await app.call("GET", `/customer/${encodeURIComponent(email)}`)).body;
    assert.equal(customer.phone, "8015551212");
    const year = Number(customer.birthDay.slice(0, 4));
    years.push(year);
    const history = (await app.call("GET", `/stephistory/${encodeURIComponent(email)}`)).body as { startTime: number; testTime: number }[];
    assert.equal(history.length, 5);
    assert.ok(history[0] && history[0].testTime >= 61_000 && history[0].testTime <= 120_000, "first test 61–120 s");
    const durations = history.map((test) => test.testTime);
    if (year >= 1950 && year <= 1960) {
      for (let i = 1; i < durations.length; i++) {
        const slower = (durations[i] as number) - (durations[i - 1] as number);
        assert.ok(slower >= 0 && slower <= 3000, `${email} (born ${year}) should get 0–3 s slower: ${durations}`);
      }
      // Slower every round → the score is never above zero.
      assert.ok((await app.call("GET", `/riskscore/${encodeURIComponent(email)}`)).body.score <= 0);
    } else {
      for (const duration of durations) assert.ok(duration >= 61_000 && duration <= 120_000);
    }
  }
  assert.equal(Math.max(...years), 1965);
  assert.equal(Math.min(...years), 1937);
});

test("the same seed gives the same simulation", async (t) => {
  const runs = [];
  for (let run = 0; run < 2; run++) {
    const emailDomain = `${unique("seeded")}.test`;
    const app = await buildApp(t, {}, { simulation: { seed: 7, customers: 3, emailDomain } });
    await app.server.simulation.round();
    const first = `Sarah.Clark@${emailDomain}`;
    for (const name of ["Sarah.Clark", "Jason.Harris", "Santosh.Howard"]) forgetCustomerAfter(t, `${name}@${emailDomain}`);
    const history = (await app.call("GET", `/stephistory/${encodeURIComponent(first)}`)).body as { testTime: number; stepPoints: number[] }[];
    runs.push([(await app.call("GET", `/customer/${encodeURIComponent(first)}`)).body.birthDay, history[0]?.testTime, history[0]?.stepPoints]);
  }
  assert.deepEqual(runs[0], runs[1]);
});

test("GET/POST/DELETE /simulation start and stop it", async (t) => {
  const emailDomain = `${unique("toggle")}.test`;
  const app = await buildApp(t, {}, { simulation: { seed: 1, customers: 2, speed: 600, emailDomain } });
  for (const name of ["Sarah.Clark", "Jason.Harris"]) forgetCustomerAfter(t, `${name}@${emailDomain}`);
  assert.equal((await app.call("GET", "/simulation")).body.active, false);
  assert.equal((await app.call("POST", "/simulation")).body.active, true);
  const deadline = Date.now() + 10_000;
  while ((await app.call("GET", "/simulation")).body.rounds < 2) assert.ok(Date.now() < deadline, "two rounds within 10 s at speed 600");
  const stopped = (await app.call("DELETE", "/simulation")).body;
  assert.equal(stopped.active, false);
  const after = (await app.call("GET", "/simulation")).body.rounds;
  await new Promise((resolve) => setTimeout(resolve, 300)); // three round intervals at speed 600
  assert.equal((await app.call("GET", "/simulation")).body.rounds, after, "no round after stop");
});
