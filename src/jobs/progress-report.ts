import type { StreamingQueryProgress } from "spark-connect-ts";

/** Running totals of the records a job set aside, by observed-metrics name and reason. */
export class RejectedRecords {
  readonly #totals = new Map<string, number>();

  /**
   * Adds one batch's observed metrics (the "records"/"entries" counters are not rejections) and the
   * rows its stateful operators dropped as later than the watermark (`late.droppedByWatermark`).
   */
  add(progress: StreamingQueryProgress): void {
    for (const [metricsName, row] of Object.entries(progress.observedMetrics)) {
      for (const [reason, value] of Object.entries(row)) {
        if (reason === "records" || reason === "entries") continue;
        this.#count(`${metricsName}.${reason}`, Number(value ?? 0));
      }
    }
    const dropped = progress.stateOperators.reduce((sum, operator) => sum + Math.max(0, operator.numRowsDroppedByWatermark), 0);
    if (dropped > 0) this.#count(DROPPED_BY_WATERMARK, dropped);
  }

  #count(key: string, value: number): void {
    this.#totals.set(key, (this.#totals.get(key) ?? 0) + value);
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

const DROPPED_BY_WATERMARK = "late.droppedByWatermark";

/** The state the batch left behind: rows and memory over all stateful operators. */
export function stateSize(progress: StreamingQueryProgress): { rows: number; memoryBytes: number } {
  let rows = 0;
  let memoryBytes = 0;
  for (const operator of progress.stateOperators) {
    rows += Math.max(0, operator.numRowsTotal);
    memoryBytes += Math.max(0, operator.memoryUsedBytes);
  }
  return { rows, memoryBytes };
}

function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** One log line per micro-batch: batch id, input rows, rows/s, duration, state size and skipped records. */
export function describeBatch(progress: StreamingQueryProgress, rejected: RejectedRecords): string {
  const rate = Number.isFinite(progress.processedRowsPerSecond) ? progress.processedRowsPerSecond.toFixed(1) : "0.0";
  const duration = progress.durationMs.triggerExecution ?? progress.batchDuration;
  const output = progress.sink.numOutputRows >= 0 ? `, ${progress.sink.numOutputRows} output rows` : "";
  const { rows, memoryBytes } = stateSize(progress);
  const state = progress.stateOperators.length > 0 ? `; state ${rows} rows, ${mebibytes(memoryBytes)}` : "";
  return `batch ${progress.batchId}: ${progress.numInputRows} input rows${output}, ${rate} rows/s, ${duration} ms${state}; skipped so far ${JSON.stringify(rejected.toJSON())}`;
}
