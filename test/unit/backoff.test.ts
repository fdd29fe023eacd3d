import { test } from "node:test";
import assert from "node:assert/strict";
import { backoffDelay } from "../../src/backoff.js";
import { describeError } from "../../src/describe-error.js";

test("back-off doubles from the initial delay and stops at the cap, even after days of failures", () => {
  const policy = { initialMs: 250, maxMs: 10_000 };
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(attempt, policy)), [250, 500, 1000, 2000, 4000, 8000, 10_000]);
  assert.equal(backoffDelay(1_000_000, policy), 10_000);
  assert.throws(() => backoffDelay(0, policy), /attempt must be a whole number ≥ 1/);
});

test("an error with nested causes reads as one line, repeated causes once", () => {
  const refused = new Error("connect ECONNREFUSED 127.0.0.1:9");
  const broker = new AggregateError([refused, refused], "Cannot connect to any broker.");
  assert.equal(describeError(new AggregateError([broker], "initProducerId failed 3 times.")), "initProducerId failed 3 times. (Cannot connect to any broker. (connect ECONNREFUSED 127.0.0.1:9))");
  assert.equal(describeError(new Error("outer", { cause: new Error("inner") })), "outer (inner)");
  assert.equal(describeError("plain"), "plain");
});
