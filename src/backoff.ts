/**
 * The one back-off policy of the system (app, CDC source, jobs, supervisor): exponential from
 * `initialMs`, doubling per failed attempt, capped at `maxMs`. Pure, so its schedule is unit-tested.
 */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** The wait before retry number `attempt` (1 = after the first failure). */
export function backoffDelay(attempt: number, { initialMs, maxMs }: Backoff): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a whole number ≥ 1, not ${attempt}`);
  // The exponent is capped before 2 ** n can overflow to Infinity after many days of failures.
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30));
}
