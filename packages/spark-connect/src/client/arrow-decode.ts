/**
 * Arrow record batches → plain JavaScript rows with faithful types:
 *   tinyint/smallint/int/float/double → number; bigint → number when it is a safe integer, else
 *   bigint (precision is never lost); decimal → string (exact); string → string; boolean;
 *   binary → Uint8Array; date / timestamp / timestamp_ntz → Date (UTC, millisecond precision);
 *   struct → object; array → array; map → Map; day-time interval → microseconds (number|bigint);
 *   null → null.
 */
import { DataType as ArrowType, Type, type Field, type RecordBatch, type Vector } from "apache-arrow";

export type Row = Record<string, unknown>;
type Convert = (value: unknown) => unknown;

const identity: Convert = (value) => value;

function toSafeNumber(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

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
export function converterFor(type: ArrowType): Convert {
  switch (type.typeId) {
    case Type.Int: {
      const bitWidth = (type as unknown as { bitWidth: number }).bitWidth;
      return bitWidth === 64 ? (value) => (value === null ? null : toSafeNumber(value as bigint)) : identity;
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
    case Type.Timestamp:
      // Arrow hands both as (possibly fractional) milliseconds since the epoch.
      return (value) => (value === null ? null : new Date(Math.floor(value as number)));
    case Type.Duration:
      return (value) => (value === null ? null : typeof value === "bigint" ? toSafeNumber(value) : value);
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList: {
      const element = converterFor((type.children[0] as Field).type);
      return (value) => (value === null ? null : Array.from(value as Iterable<unknown>, element));
    }
    case Type.Struct: {
      const fields = type.children.map((field) => [field.name, converterFor(field.type)] as const);
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
      const key = converterFor(keyField.type);
      const val = converterFor(valueField.type);
      return (value) => {
        if (value === null) return null;
        const map = new Map<unknown, unknown>();
        for (const [k, v] of value as Iterable<[unknown, unknown]>) map.set(key(k), val(v ?? null));
        return map;
      };
    }
    case Type.Dictionary:
      return converterFor((type as unknown as { dictionary: ArrowType }).dictionary);
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

/** Decodes batches into rows; column names come from the batch schema, in order. */
export function batchesToRows(batches: readonly RecordBatch[]): Row[] {
  const rows: Row[] = [];
  for (const batch of batches) {
    const fields = batch.schema.fields;
    const columns = fields.map((field, index) => columnValues(batch.getChildAt(index) as Vector, converterFor(field.type)));
    for (let r = 0; r < batch.numRows; r += 1) {
      const row: Row = {};
      for (let c = 0; c < fields.length; c += 1) row[(fields[c] as Field).name] = (columns[c] as unknown[])[r] ?? null;
      rows.push(row);
    }
  }
  return rows;
}
