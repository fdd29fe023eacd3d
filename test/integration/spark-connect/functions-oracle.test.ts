/**
 * The server's SQL is the oracle of every function wrapper: each generated wrapper is called with
 * its table sample through the DataFrame API, the same call is written as SQL text, and both are
 * evaluated in one query over a small input relation; their results must be identical. Hand-written
 * wrappers (lambdas, windows, DISTINCT aggregates …) have their own cases below. The test prints
 * the coverage against PySpark's function list (test/integration/spark-connect/pyspark-functions.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { functions as F, Window, type Column, type DataFrame, type SparkSession } from "spark-connect-ts";
import { FUNCTION_TABLE } from "../../../packages/spark-connect/scripts/function-table.js";
import { parseParams, type FunctionSpec, type Param } from "../../../packages/spark-connect/scripts/function-signature.js";
import { compareVersions, SPARK_CONNECT_PROTOCOL_VERSION } from "../../../packages/spark-connect/src/client/protocol-version.js";
import { createSession } from "./harness.js";
import { NOT_IN_SQL, NOT_WRAPPED, PYSPARK_FUNCTIONS, TIME_FUNCTIONS } from "./pyspark-functions.js";

const INPUT = `SELECT * FROM VALUES
  (1, 3, 10L, 0.5D, 0.25D, CAST(1.25 AS DECIMAL(10,2)), 'Spark SQL', 'spark', '10', true,
   TIMESTAMP'2024-01-02 03:04:05.123456', DATE'2024-01-02', array(3, 1, 2), array(1, 4), array('a', 'b'),
   array(array(1), array(2, 3)), map('a', 1, 'b', 2), map('c', 3), named_struct('a', 1, 'b', 'x'),
   '{"a":1,"b":[1,2]}', '1,abc,z', '<p><a>1</a><b>x</b></p>', 'https://spark.apache.org/docs?q=1&r=a%20b', '537061726B',
   X'537061726B', 'a', 'a:1,b:2', array(named_struct('k', 'a', 'v', 1)), '12:34:56', array(1.0F, 2.0F), array(0.5F, 0.5F), X'0101000000000000000000F03F0000000000000040'),
  (2, 4, 20L, 1.25D, 0.5D, CAST(2.5 AS DECIMAL(10,2)), 'hello world', 'hellx', '255', false,
   TIMESTAMP'2023-06-15 23:59:59', DATE'2023-06-15', array(5, NULL, 4), array(4), array('c'),
   array(array(4, 5)), map('x', 7), map('y', 8), named_struct('a', 2, 'b', 'y'),
   '[1,2,3]', '2,de,y', '<p><a>2</a><b>y</b></p>', 'http://example.com/a%20b?q=2', '48656C6C6F',
   X'48656C6C6F', 'x', 'k:v', array(named_struct('k', 'b', 'v', 2), named_struct('k', 'c', 'v', 3)), '23:59:59.999', array(3.0F, 4.0F), array(-1.0F, 2.0F), X'010100000000000000000008400000000000001040'),
  (3, 10, 30L, -2.75D, 0.75D, CAST(-3.75 AS DECIMAL(10,2)), 'ÄBC abc', 'abc', '-7', true,
   TIMESTAMP'1999-12-31 12:00:00', DATE'1999-12-31', CAST(array() AS ARRAY<INT>), array(7, 8), array('d', 'e'),
   array(array(6), CAST(array() AS ARRAY<INT>)), map('a', 9, 'c', 1), map('b', 10), named_struct('a', 3, 'b', 'z'),
   '{"a":"x"}', '3,fg,x', '<p><a>3</a><b>z</b></p>', 'https://spark.apache.org/', '',
   X'', 'c', 'a:', array(named_struct('k', 'd', 'v', 4)), '00:00:01', array(0.5F, -1.0F), array(2.0F, 2.0F), X'0101000000000000000000E03F000000000000E03F')
  AS t(i, j, l, d, p, dec, s, s2, n, b, ts, dt, arr, arr2, sarr, nested, m, m2, st, js, csv, xml, url, hx, bin, k, kv, entries, tm, vec, vec2, wkb)`;


function sqlString(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** A JavaScript value as the SQL literal of the type `lit()` infers for it. */
function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "bigint") return `${value}L`;
  if (typeof value === "number") {
    if (Number.isInteger(value) && Math.abs(value) < 2 ** 31) return String(value);
    return Number.isInteger(value) ? `${value}L` : `${value}D`;
  }
  if (typeof value === "string") return sqlString(value);
  if (value instanceof Date) return `TIMESTAMP'${value.toISOString()}'`;
  if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString("hex")}'`;
  if (Array.isArray(value)) return `array(${value.map(sqlLiteral).join(", ")})`;
  throw new Error(`no SQL literal for ${String(value)}`);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);

