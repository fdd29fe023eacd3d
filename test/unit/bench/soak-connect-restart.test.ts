import { test } from "node:test";
import assert from "node:assert/strict";
import { describeWindows, restartWindows, type ConnectRestart } from "../../../bench/soak/connect-restart.js";
import type { Latency } from "../../../bench/soak/sampler.js";

// The server is asked to stop at 100 s and answers again at 130 s.
const restart: ConnectRestart = { stoppingAt: 100_000, stoppedAt: 105_000, servingAt: 130_000, by: "supervisor" };
/** An event sent at `sentS` seconds that took `ms` to come out. */
const event = (sentS: number, ms: number): Latency => ({ at: sentS * 1000 + ms, ms });

test("latencies around a Connect restart are split by when each event was sent", () => {
  const samples = [
    event(5, 9_000), // warm-up: before steadyFrom
    ...[20, 40, 60, 80].map((s) => event(s, 500)),
    ...[101, 110, 120].map((s) => event(s, 40_000 - (s - 100) * 1000)), // waited for the server
    ...[131, 140, 150].map((s) => event(s, 1_000)),
    ...[191, 200].map((s) => event(s, 600)),
  ];
  const windows = restartWindows(samples, restart, 10_000);
  assert.deepEqual(windows.steady, { p50: 500, p90: 500, p99: 500, count: 4 });
  assert.equal(windows.sentWhileAway.count, 3);
  assert.equal(windows.sentWhileAway.p90, 39_000);
  assert.deepEqual(windows.firstMinute, { p50: 1_000, p90: 1_000, p99: 1_000, count: 3 });
  assert.deepEqual(windows.secondMinute, { p50: 600, p90: 600, p99: 600, count: 2 });
  // Delivered in [130 s, 190 s): the backlog (out at 140, 141, 140 s) and the first minute's events.
  assert.equal(windows.deliveredInFirstMinute.count, 6);
  assert.equal(windows.deliveredInFirstMinute.p90, 39_000);
});

test("each window is printed beside its ratio to steady", () => {
  const windows = restartWindows([event(20, 500), event(131, 1_000)], restart, 10_000);
  const lines = describeWindows(windows);
  assert.match(lines[0]!, /^steady, before the restart\s+p50 +500 ms, p90 +500 ms \(1 events\)$/);
  assert.match(lines[2]!, /first minute.*p50 +1000 ms.*\(1 events\); 2\.00× \/ 2\.00× steady$/);
  assert.match(lines[3]!, /second minute.*\(0 events\)$/);
});
