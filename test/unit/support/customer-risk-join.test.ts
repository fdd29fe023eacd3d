import { test } from "node:test";
import assert from "node:assert/strict";
import { compareJoin, customersIn, expectedJoin, rowOf } from "../../support/customer-risk-join.js";
import type { KafkaRecord } from "../../support/kafka.js";

const base64 = (text: string): string => Buffer.from(text).toString("base64");
const zadd = (...customers: { email: string; birthDay: string }[]): KafkaRecord => ({
  key: "Customer",
  value: JSON.stringify({ key: base64("Customer"), zSetEntries: customers.map((customer) => ({ element: base64(JSON.stringify(customer)), score: 0 })) }),
});
const score = (customer: string, value: number, riskDate: string): KafkaRecord => ({ key: customer, value: JSON.stringify({ customer, score: value, riskDate }) });
const written = (customer: string, value: number, birthYear: string): string => rowOf({ key: customer, value: JSON.stringify({ customer, score: String(value), email: customer, birthYear }) });

const customers = customersIn([
  zadd({ email: "Chris.Mendoza@test.com", birthDay: "1958-01-01" }),
  { key: "other", value: JSON.stringify({ key: base64("other"), zSetEntries: [] }) },
  // Saved again with another birthday: the first record is the customer, as the job's dedup keeps it.
  zadd({ email: "Chris.Mendoza@test.com", birthDay: "1990-01-01" }, { email: "Senthil.Jones@test.com", birthDay: "1956-05-05" }),
]);
// As in the topology run: one customer scores -3.28 on three days; one score re-sent; a stranger's score.
const events = [
  score("Chris.Mendoza@test.com", -3.28, "2026-01-01T10:00:00.000Z"),
  score("Chris.Mendoza@test.com", -3.28, "2026-01-01T11:00:00.000Z"),
  score("Chris.Mendoza@test.com", 1.5, "2026-01-01T11:30:00.000Z"),
  score("Chris.Mendoza@test.com", -3.28, "2026-01-01T12:00:00.000Z"),
  score("Chris.Mendoza@test.com", -3.28, "2026-01-01T12:00:00.000Z"),
  score("Senthil.Jones@test.com", 7, "2026-01-01T10:00:00.000Z"),
  score("Nobody@test.com", 2, "2026-01-01T10:00:00.000Z"),
];
const expected = expectedJoin(customers, events);
const exactJoin = [...Array(3).fill(written("Chris.Mendoza@test.com", -3.28, "1958")), written("Chris.Mendoza@test.com", 1.5, "1958"), written("Senthil.Jones@test.com", 7, "1956")];

test("the expected join has one row per distinct (customer, riskDate) score of a known customer, equal values counted apart", () => {
  assert.deepEqual(customers, new Map([["Chris.Mendoza@test.com", "1958"], ["Senthil.Jones@test.com", "1956"]]));
  assert.deepEqual(expected, new Map([["Chris.Mendoza@test.com|-3.28|1958", 3], ["Chris.Mendoza@test.com|1.5|1958", 1], ["Senthil.Jones@test.com|7|1956", 1]]));
});

test("a customer's equal scores on different days are not duplicates", () => {
  assert.deepEqual(compareJoin(expected, exactJoin), { expected: 5, written: 5, lost: [], unexpected: [], duplicated: 0 });
});

test("a score written twice is a duplicate, even when its value is expected more than once", () => {
  const comparison = compareJoin(expected, [...exactJoin, written("Chris.Mendoza@test.com", -3.28, "1958")]);
  assert.equal(comparison.duplicated, 1);
  assert.deepEqual([comparison.lost, comparison.unexpected], [[], []]);
});

test("one of several equal scores missing is lost", () => {
  const comparison = compareJoin(expected, exactJoin.slice(1));
  assert.deepEqual(comparison.lost, ["Chris.Mendoza@test.com|-3.28|1958"]);
  assert.equal(comparison.duplicated, 0);
});

test("a value outside the join is unexpected, whatever its count", () => {
  const comparison = compareJoin(expected, [...exactJoin, written("Nobody@test.com", 2, "1970"), written("Chris.Mendoza@test.com", 1.5, "1990")]);
  assert.deepEqual(comparison.unexpected, ["Nobody@test.com|2|1970", "Chris.Mendoza@test.com|1.5|1990"]);
  assert.deepEqual([comparison.lost, comparison.duplicated], [[], 0]);
});