/** A sample argument for the API call and as SQL text, by the kind of its parameter. */
function argument(param: Param, sample: unknown): { api: unknown; sql: string } {
  if (isObject(sample) && "lit" in sample) return { api: F.lit(sample.lit as never), sql: sqlLiteral(sample.lit) };
  if (isObject(sample) && "expr" in sample) return { api: F.expr(String(sample.expr)), sql: String(sample.expr) };
  const columnName = param.kind === "col" || param.rest || (param.kind === "num" && typeof sample === "string");
  if (columnName) return { api: sample, sql: `\`${String(sample)}\`` };
  if (param.kind === "float") return { api: sample, sql: `${String(sample)}D` };
  if (param.kind === "opts") {
    const entries = Object.entries(sample as Record<string, unknown>).flatMap(([key, value]) => [sqlString(key), sqlString(String(value))]);
    return { api: sample, sql: `map(${entries.join(", ")})` };
  }
  return { api: sample, sql: sqlLiteral(sample) };
}

type Wrapper = (...args: unknown[]) => Column;
const wrappers = F as unknown as Record<string, Wrapper>;

/** The wrapper's call and the SQL text of the same call, from the table. */
function calls(spec: FunctionSpec): { api: Column; sql: string } {
  const params = parseParams(spec.params);
  const samples = spec.sample ?? [];
  const args = samples.map((sample, i) => argument(params[Math.min(i, params.length - 1)] as Param, sample));
  const wrapper = Object.hasOwn(wrappers, spec.name) ? wrappers[spec.name] : undefined;
  assert.ok(wrapper, `functions.${spec.name} is not exported`);
  return { api: wrapper(...args.map((a) => a.api)), sql: spec.sql ?? `${spec.spark}(${args.map((a) => a.sql).join(", ")})` };
}

interface Case {
  readonly name: string;
  /** An aggregate making a column `sketch` per group of `b`: the case runs over that instead of the input. */
  readonly sketches?: string | undefined;
  readonly api: Column;
  readonly sql: string;
  readonly evaluation: FunctionSpec["evaluation"];
}

interface Evaluated {
  readonly api: unknown[];
  readonly sql: unknown[];
  readonly apiType: string;
  readonly sqlType: string;
}

/** Both evaluations of one call in one query (two for generators, which Spark allows one per select). */
async function evaluate(rows: DataFrame, { api, sql, evaluation, sketches }: Case): Promise<Evaluated> {
  const input = sketches === undefined ? rows : rows.groupBy("b").agg(F.expr(sketches).alias("sketch"));
  const pair = async (df: DataFrame): Promise<Evaluated> => {
    const [rows, schema] = await Promise.all([df.collect(), df.schema()]);
    return { api: rows.map((r) => r.api), sql: rows.map((r) => r.sql), apiType: schema.fields[0]?.dataType.simpleString() ?? "", sqlType: schema.fields[1]?.dataType.simpleString() ?? "" };
  };
  switch (evaluation) {
    case "row":
      return pair(input.select(api.alias("api"), F.expr(sql).alias("sql")));
    case "aggregate":
      return pair(input.agg(api.alias("api"), F.expr(sql).alias("sql")));
    case "window":
      return pair(input.select(api.over(Window.orderBy("i")).alias("api"), F.expr(`${sql} OVER (ORDER BY i)`).alias("sql")));
    case "generator": {
      const [apiRows, sqlRows, apiSchema, sqlSchema] = await Promise.all([input.select(api).collect(), input.select(F.expr(sql)).collect(), input.select(api).schema(), input.select(F.expr(sql)).schema()]);
      return { api: apiRows, sql: sqlRows, apiType: apiSchema.simpleString(), sqlType: sqlSchema.simpleString() };
    }
  }
}

