/** `GroupedData`: what `df.groupBy(…)` returns; `agg`, `count` and the usual shortcuts. */
import { Column, exprOf } from "./column.js";
import { DataFrame, relationOf } from "./dataframe.js";
import type { Expression } from "./plan/relations.js";
import { aliasExpr, attributeExpr, functionExpr, literalExpr } from "./plan/expressions.js";
import { aggregateRel } from "./plan/relations.js";

export class GroupedData {
  readonly #df: DataFrame;
  readonly #grouping: readonly Expression[];

  constructor(df: DataFrame, grouping: readonly Expression[]) {
    this.#df = df;
    this.#grouping = grouping;
  }

  #aggregate(aggregates: readonly Expression[]): DataFrame {
    return new DataFrame(this.#df.session, aggregateRel(this.#df.session.newPlanId(), relationOf(this.#df), this.#grouping, aggregates));
  }

  /** Aggregates with Columns (`F.sum("x").alias("total")`), or a `{column: function}` map. */
  agg(...exprs: (Column | readonly Column[] | Record<string, string>)[]): DataFrame {
    const first = exprs[0];
    if (exprs.length === 1 && first !== undefined && !Array.isArray(first) && !(first instanceof Column)) {
      const map = first as Record<string, string>;
      return this.#aggregate(Object.entries(map).map(([column, fn]) => functionExpr(fn, [attributeExpr(column)])));
    }
    const columns = (exprs.length === 1 && Array.isArray(first) ? first : exprs) as Column[];
    return this.#aggregate(columns.map((column) => exprOf(column)));
  }

  count(): DataFrame {
    return this.#aggregate([aliasExpr(functionExpr("count", [literalExpr(1)]), ["count"])]);
  }

  #each(fn: string, columns: string[]): DataFrame {
    return this.#aggregate(columns.map((column) => functionExpr(fn, [attributeExpr(column)])));
  }
  sum(...columns: string[]): DataFrame {
    return this.#each("sum", columns);
  }
  avg(...columns: string[]): DataFrame {
    return this.#each("avg", columns);
  }
  mean(...columns: string[]): DataFrame {
    return this.#each("avg", columns);
  }
  min(...columns: string[]): DataFrame {
    return this.#each("min", columns);
  }
  max(...columns: string[]): DataFrame {
    return this.#each("max", columns);
  }
}
