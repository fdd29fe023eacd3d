/**
 * `RowOf<S>`: the type of the rows `collect()` returns for a DataFrame whose schema is the
 * StructType literal `S`, following the decoder (`client/arrow-decode.ts`) value by value.
 */
import type { ResultOptions } from "../result-options.js";
import type { ArrayType, AtomicType, DayTimeIntervalType, DecimalType, MapType, StructField, StructType } from "./data-types.js";

/** Result options at the type level: `RowOf<S, { int64: "bigint"; timestamp: "micros" }>`. */
export type Decoding = Pick<ResultOptions, "int64" | "timestamp">;
/** The session default (`DEFAULT_RESULT_OPTIONS`). */
export interface DefaultDecoding {
  readonly int64: "exact";
  readonly timestamp: "date";
}

/** An int64 value: `"exact"` decides per column, so a column is all `number` or all `bigint`. */
export type Int64Value<D extends Decoding> = D["int64"] extends "bigint" ? bigint : D["int64"] extends "number" ? number : number | bigint;
/** A timestamp value: a `Date`, or exact microseconds with `"micros"`. */
export type TimestampValue<D extends Decoding> = D["timestamp"] extends "micros" ? bigint : Date;

/**
 * Values of the types without parameters, by `typeName()`. Calendar intervals and variants have
 * no Arrow form the decoder converts, so they stay `unknown`.
 */
export interface AtomicValues<D extends Decoding> {
  void: null;
  string: string;
  binary: Uint8Array;
  boolean: boolean;
  byte: number;
  short: number;
  integer: number;
  long: Int64Value<D>;
  float: number;
  double: number;
  date: Date;
  timestamp: TimestampValue<D>;
  timestamp_ntz: TimestampValue<D>;
  interval: unknown;
  variant: unknown;
}

/** `| null` unless the flag is the literal `false` (an omitted flag is `boolean`: nullable). */
export type OrNull<Value, Nullable extends boolean> = [Nullable] extends [false] ? Value : Value | null;

/** The decoded value of one data type. Year-month intervals are left to Arrow's reader: `unknown`. */
export type ValueOf<T, D extends Decoding = DefaultDecoding> =
  T extends StructType<infer Fields>
    ? RowOfFields<Fields, D>
    : T extends ArrayType<infer Element, infer ContainsNull>
      ? OrNull<ValueOf<Element, D>, ContainsNull>[]
      : T extends MapType<infer Key, infer Value, infer ValueContainsNull>
        ? Map<ValueOf<Key, D>, OrNull<ValueOf<Value, D>, ValueContainsNull>>
        : T extends DecimalType
          ? string
          : T extends DayTimeIntervalType
            ? Int64Value<D>
            : T extends AtomicType<infer Name>
              ? Name extends keyof AtomicValues<D>
                ? AtomicValues<D>[Name]
                : unknown
              : unknown;

/** A schema whose fields are not known at compile time (`StructType.fromDDL(…)`) gives plain rows. */
export type RowOfFields<Fields extends readonly StructField[], D extends Decoding> = number extends Fields["length"]
  ? Record<string, unknown>
  : { [Field in Fields[number] as Field["name"]]: OrNull<ValueOf<Field["dataType"], D>, Field["nullable"]> };

/**
 * The row type of the StructType literal `S`, e.g. for
 * `new StructType([new StructField("id", new LongType(), false), new StructField("name", new StringType())])`
 * it is `{ id: number | bigint; name: string | null }`.
 */
export type RowOf<S extends StructType, D extends Decoding = DefaultDecoding> = S extends StructType<infer Fields> ? RowOfFields<Fields, D> : never;
