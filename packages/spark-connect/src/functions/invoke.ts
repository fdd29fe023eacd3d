/** Shared helpers: call a Spark function with column, literal and lambda arguments. */
import { Column, columnExpr, exprOf, toExpr, type ColumnOrLiteral, type ColumnOrName } from "../column.js";
import { functionExpr, lambdaExpr, lambdaVariableExpr, literalExpr, type Expression } from "../plan/expressions.js";
import type { LiteralValue } from "../plan/literals.js";

/** Options of the CSV, JSON and XML functions, sent as a `map(k1, v1, …)` of strings. */
export type FunctionOptions = Record<string, string | number | boolean>;

/** `name(cols…)`, where string arguments are column names. */
export function invoke(name: string, ...cols: ColumnOrName[]): Column {
  return new Column(functionExpr(name, cols.map((c) => columnExpr(c))));
}

/** `name(cols…)` with distinct semantics, e.g. count(DISTINCT x). */
export function invokeDistinct(name: string, ...cols: ColumnOrName[]): Column {
  return new Column(functionExpr(name, cols.map((c) => columnExpr(c)), true));
}

/** `name(args…)`; trailing `undefined` arguments (omitted optional parameters) are left off. */
export function invokeArgs(name: string, args: readonly (Expression | undefined)[]): Column {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end -= 1;
  const present = args.slice(0, end);
  if (present.includes(undefined)) throw new TypeError(`${name}(): an optional argument was omitted before one that was given`);
  return new Column(functionExpr(name, present as Expression[]));
}

/** A literal argument as a Column. */
export function litColumn(value: LiteralValue): Column {
  return new Column(literalExpr(value));
}

/** Options maps become `map(k1, v1, …)` literals, as Spark's JSON/CSV functions expect. */
export function optionsColumn(options: FunctionOptions): Column {
  const args = Object.entries(options).flatMap(([key, value]) => [literalExpr(key), literalExpr(String(value))]);
  return new Column(functionExpr("map", args));
}

/** Argument converters of the generated wrappers; each passes `undefined` (an omitted argument) through. */
export const arg = {
  /** A column name or a Column. */
  col: (value: ColumnOrName | undefined): Expression | undefined => (value === undefined ? undefined : columnExpr(value)),
  /** A Column, or a literal value (strings are literals). */
  lit: (value: ColumnOrLiteral | undefined): Expression | undefined => (value === undefined ? undefined : toExpr(value)),
  /** A number is a literal; a string is a column name. */
  num: (value: ColumnOrName | number | undefined): Expression | undefined => (value === undefined ? undefined : typeof value === "number" ? literalExpr(value) : columnExpr(value)),
  /** A number that Spark must see as a DOUBLE even when it is integral (`0` for a fraction or a relative error). */
  double: (value: number | undefined): Expression | undefined => (value === undefined ? undefined : literalExpr(value, "double")),
  options: (value: FunctionOptions | undefined): Expression | undefined => (value === undefined ? undefined : exprOf(optionsColumn(value))),
};

let lambdaCounter = 0;

/**
 * A JavaScript function as a Spark lambda: it is called once, with Columns standing for its
 * parameters, and the Column it returns becomes the lambda's body. Parameter names are unique
 * (`x_1`, `x_2` …) so nested lambdas cannot capture each other's variables.
 */
export function lambda(fn: (...args: Column[]) => Column, arity: number): Expression {
  const names = Array.from({ length: arity }, () => `x_${(lambdaCounter += 1)}`);
  const body = fn(...names.map((name) => new Column(lambdaVariableExpr(name))));
  if (!(body instanceof Column)) throw new TypeError("a higher-order function's lambda must return a Column");
  return lambdaExpr(exprOf(body), names);
}
