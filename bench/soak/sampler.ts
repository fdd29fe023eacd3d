/**
 * What a long-running STEDI costs, sampled from outside: the disk of each part of the runtime folder,
 * the resident memory of every process that belongs to it, the job's batch durations (from its
 * batch lines in kafkajoinconsole.log) and the event → customer-risk latency (from the topics: each
 * customer-risk record's Kafka timestamp minus that of the stedi-events record it came from).
 * Nothing here starts or stops the system: bench/soak/main.ts does.
 */
import { execFile } from "node:child_process";
import { open, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { Consumer, stringDeserializers, type MessagesStream } from "@platformatic/kafka";

/** The parts of the runtime folder whose growth the issue bounds. */
export const DISK_PARTS = ["logs", "kafka", "redis", "checkpoints", "spark"] as const;
export type DiskPart = (typeof DISK_PARTS)[number];

/** The bytes a folder takes on disk. */
export async function folderBytes(path: string): Promise<number> {
  // Allocated blocks, as the disk sees them: Kafka preallocates sparse 10 MiB index files. du
  // exits 1 when a file vanished while it counted (a rolled segment): its total still holds.
  const stdout = await promisify(execFile)("du", ["-s", "--block-size=1", path]).then(
    (result) => result.stdout,
    (error: { stdout?: string }) => error.stdout ?? "",
  );
  return Number(stdout.split("\t")[0]) || 0;
}

export async function diskUsage(home: string): Promise<Record<DiskPart | "total", number>> {
  const sizes = Object.fromEntries(await Promise.all(DISK_PARTS.map(async (part) => [part, await folderBytes(join(home, part))] as const))) as Record<DiskPart, number>;
  return { ...sizes, total: await folderBytes(home) };
}

export interface ProcessMemory {
  readonly pid: number;
  readonly name: string;
  readonly rssBytes: number;
}

/** A short name for a process from its command line: the JVM's main class, or the stedi command. */
function processName(argv: readonly string[]): string {
  const mainClass = argv.find((arg) => /^org\.apache\.spark\.deploy\.(master\.Master|worker\.Worker)$|SparkConnectServer|CoarseGrainedExecutorBackend|^kafka\.Kafka$/.test(arg));
  if (mainClass) return mainClass.split(".").at(-1)!;
  if (argv[0]?.endsWith("redis-server")) return "redis-server";
  const stedi = argv.findIndex((arg) => arg.endsWith("cli.js") || arg.endsWith("cli.ts"));
  if (stedi >= 0) return `stedi ${argv.slice(stedi + 1).join(" ")}`.trim();
  return argv.slice(0, 2).join(" ");
}

/**
 * Every process of the system at `home`: the engines' process groups (the stack starts each one
 * detached, its pid in run/<service>.pid; a worker's executors are in the worker's group), and the
 * Node services (stedi start, app, cdc, job), found by the STEDI_HOME in their environment.
 */
export async function processMemory(home: string): Promise<ProcessMemory[]> {
  const groups = new Set<number>();
  for (const file of await readdir(join(home, "run")).catch(() => [] as string[])) {
    if (!file.endsWith(".pid")) continue;
    const record = JSON.parse(await readFile(join(home, "run", file), "utf8").catch(() => "{}")) as { pid?: number };
    if (typeof record.pid === "number") groups.add(record.pid);
  }
  const wanted = `STEDI_HOME=${home}`;
  const result: ProcessMemory[] = [];
  for (const entry of await readdir("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const [stat, cmdline, status] = await Promise.all([readFile(`/proc/${pid}/stat`, "utf8"), readFile(`/proc/${pid}/cmdline`, "utf8"), readFile(`/proc/${pid}/status`, "utf8")]);
      const argv = cmdline.split("\0").filter(Boolean);
      // The fields after the command name (which may hold spaces): state, ppid, pgrp.
      const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      const nodeService = argv.some((arg) => /(^|\/)(dist\/cli\.js|src\/cli\.ts)$/.test(arg)) && (await readFile(`/proc/${pid}/environ`, "latin1")).split("\0").includes(wanted);
      if (!groups.has(pgrp) && !nodeService) continue;
      const rssKiB = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      // A shell wrapper (sh -c, bash) holds no memory worth listing.
      if (rssKiB === 0 || ["sh", "/bin/sh", "bash", "/bin/bash"].includes(argv[0] ?? "")) continue;
      result.push({ pid, name: processName(argv), rssBytes: rssKiB * 1024 });
    } catch {
      // gone, or not ours to read
    }
  }
  return result.sort((a, b) => b.rssBytes - a.rssBytes);
}

export interface BatchLine {
  readonly at: number;
  readonly batchId: number;
  readonly inputRows: number;
  readonly durationMs: number;
  readonly stateRows: number;
  readonly stateMiB: number;
}

// "2026-…Z batch 12: 30 input rows, 30 output rows, 25.0 rows/s, 412 ms; state 77 rows, 1.2 MiB; skipped …"
const BATCH_LINE = /^(\S+) batch (\d+): (\d+) input rows.*?, (\d+) ms(?:; state (\d+) rows, ([\d.]+) MiB)?/;

export function parseBatchLine(line: string): BatchLine | undefined {
  const match = BATCH_LINE.exec(line);
  if (!match) return undefined;
  return { at: Date.parse(match[1]!), batchId: Number(match[2]), inputRows: Number(match[3]), durationMs: Number(match[4]), stateRows: Number(match[5] ?? 0), stateMiB: Number(match[6] ?? 0) };
}

/** Reads the lines appended to a log since the last call (from the start again when it was rotated). */
export class LogFollower {
  readonly #file: string;
  #offset = 0;
  #partial = "";

  constructor(file: string, fromEnd: boolean, size = 0) {
    this.#file = file;
    if (fromEnd) this.#offset = size;
  }

  static async atEnd(file: string): Promise<LogFollower> {
    const size = await stat(file).then((info) => info.size, () => 0);
    return new LogFollower(file, true, size);
  }

  async newLines(): Promise<string[]> {
    const size = await stat(this.#file).then((info) => info.size, () => 0);
    if (size < this.#offset) {
      this.#offset = 0;
      this.#partial = "";
    }
    if (size === this.#offset) return [];
    const handle = await open(this.#file, "r");
    try {
      const buffer = Buffer.alloc(size - this.#offset);
      await handle.read(buffer, 0, buffer.length, this.#offset);
      this.#offset = size;
      const lines = (this.#partial + buffer.toString("utf8")).split("\n");
      this.#partial = lines.pop() ?? "";
      return lines;
    } finally {
      await handle.close();
    }
  }
}

export interface Latency {
  readonly at: number;
  readonly ms: number;
}

/**
 * Event → customer-risk latency from the topics, from now on: a stedi-events record and the
 * customer-risk record with the same customer and score are the same event.
 */
export class TopicLatency {
  readonly #consumers: Consumer<string, string, string, string>[] = [];
  readonly #streams: MessagesStream<string, string, string, string>[] = [];
  readonly #sent = new Map<string, number[]>();
  readonly #samples: Latency[] = [];

  static async start(broker: string, eventsTopic: string, riskTopic: string): Promise<TopicLatency> {
    const latency = new TopicLatency();
    const run = `bench-soak-${process.pid}-${Date.now()}`;
    for (const [topic, onRecord] of [
      [eventsTopic, (value: string, timestamp: number) => latency.#event(value, timestamp)],
      [riskTopic, (value: string, timestamp: number) => latency.#risk(value, timestamp)],
    ] as const) {
      const consumer = new Consumer({ groupId: `${run}-${topic}`, clientId: "bench-soak", bootstrapBrokers: [broker], deserializers: stringDeserializers, maxWaitTime: 100 });
      const stream = await consumer.consume({ topics: [topic], mode: "latest", autocommit: false });
      stream.on("data", (message) => onRecord(message.value ?? "", Number(message.timestamp)));
      latency.#consumers.push(consumer);
      latency.#streams.push(stream);
    }
    return latency;
  }

  #event(value: string, timestamp: number): void {
    const key = eventKey(value);
    if (key === undefined) return;
    const times = this.#sent.get(key) ?? [];
    times.push(timestamp);
    this.#sent.set(key, times);
    // A bounded memory: events that never came out after this many are forgotten.
    if (this.#sent.size > 200_000) this.#sent.delete(this.#sent.keys().next().value!);
  }

  #risk(value: string, timestamp: number): void {
    const key = eventKey(value);
    const times = key === undefined ? undefined : this.#sent.get(key);
    const sent = times?.shift();
    if (sent === undefined) return;
    if (times!.length === 0) this.#sent.delete(key!);
    this.#samples.push({ at: timestamp, ms: timestamp - sent });
  }

  /** The latencies measured since the last call. */
  take(): Latency[] {
    return this.#samples.splice(0);
  }

  async close(): Promise<void> {
    for (const stream of this.#streams) await stream.close().catch(() => undefined);
    for (const consumer of this.#consumers) await new Promise<void>((resolve) => consumer.close(true, () => resolve()));
  }
}

function eventKey(value: string): string | undefined {
  try {
    const record = JSON.parse(value) as { customer?: unknown; score?: unknown };
    if (typeof record.customer !== "string" || record.score === undefined) return undefined;
    return `${record.customer}|${Number(record.score)}`;
  } catch {
    return undefined;
  }
}

export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

/** Least-squares slope of y over x: the growth per unit of x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  if (points.length < 2) return 0;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / points.length;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / points.length;
  let numerator = 0;
  let denominator = 0;
  for (const point of points) {
    numerator += (point.x - meanX) * (point.y - meanY);
    denominator += (point.x - meanX) ** 2;
  }
  return denominator === 0 ? 0 : numerator / denominator;
}
