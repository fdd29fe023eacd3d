/**
 * Spark SQL data types with PySpark's names. Each type knows its three text forms:
 * `simpleString()` (`struct<a:int>`), `sql()` (DDL, `STRUCT<a: INT>`) and `jsonValue()` (the JSON
 * Spark uses for schemas, `{"type":"struct","fields":[…]}`).
 */

import { parseDDLSchema, parseJsonDataType } from "./ddl.js";

/** A JSON value, as in Spark's JSON schema form and field metadata. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A Spark SQL data type; the subclasses are the concrete types, with PySpark's names. */
export abstract class DataType {
  /** The name in Spark's JSON schema form, e.g. `integer`, `long`, `decimal(10,2)`. */
  abstract typeName(): string;
  /** The short form Spark prints, e.g. `int`, `bigint`, `array<string>`. */
  abstract simpleString(): string;
  /** The SQL / DDL form, e.g. `INT`, `BIGINT`, `ARRAY<STRING>`. */
  sql(): string {
    return this.simpleString().toUpperCase();
  }
  /** The type in Spark's JSON schema form, as a value (`"long"`, `{ type: "array", … }`). */
  jsonValue(): JsonValue {
    return this.typeName();
  }
  /** The type in Spark's JSON schema form, as text. */
  json(): string {
    return JSON.stringify(this.jsonValue());
  }
  /** Whether `other` is the same type (same JSON form: field names, nullability and metadata included). */
  equals(other: DataType): boolean {
    return this.json() === other.json();
  }
  /** PySpark's `repr`, e.g. `LongType()`, `ArrayType(StringType(), true)`. */
  toString(): string {
    return `${this.constructor.name}()`;
  }
}



/**
 * A type without parameters: its names are fixed. `typeName()` returns its literal name at the
 * type level too (`LongType` → `"long"`), which is what tells the classes apart structurally
 * (`RowOf` maps a schema to row types through it).
 */
export class AtomicType<Name extends string = string> extends DataType {
  readonly #typeName: Name;
  readonly #simple: string;
  protected constructor(typeName: Name, simple: string) {
    super();
    this.#typeName = typeName;
    this.#simple = simple;
  }
  typeName(): Name {
    return this.#typeName;
  }
  simpleString(): string {
    return this.#simple;
  }
}

export class NullType extends AtomicType<"void"> {
  constructor() {
    super("void", "void");
  }
}
export class StringType extends AtomicType<"string"> {
  constructor() {
    super("string", "string");
  }
}
export class BinaryType extends AtomicType<"binary"> {
  constructor() {
    super("binary", "binary");
  }
}
export class BooleanType extends AtomicType<"boolean"> {
  constructor() {
    super("boolean", "boolean");
  }
}
export class ByteType extends AtomicType<"byte"> {
  constructor() {
    super("byte", "tinyint");
  }
}
export class ShortType extends AtomicType<"short"> {
  constructor() {
    super("short", "smallint");
  }
}
export class IntegerType extends AtomicType<"integer"> {
  constructor() {
    super("integer", "int");
  }
}
export class LongType extends AtomicType<"long"> {
  constructor() {
    super("long", "bigint");
  }
}
export class FloatType extends AtomicType<"float"> {
  constructor() {
    super("float", "float");
  }
}
export class DoubleType extends AtomicType<"double"> {
  constructor() {
    super("double", "double");
  }
}
export class DateType extends AtomicType<"date"> {
  constructor() {
    super("date", "date");
  }
}
/** Timestamp with the session time zone (Spark's TIMESTAMP / TIMESTAMP_LTZ). */
export class TimestampType extends AtomicType<"timestamp"> {
  constructor() {
    super("timestamp", "timestamp");
  }
}
/** Timestamp without time zone. */
export class TimestampNTZType extends AtomicType<"timestamp_ntz"> {
  constructor() {
    super("timestamp_ntz", "timestamp_ntz");
  }
}
export class CalendarIntervalType extends AtomicType<"interval"> {
  constructor() {
    super("interval", "interval");
  }
}
export class VariantType extends AtomicType<"variant"> {
  constructor() {
    super("variant", "variant");
  }
}

/** An exact decimal of `precision` digits, `scale` of them after the point (read back as a `string`). */
export class DecimalType extends DataType {
  constructor(
    readonly precision = 10,
    readonly scale = 0,
  ) {
    super();
  }
  typeName(): `decimal(${number},${number})` {
    return `decimal(${this.precision},${this.scale})`;
  }
  simpleString(): string {
    return this.typeName();
  }
  override toString(): string {
    return `DecimalType(${this.precision}, ${this.scale})`;
  }
}

/** `interval <start>` or `interval <start> to <end>`, naming the fields of one interval kind. */
export type IntervalName<Field extends string> = `interval ${Field}` | `interval ${Field} to ${Field}`;

/**
 * `instanceof` for the generic classes below: without it TypeScript narrows `x instanceof
 * StructType` to `StructType<any>`, whose `fields` would be `any`; with it, to `StructType`.
 */
