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

test("integers: tinyint, smallint, int as numbers; bigint as number when safe, else bigint", () => {
  assert.deepEqual(column("b", new A.Int8(), [1, -128, null]), [1, -128, null]);
  assert.deepEqual(column("s", new A.Int16(), [32767, null]), [32767, null]);
  assert.deepEqual(column("i", new A.Int32(), [-(2 ** 31), 2 ** 31 - 1]), [-(2 ** 31), 2 ** 31 - 1]);
  assert.deepEqual(column("l", new A.Int64(), [0n, 9007199254740991n, 9007199254740992n, -9223372036854775808n, null]), [
    0,
    9007199254740991,
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