/** Evaluates every case; the failures as "name: message" lines. */
async function check(input: DataFrame, cases: readonly (Case & { typesOnly?: string | undefined })[]): Promise<{ failures: string[]; compared: number; typesOnly: number }> {
  const failures: string[] = [];
  let compared = 0;
  let typesOnly = 0;
  await pool(cases, 4, async (c) => {
    try {
      const result = await evaluate(input, c);
      assert.equal(result.apiType, result.sqlType, "result types differ");
      if (c.typesOnly === undefined) {
        assert.deepStrictEqual(result.api, result.sql);
        compared += 1;
      } else typesOnly += 1;
    } catch (error) {
      failures.push(`${c.name}: ${(error as Error).message.split("\n").slice(0, 6).join(" ")}`);
    }
  });
  return { failures, compared, typesOnly };
}

/** Runs `work` over `items` with at most `limit` in flight (the shared server has two cores). */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

async function inputRelation(spark: SparkSession): Promise<DataFrame> {
  return spark.sql(INPUT);
}

test("every generated function agrees with the server's SQL", async (t) => {
  const spark = await createSession(t);
  const input = await inputRelation(spark);
  const table = Object.values(FUNCTION_TABLE).flat();
  // An older server than the protocol's lacks the functions added since; on the protocol's own
  // version every wrapper must run, so a wrong name in the table cannot hide here.
  const olderServer = compareVersions(await spark.version(), SPARK_CONNECT_PROTOCOL_VERSION) < 0;
  const onServer = new Set((await (await spark.sql("SHOW FUNCTIONS")).collect()).map((row) => String(row.function)));
  const newer = olderServer ? table.filter((spec) => !onServer.has(spec.spark)) : [];
  if (newer.length > 0) console.log(`not on this older server (${newer.length}): ${newer.map((spec) => spec.name).join(", ")}`);
  const specs = table.filter((spec) => !newer.includes(spec));
  const cases = specs.filter((spec) => spec.skip === undefined).map((spec) => ({ name: spec.name, ...calls(spec), evaluation: spec.evaluation, typesOnly: spec.typesOnly, sketches: spec.sketches }));
  const { failures, compared, typesOnly } = await check(input, cases);
  const skipped = specs.filter((spec) => spec.skip !== undefined);
  console.log(`generated wrappers: ${specs.length}; values equal to SQL: ${compared}; types only: ${typesOnly} (${specs.filter((s) => s.typesOnly).map((s) => s.name).join(", ")}); not evaluable: ${skipped.length} (${skipped.map((s) => `${s.name}: ${s.skip}`).join("; ")})`);
  assert.deepEqual(failures, []);
});

const zero = F.lit(0);
const orZero = (c: Column): Column => F.coalesce(c, zero);

