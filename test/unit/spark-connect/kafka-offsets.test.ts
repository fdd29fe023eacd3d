/** foreachBatch's offset arithmetic: which records each delivered batch stands for. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  EARLIEST,
  batchRange,
  catchUpRange,
  initialStart,
  mergeRanges,
  parseKafkaOffsets,
  rangeReadOptions,
  replayableStartingOffsets,
} from "../../../packages/spark-connect/src/streaming/kafka-offsets.js";

test("Kafka offsets parse from progress JSON, and anything else is not offsets", () => {
  assert.deepEqual(parseKafkaOffsets({ t: { "0": 5, "1": 0 } }), { t: { "0": 5, "1": 0 } });
  assert.equal(parseKafkaOffsets(null), undefined, "the first batch of a new checkpoint reports no start");
  assert.equal(parseKafkaOffsets({ t: { "0": "5" } }), undefined);
  assert.equal(parseKafkaOffsets({ t: [5] }), undefined);
  assert.equal(parseKafkaOffsets("{}"), undefined);
});

test("a batch starts where the previous delivered batch ended, even when Spark reports another start", () => {
  const previous = { t: { "0": 10, "1": 4 } };
  const range = batchRange(previous, { t: { "0": 12, "1": 4 } }, { t: { "0": 15, "1": 6 } });
  assert.deepEqual(range, { start: { t: { "0": 10, "1": 4 } }, end: { t: { "0": 15, "1": 6 } } }, "a missed progress report merges into the next batch, nothing is skipped");
});

test("a partition that appears mid-query starts where Spark says, else at its earliest offset", () => {
  const range = batchRange({ t: { "0": 10 } }, { t: { "0": 10, "1": 3 } }, { t: { "0": 11, "1": 5, "2": 1 } });
  assert.deepEqual(range.start, { t: { "0": 10, "1": 3, "2": EARLIEST } });
});

test("a restart whose checkpoint is ahead of the commit log catches up the gap first", () => {
  const gap = catchUpRange({ t: { "0": 10, "1": 7 } }, { t: { "0": 14, "1": 7 } });
  assert.deepEqual(gap, { start: { t: { "0": 10, "1": 7 } }, end: { t: { "0": 14, "1": 7 } } }, "partition 1 has an empty range: a batch read needs every partition it assigns");
});

test("no gap when the first batch starts at the handled end, or before it (a new checkpoint re-delivers)", () => {
  assert.equal(catchUpRange({ t: { "0": 10 } }, { t: { "0": 10 } }), undefined);
  assert.equal(catchUpRange({ t: { "0": 10 } }, { t: { "0": 3 } }), undefined);
  assert.equal(catchUpRange({ t: { "0": 10 } }, { t: { "0": EARLIEST } }), undefined);
});

test("a partition the commit log never saw is caught up from its earliest offset", () => {
  assert.deepEqual(catchUpRange({ t: { "0": 10 } }, { t: { "0": 10, "1": 4 } }), { start: { t: { "0": 10, "1": EARLIEST } }, end: { t: { "0": 10, "1": 4 } } });
});

test("a new checkpoint's first batch starts at the source's startingOffsets", () => {
  const end = { t: { "0": 9, "1": 2 } };
  assert.deepEqual(initialStart("earliest", end), { t: { "0": EARLIEST, "1": EARLIEST } });
  assert.deepEqual(initialStart({ t: { "0": 4 } }, end), { t: { "0": 4, "1": EARLIEST } });
});

test("only earliest and explicit offsets are replayable starting points", () => {
  assert.deepEqual(replayableStartingOffsets("earliest"), { ok: true, value: "earliest" });
  assert.deepEqual(replayableStartingOffsets(' {"t":{"0":3}} '), { ok: true, value: { t: { "0": 3 } } });
  assert.deepEqual(replayableStartingOffsets(undefined), { ok: false, reason: "startingOffsets is unset (Kafka's default is latest)" });
  assert.deepEqual(replayableStartingOffsets("LATEST"), { ok: false, reason: 'startingOffsets is "latest"' });
  assert.equal(replayableStartingOffsets('{"t":{"0":-1}}').ok, false);
  assert.equal(replayableStartingOffsets("yesterday").ok, false);
});

test("ranges merge from the first start to the second end", () => {
  const merged = mergeRanges({ start: { t: { "0": 1 } }, end: { t: { "0": 5 } } }, { start: { t: { "0": 5, "1": 0 } }, end: { t: { "0": 9, "1": 2 } } });
  assert.deepEqual(merged, { start: { t: { "0": 1, "1": 0 } }, end: { t: { "0": 9, "1": 2 } } });
});

test("a range reads back through assign, startingOffsets and endingOffsets, in a stable order", () => {
  const options = rangeReadOptions({ start: { b: { "10": 0, "2": 1 }, a: { "0": EARLIEST } }, end: { b: { "10": 4, "2": 3 }, a: { "0": 7 } } });
  assert.deepEqual(options, { assign: '{"a":[0],"b":[2,10]}', startingOffsets: '{"a":{"0":-2},"b":{"2":1,"10":0}}', endingOffsets: '{"a":{"0":7},"b":{"2":3,"10":4}}' });
});
