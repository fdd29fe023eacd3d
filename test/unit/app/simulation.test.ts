import { test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyBaseLogger } from "fastify";
import type { Customer } from "../../../src/domain/customer.js";
import type { Customers } from "../../../src/app/services/customers.js";
import type { RapidStepTests } from "../../../src/app/services/rapid-step-tests.js";
import { Random } from "../../../src/app/simulation/random.js";
import { Simulation } from "../../../src/app/simulation/simulation.js";
import { isDecliningCohort, simulatedBirthYear, simulatedCustomers } from "../../../src/app/simulation/simulated-customers.js";

test("the PRNG is deterministic per seed and stays in range", () => {
  const a = new Random(42);
  const b = new Random(42);
  const c = new Random(43);
  const first = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(first, Array.from({ length: 5 }, () => b.next()));
  assert.notDeepEqual(first, Array.from({ length: 5 }, () => c.next()));
  const r = new Random(1);
  for (let i = 0; i < 10_000; i++) {
    const n = r.int(61_000, 120_000);
    assert.ok(Number.isInteger(n) && n >= 61_000 && n <= 120_000);
  }
});

test("30 customers First.Last@test.com, phone 8015551212, born 1965 down to 1937", () => {
  const customers = simulatedCustomers(30, new Random(7));
  assert.equal(customers.length, 30);
  assert.equal(new Set(customers.map((c) => c.email)).size, 30);
  for (const customer of customers) {
    assert.match(customer.email, /^[A-Z][a-z]+\.[A-Z][a-z]+@test\.com$/);
    assert.equal(customer.phone, "8015551212");
    assert.equal(customer.customerName, customer.email.split("@")[0]?.replace(".", " "));
  }
  assert.equal(simulatedBirthYear(0), 1965);
  assert.equal(simulatedBirthYear(28), 1937);
  assert.equal(customers[0]?.birthDay.slice(0, 4), "1965");
  assert.equal(customers[28]?.birthDay.slice(0, 4), "1937");
  assert.deepEqual(simulatedCustomers(30, new Random(7)), customers, "the same seed, the same customers");
  assert.equal(simulatedCustomers(100, new Random(1)).length, 30, "never more than 30");
});

test("the declining cohort is born 1950 to 1960, both included", () => {
  assert.deepEqual([1949, 1950, 1955, 1960, 1961].map(isDecliningCohort), [false, true, true, true, false]);
});

/** A Simulation over in-memory stand-ins for the customer and test services, recording when each test is saved. */
function recordingSimulation(customers: number): { simulation: Simulation; savedAt: number[] } {
  const savedAt: number[] = [];
  const known = new Map<string, Customer>();
  const fakeCustomers = {
    create: async (customer: Customer) => (known.set(customer.email, customer), customer),
    get: async (email: string) => known.get(email)!,
  } as unknown as Customers;
  const fakeTests = {
    record: async () => (savedAt.push(performance.now()), { queued: false }),
    history: async () => [],
  } as unknown as RapidStepTests;
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as FastifyBaseLogger;
  return { simulation: new Simulation({ customers: fakeCustomers, tests: fakeTests, log }, { speed: 1, seed: 1, customers, emailDomain: "test.com" }), savedAt };
}

test("a round spread over 300 ms saves its 3 tests 100 ms apart from its start; an unspread round back to back", async () => {
  const { simulation, savedAt } = recordingSimulation(3);
  const started = performance.now();
  await simulation.round(300);
  // Each test is due at start + index × 100 ms: never earlier (1 ms for timer rounding); a loaded
  // machine may make any of them late, so only the whole round has an upper bound.
  const offsets = savedAt.map((at) => Math.round(at - started));
  offsets.forEach((offset, index) => assert.ok(offset >= index * 100 - 1, `offsets ${offsets.join(", ")} ms`));
  assert.ok(offsets.at(-1)! < 1_000, `offsets ${offsets.join(", ")} ms`);
  savedAt.length = 0;
  await simulation.round();
  assert.ok(savedAt.at(-1)! - savedAt[0]! < 100, "no pause between the tests of an unspread round");
});

test("stopping a running simulation ends its spread round at once, without the round's remaining tests", async () => {
  const { simulation, savedAt } = recordingSimulation(30);
  await simulation.start();
  // The first rounds last a second: 30 tests about 33 ms apart.
  await new Promise((resolve) => setTimeout(resolve, 150));
  const stopping = performance.now();
  await simulation.stop();
  assert.ok(performance.now() - stopping < 300, "stop() waits for the test in progress only, not the round's ≈ 850 ms left");
  assert.ok(savedAt.length > 0 && savedAt.length < 30, `${savedAt.length} tests saved`);
});