/** The hand-written wrappers (lambdas, DISTINCT, schemas, windows, literals), each against its SQL. */
const HAND_WRITTEN: readonly Case[] = [
  { name: "transform", api: F.transform("arr", (x) => x.plus(1)), sql: "transform(arr, x -> x + 1)", evaluation: "row" },
  { name: "transform (with index)", api: F.transform("arr", (x, i) => x.multiply(i)), sql: "transform(arr, (x, i) -> x * i)", evaluation: "row" },
  { name: "transform (nested lambdas)", api: F.transform("nested", (xs) => F.transform(xs, (x) => x.plus(F.size(xs)))), sql: "transform(nested, xs -> transform(xs, x -> x + size(xs)))", evaluation: "row" },
  { name: "filter", api: F.filter("arr", (x) => x.gt(1)), sql: "filter(arr, x -> x > 1)", evaluation: "row" },
  { name: "filter (with index)", api: F.filter("arr", (_x, i) => i.gt(0)), sql: "filter(arr, (x, i) -> i > 0)", evaluation: "row" },
  { name: "exists", api: F.exists("arr", (x) => x.isNull()), sql: "exists(arr, x -> x IS NULL)", evaluation: "row" },
  { name: "forall", api: F.forall("arr", (x) => x.gt(0)), sql: "forall(arr, x -> x > 0)", evaluation: "row" },
  { name: "aggregate", api: F.aggregate("arr", zero, (acc, x) => acc.plus(orZero(x))), sql: "aggregate(arr, 0, (acc, x) -> acc + coalesce(x, 0))", evaluation: "row" },
  { name: "aggregate (with finish)", api: F.aggregate("arr", zero, (acc, x) => acc.plus(orZero(x)), (acc) => acc.multiply(10)), sql: "aggregate(arr, 0, (acc, x) -> acc + coalesce(x, 0), acc -> acc * 10)", evaluation: "row" },
  { name: "reduce", api: F.reduce("arr", zero, (acc, x) => acc.plus(orZero(x))), sql: "reduce(arr, 0, (acc, x) -> acc + coalesce(x, 0))", evaluation: "row" },
  { name: "zip_with", api: F.zip_with("arr", "arr2", (x, y) => orZero(x).minus(orZero(y))), sql: "zip_with(arr, arr2, (x, y) -> coalesce(x, 0) - coalesce(y, 0))", evaluation: "row" },
  { name: "map_filter", api: F.map_filter("m", (_k, v) => v.gt(1)), sql: "map_filter(m, (k, v) -> v > 1)", evaluation: "row" },
  { name: "transform_keys", api: F.transform_keys("m", (k) => F.upper(k)), sql: "transform_keys(m, (k, v) -> upper(k))", evaluation: "row" },
  { name: "transform_values", api: F.transform_values("m", (k, v) => F.concat(k, v.cast("string"))), sql: "transform_values(m, (k, v) -> concat(k, CAST(v AS STRING)))", evaluation: "row" },
  { name: "map_zip_with", api: F.map_zip_with("m", "m2", (_k, a, b) => orZero(a).plus(orZero(b))), sql: "map_zip_with(m, m2, (k, a, b) -> coalesce(a, 0) + coalesce(b, 0))", evaluation: "row" },
  { name: "array_sort", api: F.array_sort("arr"), sql: "array_sort(arr)", evaluation: "row" },
  { name: "array_sort (comparator)", api: F.array_sort("arr", (a, b) => orZero(b).minus(orZero(a))), sql: "array_sort(arr, (a, b) -> coalesce(b, 0) - coalesce(a, 0))", evaluation: "row" },
  { name: "count_distinct", api: F.count_distinct("i", "b"), sql: "count(DISTINCT i, b)", evaluation: "aggregate" },
  { name: "countDistinct", api: F.countDistinct("b"), sql: "count(DISTINCT b)", evaluation: "aggregate" },
  { name: "sum_distinct", api: F.sum_distinct(F.col("j").mod(2)), sql: "sum(DISTINCT j % 2)", evaluation: "aggregate" },
  { name: "sumDistinct", api: F.sumDistinct("j"), sql: "sum(DISTINCT j)", evaluation: "aggregate" },
  { name: "listagg_distinct", api: F.listagg_distinct(F.col("b").cast("string"), ";"), sql: "listagg(DISTINCT CAST(b AS STRING), ';')", evaluation: "aggregate" },
  { name: "string_agg_distinct", api: F.string_agg_distinct(F.col("b").cast("string")), sql: "string_agg(DISTINCT CAST(b AS STRING))", evaluation: "aggregate" },
  { name: "from_json (DDL)", api: F.from_json("js", "a INT, b ARRAY<INT>"), sql: "from_json(js, 'a INT, b ARRAY<INT>')", evaluation: "row" },
  { name: "from_json (options)", api: F.from_json("js", "a STRING", { mode: "PERMISSIVE" }), sql: "from_json(js, 'a STRING', map('mode', 'PERMISSIVE'))", evaluation: "row" },
  { name: "json_tuple", api: F.json_tuple("js", "a", "b"), sql: "json_tuple(js, 'a', 'b')", evaluation: "generator" },
  { name: "struct", api: F.struct("i", "s"), sql: "struct(i, s)", evaluation: "row" },
  { name: "when", api: F.when(F.col("i").gt(1), "big").when(F.col("i").lt(0), "negative").otherwise("small"), sql: "CASE WHEN i > 1 THEN 'big' WHEN i < 0 THEN 'negative' ELSE 'small' END", evaluation: "row" },
  { name: "call_function", api: F.call_function("abs", "d"), sql: "abs(d)", evaluation: "row" },
  { name: "callFunction", api: F.callFunction("concat", "s", F.lit("!")), sql: "concat(s, '!')", evaluation: "row" },
  { name: "window", api: F.window("ts", "1 hour"), sql: "window(ts, '1 hour')", evaluation: "row" },
  { name: "window (sliding)", api: F.window("ts", "1 hour", "20 minutes", "5 minutes"), sql: "window(ts, '1 hour', '20 minutes', '5 minutes')", evaluation: "generator" },
  { name: "lit(1, \"double\")", api: F.lit(1, "double"), sql: "1D", evaluation: "row" },
  { name: "lit([1, 2.5])", api: F.lit([1, 2.5]), sql: "array(1D, 2.5D)", evaluation: "row" },
  { name: "lit([[1], [2.5, null]])", api: F.lit([[1], [2.5, null]]), sql: "array(array(1D), array(2.5D, NULL))", evaluation: "row" },
  { name: "lit([1, 3000000000])", api: F.lit([1, 3_000_000_000]), sql: "array(1L, 3000000000L)", evaluation: "row" },
  { name: "lit(2, \"decimal(5,2)\")", api: F.lit(2, "decimal(5,2)"), sql: "CAST(2 AS DECIMAL(5,2))", evaluation: "row" },
  { name: "lit(5, \"tinyint\")", api: F.lit(5, "tinyint"), sql: "5Y", evaluation: "row" },
  { name: "lit(5, \"smallint\")", api: F.lit(5, "smallint"), sql: "5S", evaluation: "row" },
  { name: "lit(1.5, \"float\")", api: F.lit(1.5, "float"), sql: "CAST(1.5 AS FLOAT)", evaluation: "row" },
  { name: "lit(\"2024-01-02\", \"date\")", api: F.lit("2024-01-02", "date"), sql: "DATE'2024-01-02'", evaluation: "row" },
  { name: "lit(null, \"string\")", api: F.lit(null, "string"), sql: "CAST(NULL AS STRING)", evaluation: "row" },
  { name: "lit([1, 2], \"array<bigint>\")", api: F.lit([1, 2], "array<bigint>"), sql: "array(1L, 2L)", evaluation: "row" },
  { name: "lit(2n ** 70n)", api: F.lit(2n ** 70n), sql: "1180591620717411303424BD", evaluation: "row" },
  { name: "over(partitionBy, orderBy, rowsBetween)", api: F.sum("j").over(Window.partitionBy("b").orderBy("i").rowsBetween(Window.unboundedPreceding, Window.currentRow)), sql: "sum(j) OVER (PARTITION BY b ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", evaluation: "row" },
  { name: "over(rowsBetween(-1, unboundedFollowing))", api: F.collect_list("s").over(Window.orderBy("i").rowsBetween(-1, Window.unboundedFollowing)), sql: "collect_list(s) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND UNBOUNDED FOLLOWING)", evaluation: "row" },
  { name: "over(rangeBetween(-1, 1))", api: F.sum("d").over(Window.orderBy("i").rangeBetween(-1, 1)), sql: "sum(d) OVER (ORDER BY i RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING)", evaluation: "row" },
  { name: "over(orderBy desc)", api: F.rank().over(Window.partitionBy(["b"]).orderBy(F.desc("d"))), sql: "rank() OVER (PARTITION BY b ORDER BY d DESC)", evaluation: "row" },
  { name: "over()", api: F.max("j").over(), sql: "max(j) OVER ()", evaluation: "row" },
];

