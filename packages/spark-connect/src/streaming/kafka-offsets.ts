/**
 * Kafka offset ranges for `foreachBatch`: pure functions over the offsets Spark reports in a
 * micro-batch's progress (`{"topic":{"0":42}}`), which say exactly which records the batch read.
 */

/** Kafka offsets as Spark writes them: topic → partition → offset. `-2` stands for the partition's earliest offset. */
export type KafkaOffsets = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** Kafka's "earliest" in an offsets JSON. */
export const EARLIEST = -2;
/** Kafka's "latest" in an offsets JSON (not a replayable start: it moves). */
export const LATEST = -1;

/** The records one delivered batch stands for: from `start` (inclusive) to `end` (exclusive), per partition. */
export interface KafkaOffsetRange {
  readonly start: KafkaOffsets;
  readonly end: KafkaOffsets;
}

/** Offsets from progress JSON, or undefined when the value is not topic → partition → integer offset. */
export function parseKafkaOffsets(value: unknown): KafkaOffsets | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const offsets: Record<string, Record<string, number>> = {};
  for (const [topic, partitions] of Object.entries(value)) {
    if (partitions === null || typeof partitions !== "object" || Array.isArray(partitions)) return undefined;
    offsets[topic] = {};
    for (const [partition, offset] of Object.entries(partitions as Record<string, unknown>)) {
      if (typeof offset !== "number" || !Number.isInteger(offset)) return undefined;
      offsets[topic][partition] = offset;
    }
  }
  return offsets;
}

/** Every (topic, partition, offset) of `offsets`, topics and partitions in a stable order. */
function entries(offsets: KafkaOffsets): Array<[topic: string, partition: string, offset: number]> {
  return Object.keys(offsets)
    .sort()
    .flatMap((topic) =>
      Object.keys(offsets[topic] ?? {})
        .sort((a, b) => Number(a) - Number(b))
        .map((partition): [string, string, number] => [topic, partition, offsets[topic]![partition]!]),
    );
}

function offsetOf(offsets: KafkaOffsets | undefined, topic: string, partition: string): number | undefined {
  return offsets?.[topic]?.[partition];
}

/** `offsets` with one value per partition of `shape`, from `pick(topic, partition, shapeOffset)`. */
function mapPartitions(shape: KafkaOffsets, pick: (topic: string, partition: string, offset: number) => number): KafkaOffsets {
  const out: Record<string, Record<string, number>> = {};
  for (const [topic, partition, offset] of entries(shape)) (out[topic] ??= {})[partition] = pick(topic, partition, offset);
  return out;
}

/**
 * Where a batch ending at `end` starts, partition by partition: where the previous delivered batch
 * ended (so that consecutive batches are contiguous even when a progress report was missed), else
 * where Spark says the batch started, else the partition's earliest offset (Spark reads a partition
 * it discovers mid-query from its beginning).
 */
export function batchRange(previousEnd: KafkaOffsets | undefined, reportedStart: KafkaOffsets | undefined, end: KafkaOffsets): KafkaOffsetRange {
  const start = mapPartitions(end, (topic, partition) => offsetOf(previousEnd, topic, partition) ?? offsetOf(reportedStart, topic, partition) ?? EARLIEST);
  return { start, end };
}

/**
 * The records a restarted query would skip: those after the last handled batch (`handledEnd`, from
 * the commit log) and before the first batch of this run (`firstStart`). Spark's checkpoint may be
 * ahead of the commit log because the server ran batches whose handler never completed (the client
 * crashed). Undefined when nothing was skipped. A partition where the first batch starts before the
 * handled end (a new checkpoint) is not a gap: that batch re-delivers those records (at-least-once).
 */
export function catchUpRange(handledEnd: KafkaOffsets, firstStart: KafkaOffsets): KafkaOffsetRange | undefined {
  let gap = false;
  const start = mapPartitions(firstStart, (topic, partition, firstOffset) => {
    // A partition the last handled batch did not know was read by Spark from its beginning.
    const handled = offsetOf(handledEnd, topic, partition) ?? EARLIEST;
    if (firstOffset === EARLIEST || handled >= firstOffset) return firstOffset;
    gap = true;
    return handled;
  });
  return gap ? { start, end: firstStart } : undefined;
}

/**
 * Where the first batch of a new checkpoint starts: Spark reports no start offsets for it, so the
 * source's own `startingOffsets` option says where it began (`earliest` or a JSON of offsets, where
 * a partition the JSON does not name starts at its earliest offset).
 */
export function initialStart(startingOffsets: KafkaOffsets | "earliest", end: KafkaOffsets): KafkaOffsets {
  return mapPartitions(end, (topic, partition) => (startingOffsets === "earliest" ? EARLIEST : (offsetOf(startingOffsets, topic, partition) ?? EARLIEST)));
}

/**
 * The source's `startingOffsets` option as a replayable start, or why it is not one: `latest` (the
 * Kafka source's default) and timestamps depend on when the query started, which the client
 * cannot know afterwards.
 */
export function replayableStartingOffsets(option: string | undefined): { ok: true; value: KafkaOffsets | "earliest" } | { ok: false; reason: string } {
  const text = option?.trim();
  if (text === undefined || text === "" || text.toLowerCase() === "latest") {
    return { ok: false, reason: `startingOffsets is ${text ? '"latest"' : "unset (Kafka's default is latest)"}` };
  }
  if (text.toLowerCase() === "earliest") return { ok: true, value: "earliest" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: `startingOffsets ${JSON.stringify(text)} is neither earliest, latest nor a JSON of offsets` };
  }
  const offsets = parseKafkaOffsets(parsed);
  if (!offsets) return { ok: false, reason: `startingOffsets ${JSON.stringify(text)} is not a JSON of topic → partition → offset` };
  if (entries(offsets).some(([, , offset]) => offset === LATEST)) return { ok: false, reason: "startingOffsets names -1 (latest) for a partition" };
  return { ok: true, value: offsets };
}

/** The topics and partitions of `offsets`, as the Kafka source's `assign` option: `{"topic":[0,1]}`. */
export function assignment(offsets: KafkaOffsets): string {
  const out: Record<string, number[]> = {};
  for (const [topic, partition] of entries(offsets)) (out[topic] ??= []).push(Number(partition));
  return JSON.stringify(out);
}

/** Offsets as the Kafka source's `startingOffsets` / `endingOffsets` options take them. */
export function offsetsJson(offsets: KafkaOffsets): string {
  const out: Record<string, Record<string, number>> = {};
  for (const [topic, partition, offset] of entries(offsets)) (out[topic] ??= {})[partition] = offset;
  return JSON.stringify(out);
}

/** Two consecutive ranges as one: from where `first` started to where `second` ends. */
export function mergeRanges(first: KafkaOffsetRange, second: KafkaOffsetRange): KafkaOffsetRange {
  return { start: mapPartitions(second.end, (topic, partition) => offsetOf(first.start, topic, partition) ?? offsetOf(second.start, topic, partition) ?? EARLIEST), end: second.end };
}

/**
 * The Kafka batch-read options that read exactly `range`: its partitions by `assign` (a
 * subscription would also need offsets for partitions added since) and its offsets.
 */
export function rangeReadOptions(range: KafkaOffsetRange): Record<string, string> {
  return { assign: assignment(range.end), startingOffsets: offsetsJson(range.start), endingOffsets: offsetsJson(range.end) };
}
