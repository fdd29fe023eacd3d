/**
 * How a session turns result values into JavaScript, chosen once per session on the builder
 * (`SparkSession.builder().resultOptions({ int64: "bigint" })`). Every rule holds per column: a
 * column never mixes `number` and `bigint` values.
 */

/**
 * `bigint` (int64) columns:
 * - `"exact"` (default): a column is `number` when every value of it in the result is a safe
 *   integer (|v| ≤ 2^53 − 1), else the whole column is `bigint`. `toLocalIterator()` cannot see
 *   the rows ahead, so there the first batch decides and a later value that does not fit fails.
 * - `"number"`: always `number`; a value outside the safe range fails instead of losing precision.
 * - `"bigint"`: always `bigint`.
 */
export type Int64Mode = "exact" | "number" | "bigint";

/**
 * `timestamp` / `timestamp_ntz` values: `"date"` (default) a `Date` (millisecond precision, UTC),
 * or `"micros"` the exact microseconds since the epoch as a `bigint`. `date` columns are always `Date`.
 */
export type TimestampMode = "date" | "micros";

/** How a session decodes results (`SparkSession.builder().resultOptions(…)`). */
export interface ResultOptions {
  readonly int64: Int64Mode;
  readonly timestamp: TimestampMode;
}

export const DEFAULT_RESULT_OPTIONS: ResultOptions = { int64: "exact", timestamp: "date" };

const INT64_MODES: readonly Int64Mode[] = ["exact", "number", "bigint"];
const TIMESTAMP_MODES: readonly TimestampMode[] = ["date", "micros"];

/** The full options, failing early (at build time, not at the first collect) on an unknown mode. */
export function resolveResultOptions(options: Partial<ResultOptions>, base: ResultOptions = DEFAULT_RESULT_OPTIONS): ResultOptions {
  const merged = { ...base, ...options };
  if (!INT64_MODES.includes(merged.int64)) throw new TypeError(`resultOptions.int64 must be one of ${INT64_MODES.join(", ")}, not ${String(merged.int64)}`);
  if (!TIMESTAMP_MODES.includes(merged.timestamp)) {
    throw new TypeError(`resultOptions.timestamp must be one of ${TIMESTAMP_MODES.join(", ")}, not ${String(merged.timestamp)}`);
  }
  return merged;
}
