/**
 * Arrow record batches → plain JavaScript rows with faithful types:
 *   tinyint/smallint/int/float/double → number; bigint → as the session's `int64` mode says (one
 *   representation per column); decimal → string (exact); string → string; boolean;
 *   binary → Uint8Array; date → Date (UTC); timestamp / timestamp_ntz → Date (millisecond
 *   precision) or exact microseconds (bigint), per the session's `timestamp` mode;
 *   struct → object; array → array; map → Map; day-time interval → microseconds (as int64);
 *   null → null.
 * A row is an object keyed by column name. When a result has several columns of one name (a
 * join's `id` and `id`), the first keeps the name (as PySpark's `Row[name]`) and no later one
 * overwrites it; every value stays reachable by position through `valuesOf(row)`.
 */
import { DataType as ArrowType, Type, type Field, type RecordBatch, type Vector } from "apache-arrow";
import { SparkConnectError } from "../errors.js";
import { DEFAULT_RESULT_OPTIONS, type ResultOptions } from "../result-options.js";

/** A result row: values by column name (first column wins for duplicate names; `valuesOf(row)` by position). */
export type Row = Record<string, unknown>;
type Convert = (value: unknown) => unknown;

const identity: Convert = (value) => value;

/** The values of a collected row by position, duplicate column names included. */
const POSITIONAL = Symbol("spark-connect-ts.values");

/**
 * The values of a row in column order, e.g. both `id`s of `a.join(b, …).collect()` rows.
 * Rows that did not come from a result (plain objects) give their own values in key order.
 */
export function valuesOf(row: Row): unknown[] {
  const values = (row as { [POSITIONAL]?: unknown[] })[POSITIONAL];
  return values ? [...values] : Object.values(row);
}

/** How one column's int64 values are represented once its mode is decided. */
type Int64Repr = "number" | "bigint";
interface Representation {
  readonly int64: Int64Repr;
  readonly timestamp: ResultOptions["timestamp"];
}

