/**
 * JavaScript values → `Expression.Literal`.
 *
 * Without a type, a literal's type is inferred from the value, as PySpark infers it: an integral
 * `number` is INT when it fits 32 bits and BIGINT beyond, any other `number` is DOUBLE; a `bigint`
 * is BIGINT (DECIMAL(p, 0) beyond its range); Date → TIMESTAMP; Uint8Array → BINARY; an array's
 * element type is the widest type of ALL its elements (INT < BIGINT < DOUBLE, nulls fit anything),
 * so `[1, 2.5]` is ARRAY<DOUBLE>. JavaScript cannot tell `1.0` from `1`: `lit(1.0)` is an INT, and
 * a DOUBLE needs the type given explicitly — `lit(1, "double")` (a DataType or a DDL type string).
 * With a type the value is converted to it (or rejected when it cannot represent the value).
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Expression_LiteralSchema, type Expression_Literal } from "../gen/spark/connect/expressions_pb.js";
import {
  ArrayType,
  BinaryType,
  BooleanType,
  ByteType,
  DataType,
  DateType,
  DecimalType,
  DoubleType,
  FloatType,
  IntegerType,
  LongType,
  NullType,
  ShortType,
  StringType,
  TimestampNTZType,
  TimestampType,
} from "../types/data-types.js";
import { parseDataType } from "../types/ddl.js";
import { toProtoDataType } from "./data-types.js";

/** A JavaScript value usable as a literal (PySpark's `lit`): null, boolean, number, bigint, string, Date, bytes, or an array of them. */
export type LiteralValue = null | undefined | boolean | number | bigint | string | Date | Uint8Array | readonly LiteralValue[];

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MS_PER_DAY = 86_400_000;

function literalOf(literalType: MessageInitShape<typeof Expression_LiteralSchema>["literalType"]): Expression_Literal {
  return create(Expression_LiteralSchema, { literalType });
}

/** The type PySpark would infer for a value (see the module comment). */
export function inferLiteralType(value: LiteralValue): DataType {
  if (value === null || value === undefined) return new NullType();
  if (typeof value === "boolean") return new BooleanType();
  if (typeof value === "string") return new StringType();
  if (typeof value === "bigint") {
    if (value >= INT64_MIN && value <= INT64_MAX) return new LongType();
    const digits = (value < 0n ? -value : value).toString().length;
    if (digits > 38) throw new RangeError(`lit() cannot take ${value}: more than 38 digits do not fit any Spark number type`);
    return new DecimalType(digits, 0);
  }
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX) return new IntegerType();
    if (Number.isSafeInteger(value)) return new LongType();
    return new DoubleType();
  }
  if (value instanceof Date) return new TimestampType();
  if (value instanceof Uint8Array) return new BinaryType();
  if (Array.isArray(value)) {
    const elements = value as readonly LiteralValue[];
    return new ArrayType(elements.map(inferLiteralType).reduce(widerType, new NullType() as DataType), true);
  }
  throw new TypeError(`lit() cannot take a ${typeof value}: ${String(value)}`);
}

const NUMERIC_RANK = new Map<string, number>([
  ["integer", 1],
  ["long", 2],
  ["double", 4],
]);

/** The narrowest type both values fit, for typing an array from all its elements. */
function widerType(a: DataType, b: DataType): DataType {
  if (a instanceof NullType) return b;
  if (b instanceof NullType) return a;
  if (a.simpleString() === b.simpleString()) return a;
  if (a instanceof ArrayType && b instanceof ArrayType) return new ArrayType(widerType(a.elementType, b.elementType), true);
  const rankA = NUMERIC_RANK.get(a.typeName());
  const rankB = NUMERIC_RANK.get(b.typeName());
  if (rankA !== undefined && rankB !== undefined) return rankA >= rankB ? a : b;
  if (a instanceof DecimalType || b instanceof DecimalType) {
    // A bigint beyond BIGINT mixed with integers: DECIMAL(38, 0) holds them all; with a double, DOUBLE.
    if (a instanceof DoubleType || b instanceof DoubleType) return new DoubleType();
    if ((a instanceof DecimalType || rankA !== undefined) && (b instanceof DecimalType || rankB !== undefined)) return new DecimalType(38, 0);
  }
  throw new TypeError(`lit() cannot make one array of ${a.simpleString()} and ${b.simpleString()} elements; give the type, e.g. lit(values, "array<string>")`);
}

