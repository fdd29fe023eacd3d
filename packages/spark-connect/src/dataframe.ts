/**
 * `DataFrame`, with PySpark's names. Transformations are synchronous and only build the plan
 * (one relation node each); actions (`collect`, `count`, `show` …) are async and run it.
 */
import type { Table } from "apache-arrow";
import { RowDecoder, type Row } from "./client/arrow-decode.js";
import { arrowBatchesOf, batchesToTable, execute } from "./client/execution.js";
import type { ActionOptions } from "./action-options.js";
import { Column, columnExpr, exprOf, type ColumnOrName } from "./column.js";
import type { Expression, Relation } from "./plan/relations.js";
import { GroupedData } from "./grouped-data.js";
import { createViewPlan, rootPlan } from "./plan/commands.js";
import { attributeExpr, functionExpr, literalExpr, sortOrderExpr, sqlExpr, starExpr } from "./plan/expressions.js";
import {
  aggregateRel,
  deduplicateRel,
  dropRel,
  filterRel,
  hintRel,
  joinRel,
  limitRel,
  offsetRel,
  projectRel,
  repartitionRel,
  repartitionByExpressionRel,
  unpivotRel,
  setOpRel,
  showStringRel,
  sortRel,
  subqueryAliasRel,
  tailRel,
  toDFRel,
  withColumnsRel,
  withColumnsRenamedRel,
  withWatermarkRel,
  collectMetricsRel,
  type JoinType,
} from "./plan/relations.js";
import { clientOf, type SparkSession } from "./session.js";
import { DataStreamWriter } from "./streaming/data-stream-writer.js";
import type { StructType } from "./types/data-types.js";
import type { RowOf } from "./types/row-of.js";
import { schemaMismatches } from "./types/schema-mismatches.js";
import { fromProtoDataType } from "./plan/data-types.js";
import { EXPLAIN_MODES, type ExplainMode } from "./plan/explain.js";
import { DataFrameWriter } from "./writer.js";
import { DataFrameWriterV2 } from "./writer-v2.js";
import { DataFrameNaFunctions } from "./na-functions.js";
import { DataFrameStatFunctions, randomSeed } from "./stat-functions.js";
import { StorageLevel } from "./storage-level.js";
import { describeRel, sampleRel, summaryRel } from "./plan/stat-relations.js";
import { SparkConnectError } from "./errors.js";

export type { ExplainMode };

/** Columns as varargs, or as one array (both PySpark forms). */
function flatten<T>(items: readonly (T | readonly T[])[]): T[] {
  return items.length === 1 && Array.isArray(items[0]) ? [...(items[0] as readonly T[])] : (items as T[]);
}

let readRelation: (df: DataFrame) => Relation;

/**
 * A distributed collection of rows with named columns, PySpark's `DataFrame`; transformations build a plan, actions run it.
 * `Rows` is the type of the rows its actions return: `Row` unless the DataFrame came from
 * `createDataFrame(rows, schema)` or `typed(schema)` with a StructType literal, or `as<T>()`.
 *
 * @example
 * ```ts
 * const df = spark.range(10).filter(F.col("id").gt(5));
 * await df.show();
 * ```
 */
export class DataFrame<Rows extends object = Row> {
  /** The session this DataFrame runs in (PySpark's `sparkSession`). */
  readonly session: SparkSession;
  /** The plan this DataFrame stands for (the protocol's Relation; internal: see `relationOf`). */
  readonly #relation: Relation;

  static {
    readRelation = (df) => df.#relation;
  }

  /** @internal DataFrames come from a SparkSession (`sql`, `range`, `table`, `read` …) and from transformations. */
  constructor(session: SparkSession, relation: Relation) {
    this.session = session;
    this.#relation = relation;
  }

  /** The session this DataFrame runs in. */
  get sparkSession(): SparkSession {
    return this.session;
  }

  /** @internal The plan id of this DataFrame's relation, which columns made by `col()` are pinned to. */
  get planId(): bigint {
    return this.#relation.common?.planId ?? -1n;
  }

