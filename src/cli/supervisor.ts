import { spawn, type ChildProcess } from "node:child_process";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { RotatingFileStream } from "rotating-file-stream";
import { backoffDelay, type Backoff } from "../backoff.js";
import { openLogFile } from "../log-file.js";
import { describeEnding, terminate } from "../stack/processes.js";

/** What a child `stedi` command tells its supervisor: once when it serves, then as a heartbeat. */
export type ChildMessage = { readonly type: "ready"; readonly detail: string } | { readonly type: "alive" };

/** One process the supervisor keeps running: an engine of the stack or a `stedi` child. */
export interface Supervised {
  readonly name: string;
  readonly logFile: string;
  /** Launches the process; resolves with what it reports once it serves, rejects if it cannot. */
  start(): Promise<string>;
  pid(): number | undefined;
  /** How the process ended ("signal SIGKILL"), once it has; undefined while it runs. */
  ended(): string | undefined;
  /** Whether it answers its health probe now (its own protocol, or a heartbeat). */
  healthy(): Promise<boolean>;
  /** SIGTERM, then SIGKILL after `graceMs` (at once when 0); "killed" when SIGKILL was needed. */
  stop(graceMs: number): Promise<"stopped" | "killed">;
  /** Left running when the supervisor stops (`npm start --keep` leaves the engines up). */
  readonly keepOnStop?: boolean;
}

/** What `stedi stack status` reads from another process: the supervisor's view, per service. */
export interface SupervisorState {
  readonly pid: number;
  readonly updatedAt: number;
  readonly services: readonly SupervisedState[];
}

export interface SupervisedState {
  readonly name: string;
  readonly pid: number | undefined;
  readonly state: "up" | "restarting" | "stopped";
  readonly restarts: number;
  /** Since when the current process serves (ms since the epoch). */
  readonly upSince: number | undefined;
}

export interface SupervisionPolicy {
  readonly backoff: Backoff;
  /** Healthy this long, a process's next restart waits the initial back-off again. */
  readonly resetAfterMs: number;
  /** Without a healthy probe this long, a running process counts as frozen and is killed. */
  readonly unresponsiveMs: number;
  readonly probeEveryMs: number;
}

/** A frozen process is killed within 20 s of its last good probe plus one probe's timeout: under 30 s. */
export const SUPERVISION: SupervisionPolicy = { backoff: { initialMs: 1_000, maxMs: 30_000 }, resetAfterMs: 60_000, unresponsiveMs: 20_000, probeEveryMs: 2_000 };

export function supervisorStateFile(runtimeDir: string): string {
  return join(runtimeDir, "supervisor.json");
}

/** The state a running supervisor persisted; undefined when none runs. */
export async function readSupervisorState(runtimeDir: string): Promise<SupervisorState | undefined> {
  try {
    const state = JSON.parse(await readFile(supervisorStateFile(runtimeDir), "utf8")) as SupervisorState;
    process.kill(state.pid, 0);
    return state;
  } catch {
    return undefined;
  }
}

/** 3m12s, 45s, 1h02m: how long a process ran, for one-line reports. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

type Report = (message: string) => void;

interface Entry {
  readonly unit: Supervised;
  state: SupervisedState["state"];
  restarts: number;
  /** Restarts since the process last stayed healthy for `resetAfterMs`: the back-off's attempt. */
  failures: number;
  upSince: number;
  lastHealthy: number;
  watching: Promise<void> | undefined;
}

/**
 * Keeps every process `npm start` started running: one that exits, or stops answering its health
 * probe (frozen), is restarted with back-off, reported in one line. Stops them newest first.
 */
export class Supervisor {
  readonly #report: Report;
  readonly #stateFile: string;
  readonly #policy: SupervisionPolicy;
  readonly #entries: Entry[] = [];
  #stopping = false;