test("every hand-written function agrees with the server's SQL", async (t) => {
  const spark = await createSession(t);
  const input = await inputRelation(spark);
  const { failures, compared } = await check(input, HAND_WRITTEN);
  console.log(`hand-written cases equal to SQL: ${compared} of ${HAND_WRITTEN.length}`);
  assert.deepEqual(failures, []);
});

test("session_window and window_time agree with the server's SQL in a grouping", async (t) => {
  const spark = await createSession(t);
  const input = await inputRelation(spark);
  const api = input.groupBy(F.session_window("ts", "5 minutes").alias("w")).agg(F.count("*").alias("n")).select(F.window_time("w").alias("t"), "n").orderBy("t");
  const sql = input.groupBy(F.expr("session_window(ts, '5 minutes')").alias("w")).agg(F.expr("count(*)").alias("n")).select(F.expr("window_time(w)").alias("t"), "n").orderBy("t");
  const [apiRows, sqlRows] = await Promise.all([api.collect(), sql.collect()]);
  assert.equal(apiRows.length, 3);
  assert.deepStrictEqual(apiRows, sqlRows);
});

test("sort keys order as SQL's ORDER BY, nulls included", async (t) => {
  const spark = await createSession(t);
  const input = (await inputRelation(spark)).withColumn("x", F.expr("array_max(arr)"));
  const keys = { asc: "ASC", asc_nulls_first: "ASC NULLS FIRST", asc_nulls_last: "ASC NULLS LAST", desc: "DESC", desc_nulls_first: "DESC NULLS FIRST", desc_nulls_last: "DESC NULLS LAST" } as const;
  for (const [name, sql] of Object.entries(keys)) {
    const api = await input.orderBy(F[name as keyof typeof keys]("x")).select("i").collect();
    const oracle = await (await spark.sql(`SELECT i FROM (${INPUT}) ORDER BY array_max(arr) ${sql}`)).collect();
    assert.deepStrictEqual(api, oracle, name);
  }
});

