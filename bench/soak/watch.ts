/**
 * `npm run bench -- soak [--minutes 60] [--interval 60] [--restart-connect-at M] [--start]`: watches
 * a running STEDI (the one at STEDI_HOME, e.g. `npm start` with the simulation) and prints, every
 * --interval seconds, one line: batch duration (mean, max), event → customer-risk latency
 * (p50/p99), state rows and MiB, disk per part of the runtime folder, and RSS of all its processes.
 * At the end: the growth per hour of disk and RSS (least squares over the series) extrapolated to
 * 24 h against the targets (10 GB, 4 GiB; RSS both over the whole run and from when the job's state
 * is bounded, horizon + lateness after the start), and whether batch duration and latency trend upwards.
 * --restart-connect-at M restarts the Spark Connect server after M minutes and prints the first
 * minute's p50/p90 after the restart beside the steady figures before it.
 * --start runs `stedi start` itself (simulation on, at --sim-speed) for the duration, and stops it after.
 * The restart itself, and the latencies around it: bench/soak/connect-restart.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdir } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { StediConfig } from "../../src/config.js";
import { LOG_ROLLING } from "../../src/log-file.js";
import { kafkaTopicConfigs } from "../../src/stack/services/kafka.js";
import { intervalMs as sparkIntervalMs } from "./history.js";
import { describeWindows, restartConnect, restartWindows, type ConnectRestart } from "./connect-restart.js";
import { DISK_PARTS, LogFollower, TopicLatency, diskUsage, parseBatchLine, percentile, processMemory, slope, type BatchLine, type Latency } from "./sampler.js";

export interface WatchOptions {
  readonly minutes: number;
  readonly intervalMs: number;
  /** When to restart the Spark Connect server, in ms after the start; never when undefined. */
  readonly restartAtMs: number | undefined;
  readonly start: boolean;
  /** The simulation's speed for --start (1: a round a minute; 60: a round a second). */
  readonly simSpeed: number;
}

interface Sample {
  readonly minute: number;
  readonly batches: BatchLine[];
  readonly latencies: number[];
  readonly disk: Awaited<ReturnType<typeof diskUsage>>;
  readonly rssBytes: number;
  /** RSS by process name (a restarted process continues its line). */
  readonly rssByProcess: ReadonlyMap<string, number>;
}

