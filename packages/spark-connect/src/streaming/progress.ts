/**
 * Typed streaming progress, parsed from the JSON Spark reports for each micro-batch
 * (`StreamingQueryProgress.json`), and the query status.
 */

export interface StreamingQueryStatus {
  readonly message: string;
  readonly isDataAvailable: boolean;
  readonly isTriggerActive: boolean;
  readonly isActive: boolean;
}

/** The state of one stateful operator (aggregation, join, dedup) after a micro-batch. */
export interface StateOperatorProgress {
  readonly operatorName: string;
  readonly numRowsTotal: number;
  readonly numRowsUpdated: number;
  readonly numRowsRemoved: number;
  readonly memoryUsedBytes: number;
  readonly numRowsDroppedByWatermark: number;
  /** Time the batch spent writing this operator's state store, ms (-1 when the server does not report it). */
  readonly allUpdatesTimeMs: number;
  /** Time the batch spent evicting rows from this operator's state store, ms (-1 when not reported). */
  readonly allRemovalsTimeMs: number;
  /** Time the batch spent committing this operator's state store, ms (-1 when not reported). */
  readonly commitTimeMs: number;
  readonly customMetrics: Readonly<Record<string, number>>;
}

/** What one source read in a micro-batch, with its start and end offsets. */
export interface SourceProgress {
  readonly description: string;
  /** Offsets are source-specific JSON (Kafka: `{"topic":{"0":42}}`), or null before the first batch. */
  readonly startOffset: unknown;
  readonly endOffset: unknown;
  readonly latestOffset: unknown;
  readonly numInputRows: number;
  readonly inputRowsPerSecond: number;
  readonly processedRowsPerSecond: number;
  readonly metrics: Readonly<Record<string, string>>;
}

/** What the sink wrote in a micro-batch. */
export interface SinkProgress {
  readonly description: string;
  /** -1 when the sink does not report it. */
  readonly numOutputRows: number;
  readonly metrics: Readonly<Record<string, string>>;
}

/** The progress of one micro-batch, as Spark's `StreamingQueryProgress` JSON, typed. */
export interface StreamingQueryProgress {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  /** When the trigger started, ISO-8601. */
  readonly timestamp: string;
  readonly batchId: number;
  readonly batchDuration: number;
  readonly numInputRows: number;
  readonly inputRowsPerSecond: number;
  readonly processedRowsPerSecond: number;
  readonly durationMs: Readonly<Record<string, number>>;
  readonly eventTime: Readonly<Record<string, string>>;
  readonly stateOperators: readonly StateOperatorProgress[];
  readonly sources: readonly SourceProgress[];
  readonly sink: SinkProgress;
  /** `df.observe(name, …)` metrics of this batch: name → { metric alias → value }. */
  readonly observedMetrics: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The JSON as Spark sent it. */
  readonly json: string;
}

type Json = Record<string, unknown>;

const num = (value: unknown, fallback = 0): number => {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  return fallback; // Spark writes NaN rates as the string "NaN" or leaves them out
};
const obj = (value: unknown): Json => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);
const str = (value: unknown): string => (typeof value === "string" ? value : value === undefined || value === null ? "" : String(value));
const strings = (value: unknown): Record<string, string> => Object.fromEntries(Object.entries(obj(value)).map(([k, v]) => [k, str(v)]));
const numbers = (value: unknown): Record<string, number> => Object.fromEntries(Object.entries(obj(value)).map(([k, v]) => [k, num(v)]));
const rate = (value: unknown): number => num(value, Number.NaN);

/** Offsets arrive as JSON text inside the JSON in some versions; parse them when they are. */
function offset(value: unknown): unknown {
  if (typeof value !== "string") return value ?? null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Spark writes an observed row as `{"values":[…],"schema":{"fields":[{"name":…}]}}`. */
function observedRow(row: unknown): Record<string, unknown> {
  const { values, schema } = obj(row);
  if (!Array.isArray(values)) return obj(row);
  const names = list(obj(schema).fields).map((field) => str(field.name));
  return Object.fromEntries(values.map((value: unknown, index) => [names[index] ?? `_${index + 1}`, value]));
}

export function parseProgress(json: string): StreamingQueryProgress {
  const raw = obj(JSON.parse(json));
  const sink = obj(raw.sink);
  const sources = list(raw.sources).map((source) => ({
    description: str(source.description),
    startOffset: offset(source.startOffset),
    endOffset: offset(source.endOffset),
    latestOffset: offset(source.latestOffset),
    numInputRows: num(source.numInputRows),
    inputRowsPerSecond: rate(source.inputRowsPerSecond),
    processedRowsPerSecond: rate(source.processedRowsPerSecond),
    metrics: strings(source.metrics),
  }));
  // Spark 4 leaves the totals out of the JSON; like Spark's own accessors, they sum the sources.
  const total = (key: "numInputRows" | "inputRowsPerSecond" | "processedRowsPerSecond"): number =>
    sources.reduce((sum, source) => sum + (Number.isNaN(source[key]) ? 0 : source[key]), 0);
  return {
    id: str(raw.id),
    runId: str(raw.runId),
    name: typeof raw.name === "string" ? raw.name : null,
    timestamp: str(raw.timestamp),
    batchId: num(raw.batchId),
    batchDuration: num(raw.batchDuration),
    numInputRows: raw.numInputRows === undefined ? total("numInputRows") : num(raw.numInputRows),
    inputRowsPerSecond: raw.inputRowsPerSecond === undefined ? total("inputRowsPerSecond") : rate(raw.inputRowsPerSecond),
    processedRowsPerSecond: raw.processedRowsPerSecond === undefined ? total("processedRowsPerSecond") : rate(raw.processedRowsPerSecond),
    durationMs: numbers(raw.durationMs),
    eventTime: strings(raw.eventTime),
    stateOperators: list(raw.stateOperators).map((op) => ({
      operatorName: str(op.operatorName),
      numRowsTotal: num(op.numRowsTotal),
      numRowsUpdated: num(op.numRowsUpdated),
      numRowsRemoved: num(op.numRowsRemoved),
      memoryUsedBytes: num(op.memoryUsedBytes),
      numRowsDroppedByWatermark: num(op.numRowsDroppedByWatermark),
      allUpdatesTimeMs: num(op.allUpdatesTimeMs, -1),
      allRemovalsTimeMs: num(op.allRemovalsTimeMs, -1),
      commitTimeMs: num(op.commitTimeMs, -1),
      customMetrics: numbers(op.customMetrics),
    })),
    sources,
    sink: { description: str(sink.description), numOutputRows: num(sink.numOutputRows, -1), metrics: strings(sink.metrics) },
    observedMetrics: Object.fromEntries(Object.entries(obj(raw.observedMetrics)).map(([name, row]) => [name, observedRow(row)])),
    json,
  };
}
