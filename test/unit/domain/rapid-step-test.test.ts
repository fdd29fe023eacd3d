import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRapidStepTest, serializeRapidStepTest, validateTestTiming } from "../../../src/domain/rapid-step-test.js";

const customer = { customerName: "Sam Test", email: "sam.test@test.com", phone: "8015551212", birthDay: "2001-01-03" };
const steps = Array.from({ length: 30 }, () => 2000);
const timing = { startTime: 1_600_000_000_000, stepPoints: steps, stopTime: 1_600_000_061_000, testTime: 61_000, totalSteps: 30 };

test("serialises in the original's field order; token only when present", () => {
  const json = serializeRapidStepTest({ ...timing, stepPoints: [1, 2], customer });
  assert.equal(
    json,
    '{"startTime":1600000000000,"stepPoints":[1,2],"stopTime":1600000061000,"testTime":61000,"totalSteps":30,"customer":{"customerName":"Sam Test","email":"sam.test@test.com","phone":"8015551212","birthDay":"2001-01-03"}}',
  );
  // The original's members carry a token first; written out in full, not spliced into the JSON above.
  const original =
    '{"token":"abc","startTime":1600000000000,"stepPoints":[1,2],"stopTime":1600000061000,"testTime":61000,"totalSteps":30,"customer":{"customerName":"Sam Test","email":"sam.test@test.com","phone":"8015551212","birthDay":"2001-01-03"}}';
  assert.equal(serializeRapidStepTest({ token: "abc", ...timing, stepPoints: [1, 2], customer }), original);
  const parsed = parseRapidStepTest(original);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value, { token: "abc", ...timing, stepPoints: [1, 2], customer });
  assert.equal(serializeRapidStepTest(parsed.value), original);
});

test("a finished test has 30 steps and sane times", () => {
  assert.equal(validateTestTiming(timing).ok, true);
  const cases: [object, RegExp][] = [
    [{ totalSteps: 29 }, /exactly 30 steps/],
    [{ totalSteps: 31 }, /exactly 30 steps/],
    [{ startTime: -5 }, /startTime/],
    [{ stopTime: 1.5 }, /stopTime/],
    [{ stopTime: timing.startTime - 1 }, /must be after startTime/],
    [{ stopTime: timing.startTime }, /must be after startTime/],
    [{ testTime: 5 }, /testTime is 5/],
    [{ stepPoints: steps.slice(1) }, /29 entries/],
    [{ stepPoints: [...steps.slice(1), -1] }, /≥ 0/],
    [{ stepPoints: steps.map(() => 3000) }, /longer than the test/],
  ];
  for (const [change, reason] of cases) {
    const result = validateTestTiming({ ...timing, ...change });
    assert.equal(result.ok, false, JSON.stringify(change));
    assert.match(!result.ok ? result.reason : "", reason);
  }
});

test("members that do not decode are reasons", () => {
  for (const bad of ["x", "[]", '{"startTime":"1"}', `{"startTime":1,"stopTime":2,"testTime":1,"totalSteps":30,"customer":null}`]) {
    assert.equal(parseRapidStepTest(bad).ok, false, bad);
  }
});
