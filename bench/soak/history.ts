/**
 * The pure parts of `bench soak --history`: where a day of history lies in Kafka time, what state
 * the job must hold once it has read it, and the side-by-side table. No I/O: history-run.ts does it.
 *
 * A day of history is not an empty start with more rows: its records carry Kafka timestamps spread
 * over the past day, so the watermark (event time = Kafka timestamp) sees a day go by. What the job
 * then keeps (src/jobs/customer-risk.ts):
 * - every customer, twice: in the customers' dropDuplicates (its key has no event time) and on the
 *   join's customer side (a customer matches scores for ever);
 * - the scores of the last horizon + lateness on the join's score side: a score leaves once the
 *   watermark (newest timestamp − lateness) passes its time + horizon;
 * - the scores of the last 2 × lateness in dropDuplicatesWithinWatermark: a key expires at its
 *   time + lateness, once the watermark passes that.
 */

const UNIT_MS = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** "1 hour", "10 minutes", "90 seconds", "1 day" (the job's interval settings) in ms. */
export function intervalMs(interval: string): number {
  const match = /^(\d+) (second|minute|hour|day)s?$/i.exec(interval.trim());
  if (!match) throw new Error(`"${interval}" is not an interval like "1 hour" or "10 minutes"`);
  return Number(match[1]) * UNIT_MS[match[2]!.toLowerCase() as keyof typeof UNIT_MS];
}

/** The Kafka timestamp of record `index` of `count`, spread evenly over [endAt − spanMs, endAt). */
export function spreadTimestamp(index: number, count: number, endAt: number, spanMs: number): number {
  return endAt - spanMs + Math.floor((index * spanMs) / count);
}

export interface History {
  readonly customers: number;
  readonly scores: number;
  readonly spanMs: number;
}

/** `--history day` is issue 9's day: 2.5 M scores for 10 k customers over 24 h; the counts can be overridden. */
export function historyOf(name: string, scores?: number, customers?: number): History {
  if (name !== "day") throw new Error(`--history ${name}: the only history is "day" (set its size with --history-scores and --customers)`);
  const history = { customers: customers ?? 10_000, scores: scores ?? 2_500_000, spanMs: UNIT_MS.day };
  if (!(history.customers >= 1 && history.scores >= 0)) throw new Error("--customers must be ≥ 1 and --history-scores ≥ 0");
  return history;
}

export interface ExpectedState {
  readonly customerRows: number;
  readonly joinScoreRows: number;
  readonly dedupScoreRows: number;
  readonly total: number;
}

/**
 * The state rows the job holds right after reading `history` (its newest record just read), as the
 * file's comment derives them. Scores are spread evenly over the history's span.
 */
export function expectedState(history: History, horizonMs: number, latenessMs: number): ExpectedState {
  const scoresWithin = (ms: number): number => Math.round((history.scores * Math.min(ms, history.spanMs)) / history.spanMs);
  const customerRows = 2 * history.customers;
  const joinScoreRows = scoresWithin(horizonMs + latenessMs);
  const dedupScoreRows = scoresWithin(2 * latenessMs);
  return { customerRows, joinScoreRows, dedupScoreRows, total: customerRows + joinScoreRows + dedupScoreRows };
}

/** What one phase (empty start, or after the history) measured. */
export interface PhaseResult {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly events: number;
  readonly delivered: number;
  readonly batchMeanMs: number;
  readonly batchP90Ms: number;
  readonly stateRows: number;
  readonly stateBytes: number;
  readonly checkpointBytes: number;
  readonly load: string;
}

const MiB = 2 ** 20;

/** The two phases side by side, with day ÷ empty: what issue 9 bounds at ≤ 1.2 for latency. */
export function comparisonTable(empty: PhaseResult, day: PhaseResult): string[] {
  const rows: [string, number, number, (value: number) => string][] = [
    ["latency p50", empty.p50Ms, day.p50Ms, (ms) => `${ms.toFixed(0)} ms`],
    ["latency p90", empty.p90Ms, day.p90Ms, (ms) => `${ms.toFixed(0)} ms`],
    ["latency p99", empty.p99Ms, day.p99Ms, (ms) => `${ms.toFixed(0)} ms`],
    ["batch duration mean", empty.batchMeanMs, day.batchMeanMs, (ms) => `${ms.toFixed(0)} ms`],
    ["batch duration p90", empty.batchP90Ms, day.batchP90Ms, (ms) => `${ms.toFixed(0)} ms`],
    ["state rows", empty.stateRows, day.stateRows, (rows) => String(rows)],
    ["state memory", empty.stateBytes, day.stateBytes, (bytes) => `${(bytes / MiB).toFixed(1)} MiB`],
    ["checkpoint size", empty.checkpointBytes, day.checkpointBytes, (bytes) => `${(bytes / MiB).toFixed(1)} MiB`],
  ];
  const line = (label: string, a: string, b: string, ratio: string): string => `${label.padEnd(22)}${a.padStart(16)}${b.padStart(16)}${ratio.padStart(10)}`;
  return [
    line("", "empty history", "one day", "day/empty"),
    ...rows.map(([label, a, b, format]) => line(label, format(a), format(b), a > 0 ? `${(b / a).toFixed(2)}×` : "-")),
    line("delivered", `${empty.delivered}/${empty.events}`, `${day.delivered}/${day.events}`, ""),
    line("load average (1/5/15)", empty.load, day.load, ""),
  ];
}
