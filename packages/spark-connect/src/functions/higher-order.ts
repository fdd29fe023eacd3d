/**
 * Higher-order functions with JavaScript lambdas: `transform("xs", (x) => x.plus(1))`. The lambda
 * is called once, at plan-building time, with Columns standing for its parameters; the Column it
 * returns is sent as a Spark lambda (so it runs on the server, per element).
 */
import { columnExpr, toExpr, type Column, type ColumnOrLiteral, type ColumnOrName } from "../column.js";
import { Column as ColumnClass } from "../column.js";
import { functionExpr, type Expression } from "../plan/expressions.js";
import { lambda } from "./invoke.js";

/** A one-parameter lambda: called with a Column standing for the element, returns the result's Column. */
export type Unary = (x: Column) => Column;
/** A two-parameter lambda (element and index, accumulator and element, key and value …). */
export type Binary = (x: Column, y: Column) => Column;
/** A three-parameter lambda (`map_zip_with`'s key and both values). */
export type Ternary = (x: Column, y: Column, z: Column) => Column;

function call(name: string, args: readonly Expression[]): Column {
  return new ColumnClass(functionExpr(name, args));
}

/** A lambda taking the element and, when `f` declares two parameters, its 0-based index. */
function elementLambda(f: Binary): Expression {
  return lambda(f, f.length >= 2 ? 2 : 1);
}

/**
 * Each element mapped by `f(x)` or `f(x, i)` (with its 0-based index).
 *
 * @example
 * ```ts
 * df.select(F.transform("prices", (x) => x.multiply(1.2)).alias("with_tax"));
 * ```
 */
export function transform(c: ColumnOrName, f: (x: Column, i: Column) => Column): Column {
  return call("transform", [columnExpr(c), elementLambda(f)]);
}

/**
 * The elements for which `f(x)` or `f(x, i)` is true.
 *
 * @example
 * ```ts
 * df.select(F.filter("scores", (x) => x.ge(50)).alias("passed"));
 * ```
 */
export function filter(c: ColumnOrName, f: (x: Column, i: Column) => Column): Column {
  return call("filter", [columnExpr(c), elementLambda(f)]);
}

/** True when `f(x)` holds for some element. */
export function exists(c: ColumnOrName, f: Unary): Column {
  return call("exists", [columnExpr(c), lambda(f, 1)]);
}

/** True when `f(x)` holds for every element. */
export function forall(c: ColumnOrName, f: Unary): Column {
  return call("forall", [columnExpr(c), lambda(f, 1)]);
}

function fold(name: string, c: ColumnOrName, initialValue: ColumnOrLiteral, merge: Binary, finish?: Unary): Column {
  const args = [columnExpr(c), toExpr(initialValue), lambda(merge, 2)];
  return call(name, finish === undefined ? args : [...args, lambda(finish, 1)]);
}

/**
 * Folds the elements into `merge(acc, x)` from `initialValue`, then applies `finish(acc)` when given.
 *
 * @example
 * ```ts
 * df.select(F.aggregate("values", F.lit(0), (acc, x) => acc.plus(x)).alias("total"));
 * ```
 */
export function aggregate(c: ColumnOrName, initialValue: ColumnOrLiteral, merge: Binary, finish?: Unary): Column {
  return fold("aggregate", c, initialValue, merge, finish);
}

/** Folds the elements into `merge(acc, x)` from `initialValue`, then applies `finish(acc)` when given. */
export function reduce(c: ColumnOrName, initialValue: ColumnOrLiteral, merge: Binary, finish?: Unary): Column {
  return fold("reduce", c, initialValue, merge, finish);
}

/** Two arrays merged element-wise by `f(x, y)` (the shorter one padded with nulls). */
export function zip_with(left: ColumnOrName, right: ColumnOrName, f: Binary): Column {
  return call("zip_with", [columnExpr(left), columnExpr(right), lambda(f, 2)]);
}

/** The map's entries for which `f(key, value)` is true. */
export function map_filter(c: ColumnOrName, f: Binary): Column {
  return call("map_filter", [columnExpr(c), lambda(f, 2)]);
}

/** The map with each key replaced by `f(key, value)`. */
export function transform_keys(c: ColumnOrName, f: Binary): Column {
  return call("transform_keys", [columnExpr(c), lambda(f, 2)]);
}

/** The map with each value replaced by `f(key, value)`. */
export function transform_values(c: ColumnOrName, f: Binary): Column {
  return call("transform_values", [columnExpr(c), lambda(f, 2)]);
}

/** Two maps merged key-wise by `f(key, value1, value2)` (null for a key missing on one side). */
export function map_zip_with(col1: ColumnOrName, col2: ColumnOrName, f: Ternary): Column {
  return call("map_zip_with", [columnExpr(col1), columnExpr(col2), lambda(f, 3)]);
}

/**
 * The array sorted ascending (nulls last), or by `comparator(a, b)`, which returns a negative
 * integer, 0 or a positive integer as `a` sorts before, with or after `b`.
 */
export function array_sort(c: ColumnOrName, comparator?: Binary): Column {
  return call("array_sort", comparator === undefined ? [columnExpr(c)] : [columnExpr(c), lambda(comparator, 2)]);
}
