import { test } from "node:test";
import assert from "node:assert/strict";
import { backoffMs, DEFAULT_RETRY_POLICY } from "../../../packages/spark-connect/src/client/retry.js";
import { backoffDelay } from "../../../src/backoff.js";
import { JOB_RETRY_POLICY, RETRY_BACKOFF } from "../../../src/jobs/job-process.js";

const schedule = (policy: typeof DEFAULT_RETRY_POLICY): number[] => Array.from({ length: policy.maxRetries }, (_, attempt) => backoffMs(policy, attempt, undefined, () => 0));

test("regression: a Connect server back after a restart waits at most about a second for the job's next call", () => {
  const job = { ...DEFAULT_RETRY_POLICY, ...JOB_RETRY_POLICY };
  const waits = schedule(job);
  assert.ok(Math.max(...waits) <= 1_000, `waits ${waits.join(", ")}`);
  // The call still rides out a blip of a few seconds before the job's own loop takes over …
  const total = waits.reduce((sum, ms) => sum + ms, 0);
  assert.ok(total >= 3_000 && total <= 10_000, `rides out ${total} ms`);
  // … where the client's default would have slept 51 s and more between two attempts.
  assert.ok(Math.max(...schedule(DEFAULT_RETRY_POLICY)) >= 50_000);
});

test("the job's reconnect loop tries at least every 5 s however long the server was away", () => {
  assert.equal(backoffDelay(1, RETRY_BACKOFF), 1_000);
  assert.equal(backoffDelay(20, RETRY_BACKOFF), 5_000);
});
