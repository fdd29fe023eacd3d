import type { DataStreamWriter, StreamingQuery, StreamingQueryProgress } from "spark-connect-ts";
import { describeBatch, RejectedRecords } from "./progress-report.js";

export interface JobRun {
  readonly query: StreamingQuery;
  /** Records set aside so far, by reason (from the queries' observed metrics). */
  readonly rejected: RejectedRecords;
  /** Resolves when the query ends: stopped (undefined) or failed (its exception message). */
  readonly finished: Promise<string | undefined>;
  /** Stops the query gracefully (the current batch completes and is committed); idempotent. */
  stop(): Promise<void>;
}

export interface JobCallbacks {
  readonly log: (line: string) => void;
  readonly pollMs?: number;
}

/** Idle triggers also report progress (with the next batch's id); only executed batches add data. */
function ranBatch(progress: StreamingQueryProgress): boolean {
  return progress.durationMs.addBatch !== undefined;
}

/**
 * Waits (at most `limitMs`) for the running batch to commit. Spark's stop interrupts a batch in
 * flight, and the Kafka sink would write that batch's records again when the query resumes.
 */
async function betweenBatches(query: StreamingQuery, limitMs = 30_000): Promise<void> {
  try {
    if (!(await query.status()).isTriggerActive) return;
    const lastExecuted = async (): Promise<number> => (await query.recentProgress()).filter(ranBatch).at(-1)?.batchId ?? -1;
    const committed = await lastExecuted();
    const deadline = Date.now() + limitMs;
    while (Date.now() < deadline && (await lastExecuted()) <= committed) {
      if (await query.awaitTermination(100)) return;
    }
  } catch {
    // The query or its session is gone already: nothing to wait for.
  }
}

/** Starts a streaming query and follows it (see `followQuery`). */
export async function runJob(writer: DataStreamWriter, callbacks: JobCallbacks): Promise<JobRun> {
  const query = await writer.start();
  callbacks.log(`query started: id ${query.id}, runId ${query.runId}, name ${query.name ?? "(none)"}`);
  return followQuery(query, callbacks);
}

/**
 * Follows a running query: one log line per micro-batch with the records skipped so far, until the
 * query stops or fails. Batches that ran before it began following are not reported again.
 */
export function followQuery(query: StreamingQuery, callbacks: JobCallbacks, fromBatch = -1): JobRun {
  const { log, pollMs = 1_000 } = callbacks;
  const rejected = new RejectedRecords();
  let lastBatch = fromBatch;

  const report = async (): Promise<void> => {
    const progresses = await query.recentProgress();
    for (const progress of progresses.filter((candidate) => candidate.batchId > lastBatch && ranBatch(candidate))) {
      lastBatch = progress.batchId;
      rejected.add(progress);
      log(describeBatch(progress, rejected));
    }
  };
  const follow = async (): Promise<string | undefined> => {
    for (;;) {
      await report();
      // Even when stopping: until stop() has let the batch finish and stopped the query, it still
      // runs, and its caller must not release the session under it (that cancels the batch, and
      // Spark's at-least-once sink then writes that batch again on resume).
      if (!(await query.isActive())) break;
      await query.awaitTermination(pollMs);
    }
    // The batch that was running when the query stopped is reported too, where Spark still has it.
    await query.awaitTermination(pollMs).catch(() => undefined);
    await report().catch(() => undefined);
    const exception = await query.exception();
    return exception ? exception.message : undefined;
  };

  const finished = follow();
  let stopped: Promise<void> | undefined;
  return {
    query,
    rejected,
    finished,
    stop() {
      stopped ??= betweenBatches(query).then(() => query.stop()).then(() => finished.then(() => undefined));
      return stopped;
    },
  };
}
