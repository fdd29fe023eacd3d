/** `GroupedData`: what `df.groupBy`, `cube`, `rollup` and `pivot` return; `agg`, `count` and the usual shortcuts. */
import { Column, columnExpr, exprOf, type ColumnOrName } from "./column.js";
import { DataFrame, relationOf } from "./dataframe.js";
import type { Expression } from "./plan/relations.js";
import type { LiteralValue } from "./plan/literals.js";
import { aliasExpr, attributeExpr, functionExpr, literalExpr } from "./plan/expressions.js";
import { groupedAggregateRel, type GroupingSpec, type GroupType } from "./plan/relations.js";

/**
 * Rows grouped by `df.groupBy`, `cube`, `rollup` or `pivot`, PySpark's `GroupedData`: aggregate them with `agg`, `count` and the usual shortcuts.
 *
 * @example
 * ```ts
 * df.groupBy("city").agg(F.count("*").alias("people"), F.avg("age"));
 * ```
 */
export class GroupedData {
  readonly #df: DataFrame;
  readonly #spec: GroupingSpec;

  /** @internal Use `df.groupBy`, `df.cube` or `df.rollup`. */
  constructor(df: DataFrame, grouping: readonly Expression[], type: GroupType = "groupBy", pivot?: GroupingSpec["pivot"]) {
    this.#df = df;
    this.#spec = { type, grouping, pivot };
  }

  #aggregate(aggregates: readonly Expression[]): DataFrame {
    return new DataFrame(this.#df.session, groupedAggregateRel(this.#df.session.newPlanId(), relationOf(this.#df), this.#spec, aggregates));
  }

  /**
   * Aggregates with Columns (`F.sum("x").alias("total")`), or a `{column: function}` map.
   *
   * @example
   * ```ts
   * df.groupBy("city").agg(F.count("*").alias("n"), F.avg("age"));
   * df.groupBy("city").agg({ age: "max" });
   * ```
   */
  agg(...exprs: (Column | readonly Column[] | Record<string, string>)[]): DataFrame {
    const first = exprs[0];
    if (exprs.length === 1 && first !== undefined && !Array.isArray(first) && !(first instanceof Column)) {
      const map = first as Record<string, string>;
      return this.#aggregate(Object.entries(map).map(([column, fn]) => functionExpr(fn, [attributeExpr(column)])));
    }
    const columns = (exprs.length === 1 && Array.isArray(first) ? first : exprs) as Column[];
    return this.#aggregate(columns.map((column) => exprOf(column)));
  }

  /**
   * Turns the distinct values of `pivotCol` into columns, one per value and aggregate. Listing
   * `values` saves a job that finds them (and fixes the column order).
   *
   * @example
   * ```ts
   * df.groupBy("year").pivot("course", ["dotNET", "Java"]).sum("earnings");
   * ```
   */
  pivot(pivotCol: ColumnOrName, values?: readonly LiteralValue[]): GroupedData {
    if (this.#spec.type !== "groupBy") throw new TypeError(`pivot() follows groupBy(), not ${this.#spec.type}()`);
    if (this.#spec.pivot) throw new TypeError("pivot() can be called only once");
    return new GroupedData(this.#df, this.#spec.grouping, "pivot", { col: columnExpr(pivotCol), values });
  }

  /**
   * The number of rows per group, in a column `count`.
   *
   * @example
   * ```ts
   * df.groupBy("city").count();
   * ```
   */
  count(): DataFrame {
    return this.#aggregate([aliasExpr(functionExpr("count", [literalExpr(1)]), ["count"])]);
  }

  #each(fn: string, columns: string[]): DataFrame {
    return this.#aggregate(columns.map((column) => functionExpr(fn, [attributeExpr(column)])));
  }
  /** Sums of the given numeric columns per group: `df.groupBy("city").sum("sales")`. */
  sum(...columns: string[]): DataFrame {
    return this.#each("sum", columns);
  }
  /** Averages of the given numeric columns per group: `df.groupBy("city").avg("age")`. */
  avg(...columns: string[]): DataFrame {
    return this.#each("avg", columns);
  }
  /** As `avg`: `df.groupBy("city").mean("age")`. */
  mean(...columns: string[]): DataFrame {
    return this.#each("avg", columns);
  }
  /** Minimum of the given columns per group: `df.groupBy("city").min("age")`. */
  min(...columns: string[]): DataFrame {
    return this.#each("min", columns);
  }
  /** Maximum of the given columns per group: `df.groupBy("city").max("age")`. */
  max(...columns: string[]): DataFrame {
    return this.#each("max", columns);
  }
}
