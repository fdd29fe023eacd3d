/** Arrow → JavaScript values, for every type the client decodes, including nulls and nesting. */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as A from "apache-arrow";
import { batchesToRows, converterFor } from "../../../packages/spark-connect/src/client/arrow-decode.js";

/** A one-column batch, serialised and read back as the server's IPC stream would be. */
function roundTrip(name: string, type: A.DataType, values: unknown[]): Record<string, unknown>[] {
  const vector = A.vectorFromArray(values, type);
  const table = new A.Table({ [name]: vector });
  const reader = A.RecordBatchReader.from(A.tableToIPC(table, "stream"));
  return batchesToRows([...reader]);
}

const column = (name: string, type: A.DataType, values: unknown[]): unknown[] => roundTrip(name, type, values).map((row) => row[name]);

test("integers: tinyint, smallint, int as numbers; a bigint column as numbers when all fit, else all bigint", () => {
  assert.deepEqual(column("b", new A.Int8(), [1, -128, null]), [1, -128, null]);
  assert.deepEqual(column("s", new A.Int16(), [32767, null]), [32767, null]);
  assert.deepEqual(column("i", new A.Int32(), [-(2 ** 31), 2 ** 31 - 1]), [-(2 ** 31), 2 ** 31 - 1]);
  assert.deepEqual(column("l", new A.Int64(), [0n, 9007199254740991n, -9007199254740991n, null]), [0, 9007199254740991, -9007199254740991, null]);
  assert.deepEqual(column("l", new A.Int64(), [0n, 9007199254740991n, 9007199254740992n, -9223372036854775808n, null]), [
    0n,
    9007199254740991n,
    9007199254740992n,
    -9223372036854775808n,
    null,
  ]);
});

test("floating point, strings, booleans, binary", () => {
  assert.deepEqual(column("f", new A.Float32(), [1.5, null]), [1.5, null]);
  assert.deepEqual(column("d", new A.Float64(), [0.1, Number.NaN, Number.POSITIVE_INFINITY]), [0.1, Number.NaN, Number.POSITIVE_INFINITY]);
  assert.deepEqual(column("s", new A.Utf8(), ["", "ünïcödé ✓", null]), ["", "ünïcödé ✓", null]);
  assert.deepEqual(column("s", new A.LargeUtf8(), ["large"]), ["large"]);
  assert.deepEqual(column("b", new A.Bool(), [true, false, null]), [true, false, null]);
  assert.deepEqual(column("x", new A.Binary(), [new Uint8Array([0, 255]), null]), [new Uint8Array([0, 255]), null]);
});

test("decimals become exact strings with their scale", () => {
  const decode = converterFor(new A.Decimal(2, 10, 128));
  const words = (value: bigint): Uint32Array => {
    const out = new Uint32Array(4);
    let v = BigInt.asUintN(128, value);
    for (let i = 0; i < 4; i += 1) {
      out[i] = Number(v & 0xffffffffn);
      v >>= 32n;
    }
    return out;
  };
  assert.equal(decode(words(12345n)), "123.45");
  assert.equal(decode(words(-5n)), "-0.05");
  assert.equal(decode(words(0n)), "0.00");
  assert.equal(converterFor(new A.Decimal(0, 38, 128))(words(10n ** 37n)), `1${"0".repeat(37)}`);
  assert.equal(converterFor(new A.Decimal(9, 38, 128))(words(12345678901234567890123456789n)), "12345678901234567890.123456789");
  assert.equal(decode(null), null);
});

test("dates and timestamps become UTC Dates", () => {
  assert.deepEqual(column("d", new A.DateDay(), [new Date("2024-02-29T00:00:00Z"), null]), [new Date("2024-02-29T00:00:00Z"), null]);
  const micros = A.makeVector(
    A.makeData({ type: new A.TimestampMicrosecond("UTC"), length: 2, nullCount: 0, data: new BigInt64Array([1709210096789123n, 0n]) }),
  );
  const rows = batchesToRows([new A.RecordBatch({ ts: micros.data[0] as A.Data<A.TimestampMicrosecond> })]);
  assert.deepEqual(
    rows.map((row) => row.ts),
    [new Date("2024-02-29T12:34:56.789Z"), new Date(0)],
  );
  const ntz = A.makeVector(A.makeData({ type: new A.TimestampMicrosecond(), length: 1, nullCount: 0, data: new BigInt64Array([1000n]) }));
  assert.deepEqual(batchesToRows([new A.RecordBatch({ ntz: ntz.data[0] as A.Data<A.TimestampMicrosecond> })]), [{ ntz: new Date(1) }]);
});