  #next(build: (planId: bigint) => Relation): DataFrame {
    return new DataFrame(this.session, build(this.session.newPlanId()));
  }

  /** A column of this DataFrame, pinned to it (PySpark's `df["name"]` / `df.name`). */
  col(name: string): Column {
    return new Column(name === "*" ? starExpr(undefined, this.planId) : attributeExpr(name, this.planId));
  }

  // ---- transformations -------------------------------------------------------------------
  /**
   * Projects a set of columns or expressions, PySpark's `select`.
   *
   * @example
   * ```ts
   * df.select("name", F.col("age").plus(1).alias("next_age"));
   * ```
   */
  select(...cols: (ColumnOrName | readonly ColumnOrName[])[]): DataFrame {
    return this.#next((id) => projectRel(id, this.#relation, flatten(cols).map((c) => columnExpr(c))));
  }
  /**
   * Projects a set of SQL expressions, PySpark's `selectExpr`.
   *
   * @example
   * ```ts
   * df.selectExpr("name", "age * 2 AS double_age");
   * ```
   */
  selectExpr(...exprs: (string | readonly string[])[]): DataFrame {
    return this.#next((id) => projectRel(id, this.#relation, flatten(exprs).map(sqlExpr)));
  }
  /**
   * Adds a column, or replaces the one of the same name, PySpark's `withColumn`.
   *
   * @example
   * ```ts
   * df.withColumn("age_next_year", F.col("age").plus(1));
   * ```
   */
  withColumn(name: string, col: Column): DataFrame {
    return this.withColumns({ [name]: col });
  }
  /**
   * Adds or replaces several columns at once, PySpark's `withColumns`.
   *
   * @example
   * ```ts
   * df.withColumns({ a: F.lit(1), b: F.col("x").multiply(2) });
   * ```
   */
  withColumns(columns: Record<string, Column>): DataFrame {
    const list = Object.entries(columns).map(([name, col]) => ({ name, expr: exprOf(col) }));
    return this.#next((id) => withColumnsRel(id, this.#relation, list));
  }
  /** Renames one column (a no-op when it does not exist), PySpark's `withColumnRenamed`: `df.withColumnRenamed("old", "new")`. */
  withColumnRenamed(existing: string, renamed: string): DataFrame {
    return this.withColumnsRenamed({ [existing]: renamed });
  }
  /** Renames several columns, from old name to new, PySpark's `withColumnsRenamed`: `df.withColumnsRenamed({ a: "x" })`. */
  withColumnsRenamed(renames: Record<string, string>): DataFrame {
    const list = Object.entries(renames).map(([from, to]) => ({ from, to }));
    return this.#next((id) => withColumnsRenamedRel(id, this.#relation, list));
  }
  /**
   * Keeps the rows for which the condition (a Column or a SQL string) is true, PySpark's `filter`.
   *
   * @example
   * ```ts
   * df.filter(F.col("age").gt(21));
   * df.filter("age > 21");
   * ```
   */
  filter(condition: Column | string): DataFrame {
    const expr = typeof condition === "string" ? sqlExpr(condition) : exprOf(condition);
    return this.#next((id) => filterRel(id, this.#relation, expr));
  }
  /**
   * PySpark's alias of `filter`: keeps the rows for which the condition is true.
   *
   * @example
   * ```ts
   * df.where(F.col("city").eq("Paris"));
   * ```
   */
  where(condition: Column | string): DataFrame {
    return this.filter(condition);
  }
  /**
   * Joins on column names (`"id"` or `["a", "b"]`, which appear once in the result), on a
   * condition (a Column, or several that must all hold), or with no `on` as a cross join;
   * PySpark's `join`. `how`: inner, left, right, full (outer), left_semi, left_anti, cross.
   *
   * @example
   * ```ts
   * people.join(orders, "customer_id", "left");
   * people.join(orders, people.col("id").eq(orders.col("customer_id")));
   * ```
   */
  join(other: DataFrame, on?: string | readonly string[] | Column | readonly Column[], how: JoinType = "inner"): DataFrame {
    let spec: { condition?: Expression; usingColumns?: string[] } = {};
    if (typeof on === "string") spec = { usingColumns: [on] };
    else if (on instanceof Column) spec = { condition: exprOf(on) };
    else if (Array.isArray(on) && on.length > 0) {
      if (on.every((item) => typeof item === "string")) spec = { usingColumns: [...(on as string[])] };
      else spec = { condition: exprOf((on as Column[]).reduce((acc, item) => acc.and(item))) };
    }
    const joinType = on === undefined && how === "inner" ? "cross" : how;
    return this.#next((id) => joinRel(id, this.#relation, relationOf(other), spec, joinType));
  }
  /** The Cartesian product with another DataFrame, PySpark's `crossJoin`: `a.crossJoin(b)`. */
  crossJoin(other: DataFrame): DataFrame {
    return this.#next((id) => joinRel(id, this.#relation, relationOf(other), {}, "cross"));
  }
  /** Names this DataFrame, so its columns can be qualified (`"a.id"`) in joins, PySpark's `alias`: `df.alias("a")`. */
  alias(name: string): DataFrame {
    return this.#next((id) => subqueryAliasRel(id, this.#relation, name));
  }
  /** Removes columns, by name or by Column (names that do not exist are ignored), PySpark's `drop`: `df.drop("tmp")`. */
  drop(...cols: ColumnOrName[]): DataFrame {
    const names = cols.filter((c): c is string => typeof c === "string");
    const exprs = cols.filter((c): c is Column => c instanceof Column).map((c) => exprOf(c));
    return this.#next((id) => dropRel(id, this.#relation, exprs, names));
  }
  /** Drops duplicate rows, considering only `subset` columns when given (streaming: state is kept; bound it with a watermark). */
  dropDuplicates(subset?: readonly string[]): DataFrame {
    return this.#next((id) => deduplicateRel(id, this.#relation, subset));
  }
  /** PySpark's alias of `dropDuplicates`. */
  drop_duplicates(subset?: readonly string[]): DataFrame {
    return this.dropDuplicates(subset);
  }
  /** Drops duplicate rows of a stream, keeping state only within the watermark, PySpark's `dropDuplicatesWithinWatermark`. */
  dropDuplicatesWithinWatermark(subset?: readonly string[]): DataFrame {
    return this.#next((id) => deduplicateRel(id, this.#relation, subset, true));
  }
  /** The distinct rows, PySpark's `distinct`: `df.distinct()`. */
  distinct(): DataFrame {
    return this.dropDuplicates();
  }
  /**
   * Computes named aggregate metrics over the rows that pass, without changing them; a streaming
   * query reports them per micro-batch in `lastProgress.observedMetrics[name]`.
   */
  observe(name: string, ...exprs: Column[]): DataFrame {
    return this.#next((id) => collectMetricsRel(id, this.#relation, name, exprs.map((column) => exprOf(column))));
  }
  /** Declares an event-time watermark for a stream, bounding the state of aggregations and joins, PySpark's `withWatermark`: `df.withWatermark("ts", "10 minutes")`. */
  withWatermark(eventTime: string, delayThreshold: string): DataFrame {
    return this.#next((id) => withWatermarkRel(id, this.#relation, eventTime, delayThreshold));
  }
  /** The first `n` rows, PySpark's `limit`: `df.limit(10)`. */
  limit(n: number): DataFrame {
    return this.#next((id) => limitRel(id, this.#relation, n));
  }
  /** Skips the first `n` rows, PySpark's `offset`: `df.offset(10)`. */
  offset(n: number): DataFrame {
    return this.#next((id) => offsetRel(id, this.#relation, n));
  }
  /**
   * Sorts globally by the columns (ascending unless given `desc()`), PySpark's `orderBy`.
   *
   * @example
   * ```ts
   * df.orderBy(F.col("age").desc(), "name");
   * ```
   */
  orderBy(...cols: (ColumnOrName | readonly ColumnOrName[])[]): DataFrame {
    return this.#next((id) => sortRel(id, this.#relation, flatten(cols).map((c) => columnExpr(c)), true));
  }
  /** PySpark's alias of `orderBy`: `df.sort("age")`. */
  sort(...cols: (ColumnOrName | readonly ColumnOrName[])[]): DataFrame {
    return this.orderBy(...cols);
  }
  /** Sorts each partition by the columns, without a global shuffle, PySpark's `sortWithinPartitions`. */
  sortWithinPartitions(...cols: (ColumnOrName | readonly ColumnOrName[])[]): DataFrame {
    return this.#next((id) => sortRel(id, this.#relation, flatten(cols).map((c) => columnExpr(c)), false));
  }
  /**
   * Groups the rows by the columns, for aggregation with `agg`, `count`, `pivot` …, PySpark's `groupBy`.
   *
   * @example
   * ```ts
   * df.groupBy("city").agg(F.avg("age").alias("avg_age"));
   * ```
   */
  groupBy(...cols: (ColumnOrName | readonly ColumnOrName[])[]): GroupedData {
    return new GroupedData(this, flatten(cols).map((c) => columnExpr(c)));
  }
  /** PySpark's alias of `groupBy`. */
  groupby(...cols: (ColumnOrName | readonly ColumnOrName[])[]): GroupedData {
    return this.groupBy(...cols);
  }
  /** Aggregates over the whole DataFrame: `df.agg(F.max("x"))`. */
  agg(...exprs: (Column | readonly Column[])[]): DataFrame {
    return this.groupBy().agg(...exprs);
  }
  /** The rows of both DataFrames, matched by position and keeping duplicates, PySpark's `union`: `a.union(b)`. */
  union(other: DataFrame): DataFrame {
    return this.#next((id) => setOpRel(id, this.#relation, relationOf(other), "union", { isAll: true }));
  }
  /** PySpark's alias of `union` (duplicates are kept). */
  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }
  /** The rows of both DataFrames, matched by column name; `allowMissingColumns` fills missing ones with null, PySpark's `unionByName`. */
  unionByName(other: DataFrame, allowMissingColumns = false): DataFrame {
    return this.#next((id) => setOpRel(id, this.#relation, relationOf(other), "union", { isAll: true, byName: true, allowMissingColumns }));
  }
  /** The distinct rows present in both DataFrames, PySpark's `intersect`. */
  intersect(other: DataFrame): DataFrame {
    return this.#next((id) => setOpRel(id, this.#relation, relationOf(other), "intersect", { isAll: false }));
  }
  /** The rows present in both DataFrames, keeping duplicates, PySpark's `intersectAll`. */
  intersectAll(other: DataFrame): DataFrame {
    return this.#next((id) => setOpRel(id, this.#relation, relationOf(other), "intersect", { isAll: true }));
  }
  /** The distinct rows of this DataFrame that are not in the other, PySpark's `subtract` (SQL's EXCEPT DISTINCT). */
  subtract(other: DataFrame): DataFrame {
    return this.#next((id) => setOpRel(id, this.#relation, relationOf(other), "except", { isAll: false }));
  }
  /** The rows of this DataFrame that are not in the other, keeping duplicates, PySpark's `exceptAll`. */
  exceptAll(other: DataFrame): DataFrame {
    return this.#next((id) => setOpRel(id, this.#relation, relationOf(other), "except", { isAll: true }));
  }
  /** Renames every column by position, PySpark's `toDF`: `df.toDF("a", "b")`. */
  toDF(...names: string[]): DataFrame {
    return this.#next((id) => toDFRel(id, this.#relation, names));
  }
  /** Reduces to `numPartitions` partitions without a shuffle, PySpark's `coalesce`: `df.coalesce(1)`. */
  coalesce(numPartitions: number): DataFrame {
    return this.#next((id) => repartitionRel(id, this.#relation, numPartitions, false));
  }
  /** Gives the optimizer a hint for this DataFrame, PySpark's `hint`: `small.hint("broadcast")`. */
  hint(name: string, ...parameters: (string | number)[]): DataFrame {
    return this.#next((id) => hintRel(id, this.#relation, name, parameters));
  }

  // ---- everyday API: sampling, statistics, reshaping, partitioning, caching ------------------

  /**
   * A random sample of about `fraction` of the rows (not an exact count). Without a seed one is
   * drawn once, so re-running this DataFrame returns the same sample, as in PySpark.
   *
   * @example
   * ```ts
   * df.sample(0.1);                 // without replacement
   * df.sample(true, 0.5, 42);       // with replacement, seeded
   * ```
   */
  sample(fraction: number, seed?: number | bigint): DataFrame;
  sample(withReplacement: boolean, fraction: number, seed?: number | bigint): DataFrame;
  sample(first: boolean | number, second?: number | bigint, third?: number | bigint): DataFrame {
    const [withReplacement, fraction, seed] = typeof first === "boolean" ? [first, Number(second), third] : [false, first, second];
    if (!(fraction >= 0)) throw new RangeError(`fraction must be non-negative, not ${fraction}`);
    const drawn = seed === undefined ? randomSeed() : BigInt(seed);
    return this.#next((id) => sampleRel(id, this.#relation, { lowerBound: 0, upperBound: fraction, withReplacement, seed: drawn }));
  }

  /**
   * Splits the rows randomly by relative `weights` (normalised to sum to 1); the parts are
   * disjoint and together hold every row.
   *
   * @example
   * ```ts
   * const [train, test] = df.randomSplit([0.8, 0.2], 7);
   * ```
   */
  randomSplit(weights: readonly number[], seed?: number | bigint): DataFrame[] {
    if (weights.length === 0 || weights.some((weight) => !(weight >= 0))) throw new RangeError(`weights must be non-negative numbers: ${weights.join(", ")}`);
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    if (total <= 0) throw new RangeError("the sum of the weights must be positive");
    const drawn = seed === undefined ? randomSeed() : BigInt(seed);
    let lowerBound = 0;
    return weights.map((weight, index) => {
      const upperBound = index === weights.length - 1 ? 1 : lowerBound + weight / total;
      const spec = { lowerBound, upperBound, withReplacement: false, seed: drawn, deterministicOrder: true };
      lowerBound = upperBound;
      return this.#next((id) => sampleRel(id, this.#relation, spec));
    });
  }

  /**
   * count, mean, stddev, min and max of the given columns (all numeric and string ones when
   * none), as a DataFrame of strings with a `summary` column.
   *
   * @example
   * ```ts
   * await df.describe("age").show();
   * ```
   */
  describe(...cols: (string | readonly string[])[]): DataFrame {
    return this.#next((id) => describeRel(id, this.#relation, flatten(cols)));
  }

  /**
   * Named statistics of every numeric and string column: count, mean, stddev, min, max,
   * approximate percentiles ("25%") and count_distinct…; by default those of `describe` plus the quartiles.
   *
   * @example
   * ```ts
   * await df.summary("count", "min", "50%", "max").show();
   * ```
   */
  summary(...statistics: string[]): DataFrame {
    return this.#next((id) => summaryRel(id, this.#relation, statistics));
  }

  /**
   * Missing-value functions: `df.na.drop()`, `df.na.fill(0)`, `df.na.replace(…)`.
   *
   * @example
   * ```ts
   * df.na.fill({ age: 0 });
   * ```
   */
  get na(): DataFrameNaFunctions {
    return new DataFrameNaFunctions(this);
  }
  /** As `df.na.drop(options)`: `df.dropna({ how: "all" })`. */
  dropna(options?: Parameters<DataFrameNaFunctions["drop"]>[0]): DataFrame {
    return this.na.drop(options);
  }
  /** As `df.na.fill(value, subset)`: `df.fillna(0, ["age"])`. */
  fillna(...args: Parameters<DataFrameNaFunctions["fill"]>): DataFrame {
    return this.na.fill(...args);
  }
  /** As `df.na.replace(toReplace, value, subset)`: `df.replace("a", "b")`. */
  replace(...args: Parameters<DataFrameNaFunctions["replace"]>): DataFrame {
    return this.na.replace(...args);
  }

  /**
   * Statistics functions: `df.stat.corr("a", "b")`, `approxQuantile`, `crosstab` …
   *
   * @example
   * ```ts
   * const [median] = await df.stat.approxQuantile("age", [0.5], 0.01);
   * ```
   */
  get stat(): DataFrameStatFunctions {
    return new DataFrameStatFunctions(this);
  }
  /** As `df.stat.approxQuantile`: `await df.approxQuantile("age", [0.5], 0)`. */
  approxQuantile(col: string, probabilities: readonly number[], relativeError: number): Promise<number[]>;
  approxQuantile(col: readonly string[], probabilities: readonly number[], relativeError: number): Promise<number[][]>;
  approxQuantile(col: string | readonly string[], probabilities: readonly number[], relativeError: number): Promise<number[] | number[][]> {
    return typeof col === "string" ? this.stat.approxQuantile(col, probabilities, relativeError) : this.stat.approxQuantile(col, probabilities, relativeError);
  }
  /** As `df.stat.corr`: `await df.corr("a", "b")`. */
  corr(col1: string, col2: string, method?: string): Promise<number> {
    return this.stat.corr(col1, col2, method);
  }
  /** As `df.stat.cov`: `await df.cov("a", "b")`. */
  cov(col1: string, col2: string): Promise<number> {
    return this.stat.cov(col1, col2);
  }
  /** As `df.stat.crosstab`: `df.crosstab("city", "plan")`. */
  crosstab(col1: string, col2: string): DataFrame {
    return this.stat.crosstab(col1, col2);
  }
  /** As `df.stat.freqItems`: `df.freqItems(["city"])`. */
  freqItems(cols: string | readonly string[], support?: number): DataFrame {
    return this.stat.freqItems(cols, support);
  }
  /** As `df.stat.sampleBy`: `df.sampleBy("plan", { free: 0.1 }, 42)`. */
  sampleBy(...args: Parameters<DataFrameStatFunctions["sampleBy"]>): DataFrame {
    return this.stat.sampleBy(...args);
  }

  /**
   * Groups by every combination of the columns (including none), for subtotals and a grand total.
   *
   * @example
   * ```ts
   * df.cube("city", "plan").count();
   * ```
   */
  cube(...cols: (ColumnOrName | readonly ColumnOrName[])[]): GroupedData {
    return new GroupedData(this, flatten(cols).map((c) => columnExpr(c)), "cube");
  }

  /**
   * Groups hierarchically: by all columns, then by all but the last, …, then a grand total.
   *
   * @example
   * ```ts
   * df.rollup("country", "city").agg(F.sum("sales"));
   * ```
   */
  rollup(...cols: (ColumnOrName | readonly ColumnOrName[])[]): GroupedData {
    return new GroupedData(this, flatten(cols).map((c) => columnExpr(c)), "rollup");
  }

  /**
   * Wide to long: keeps the `ids` columns and turns each of `values` (every other column when
   * null) into a row of (`variableColumnName`, `valueColumnName`). The values must share a type.
   *
   * @example
   * ```ts
   * df.unpivot("id", ["q1", "q2"], "quarter", "sales");
   * ```
   */
  unpivot(ids: ColumnOrName | readonly ColumnOrName[], values: ColumnOrName | readonly ColumnOrName[] | null, variableColumnName: string, valueColumnName: string): DataFrame {
    const list = (items: ColumnOrName | readonly ColumnOrName[]): Expression[] => (Array.isArray(items) ? items : [items as ColumnOrName]).map((c) => columnExpr(c));
    return this.#next((id) => unpivotRel(id, this.#relation, list(ids), values === null ? undefined : list(values), variableColumnName, valueColumnName));
  }
  /** As `unpivot`: `df.melt("id", null, "key", "value")`. */
  melt(...args: Parameters<DataFrame["unpivot"]>): DataFrame {
    return this.unpivot(...args);
  }

  /**
   * Hash-partitions into `numPartitions` (a shuffle), by the given columns when there are any
   * (then `numPartitions` may be left out: spark.sql.shuffle.partitions).
   *
   * @example
   * ```ts
   * df.repartition(8);
   * df.repartition(8, "customer");
   * df.repartition("customer", "day");
   * ```
   */
  repartition(numPartitions: number, ...cols: ColumnOrName[]): DataFrame;
  repartition(...cols: ColumnOrName[]): DataFrame;
  repartition(...args: (number | ColumnOrName)[]): DataFrame {
    const [numPartitions, cols] = typeof args[0] === "number" ? [args[0], args.slice(1) as ColumnOrName[]] : [undefined, args as ColumnOrName[]];
    if (cols.length === 0) {
      if (numPartitions === undefined) throw new TypeError("repartition() needs a number of partitions or columns");
      return this.#next((id) => repartitionRel(id, this.#relation, numPartitions, true));
    }
    return this.#next((id) => repartitionByExpressionRel(id, this.#relation, cols.map((c) => columnExpr(c)), numPartitions));
  }

  /**
   * Range-partitions by the columns (ascending unless given a sort order such as `F.desc("x")`),
   * from a sample of the rows.
   *
   * @example
   * ```ts
   * df.repartitionByRange(4, "age");
   * ```
   */
  repartitionByRange(numPartitions: number, ...cols: ColumnOrName[]): DataFrame;
  repartitionByRange(...cols: ColumnOrName[]): DataFrame;
  repartitionByRange(...args: (number | ColumnOrName)[]): DataFrame {
    const [numPartitions, cols] = typeof args[0] === "number" ? [args[0], args.slice(1) as ColumnOrName[]] : [undefined, args as ColumnOrName[]];
    if (cols.length === 0) throw new TypeError("repartitionByRange() needs at least one column");
    const orders = cols.map((c) => {
      const expr = columnExpr(c);
      return expr.exprType.case === "sortOrder" ? expr : sortOrderExpr(expr, "asc");
    });
    return this.#next((id) => repartitionByExpressionRel(id, this.#relation, orders, numPartitions));
  }

  /**
   * Applies a function of a DataFrame, for chaining reusable steps.
   *
   * @example
   * ```ts
   * const withTax = (df: DataFrame, rate: number) => df.withColumn("tax", F.col("price").multiply(rate));
   * df.transform(withTax, 0.2).show();
   * ```
   */
  transform<A extends unknown[]>(fn: (df: DataFrame, ...args: A) => DataFrame, ...args: A): DataFrame {
    return fn(this, ...args);
  }

  /**
   * Keeps this DataFrame's rows, once computed, at `MEMORY_AND_DISK_DESER` (PySpark's default);
   * lazy: the first action fills the cache.
   *
   * @example
   * ```ts
   * const cached = await df.cache();
   * ```
   */
  async cache(): Promise<this> {
    return this.persist(StorageLevel.MEMORY_AND_DISK_DESER);
  }

  /**
   * Keeps this DataFrame's rows at the given storage level once computed.
   *
   * @example
   * ```ts
   * await df.persist(StorageLevel.DISK_ONLY);
   * ```
   */
  async persist(storageLevel: StorageLevel = StorageLevel.MEMORY_AND_DISK_DESER): Promise<this> {
    await clientOf(this.session).analyze({ case: "persist", value: { relation: this.#relation, storageLevel: { ...storageLevel } } });
    return this;
  }

  /**
   * Drops this DataFrame's cached blocks; `blocking` waits until they are gone.
   *
   * @example
   * ```ts
   * await df.unpersist();
   * ```
   */
  async unpersist(blocking = false): Promise<this> {
    await clientOf(this.session).analyze({ case: "unpersist", value: { relation: this.#relation, blocking } });
    return this;
  }

  /**
   * The storage level this DataFrame is cached at (`StorageLevel.NONE` when not cached).
   *
   * @example
   * ```ts
   * (await df.storageLevel()).equals(StorageLevel.MEMORY_AND_DISK_DESER);
   * ```
   */
  async storageLevel(): Promise<StorageLevel> {
    const response = await clientOf(this.session).analyze({ case: "getStorageLevel", value: { relation: this.#relation } });
    const level = response.result.case === "getStorageLevel" ? response.result.value.storageLevel : undefined;
    if (!level) throw new SparkConnectError("the server returned no storage level");
    return new StorageLevel(level.useDisk, level.useMemory, level.useOffHeap, level.deserialized, level.replication);
  }

  /**
   * True when `collect` and `take` can run locally, without executors.
   *
   * @example
   * ```ts
   * await spark.sql("select 1").then((df) => df.isLocal());
   * ```
   */
  async isLocal(): Promise<boolean> {
    const response = await clientOf(this.session).analyze({ case: "isLocal", value: { plan: rootPlan(this.#relation) } });
    return response.result.case === "isLocal" && response.result.value.isLocal;
  }

  /**
   * The files this DataFrame reads (best effort), e.g. `await spark.read.parquet(dir).inputFiles()`.
   */
  async inputFiles(): Promise<string[]> {
    const response = await clientOf(this.session).analyze({ case: "inputFiles", value: { plan: rootPlan(this.#relation) } });
    return response.result.case === "inputFiles" ? response.result.value.files : [];
  }

  /**
   * True when both DataFrames compute the same rows by the same logical plan.
   *
   * @example
   * ```ts
   * await df.select("id").sameSemantics(df.select(F.col("id")));
   * ```
   */
  async sameSemantics(other: DataFrame): Promise<boolean> {
    const response = await clientOf(this.session).analyze({
      case: "sameSemantics",
      value: { targetPlan: rootPlan(this.#relation), otherPlan: rootPlan(relationOf(other)) },
    });
    return response.result.case === "sameSemantics" && response.result.value.result;
  }

  /** A hash of the logical plan; equal for DataFrames with `sameSemantics`: `await df.semanticHash()`. */
  async semanticHash(): Promise<number> {
    const response = await clientOf(this.session).analyze({ case: "semanticHash", value: { plan: rootPlan(this.#relation) } });
    return response.result.case === "semanticHash" ? response.result.value.result : 0;
  }

  // ---- metadata ----------------------------------------------------------------------------
  /** The schema of this DataFrame, asked of the server, PySpark's `schema`: `(await df.schema()).fieldNames()`. */
  async schema(): Promise<StructType> {
    const response = await clientOf(this.session).analyze({ case: "schema", value: { plan: rootPlan(this.#relation) } });
    if (response.result.case !== "schema" || !response.result.value.schema) throw new SparkConnectError("the server returned no schema");
    return fromProtoDataType(response.result.value.schema) as StructType;
  }
  /** The column names, PySpark's `columns`: `await df.columns()`. */
  async columns(): Promise<string[]> {
    return (await this.schema()).fieldNames();
  }
  /** Column names with their simple type strings, as PySpark's `dtypes`. */
  async dtypes(): Promise<[string, string][]> {
    return (await this.schema()).fields.map((field) => [field.name, field.dataType.simpleString()]);
  }
  /** True when this DataFrame reads from a streaming source, PySpark's `isStreaming`. */
  async isStreaming(): Promise<boolean> {
    const response = await clientOf(this.session).analyze({ case: "isStreaming", value: { plan: rootPlan(this.#relation) } });
    return response.result.case === "isStreaming" && response.result.value.isStreaming;
  }
  /** Prints the plan (PySpark's `explain`); `explainString` returns it instead. */
  async explain(mode: ExplainMode | boolean = "simple"): Promise<void> {
    process.stdout.write(`${await this.explainString(mode)}\n`);
  }
  /** The plan as text, as `explain` prints it (`mode`: simple, extended, codegen, cost, formatted). */
  async explainString(mode: ExplainMode | boolean = "simple"): Promise<string> {
    const explainMode = EXPLAIN_MODES[mode === true ? "extended" : mode === false ? "simple" : mode];
    const response = await clientOf(this.session).analyze({ case: "explain", value: { plan: rootPlan(this.#relation), explainMode } });
    return response.result.case === "explain" ? response.result.value.explainString : "";
  }
  /** Prints the schema as a tree, PySpark's `printSchema`: `await df.printSchema()`. */
  async printSchema(): Promise<void> {
    process.stdout.write(`${(await this.schema()).treeString()}\n`);
  }

  /**
   * This DataFrame with its rows typed as `T` — an assertion, not a check (as Scala's `as[T]`
   * without the encoder): `RowOf<S>` of the schema you expect, or a `schemaToTypeScript` interface.
   */
  as<T extends object>(): DataFrame<T> {
    return this as unknown as DataFrame<T>;
  }
  /**
   * This DataFrame with its rows typed by the StructType literal `schema` (`RowOf<S>`), after
   * checking it against the server's schema: a missing column, another type, or null possible
   * where `schema` says not null fails here rather than in the code that reads the rows.
   */
  async typed<S extends StructType>(schema: S): Promise<DataFrame<RowOf<S>>> {
    const mismatches = schemaMismatches(schema, await this.schema());
    if (mismatches.length > 0) throw new SparkConnectError(`the rows do not match the expected schema:\n  ${mismatches.join("\n  ")}`);
    return this.as<RowOf<S>>();
  }

  // ---- actions (each takes `{ signal }`: aborting interrupts the operation on the server) -----
  /**
   * Runs the query and returns every row, decoded as the session's result options say.
   * Rows are keyed by column name; with duplicate names the first column keeps the name and
   * `valuesOf(row)` gives every value by position.
   *
   * @example
   * ```ts
   * const rows = await spark.range(3).collect(); // [{ id: 0 }, { id: 1 }, { id: 2 }]
   * ```
   */
  async collect<T extends object = Rows>(options: ActionOptions = {}): Promise<T[]> {
    const { batches } = await execute(clientOf(this.session), rootPlan(this.#relation), { signal: options.signal });
    return new RowDecoder(this.session.resultOptions).decode(batches) as T[];
  }
  /**
   * The rows as they arrive, one Arrow batch at a time, without holding the whole result: the
   * next batch is read from the server only when the loop asks for it (back-pressure through
   * gRPC flow control). Leaving the loop early (break, throw) ends the operation on the server.
   *
   * @example
   * ```ts
   * for await (const row of spark.range(1e9).toLocalIterator()) if (row.id === 10) break;
   * ```
   */
  async *toLocalIterator<T extends object = Rows>(options: ActionOptions = {}): AsyncGenerator<T, void, undefined> {
    const decoder = new RowDecoder(this.session.resultOptions);
    for await (const response of clientOf(this.session).execute(rootPlan(this.#relation), { signal: options.signal })) {
      const batches = arrowBatchesOf(response);
      if (batches.length > 0) yield* decoder.decode(batches) as T[];
    }
  }
  /** The result as an Arrow Table, without converting to JavaScript rows. */
  async toArrow(options: ActionOptions = {}): Promise<Table> {
    const { batches } = await execute(clientOf(this.session), rootPlan(this.#relation), { signal: options.signal });
    return batchesToTable(batches);
  }
  /** The number of rows. */
  async count(options: ActionOptions = {}): Promise<number> {
    const counted = this.#next((id) => aggregateRel(id, this.#relation, [], [functionExpr("count", [literalExpr(1)])])).toDF("count");
    const [row] = await counted.collect(options);
    return Number(row?.count ?? 0);
  }
  /** The first `n` rows. */
  async take<T extends object = Rows>(n: number, options: ActionOptions = {}): Promise<T[]> {
    return this.limit(n).collect<T>(options);
  }
  /** The first row (or undefined), or with `n` the first `n` rows. */
  async head<T extends object = Rows>(): Promise<T | undefined>;
  async head<T extends object = Rows>(n: number, options?: ActionOptions): Promise<T[]>;
  async head<T extends object = Rows>(n?: number, options: ActionOptions = {}): Promise<T | undefined | T[]> {
    if (n === undefined) return (await this.take<T>(1, options))[0];
    return this.take<T>(n, options);
  }
  /** The first row, or undefined when there is none. */
  async first<T extends object = Rows>(options: ActionOptions = {}): Promise<T | undefined> {
    return (await this.take<T>(1, options))[0];
  }
  /** The last `n` rows. */
  async tail<T extends object = Rows>(n: number, options: ActionOptions = {}): Promise<T[]> {
    return this.#next((id) => tailRel(id, this.#relation, n)).collect<T>(options);
  }
  /** Whether the result has no rows (reads at most one). */
  async isEmpty(options: ActionOptions = {}): Promise<boolean> {
    return (await this.take(1, options)).length === 0;
  }
  /**
   * The table `show()` prints, formatted by Spark itself, so it is exactly PySpark's output.
   * `truncate`: true cuts cells to 20 characters, a number to that many, false not at all.
   */
  async showString(n = 20, truncate: boolean | number = true, vertical = false, options: ActionOptions = {}): Promise<string> {
    const width = truncate === true ? 20 : truncate === false ? 0 : truncate;
    const rows = await this.#next((id) => showStringRel(id, this.#relation, n, width, vertical)).collect<{ show_string: string }>(options);
    return rows[0]?.show_string ?? "";
  }
  /**
   * Prints the first `n` rows as PySpark's `show()` does (followed by an empty line, as print adds).
   *
   * @example
   * ```ts
   * await spark.range(3).show();
   * ```
   */
  async show(n = 20, truncate: boolean | number = true, vertical = false, options: ActionOptions = {}): Promise<void> {
    process.stdout.write(`${await this.showString(n, truncate, vertical, options)}\n`);
  }
  /**
   * Registers this DataFrame as a session-scoped temporary view, replacing one of the same name, PySpark's `createOrReplaceTempView`.
   *
   * @example
   * ```ts
   * await df.createOrReplaceTempView("people");
   * await (await spark.sql("SELECT * FROM people")).show();
   * ```
   */
  async createOrReplaceTempView(name: string): Promise<void> {
    await execute(clientOf(this.session), createViewPlan(this.#relation, name, false, true));
  }
  /** Registers this DataFrame as a session-scoped temporary view (an error when the name is taken), PySpark's `createTempView`. */
  async createTempView(name: string): Promise<void> {
    await execute(clientOf(this.session), createViewPlan(this.#relation, name, false, false));
  }
  /** Registers this DataFrame as a global temporary view (in `global_temp`), replacing one of the same name, PySpark's `createOrReplaceGlobalTempView`. */
  async createOrReplaceGlobalTempView(name: string): Promise<void> {
    await execute(clientOf(this.session), createViewPlan(this.#relation, name, true, true));
  }
  /** Registers this DataFrame as a global temporary view (in `global_temp`; an error when the name is taken), PySpark's `createGlobalTempView`. */
  async createGlobalTempView(name: string): Promise<void> {
    await execute(clientOf(this.session), createViewPlan(this.#relation, name, true, false));
  }

  /**
   * The batch writer of this DataFrame, PySpark's `write`.
   *
   * @example
   * ```ts
   * await df.write.format("parquet").mode("overwrite").save("/tmp/people");
   * ```
   */
  get write(): DataFrameWriter {
    return new DataFrameWriter(this);
  }
  /**
   * A writer to a catalog table with v2 semantics (create, replace, append, overwrite…).
   *
   * @example
   * ```ts
   * await df.writeTo("db.people").using("parquet").partitionedBy("city").createOrReplace();
   * ```
   */
  writeTo(table: string): DataFrameWriterV2 {
    return new DataFrameWriterV2(this, table);
  }
  /**
   * The streaming writer of this (streaming) DataFrame, PySpark's `writeStream`.
   *
   * @example
   * ```ts
   * const query = await df.writeStream.format("console").outputMode("append").start();
   * ```
   */
  get writeStream(): DataStreamWriter {
    return new DataStreamWriter(this);
  }
}

/** @internal The plan of a DataFrame (module-internal: not exported by index.ts). */
export function relationOf(df: DataFrame): Relation {
  return readRelation(df);
}
