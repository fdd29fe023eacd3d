/**
 * Local data → Arrow: the schema PySpark would infer from JavaScript values, and the Arrow table
 * of rows under a Spark schema, with the Arrow types Spark reads (as its ArrowUtils maps them).
 */
import {
  Binary,
  Bool,
  DateDay,
  Decimal,
  Field,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  List,
  Map_,
  Null,
  Schema,
  Struct,
  Table,
  TimeUnit,
  Timestamp,
  Utf8,
  makeData,
  vectorFromArray,
  DataType as ArrowType,
  type Dictionary,
  type Vector,
  RecordBatch,
  tableToIPC,
} from "apache-arrow";
import type { SparkConnectClient } from "./client/spark-connect-client.js";
import { cachedLocalRelationRel, localRelationRel, serializedLocalRelation } from "./plan/local-relations.js";
import type { Relation } from "./plan/relations.js";
import type { RuntimeConfig } from "./runtime-config.js";
import {
  ArrayType,
  BinaryType,
  BooleanType,
  ByteType,
  DateType,
  DecimalType,
  DoubleType,
  FloatType,
  IntegerType,
  LongType,
  MapType,
  NullType,
  ShortType,
  StringType,
  StructField,
  StructType,
  TimestampNTZType,
  TimestampType,
  type DataType,
} from "./types/data-types.js";

/** PySpark's inference: integers are bigint (LongType), other numbers double, Dates timestamps, objects structs. */
export function inferType(value: unknown, path: string): DataType {
  if (value === null || value === undefined) return new NullType();
  if (typeof value === "boolean") return new BooleanType();
  if (typeof value === "number") return Number.isInteger(value) ? new LongType() : new DoubleType();
  if (typeof value === "bigint") return new LongType();
  if (typeof value === "string") return new StringType();
  if (value instanceof Date) return new TimestampType();
  if (value instanceof Uint8Array) return new BinaryType();
  if (Array.isArray(value)) return new ArrayType(value.reduce<DataType>((merged, element, index) => mergeTypes(merged, inferType(element, `${path}[${index}]`), path), new NullType()), true);
  if (value instanceof Map) {
    let key: DataType = new NullType();
    let item: DataType = new NullType();
    for (const [k, v] of value) {
      key = mergeTypes(key, inferType(k, `${path} key`), path);
      item = mergeTypes(item, inferType(v, `${path}[${String(k)}]`), path);
    }
    return new MapType(key, item, true);
  }
  if (typeof value === "object") return inferStruct(value as Record<string, unknown>, path);
  throw new TypeError(`createDataFrame cannot infer a Spark type for ${path}: a ${typeof value}`);
}

function inferStruct(row: Record<string, unknown>, path: string): StructType {
  return new StructType(Object.entries(row).map(([name, v]) => new StructField(name, inferType(v, path === "" ? name : `${path}.${name}`), true)));
}

/** The common type of two inferred ones: null gives way to anything, bigint widens to double, structs merge by field. */
export function mergeTypes(a: DataType, b: DataType, path: string): DataType {
  if (a instanceof NullType) return b;
  if (b instanceof NullType) return a;
  if (a instanceof StructType && b instanceof StructType) {
    const names = [...new Set([...a.fieldNames(), ...b.fieldNames()])];
    return new StructType(names.map((name) => new StructField(name, mergeTypes(a.field(name)?.dataType ?? new NullType(), b.field(name)?.dataType ?? new NullType(), `${path}.${name}`), true)));
  }
  if (a instanceof ArrayType && b instanceof ArrayType) return new ArrayType(mergeTypes(a.elementType, b.elementType, path), true);
  if (a instanceof MapType && b instanceof MapType) return new MapType(mergeTypes(a.keyType, b.keyType, path), mergeTypes(a.valueType, b.valueType, path), true);
  if ((a instanceof LongType && b instanceof DoubleType) || (a instanceof DoubleType && b instanceof LongType)) return new DoubleType();
  if (a.equals(b)) return a;
  throw new TypeError(`createDataFrame found both ${a.simpleString()} and ${b.simpleString()} in ${path}; give a schema`);
}

/** The schema of rows of objects, merged over every row; a column that is null everywhere cannot be typed. */
export function inferSchema(rows: readonly Record<string, unknown>[]): StructType {
  if (rows.length === 0) throw new TypeError("createDataFrame cannot infer a schema from no rows; give a schema");
  const merged = rows.reduce<DataType>((schema, row, index) => {
    if (row === null || typeof row !== "object" || Array.isArray(row)) throw new TypeError(`createDataFrame without a schema takes objects; row ${index} is not one`);
    return mergeTypes(schema, inferStruct(row, ""), "row");
  }, new StructType());
  const schema = merged as StructType;
  const untyped = schema.fields.filter((field) => containsNullType(field.dataType)).map((field) => field.name);
  if (untyped.length > 0) throw new TypeError(`createDataFrame cannot determine the type of ${untyped.join(", ")} (only nulls); give a schema`);
  return schema;
}

