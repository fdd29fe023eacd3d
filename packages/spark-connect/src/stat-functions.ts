/** `DataFrameStatFunctions` (`df.stat`): quantiles, correlation, covariance, crosstabs, frequent items, stratified samples. */
import { randomInt } from "node:crypto";
import { columnExpr, type ColumnOrName } from "./column.js";
import { DataFrame, relationOf } from "./dataframe.js";
import type { Relation } from "./plan/relations.js";
import type { LiteralValue } from "./plan/literals.js";
import { approxQuantileRel, corrRel, covRel, crosstabRel, freqItemsRel, sampleByRel } from "./plan/stat-relations.js";
import { SparkConnectError } from "./errors.js";

/** A seed as PySpark draws one when none is given, so re-running the same DataFrame gives the same sample. */
export function randomSeed(): bigint {
  return BigInt(randomInt(0, 2 ** 48 - 1));
}

/**
 * Statistics functions of a DataFrame, PySpark's `DataFrameStatFunctions` (`df.stat`): quantiles, correlation, covariance, crosstabs, frequent items, stratified samples.
 *
 * @example
 * ```ts
 * const r = await df.stat.corr("height", "weight");
 * ```
 */
export class DataFrameStatFunctions {
  readonly #df: DataFrame;

  /** @internal Use `df.stat`. */
  constructor(df: DataFrame) {
    this.#df = df;
  }

  #next(build: (planId: bigint, input: Relation) => Relation): DataFrame {
    return new DataFrame(this.#df.session, build(this.#df.session.newPlanId(), relationOf(this.#df)));
  }

  async #single(build: (planId: bigint, input: Relation) => Relation): Promise<unknown> {
    const [row] = await this.#next(build).collect();
    if (row === undefined) throw new SparkConnectError("the server returned no statistics row");
    return Object.values(row)[0];
  }

  /**
   * Approximate quantiles (Greenwald-Khanna) of a numeric column, or of several (one array each);
   * `relativeError` 0 computes exact ones at a higher cost.
   *
   * @example
   * ```ts
   * const [median] = await df.stat.approxQuantile("age", [0.5], 0.01);
   * ```
   */
  async approxQuantile(col: string, probabilities: readonly number[], relativeError: number): Promise<number[]>;
  async approxQuantile(col: readonly string[], probabilities: readonly number[], relativeError: number): Promise<number[][]>;
  async approxQuantile(col: string | readonly string[], probabilities: readonly number[], relativeError: number): Promise<number[] | number[][]> {
    if (relativeError < 0) throw new RangeError(`relativeError must be non-negative, not ${relativeError}`);
    const cols = typeof col === "string" ? [col] : [...col];
    const result = (await this.#single((id, input) => approxQuantileRel(id, input, cols, probabilities, relativeError))) as number[][];
    return typeof col === "string" ? (result[0] ?? []) : result;
  }

  /**
   * The correlation coefficient of two numeric columns (only "pearson" is supported by Spark).
   *
   * @example
   * ```ts
   * const r = await df.stat.corr("height", "weight");
   * ```
   */
  async corr(col1: string, col2: string, method = "pearson"): Promise<number> {
    return Number(await this.#single((id, input) => corrRel(id, input, col1, col2, method)));
  }

  /**
   * The sample covariance of two numeric columns.
   *
   * @example
   * ```ts
   * const c = await df.stat.cov("height", "weight");
   * ```
   */
  async cov(col1: string, col2: string): Promise<number> {
    return Number(await this.#single((id, input) => covRel(id, input, col1, col2)));
  }

  /**
   * A contingency table: one row per distinct `col1` value (column `col1_col2`), one column per distinct `col2` value.
   *
   * @example
   * ```ts
   * await df.stat.crosstab("city", "plan").show();
   * ```
   */
  crosstab(col1: string, col2: string): DataFrame {
    return this.#next((id, input) => crosstabRel(id, input, col1, col2));
  }

  /**
   * Items that occur in at least `support` (default 1 %) of the rows, per column (approximate: may include false positives).
   *
   * @example
   * ```ts
   * await df.stat.freqItems(["city"], 0.4).collect(); // [{ city_freqItems: [...] }]
   * ```
   */
  freqItems(cols: string | readonly string[], support?: number): DataFrame {
    return this.#next((id, input) => freqItemsRel(id, input, typeof cols === "string" ? [cols] : cols, support));
  }

  /**
   * A stratified sample without replacement: each stratum (a value of `col`) keeps its fraction of rows; others are dropped.
   *
   * @example
   * ```ts
   * df.stat.sampleBy("plan", { free: 0.1, paid: 1.0 }, 42);
   * ```
   */
  sampleBy(col: ColumnOrName, fractions: Record<string, number> | ReadonlyMap<LiteralValue, number>, seed?: number | bigint): DataFrame {
    const pairs = fractions instanceof Map ? [...fractions.entries()] : Object.entries(fractions);
    for (const [stratum, fraction] of pairs) {
      if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`the fraction of stratum ${String(stratum)} must be in [0, 1], not ${fraction}`);
    }
    const drawn = seed === undefined ? randomSeed() : BigInt(seed);
    return this.#next((id, input) => sampleByRel(id, input, columnExpr(col), pairs, drawn));
  }
}