test("arrays, structs, maps, nested, with nulls at every level", () => {
  const list = new A.List(new A.Field("element", new A.Int32(), true));
  assert.deepEqual(column("a", list, [[1, null, 3], [], null]), [[1, null, 3], [], null]);

  const struct = new A.Struct([new A.Field("x", new A.Int64(), true), new A.Field("y", new A.Utf8(), true)]);
  assert.deepEqual(column("s", struct, [{ x: 1n, y: "a" }, { x: null, y: null }, null]), [{ x: 1, y: "a" }, { x: null, y: null }, null]);

  const entries = new A.Struct([new A.Field("key", new A.Utf8(), false), new A.Field("value", new A.Float64(), true)]);
  const map = new A.Map_(new A.Field("entries", entries, false));
  const decoded = column("m", map, [new Map([["a", 1.5], ["b", null]]), null]);
  assert.deepEqual(decoded, [new Map([["a", 1.5], ["b", null]]), null]);

  const nested = new A.List(new A.Field("element", new A.Struct([new A.Field("tags", new A.List(new A.Field("element", new A.Utf8(), true)), true)]), true));
  assert.deepEqual(column("n", nested, [[{ tags: ["p", "q"] }, { tags: null }]]), [[{ tags: ["p", "q"] }, { tags: null }]]);
});

test("several columns and batches keep names, order and row count", () => {
  const one = new A.RecordBatch({ id: A.vectorFromArray([1, 2], new A.Int32()).data[0] as A.Data<A.Int32>, name: A.vectorFromArray(["a", "b"], new A.Utf8()).data[0] as A.Data<A.Utf8> });
  const two = new A.RecordBatch({ id: A.vectorFromArray([3], new A.Int32()).data[0] as A.Data<A.Int32>, name: A.vectorFromArray([null], new A.Utf8()).data[0] as A.Data<A.Utf8> });
  const rows = batchesToRows([one, two]);
  assert.deepEqual(rows, [
    { id: 1, name: "a" },
    { id: 2, name: "b" },
    { id: 3, name: null },
  ]);
  assert.deepEqual(Object.keys(rows[0] ?? {}), ["id", "name"]);
  assert.deepEqual(batchesToRows([]), []);
});

// ---- result shapes: duplicate names, int64 and timestamp modes ---------------------------------
import { RowDecoder, valuesOf } from "../../../packages/spark-connect/src/client/arrow-decode.js";
import { resolveResultOptions } from "../../../packages/spark-connect/src/result-options.js";

function int64Batch(values: bigint[]): A.RecordBatch {
  return new A.RecordBatch({ l: A.vectorFromArray(values, new A.Int64()).data[0] as A.Data<A.Int64> });
}

test("duplicate column names: the first keeps the name, every value stays reachable by position", () => {
  const id = (values: number[]): A.Data<A.Int32> => A.vectorFromArray(values, new A.Int32()).data[0] as A.Data<A.Int32>;
  const schema = new A.Schema([new A.Field("id", new A.Int32(), true), new A.Field("v", new A.Utf8(), true), new A.Field("id", new A.Int32(), true)]);
  const batch = new A.RecordBatch(schema, A.makeData({ type: new A.Struct(schema.fields), length: 2, nullCount: 0, children: [id([1, 2]), A.vectorFromArray(["a", "b"], new A.Utf8()).data[0] as A.Data<A.Utf8>, id([10, 20])] }));
  const rows = batchesToRows([batch]);
  assert.deepEqual(rows, [
    { id: 1, v: "a" },
    { id: 2, v: "b" },
  ]);
  assert.deepEqual(rows.map(valuesOf), [
    [1, "a", 10],
    [2, "b", 20],
  ]);
  assert.deepEqual(valuesOf({ x: 1, y: 2 }), [1, 2]);
});

