/**
 * The signature language of scripts/function-table.ts, shared by the generator (gen-functions.ts)
 * and the SQL-oracle integration test.
 *
 * A signature is a comma-separated parameter list; each parameter is `name[:kind][?|=default]`:
 * - `col`   (no kind) a column: a Column or a column name, as PySpark's `ColumnOrName`;
 * - `:lit`  a Column or a literal value (a string is a literal), PySpark's `Union[Column, str/int…]`;
 * - `:num`  a Column name or Column, or a number taken as a literal, PySpark's `Union[ColumnOrName, int]`;
 * - `:str` `:int` `:float` `:bool`  a plain literal only;
 * - `:opts` a `Record<string, string | number | boolean>` sent as `map(k, v…)` (CSV/JSON/XML options);
 * - `?` optional (left off the call when omitted; only trailing parameters), `=v` a default value;
 * - `...name` the rest: any number of columns.
 */
export type ParamKind = "col" | "lit" | "num" | "str" | "int" | "float" | "bool" | "opts";

export interface Param {
  readonly name: string;
  readonly kind: ParamKind;
  readonly optional: boolean;
  readonly defaultValue: string | undefined;
  readonly rest: boolean;
}

/** How the oracle test evaluates a function: per row, as an aggregate, over a window, or as a generator. */
export type Evaluation = "row" | "aggregate" | "window" | "generator";

export interface FunctionSpec {
  /** PySpark's name, the exported name. */
  readonly name: string;
  readonly params: string;
  /** One TSDoc line. */
  readonly doc: string;
  /** Arguments for the oracle test: column names of its input relation for columns, values for literals. */
  readonly sample: readonly unknown[] | undefined;
  /** The function name sent to Spark, when it differs from `name` (e.g. `create_map` → `map`). */
  readonly spark: string;
  readonly evaluation: Evaluation;
  /** Why two evaluations cannot give equal values (random output): the oracle test compares the result types only. */
  readonly typesOnly: string | undefined;
  /** The sample call's SQL text when it is not `spark(args…)` (keywords such as `extract(MINUTE FROM ts)`, operators). */
  readonly sql: string | undefined;
  /** For functions of sketches: the aggregate that makes them, as column `sketch` of the oracle's input per group of `b`. */
  readonly sketches: string | undefined;
  /** Why the oracle test cannot evaluate the function at all (it is listed with this reason). */
  readonly skip: string | undefined;
}

export interface SpecOptions {
  readonly spark?: string;
  readonly evaluation?: Evaluation;
  readonly typesOnly?: string;
  readonly skip?: string;
  readonly sql?: string;
  readonly sketches?: string;
}

/** One table row: `[name, params, doc, sample?, options?]`. */
export type TableRow = readonly [string, string, string, (readonly unknown[] | null)?, SpecOptions?];

export function toSpec(row: TableRow, evaluation: Evaluation): FunctionSpec {
  const [name, params, doc, sample, options] = row;
  return {
    name,
    params,
    doc,
    sample: sample ?? undefined,
    spark: options?.spark ?? name,
    evaluation: options?.evaluation ?? evaluation,
    typesOnly: options?.typesOnly,
    skip: options?.skip,
    sql: options?.sql,
    sketches: options?.sketches,
  };
}

const KINDS = new Set<string>(["col", "lit", "num", "str", "int", "float", "bool", "opts"]);

export function parseParams(params: string): Param[] {
  if (params.trim() === "") return [];
  const parsed = params.split(",").map((raw): Param => {
    let text = raw.trim();
    const rest = text.startsWith("...");
    if (rest) text = text.slice(3);
    let defaultValue: string | undefined;
    const eq = text.indexOf("=");
    if (eq >= 0) {
      defaultValue = text.slice(eq + 1);
      text = text.slice(0, eq);
    }
    const optional = text.endsWith("?") || defaultValue !== undefined;
    if (text.endsWith("?")) text = text.slice(0, -1);
    const [name = "", kind = "col"] = text.split(":");
    if (!KINDS.has(kind)) throw new Error(`unknown parameter kind "${kind}" in "${params}"`);
    return { name, kind: kind as ParamKind, optional, defaultValue, rest };
  });
  parsed.forEach((param, i) => {
    if (param.rest && i !== parsed.length - 1) throw new Error(`a rest parameter must come last: "${params}"`);
    if (param.optional && param.defaultValue === undefined && parsed.slice(i + 1).some((later) => !later.optional && !later.rest)) {
      throw new Error(`an optional parameter cannot precede a required one: "${params}"`);
    }
  });
  return parsed;
}
