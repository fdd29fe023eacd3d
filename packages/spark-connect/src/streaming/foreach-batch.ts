/**
 * `writeStream.foreachBatch(handler)`, run by the client. The server runs the streaming query into
 * Spark's `noop` sink; for each micro-batch it ran, the client replays that batch's exact Kafka
 * offset range as a batch DataFrame (see plan/batch-replay.ts) and awaits the handler on it, one batch
 * at a time, in order, then records the batch's end offsets in a durable commit log.
 *
 * Two loops share a queue of offset ranges (never rows): one follows the server's progress, the
 * other delivers. The server may run ahead of a slow handler; past `maxQueuedBatches` the newest
 * ranges are merged, so memory stays bounded.
 */
import { DataFrame } from "../dataframe.js";
import type { ActionOptions } from "../action-options.js";
import { StreamingQueryException } from "../errors.js";
import type { Relation } from "../plan/relations.js";
import type { SparkSession } from "../session.js";
import { batchPlan } from "../plan/batch-replay.js";
import type { BatchCommitLog, HandledBatch } from "./commit-log.js";
import { batchRange, catchUpRange, initialStart, mergeRanges, parseKafkaOffsets, rangeReadOptions, type KafkaOffsetRange, type KafkaOffsets } from "./kafka-offsets.js";
import type { StreamingQueryProgress } from "./progress.js";
import { StreamingQuery } from "./streaming-query.js";

/**
 * Called with each micro-batch as a batch DataFrame and the micro-batch's id. The next batch is
 * delivered when the returned promise resolves; a rejection stops the query with that error.
 */
export type ForeachBatchHandler = (batchDf: DataFrame, batchId: number) => Promise<void>;

/** How `foreachBatch` follows the query and where it records what its handler finished. */
export interface ForeachBatchOptions {
  /**
   * Where the end offsets of the last handled batch are recorded: a local file path (a
   * {@link FileCommitLog}) or your own {@link BatchCommitLog}. Required with a `checkpointLocation`:
   * it is what lets a restart re-deliver the batches the server ran but the handler did not finish.
   */
  readonly commitLog?: string | BatchCommitLog;
  /** How often the client asks the server for the progress of new batches (default 500 ms). */
  readonly pollMs?: number;
  /** Batches queued ahead of a slow handler before the newest are merged into one (default 1000). */
  readonly maxQueuedBatches?: number;
}

/** One delivery: the micro-batch id and the offsets it covers. */
interface PendingBatch {
  readonly batchId: number;
  readonly range: KafkaOffsetRange;
}

/** Idle triggers report progress too (with the next batch's id); only executed batches read records. */
function ranBatch(progress: StreamingQueryProgress): boolean {
  return progress.durationMs.addBatch !== undefined;
}

/** Where the query's first batch starts when Spark reports none (a new checkpoint). */
export type FirstStart = KafkaOffsets | "earliest";

export interface DeliverySetup {
  readonly session: SparkSession;
  /** The streaming plan, whose Kafka read each delivery replaces by a batch read. */
  readonly plan: Relation;
  readonly handler: ForeachBatchHandler;
  readonly commitLog: BatchCommitLog | undefined;
  /** The last handled batch, read from the commit log before the query started. */
  readonly handled: HandledBatch | undefined;
  /** Where a new checkpoint's first batch starts: the commit log's end, else the source's startingOffsets. */
  readonly firstStart: FirstStart;
  readonly pollMs: number;
  readonly maxQueuedBatches: number;
}

/** The client-side half of a foreachBatch query: follows the server's query and delivers its batches. */
export class BatchDelivery {
  readonly #setup: DeliverySetup;
  readonly #server: StreamingQuery;
  readonly #queue: PendingBatch[] = [];
  #lastSeenBatchId = -1;
  #queuedEnd: KafkaOffsets | undefined;
  #serverEnded = false;
  #stopping = false;
  #handling = false;
  #ended = false;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;
  #idle: Array<() => void> = [];
  #collecting: Promise<void> = Promise.resolve();
  /** Resolves when delivery has ended: stopped, failed, or every batch of a finished query delivered. */
  readonly finished: Promise<void>;

  constructor(setup: DeliverySetup, server: StreamingQuery) {
    this.#setup = setup;
    this.#server = server;
    this.finished = Promise.all([this.#follow(), this.#deliver()]).then(() => {
      this.#ended = true;
    });
  }

