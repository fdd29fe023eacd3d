/**
 * The rapid step test as the original app stored it: a JSON member of the `RapidStepTest` sorted set,
 * `{"token"?,"startTime","stepPoints"?,"stopTime","testTime","totalSteps","customer":{…Customer…}}`,
 * times in epoch milliseconds. The app never writes `token` (a session token is a secret and the
 * CDC source publishes this set) but reads members that carry one. Pure: no I/O.
 */
import { serializeCustomer, validateCustomer, type Customer } from "./customer.js";
import { parseJsonObject, type Parsed } from "./parsed.js";

/** A test is over at 30 steps (SPEC §4). */
export const STEPS_PER_TEST = 30;

export interface RapidStepTest {
  readonly token?: string;
  readonly startTime: number;
  /** Milliseconds each step took, in order (the original's timer page recorded them so). */
  readonly stepPoints?: readonly number[];
  readonly stopTime: number;
  readonly testTime: number;
  readonly totalSteps: number;
  readonly customer: Customer;
}

/** The timing part of a test as a client submits it (the customer is looked up separately). */
export type TestTiming = Pick<RapidStepTest, "startTime" | "stepPoints" | "stopTime" | "testTime" | "totalSteps">;

/** Byte-compatible with the original's JSON: the field order is part of the format. */
export function serializeRapidStepTest(test: RapidStepTest): string {
  const token = test.token === undefined ? "" : `"token":${JSON.stringify(test.token)},`;
  const stepPoints = test.stepPoints === undefined ? "" : `"stepPoints":${JSON.stringify(test.stepPoints)},`;
  return (
    `{${token}"startTime":${test.startTime},${stepPoints}"stopTime":${test.stopTime},` +
    `"testTime":${test.testTime},"totalSteps":${test.totalSteps},"customer":${serializeCustomer(test.customer)}}`
  );
}

/** How long the test took: stopTime − startTime, the duration the risk score compares. */
export function testDuration(test: Pick<RapidStepTest, "startTime" | "stopTime">): number {
  return test.stopTime - test.startTime;
}

const isMillis = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;

/**
 * The rules a finished test obeys: 30 steps, whole non-negative epoch milliseconds, stop after start,
 * testTime = stopTime − startTime, and when step points are given, one per step, none negative and
 * together no longer than the test.
 */
export function validateTestTiming(timing: TestTiming): Parsed<TestTiming> {
  if (timing.totalSteps !== STEPS_PER_TEST) {
    return { ok: false, reason: `totalSteps is ${timing.totalSteps}; a rapid step test ends at exactly ${STEPS_PER_TEST} steps` };
  }
  if (!isMillis(timing.startTime)) return { ok: false, reason: "startTime must be whole epoch milliseconds ≥ 0" };
  if (!isMillis(timing.stopTime)) return { ok: false, reason: "stopTime must be whole epoch milliseconds ≥ 0" };
  if (timing.stopTime <= timing.startTime) {
    return { ok: false, reason: `stopTime (${timing.stopTime}) must be after startTime (${timing.startTime})` };
  }
  if (timing.testTime !== timing.stopTime - timing.startTime) {
    return { ok: false, reason: `testTime is ${timing.testTime} but stopTime − startTime is ${timing.stopTime - timing.startTime}` };
  }
  if (timing.stepPoints !== undefined) {
    if (timing.stepPoints.length !== timing.totalSteps) {
      return { ok: false, reason: `stepPoints has ${timing.stepPoints.length} entries; expected one per step (${timing.totalSteps})` };
    }
    if (!timing.stepPoints.every(isMillis)) return { ok: false, reason: "stepPoints must be whole milliseconds ≥ 0" };
    const total = timing.stepPoints.reduce((sum, point) => sum + point, 0);
    if (total > timing.testTime) return { ok: false, reason: `stepPoints add up to ${total} ms, longer than the test (${timing.testTime} ms)` };
  }
  return { ok: true, value: timing };
}

/** A `RapidStepTest` sorted-set member → RapidStepTest (members written by the original included). */
export function parseRapidStepTest(json: string): Parsed<RapidStepTest> {
  const decoded = parseJsonObject(json, "rapid step test member");
  if (!decoded.ok) return decoded;
  const record = decoded.value;
  for (const field of ["startTime", "stopTime", "testTime", "totalSteps"] as const) {
    if (typeof record[field] !== "number") return { ok: false, reason: `${field} must be a number` };
  }
  if (record.stepPoints !== undefined && !(Array.isArray(record.stepPoints) && record.stepPoints.every((p) => typeof p === "number"))) {
    return { ok: false, reason: "stepPoints must be an array of numbers" };
  }
  if (record.token !== undefined && typeof record.token !== "string") return { ok: false, reason: "token must be a string" };
  const customer = validateCustomer(record.customer);
  if (!customer.ok) return customer;
  return {
    ok: true,
    value: {
      ...(record.token === undefined ? {} : { token: record.token as string }),
      startTime: record.startTime as number,
      ...(record.stepPoints === undefined ? {} : { stepPoints: record.stepPoints as number[] }),
      stopTime: record.stopTime as number,
      testTime: record.testTime as number,
      totalSteps: record.totalSteps as number,
      customer: customer.value,
    },
  };
}
