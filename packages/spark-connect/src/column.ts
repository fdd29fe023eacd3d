/**
 * A column expression, PySpark's `Column`. Columns are immutable: every method returns a new one.
 * Operators are methods (`a.eq(b)`, `a.plus(1)`), taking another Column or a literal value.
 */
import {
  type Expression,
  aliasExpr,
  attributeExpr,
  castExpr,
  extractValueExpr,
  functionExpr,
  literalExpr,
  sortOrderExpr,
  starExpr,
} from "./plan/expressions.js";
import type { LiteralValue } from "./plan/literals.js";
import type { DataType } from "./types/data-types.js";
import { WindowSpec } from "./window.js";

/** A Column, or a column name (as PySpark's functions accept). */
export type ColumnOrName = Column | string;
/** A Column, or a literal value used as one. */
export type ColumnOrLiteral = Column | LiteralValue;

/** The branches of a `when(…).when(…).otherwise(…)` chain, kept so the chain can grow. */
interface CaseWhen {
  readonly branches: readonly Expression[];
  readonly otherwise: boolean;
}

let readExpr: (column: Column) => Expression;

/**
 * A column expression, PySpark's `Column`: immutable, every method returns a new Column; operators are methods taking a Column or a literal.
 *
 * @example
 * ```ts
 * F.col("price").multiply(F.col("qty")).alias("total");
 * ```
 */
export class Column {
  /** The protocol expression this column stands for (internal: see `exprOf`). */
  readonly #expr: Expression;
  readonly #caseWhen: CaseWhen | undefined;

  static {
    readExpr = (column) => column.#expr;
  }

  /** @internal Columns come from `functions` (`F.col`, `F.lit` …) and DataFrame methods. */
  constructor(expr: Expression, caseWhen?: CaseWhen) {
    this.#expr = expr;
    this.#caseWhen = caseWhen;
  }