  /** The error that ended delivery (the handler's, the commit log's, or the server query's), if any. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Whether delivery has ended. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Stops the server's query and delivery; the batch being handled completes (and is committed) first. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#server.stop().catch(() => undefined);
    await this.finished;
  }

  /** Resolves when every batch the server has reported so far is handled (or delivery ended). */
  async caughtUp(): Promise<void> {
    await this.#collect();
    if (this.#ended || (this.#queue.length === 0 && !this.#handling)) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  #fail(error: unknown): void {
    this.#failure ??= error instanceof Error ? error : new Error(String(error));
    this.#stopping = true;
    this.#wake?.();
  }

  #enqueue(batch: PendingBatch): void {
    const tail = this.#queue.at(-1);
    if (tail !== undefined && this.#queue.length >= this.#setup.maxQueuedBatches) this.#queue[this.#queue.length - 1] = { batchId: batch.batchId, range: mergeRanges(tail.range, batch.range) };
    else this.#queue.push(batch);
    this.#queuedEnd = batch.range.end;
    this.#wake?.();
  }

  /** Turns one executed batch's progress into deliveries: the first of a run may need a catch-up first. */
  #admit(progress: StreamingQueryProgress): void {
    const source = progress.sources[0];
    const end = parseKafkaOffsets(source?.endOffset);
    if (end === undefined) throw new StreamingQueryException(`batch ${progress.batchId} of query ${progress.id} reported no Kafka end offsets (${JSON.stringify(source?.endOffset ?? null)})`);
    const reportedStart = parseKafkaOffsets(source?.startOffset);
    if (this.#queuedEnd !== undefined) {
      this.#enqueue({ batchId: progress.batchId, range: batchRange(this.#queuedEnd, reportedStart, end) });
      return;
    }
    const start = reportedStart ?? initialStart(this.#setup.firstStart, end);
    const handled = this.#setup.handled;
    const gap = handled === undefined ? undefined : catchUpRange(handled.endOffsets, start);
    // The catch-up carries the id of the last micro-batch it covers: the one before this run's first.
    if (gap !== undefined) this.#enqueue({ batchId: progress.batchId - 1, range: gap });
    this.#enqueue({ batchId: progress.batchId, range: batchRange(undefined, start, end) });
  }

  /** Reads the progress of batches not seen yet; serialised, as both loops may ask. */
  #collect(): Promise<void> {
    this.#collecting = this.#collecting.then(async () => {
      const progresses = await this.#server.recentProgress();
      for (const progress of progresses) {
        if (progress.batchId <= this.#lastSeenBatchId || !ranBatch(progress)) continue;
        this.#lastSeenBatchId = progress.batchId;
        this.#admit(progress);
      }
    });
    return this.#collecting;
  }

  async #follow(): Promise<void> {
    try {
      for (;;) {
        await this.#collect();
        if (this.#stopping) return;
        if (await this.#server.awaitTermination(this.#setup.pollMs)) break;
      }
      // The batches that ran just before the query stopped, while the server still has them.
      await this.#collect();
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#serverEnded = true;
      this.#wake?.();
    }
  }

  async #deliver(): Promise<void> {
    for (;;) {
      const next = this.#stopping ? undefined : this.#queue.shift();
      if (next === undefined) {
        for (const resolve of this.#idle.splice(0)) resolve();
        if (this.#stopping || this.#serverEnded) return;
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        continue;
      }
      this.#handling = true;
      try {
        const { session, plan, handler, commitLog } = this.#setup;
        await handler(new DataFrame(session, batchPlan(plan, rangeReadOptions(next.range))), next.batchId);
        await commitLog?.write({ batchId: next.batchId, endOffsets: next.range.end });
      } catch (error) {
        this.#fail(
          new StreamingQueryException(`foreachBatch handler failed on batch ${next.batchId}: ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
            errorClass: "FOREACH_BATCH_USER_FUNCTION_ERROR",
          }),
        );
        await this.#server.stop().catch(() => undefined);
      } finally {
        this.#handling = false;
      }
    }
  }
}

/**
 * The query `start()` returns for `foreachBatch`: the server's query plus the client's delivery of
 * its batches. Waiting, stopping and the exception cover both halves.
 */
export class ForeachBatchQuery extends StreamingQuery {
  readonly #delivery: BatchDelivery;

  /** Made by `writeStream.foreachBatch(…).start()`. */
  constructor(server: StreamingQuery, delivery: BatchDelivery) {
    super(server.sparkSession, server.id, server.runId, server.name);
    this.#delivery = delivery;
  }

  /**
   * Waits until the query stops and every batch it ran is delivered (a query that ends by itself,
   * as with `availableNow`, is drained first). Rejects with the handler's error, wrapped in a
   * StreamingQueryException whose `cause` it is, or with the server query's exception.
   */
  override async awaitTermination(timeoutMs?: number, options: ActionOptions = {}): Promise<boolean> {
    const started = Date.now();
    let serverStopped: boolean;
    try {
      serverStopped = await super.awaitTermination(timeoutMs, options);
    } catch (error) {
      await this.#delivery.finished;
      throw this.#delivery.failure ?? error;
    }
    if (!serverStopped) return false;
    if (timeoutMs === undefined) await this.#delivery.finished;
    else {
      const left = Math.max(0, timeoutMs - (Date.now() - started));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([this.#delivery.finished.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(resolve, left, true)))]);
      clearTimeout(timer);
      if (timedOut) return false;
    }
    if (this.#delivery.failure) throw this.#delivery.failure;
    return true;
  }

  /** Whether the server's query runs or batches are still being delivered. */
  override async isActive(): Promise<boolean> {
    return !this.#delivery.ended || (await super.isActive());
  }

  /** Waits until the server processed every record available now and the handler was given all of it. */
  override async processAllAvailable(): Promise<void> {
    await super.processAllAvailable();
    await this.#delivery.caughtUp();
    if (this.#delivery.failure) throw this.#delivery.failure;
  }

  /** Stops the query; the batch being handled completes and is recorded first, queued ones are delivered on the next start. */
  override async stop(): Promise<void> {
    await this.#delivery.stop();
  }

  /** The handler's failure, else the server query's exception, else undefined. */
  override async exception(): Promise<StreamingQueryException | undefined> {
    const failure = this.#delivery.failure;
    if (failure instanceof StreamingQueryException) return failure;
    if (failure) return new StreamingQueryException(failure.message, { cause: failure });
    return super.exception();
  }
}
