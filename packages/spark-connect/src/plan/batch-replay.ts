/**
 * `foreachBatch` without a server-side callback: the client rewrites the streaming plan into a
 * batch plan that reads exactly one micro-batch's Kafka offset range, keeping every transformation
 * the user applied on top of the streaming read. Only plans where that gives the same rows as the
 * streaming batch are accepted: one Kafka source, no operator that keeps state across batches.
 */
import { clone } from "@bufbuild/protobuf";
import { RelationSchema, type Relation } from "../gen/spark/connect/relations_pb.js";
import { UnsupportedForeachBatchPlan } from "../errors.js";

/**
 * Operators whose streaming result depends on earlier batches (state, watermarks, limits): a
 * batch read of one range would silently compute something else.
 */
const STATEFUL_OPERATORS: ReadonlySet<string> = new Set(["aggregate", "deduplicate", "withWatermark", "limit", "offset", "tail", "sort", "groupMap", "coGroupMap", "applyInPandasWithState"]);

/** Kafka options that only mean something to a streaming read or that the replay sets itself. */
const STREAMING_ONLY_OPTIONS: ReadonlySet<string> = new Set([
  "subscribe",
  "subscribepattern",
  "assign",
  "startingoffsets",
  "endingoffsets",
  "startingoffsetsbytimestamp",
  "startingtimestamp",
  "startingoffsetsbytimestampstrategy",
  "endingoffsetsbytimestamp",
  "endingtimestamp",
  "maxoffsetspertrigger",
  "minoffsetspertrigger",
  "maxtriggerdelay",
]);

/** The streaming plan's one replayable source. */
export interface ReplayableSource {
  /** The Kafka source's options as the user gave them (case as given). */
  readonly options: Readonly<Record<string, string>>;
}

function isRelation(value: unknown): value is Relation {
  return typeof value === "object" && value !== null && (value as { $typeName?: unknown }).$typeName === RelationSchema.typeName;
}

/** Every Relation node of the plan, including those inside expressions (subqueries), parents first. */
function* relations(node: unknown): Generator<Relation> {
  if (typeof node !== "object" || node === null || node instanceof Uint8Array) return;
  if (isRelation(node)) yield node;
  for (const value of Array.isArray(node) ? node : Object.values(node)) yield* relations(value);
}

function optionValue(options: Readonly<Record<string, string>>, key: string): string | undefined {
  const wanted = key.toLowerCase();
  return Object.entries(options).find(([name]) => name.toLowerCase() === wanted)?.[1];
}

/** The source's `startingOffsets` option, whatever case its key was given in. */
export function startingOffsetsOption(source: ReplayableSource): string | undefined {
  return optionValue(source.options, "startingOffsets");
}

/**
 * The streaming plan's one Kafka source, or an UnsupportedForeachBatchPlan saying why the plan
 * cannot be replayed: no streaming source the client can see, a non-Kafka source, several
 * streaming sources, or an operator that keeps state across batches.
 */
export function replayableSource(plan: Relation): ReplayableSource {
  const streamingReads = [...relations(plan)].filter((node) => node.relType.case === "read" && node.relType.value.isStreaming);
  if (streamingReads.length === 0) {
    throw new UnsupportedForeachBatchPlan("foreachBatch needs a streaming read in the DataFrame's plan (spark.readStream.format(\"kafka\")…load()); one hidden in SQL text or a view cannot be replayed");
  }
  if (streamingReads.length > 1) throw new UnsupportedForeachBatchPlan(`foreachBatch replays one streaming source; this plan reads ${streamingReads.length}`);
  const read = streamingReads[0]!.relType;
  const dataSource = read.case === "read" && read.value.readType.case === "dataSource" ? read.value.readType.value : undefined;
  if (dataSource?.format?.toLowerCase() !== "kafka") {
    const what = dataSource ? `the "${dataSource.format ?? ""}" source` : "a streaming table";
    throw new UnsupportedForeachBatchPlan(`foreachBatch replays each micro-batch from its Kafka offsets; ${what} cannot be read back as a batch`);
  }
  const stateful = [...relations(plan)].flatMap((node) => (node.relType.case !== undefined && STATEFUL_OPERATORS.has(node.relType.case) ? [node.relType.case] : []));
  if (stateful.length > 0) {
    throw new UnsupportedForeachBatchPlan(`foreachBatch replays each micro-batch on its own, so operators that keep state across batches change meaning; this plan has ${[...new Set(stateful)].join(", ")}`);
  }
  return { options: { ...dataSource.options } };
}

/**
 * The plan with its streaming Kafka read replaced by a batch read of one offset range: the same
 * options, without those only a streaming read has, plus `rangeOptions` (`assign`,
 * `startingOffsets`, `endingOffsets`). Plan ids are kept, so column references made through the
 * user's DataFrames still resolve.
 */
export function batchPlan(plan: Relation, rangeOptions: Readonly<Record<string, string>>): Relation {
  const copy = clone(RelationSchema, plan);
  for (const node of relations(copy)) {
    if (node.relType.case !== "read" || !node.relType.value.isStreaming || node.relType.value.readType.case !== "dataSource") continue;
    const dataSource = node.relType.value.readType.value;
    const kept = Object.entries(dataSource.options).filter(([key]) => !STREAMING_ONLY_OPTIONS.has(key.toLowerCase()));
    dataSource.options = { ...Object.fromEntries(kept), ...rangeOptions };
    node.relType.value.isStreaming = false;
  }
  return copy;
}
