/** `DataStreamWriter` (`df.writeStream`): starts a streaming query to a sink. */
import { requireCommandResult } from "../client/execution.js";
import { relationOf, type DataFrame } from "../dataframe.js";
import { clientOf } from "../session.js";
import { writeStreamPlan, type WriteStreamSpec } from "../plan/commands.js";
import type { OptionValue } from "../reader.js";
import { StreamingQuery } from "./streaming-query.js";
import { UnsupportedForeachBatchPlan } from "../errors.js";
import { replayableSource, startingOffsetsOption } from "../plan/batch-replay.js";
import { FileCommitLog } from "./commit-log.js";
import { BatchDelivery, ForeachBatchQuery, type FirstStart, type ForeachBatchHandler, type ForeachBatchOptions } from "./foreach-batch.js";
import { replayableStartingOffsets } from "./kafka-offsets.js";

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
  #foreachBatch: { readonly handler: ForeachBatchHandler; readonly options: ForeachBatchOptions } | undefined;

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

  /**
   * Calls `handler` with each micro-batch as a batch DataFrame, in order, one at a time; PySpark's
   * `foreachBatch`, run by this client. The stream must read from one Kafka source
   * (`spark.readStream.format("kafka")`) through stateless transformations; `start()` rejects
   * any other plan. The server runs the query into Spark's `noop` sink, and for each batch it ran
   * the client reads that batch's exact offset range back as a batch DataFrame, applying the
   * same transformations.
   *
   * The contract is **at-least-once**:
   * - batches are delivered in order, one at a time: the next one waits for the handler's promise;
   *   the server's query may run ahead, only offset ranges are queued (past `maxQueuedBatches`,
   *   the newest are merged into one batch);
   * - a handler that throws (or rejects) stops the query: `awaitTermination()` rejects with a
   *   StreamingQueryException whose `cause` is the handler's error; that batch is not recorded;
   * - after each handler completes, the batch's end offsets are recorded in `commitLog`; when the
   *   same query restarts (same `checkpointLocation`, same commit log), every batch whose handler
   *   had not completed — because the process crashed mid-handler, or the server ran ahead — is
   *   delivered again: first, if Spark's checkpoint is ahead of the commit log, as one catch-up
   *   batch with the id of the micro-batch before the run's first, then the run's batches. A
   *   handler may thus see records again, never miss one: make its effect idempotent;
   * - triggers that ran no batch (idle) deliver nothing; Spark's batch ids are passed through;
   * - a new query's Kafka source must start at `startingOffsets` `earliest` or at given offsets:
   *   its first batch reports no start, and `latest` or a timestamp cannot be replayed later.
   *
   * @example
   * ```ts
   * const query = await spark.readStream.format("kafka").option("kafka.bootstrap.servers", "127.0.0.1:9092")
   *   .option("subscribe", "orders").option("startingOffsets", "earliest").load()
   *   .selectExpr("CAST(value AS STRING) AS order")
   *   .writeStream.option("checkpointLocation", "/tmp/orders-ckpt")
   *   .foreachBatch(async (batchDf, batchId) => console.log(batchId, await batchDf.count()), { commitLog: "/tmp/orders.commits.json" })
   *   .start();
   * ```
   */
  foreachBatch(handler: ForeachBatchHandler, options: ForeachBatchOptions = {}): this {
    if (typeof handler !== "function") throw new TypeError("foreachBatch() takes a function (batchDf, batchId) => Promise<void>");
    this.#foreachBatch = { handler, options };
    return this;
  }

  async #startForeachBatch(handler: ForeachBatchHandler, options: ForeachBatchOptions, sink: WriteStreamSpec["sinkDestination"]): Promise<StreamingQuery> {
    if (sink !== undefined || this.#format !== undefined) throw new UnsupportedForeachBatchPlan("foreachBatch is the query's sink: do not also set format(), a path or a table");
    const plan = relationOf(this.#df);
    const source = replayableSource(plan);
    const checkpointed = Object.keys(this.#options).some((key) => key.toLowerCase() === "checkpointlocation");
    if (checkpointed && options.commitLog === undefined) {
      throw new UnsupportedForeachBatchPlan("foreachBatch with a checkpointLocation needs a commitLog: without one, batches the server ran but the handler did not finish before a crash would never be delivered");
    }
    const commitLog = typeof options.commitLog === "string" ? new FileCommitLog(options.commitLog) : options.commitLog;
    const handled = await commitLog?.read();
    let firstStart: FirstStart;
    if (handled !== undefined) firstStart = handled.endOffsets;
    else {
      const starting = replayableStartingOffsets(startingOffsetsOption(source));
      if (!starting.ok) throw new UnsupportedForeachBatchPlan(`foreachBatch cannot replay the first batch of a new query whose ${starting.reason}: set startingOffsets to "earliest" or to a JSON of offsets`);
      firstStart = starting.value;
    }
    const server = await this.#startServer(undefined, "noop");
    const delivery = new BatchDelivery(
      { session: this.#df.session, plan, handler, commitLog, handled, firstStart, pollMs: options.pollMs ?? 500, maxQueuedBatches: Math.max(1, options.maxQueuedBatches ?? 1000) },
      server,
    );
    return new ForeachBatchQuery(server, delivery);
  }

  #start(sink: WriteStreamSpec["sinkDestination"]): Promise<StreamingQuery> {
    return this.#foreachBatch ? this.#startForeachBatch(this.#foreachBatch.handler, this.#foreachBatch.options, sink) : this.#startServer(sink, this.#format);
  }

  /** Starts the query on the server, into `format`'s sink. */
  async #startServer(sink: WriteStreamSpec["sinkDestination"], format: string | undefined): Promise<StreamingQuery> {
    const spec: WriteStreamSpec = {
      format: format ?? "",
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
