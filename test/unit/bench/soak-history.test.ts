import { test } from "node:test";
import assert from "node:assert/strict";
import { comparisonTable, expectedState, historyOf, intervalMs, spreadTimestamp, type PhaseResult } from "../../../bench/soak/history.js";

test("the job's interval settings convert to ms", () => {
  assert.equal(intervalMs("1 hour"), 3_600_000);
  assert.equal(intervalMs("10 minutes"), 600_000);
  assert.equal(intervalMs("90 seconds"), 90_000);
  assert.equal(intervalMs("1 day"), 86_400_000);
  assert.throws(() => intervalMs("an hour"), /not an interval/);
});

test("a history's timestamps cover its span, oldest first, none in the future", () => {
  const endAt = 1_800_000_000_000;
  const day = 86_400_000;
  const stamps = Array.from({ length: 1000 }, (_, index) => spreadTimestamp(index, 1000, endAt, day));
  assert.equal(stamps[0], endAt - day);
  assert.ok(stamps.at(-1)! < endAt && stamps.at(-1)! > endAt - day / 999);
  assert.ok(stamps.every((stamp, index) => index === 0 || stamp > stamps[index - 1]!));
});

test("a day of history is issue 9's 2.5 M scores for 10 k customers unless overridden", () => {
  assert.deepEqual(historyOf("day"), { customers: 10_000, scores: 2_500_000, spanMs: 86_400_000 });
  assert.deepEqual(historyOf("day", 1000, 10), { customers: 10, scores: 1000, spanMs: 86_400_000 });
  assert.throws(() => historyOf("week"), /only history is "day"/);
  assert.throws(() => historyOf("day", 10, 0), /customers/);
});

test("after a day the job keeps every customer twice and only the scores within the horizon", () => {
  // 2.4 M scores a day = 100 000 an hour; horizon 1 h, lateness 10 min.
  const state = expectedState({ customers: 10_000, scores: 2_400_000, spanMs: 86_400_000 }, 3_600_000, 600_000);
  assert.equal(state.customerRows, 20_000);
  assert.equal(state.joinScoreRows, 116_667);
  assert.equal(state.dedupScoreRows, 33_333);
  assert.equal(state.total, 20_000 + 116_667 + 33_333);
  // A history shorter than the horizon keeps all its scores on the join's side.
  assert.equal(expectedState({ customers: 1, scores: 500, spanMs: 600_000 }, 3_600_000, 600_000).joinScoreRows, 500);
});

test("the comparison puts day ÷ empty beside each figure", () => {
  const empty: PhaseResult = { p50Ms: 500, p90Ms: 800, p99Ms: 1000, events: 100, delivered: 100, batchMeanMs: 400, batchP90Ms: 600, stateRows: 300, stateBytes: 2 ** 20, checkpointBytes: 4 * 2 ** 20, load: "3.0/2.0/1.0" };
  const day: PhaseResult = { ...empty, p50Ms: 550, stateRows: 150_000, delivered: 99, load: "4.0/3.0/2.0" };
  const lines = comparisonTable(empty, day);
  const row = (label: string): string => lines.find((line) => line.startsWith(label))!;
  assert.match(row("latency p50"), /500 ms\s+550 ms\s+1\.10×$/);
  assert.match(row("state rows"), /300\s+150000\s+500\.00×$/);
  assert.match(row("delivered"), /100\/100\s+99\/100/);
  assert.match(row("load average"), /3\.0\/2\.0\/1\.0\s+4\.0\/3\.0\/2\.0/);
});
