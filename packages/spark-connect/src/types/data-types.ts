/**
 * Spark SQL data types with PySpark's names. Each type knows its three text forms:
 * `simpleString()` (`struct<a:int>`), `sql()` (DDL, `STRUCT<a: INT>`) and `jsonValue()` (the JSON
 * Spark uses for schemas, `{"type":"struct","fields":[…]}`).
 */

import { parseDDLSchema, parseJsonDataType } from "./ddl.js";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export abstract class DataType {
  /** The name in Spark's JSON schema form, e.g. `integer`, `long`, `decimal(10,2)`. */
  abstract typeName(): string;
  /** The short form Spark prints, e.g. `int`, `bigint`, `array<string>`. */
  abstract simpleString(): string;
  /** The SQL / DDL form, e.g. `INT`, `BIGINT`, `ARRAY<STRING>`. */
  sql(): string {
    return this.simpleString().toUpperCase();
  }
  jsonValue(): JsonValue {
    return this.typeName();
  }
  json(): string {
    return JSON.stringify(this.jsonValue());
  }
  equals(other: DataType): boolean {
    return this.json() === other.json();
  }
  toString(): string {
    return `${this.constructor.name}()`;
  }
}



/** A type without parameters: its names are fixed. */
export class AtomicType extends DataType {
  readonly #typeName: string;
  readonly #simple: string;
  protected constructor(typeName: string, simple: string) {
    super();
    this.#typeName = typeName;
    this.#simple = simple;
  }
  typeName(): string {
    return this.#typeName;
  }
  simpleString(): string {
    return this.#simple;
  }
}

export class NullType extends AtomicType {
  constructor() {
    super("void", "void");
  }
}
export class StringType extends AtomicType {
  constructor() {
    super("string", "string");
  }
}
export class BinaryType extends AtomicType {
  constructor() {
    super("binary", "binary");
  }
}
export class BooleanType extends AtomicType {
  constructor() {
    super("boolean", "boolean");
  }
}
export class ByteType extends AtomicType {
  constructor() {
    super("byte", "tinyint");
  }
}
export class ShortType extends AtomicType {
  constructor() {
    super("short", "smallint");
  }
}
export class IntegerType extends AtomicType {
  constructor() {
    super("integer", "int");
  }
}
export class LongType extends AtomicType {
  constructor() {
    super("long", "bigint");
  }
}
export class FloatType extends AtomicType {
  constructor() {
    super("float", "float");
  }
}
export class DoubleType extends AtomicType {
  constructor() {
    super("double", "double");
  }
}
export class DateType extends AtomicType {
  constructor() {
    super("date", "date");
  }
}
/** Timestamp with the session time zone (Spark's TIMESTAMP / TIMESTAMP_LTZ). */
export class TimestampType extends AtomicType {
  constructor() {
    super("timestamp", "timestamp");
  }
}
/** Timestamp without time zone. */
export class TimestampNTZType extends AtomicType {
  constructor() {
    super("timestamp_ntz", "timestamp_ntz");
  }
}
export class CalendarIntervalType extends AtomicType {
  constructor() {
    super("interval", "interval");
  }
}
export class VariantType extends AtomicType {
  constructor() {
    super("variant", "variant");
  }
}

export class DecimalType extends DataType {
  constructor(
    readonly precision = 10,
    readonly scale = 0,
  ) {
    super();
  }
  typeName(): string {
    return `decimal(${this.precision},${this.scale})`;
  }
  simpleString(): string {
    return this.typeName();
  }
  override toString(): string {
    return `DecimalType(${this.precision}, ${this.scale})`;
  }
}

/** Day-time interval; the fields are 0 DAY, 1 HOUR, 2 MINUTE, 3 SECOND. */
export class DayTimeIntervalType extends DataType {
  static readonly FIELDS = ["day", "hour", "minute", "second"] as const;
  constructor(
    readonly startField = 0,
    readonly endField = 3,
  ) {
    super();
  }
  typeName(): string {
    const start = DayTimeIntervalType.FIELDS[this.startField] ?? "day";
    const end = DayTimeIntervalType.FIELDS[this.endField] ?? "second";
    return start === end ? `interval ${start}` : `interval ${start} to ${end}`;
  }
  simpleString(): string {
    return this.typeName();
  }
}

/** Year-month interval; the fields are 0 YEAR, 1 MONTH. */
export class YearMonthIntervalType extends DataType {
  static readonly FIELDS = ["year", "month"] as const;
  constructor(
    readonly startField = 0,
    readonly endField = 1,
  ) {
    super();
  }
  typeName(): string {
    const start = YearMonthIntervalType.FIELDS[this.startField] ?? "year";
    const end = YearMonthIntervalType.FIELDS[this.endField] ?? "month";
    return start === end ? `interval ${start}` : `interval ${start} to ${end}`;
  }
  simpleString(): string {
    return this.typeName();
  }
}

export class ArrayType extends DataType {
  constructor(
    readonly elementType: DataType,
    readonly containsNull = true,
  ) {
    super();
  }
  typeName(): string {
    return "array";
  }
  simpleString(): string {
    return `array<${this.elementType.simpleString()}>`;
  }
  override sql(): string {
    return `ARRAY<${this.elementType.sql()}>`;
  }
  override jsonValue(): JsonValue {
    return { type: "array", elementType: this.elementType.jsonValue(), containsNull: this.containsNull };
  }
  override toString(): string {
    return `ArrayType(${this.elementType.toString()}, ${this.containsNull})`;
  }
}