export async function watch(config: StediConfig, options: WatchOptions): Promise<void> {
  const { minutes, intervalMs, restartAtMs } = options;
  const home = config.runtimeDir;
  const say = (message: string): void => void process.stdout.write(`${message}\n`);
  const MiB = 2 ** 20;
  const mib = (bytes: number): string => (bytes / MiB).toFixed(1);

  let system: ChildProcess | undefined;
  if (options.start) {
    say(`starting \`stedi start\` at ${home}…`);
    system = spawn(process.execPath, ["dist/cli.js", "start", "--sim-speed", String(options.simSpeed)], { stdio: ["ignore", "inherit", "inherit"] });
    const joinLog = join(home, "logs", "kafkajoinconsole.log");
    const follower = new LogFollower(joinLog, false);
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline && !(await follower.newLines()).some((line) => parseBatchLine(line) !== undefined)) await sleep(1000);
  }

  const batchLog = await LogFollower.atEnd(join(home, "logs", "kafkajoinconsole.log"));
  const latency = await TopicLatency.start(config.kafka.broker, config.kafka.topics.stediEvents, config.kafka.topics.customerRisk);
  const started = Date.now();
  const samples: Sample[] = [];
  let restart: ConnectRestart | undefined;
  const allLatencies: Latency[] = [];
  /** The highest RSS each process reached (by name: a restarted process continues its line). */
  const peakRss = new Map<string, number>();
  const allBatches: BatchLine[] = [];

  say(`sampling ${home} every ${intervalMs / 1000} s for ${minutes} min`);
  say(["min", "batches", "batch ms mean/max", "p50 ms", "p99 ms", "state rows", "state MiB", ...DISK_PARTS.map((part) => `${part} MiB`), "total MiB", "RSS MiB"].join("\t"));
  try {
    while (Date.now() - started < minutes * 60_000) {
      const next = started + (samples.length + 1) * intervalMs;
      if (restartAtMs !== undefined && restart === undefined && next - started > restartAtMs) {
        await sleep(Math.max(0, started + restartAtMs - Date.now()));
        say(`restarting the Spark Connect server (minute ${((Date.now() - started) / 60_000).toFixed(1)})…`);
        restart = await restartConnect(config, (message) => say(`  ${message}`));
        say(`  Connect server answering again ${((restart.servingAt - restart.stoppingAt) / 1000).toFixed(1)} s after the stop began (stopping took ${((restart.stoppedAt - restart.stoppingAt) / 1000).toFixed(1)} s; restarted by the ${restart.by}; load ${loadavg().map((value) => value.toFixed(1)).join("/")})`);
      }
      await sleep(Math.max(0, next - Date.now()));
      const batches = (await batchLog.newLines()).map(parseBatchLine).filter((line): line is BatchLine => line !== undefined);
      allBatches.push(...batches);
      const taken = latency.take();
      allLatencies.push(...taken);
      const latencies = taken.map((sample) => sample.ms).sort((a, b) => a - b);
      const disk = await diskUsage(home);
      const processes = await processMemory(home);
      const rssBytes = processes.reduce((sum, each) => sum + each.rssBytes, 0);
      const rssByProcess = new Map<string, number>();
      for (const each of processes) {
        peakRss.set(each.name, Math.max(peakRss.get(each.name) ?? 0, each.rssBytes));
        rssByProcess.set(each.name, (rssByProcess.get(each.name) ?? 0) + each.rssBytes);
      }
      const sample: Sample = { minute: (Date.now() - started) / 60_000, batches, latencies, disk, rssBytes, rssByProcess };
      samples.push(sample);
      const durations = batches.map((batch) => batch.durationMs);
      const last = batches.at(-1);
      say(
        [
          sample.minute.toFixed(1),
          batches.length,
          durations.length ? `${(durations.reduce((a, b) => a + b, 0) / durations.length).toFixed(0)}/${Math.max(...durations)}` : "-",
          percentile(latencies, 50).toFixed(0),
          percentile(latencies, 99).toFixed(0),
          last?.stateRows ?? "-",
          last?.stateMiB ?? "-",
          ...DISK_PARTS.map((part) => mib(disk[part])),
          mib(disk.total),
          mib(rssBytes),
        ].join("\t"),
      );
      if (samples.length === 1 || samples.length % 10 === 0) say(`  RSS by process: ${processes.map((each) => `${each.name} ${mib(each.rssBytes)}`).join(", ")}`);
    }
  } finally {
    await latency.close();
  }

  const hours = (sample: Sample): number => sample.minute / 60;
  // The first sample is the warm-up (topics filling, state building): growth is measured after it.
  const steady = samples.slice(1);
  /** A value now and its growth per hour, carried on linearly to hour 24 of the run. */
  const at24h = (now: number, perHour: number): number => now + perHour * (24 - hours(samples.at(-1)!));
  const rssPerHour = (over: readonly Sample[]): number => slope(over.map((sample) => ({ x: hours(sample), y: sample.rssBytes })));
  say("\ngrowth per hour (least squares over the samples after the first), extrapolated to 24 h:");
  // Kafka deletes whole segments past each topic's retention.bytes: its disk stops there (per
  // partition: the retained bytes plus the active segment), however fast the topics grow.
  const kafkaCap = Object.values(config.kafka.topics).reduce((sum, topic) => {
    const settings = Object.fromEntries(kafkaTopicConfigs(config, topic).map((setting) => [setting.name, Number(setting.value)]));
    return sum + config.kafka.partitions * ((settings["retention.bytes"] ?? 0) + (settings["segment.bytes"] ?? 0));
  }, 0);
  // Every log rolls at LOG_ROLLING (the JVMs' log4j2 the same): a log and its rolled files stop there.
  const logNames = (await readdir(join(home, "logs")).catch(() => [] as string[])).filter((name) => !/\.\d+$/.test(name));
  const logsCap = logNames.length * LOG_ROLLING.maxBytes * (LOG_ROLLING.rolledFiles + 1);
  const caps: Partial<Record<(typeof DISK_PARTS)[number], { bytes: number; by: string }>> = {
    kafka: { bytes: kafkaCap, by: "the topics' retention.bytes" },
    logs: { bytes: logsCap, by: `rolling, ${logNames.length} logs` },
  };
  let projectedTotal = 0;
  for (const part of DISK_PARTS) {
    const perHour = slope(steady.map((sample) => ({ x: hours(sample), y: sample.disk[part] })));
    const now = samples.at(-1)?.disk[part] ?? 0;
    const linear = Math.max(0, at24h(now, perHour));
    const cap = caps[part];
    const projected = cap ? Math.min(linear, cap.bytes) : linear;
    projectedTotal += projected;
    const capped = cap && projected < linear ? ` (linear ${(linear / 1e9).toFixed(2)} GB, capped by ${cap.by})` : "";
    say(`  ${part.padEnd(12)} now ${mib(now).padStart(9)} MiB, ${mib(perHour).padStart(8)} MiB/h → 24 h ≈ ${(projected / 1e9).toFixed(2)} GB${capped}`);
  }
  say(`  disk in all  → 24 h ≈ ${(projectedTotal / 1e9).toFixed(2)} GB (target ≤ 10 GB)`);
  const rssSlope = rssPerHour(steady);
  const rssNow = samples.at(-1)?.rssBytes ?? 0;
  say(`  RSS          now ${mib(rssNow).padStart(9)} MiB, ${mib(rssSlope).padStart(8)} MiB/h over the run, warm-up included → 24 h ≈ ${(at24h(rssNow, rssSlope) / 2 ** 30).toFixed(2)} GiB`);
  // Two things grow by design in the first minutes and then stop: the job's state, until it holds a
  // horizon and a lateness of scores, and the JVMs' compiled code and classes. Carried on linearly,
  // that warm-up would project growth that never comes, so the target is judged on the growth after
  // it (the second half of a run too short to reach it).
  const settledMinute = (sparkIntervalMs(config.jobs.joinHorizon) + sparkIntervalMs(config.jobs.joinLateness)) / 60_000;
  const lastMinute = samples.at(-1)?.minute ?? 0;
  const bounded = lastMinute >= 2 * settledMinute;
  const settled = steady.filter((sample) => sample.minute >= (bounded ? settledMinute : lastMinute / 2));
  if (settled.length >= 3) {
    const settledSlope = rssPerHour(settled);
    const over = bounded ? "once the state is bounded" : `over the second half (too short a run to measure from minute ${settledMinute}, when the state is bounded)`;
    say(`  RSS ${over}, from minute ${settled[0]!.minute.toFixed(0)}: ${mib(settledSlope)} MiB/h → 24 h ≈ ${(at24h(rssNow, settledSlope) / 2 ** 30).toFixed(2)} GiB (target ≤ 4 GiB)`);
  }
  const names = [...new Set(steady.flatMap((sample) => [...sample.rssByProcess.keys()]))];
  const growth = names.map((name) => [name, slope(steady.filter((sample) => sample.rssByProcess.has(name)).map((sample) => ({ x: hours(sample), y: sample.rssByProcess.get(name)! })))] as const);
  say(`  RSS growth by process (MiB/h): ${growth.sort((a, b) => b[1] - a[1]).map(([name, perHour]) => `${name} ${mib(perHour)}`).join(", ")}`);
  const peaks = [...peakRss].sort((a, b) => b[1] - a[1]);
  say(`  RSS peak by process: ${peaks.map(([name, bytes]) => `${name} ${mib(bytes)}`).join(", ")}; sum of peaks ${mib(peaks.reduce((sum, [, bytes]) => sum + bytes, 0))} MiB, peak of the total ${mib(Math.max(0, ...samples.map((sample) => sample.rssBytes)))} MiB`);

  const durationTrend = slope(steady.flatMap((sample) => sample.batches.map((batch) => ({ x: hours(sample), y: batch.durationMs }))));
  const latencyTrend = slope(steady.flatMap((sample) => sample.latencies.map((ms) => ({ x: hours(sample), y: ms }))));
  say(`trend: batch duration ${durationTrend.toFixed(0)} ms/h, latency ${latencyTrend.toFixed(0)} ms/h`);

  const steadyFrom = started + intervalMs;
  if (restart !== undefined) {
    const firstBatch = allBatches.find((batch) => batch.at > restart!.servingAt);
    if (firstBatch) say(`the job's first batch after the restart ended ${((firstBatch.at - restart.servingAt) / 1000).toFixed(1)} s after the server answered (batch ${firstBatch.batchId}, ${firstBatch.durationMs} ms, ${firstBatch.inputRows} rows)`);
    for (const line of describeWindows(restartWindows(allLatencies, restart, steadyFrom))) say(line);
  } else {
    const all = allLatencies
      .filter((sample) => sample.at >= steadyFrom)
      .map((sample) => sample.ms)
      .sort((a, b) => a - b);
    say(`steady: p50 ${percentile(all, 50)} ms, p90 ${percentile(all, 90)} ms, p99 ${percentile(all, 99)} ms (${all.length} events)`);
  }
  say(`load average at the end: ${loadavg().map((value) => value.toFixed(1)).join("/")}`);

  if (system) {
    system.kill("SIGINT");
    await new Promise((resolve) => system.once("exit", resolve));
  }
}