test("broadcast marks the join side to broadcast, as the SQL hint does", async (t) => {
  const spark = await createSession(t);
  const input = await inputRelation(spark);
  const joined = input.select("i", "s").join(F.broadcast(input.select("i", "j")), "i").orderBy("i");
  assert.match(await joined.explainString(), /BroadcastHashJoin/);
  const oracle = await spark.sql(`SELECT /*+ BROADCAST(b) */ a.i, a.s, b.j FROM (${INPUT}) a JOIN (${INPUT}) b USING (i) ORDER BY i`);
  assert.deepStrictEqual(await joined.collect(), await oracle.collect());
});

test("raise_error fails the query as SQL's raise_error does", async (t) => {
  const spark = await createSession(t);
  const input = await inputRelation(spark);
  const failure = async (c: Column): Promise<string> => {
    try {
      await input.select(c).collect();
    } catch (error) {
      return (error as Error).message;
    }
    return "no error";
  };
  const [api, sql] = await Promise.all([failure(F.raise_error("boom")), failure(F.expr("raise_error('boom')"))]);
  assert.match(api, /boom/);
  assert.equal(api, sql);
});

test("coverage of PySpark's function names: every name the server supports is wrapped", async (t) => {
  const spark = await createSession(t);
  const onServer = new Set((await (await spark.sql("SHOW FUNCTIONS")).collect()).map((row) => String(row.function)));
  const exported = new Set(Object.keys(F));
  const wrapped = PYSPARK_FUNCTIONS.filter((name) => exported.has(name));
  const missing = PYSPARK_FUNCTIONS.filter((name) => !exported.has(name) && NOT_WRAPPED[name] === undefined);
  const notOnServer = missing.filter((name) => !onServer.has(name));
  const timeType = missing.filter((name) => onServer.has(name) && TIME_FUNCTIONS.has(name));
  console.log(
    `functions: ${wrapped.length} of ${PYSPARK_FUNCTIONS.length} PySpark names wrapped (${exported.size} exports); not wrapped: ` +
      `${Object.keys(NOT_WRAPPED).length} Python UDF names, ${timeType.length} TIME-type functions the server disables (${timeType.join(" ")}), ` +
      `${notOnServer.length} names this server does not have (${notOnServer.join(" ")}); ${Object.keys(NOT_IN_SQL).length} wrappers without a SQL form`,
  );
  assert.deepEqual(missing.filter((name) => onServer.has(name) && !TIME_FUNCTIONS.has(name)), [], "functions the server has but the client does not wrap");
  for (const name of Object.keys(NOT_IN_SQL)) assert.ok(exported.has(name), `${name} is listed as having no SQL form but is not exported`);
});
