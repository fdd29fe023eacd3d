/** Batch queries against the real Spark Connect server: results, types, show, joins, errors. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AnalysisException,
  ArithmeticException,
  ParseException,
  SparkConnectionError,
  SparkSession,
  functions as F,
  types as T,
} from "spark-connect-ts";
import { createSession, tempDir, uniqueName } from "./harness.js";

test("session: UUID id, server version, runtime conf", async (t) => {
  const spark = await createSession(t);
  assert.match(spark.sessionId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(await spark.version(), /^4\.\d+\.\d+/);
  await spark.conf.set("spark.sql.shuffle.partitions", 3);
  assert.equal(await spark.conf.get("spark.sql.shuffle.partitions"), "3");
  assert.equal(await spark.conf.getOption("spark.stedi.test.unset"), undefined);
  assert.equal(await spark.conf.get("spark.stedi.test.unset", "fallback"), "fallback");
  const other = await createSession(t);
  assert.notEqual(other.sessionId, spark.sessionId, "each session has its own id");
  assert.equal(await other.conf.get("spark.sql.shuffle.partitions"), "4", "confs are per session");
});

test("range and sql collect plain objects", async (t) => {
  const spark = await createSession(t);
  assert.deepEqual(await spark.range(10).collect(), Array.from({ length: 10 }, (_, id) => ({ id })));
  assert.deepEqual(await spark.range(2, 11, 4).collect(), [{ id: 2 }, { id: 6 }, { id: 10 }]);
  const bound = await spark.sql("select :a + 1 as x, :b as y", { a: 41, b: "hi" });
  assert.deepEqual(await bound.collect(), [{ x: 42, y: "hi" }]);
  assert.equal(await spark.range(1000).count(), 1000);
  assert.deepEqual(await spark.range(5).orderBy(F.col("id").desc()).first(), { id: 4 });
  assert.deepEqual(await spark.range(5).take(2), [{ id: 0 }, { id: 1 }]);
  assert.deepEqual(await spark.range(5).tail(1), [{ id: 4 }]);
  assert.equal(await spark.range(0).isEmpty(), true);
  assert.match(await spark.range(3).filter("id > 1").explainString(), /Physical Plan[\s\S]*Range/);
  assert.match(await spark.range(3).explainString("extended"), /== Analyzed Logical Plan ==/);
  assert.deepEqual(await spark.range(2).dtypes(), [["id", "bigint"]]);
});

test("collect decodes every supported type faithfully", async (t) => {
  const spark = await createSession(t);
  await spark.conf.set("spark.sql.session.timeZone", "UTC");
  const df = await spark.sql(`select
      cast(1 as tinyint) as b, cast(2 as smallint) as s, 3 as i, 4L as l, 9007199254740993L as big,
      cast(1.5 as float) as f, 2.25d as d, cast('123.45' as decimal(10,2)) as dec,
      cast('12345678901234567890.123456789' as decimal(38,9)) as wide,
      'text' as str, true as bool, X'00FF' as bin,
      date'2024-02-29' as dt, timestamp'2024-02-29 12:34:56.789' as ts,
      timestamp_ntz'2024-02-29 01:02:03' as ntz,
      array(1, null, 3) as arr, map('a', 1, 'b', 2) as m,
      named_struct('x', 1, 'y', named_struct('z', 'deep')) as st,
      array(named_struct('k', 'v')) as arrst,
      cast(null as int) as nul, cast('-0.05' as decimal(4,2)) as neg`);
  const [row] = await df.collect();
  assert.ok(row);
  assert.deepEqual(row, {
    b: 1,
    s: 2,
    i: 3,
    l: 4,
    big: 9007199254740993n,
    f: 1.5,
    d: 2.25,
    dec: "123.45",
    wide: "12345678901234567890.123456789",
    str: "text",
    bool: true,
    bin: new Uint8Array([0, 255]),
    dt: new Date("2024-02-29T00:00:00Z"),
    ts: new Date("2024-02-29T12:34:56.789Z"),
    ntz: new Date("2024-02-29T01:02:03Z"),
    arr: [1, null, 3],
    m: new Map([
      ["a", 1],
      ["b", 2],
    ]),
    st: { x: 1, y: { z: "deep" } },
    arrst: [{ k: "v" }],
    nul: null,
    neg: "-0.05",
  });
  const schema = await df.schema();
  assert.equal(schema.field("dec")?.dataType.simpleString(), "decimal(10,2)");
  assert.equal(schema.field("m")?.dataType.simpleString(), "map<string,int>");
  assert.equal(schema.field("ntz")?.dataType.simpleString(), "timestamp_ntz");
  const table = await df.toArrow();
  assert.equal(table.numRows, 1);
  assert.equal(table.schema.fields.length, 21);
});

test("show prints exactly what PySpark prints", async (t) => {
  const spark = await createSession(t);
  const df = await spark.sql("select id, concat('name-', id) as name, id * 1.5 as score from range(3)");
  assert.equal(
    await df.showString(),
    [
      "+---+------+-----+",
      "| id|  name|score|",
      "+---+------+-----+",
      "|  0|name-0|  0.0|",
      "|  1|name-1|  1.5|",
      "|  2|name-2|  3.0|",
      "+---+------+-----+",
      "",
    ].join("\n"),
  );
  const long = await spark.sql("select repeat('x', 30) as s");
  assert.equal((await long.showString(20, true)).split("\n")[3], "|xxxxxxxxxxxxxxxxx...|");
  assert.equal((await long.showString(20, 5)).split("\n")[3], "|xx...|");
  assert.equal(await spark.range(1).showString(1, true, true), "-RECORD 0--\n id  | 0   \n");
  assert.match(await spark.range(25).showString(), /\+---\+\nonly showing top 20 rows$/);

  const printed: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => printed.push(chunk) > 0) as typeof process.stdout.write;
  try {
    await spark.range(1).show();
  } finally {
    process.stdout.write = write;
  }
  assert.equal(printed.join(""), "+---+\n| id|\n+---+\n|  0|\n+---+\n\n", "print() adds the blank line PySpark shows");
});

test("transformations: select, withColumn, filter, rename, drop, dedup, union, orderBy, limit", async (t) => {
  const spark = await createSession(t);
  const df = spark
    .range(10)
    .withColumn("parity", F.when(F.col("id").mod(2).eq(0), "even").otherwise("odd"))
    .withColumn("sq", F.col("id").multiply(F.col("id")))
    .filter(F.col("id").lt(6))
    .where("sq > 0")
    .withColumnRenamed("sq", "square")
    .drop("parity")
    .selectExpr("id", "square", "id + square as total");
  assert.deepEqual(await df.columns(), ["id", "square", "total"]);
  assert.deepEqual(await df.orderBy(F.col("id").desc()).limit(2).collect(), [
    { id: 5, square: 25, total: 30 },
    { id: 4, square: 16, total: 20 },
  ]);
  const twice = spark.range(3).union(spark.range(3));
  assert.equal(await twice.count(), 6);
  assert.equal(await twice.distinct().count(), 3);
  assert.equal(await twice.dropDuplicates(["id"]).count(), 3);
  assert.deepEqual(await spark.range(3).select(F.col("id").isin(0, 2).alias("in")).collect(), [{ in: true }, { in: false }, { in: true }]);
  assert.deepEqual(await spark.range(1).select(F.lit(null).isNull().alias("n"), F.lit("a").isNotNull().alias("nn")).collect(), [{ n: true, nn: true }]);
});

test("joins on names and on conditions, of every type", async (t) => {
  const spark = await createSession(t);
  const left = (await spark.sql("select * from values (1, 'a'), (2, 'b'), (3, 'c') as l(id, l)")).alias("left");
  const right = (await spark.sql("select * from values (2, 'x'), (3, 'y'), (4, 'z') as r(id, r)")).alias("right");
  const ids = async (how: Parameters<typeof left.join>[2]) =>
    (await left.join(right, "id", how).select("id").orderBy("id").collect()).map((row) => row.id);
  assert.deepEqual(await ids("inner"), [2, 3]);
  assert.deepEqual(await ids("left"), [1, 2, 3]);
  assert.deepEqual(await ids("right"), [2, 3, 4]);
  assert.deepEqual(await ids("outer"), [1, 2, 3, 4]);
  assert.deepEqual(await ids("semi"), [2, 3]);
  assert.deepEqual(await ids("anti"), [1]);
  const onCondition = left.join(right, left.col("id").eq(right.col("id")), "inner").select(left.col("id"), F.col("l"), F.col("r")).orderBy(left.col("id"));
  assert.deepEqual(await onCondition.collect(), [
    { id: 2, l: "b", r: "x" },
    { id: 3, l: "c", r: "y" },
  ]);
  const selfJoin = left.join(left.alias("other"), F.col("left.id").eq(F.col("other.id").minus(1))).select(F.col("left.l"), F.col("other.l").alias("next"));
  assert.deepEqual(await selfJoin.orderBy("l").collect(), [
    { l: "a", next: "b" },
    { l: "b", next: "c" },
  ]);
  assert.equal(await left.crossJoin(right).count(), 9);
});

test("aggregations: groupBy().agg, count, dict form, global agg", async (t) => {
  const spark = await createSession(t);
  const df = spark.range(10).withColumn("group", F.col("id").mod(3));
  const rows = await df
    .groupBy("group")
    .agg(F.count("*").alias("n"), F.sum("id").alias("total"), F.avg("id").alias("mean"), F.min("id").alias("lo"), F.max("id").alias("hi"))
    .orderBy("group")
    .collect();
  assert.deepEqual(rows, [
    { group: 0, n: 4, total: 18, mean: 4.5, lo: 0, hi: 9 },
    { group: 1, n: 3, total: 12, mean: 4, lo: 1, hi: 7 },
    { group: 2, n: 3, total: 15, mean: 5, lo: 2, hi: 8 },
  ]);
  assert.deepEqual(await df.groupBy("group").count().orderBy("group").collect(), [
    { group: 0, count: 4 },
    { group: 1, count: 3 },
    { group: 2, count: 3 },
  ]);
  assert.deepEqual(await df.groupBy("group").agg({ id: "max" }).orderBy("group").select("max(id)").collect(), [{ "max(id)": 9 }, { "max(id)": 7 }, { "max(id)": 8 }]);
  assert.deepEqual(await df.agg(F.max("id").alias("m")).collect(), [{ m: 9 }]);
});

test("functions: JSON, base64, split, explode, regexp_extract, concat, coalesce, callFunction", async (t) => {
  const spark = await createSession(t);
  const schema = new T.StructType([new T.StructField("a", new T.IntegerType()), new T.StructField("tags", new T.ArrayType(new T.StringType()))]);
  const df = (await spark.sql(`select '{"a": 7, "tags": ["x", "y"]}' as js, base64('hello') as b64, 'p-q-r' as s, cast(null as string) as n`))
    .select(
      F.from_json(F.col("js"), schema).alias("parsed"),
      F.from_json(F.col("js"), "a INT").getField("a").alias("ddl"),
      F.unbase64(F.col("b64")).cast("string").alias("plain"),
      F.base64(F.lit("hi")).alias("encoded"),
      F.split(F.col("s"), "-").getItem(1).alias("second"),
      F.regexp_extract(F.col("s"), "(\\w)-(\\w)", 2).alias("re"),
      F.concat(F.col("s"), F.lit("!")).alias("cat"),
      F.coalesce(F.col("n"), F.lit("default")).alias("co"),
      F.callFunction("upper", F.col("s")).alias("up"),
    );
  const [row] = await df.collect();
  assert.deepEqual(row, { parsed: { a: 7, tags: ["x", "y"] }, ddl: 7, plain: "hello", encoded: "aGk=", second: "q", re: "q", cat: "p-q-r!", co: "default", up: "P-Q-R" });
  const json = await spark.range(1).select(F.to_json(F.struct(F.lit("v").alias("k"), F.lit(1.5).alias("n"))).alias("j")).collect();
  assert.deepEqual(json, [{ j: '{"k":"v","n":1.5}' }]);
  const [big] = await spark.range(1).select(F.lit(12345678901234567890n).alias("big"), F.lit(2n ** 62n).alias("long")).collect();
  assert.deepEqual(big, { big: "12345678901234567890", long: 2n ** 62n });
  const exploded = await spark.range(1).select(F.explode(F.array(F.lit(1), F.lit(2))).alias("e")).collect();
  assert.deepEqual(exploded, [{ e: 1 }, { e: 2 }]);
  const [ts] = await spark.range(1).select(F.current_timestamp().alias("now")).collect();
  assert.ok(ts?.now instanceof Date && Math.abs(ts.now.getTime() - Date.now()) < 60_000);
});

test("temp views, batch write and read", async (t) => {
  const spark = await createSession(t);
  const view = uniqueName("v");
  await spark.range(4).createOrReplaceTempView(view);
  assert.equal(await spark.table(view).count(), 4);
  assert.deepEqual(await (await spark.sql(`select sum(id) as s from ${view}`)).collect(), [{ s: 6 }]);
  const dir = await tempDir(t, "sc-write");
  await spark.range(5).write.mode("overwrite").parquet(`${dir}/out`);
  assert.equal(await spark.read.parquet(`${dir}/out`).count(), 5);
  await spark.range(2).write.mode("append").format("json").save(`${dir}/js`);
  const read = spark.read.format("json").schema("id BIGINT").load(`${dir}/js`);
  assert.deepEqual(await read.orderBy("id").collect(), [{ id: 0 }, { id: 1 }]);
});

test("errors are typed, with Spark's error class, SQLSTATE and parameters", async (t) => {
  const spark = await createSession(t);
  await assert.rejects(spark.sql("select * from no_such_table_anywhere"), (error: unknown) => {
    assert.ok(error instanceof AnalysisException, String(error));
    assert.equal(error.errorClass, "TABLE_OR_VIEW_NOT_FOUND");
    assert.equal(error.sqlState, "42P01");
    assert.equal(error.messageParameters.relationName, "`no_such_table_anywhere`");
    assert.ok(error.errorTypeHierarchy.includes("org.apache.spark.sql.AnalysisException"));
    return true;
  });
  await assert.rejects(spark.range(1).select(F.col("nope")).collect(), (error: unknown) => {
    assert.ok(error instanceof AnalysisException);
    assert.equal(error.errorClass, "UNRESOLVED_COLUMN.WITH_SUGGESTION");
    assert.equal(error.sqlState, "42703");
    return true;
  });
  await assert.rejects(spark.sql("selec 1"), (error: unknown) => {
    assert.ok(error instanceof ParseException, String(error));
    assert.equal(error.errorClass, "PARSE_SYNTAX_ERROR");
    return true;
  });
  await spark.conf.set("spark.sql.ansi.enabled", true);
  await assert.rejects(spark.range(1).select(F.lit(1).divide(F.lit(0))).collect(), (error: unknown) => {
    assert.ok(error instanceof ArithmeticException, String(error));
    assert.equal(error.errorClass, "DIVIDE_BY_ZERO");
    assert.equal(error.sqlState, "22012");
    return true;
  });
});

test("the server stack comes with an error on request", async (t) => {
  const spark = await createSession(t);
  await spark.conf.set("spark.sql.connect.serverStacktrace.enabled", true);
  await assert.rejects(spark.sql("select * from no_such_table_for_stack"), (error: unknown) => {
    assert.ok(error instanceof AnalysisException);
    assert.match(error.serverStackTrace ?? "", /at org\.apache\.spark\./);
    return true;
  });
});

test("a connection error names the address it tried", async () => {
  // The builder asks the server its version, so an unreachable server fails at create().
  await assert.rejects(SparkSession.builder().remote("sc://127.0.0.1:1").retryPolicy({ maxRetries: 1, initialBackoffMs: 10 }).create(), (error: unknown) => {
    assert.ok(error instanceof SparkConnectionError, String(error));
    assert.equal(error.address, "127.0.0.1:1");
    assert.match(error.message, /127\.0\.0\.1:1/);
    assert.equal(error.canRetry, true);
    return true;
  });
});
