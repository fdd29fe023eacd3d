/**
 * Typed rows: `RowOf<S>` of StructType literals, `DataFrame<Rows>` through `as<T>()` and
 * `createDataFrame(rows, schema)`, and `schemaToTypeScript`. The type-level checks are constants
 * whose type is `Equal<…>`: a wrong mapping makes it `false` and `npm run typecheck` fails.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type DataFrame, type Row, type SparkSession, types as T } from "spark-connect-ts";
import { offlineSession } from "./offline-session.js";

/** True only when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

/** `expectType<E>()(value)` compiles only when the type of `value` is exactly `E`. */
function expectType<Expected>() {
  return <Actual>(value: Actual, ...exact: Equal<Actual, Expected> extends true ? [] : [never]): Actual => (void exact, value);
}

const people = new T.StructType([
  new T.StructField("id", new T.LongType(), false),
  new T.StructField("name", new T.StringType()),
  new T.StructField("age", new T.IntegerType(), true),
  new T.StructField("score", new T.DoubleType(), false),
  new T.StructField("balance", new T.DecimalType(12, 2), false),
  new T.StructField("active", new T.BooleanType(), false),
  new T.StructField("photo", new T.BinaryType()),
  new T.StructField("born", new T.DateType(), false),
  new T.StructField("seen", new T.TimestampType(), false),
  new T.StructField("local", new T.TimestampNTZType()),
  new T.StructField("session", new T.DayTimeIntervalType(), false),
  new T.StructField("tags", new T.ArrayType(new T.StringType(), false), false),
  new T.StructField("scores", new T.ArrayType(new T.LongType())),
  new T.StructField("attrs", new T.MapType(new T.StringType(), new T.IntegerType(), false), false),
  new T.StructField("labels", new T.MapType(new T.StringType(), new T.StringType())),
  new T.StructField("address", new T.StructType([new T.StructField("city", new T.StringType(), false), new T.StructField("zip", new T.StringType())])),
  new T.StructField("nothing", new T.NullType()),
  new T.StructField("blob", new T.VariantType()),
]);

interface PeopleRow {
  id: number | bigint;
  name: string | null;
  age: number | null;
  score: number;
  balance: string;
  active: boolean;
  photo: Uint8Array | null;
  born: Date;
  seen: Date;
  local: Date | null;
  session: number | bigint;
  tags: string[];
  scores: (number | bigint | null)[] | null;
  attrs: Map<string, number>;
  labels: Map<string, string | null> | null;
  address: { city: string; zip: string | null } | null;
  nothing: null;
  blob: unknown;
}

// Mapped types and interfaces are compared member by member, so spell the row as a mapped type.
type Members<O> = { [K in keyof O]: O[K] };

export const defaultDecoding: Equal<T.RowOf<typeof people>, Members<PeopleRow>> = true;

const events = new T.StructType([
  new T.StructField("id", new T.LongType(), false),
  new T.StructField("at", new T.TimestampType(), false),
  new T.StructField("ids", new T.ArrayType(new T.LongType(), false)),
]);
export const bigintMicros: Equal<T.RowOf<typeof events, { int64: "bigint"; timestamp: "micros" }>, { id: bigint; at: bigint; ids: bigint[] | null }> = true;
export const numberMode: Equal<T.RowOf<typeof events, { int64: "number"; timestamp: "date" }>, { id: number; at: Date; ids: number[] | null }> = true;

// `add` keeps the fields; a `boolean` nullability (not a literal) is nullable.
const maybe = process.env.NEVER_SET !== "1";
const added = new T.StructType([]).add("a", new T.ShortType(), false).add(new T.StructField("b", new T.FloatType(), maybe));
export const addKeepsFields: Equal<T.RowOf<typeof added>, { a: number; b: number | null }> = true;

