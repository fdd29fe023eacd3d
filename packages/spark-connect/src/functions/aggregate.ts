/** Aggregate functions, for `groupBy(…).agg(…)` and `df.agg(…)`. */
import type { Column, ColumnOrName } from "../column.js";
import { invoke, invokeDistinct } from "./invoke.js";

/** `count("*")` counts rows; `count(col)` counts non-null values. */
export function count(c: ColumnOrName): Column {
  return invoke("count", c);
}
/** The number of rows for which the condition is true. */
export function count_if(condition: ColumnOrName): Column {
  return invoke("count_if", condition);
}
export function countDistinct(...cols: ColumnOrName[]): Column {
  return invokeDistinct("count", ...cols);
}
export const count_distinct = countDistinct;
export function approx_count_distinct(c: ColumnOrName): Column {
  return invoke("approx_count_distinct", c);
}
export function sum(c: ColumnOrName): Column {
  return invoke("sum", c);
}
export function sum_distinct(c: ColumnOrName): Column {
  return invokeDistinct("sum", c);
}
export function avg(c: ColumnOrName): Column {
  return invoke("avg", c);
}
export const mean = avg;
export function min(c: ColumnOrName): Column {
  return invoke("min", c);
}
export function max(c: ColumnOrName): Column {
  return invoke("max", c);
}
export function first(c: ColumnOrName): Column {
  return invoke("first", c);
}
export function last(c: ColumnOrName): Column {
  return invoke("last", c);
}
export function collect_list(c: ColumnOrName): Column {
  return invoke("collect_list", c);
}
export function collect_set(c: ColumnOrName): Column {
  return invoke("collect_set", c);
}
export function stddev(c: ColumnOrName): Column {
  return invoke("stddev", c);
}