function containsNullType(type: DataType): boolean {
  if (type instanceof NullType) return true;
  if (type instanceof ArrayType) return containsNullType(type.elementType);
  if (type instanceof MapType) return containsNullType(type.keyType) || containsNullType(type.valueType);
  if (type instanceof StructType) return type.fields.some((field) => containsNullType(field.dataType));
  return false;
}

/** The Arrow type Spark writes and reads for a Spark type. */
export function toArrowType(type: DataType, timeZone: string): ArrowType {
  if (type instanceof NullType) return new Null();
  if (type instanceof BooleanType) return new Bool();
  if (type instanceof ByteType) return new Int8();
  if (type instanceof ShortType) return new Int16();
  if (type instanceof IntegerType) return new Int32();
  if (type instanceof LongType) return new Int64();
  if (type instanceof FloatType) return new Float32();
  if (type instanceof DoubleType) return new Float64();
  if (type instanceof StringType) return new Utf8();
  if (type instanceof BinaryType) return new Binary();
  if (type instanceof DecimalType) return new Decimal(type.scale, type.precision, 128);
  if (type instanceof DateType) return new DateDay();
  if (type instanceof TimestampType) return new Timestamp(TimeUnit.MICROSECOND, timeZone);
  if (type instanceof TimestampNTZType) return new Timestamp(TimeUnit.MICROSECOND);
  if (type instanceof ArrayType) return new List(new Field("element", toArrowType(type.elementType, timeZone), type.containsNull));
  if (type instanceof MapType) {
    const entries = new Struct([new Field("key", toArrowType(type.keyType, timeZone), false), new Field("value", toArrowType(type.valueType, timeZone), type.valueContainsNull)]);
    return new Map_(new Field("entries", entries, false));
  }
  if (type instanceof StructType) return new Struct(type.fields.map((field) => new Field(field.name, toArrowType(field.dataType, timeZone), field.nullable)));
  throw new TypeError(`createDataFrame cannot send ${type.simpleString()} values yet; cast them from a supported type in a query`);
}

/** A JavaScript value as the Arrow builder of its Spark type takes it, checked against the type. */
function toArrowValue(value: unknown, type: DataType, path: string): unknown {
  if (value === null || value === undefined) return null;
  const fail = (): never => {
    throw new TypeError(`createDataFrame: ${path} is ${typeof value === "object" ? JSON.stringify(value) : String(value)}, not a ${type.simpleString()}`);
  };
  if (type instanceof BooleanType) return typeof value === "boolean" ? value : fail();
  if (type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType) return typeof value === "number" && Number.isInteger(value) ? value : fail();
  if (type instanceof LongType) return typeof value === "bigint" ? value : typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : fail();
  if (type instanceof FloatType || type instanceof DoubleType) return typeof value === "number" ? value : typeof value === "bigint" ? Number(value) : fail();
  if (type instanceof StringType) return typeof value === "string" ? value : fail();
  if (type instanceof BinaryType) return value instanceof Uint8Array ? value : fail();
  if (type instanceof DecimalType) return typeof value === "string" || typeof value === "number" || typeof value === "bigint" ? decimalWords(value, type, path) : fail();
  if (type instanceof DateType || type instanceof TimestampType || type instanceof TimestampNTZType) {
    const date = value instanceof Date ? value : typeof value === "string" || typeof value === "number" ? new Date(value) : fail();
    return Number.isNaN((date as Date).getTime()) ? fail() : date;
  }
  if (type instanceof ArrayType) return Array.isArray(value) ? value.map((element, index) => toArrowValue(element, type.elementType, `${path}[${index}]`)) : fail();
  if (type instanceof MapType) {
    const entries = value instanceof Map ? [...value.entries()] : typeof value === "object" ? Object.entries(value as object) : fail();
    return new Map((entries as [unknown, unknown][]).map(([k, v]) => [toArrowValue(k, type.keyType, `${path} key`), toArrowValue(v, type.valueType, `${path}[${String(k)}]`)]));
  }
  if (type instanceof StructType) return structValue(value, type, path);
  return fail();
}

function structValue(value: unknown, type: StructType, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null) throw new TypeError(`createDataFrame: ${path} is ${String(value)}, not a struct`);
  const positional = Array.isArray(value);
  if (positional && value.length !== type.fields.length) throw new TypeError(`createDataFrame: ${path} has ${value.length} values for ${type.fields.length} fields`);
  return Object.fromEntries(
    type.fields.map((field, index) => {
      const raw = positional ? (value as unknown[])[index] : (value as Record<string, unknown>)[field.name];
      if ((raw === null || raw === undefined) && !field.nullable) throw new TypeError(`createDataFrame: ${path === "" ? "" : `${path}.`}${field.name} is not nullable but has no value`);
      return [field.name, toArrowValue(raw, field.dataType, path === "" ? field.name : `${path}.${field.name}`)];
    }),
  );
}

