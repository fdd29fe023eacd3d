/** `spark.streams`: the session's streaming queries. */
import { executeCommand } from "../client/execution.js";
import { streamingQueryManagerCommandPlan, type StreamingQueryManagerCommand, type StreamingQueryManagerCommandResultType } from "../plan/commands.js";
import { clientOf, type SparkSession } from "../session.js";
import { AWAIT_SLICE_MS, StreamingQuery } from "./streaming-query.js";
import type { ActionOptions } from "../action-options.js";
import { listenerEvents, type StreamingQueryListenerEvent } from "./listener-events.js";

/** `spark.streams`: the streaming queries of the session. */
export class StreamingQueryManager {
  readonly #session: SparkSession;

  constructor(session: SparkSession) {
    this.#session = session;
  }

  async #command(command: StreamingQueryManagerCommand): Promise<StreamingQueryManagerCommandResultType> {
    const result = await executeCommand(clientOf(this.#session), streamingQueryManagerCommandPlan(command), "streamingQueryManagerCommandResult");
    return result?.resultType ?? { case: undefined };
  }

  #query(instance: { id?: { id: string; runId: string } | undefined; name?: string | undefined }): StreamingQuery {
    return new StreamingQuery(this.#session, instance.id?.id ?? "", instance.id?.runId ?? "", instance.name ?? null);
  }

  /** The queries of this session that are running now. */
  async active(): Promise<StreamingQuery[]> {
    const result = await this.#command({ case: "active", value: true });
    return result.case === "active" ? result.value.activeQueries.map((q) => this.#query(q)) : [];
  }

  /** The active query with this id, or undefined. */
  async get(id: string): Promise<StreamingQuery | undefined> {
    const result = await this.#command({ case: "getQuery", value: id });
    return result.case === "query" ? this.#query(result.value) : undefined;
  }

  /**
   * Waits until any query of this session terminates (since the last `resetTerminated`). With
   * `timeoutMs`, resolves to whether one did in time. A failed query rejects with its exception.
   */
  async awaitAnyTermination(timeoutMs?: number): Promise<boolean> {
    const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + Math.max(0, timeoutMs);
    for (;;) {
      const slice = Math.max(0, Math.min(AWAIT_SLICE_MS, deadline - Date.now()));
      const result = await this.#command({ case: "awaitAnyTermination", value: { timeoutMs: BigInt(Math.round(slice)) } });
      if (result.case === "awaitAnyTermination" && result.value.terminated) return true;
      if (Date.now() >= deadline) return false;
    }
  }

  /** Forgets terminated queries, so that awaitAnyTermination waits for a new one. */
  async resetTerminated(): Promise<void> {
    await this.#command({ case: "resetTerminated", value: true });
  }

  // ---- listener events -----------------------------------------------------------------------
  /**
   * The listener events (progress, idle, terminated) of every streaming query of the session, as
   * they happen, until the loop ends or `signal` aborts.
   *
   * @example
   * ```ts
   * for await (const event of spark.streams.events()) if (event.type === "progress") console.log(event.progress.batchId);
   * ```
   */
  events(options: ActionOptions = {}): AsyncGenerator<StreamingQueryListenerEvent, void, undefined> {
    return listenerEvents(this.#session, options);
  }
}
