/** Aggregates with DISTINCT semantics, which the generated wrappers cannot express. */
import type { Column, ColumnOrLiteral, ColumnOrName } from "../column.js";
import { Column as ColumnClass, columnExpr, toExpr } from "../column.js";
import { functionExpr } from "../plan/expressions.js";
import { invokeDistinct } from "./invoke.js";

/**
 * The number of distinct non-null values (of the combination of the columns).
 *
 * @example
 * ```ts
 * df.groupBy("city").agg(F.count_distinct("customer").alias("customers"));
 * ```
 */
export function count_distinct(...cols: ColumnOrName[]): Column {
  return invokeDistinct("count", ...cols);
}
/** The number of distinct values (PySpark's camelCase alias of `count_distinct`). */
export const countDistinct = count_distinct;

/** The sum of the distinct values. */
export function sum_distinct(c: ColumnOrName): Column {
  return invokeDistinct("sum", c);
}
/** The sum of the distinct values (deprecated alias of `sum_distinct`). */
export const sumDistinct = sum_distinct;

function distinctAggregate(name: string, c: ColumnOrName, delimiter?: ColumnOrLiteral): Column {
  const args = delimiter === undefined ? [columnExpr(c)] : [columnExpr(c), toExpr(delimiter)];
  return new ColumnClass(functionExpr(name, args, true));
}

/** The distinct values concatenated, with `delimiter` between them. */
export function listagg_distinct(c: ColumnOrName, delimiter?: ColumnOrLiteral): Column {
  return distinctAggregate("listagg", c, delimiter);
}
/** The distinct values concatenated, with `delimiter` between them. */
export function string_agg_distinct(c: ColumnOrName, delimiter?: ColumnOrLiteral): Column {
  return distinctAggregate("string_agg", c, delimiter);
}
