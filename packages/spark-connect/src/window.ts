/**
 * Window specifications, PySpark's `Window` and `WindowSpec`: `F.rank().over(Window.partitionBy("k").orderBy("v"))`.
 * A spec is immutable; each method returns a new one.
 */
import { columnExpr, type ColumnOrName } from "./column.js";
import { literalExpr, windowExpr, type Expression, type FrameBound, type WindowFrame } from "./plan/expressions.js";

/** Columns given one by one or as one array, as PySpark accepts. */
export type ColumnList = (ColumnOrName | readonly ColumnOrName[])[];

function flatten(cols: ColumnList): ColumnOrName[] {
  return cols.flatMap((c) => (Array.isArray(c) ? (c as readonly ColumnOrName[]) : [c as ColumnOrName]));
}

/**
 * A frame boundary from PySpark's numbers: at or beyond ±(2⁶³ − 1) (or ±Infinity, `Window.unboundedPreceding`/`Following`)
 * is unbounded, 0 is `Window.currentRow`, any other value an offset in rows or in the order key's units.
 */
function frameBound(value: number | bigint, unbounded: "preceding" | "following"): FrameBound {
  const n = Number(value);
  if (Number.isNaN(n)) throw new TypeError("a window frame boundary cannot be NaN");
  if (unbounded === "preceding" ? n <= -(2 ** 63) + 1 : n >= 2 ** 63 - 1) return { kind: "unbounded" };
  if (n === 0) return { kind: "currentRow" };
  return { kind: "offset", offset: literalExpr(value) };
}

/**
 * A window specification, PySpark's `WindowSpec`: partitioning, ordering and frame for `Column.over`; immutable, each method returns a new one.
 *
 * @example
 * ```ts
 * const running = Window.partitionBy("account").orderBy("ts").rowsBetween(Window.unboundedPreceding, Window.currentRow);
 * df.withColumn("balance", F.sum("amount").over(running));
 * ```
 */
export class WindowSpec {
  readonly #partitionBy: readonly Expression[];
  readonly #orderBy: readonly Expression[];
  readonly #frame: WindowFrame | undefined;

  /** @internal Specs come from `Window.partitionBy`, `Window.orderBy` and friends. */
  constructor(partitionBy: readonly Expression[] = [], orderBy: readonly Expression[] = [], frame?: WindowFrame) {
    this.#partitionBy = partitionBy;
    this.#orderBy = orderBy;
    this.#frame = frame;
  }

  /** Partitions rows by these columns (replacing earlier partitioning of this spec). */
  partitionBy(...cols: ColumnList): WindowSpec {
    return new WindowSpec(flatten(cols).map(columnExpr), this.#orderBy, this.#frame);
  }

  /** Orders rows within a partition (names ascending; use `col.desc()` for descending). */
  orderBy(...cols: ColumnList): WindowSpec {
    return new WindowSpec(this.#partitionBy, flatten(cols).map(columnExpr), this.#frame);
  }

  /** A frame of rows relative to the current row: `rowsBetween(-1, Window.currentRow)`. */
  rowsBetween(start: number | bigint, end: number | bigint): WindowSpec {
    return new WindowSpec(this.#partitionBy, this.#orderBy, { type: "rows", lower: frameBound(start, "preceding"), upper: frameBound(end, "following") });
  }

  /** A frame of order-key values relative to the current row's (one numeric order key). */
  rangeBetween(start: number | bigint, end: number | bigint): WindowSpec {
    return new WindowSpec(this.#partitionBy, this.#orderBy, { type: "range", lower: frameBound(start, "preceding"), upper: frameBound(end, "following") });
  }

  /** @internal The window expression of `fn OVER (this spec)`. */
  over(fn: Expression): Expression {
    return windowExpr(fn, this.#partitionBy, this.#orderBy, this.#frame);
  }
}

/** Starting points for window specifications, as PySpark's `Window`. */
export const Window = {
  /** The frame starts at the partition's first row. */
  unboundedPreceding: Number.NEGATIVE_INFINITY,
  /** The frame ends at the partition's last row. */
  unboundedFollowing: Number.POSITIVE_INFINITY,
  /** The current row (an offset of 0). */
  currentRow: 0,
  /** A spec partitioned by these columns. */
  partitionBy: (...cols: ColumnList): WindowSpec => new WindowSpec().partitionBy(...cols),
  /** A spec ordered by these columns. */
  orderBy: (...cols: ColumnList): WindowSpec => new WindowSpec().orderBy(...cols),
  /** A spec with a row frame and no partitioning or order. */
  rowsBetween: (start: number | bigint, end: number | bigint): WindowSpec => new WindowSpec().rowsBetween(start, end),
  /** A spec with a range frame and no partitioning or order. */
  rangeBetween: (start: number | bigint, end: number | bigint): WindowSpec => new WindowSpec().rangeBetween(start, end),
} as const;
