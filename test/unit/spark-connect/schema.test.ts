/** Data types: DDL, JSON and protocol round trips, parsing of Spark's spellings, and errors. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { types as T, SparkConnectError } from "spark-connect-ts";
import { fromProtoDataType, toProtoDataType } from "../../../packages/spark-connect/src/plan/data-types.js";
import { create } from "@bufbuild/protobuf";
import { DataTypeSchema } from "../../../packages/spark-connect/src/gen/spark/connect/types_pb.js";

const atomic: fc.Arbitrary<T.DataType> = fc.constantFrom(
  new T.StringType(),
  new T.BinaryType(),
  new T.BooleanType(),
  new T.ByteType(),
  new T.ShortType(),
  new T.IntegerType(),
  new T.LongType(),
  new T.FloatType(),
  new T.DoubleType(),
  new T.DateType(),
  new T.TimestampType(),
  new T.TimestampNTZType(),
  new T.DecimalType(10, 0),
  new T.DecimalType(38, 18),
  new T.DecimalType(5, 2),
);
const fieldName = fc.oneof(fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), fc.constantFrom("with space", "odd`tick", "dash-ed", "ünï"));

const { dataType } = fc.letrec<{ dataType: T.DataType; struct: T.StructType }>((tie) => ({
  dataType: fc.oneof({ depthSize: "small", withCrossShrink: true }, atomic, tie("struct"), tie("dataType").map((e) => new T.ArrayType(e, true)), fc.tuple(atomic, tie("dataType")).map(([k, v]) => new T.MapType(k, v, true))),
  struct: fc
    .uniqueArray(fc.tuple(fieldName, tie("dataType"), fc.boolean()), { minLength: 1, maxLength: 4, selector: ([name]) => name })
    .map((fields) => new T.StructType(fields.map(([name, type, nullable]) => new T.StructField(name, type, nullable)))),
}));
const schema = fc
  .uniqueArray(fc.tuple(fieldName, dataType, fc.boolean()), { minLength: 1, maxLength: 5, selector: ([name]) => name })
  .map((fields) => new T.StructType(fields.map(([name, type, nullable]) => new T.StructField(name, type, nullable))));

// DDL cannot say "array elements / map values are NOT NULL", so compare DDL round trips on that footing.
test("DDL round trip: parseDDLSchema(schema.toDDL()) gives the schema back", () => {
  fc.assert(
    fc.property(schema, (s) => {
      const back = T.parseDDLSchema(s.toDDL());
      assert.equal(back.toDDL(), s.toDDL());
      assert.ok(back.equals(s), `${s.toDDL()} → ${back.toDDL()}`);
    }),
  );
});

test("JSON round trip: parseJsonDataType(type.json()) equals the type", () => {
  fc.assert(fc.property(dataType, (type) => assert.ok(T.parseJsonDataType(type.json()).equals(type))));
});

test("protocol round trip: fromProtoDataType(toProtoDataType(type)) equals the type", () => {
  fc.assert(fc.property(dataType, (type) => assert.ok(fromProtoDataType(toProtoDataType(type)).equals(type))));
});

test("simpleString round trip through parseDataType (names that need no quoting, as in Spark)", () => {
  fc.assert(
    fc.property(dataType, (type) => {
      fc.pre(/^[\w<>:,()]+$/.test(type.simpleString()));
      assert.equal(T.parseDataType(type.simpleString()).simpleString(), type.simpleString());
    }),
  );
});

test("the text forms Spark uses", () => {
  const s = new T.StructType([
    new T.StructField("id", new T.LongType(), false),
    new T.StructField("tags", new T.ArrayType(new T.StringType())),
    new T.StructField("m", new T.MapType(new T.StringType(), new T.DecimalType(10, 2))),
    new T.StructField("when", new T.TimestampType(), true, { comment: "it's UTC" }),
    new T.StructField("odd name", new T.StructType([new T.StructField("x", new T.DoubleType())])),
  ]);
  assert.equal(s.simpleString(), "struct<id:bigint,tags:array<string>,m:map<string,decimal(10,2)>,when:timestamp,odd name:struct<x:double>>");
  assert.equal(s.toDDL(), "id BIGINT NOT NULL, tags ARRAY<STRING>, m MAP<STRING, DECIMAL(10,2)>, when TIMESTAMP COMMENT 'it\\'s UTC', `odd name` STRUCT<x: DOUBLE>");
  assert.equal(
    new T.StructType([new T.StructField("a", new T.IntegerType())]).json(),
    '{"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{}}]}',
  );
  assert.equal(T.StructType.fromDDL(s.toDDL()).field("when")?.metadata.comment, "it's UTC");
  assert.equal(
    s.treeString(),
    [
      "root",
      " |-- id: long (nullable = false)",
      " |-- tags: array (nullable = true)",
      " |    |-- element: string (containsNull = true)",
      " |-- m: map (nullable = true)",
      " |    |-- key: string",
      " |    |-- value: decimal(10,2) (valueContainsNull = true)",
      " |-- when: timestamp (nullable = true)",
      " |-- odd name: struct (nullable = true)",
      " |    |-- x: double (nullable = true)",
      "",
    ].join("\n"),
  );
});

test("parsing accepts Spark's aliases, cases, colons and struct<> strings", () => {
  const parsed = T.parseDDLSchema("a integer, b: Long, c STRING not null, d varchar(10), e decimal, f numeric(5), g struct<x:int, `y z`: array<bigint>>");
  assert.equal(parsed.simpleString(), "struct<a:int,b:bigint,c:string,d:string,e:decimal(10,0),f:decimal(5,0),g:struct<x:int,y z:array<bigint>>>");
  assert.equal(parsed.field("c")?.nullable, false);
  assert.equal(T.parseDDLSchema("struct<a:int>").simpleString(), "struct<a:int>");
  assert.equal(T.parseDataType("interval day to second").simpleString(), "interval day to second");
  assert.equal(T.parseJsonDataType('"decimal(12,3)"').simpleString(), "decimal(12,3)");
  assert.equal(T.StructType.fromJson({ type: "struct", fields: [{ name: "n", type: "long", nullable: false, metadata: {} }] }).toDDL(), "n BIGINT NOT NULL");
});

test("bad schemas fail with a message that points at the problem", () => {
  assert.throws(() => T.parseDDLSchema("a INTT"), /unknown data type "INTT"/);
  assert.throws(() => T.parseDDLSchema("a ARRAY<INT"), /unexpected end/);
  assert.throws(() => T.parseDDLSchema("a INT b INT"), /unexpected "b"/);
  assert.throws(() => T.parseDDLSchema("a INT,"), /unexpected end/);
  assert.throws(() => T.parseDDLSchema("`a INT"), /unterminated `/);
  assert.throws(() => T.parseJsonDataType('{"type":"tuple"}'), /unknown JSON data type/);
  assert.throws(() => T.StructType.fromJson('"integer"'), /not a struct schema/);
});

test("a data type the client cannot decode is an error naming it, never NullType", () => {
  const time = create(DataTypeSchema, { kind: { case: "time", value: {} } });
  assert.throws(() => fromProtoDataType(time), /a column of type time/);
  // What a newer server's type looks like here: a kind the generated code does not know.
  const unknown = create(DataTypeSchema, {});
  assert.throws(() => fromProtoDataType(unknown), (error: SparkConnectError) => error.errorClass === "UNSUPPORTED_DATA_TYPE" && /server is newer/.test(error.message));
});
