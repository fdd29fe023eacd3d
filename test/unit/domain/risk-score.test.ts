import { test } from "node:test";
import assert from "node:assert/strict";
import { riskScore, roundedScore } from "../../../src/domain/risk-score.js";

const email = "sam.test@test.com";
/** A test starting at `start` (seconds) and lasting `seconds`. */
const taken = (start: number, seconds: number) => ({ startTime: start * 1000, stopTime: start * 1000 + seconds * 1000, customer: { email } });

test("the score compares the two newest tests with the two before them", () => {
  // previous (3rd+4th newest) mean 100 s, current (2 newest) mean 93 s → 7.0, whatever the input order.
  const result = riskScore([taken(300, 92), taken(400, 94), taken(200, 99), taken(100, 101)]);
  assert.deepEqual(result, { ok: true, value: { customer: email, score: 7, riskDate: 494_000 } });
});

test("a customer who got slower scores below zero, one who got faster above", () => {
  const slower = riskScore([taken(0, 60), taken(100, 60), taken(200, 63), taken(300, 65)]);
  const faster = riskScore([taken(0, 65), taken(100, 63), taken(200, 60), taken(300, 60)]);
  assert.ok(slower.ok && slower.value.score < 0, "slower must be negative");
  assert.ok(faster.ok && faster.value.score > 0, "faster must be positive");
  assert.equal(slower.ok && slower.value.score, -4);
});

test("only the 4 newest by startTime count, and riskDate is the newest stopTime", () => {
  const result = riskScore([taken(500, 70), taken(0, 1000), taken(100, 80), taken(200, 80), taken(300, 70)]);
  assert.ok(result.ok);
  assert.equal(result.value.score, 10);
  assert.equal(result.value.riskDate, 570_000);
});

test("rounds half-up, away from zero, exactly", () => {
  // difference of sums in ms → score = difference / 2000
  assert.equal(roundedScore(2010, 0), 1.01); // 1.005 → 1.01 (Math.round(1.005 * 100) gives 1.00)
  assert.equal(roundedScore(0, 2010), -1.01); // -1.005 → -1.01
  assert.equal(roundedScore(2009, 0), 1); // 1.0045 → 1.00
  assert.equal(roundedScore(25, 0), 0.01); // 0.0125 → 0.01
  assert.equal(roundedScore(30, 0), 0.02); // 0.015 → 0.02
  assert.equal(roundedScore(1, 0), 0); // 0.0005 → 0.00
  assert.ok(Object.is(roundedScore(0, 1), 0), "never -0");
  assert.equal(roundedScore(57_000, 0), 28.5);
});

test("fewer than 4 tests: says how many more are needed", () => {
  const result = riskScore([taken(0, 60), taken(100, 60), taken(200, 60)]);
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.reason : "", /3 test\(s\) stored; 1 more needed/);
  assert.match((riskScore([]) as { reason: string }).reason, /4 more needed/);
});
