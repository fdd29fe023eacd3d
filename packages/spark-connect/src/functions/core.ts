/** Column references, literals, SQL expressions and conditionals. */
import { caseWhenColumn, Column, columnExpr, exprOf, toColumn, toExpr, type ColumnOrLiteral, type ColumnOrName } from "../column.js";
import { callFunctionExpr, sqlExpr } from "../plan/expressions.js";
import type { LiteralValue } from "../plan/literals.js";
import { invoke, litColumn } from "./invoke.js";

/** A column by name; `"*"` for all columns, `"s.*"` for a struct's fields. */
export function col(name: string): Column {
  return toColumn(name);
}
export const column = col;

/** A literal value as a column (a Column passes through). */
export function lit(value: Column | LiteralValue): Column {
  return value instanceof Column ? value : litColumn(value);
}

/** A SQL expression parsed by the server, e.g. `expr("length(name) > 3")`. */
export function expr(sql: string): Column {
  return new Column(sqlExpr(sql));
}

/** Starts a CASE WHEN chain: `when(cond, value).when(…).otherwise(…)`. */
export function when(condition: Column, value: ColumnOrLiteral): Column {
  return caseWhenColumn({ branches: [exprOf(condition), toExpr(value)], otherwise: false });
}

export function coalesce(...cols: ColumnOrName[]): Column {
  return invoke("coalesce", ...cols);
}

/** A struct of the given columns (their names become the field names). */
export function struct(...cols: (ColumnOrName | readonly ColumnOrName[])[]): Column {
  const flat = cols.length === 1 && Array.isArray(cols[0]) ? (cols[0] as ColumnOrName[]) : (cols as ColumnOrName[]);
  return invoke("struct", ...flat);
}

export function array(...cols: ColumnOrName[]): Column {
  return invoke("array", ...cols);
}

/** `create_map(k1, v1, k2, v2, …)` */
export function create_map(...cols: ColumnOrName[]): Column {
  return invoke("map", ...cols);
}

export function isnull(c: ColumnOrName): Column {
  return invoke("isnull", c);
}
export function isnotnull(c: ColumnOrName): Column {
  return invoke("isnotnull", c);
}
export function greatest(...cols: ColumnOrName[]): Column {
  return invoke("greatest", ...cols);
}
export function least(...cols: ColumnOrName[]): Column {
  return invoke("least", ...cols);
}
export function nvl(c: ColumnOrName, replacement: ColumnOrName): Column {
  return invoke("nvl", c, replacement);
}
export function monotonically_increasing_id(): Column {
  return invoke("monotonically_increasing_id");
}
export function rand(seed?: number): Column {
  return seed === undefined ? invoke("rand") : invoke("rand", litColumn(seed));
}

/**
 * Calls any Spark function by name (builtin, or registered in the session), for functions this
 * library has no wrapper for. String arguments are column names; wrap constants in `lit`.
 */
export function callFunction(name: string, ...cols: ColumnOrName[]): Column {
  return new Column(callFunctionExpr(name, cols.map((c) => columnExpr(c))));
}
export const call_function = callFunction;
