/** Shared helpers: call a Spark function with column arguments (names become columns). */
import { Column, columnExpr, type ColumnOrName } from "../column.js";
import { functionExpr, literalExpr } from "../plan/expressions.js";
import type { LiteralValue } from "../plan/literals.js";

/** `name(cols…)`, where string arguments are column names. */
export function invoke(name: string, ...cols: ColumnOrName[]): Column {
  return new Column(functionExpr(name, cols.map((c) => columnExpr(c))));
}

/** `name(cols…)` with distinct semantics, e.g. count(DISTINCT x). */
export function invokeDistinct(name: string, ...cols: ColumnOrName[]): Column {
  return new Column(functionExpr(name, cols.map((c) => columnExpr(c)), true));
}

/** A literal argument as a Column. */
export function litColumn(value: LiteralValue): Column {
  return new Column(literalExpr(value));
}

/** Options maps become `map(k1, v1, …)` literals, as Spark's JSON/CSV functions expect. */
export function optionsColumn(options: Record<string, string | number | boolean>): Column {
  const args = Object.entries(options).flatMap(([key, value]) => [literalExpr(key), literalExpr(String(value))]);
  return new Column(functionExpr("map", args));
}
