import { test } from "node:test";
import assert from "node:assert/strict";
import { compareJoin, customersIn, expectedJoin } from "../../support/customer-risk-join.js";
import type { KafkaRecord } from "../../support/kafka.js";

const base64 = (text: string): string => Buffer.from(text).toString("base64");
const zadd = (...customers: { email: string; birthDay: string }[]): KafkaRecord => ({
  key: "Customer",
  value: JSON.stringify({ key: base64("Customer"), zSetEntries: customers.map((customer) => ({ element: base64(JSON.stringify(customer)), score: 0 })) }),
});
const score = (customer: string, value: number, riskDate: string): KafkaRecord => ({ key: customer, value: JSON.stringify({ customer, score: value, riskDate }) });
/** A customer-risk record as the job writes it; without a riskDate, as it wrote them before the identity header. */
const written = (customer: string, value: number, birthYear: string, riskDate?: string): KafkaRecord => ({
  key: customer,
  value: JSON.stringify({ customer, score: String(value), email: customer, birthYear }),
  ...(riskDate === undefined ? {} : { headers: { "stedi-risk-date": riskDate } }),
});

const chris = "Chris.Mendoza@test.com";
const customers = customersIn([
  zadd({ email: chris, birthDay: "1958-01-01" }),
  { key: "other", value: JSON.stringify({ key: base64("other"), zSetEntries: [] }) },
  // Saved again with another birthday: the first record is the customer, as the job's dedup keeps it.
  zadd({ email: chris, birthDay: "1990-01-01" }, { email: "Senthil.Jones@test.com", birthDay: "1956-05-05" }),
]);
const [day1, day2, day3, day4] = ["2026-01-01T10:00:00.000Z", "2026-01-01T11:00:00.000Z", "2026-01-01T11:30:00.000Z", "2026-01-01T12:00:00.000Z"] as const;
// As in the topology run: one customer scores -3.28 on three days; one score re-sent; a stranger's score.
const events = [
  score(chris, -3.28, day1),
  score(chris, -3.28, day2),
  score(chris, 1.5, day3),
  score(chris, -3.28, day4),
  score(chris, -3.28, day4),
  score("Senthil.Jones@test.com", 7, day1),
  score("Nobody@test.com", 2, day1),
];
const expected = expectedJoin(customers, events);
const exactJoin = [written(chris, -3.28, "1958", day1), written(chris, -3.28, "1958", day2), written(chris, 1.5, "1958", day3), written(chris, -3.28, "1958", day4), written("Senthil.Jones@test.com", 7, "1956", day1)];
const clean = { lost: [], unexpected: [], rewritten: 0, rewrittenScores: 0, duplicated: 0, unidentified: 0 };

test("the expected join has one score per distinct (customer, riskDate) of a known customer", () => {
  assert.deepEqual(customers, new Map([[chris, "1958"], ["Senthil.Jones@test.com", "1956"]]));
  assert.deepEqual(
    [...expected].map(([identity, { row }]) => `${identity} → ${row}`),
    [`${chris}|${day1} → ${chris}|-3.28|1958`, `${chris}|${day2} → ${chris}|-3.28|1958`, `${chris}|${day3} → ${chris}|1.5|1958`, `${chris}|${day4} → ${chris}|-3.28|1958`, `Senthil.Jones@test.com|${day1} → Senthil.Jones@test.com|7|1956`],
  );
});

test("a customer's equal scores on different days are distinct scores, not re-writes", () => {
  assert.deepEqual(compareJoin(expected, exactJoin), { expected: 5, written: 5, ...clean });
});

test("a re-written batch (same identities, same values, again) is counted as re-written, not duplicated", () => {
  const comparison = compareJoin(expected, [...exactJoin, ...exactJoin.slice(0, 2), exactJoin[0]!]);
  assert.deepEqual(comparison, { expected: 5, written: 8, ...clean, rewritten: 3, rewrittenScores: 2 });
});

test("a score missing is lost even when an equal value of another day is written twice", () => {
  const comparison = compareJoin(expected, [exactJoin[0]!, exactJoin[0]!, ...exactJoin.slice(2)]);
  assert.deepEqual(comparison.lost, [`${chris}|-3.28|1958 (riskDate ${day2})`]);
  assert.deepEqual([comparison.rewritten, comparison.duplicated, comparison.unexpected], [1, 0, []]);
});

test("a score written with another value is unexpected, and with two values duplicated", () => {
  const comparison = compareJoin(expected, [...exactJoin, written(chris, 9, "1958", day1)]);
  assert.deepEqual(comparison.unexpected, [`${chris}|9|1958 (riskDate ${day1})`]);
  assert.equal(comparison.duplicated, 1);
  const wrongOnly = compareJoin(expected, [written(chris, 9, "1958", day1), ...exactJoin.slice(1)]);
  assert.deepEqual([wrongOnly.lost, wrongOnly.unexpected, wrongOnly.duplicated], [[`${chris}|-3.28|1958 (riskDate ${day1})`], [`${chris}|9|1958 (riskDate ${day1})`], 0]);
});

test("a score outside the join is unexpected: a stranger, a riskDate never published, a birth year not the first", () => {
  const comparison = compareJoin(expected, [...exactJoin, written("Nobody@test.com", 2, "1970", day1), written(chris, -3.28, "1958", "2026-01-02T00:00:00.000Z"), written(chris, 1.5, "1990", day3)]);
  assert.deepEqual(comparison.unexpected.toSorted(), [`${chris}|-3.28|1958 (riskDate 2026-01-02T00:00:00.000Z)`, `${chris}|1.5|1990 (riskDate ${day3})`, `Nobody@test.com|2|1970 (riskDate ${day1})`]);
  assert.deepEqual([comparison.lost, comparison.duplicated, comparison.rewritten], [[], 1, 0]);
});

test("records without the header are matched by value, as a multiset, and counted as unidentified", () => {
  const legacy = exactJoin.map((record) => ({ key: record.key, value: record.value }));
  assert.deepEqual(compareJoin(expected, legacy), { expected: 5, written: 5, ...clean, unidentified: 5 });
  // Two identified and three header-less records make the join; one header-less more is a duplicate, one fewer a loss.
  const mixed = [...exactJoin.slice(0, 2), ...legacy.slice(2)];
  assert.deepEqual(compareJoin(expected, mixed), { expected: 5, written: 5, ...clean, unidentified: 3 });
  assert.equal(compareJoin(expected, [...mixed, legacy[3]!]).duplicated, 1);
  assert.deepEqual(compareJoin(expected, mixed.slice(0, 4)).lost, [`Senthil.Jones@test.com|7|1956 (riskDate ${day1})`]);
  assert.deepEqual(compareJoin(expected, [...mixed, written("Nobody@test.com", 2, "1970")]).unexpected, ["Nobody@test.com|2|1970"]);
});