function invalid(value: LiteralValue, type: DataType): never {
  throw new TypeError(`lit() cannot represent ${String(value)} as ${type.simpleString()}`);
}

function integral(value: LiteralValue, type: DataType, min: number, max: number): number {
  const n = typeof value === "bigint" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) invalid(value, type);
  return n;
}

/** A decimal's digits as Spark's Literal.Decimal wants them: a plain string, scaled to `scale`. */
function decimalString(value: LiteralValue, type: DecimalType): string {
  if (typeof value === "bigint") return type.scale === 0 ? value.toString() : `${value}.${"0".repeat(type.scale)}`;
  if (typeof value === "number" && Number.isFinite(value)) return value.toFixed(type.scale);
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return value;
  return invalid(value, type);
}

function daysSinceEpoch(value: LiteralValue, type: DataType): number {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return Math.floor(value.getTime() / MS_PER_DAY);
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00Z`) / MS_PER_DAY;
  return invalid(value, type);
}

function microsSinceEpoch(value: LiteralValue, type: DataType): bigint {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return BigInt(value.getTime()) * 1000n;
  // A bigint is taken as microseconds already (the exact form a Date cannot hold).
  if (typeof value === "bigint") return value;
  return invalid(value, type);
}

/** The literal of `value` converted to `type`. */
function typedLiteral(value: LiteralValue, type: DataType): Expression_Literal {
  if (value === null || value === undefined) return literalOf({ case: "null", value: toProtoDataType(type) });
  if (type instanceof BooleanType) return typeof value === "boolean" ? literalOf({ case: "boolean", value }) : invalid(value, type);
  if (type instanceof StringType) return typeof value === "string" ? literalOf({ case: "string", value }) : invalid(value, type);
  if (type instanceof BinaryType) return value instanceof Uint8Array ? literalOf({ case: "binary", value }) : invalid(value, type);
  if (type instanceof ByteType) return literalOf({ case: "byte", value: integral(value, type, -128, 127) });
  if (type instanceof ShortType) return literalOf({ case: "short", value: integral(value, type, -32768, 32767) });
  if (type instanceof IntegerType) return literalOf({ case: "integer", value: integral(value, type, INT_MIN, INT_MAX) });
  if (type instanceof LongType) {
    if (typeof value === "bigint" && value >= INT64_MIN && value <= INT64_MAX) return literalOf({ case: "long", value });
    return literalOf({ case: "long", value: BigInt(integral(value, type, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)) });
  }
  if (type instanceof FloatType || type instanceof DoubleType) {
    const n = typeof value === "bigint" ? Number(value) : value;
    if (typeof n !== "number") invalid(value, type);
    return literalOf(type instanceof FloatType ? { case: "float", value: n } : { case: "double", value: n });
  }
  if (type instanceof DecimalType) return literalOf({ case: "decimal", value: { value: decimalString(value, type), precision: type.precision, scale: type.scale } });
  if (type instanceof DateType) return literalOf({ case: "date", value: daysSinceEpoch(value, type) });
  if (type instanceof TimestampType) return literalOf({ case: "timestamp", value: microsSinceEpoch(value, type) });
  if (type instanceof TimestampNTZType) return literalOf({ case: "timestampNtz", value: microsSinceEpoch(value, type) });
  if (type instanceof ArrayType) {
    if (!Array.isArray(value)) invalid(value, type);
    const elements = (value as readonly LiteralValue[]).map((element) => typedLiteral(element, type.elementType));
    return literalOf({ case: "array", value: { elementType: toProtoDataType(type.elementType), elements } });
  }
  if (type instanceof NullType) return invalid(value, type);
  throw new TypeError(`lit() does not make ${type.simpleString()} literals; build them with functions (e.g. create_map, struct)`);
}

/** The type a literal of `value` gets: `type` when given (a DataType or DDL text), else inferred. */
export function literalType(value: LiteralValue, type?: DataType | string): DataType {
  return type === undefined ? inferLiteralType(value) : typeof type === "string" ? parseDataType(type) : type;
}

/** A literal of `value`, of `type` when given (a DataType or DDL text such as `"double"`), else inferred. */
export function toLiteral(value: LiteralValue, type?: DataType | string): Expression_Literal {
  const target = literalType(value, type);
  if (target instanceof NullType && (value === null || value === undefined)) return literalOf({ case: "null", value: toProtoDataType(target) });
  return typedLiteral(value, target);
}
