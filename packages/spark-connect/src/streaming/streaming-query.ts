/**
 * `StreamingQuery`: a handle on a query running on the server. Every method asks the server
 * (nothing is cached), so `isActive()`, `status()` and the progress are always current.
 */
import type { ActionOptions } from "../action-options.js";
import { executeCommand } from "../client/execution.js";
import { StreamingQueryException } from "../errors.js";
import { streamingQueryCommandPlan, type StreamingQueryCommand, type StreamingQueryCommandResultType } from "../plan/commands.js";
import { clientOf, type SparkSession } from "../session.js";
import { parseProgress, type StreamingQueryProgress, type StreamingQueryStatus } from "./progress.js";

/**
 * Long waits are cut into server-side waits of this length, so that no single call outlives
 * proxies' or the server's stream limits, and each one also keeps the session alive.
 */
export const AWAIT_SLICE_MS = 60_000;

/** A handle on a running streaming query (from `writeStream.start()` or `spark.streams.get(id)`). */
export class StreamingQuery {
  readonly #session: SparkSession;
  /** The query id, stable across restarts from the same checkpoint. */
  readonly id: string;
  /** This run's id, new on every start. */
  readonly runId: string;
  readonly name: string | null;

  constructor(session: SparkSession, id: string, runId: string, name: string | null) {
    this.#session = session;
    this.id = id;
    this.runId = runId;
    this.name = name;
  }

  get sparkSession(): SparkSession {
    return this.#session;
  }

  async #command(command: StreamingQueryCommand, options: ActionOptions = {}): Promise<StreamingQueryCommandResultType> {
    const plan = streamingQueryCommandPlan(this.id, this.runId, command);
    const result = await executeCommand(clientOf(this.#session), plan, "streamingQueryCommandResult", { signal: options.signal });
    return result?.resultType ?? { case: undefined };
  }

  /** What the query is doing now (waiting for data, a trigger active …). */
  async status(): Promise<StreamingQueryStatus> {
    const result = await this.#command({ case: "status", value: true });
    if (result.case !== "status") throw new StreamingQueryException(`query ${this.id} returned no status`);
    const { statusMessage, isDataAvailable, isTriggerActive, isActive } = result.value;
    return { message: statusMessage, isDataAvailable, isTriggerActive, isActive };
  }

  /** Whether the query is still running. */
  async isActive(): Promise<boolean> {
    return (await this.status()).isActive;
  }

  /** The progress of the most recent micro-batch, or undefined before the first one. */
  async lastProgress(): Promise<StreamingQueryProgress | undefined> {
    const result = await this.#command({ case: "lastProgress", value: true });
    const json = result.case === "recentProgress" ? result.value.recentProgressJson : [];
    const last = json[json.length - 1];
    return last === undefined ? undefined : parseProgress(last);
  }

  /** The progress of the recent micro-batches, oldest first. */
  async recentProgress(): Promise<StreamingQueryProgress[]> {
    const result = await this.#command({ case: "recentProgress", value: true });
    return result.case === "recentProgress" ? result.value.recentProgressJson.map(parseProgress) : [];
  }

  /**
   * Waits until the query stops. With `timeoutMs`, resolves to whether it stopped in time;
   * without, waits as long as it takes. A query that failed rejects with its StreamingQueryException.
   * Aborting `signal` stops the wait (rejecting with the signal's reason), not the query.
   *
   * @example
   * ```ts
   * const query = await df.writeStream.format("console").start();
   * const stopped = await query.awaitTermination(30_000); // false if still running after 30 s
   * ```
   */
  async awaitTermination(timeoutMs?: number, options: ActionOptions = {}): Promise<boolean> {
    const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + Math.max(0, timeoutMs);
    for (;;) {
      const slice = Math.max(0, Math.min(AWAIT_SLICE_MS, deadline - Date.now()));
      const result = await this.#command({ case: "awaitTermination", value: { timeoutMs: BigInt(Math.round(slice)) } }, options);
      const terminated = result.case === "awaitTermination" && result.value.terminated;
      if (terminated) {
        const failure = await this.exception();
        if (failure) throw failure;
        return true;
      }
      if (Date.now() >= deadline) return false;
    }
  }

  /**
   * Blocks until every record available now has been processed (for tests; not for triggers that never fire).
   *
   * @example
   * ```ts
   * await query.processAllAvailable();
   * await (await spark.sql("SELECT * FROM my_memory_table")).show();
   * ```
   */
  async processAllAvailable(): Promise<void> {
    await this.#command({ case: "processAllAvailable", value: true });
  }

  /**
   * Stops the query (its checkpoint keeps where it was, for a restart).
   *
   * @example
   * ```ts
   * await query.stop();
   * ```
   */
  async stop(): Promise<void> {
    await this.#command({ case: "stop", value: true });
  }

  /** The exception the query terminated with, or undefined if it is running or stopped cleanly. */
  async exception(): Promise<StreamingQueryException | undefined> {
    const result = await this.#command({ case: "exception", value: true });
    if (result.case !== "exception" || result.value.exceptionMessage === undefined) return undefined;
    const { exceptionMessage, errorClass, stackTrace } = result.value;
    return new StreamingQueryException(exceptionMessage, {
      errorClass,
      serverStackTrace: stackTrace,
      errorTypeHierarchy: ["org.apache.spark.sql.streaming.StreamingQueryException"],
    });
  }

  /** The query's physical plan (PySpark's `explain()` prints it; this returns it too). */
  async explain(extended = false): Promise<string> {
    const result = await this.#command({ case: "explain", value: { extended } });
    const text = result.case === "explain" ? result.value.result : "";
    process.stdout.write(`${text}\n`);
    return text;
  }

  /** The query's name and ids, for logs. */
  toString(): string {
    return `StreamingQuery(id=${this.id}, runId=${this.runId}, name=${this.name ?? "null"})`;
  }
}
