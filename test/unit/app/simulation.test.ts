import { test } from "node:test";
import assert from "node:assert/strict";
import { Random } from "../../../src/app/simulation/random.js";
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
