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
  eq(other: ColumnOrLiteral): Column {
    return Column.#binary("==", this, other);
  }
  neq(other: ColumnOrLiteral): Column {
    return new Column(functionExpr("not", [exprOf(this.eq(other))]));
  }
  /** Null-safe equality, SQL's `<=>`. */
  eqNullSafe(other: ColumnOrLiteral): Column {
    return Column.#binary("<=>", this, other);
  }
  lt(other: ColumnOrLiteral): Column {
    return Column.#binary("<", this, other);
  }
  le(other: ColumnOrLiteral): Column {
    return Column.#binary("<=", this, other);
  }
  gt(other: ColumnOrLiteral): Column {
    return Column.#binary(">", this, other);
  }
  ge(other: ColumnOrLiteral): Column {
    return Column.#binary(">=", this, other);
  }
  between(lower: ColumnOrLiteral, upper: ColumnOrLiteral): Column {
    return this.ge(lower).and(this.le(upper));
  }

  // Boolean logic
  and(other: ColumnOrLiteral): Column {
    return Column.#binary("and", this, other);
  }
  or(other: ColumnOrLiteral): Column {
    return Column.#binary("or", this, other);
  }
  not(): Column {
    return new Column(functionExpr("not", [this.#expr]));
  }

  // Arithmetic
  plus(other: ColumnOrLiteral): Column {
    return Column.#binary("+", this, other);
  }
  minus(other: ColumnOrLiteral): Column {
    return Column.#binary("-", this, other);
  }
  multiply(other: ColumnOrLiteral): Column {
    return Column.#binary("*", this, other);
  }
  divide(other: ColumnOrLiteral): Column {
    return Column.#binary("/", this, other);
  }
  mod(other: ColumnOrLiteral): Column {
    return Column.#binary("%", this, other);
  }
  negate(): Column {
    return new Column(functionExpr("negative", [this.#expr]));
  }

  // Null tests and membership
  isNull(): Column {
    return new Column(functionExpr("isnull", [this.#expr]));
  }
  isNotNull(): Column {
    return new Column(functionExpr("isnotnull", [this.#expr]));
  }
  isNaN(): Column {
    return new Column(functionExpr("isnan", [this.#expr]));
  }
  isin(...values: (ColumnOrLiteral | readonly LiteralValue[])[]): Column {
    const flat = values.length === 1 && Array.isArray(values[0]) ? (values[0] as readonly LiteralValue[]) : (values as ColumnOrLiteral[]);
    return new Column(functionExpr("in", [this.#expr, ...flat.map(toExpr)]));
  }

  // Strings
  like(pattern: string): Column {
    return Column.#binary("like", this, pattern);
  }
  ilike(pattern: string): Column {
    return Column.#binary("ilike", this, pattern);
  }
  rlike(pattern: string): Column {
    return Column.#binary("rlike", this, pattern);
  }
  contains(other: ColumnOrLiteral): Column {
    return Column.#binary("contains", this, other);
  }
  startswith(other: ColumnOrLiteral): Column {
    return Column.#binary("startswith", this, other);
  }
  endswith(other: ColumnOrLiteral): Column {
    return Column.#binary("endswith", this, other);
  }
  /** Substring from 1-based `start`, `length` characters long. */
  substr(start: ColumnOrLiteral, length: ColumnOrLiteral): Column {
    return new Column(functionExpr("substr", [this.#expr, toExpr(start), toExpr(length)]));
  }

  // Types, names and nested values
  cast(to: DataType | string): Column {
    return new Column(castExpr(this.#expr, to));
  }
  /** PySpark's alias of `cast`. */
  astype(to: DataType | string): Column {
    return this.cast(to);
  }
  /** Names the column; several names for expressions that make several columns (e.g. explode of a map). */
  alias(...names: string[]): Column {
    if (names.length === 0) throw new TypeError("alias() needs a name");
    return new Column(aliasExpr(this.#expr, names));
  }
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
  asc(): Column {
    return new Column(sortOrderExpr(this.#expr, "asc"));
  }
  asc_nulls_first(): Column {
    return new Column(sortOrderExpr(this.#expr, "asc", "first"));
  }
  asc_nulls_last(): Column {
    return new Column(sortOrderExpr(this.#expr, "asc", "last"));
  }
  desc(): Column {
    return new Column(sortOrderExpr(this.#expr, "desc"));
  }
  desc_nulls_first(): Column {
    return new Column(sortOrderExpr(this.#expr, "desc", "first"));
  }
  desc_nulls_last(): Column {
    return new Column(sortOrderExpr(this.#expr, "desc", "last"));
  }

  // CASE WHEN chains, started by functions.when()
  when(condition: Column, value: ColumnOrLiteral): Column {
    if (!this.#caseWhen || this.#caseWhen.otherwise) throw new TypeError("when() can only follow functions.when() or another when(), and not otherwise()");
    return caseWhenColumn({ branches: [...this.#caseWhen.branches, exprOf(condition), toExpr(value)], otherwise: false });
  }
  otherwise(value: ColumnOrLiteral): Column {
    if (!this.#caseWhen || this.#caseWhen.otherwise) throw new TypeError("otherwise() can only follow functions.when() or when(), once");
    return caseWhenColumn({ branches: [...this.#caseWhen.branches, toExpr(value)], otherwise: true });
  }

  // Windows
  /** This aggregate or ranking function evaluated over a window: `F.rank().over(Window.orderBy("v"))`. */
  over(window: WindowSpec = new WindowSpec()): Column {
    return new Column(window.over(this.#expr));
  }

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
