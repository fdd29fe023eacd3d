/** `DataFrameNaFunctions` (`df.na`): dropping, filling and replacing missing or given values. */
import { DataFrame, relationOf } from "./dataframe.js";
import type { LiteralValue } from "./plan/literals.js";
import { dropNaRel, fillNaRel, replaceRel } from "./plan/stat-relations.js";

/** The values `fill` and `replace` accept, as in PySpark. */
export type NaValue = boolean | number | string | null;

/**
 * Missing-value functions of a DataFrame, PySpark's `DataFrameNaFunctions` (`df.na`): `drop`, `fill`, `replace`.
 *
 * @example
 * ```ts
 * df.na.fill({ age: 0, city: "unknown" });
 * ```
 */
export class DataFrameNaFunctions {
  readonly #df: DataFrame;

  /** @internal Use `df.na`. */
  constructor(df: DataFrame) {
    this.#df = df;
  }

  #next(build: (planId: bigint) => ReturnType<typeof relationOf>): DataFrame {
    return new DataFrame(this.#df.session, build(this.#df.session.newPlanId()));
  }

  /**
   * Drops rows with nulls: `how` "any" (a null in any considered column) or "all" (every one
   * null); `thresh` keeps rows with at least that many non-nulls and overrides `how`.
   *
   * @example
   * ```ts
   * df.na.drop({ how: "all", subset: ["name", "age"] });
   * ```
   */
  drop(options: { how?: "any" | "all"; thresh?: number; subset?: string | readonly string[] } = {}): DataFrame {
    const how = options.how ?? "any";
    if (how !== "any" && how !== "all") throw new TypeError(`how must be "any" or "all", not "${String(how)}"`);
    const minNonNulls = options.thresh ?? (how === "all" ? 1 : undefined);
    return this.#next((id) => dropNaRel(id, relationOf(this.#df), subsetOf(options.subset), minNonNulls));
  }

  /**
   * Replaces nulls with a value (in the columns of a matching type, or of `subset`), or with one
   * value per column.
   *
   * @example
   * ```ts
   * df.na.fill(0);                          // numeric columns
   * df.na.fill({ age: 50, name: "unknown" });
   * ```
   */
  fill(value: Exclude<NaValue, null> | Record<string, Exclude<NaValue, null>>, subset?: string | readonly string[]): DataFrame {
    if (typeof value === "object") {
      const entries = Object.entries(value);
      return this.#next((id) => fillNaRel(id, relationOf(this.#df), entries.map(([column]) => column), entries.map(([, v]) => fillValue(v))));
    }
    return this.#next((id) => fillNaRel(id, relationOf(this.#df), subsetOf(subset), [fillValue(value)]));
  }

  /**
   * Replaces values: one value by another, a list by a list (pairwise) or by one value, or a
   * `{old: new}` map (keys are strings: use arrays to replace numbers; `value` is then ignored, as in PySpark).
   *
   * @example
   * ```ts
   * df.na.replace(10, 20, "age");
   * df.na.replace(["Alice", "Bob"], ["A", "B"]);
   * df.na.replace({ Alice: null });
   * ```
   */
  replace(toReplace: NaValue | readonly NaValue[] | Record<string, NaValue>, value?: NaValue | readonly NaValue[], subset?: string | readonly string[]): DataFrame {
    let pairs: [LiteralValue, LiteralValue][];
    if (toReplace !== null && typeof toReplace === "object" && !Array.isArray(toReplace)) {
      pairs = Object.entries(toReplace as Record<string, NaValue>);
    } else {
      const from = Array.isArray(toReplace) ? (toReplace as readonly NaValue[]) : [toReplace as NaValue];
      const to = Array.isArray(value) ? (value as readonly NaValue[]) : from.map(() => (value ?? null) as NaValue);
      if (to.length !== from.length) throw new TypeError(`replace: ${from.length} values to replace but ${to.length} replacements`);
      pairs = from.map((old, index) => [old, to[index] ?? null]);
    }
    return this.#next((id) => replaceRel(id, relationOf(this.#df), subsetOf(subset), pairs));
  }
}

/** The server fills with a long, double, string or boolean only (not an int), as PySpark sends integers. */
function fillValue(value: Exclude<NaValue, null>): LiteralValue {
  return typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : value;
}

function subsetOf(subset: string | readonly string[] | undefined): string[] {
  return subset === undefined ? [] : typeof subset === "string" ? [subset] : [...subset];
}
