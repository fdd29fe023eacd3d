/** `DataFrameWriter` (`df.write`): batch writes to paths or tables. */
import { execute } from "./client/execution.js";
import type { ActionOptions } from "./action-options.js";
import { relationOf, type DataFrame } from "./dataframe.js";
import { clientOf } from "./session.js";
import { SAVE_MODES, writePlan, type SaveMode, type WriteSpec } from "./plan/commands.js";
import type { OptionValue } from "./reader.js";

/** `df.write`: writes a DataFrame once (batch), with PySpark's names: `df.write.format("parquet").mode("overwrite").save(path)`. */
export class DataFrameWriter {
  readonly #df: DataFrame;
  #source: string | undefined;
  #mode: SaveMode = "error";
  readonly #options: Record<string, string> = {};
  #partitionBy: string[] = [];
  #sortBy: string[] = [];
  #bucketBy: WriteSpec["bucketBy"];

  constructor(df: DataFrame) {
    this.#df = df;
  }

  /**
   * The data source: `parquet` (default), `json`, `csv`, `orc`, `text`, `delta` …
   *
   * @example
   * ```ts
   * await df.write.format("json").save("/tmp/people-json");
   * ```
   */
  format(source: string): this {
    this.#source = source;
    return this;
  }
  /**
   * append | overwrite | error | errorifexists | ignore
   *
   * @example
   * ```ts
   * await df.write.mode("append").parquet("/data/events");
   * ```
   */
  mode(mode: SaveMode): this {
    if (!(mode in SAVE_MODES)) throw new TypeError(`unknown save mode "${mode}"; use one of ${Object.keys(SAVE_MODES).join(", ")}`);
    this.#mode = mode;
    return this;
  }
  /**
   * One option of the data source (e.g. `header` for csv).
   *
   * @example
   * ```ts
   * await df.write.option("header", true).csv("/tmp/people-csv");
   * ```
   */
  option(key: string, value: OptionValue): this {
    this.#options[key] = String(value);
    return this;
  }
  /** Several options of the data source at once. */
  options(options: Record<string, OptionValue>): this {
    for (const [key, value] of Object.entries(options)) this.option(key, value);
    return this;
  }
  /** Lays the output out in folders by the values of these columns. */
  partitionBy(...columns: string[]): this {
    this.#partitionBy = columns;
    return this;
  }
  /** Sorts each bucket by these columns (with `bucketBy`, for tables). */
  sortBy(...columns: string[]): this {
    this.#sortBy = columns;
    return this;
  }
  /** Hashes the rows into `numBuckets` buckets by these columns (tables only). */
  bucketBy(numBuckets: number, ...columns: string[]): this {
    this.#bucketBy = { numBuckets, columns };
    return this;
  }

  #spec(extra: Partial<WriteSpec>): WriteSpec {
    return {
      source: this.#source,
      mode: this.#mode,
      options: { ...this.#options },
      partitionBy: this.#partitionBy,
      sortBy: this.#sortBy,
      bucketBy: this.#bucketBy,
      ...extra,
    };
  }

  /**
   * Writes the DataFrame to `path` (or the `path` option) in the chosen format.
   *
   * @example
   * ```ts
   * await df.write.format("parquet").mode("overwrite").partitionBy("day").save("/data/events");
   * ```
   */
  async save(path?: string, options: ActionOptions = {}): Promise<void> {
    await execute(clientOf(this.#df.session), writePlan(relationOf(this.#df), this.#spec({ path })), { signal: options.signal });
  }
  /**
   * Writes the DataFrame as the table `name` (created or, with mode "overwrite", replaced).
   *
   * @example
   * ```ts
   * await df.write.mode("overwrite").saveAsTable("db.people");
   * ```
   */
  async saveAsTable(name: string, options: ActionOptions = {}): Promise<void> {
    await execute(clientOf(this.#df.session), writePlan(relationOf(this.#df), this.#spec({ table: { name, method: "saveAsTable" } })), { signal: options.signal });
  }
  /** Inserts the rows into the existing table `name`, by position. */
  async insertInto(name: string, overwrite = false, options: ActionOptions = {}): Promise<void> {
    const spec = this.#spec({ table: { name, method: "insertInto" }, ...(overwrite ? { mode: "overwrite" as const } : {}) });
    await execute(clientOf(this.#df.session), writePlan(relationOf(this.#df), spec), { signal: options.signal });
  }
  /** `format("json").save(path)`. */
  async json(path: string, options: ActionOptions = {}): Promise<void> {
    await this.format("json").save(path, options);
  }
  /** `format("csv").save(path)`. */
  async csv(path: string, options: ActionOptions = {}): Promise<void> {
    await this.format("csv").save(path, options);
  }
  /** `format("parquet").save(path)`. */
  async parquet(path: string, options: ActionOptions = {}): Promise<void> {
    await this.format("parquet").save(path, options);
  }
  /** `format("text").save(path)`. */
  async text(path: string, options: ActionOptions = {}): Promise<void> {
    await this.format("text").save(path, options);
  }
}
