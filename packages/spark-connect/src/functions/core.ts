/** Column references, literals, SQL expressions, conditionals, structs and sort orders. */
import { caseWhenColumn, Column, columnExpr, exprOf, toColumn, toExpr, type ColumnOrLiteral, type ColumnOrName } from "../column.js";
import type { DataFrame } from "../dataframe.js";
import { callFunctionExpr, literalExpr, sqlExpr } from "../plan/expressions.js";
import type { LiteralValue } from "../plan/literals.js";
import type { DataType } from "../types/data-types.js";
import { invoke } from "./invoke.js";

/**
 * A column by name; `"*"` for all columns, `"s.*"` for a struct's fields.
 *
 * @example
 * ```ts
 * df.select(F.col("name"), F.col("address.*"));
 * ```
 */
export function col(name: string): Column {
  return toColumn(name);
}
/** A column by name (alias of `col`). */
export const column = col;

/**
 * A literal value as a column (a Column passes through). The type is inferred from the value
 * unless given as a DataType or DDL text: JavaScript has no separate float type, so `lit(1.0)`
 * is an INT — write `lit(1, "double")`; arrays take the widest type of all their elements
 * (`lit([1, 2.5])` is ARRAY<DOUBLE>); `lit(x, "date")` takes a Date or `yyyy-MM-dd` text.
 *
 * @example
 * ```ts
 * df.withColumn("source", F.lit("batch"));
 * F.lit(0, "bigint");
 * ```
 */
export function lit(value: Column | LiteralValue, type?: DataType | string): Column {
  return value instanceof Column ? value : new Column(literalExpr(value, type));
}

/**
 * A SQL expression parsed by the server, e.g. `expr("length(name) > 3")`.
 *
 * @example
 * ```ts
 * df.filter(F.expr("length(name) > 3"));
 * ```
 */
export function expr(sql: string): Column {
  return new Column(sqlExpr(sql));
}

/**
 * Starts a CASE WHEN chain: `when(cond, value).when(…).otherwise(…)`.
 *
 * @example
 * ```ts
 * df.withColumn("band", F.when(F.col("age").lt(18), "minor").otherwise("adult"));
 * ```
 */
export function when(condition: Column, value: ColumnOrLiteral): Column {
  return caseWhenColumn({ branches: [exprOf(condition), toExpr(value)], otherwise: false });
}

/**
 * A struct of the given columns (their names become the field names).
 *
 * @example
 * ```ts
 * df.select(F.struct("street", "city").alias("address"));
 * ```
 */
export function struct(...cols: (ColumnOrName | readonly ColumnOrName[])[]): Column {
  const flat = cols.length === 1 && Array.isArray(cols[0]) ? (cols[0] as ColumnOrName[]) : (cols as ColumnOrName[]);
  return invoke("struct", ...flat);
}

/**
 * Calls any Spark function by name (builtin, or registered in the session), for functions this
 * library has no wrapper for. String arguments are column names; wrap constants in `lit`.
 */
export function callFunction(name: string, ...cols: ColumnOrName[]): Column {
  return new Column(callFunctionExpr(name, cols.map((c) => columnExpr(c))));
}
/** Calls any Spark function by name (PySpark's spelling of `callFunction`). */
export const call_function = callFunction;

/**
 * Marks a DataFrame as small enough to be broadcast in joins (the `broadcast` hint).
 *
 * @example
 * ```ts
 * orders.join(F.broadcast(countries), "country_code");
 * ```
 */
export function broadcast(df: DataFrame): DataFrame {
  return df.hint("broadcast");
}

/** The column as an ascending sort key, nulls first. */
export function asc(c: ColumnOrName): Column {
  return toColumn(c).asc();
}
/** The column as an ascending sort key, nulls first. */
export function asc_nulls_first(c: ColumnOrName): Column {
  return toColumn(c).asc_nulls_first();
}
/** The column as an ascending sort key, nulls last. */
export function asc_nulls_last(c: ColumnOrName): Column {
  return toColumn(c).asc_nulls_last();
}
/** The column as a descending sort key, nulls last. */
export function desc(c: ColumnOrName): Column {
  return toColumn(c).desc();
}
/** The column as a descending sort key, nulls first. */
export function desc_nulls_first(c: ColumnOrName): Column {
  return toColumn(c).desc_nulls_first();
}
/** The column as a descending sort key, nulls last. */
export function desc_nulls_last(c: ColumnOrName): Column {
  return toColumn(c).desc_nulls_last();
}