  constructor(report: Report, runtimeDir: string, policy: SupervisionPolicy = SUPERVISION) {
    this.#report = report;
    this.#stateFile = supervisorStateFile(runtimeDir);
    this.#policy = policy;
  }

  /** Starts a process (or adopts one already serving) and supervises it from then on. */
  async start(unit: Supervised, options: { running?: boolean } = {}): Promise<string> {
    const detail = options.running ? "running" : await unit.start();
    const now = Date.now();
    const entry: Entry = { unit, state: "up", restarts: 0, failures: 0, upSince: now, lastHealthy: now, watching: undefined };
    this.#entries.push(entry);
    entry.watching = this.#watch(entry);
    await this.#persist();
    return detail;
  }

  async #watch(entry: Entry): Promise<void> {
    const { unit } = entry;
    let lastProbe = 0;
    while (!this.#stopping) {
      await sleep(500);
      if (this.#stopping) return;
      const now = Date.now();
      const ending = unit.ended();
      let cause: string | undefined;
      if (ending) cause = `exited (${ending})`;
      else if (now - lastProbe >= this.#policy.probeEveryMs) {
        lastProbe = now;
        if (await unit.healthy()) entry.lastHealthy = Date.now();
        else if (Date.now() - entry.lastHealthy >= this.#policy.unresponsiveMs && !this.#stopping) {
          const silent = Math.round((Date.now() - entry.lastHealthy) / 1000);
          await unit.stop(0);
          cause = `did not answer its health probe for ${silent} s, killed (SIGKILL)`;
        }
      }
      if (now - entry.upSince >= this.#policy.resetAfterMs && now - entry.lastHealthy < this.#policy.unresponsiveMs) entry.failures = 0;
      if (cause && !this.#stopping) await this.#restart(entry, cause);
    }
  }

  async #restart(entry: Entry, firstCause: string): Promise<void> {
    const { unit } = entry;
    let cause = `${firstCause} after ${formatDuration(Date.now() - entry.upSince)}`;
    for (;;) {
      entry.failures += 1;
      entry.restarts += 1;
      entry.state = "restarting";
      const delay = backoffDelay(entry.failures, this.#policy.backoff);
      this.#report(`${unit.name} ${cause}; restarting in ${delay / 1000} s (restart ${entry.restarts})`);
      await this.#persist();
      await sleep(delay);
      if (this.#stopping) return;
      // What is left of it (a worker's executors in its process group) goes before the new one.
      await unit.stop(0);
      try {
        await unit.start();
        entry.state = "up";
        entry.upSince = entry.lastHealthy = Date.now();
        await this.#persist();
        return;
      } catch (error) {
        await unit.stop(0);
        if (this.#stopping) return;
        const message = error instanceof Error ? error.message : String(error);
        cause = `could not restart: ${message.split("\n")[0]} — see ${unit.logFile}`;
      }
    }
  }

  async #persist(): Promise<void> {
    const state: SupervisorState = {
      pid: process.pid,
      updatedAt: Date.now(),
      services: this.#entries.map((entry) => ({
        name: entry.unit.name,
        pid: entry.unit.pid(),
        state: this.#stopping ? "stopped" : entry.state,
        restarts: entry.restarts,
        upSince: entry.state === "up" ? entry.upSince : undefined,
      })),
    };
    // Written whole and renamed, so that `stack status` never reads half a file.
    const partial = `${this.#stateFile}.${process.pid}.tmp`;
    await writeFile(partial, JSON.stringify(state, null, 2)).catch(() => undefined);
    await rename(partial, this.#stateFile).catch(() => undefined);
  }

  /**
   * Ends supervision, then stops each process newest first (SIGTERM, SIGKILL after the grace
   * period — longer than a job needs to let its running batch commit).
   */
  async stop(graceMs = 45_000): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.#entries.map((entry) => entry.watching));
    for (const entry of [...this.#entries].reverse()) {
      if (entry.unit.keepOnStop) continue;
      if (entry.unit.ended() !== undefined) continue;
      const outcome = await entry.unit.stop(graceMs);
      this.#report(outcome === "killed" ? `${entry.unit.name}: killed, it did not stop within ${graceMs / 1000} s — see ${entry.unit.logFile}` : `${entry.unit.name}: stopped`);
    }
    await this.#persist();
  }
}

export interface ChildSpec {
  readonly name: string;
  /** Arguments to the `stedi` CLI, e.g. ["cdc"]. */
  readonly args: readonly string[];
  readonly logFile: string;
  readonly env?: Readonly<Record<string, string>>;
  /** How long the child may take to report ready. */
  readonly readyTimeoutMs: number;
}

/** A child's heartbeat (see `notifyReady`) older than this means its event loop is stuck or frozen. */
const HEARTBEAT_EVERY_MS = 2_000;
const HEARTBEAT_STALE_MS = 10_000;

/**
 * A `stedi` sub-command run as a child process, probed by its heartbeat. Its stdout and stderr go
 * through this process into its own rolling log file, kept open across its restarts.
 */
export class StediChild implements Supervised {
  readonly spec: ChildSpec;
  #child: ChildProcess | undefined;
  #log: RotatingFileStream | undefined;
  #ending: string | undefined;
  #lastHeartbeat = 0;

