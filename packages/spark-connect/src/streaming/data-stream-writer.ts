/** `DataStreamWriter` (`df.writeStream`): starts a streaming query to a sink. */
import { requireCommandResult } from "../client/execution.js";
import { relationOf, type DataFrame } from "../dataframe.js";
import { clientOf } from "../session.js";
import { writeStreamPlan, type WriteStreamSpec } from "../plan/commands.js";
import type { OptionValue } from "../reader.js";
import { StreamingQuery } from "./streaming-query.js";

/** Which rows each micro-batch writes: only new ones, the whole result, or the changed ones. */
export type OutputMode = "append" | "complete" | "update";

/** Exactly one of the trigger kinds, as PySpark's `trigger(processingTime=…)` etc. */
export type Trigger =
  | { readonly processingTime: string }
  | { readonly availableNow: true }
  | { readonly once: true }
  | { readonly continuous: string };

/** `df.writeStream`: starts a streaming query, e.g. `df.writeStream.format("kafka").option("topic", "t").start()`. */
export class DataStreamWriter {
  readonly #df: DataFrame;
  #format: string | undefined;
  #outputMode: OutputMode | undefined;
  #trigger: WriteStreamSpec["trigger"];
  #queryName: string | undefined;
  readonly #options: Record<string, string> = {};
  #partitionBy: string[] = [];

  constructor(df: DataFrame) {
    this.#df = df;
  }

  /**
   * The sink: `kafka`, `memory`, `console`, `noop`, `parquet`, `json` …
   *
   * @example
   * ```ts
   * df.writeStream.format("console");
   * ```
   */
  format(source: string): this {
    this.#format = source;
    return this;
  }
  /**
   * Which rows each micro-batch writes (default `append`).
   *
   * @example
   * ```ts
   * counts.writeStream.outputMode("complete").format("console").start();
   * ```
   */
  outputMode(mode: OutputMode): this {
    if (!["append", "complete", "update"].includes(mode)) throw new TypeError(`unknown output mode "${mode}"; use append, complete or update`);
    this.#outputMode = mode;
    return this;
  }
  /**
   * When micro-batches run: `{ processingTime: "10 seconds" }`, `{ availableNow: true }`, `{ once: true }`, `{ continuous: "1 second" }`.
   *
   * @example
   * ```ts
   * df.writeStream.trigger({ processingTime: "10 seconds" });
   * ```
   */
  trigger(trigger: Trigger): this {
    const kinds = Object.keys(trigger);
    if (kinds.length !== 1) throw new TypeError(`trigger() takes exactly one of processingTime, availableNow, once, continuous; got ${kinds.join(", ") || "none"}`);
    if ("processingTime" in trigger) this.#trigger = { case: "processingTimeInterval", value: trigger.processingTime };
    else if ("availableNow" in trigger) this.#trigger = { case: "availableNow", value: true };
    else if ("once" in trigger) this.#trigger = { case: "once", value: true };
    else this.#trigger = { case: "continuousCheckpointInterval", value: trigger.continuous };
    return this;
  }
  /** The query's name; with the memory sink it is also the in-memory table's name. */
  queryName(name: string): this {
    this.#queryName = name;
    return this;
  }
  /**
   * One option of the sink (e.g. `checkpointLocation`, `topic`).
   *
   * @example
   * ```ts
   * df.writeStream.format("kafka").option("topic", "out").option("checkpointLocation", "/tmp/ckpt");
   * ```
   */
  option(key: string, value: OptionValue): this {
    this.#options[key] = String(value);
    return this;
  }
  /** Several options of the sink at once. */
  options(options: Record<string, OptionValue>): this {
    for (const [key, value] of Object.entries(options)) this.option(key, value);
    return this;
  }
  /** Lays file-sink output out in folders by the values of these columns. */
  partitionBy(...columns: string[]): this {
    this.#partitionBy = columns;
    return this;
  }

  async #start(sink: WriteStreamSpec["sinkDestination"]): Promise<StreamingQuery> {
    const spec: WriteStreamSpec = {
      format: this.#format ?? "",
      options: { ...this.#options },
      partitioningColumnNames: this.#partitionBy,
      outputMode: this.#outputMode ?? "",
      queryName: this.#queryName ?? "",
      ...(this.#trigger ? { trigger: this.#trigger } : {}),
      ...(sink ? { sinkDestination: sink } : {}),
    };
    const session = this.#df.session;
    const started = await requireCommandResult(clientOf(session), writeStreamPlan(relationOf(this.#df), spec), "writeStreamOperationStartResult");
    session.keepAlive();
    return new StreamingQuery(session, started.queryId?.id ?? "", started.queryId?.runId ?? "", started.name === "" ? null : started.name);
  }

  /**
   * Starts the query; `path` is the output path for file sinks.
   *
   * @example
   * ```ts
   * const query = await df.writeStream.format("parquet").option("checkpointLocation", "/tmp/ckpt").start("/data/out");
   * await query.awaitTermination();
   * ```
   */
  start(path?: string): Promise<StreamingQuery> {
    return this.#start(path === undefined ? undefined : { case: "path", value: path });
  }
  /**
   * Starts the query writing into a table.
   *
   * @example
   * ```ts
   * const query = await df.writeStream.option("checkpointLocation", "/tmp/ckpt").toTable("db.events");
   * ```
   */
  toTable(tableName: string): Promise<StreamingQuery> {
    return this.#start({ case: "tableName", value: tableName });
  }
}