function isInstance(constructor: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  return Function.prototype[Symbol.hasInstance].call(constructor, value);
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
  typeName(): IntervalName<(typeof DayTimeIntervalType.FIELDS)[number]> {
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
  typeName(): IntervalName<(typeof YearMonthIntervalType.FIELDS)[number]> {
    const start = YearMonthIntervalType.FIELDS[this.startField] ?? "year";
    const end = YearMonthIntervalType.FIELDS[this.endField] ?? "month";
    return start === end ? `interval ${start}` : `interval ${start} to ${end}`;
  }
  simpleString(): string {
    return this.typeName();
  }
}

/** An array; the type parameters carry the element type and `containsNull` for `RowOf`. */
export class ArrayType<Element extends DataType = DataType, ContainsNull extends boolean = boolean> extends DataType {
  constructor(
    readonly elementType: Element,
    readonly containsNull: ContainsNull = true as ContainsNull,
  ) {
    super();
  }
  /** `instanceof` ArrayType, narrowing to `ArrayType` with its default type arguments. */
  static override [Symbol.hasInstance](value: unknown): value is ArrayType {
    return isInstance(this, value);
  }
  typeName(): "array" {
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

/** A map; the type parameters carry the key and value types and `valueContainsNull` for `RowOf`. */
export class MapType<Key extends DataType = DataType, Value extends DataType = DataType, ValueContainsNull extends boolean = boolean> extends DataType {
  constructor(
    readonly keyType: Key,
    readonly valueType: Value,
    readonly valueContainsNull: ValueContainsNull = true as ValueContainsNull,
  ) {
    super();
  }
  /** `instanceof` MapType, narrowing to `MapType` with its default type arguments. */
  static override [Symbol.hasInstance](value: unknown): value is MapType {
    return isInstance(this, value);
  }
  typeName(): "map" {
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

/**
 * A named field of a struct. The type parameters carry the name, the type and the nullability of
 * a field written as a literal (`new StructField("id", new LongType(), false)`) for `RowOf`; an
 * omitted `nullable` is `boolean` at the type level, which `RowOf` reads as nullable (as Spark does).
 */
export class StructField<Name extends string = string, Type extends DataType = DataType, Nullable extends boolean = boolean> {
  constructor(
    readonly name: Name,
    readonly dataType: Type,
    readonly nullable: Nullable = true as Nullable,
    readonly metadata: Readonly<Record<string, JsonValue>> = {},
  ) {}
  /** `name:type`, as inside `struct<…>`. */
  simpleString(): string {
    return `${this.name}:${this.dataType.simpleString()}`;
  }
  /** DDL of the field, as in `name STRING NOT NULL COMMENT 'x'`. */
  toDDL(): string {
    const comment = typeof this.metadata.comment === "string" ? ` COMMENT '${this.metadata.comment.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'` : "";
    return `${quoteIfNeeded(this.name)} ${this.dataType.sql()}${this.nullable ? "" : " NOT NULL"}${comment}`;
  }
  /** The field in Spark's JSON schema form. */
  jsonValue(): { [key: string]: JsonValue } {
    return { name: this.name, type: this.dataType.jsonValue(), nullable: this.nullable, metadata: { ...this.metadata } };
  }
  /** PySpark's `repr`, `StructField('id', LongType(), false)`. */
  toString(): string {
    return `StructField('${this.name}', ${this.dataType.toString()}, ${this.nullable})`;
  }
}

/**
 * A struct, and the schema of a DataFrame. Built from a literal list of fields, its type keeps
 * them as a tuple, so `RowOf<typeof schema>` is the type of the rows `collect()` returns.
 */
export class StructType<Fields extends readonly StructField[] = readonly StructField[]> extends DataType {
  readonly fields: Fields;
  constructor(fields: readonly [...Fields] = [] as unknown as Fields) {
    super();
    this.fields = [...fields] as unknown as Fields;
  }
  /** `instanceof` StructType, narrowing to `StructType` with its default type arguments. */
  static override [Symbol.hasInstance](value: unknown): value is StructType {
    return isInstance(this, value);
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
  add<Field extends StructField>(field: Field): StructType<[...Fields, Field]>;
  add<Name extends string, Type extends DataType, Nullable extends boolean = boolean>(
    name: Name,
    dataType: Type,
    nullable?: Nullable,
    metadata?: Record<string, JsonValue>,
  ): StructType<[...Fields, StructField<Name, Type, Nullable>]>;
  add(fieldOrName: StructField | string, dataType?: DataType, nullable = true, metadata: Record<string, JsonValue> = {}): StructType {
    const field = typeof fieldOrName === "string" ? new StructField(fieldOrName, dataType as DataType, nullable, metadata) : fieldOrName;
    return new StructType([...this.fields, field]);
  }
  /** The names of the fields, in order. */
  fieldNames(): string[] {
    return this.fields.map((field) => field.name);
  }
  /** The first field named `name`, if any. */
  field(name: string): StructField | undefined {
    return this.fields.find((field) => field.name === name);
  }
  typeName(): "struct" {
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