/** A decimal as Arrow's 128-bit little-endian two's complement of its unscaled value. */
function decimalWords(value: string | number | bigint, type: DecimalType, path: string): Uint32Array {
  const text = typeof value === "number" ? value.toFixed(type.scale) : String(value);
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) throw new TypeError(`createDataFrame: ${path} is "${text}", not a decimal`);
  const [, sign = "", whole = "", fraction = ""] = match;
  if (fraction.length > type.scale && /[1-9]/.test(fraction.slice(type.scale))) throw new RangeError(`createDataFrame: ${path} = ${text} has more than ${type.scale} decimals`);
  const digits = `${whole}${fraction.slice(0, type.scale).padEnd(type.scale, "0")}`.replace(/^0+(?=\d)/, "");
  if (digits.length > type.precision) throw new RangeError(`createDataFrame: ${path} = ${text} does not fit ${type.simpleString()}`);
  let unscaled = BigInt(digits === "" ? "0" : digits);
  if (sign === "-") unscaled = -unscaled;
  const twos = BigInt.asUintN(128, unscaled);
  return new Uint32Array([0, 1, 2, 3].map((word) => Number((twos >> BigInt(32 * word)) & 0xffffffffn)));
}

/** Rows (objects by field name, or arrays by position) as one Arrow record batch of `schema`. */
export function rowsToArrowTable(rows: readonly unknown[], schema: StructType, timeZone: string): Table {
  const values = rows.map((row, index) => structValue(row, schema, `row ${index}`));
  const fields = schema.fields.map((field) => new Field(field.name, toArrowType(field.dataType, timeZone), field.nullable));
  const children = schema.fields.map((field, index) => {
    const type = fields[index]?.type as ArrowType;
    const [chunk, ...more] = vectorFromArray(values.map((row) => row[field.name]), type).data;
    if (chunk === undefined || more.length > 0) throw new Error(`createDataFrame built ${more.length + 1} chunks for ${field.name}; expected one`);
    return chunk;
  });
  const data = makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children });
  return new Table([new RecordBatch(new Schema(fields), data)]);
}

/** Dictionary-encoded columns (apache-arrow makes them of string arrays) as plain ones: Spark would read their indices. */
function withoutDictionaries(table: Table): Table {
  if (!table.schema.fields.some((field) => ArrowType.isDictionary(field.type))) return table;
  const columns: Record<string, Vector> = {};
  table.schema.fields.forEach((field, index) => {
    const column = table.getChildAt(index) as Vector;
    columns[field.name] = ArrowType.isDictionary(field.type) ? vectorFromArray([...column], (field.type as Dictionary).dictionary) : column;
  });
  return new Table(columns);
}

/** PySpark's default for spark.sql.session.localRelationCacheThreshold: 64 MiB. */
const DEFAULT_CACHE_THRESHOLD_BYTES = 64 * 1024 * 1024;
const BYTE_UNITS: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** A Spark byte size ("67108864", "64m", "64MB") in bytes. */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = BYTE_UNITS[(match?.[2] ?? "").toLowerCase() || "b"];
  if (!match || unit === undefined) throw new TypeError(`not a byte size: "${text}"`);
  return Number(match[1]) * unit;
}

export interface LocalDataTarget {
  readonly client: SparkConnectClient;
  readonly conf: RuntimeConfig;
  newPlanId(): bigint;
}

/**
 * The relation of local Arrow data: inline when small; above the session's
 * spark.sql.session.localRelationCacheThreshold uploaded once as a `cache/<sha256>` artifact (a
 * CachedLocalRelation), as PySpark does, so that the plan itself stays small.
 */
export async function localDataRelation(target: LocalDataTarget, table: Table | undefined, schema: string | undefined): Promise<Relation> {
  if (table === undefined) return localRelationRel(target.newPlanId(), undefined, schema);
  const data = tableToIPC(withoutDictionaries(table), "stream");
  const configured = await target.conf.getOption("spark.sql.session.localRelationCacheThreshold");
  const threshold = configured === undefined ? DEFAULT_CACHE_THRESHOLD_BYTES : parseByteSize(configured);
  if (data.byteLength <= threshold) return localRelationRel(target.newPlanId(), data, schema);
  const { bytes, hash } = serializedLocalRelation(data, schema);
  const name = `cache/${hash}`;
  const statuses = await target.client.artifactStatuses([name]);
  if (statuses[name] !== true) await target.client.addArtifacts([{ name, data: bytes }]);
  return cachedLocalRelationRel(target.newPlanId(), hash);
}
