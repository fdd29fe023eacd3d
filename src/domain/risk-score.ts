/**
 * The STEDI risk score (SPEC §4). From a customer's 4 most recent tests by startTime:
 *   current  = mean duration (stopTime − startTime) of the 2 newest,
 *   previous = mean duration of the 3rd and 4th newest,
 *   score    = (previous − current) / 1000 seconds, rounded half-up (away from zero) to 2 decimals,
 *   riskDate = stopTime of the newest test.
 * The sign: a customer who got faster scores above zero, one who got slower scores below zero.
 * Pure: no I/O.
 */
import type { Parsed } from "./parsed.js";
import { testDuration, type RapidStepTest } from "./rapid-step-test.js";

export const TESTS_FOR_RISK_SCORE = 4;

export interface RiskScore {
  readonly customer: string;
  readonly score: number;
  /** Epoch milliseconds; written as ISO-8601 in stedi-events. */
  readonly riskDate: number;
}

type TimedTest = Pick<RapidStepTest, "startTime" | "stopTime"> & { readonly customer: { readonly email: string } };

/**
 * `(previousSum − currentSum) / 2000` rounded half away from zero to 2 decimals, exactly: with whole
 * milliseconds the score in hundredths is `difference / 20`, so integer arithmetic avoids the
 * binary-floating-point traps of `Math.round(x * 100) / 100` (1.005 → 1.00).
 */
export function roundedScore(previousSumMs: number, currentSumMs: number): number {
  const difference = previousSumMs - currentSumMs;
  const hundredths = Math.floor((Math.abs(difference) + 10) / 20);
  const score = (Math.sign(difference) * hundredths) / 100;
  return score === 0 ? 0 : score; // never -0
}

/** Tests in any order → the score, or how many more tests are needed. */
export function riskScore(tests: readonly TimedTest[]): Parsed<RiskScore> {
  if (tests.length < TESTS_FOR_RISK_SCORE) {
    const missing = TESTS_FOR_RISK_SCORE - tests.length;
    return { ok: false, reason: `${tests.length} test(s) stored; ${missing} more needed for a risk score (it takes ${TESTS_FOR_RISK_SCORE})` };
  }
  const [newest, second, third, fourth] = [...tests].sort((a, b) => b.startTime - a.startTime) as [TimedTest, TimedTest, TimedTest, TimedTest];
  const currentSum = testDuration(newest) + testDuration(second);
  const previousSum = testDuration(third) + testDuration(fourth);
  return { ok: true, value: { customer: newest.customer.email, score: roundedScore(previousSum, currentSum), riskDate: newest.stopTime } };
}