export class MapType extends DataType {
  constructor(
    readonly keyType: DataType,
    readonly valueType: DataType,
    readonly valueContainsNull = true,
  ) {
    super();
  }
  typeName(): string {
    return "map";
  }
  simpleString(): string {
    return `map<${this.keyType.simpleString()},${this.valueType.simpleString()}>`;
  }
  override sql(): string {
    return `MAP<${this.keyType.sql()}, ${this.valueType.sql()}>`;
  }
  override jsonValue(): JsonValue {
    return { type: "map", keyType: this.keyType.jsonValue(), valueType: this.valueType.jsonValue(), valueContainsNull: this.valueContainsNull };
  }
  override toString(): string {
    return `MapType(${this.keyType.toString()}, ${this.valueType.toString()}, ${this.valueContainsNull})`;
  }
}

/** Backquotes a field name unless it is a plain identifier, as Spark's DDL does. */
export function quoteIfNeeded(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replaceAll("`", "``")}\``;
}

export class StructField {
  constructor(
    readonly name: string,
    readonly dataType: DataType,
    readonly nullable = true,
    readonly metadata: Readonly<Record<string, JsonValue>> = {},
  ) {}
  simpleString(): string {
    return `${this.name}:${this.dataType.simpleString()}`;
  }
  /** DDL of the field, as in `name STRING NOT NULL COMMENT 'x'`. */
  toDDL(): string {
    const comment = typeof this.metadata.comment === "string" ? ` COMMENT '${this.metadata.comment.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'` : "";
    return `${quoteIfNeeded(this.name)} ${this.dataType.sql()}${this.nullable ? "" : " NOT NULL"}${comment}`;
  }
  jsonValue(): { [key: string]: JsonValue } {
    return { name: this.name, type: this.dataType.jsonValue(), nullable: this.nullable, metadata: { ...this.metadata } };
  }
  toString(): string {
    return `StructField('${this.name}', ${this.dataType.toString()}, ${this.nullable})`;
  }
}

export class StructType extends DataType {
  readonly fields: readonly StructField[];
  constructor(fields: readonly StructField[] = []) {
    super();
    this.fields = [...fields];
  }
  /** Parses a DDL column list (`a INT, b STRING`) or a `struct<…>` string. */
  static fromDDL(ddl: string): StructType {
    return parseDDLSchema(ddl);
  }
  /** Parses Spark's JSON schema form. */
  static fromJson(json: string | JsonValue): StructType {
    const type = parseJsonDataType(json);
    if (!(type instanceof StructType)) throw new TypeError(`not a struct schema: ${typeof json === "string" ? json : JSON.stringify(json)}`);
    return type;
  }
  /** A new StructType with one more field (PySpark's `add`, immutable here). */
  add(field: StructField): StructType;
  add(name: string, dataType: DataType, nullable?: boolean, metadata?: Record<string, JsonValue>): StructType;
  add(fieldOrName: StructField | string, dataType?: DataType, nullable = true, metadata: Record<string, JsonValue> = {}): StructType {
    const field = typeof fieldOrName === "string" ? new StructField(fieldOrName, dataType as DataType, nullable, metadata) : fieldOrName;
    return new StructType([...this.fields, field]);
  }
  fieldNames(): string[] {
    return this.fields.map((field) => field.name);
  }
  field(name: string): StructField | undefined {
    return this.fields.find((field) => field.name === name);
  }
  typeName(): string {
    return "struct";
  }
  simpleString(): string {
    return `struct<${this.fields.map((field) => field.simpleString()).join(",")}>`;
  }
  override sql(): string {
    return `STRUCT<${this.fields.map((field) => `${quoteIfNeeded(field.name)}: ${field.dataType.sql()}${field.nullable ? "" : " NOT NULL"}`).join(", ")}>`;
  }
  /** The schema as a DDL column list, `a INT, b STRING`, as `from_json` and `schema()` accept. */
  toDDL(): string {
    return this.fields.map((field) => field.toDDL()).join(", ");
  }
  override jsonValue(): JsonValue {
    return { type: "struct", fields: this.fields.map((field) => field.jsonValue()) };
  }
  /** The tree Spark prints for `df.printSchema()`. */
  treeString(): string {
    const lines = ["root"];
    const walk = (type: DataType, prefix: string): void => {
      if (type instanceof StructType) {
        for (const field of type.fields) {
          lines.push(`${prefix} |-- ${field.name}: ${field.dataType.typeName()} (nullable = ${field.nullable})`);
          walk(field.dataType, `${prefix} |   `);
        }
      } else if (type instanceof ArrayType) {
        lines.push(`${prefix} |-- element: ${type.elementType.typeName()} (containsNull = ${type.containsNull})`);
        walk(type.elementType, `${prefix} |   `);
      } else if (type instanceof MapType) {
        lines.push(`${prefix} |-- key: ${type.keyType.typeName()}`);
        walk(type.keyType, `${prefix} |   `);
        lines.push(`${prefix} |-- value: ${type.valueType.typeName()} (valueContainsNull = ${type.valueContainsNull})`);
        walk(type.valueType, `${prefix} |   `);
      }
    };
    walk(this, "");
    return `${lines.join("\n")}\n`;
  }
  override toString(): string {
    return `StructType([${this.fields.map((field) => field.toString()).join(", ")}])`;
  }
}