/** Thrown while decoding a column as `number` when one of its int64 values is not a safe integer. */
class UnsafeInteger extends Error {
  constructor(readonly value: bigint) {
    super(`${value} is not a safe integer`);
  }
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function int64Converter(repr: Int64Repr): Convert {
  if (repr === "bigint") return (value) => (value === null ? null : BigInt(value as bigint));
  return (value) => {
    if (value === null) return null;
    const big = value as bigint;
    if (big < MIN_SAFE || big > MAX_SAFE) throw new UnsafeInteger(big);
    return Number(big);
  };
}

/**
 * Arrow's JavaScript reader hands a timestamp as fractional milliseconds (Number(µs) / 1000 plus
 * the remainder): rounding back to µs is exact for instants within about 139 years of 1970. Top-level
 * columns read the exact int64 instead (see `timestampMicros`).
 */
const millisToMicros: Convert = (value) => (value === null ? null : BigInt(Math.round((value as number) * 1000)));

/** A Decimal128 value: four little-endian 32-bit words of a two's-complement integer. */
function decimalWords(words: Uint32Array): bigint {
  let value = 0n;
  for (let i = words.length - 1; i >= 0; i -= 1) value = (value << 32n) | BigInt(words[i] as number);
  return BigInt.asIntN(words.length * 32, value);
}

function decimalToString(unscaled: bigint, scale: number): string {
  if (scale <= 0) return unscaled.toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** A converter for values of one Arrow type, built once per column (not per value). */
export function converterFor(type: ArrowType, repr: Representation = { int64: "number", timestamp: DEFAULT_RESULT_OPTIONS.timestamp }): Convert {
  switch (type.typeId) {
    case Type.Int: {
      const bitWidth = (type as unknown as { bitWidth: number }).bitWidth;
      return bitWidth === 64 ? int64Converter(repr.int64) : identity;
    }
    case Type.Float:
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Bool:
    case Type.Binary:
    case Type.LargeBinary:
    case Type.FixedSizeBinary:
    case Type.Null:
      return identity;
    case Type.Decimal: {
      const scale = (type as unknown as { scale: number }).scale;
      return (value) => (value === null ? null : decimalToString(decimalWords(value as Uint32Array), scale));
    }
    case Type.Date:
      return (value) => (value === null ? null : new Date(Math.floor(value as number)));
    case Type.Timestamp:
      // Arrow hands timestamps as (possibly fractional) milliseconds since the epoch.
      if (repr.timestamp === "micros") return millisToMicros;
      return (value) => (value === null ? null : new Date(Math.floor(value as number)));
    case Type.Duration: {
      const int64 = int64Converter(repr.int64);
      return (value) => (typeof value === "bigint" ? int64(value) : value);
    }
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList: {
      const element = converterFor((type.children[0] as Field).type, repr);
      return (value) => (value === null ? null : Array.from(value as Iterable<unknown>, element));
    }
    case Type.Struct: {
      const fields = type.children.map((field) => [field.name, converterFor(field.type, repr)] as const);
      return (value) => {
        if (value === null) return null;
        const source = value as Record<string, unknown>;
        const row: Row = {};
        for (const [name, convert] of fields) row[name] = convert(source[name] ?? null);
        return row;
      };
    }
    case Type.Map: {
      const entries = (type.children[0] as Field).type;
      const [keyField, valueField] = entries.children as [Field, Field];
      const key = converterFor(keyField.type, repr);
      const val = converterFor(valueField.type, repr);
      return (value) => {
        if (value === null) return null;
        const map = new Map<unknown, unknown>();
        for (const [k, v] of value as Iterable<[unknown, unknown]>) map.set(key(k), val(v ?? null));
        return map;
      };
    }
    case Type.Dictionary:
      return converterFor((type as unknown as { dictionary: ArrowType }).dictionary, repr);
    default:
      return identity;
  }
}

/** One column's values, converted; plain typed-array copies when there is nothing to convert. */
function columnValues(vector: Vector, convert: Convert): unknown[] {
  const out = new Array<unknown>(vector.length);
  if (convert === identity) {
    for (let i = 0; i < vector.length; i += 1) out[i] = vector.get(i);
  } else {
    for (let i = 0; i < vector.length; i += 1) out[i] = convert(vector.get(i));
  }
  return out;
}

/** A top-level timestamp column as exact microseconds, read from its int64 storage. */
function timestampMicros(vector: Vector): unknown[] {
  const unit = (vector.type as unknown as { unit: number }).unit; // 0 s, 1 ms, 2 µs, 3 ns
  const out = new Array<unknown>(vector.length);
  let index = 0;
  for (const chunk of vector.data) {
    const values = chunk.values as BigInt64Array;
    for (let i = 0; i < chunk.length; i += 1, index += 1) {
      if (!chunk.getValid(i)) {
        out[index] = null;
        continue;
      }
      const raw = values[chunk.offset + i] as bigint;
      out[index] = unit === 2 ? raw : unit === 3 ? raw / 1000n : unit === 1 ? raw * 1000n : raw * 1_000_000n;
    }
  }
  return out;
}

function containsInt64(type: ArrowType): boolean {
  if (type.typeId === Type.Int) return (type as unknown as { bitWidth: number }).bitWidth === 64;
  if (type.typeId === Type.Duration) return true;
  if (type.typeId === Type.Dictionary) return containsInt64((type as unknown as { dictionary: ArrowType }).dictionary);
  return (type.children ?? []).some((child: Field) => containsInt64(child.type));
}

/**
 * Decodes the batches of one result into rows. Each column's int64 representation is decided
 * once (for `"exact"`: by the first batches it sees) and then kept, so a column never mixes
 * `number` and `bigint`; pass all batches at once (`collect`) and the decision covers them all.
 */
export class RowDecoder {
  readonly #options: ResultOptions;
  /** Column index → decided int64 representation. */
  readonly #decided = new Map<number, Int64Repr>();

  constructor(options: ResultOptions = DEFAULT_RESULT_OPTIONS) {
    this.#options = options;
  }

  decode(batches: readonly RecordBatch[]): Row[] {
    const first = batches[0];
    if (first === undefined) return [];
    const fields = first.schema.fields;
    const columns = fields.map((field, c) => this.#column(batches, c, field));
    const names = fields.map((field) => field.name);
    const rows: Row[] = [];
    let offset = 0;
    for (const batch of batches) {
      for (let r = 0; r < batch.numRows; r += 1) {
        const values = new Array<unknown>(names.length);
        const row: Row = {};
        for (let c = 0; c < names.length; c += 1) {
          const value = (columns[c] as unknown[])[offset + r] ?? null;
          values[c] = value;
          const name = names[c] as string;
          if (!Object.hasOwn(row, name)) row[name] = value;
        }
        Object.defineProperty(row, POSITIONAL, { value: values, enumerable: false });
        rows.push(row);
      }
      offset += batch.numRows;
    }
    return rows;
  }

  /** Column `c` of every batch, concatenated and converted. */
  #column(batches: readonly RecordBatch[], c: number, field: Field): unknown[] {
    const vectors = batches.map((batch) => batch.getChildAt(c) as Vector);
    const timestamp = this.#options.timestamp;
    if (timestamp === "micros" && field.type.typeId === Type.Timestamp) return vectors.flatMap(timestampMicros);
    if (!containsInt64(field.type)) return vectors.flatMap((vector) => columnValues(vector, converterFor(field.type, { int64: "number", timestamp })));
    const decided = this.#decided.get(c) ?? (this.#options.int64 === "bigint" ? "bigint" : "number");
    try {
      const values = vectors.flatMap((vector) => columnValues(vector, converterFor(field.type, { int64: decided, timestamp })));
      this.#decided.set(c, decided);
      return values;
    } catch (error) {
      if (!(error instanceof UnsafeInteger)) throw error;
      if (this.#options.int64 === "exact" && !this.#decided.has(c)) {
        this.#decided.set(c, "bigint");
        return vectors.flatMap((vector) => columnValues(vector, converterFor(field.type, { int64: "bigint", timestamp })));
      }
      const why =
        this.#options.int64 === "number"
          ? `the session's int64 mode is "number"`
          : `earlier rows of this column were already returned as numbers (int64 mode "exact" while streaming)`;
      throw new SparkConnectError(
        `column ${field.name} holds ${error.value}, which is not a safe JavaScript integer, and ${why}; ` +
          `use SparkSession.builder().resultOptions({ int64: "bigint" }) (or collect() with "exact") to read it exactly`,
      );
    }
  }
}

/** Decodes batches into rows with the default result options (see `RowDecoder`). */
export function batchesToRows(batches: readonly RecordBatch[], options: ResultOptions = DEFAULT_RESULT_OPTIONS): Row[] {
  return new RowDecoder(options).decode(batches);
}