  static #binary(name: string, left: Column, right: ColumnOrLiteral): Column {
    return new Column(functionExpr(name, [exprOf(left), toExpr(right)]));
  }

  // Comparisons
  /** Equality, PySpark's `==`: `F.col("city").eq("Paris")`. */
  eq(other: ColumnOrLiteral): Column {
    return Column.#binary("==", this, other);
  }
  /** Inequality, PySpark's `!=`: `F.col("status").neq("done")`. */
  neq(other: ColumnOrLiteral): Column {
    return new Column(functionExpr("not", [exprOf(this.eq(other))]));
  }
  /** Null-safe equality, SQL's `<=>`. */
  eqNullSafe(other: ColumnOrLiteral): Column {
    return Column.#binary("<=>", this, other);
  }
  /** Less than, PySpark's `<`: `F.col("age").lt(18)`. */
  lt(other: ColumnOrLiteral): Column {
    return Column.#binary("<", this, other);
  }
  /** Less than or equal, PySpark's `<=`: `F.col("age").le(18)`. */
  le(other: ColumnOrLiteral): Column {
    return Column.#binary("<=", this, other);
  }
  /** Greater than, PySpark's `>`: `F.col("age").gt(18)`. */
  gt(other: ColumnOrLiteral): Column {
    return Column.#binary(">", this, other);
  }
  /** Greater than or equal, PySpark's `>=`: `F.col("age").ge(18)`. */
  ge(other: ColumnOrLiteral): Column {
    return Column.#binary(">=", this, other);
  }
  /** True when the value lies between `lower` and `upper`, both inclusive, PySpark's `between`: `F.col("age").between(18, 65)`. */
  between(lower: ColumnOrLiteral, upper: ColumnOrLiteral): Column {
    return this.ge(lower).and(this.le(upper));
  }

  // Boolean logic
  /** Logical AND, PySpark's `&`: `F.col("a").gt(1).and(F.col("b").lt(2))`. */
  and(other: ColumnOrLiteral): Column {
    return Column.#binary("and", this, other);
  }
  /** Logical OR, PySpark's `|`: `F.col("a").isNull().or(F.col("b").isNull())`. */
  or(other: ColumnOrLiteral): Column {
    return Column.#binary("or", this, other);
  }
  /** Logical NOT, PySpark's `~`: `F.col("active").not()`. */
  not(): Column {
    return new Column(functionExpr("not", [this.#expr]));
  }

  // Arithmetic
  /** Addition, PySpark's `+`: `F.col("x").plus(1)`. */
  plus(other: ColumnOrLiteral): Column {
    return Column.#binary("+", this, other);
  }
  /** Subtraction, PySpark's `-`: `F.col("x").minus(F.col("y"))`. */
  minus(other: ColumnOrLiteral): Column {
    return Column.#binary("-", this, other);
  }
  /** Multiplication, PySpark's `*`: `F.col("price").multiply(1.2)`. */
  multiply(other: ColumnOrLiteral): Column {
    return Column.#binary("*", this, other);
  }
  /** Division, PySpark's `/`: `F.col("total").divide(F.col("count"))`. */
  divide(other: ColumnOrLiteral): Column {
    return Column.#binary("/", this, other);
  }
  /** Remainder, PySpark's `%`: `F.col("id").mod(2)`. */
  mod(other: ColumnOrLiteral): Column {
    return Column.#binary("%", this, other);
  }
  /** Unary minus, PySpark's `-col`: `F.col("x").negate()`. */
  negate(): Column {
    return new Column(functionExpr("negative", [this.#expr]));
  }

  // Null tests and membership
  /** True when the value is null, PySpark's `isNull`: `df.filter(F.col("email").isNull())`. */
  isNull(): Column {
    return new Column(functionExpr("isnull", [this.#expr]));
  }
  /** True when the value is not null, PySpark's `isNotNull`. */
  isNotNull(): Column {
    return new Column(functionExpr("isnotnull", [this.#expr]));
  }
  /** True when the value is NaN, PySpark's `isnan` function as a method. */
  isNaN(): Column {
    return new Column(functionExpr("isnan", [this.#expr]));
  }
  /** True when the value equals one of the given values (varargs or one array), PySpark's `isin`: `F.col("city").isin("Paris", "Rome")`. */
  isin(...values: (ColumnOrLiteral | readonly LiteralValue[])[]): Column {
    const flat = values.length === 1 && Array.isArray(values[0]) ? (values[0] as readonly LiteralValue[]) : (values as ColumnOrLiteral[]);
    return new Column(functionExpr("in", [this.#expr, ...flat.map(toExpr)]));
  }

  // Strings
  /** SQL LIKE match (`%` and `_` wildcards), PySpark's `like`: `F.col("name").like("Al%")`. */
  like(pattern: string): Column {
    return Column.#binary("like", this, pattern);
  }
  /** Case-insensitive SQL LIKE match, PySpark's `ilike`. */
  ilike(pattern: string): Column {
    return Column.#binary("ilike", this, pattern);
  }
  /** Regular-expression match (Java regex), PySpark's `rlike`: `F.col("email").rlike("@example\\.com$")`. */
  rlike(pattern: string): Column {
    return Column.#binary("rlike", this, pattern);
  }
  /** True when the string contains `other`, PySpark's `contains`. */
  contains(other: ColumnOrLiteral): Column {
    return Column.#binary("contains", this, other);
  }
  /** True when the string starts with `other`, PySpark's `startswith`. */
  startswith(other: ColumnOrLiteral): Column {
    return Column.#binary("startswith", this, other);
  }
  /** True when the string ends with `other`, PySpark's `endswith`. */
  endswith(other: ColumnOrLiteral): Column {
    return Column.#binary("endswith", this, other);
  }
  /** Substring from 1-based `start`, `length` characters long. */
  substr(start: ColumnOrLiteral, length: ColumnOrLiteral): Column {
    return new Column(functionExpr("substr", [this.#expr, toExpr(start), toExpr(length)]));
  }

  // Types, names and nested values
  /**
   * Converts to another type, given as a DataType or a type string, PySpark's `cast`.
   *
   * @example
   * ```ts
   * F.col("age").cast("int");
   * F.col("ts").cast(new T.TimestampType());
   * ```
   */
  cast(to: DataType | string): Column {
    return new Column(castExpr(this.#expr, to));
  }
  /** PySpark's alias of `cast`. */
  astype(to: DataType | string): Column {
    return this.cast(to);
  }
  /**
   * Names the column, PySpark's `alias`; several names for expressions that make several columns (e.g. explode of a map).
   *
   * @example
   * ```ts
   * df.select(F.col("age").plus(1).alias("next_age"));
   * df.select(F.explode(F.col("scores")).alias("subject", "score"));
   * ```
   */
  alias(...names: string[]): Column {
    if (names.length === 0) throw new TypeError("alias() needs a name");
    return new Column(aliasExpr(this.#expr, names));
  }
  /** PySpark's alias of `alias`: names the column. */
  name(name: string): Column {
    return this.alias(name);
  }
  /** An array element by index, or a map value by key. */
  getItem(key: ColumnOrLiteral): Column {
    return new Column(extractValueExpr(this.#expr, toExpr(key)));
  }
  /** A struct field by name. */
  getField(name: string): Column {
    return new Column(extractValueExpr(this.#expr, literalExpr(name)));
  }

  // Sorting
  /** Ascending sort order (nulls first), for `orderBy`, PySpark's `asc`: `df.orderBy(F.col("age").asc())`. */
  asc(): Column {
    return new Column(sortOrderExpr(this.#expr, "asc"));
  }
  /** Ascending sort order with nulls first, PySpark's `asc_nulls_first`. */
  asc_nulls_first(): Column {
    return new Column(sortOrderExpr(this.#expr, "asc", "first"));
  }
  /** Ascending sort order with nulls last, PySpark's `asc_nulls_last`. */
  asc_nulls_last(): Column {
    return new Column(sortOrderExpr(this.#expr, "asc", "last"));
  }
  /** Descending sort order (nulls last), for `orderBy`, PySpark's `desc`: `df.orderBy(F.col("age").desc())`. */
  desc(): Column {
    return new Column(sortOrderExpr(this.#expr, "desc"));
  }
  /** Descending sort order with nulls first, PySpark's `desc_nulls_first`. */
  desc_nulls_first(): Column {
    return new Column(sortOrderExpr(this.#expr, "desc", "first"));
  }
  /** Descending sort order with nulls last, PySpark's `desc_nulls_last`. */
  desc_nulls_last(): Column {
    return new Column(sortOrderExpr(this.#expr, "desc", "last"));
  }

  // CASE WHEN chains, started by functions.when()
  /**
   * Adds a branch to a CASE WHEN chain started by `functions.when()`, PySpark's `Column.when`.
   *
   * @example
   * ```ts
   * F.when(F.col("age").lt(13), "child").when(F.col("age").lt(20), "teen").otherwise("adult");
   * ```
   */
  when(condition: Column, value: ColumnOrLiteral): Column {
    if (!this.#caseWhen || this.#caseWhen.otherwise) throw new TypeError("when() can only follow functions.when() or another when(), and not otherwise()");
    return caseWhenColumn({ branches: [...this.#caseWhen.branches, exprOf(condition), toExpr(value)], otherwise: false });
  }
  /**
   * Ends a CASE WHEN chain with the value for rows no branch matched (null without it), PySpark's `otherwise`.
   *
   * @example
   * ```ts
   * F.when(F.col("score").ge(50), "pass").otherwise("fail");
   * ```
   */
  otherwise(value: ColumnOrLiteral): Column {
    if (!this.#caseWhen || this.#caseWhen.otherwise) throw new TypeError("otherwise() can only follow functions.when() or when(), once");
    return caseWhenColumn({ branches: [...this.#caseWhen.branches, toExpr(value)], otherwise: true });
  }

  // Windows
  /**
   * This aggregate or ranking function evaluated over a window, PySpark's `over`.
   *
   * @example
   * ```ts
   * const byCity = Window.partitionBy("city").orderBy(F.col("sales").desc());
   * df.withColumn("rank", F.rank().over(byCity));
   * ```
   */
  over(window: WindowSpec = new WindowSpec()): Column {
    return new Column(window.over(this.#expr));
  }

  /** A short description of the expression, such as `Column<age>` (PySpark's `repr`). */
  toString(): string {
    return `Column<${describe(this.#expr)}>`;
  }
}

/** @internal The protocol expression of a column (module-internal: not exported by index.ts). */
export function exprOf(column: Column): Expression {
  return readExpr(column);
}

export function caseWhenColumn(caseWhen: CaseWhen): Column {
  return new Column(functionExpr("when", caseWhen.branches), caseWhen);
}

/** A column name becomes a reference (`*` and `x.*` become stars); a Column stays itself. */
export function toColumn(value: ColumnOrName): Column {
  if (value instanceof Column) return value;
  if (value === "*") return new Column(starExpr());
  if (value.endsWith(".*")) return new Column(starExpr(value.slice(0, -2)));
  return new Column(attributeExpr(value));
}

/** The expression of a Column, or of the column a name refers to. */
export function columnExpr(value: ColumnOrName): Expression {
  return exprOf(toColumn(value));
}

/** A Column's expression, or a literal for any other value (PySpark's implicit `lit`). */
export function toExpr(value: ColumnOrLiteral): Expression {
  return value instanceof Column ? exprOf(value) : literalExpr(value);
}

/** A short human description of an expression, for toString(). */
function describe(expr: Expression): string {
  const node = expr.exprType;
  switch (node.case) {
    case "unresolvedAttribute":
      return node.value.unparsedIdentifier;
    case "unresolvedStar":
      return node.value.unparsedTarget ?? "*";
    case "literal":
      return String(node.value.literalType.value);
    case "unresolvedFunction":
      return `${node.value.functionName}(${node.value.arguments.map(describe).join(", ")})`;
    case "alias":
      return `${node.value.expr ? describe(node.value.expr) : "?"} AS ${node.value.name.join(", ")}`;
    case "expressionString":
      return node.value.expression;
    case "cast":
      return `CAST(${node.value.expr ? describe(node.value.expr) : "?"})`;
    default:
      return node.case ?? "?";
  }
}
