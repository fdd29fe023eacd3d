import { spawn, type ChildProcess } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** What a child `stedi` command tells its supervisor once it is serving (see `notifyReady`). */
export interface ReadyMessage {
  readonly type: "ready";
  readonly detail: string;
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

type Report = (message: string) => void;

/**
 * Runs `stedi` sub-commands as child processes, each logging to its own file, and restarts one that
 * dies (with growing back-off) until the supervisor is stopped. Children stop in reverse order.
 */
export class Supervisor {
  readonly #report: Report;
  readonly #children = new Map<string, { spec: ChildSpec; process: ChildProcess | undefined; restarts: number }>();
  #stopping = false;

  constructor(report: Report) {
    this.#report = report;
  }

  /** Starts a child and resolves once it reported ready; rejects if it exits or times out first. */
  async start(spec: ChildSpec): Promise<string> {
    const entry = { spec, process: undefined as ChildProcess | undefined, restarts: 0 };
    this.#children.set(spec.name, entry);
    return this.#launch(entry);
  }

  #launch(entry: { spec: ChildSpec; process: ChildProcess | undefined; restarts: number }): Promise<string> {
    const { spec } = entry;
    const log = openSync(spec.logFile, "a");
    // The same entry point and loader flags as this process, so it works from dist/ and under tsx.
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...spec.args], {
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", log, log, "ipc"],
    });
    closeSync(log);
    entry.process = child;
    child.on("exit", (code, signal) => {
      if (this.#stopping || entry.process !== child) return;
      entry.restarts += 1;
      const delay = Math.min(30_000, 1_000 * 2 ** Math.min(entry.restarts - 1, 5));
      this.#report(`${spec.name}: exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000} s — see ${spec.logFile}`);
      void sleep(delay).then(() => {
        if (!this.#stopping) this.#launch(entry).catch((error: Error) => this.#report(`${spec.name}: ${error.message}`));
      });
    });
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${spec.name} did not report ready within ${spec.readyTimeoutMs / 1000} s; see ${spec.logFile}`));
      }, spec.readyTimeoutMs);
      child.on("message", (message: ReadyMessage) => {
        if (message?.type !== "ready") return;
        clearTimeout(timer);
        resolve(message.detail);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${spec.name} exited during start-up (${signal ?? `code ${code}`}); see ${spec.logFile}`));
      });
    });
  }

  /**
   * SIGTERM to each child, newest first, SIGKILL after the grace period — longer than a job needs
   * to let its running batch commit.
   */
  async stop(graceMs = 45_000): Promise<void> {
    this.#stopping = true;
    for (const [name, entry] of [...this.#children].reverse()) {
      const child = entry.process;
      if (!child || child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill("SIGKILL");
      }, graceMs);
      await exited;
      clearTimeout(timer);
      this.#report(killed ? `${name}: killed, it did not stop within ${graceMs / 1000} s — see ${entry.spec.logFile}` : `${name}: stopped`);
    }
  }
}

/**
 * Called by a child command once it serves; a no-op when not run by a supervisor. A child also
 * shuts down (as on SIGTERM) when its supervisor disappears, even by SIGKILL, instead of living
 * on as an orphan that holds its port.
 */
export function notifyReady(detail: string): void {
  if (!process.send) return;
  process.send({ type: "ready", detail } satisfies ReadyMessage);
  process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
  // The IPC channel must not keep a child alive once its work is done, or every stop would wait
  // for the supervisor's SIGKILL.
  process.channel?.unref();
}