test("int64 'exact': one representation per column, decided over the whole result", () => {
  const safe = int64Batch([1n, 2n]);
  const big = int64Batch([2n ** 60n]);
  assert.deepEqual(batchesToRows([safe]).map((r) => r.l), [1, 2]);
  // The unsafe value in the second batch turns the first batch's values into bigints too.
  assert.deepEqual(batchesToRows([safe, big]).map((r) => r.l), [1n, 2n, 2n ** 60n]);
});

test("int64 'exact' while streaming: the first batch decides and a later misfit fails loudly", () => {
  const decoder = new RowDecoder(resolveResultOptions({ int64: "exact" }));
  assert.deepEqual(decoder.decode([int64Batch([1n])]).map((r) => r.l), [1]);
  assert.throws(() => decoder.decode([int64Batch([2n ** 60n])]), /column l holds 1152921504606846976.*int64: "bigint"/);
  const bigFirst = new RowDecoder(resolveResultOptions({ int64: "exact" }));
  assert.deepEqual(bigFirst.decode([int64Batch([2n ** 60n])]).map((r) => r.l), [2n ** 60n]);
  assert.deepEqual(bigFirst.decode([int64Batch([1n])]).map((r) => r.l), [1n]);
});

test("int64 'number' never loses precision silently; 'bigint' is always bigint, nested too", () => {
  assert.deepEqual(batchesToRows([int64Batch([3n])], resolveResultOptions({ int64: "number" })).map((r) => r.l), [3]);
  assert.throws(() => batchesToRows([int64Batch([-(2n ** 62n)])], resolveResultOptions({ int64: "number" })), /not a safe JavaScript integer/);
  assert.deepEqual(batchesToRows([int64Batch([3n])], resolveResultOptions({ int64: "bigint" })).map((r) => r.l), [3n]);
  const struct = new A.Struct([new A.Field("x", new A.Int64(), true)]);
  const rows = roundTripWith("s", struct, [{ x: 5n }, { x: 2n ** 55n }], resolveResultOptions({ int64: "exact" }));
  assert.deepEqual(rows, [{ x: 5n }, { x: 2n ** 55n }]);
  assert.throws(() => resolveResultOptions({ int64: "float" as never }), /int64 must be one of exact, number, bigint/);
});

function roundTripWith(name: string, type: A.DataType, values: unknown[], options: ReturnType<typeof resolveResultOptions>): unknown[] {
  const table = new A.Table({ [name]: A.vectorFromArray(values, type) });
  return batchesToRows([...A.RecordBatchReader.from(A.tableToIPC(table, "stream"))], options).map((row) => row[name]);
}

test("timestamps as exact microseconds: top-level from the int64 storage, nested to the microsecond", () => {
  const micros = (values: bigint[]): A.Data<A.TimestampMicrosecond> =>
    A.makeData({ type: new A.TimestampMicrosecond("UTC"), length: values.length, nullCount: 0, data: new BigInt64Array(values) });
  const options = resolveResultOptions({ timestamp: "micros" });
  const far = 253402300799999999n; // 9999-12-31T23:59:59.999999: beyond a double's microsecond precision
  const rows = batchesToRows([new A.RecordBatch({ ts: micros([1709210096789123n, far, -1n]) })], options);
  assert.deepEqual(rows.map((r) => r.ts), [1709210096789123n, far, -1n]);
  const nested = new A.Struct([new A.Field("at", new A.TimestampMicrosecond("UTC"), true)]);
  const structData = A.makeData({ type: nested, length: 1, nullCount: 0, children: [micros([1709210096789123n])] });
  assert.deepEqual(batchesToRows([new A.RecordBatch({ s: structData })], options).map((r) => r.s), [{ at: 1709210096789123n }]);
  // The default stays Date.
  assert.deepEqual(batchesToRows([new A.RecordBatch({ ts: micros([1000n]) })]).map((r) => r.ts), [new Date(1)]);
});