// A schema not known at compile time gives plain rows, as before.
export const unknownSchema: Equal<T.RowOf<T.StructType>, Row> = true;
export const fieldOfDataType: Equal<T.ValueOf<T.DataType>, unknown> = true;
export const yearMonthInterval: Equal<T.ValueOf<T.YearMonthIntervalType>, unknown> = true;

// instanceof narrows a DataType to the plain StructType (not StructType<any>).
export function fieldsOf(type: T.DataType): readonly T.StructField[] | undefined {
  if (!(type instanceof T.StructType)) return undefined;
  const fields = type.fields;
  const notAny: Equal<typeof fields, readonly T.StructField[]> = true;
  return notAny ? fields : undefined;
}

/** Compiled, never run (it would need a server): the action results of typed DataFrames. */
export async function actionTypes(spark: SparkSession): Promise<void> {
  const typed = await spark.createDataFrame([[1, "ann"]], new T.StructType([new T.StructField("id", new T.LongType(), false), new T.StructField("name", new T.StringType())]));
  type Expected = { id: number | bigint; name: string | null };
  expectType<Expected[]>()(await typed.collect());
  expectType<Expected | undefined>()(await typed.first());
  expectType<Expected | undefined>()(await typed.head());
  expectType<Expected[]>()(await typed.head(2));
  expectType<Expected[]>()(await typed.take(2));
  expectType<Expected[]>()(await typed.tail(2));
  for await (const row of typed.toLocalIterator()) expectType<Expected>()(row);
  // A DDL schema, sql() and read stay untyped rows; a typed DataFrame is still a DataFrame.
  const ddl = await spark.createDataFrame([[1]], "id INT");
  expectType<Row[]>()(await ddl.collect());
  expectType<Row[]>()(await (await spark.sql("SELECT 1 AS one")).collect());
  expectType<Row[]>()(await spark.read.parquet("/tmp/x").collect());
  const joined: DataFrame = typed.join(ddl, "id");
  // Transformations change the columns, so their result is untyped again.
  expectType<Row[]>()(await typed.filter("id > 0").collect());
  // A per-call type argument still wins, as before.
  expectType<{ id: number }[]>()(await joined.collect<{ id: number }>());
  // as<T>() with an interface (not only type aliases).
  interface IdRow {
    id: number | bigint;
  }
  expectType<IdRow[]>()(await spark.range(3).as<IdRow>().collect());
  // typed(schema) checks against the server, then types like createDataFrame.
  const checked = await spark.range(3).typed(new T.StructType([new T.StructField("id", new T.LongType(), false)]));
  expectType<{ id: number | bigint }[]>()(await checked.collect());
}

test("as<T>() types the same DataFrame without changing its plan", () => {
  const spark = offlineSession();
  const df = spark.range(3);
  interface IdRow {
    id: number | bigint;
  }
  const typed: DataFrame<IdRow> = df.as<IdRow>();
  assert.equal(typed, df);
});

test("schemaToTypeScript prints the interface RowOf gives, nested structs as object types", () => {
  const printed = T.schemaToTypeScript(people, "PeopleRow");
  assert.equal(
    printed,
    [
      "export interface PeopleRow {",
      "  id: number | bigint;",
      "  name: string | null;",
      "  age: number | null;",
      "  score: number;",
      "  balance: string;",
      "  active: boolean;",
      "  photo: Uint8Array | null;",
      "  born: Date;",
      "  seen: Date;",
      "  local: Date | null;",
      "  session: number | bigint;",
      "  tags: string[];",
      "  scores: (number | bigint | null)[] | null;",
      "  attrs: Map<string, number>;",
      "  labels: Map<string, string | null> | null;",
      "  address: {",
      "    city: string;",
      "    zip: string | null;",
      "  } | null;",
      "  nothing: null;",
      "  blob: unknown;",
      "}",
      "",
    ].join("\n"),
  );
});

