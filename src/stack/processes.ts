import { spawn, execFile } from "node:child_process";
import { openSync, closeSync, readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";

export interface LaunchSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Added to this process's environment; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly logFile: string;
}

export interface PidRecord {
  readonly pid: number;
  /** A string that must appear in /proc/<pid>/cmdline: guards against a recycled pid. */
  readonly marker: string;
}

function pidFile(pidsDir: string, name: string): string {
  return join(pidsDir, `${name}.pid`);
}

/**
 * The environment the engines inherit. SPARK_REMOTE is the clients' setting (the Connect server's
 * address for them); spark-submit reads it too and then refuses to start a server with --master.
 */
function engineEnv(): NodeJS.ProcessEnv {
  const { SPARK_REMOTE: _clientSetting, ...env } = process.env;
  return env;
}

/**
 * Starts a service detached in its own process group (so that `down` also stops the processes it
 * spawns, such as a worker's executors), appending its output to its log file.
 */
export async function launch(spec: LaunchSpec, pidsDir: string, marker: string): Promise<PidRecord> {
  await mkdir(pidsDir, { recursive: true });
  const log = openSync(spec.logFile, "a");
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...engineEnv(), ...spec.env },
      detached: true,
      stdio: ["ignore", log, log],
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${spec.command}`);
    child.unref();
    unreaped.add(pid);
    child.once("exit", (code, signal) => {
      endings.set(pid, describeEnding(code, signal));
      unreaped.delete(pid);
    });
    const record: PidRecord = { pid, marker };
    await writeFile(pidFile(pidsDir, spec.name), JSON.stringify(record));
    return record;
  } finally {
    closeSync(log);
  }
}

export async function readPid(pidsDir: string, name: string): Promise<PidRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(pidFile(pidsDir, name), "utf8")) as PidRecord;
    return isOurs(record) ? record : undefined;
  } catch {
    return undefined;
  }
}

export async function forgetPid(pidsDir: string, name: string): Promise<void> {
  await rm(pidFile(pidsDir, name), { force: true });
}

/** Alive and still the process we started (its command line carries our marker). */
export function isOurs(record: PidRecord): boolean {
  try {
    const cmdline = readFileSync(`/proc/${record.pid}/cmdline`, "utf8");
    return cmdline.includes(record.marker);
  } catch {
    return false;
  }
}

/** How the children this process launched ended, by pid ("signal SIGKILL", "code 1"). */
const endings = new Map<number, string>();
/** Children launched here whose exit Node has not reported yet. */
const unreaped = new Set<number>();

/**
 * How a process ended: undefined while it runs; "signal SIGKILL", "code 1" for one launched here;
 * "no longer running" for one adopted from an earlier run, whose ending nobody saw. A killed child
 * is a zombie for a moment before Node reaps it and reports its exit, and a zombie's empty command
 * line no longer reads as ours: it counts as running until then, so that its signal is reported.
 */
export function endingOf(record: PidRecord): string | undefined {
  if (isOurs(record)) return undefined;
  return endings.get(record.pid) ?? (unreaped.has(record.pid) ? undefined : "no longer running");
}

export function describeEnding(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

/**
 * The one stopper of the system: SIGTERM, then SIGKILL after the grace period (at once when it is
 * 0). It signals the process group when the process leads one (a detached engine, so that a
 * worker's executors go too), else the process alone (a `stedi` child). Resolves with "killed"
 * when SIGKILL was needed.
 */
export async function terminate(record: Pick<PidRecord, "pid">, graceMs = 15_000): Promise<"stopped" | "killed"> {
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-record.pid, name);
    } catch {
      try {
        process.kill(record.pid, name);
      } catch {
        // already gone
      }
    }
  };
  const alive = (): boolean => signalable(-record.pid) || signalable(record.pid);
  if (!alive()) return "stopped";
  if (graceMs > 0) signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive()) return "stopped";
    await sleep(100);
  }
  // A frozen (SIGSTOPped) process gets the SIGKILL too: the kernel delivers it regardless.
  signal("SIGKILL");
  while (alive()) await sleep(50);
  return "killed";
}

function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when nothing listens on host:port (we can bind it ourselves). */
export async function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Which process listens on a TCP port, from `ss` (empty when unknown). */
export async function portHolder(port: number): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)("ss", ["-ltnpH", `sport = :${port}`]);
    const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(stdout);
    return match ? `${match[1]} (pid ${match[2]})` : "";
  } catch {
    return "";
  }
}

export async function waitForPortsFree(host: string, ports: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy: number[] = [];
    for (const port of ports) if (!(await portIsFree(host, port))) busy.push(port);
    if (busy.length === 0 || Date.now() > deadline) return busy;
    await sleep(200);
  }
}

/** The last lines of a log, for errors about a service that died. */
export async function logTail(file: string, lines = 25): Promise<string> {
  try {
    const text = await readFile(file, "utf8");
    return text.trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