  constructor(spec: ChildSpec) {
    this.spec = spec;
  }

  get name(): string {
    return this.spec.name;
  }

  get logFile(): string {
    return this.spec.logFile;
  }

  pid(): number | undefined {
    return this.#child?.pid;
  }

  ended(): string | undefined {
    return this.#child ? this.#ending : "not started";
  }

  async healthy(): Promise<boolean> {
    return Date.now() - this.#lastHeartbeat < HEARTBEAT_STALE_MS;
  }

  async stop(graceMs: number): Promise<"stopped" | "killed"> {
    const child = this.#child;
    if (!child?.pid || this.#ending !== undefined) return "stopped";
    return terminate({ pid: child.pid }, graceMs);
  }

  start(): Promise<string> {
    const { spec } = this;
    this.#log ??= openLogFile(spec.logFile);
    // The same entry point and loader flags as this process, so it works from dist/ and under tsx.
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...spec.args], {
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    child.stdout?.pipe(this.#log, { end: false });
    child.stderr?.pipe(this.#log, { end: false });
    this.#child = child;
    this.#ending = undefined;
    child.once("exit", (code, signal) => {
      if (this.#child === child) this.#ending = describeEnding(code, signal);
    });
    child.on("message", (message: ChildMessage) => {
      if (message?.type === "alive" || message?.type === "ready") this.#lastHeartbeat = Date.now();
    });
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${spec.name} did not report ready within ${spec.readyTimeoutMs / 1000} s; see ${spec.logFile}`));
      }, spec.readyTimeoutMs);
      child.on("message", (message: ChildMessage) => {
        if (message?.type !== "ready") return;
        clearTimeout(timer);
        resolve(message.detail);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${spec.name} exited during start-up (${describeEnding(code, signal)}); see ${spec.logFile}`));
      });
    });
  }
}

let notified = false;

/**
 * Called by a child command once it serves (again, for a job that re-attached); a no-op when not
 * run by a supervisor. From then on it sends a heartbeat, so that the supervisor notices a frozen
 * child. A child also shuts down (as on SIGTERM) when its supervisor disappears, even by SIGKILL,
 * instead of living on as an orphan that holds its port.
 */
export function notifyReady(detail: string): void {
  if (!process.send) return;
  process.send({ type: "ready", detail } satisfies ChildMessage);
  if (notified) return;
  notified = true;
  process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
  setInterval(() => {
    if (process.connected) process.send?.({ type: "alive" } satisfies ChildMessage);
  }, HEARTBEAT_EVERY_MS).unref();
  // The IPC channel must not keep a child alive once its work is done, or every stop would wait
  // for the supervisor's SIGKILL.
  process.channel?.unref();
}