test("schemaToTypeScript follows the result options and quotes names that are not identifiers", () => {
  const schema = T.StructType.fromDDL("`order id` BIGINT NOT NULL, at TIMESTAMP, nested ARRAY<STRUCT<x: BIGINT NOT NULL>> NOT NULL, m MAP<STRING, ARRAY<INT>>");
  assert.equal(
    T.schemaToTypeScript(schema, "Order", { int64: "bigint", timestamp: "micros" }),
    [
      "export interface Order {",
      '  "order id": bigint;',
      "  at: bigint | null;",
      "  nested: ({",
      "    x: bigint;",
      "  } | null)[];",
      "  m: Map<string, (number | null)[] | null> | null;",
      "}",
      "",
    ].join("\n"),
  );
  assert.equal(T.schemaToTypeScript(new T.StructType([]), "Empty"), "export interface Empty {}\n");
  assert.throws(() => T.schemaToTypeScript(schema, "not a name"), TypeError);
  // The same options as the RowOf checks above, printed.
  assert.equal(T.schemaToTypeScript(events, "Event", { int64: "bigint", timestamp: "micros" }), "export interface Event {\n  id: bigint;\n  at: bigint;\n  ids: bigint[] | null;\n}\n");
  assert.equal(T.schemaToTypeScript(events, "Event", { int64: "number" }), "export interface Event {\n  id: number;\n  at: Date;\n  ids: number[] | null;\n}\n");
  assert.equal(T.schemaToTypeScript(added, "Added"), "export interface Added {\n  a: number;\n  b: number | null;\n}\n");
});

test("schemaToTypeScript of a parsed schema matches RowOf of the same schema written as a literal", () => {
  const literal = new T.StructType([new T.StructField("id", new T.LongType(), false), new T.StructField("tags", new T.ArrayType(new T.StringType(), true))]);
  const parsed = T.StructType.fromDDL("id BIGINT NOT NULL, tags ARRAY<STRING>");
  assert.ok(parsed.equals(literal));
  const printed: Equal<T.RowOf<typeof literal>, { id: number | bigint; tags: (string | null)[] | null }> = true;
  assert.equal(printed, true);
  assert.equal(T.schemaToTypeScript(parsed, "R"), "export interface R {\n  id: number | bigint;\n  tags: (string | null)[] | null;\n}\n");
});

test("schemaMismatches names each field whose rows would not match the expected row type", () => {
  // DDL has no NOT NULL for elements and values, so those are built.
  const tags = new T.StructField("tags", new T.ArrayType(new T.StringType(), false));
  const attrs = new T.StructField("attrs", new T.MapType(new T.StringType(), new T.IntegerType(), false));
  const ddl = (text: string): T.StructField[] => [...T.StructType.fromDDL(text).fields];
  const expected = new T.StructType([...ddl("id BIGINT NOT NULL, name STRING"), tags, attrs, ...ddl("address STRUCT<city: STRING NOT NULL>, amount DECIMAL(10,2)")]);
  assert.deepEqual(T.schemaMismatches(expected, expected), []);
  // Wider on the expected side (nullable where the server says not null), other decimal precision, extra columns: fine.
  const narrower = new T.StructType([...ddl("id BIGINT NOT NULL, name STRING NOT NULL"), tags, attrs, ...ddl("address STRUCT<city: STRING NOT NULL, zip: STRING>, amount DECIMAL(38,6), extra INT")]);
  assert.deepEqual(T.schemaMismatches(expected, narrower), []);
  const actual = T.StructType.fromDDL("id BIGINT, tags ARRAY<STRING>, attrs MAP<STRING, BIGINT>, address STRUCT<city: STRING>, amount DOUBLE");
  assert.deepEqual(T.schemaMismatches(expected, actual), [
    "id: may be null",
    "name: missing (found id, tags, attrs, address, amount)",
    "tags: elements may be null",
    "attrs: values may be null",
    "attrs value: expected int, found bigint",
    "address.city: may be null",
    "amount: expected decimal(10,2), found double",
  ]);
});
