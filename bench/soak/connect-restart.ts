/**
 * `bench soak --restart-connect-at M`: restarts the Spark Connect server the way the running system
 * would live through it, and splits the latencies around it.
 *
 * Under `stedi start` the supervisor owns the server: the bench only stops it (SIGTERM, as an
 * operator or the OOM killer's milder cousin would) and waits for the supervisor to bring it back.
 * Starting one itself as well would race the supervisor's restart (two servers on one port, two
 * sets of executors on two cores), which is not what the system does after a crash. Without a
 * supervisor the bench restarts the server itself.
 */
import type { StediConfig } from "../../src/config.js";
import { readSupervisorState } from "../../src/cli/supervisor.js";
import { stackLayout } from "../../src/stack/layout.js";
import { readPid, terminate } from "../../src/stack/processes.js";
import { serviceByName, serviceDown, serviceUp } from "../../src/stack/stack.js";
import { setTimeout as sleep } from "node:timers/promises";
import { percentile, type Latency } from "./sampler.js";

export interface ConnectRestart {
  /** When the old server was asked to stop, when it had stopped, when the new one answered. */
  readonly stoppingAt: number;
  readonly stoppedAt: number;
  readonly servingAt: number;
  readonly by: "supervisor" | "bench";
}

export async function restartConnect(config: StediConfig, log: (message: string) => void): Promise<ConnectRestart> {
  const supervised = (await readSupervisorState(config.runtimeDir))?.services.some((service) => service.name === "spark-connect") ?? false;
  const stoppingAt = Date.now();
  if (!supervised) {
    await serviceDown(config, "spark-connect", log);
    const stoppedAt = Date.now();
    await serviceUp(config, "spark-connect", log);
    return { stoppingAt, stoppedAt, servingAt: Date.now(), by: "bench" };
  }
  const record = await readPid(stackLayout(config).pidsDir, "spark-connect");
  if (!record) throw new Error("the supervisor runs a Connect server, but it has no pid file");
  await terminate(record);
  const stoppedAt = Date.now();
  log(`spark-connect: stopped (pid ${record.pid}, ${((stoppedAt - stoppingAt) / 1000).toFixed(1)} s); waiting for the supervisor to restart it`);
  const service = serviceByName(config, "spark-connect")!;
  const deadline = Date.now() + 300_000;
  while (!(await service.probe(config)).healthy) {
    if (Date.now() > deadline) throw new Error("the supervisor did not bring the Connect server back within 5 minutes");
    await sleep(250);
  }
  return { stoppingAt, stoppedAt, servingAt: Date.now(), by: "supervisor" };
}

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly count: number;
}

function summary(samples: readonly Latency[]): LatencySummary {
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), count: sorted.length };
}

export interface RestartWindows {
  readonly steady: LatencySummary;
  /** Events sent while the server was away or starting: they wait for it, whatever the job does. */
  readonly sentWhileAway: LatencySummary;
  /** Events sent in the first and second minute after the server answered again. */
  readonly firstMinute: LatencySummary;
  readonly secondMinute: LatencySummary;
  /** Everything delivered in the first minute after the server answered (the backlog included). */
  readonly deliveredInFirstMinute: LatencySummary;
}

/**
 * The latencies around a restart, by when each event was sent (its record's time minus its
 * latency), and, for the backlog's share, by when it was delivered. `steadyFrom` skips the warm-up.
 */
export function restartWindows(samples: readonly Latency[], restart: ConnectRestart, steadyFrom: number): RestartWindows {
  const sentAt = (sample: Latency): number => sample.at - sample.ms;
  const sentIn = (from: number, to: number): Latency[] => samples.filter((sample) => sentAt(sample) >= from && sentAt(sample) < to);
  return {
    steady: summary(sentIn(steadyFrom, restart.stoppingAt)),
    sentWhileAway: summary(sentIn(restart.stoppingAt, restart.servingAt)),
    firstMinute: summary(sentIn(restart.servingAt, restart.servingAt + 60_000)),
    secondMinute: summary(sentIn(restart.servingAt + 60_000, restart.servingAt + 120_000)),
    deliveredInFirstMinute: summary(samples.filter((sample) => sample.at >= restart.servingAt && sample.at < restart.servingAt + 60_000)),
  };
}

export function describeWindows(windows: RestartWindows): string[] {
  const line = (label: string, window: LatencySummary, ratio = true): string =>
    `${label.padEnd(52)} p50 ${String(window.p50).padStart(7)} ms, p90 ${String(window.p90).padStart(7)} ms (${window.count} events)` +
    (ratio && window.count > 0 ? `; ${(window.p50 / windows.steady.p50).toFixed(2)}× / ${(window.p90 / windows.steady.p90).toFixed(2)}× steady` : "");
  return [
    line("steady, before the restart", windows.steady, false),
    line("sent while the server was away or starting", windows.sentWhileAway),
    line("sent in the first minute after it answered", windows.firstMinute),
    line("sent in the second minute", windows.secondMinute),
    line("delivered in the first minute (backlog included)", windows.deliveredInFirstMinute),
  ];
}
