import type { StreamingQueryProgress } from "spark-connect-ts";

/** Running totals of the records a job set aside, by observed-metrics name and reason. */
export class RejectedRecords {
  readonly #totals = new Map<string, number>();

  /** Adds one batch's observed metrics; the "records"/"entries" counters are not rejections. */
  add(progress: StreamingQueryProgress): void {
    for (const [metricsName, row] of Object.entries(progress.observedMetrics)) {
      for (const [reason, value] of Object.entries(row)) {
        if (reason === "records" || reason === "entries") continue;
        const key = `${metricsName}.${reason}`;
        this.#totals.set(key, (this.#totals.get(key) ?? 0) + Number(value ?? 0));
      }
    }
  }

  get total(): number {
    let sum = 0;
    for (const value of this.#totals.values()) sum += value;
    return sum;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.#totals);
  }
}

/** One log line per micro-batch: batch id, input rows, rows/s, duration and skipped records. */
export function describeBatch(progress: StreamingQueryProgress, rejected: RejectedRecords): string {
  const rate = Number.isFinite(progress.processedRowsPerSecond) ? progress.processedRowsPerSecond.toFixed(1) : "0.0";
  const duration = progress.durationMs.triggerExecution ?? progress.batchDuration;
  const output = progress.sink.numOutputRows >= 0 ? `, ${progress.sink.numOutputRows} output rows` : "";
  return `batch ${progress.batchId}: ${progress.numInputRows} input rows${output}, ${rate} rows/s, ${duration} ms; skipped so far ${JSON.stringify(rejected.toJSON())}`;
}
