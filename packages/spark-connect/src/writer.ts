/** `DataFrameWriter` (`df.write`): batch writes to paths or tables. */
import { execute } from "./client/execution.js";
import { relationOf, type DataFrame } from "./dataframe.js";
import { clientOf } from "./session.js";
import { SAVE_MODES, writePlan, type SaveMode, type WriteSpec } from "./plan/commands.js";
import type { OptionValue } from "./reader.js";

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

  format(source: string): this {
    this.#source = source;
    return this;
  }
  /** append | overwrite | error | errorifexists | ignore */
  mode(mode: SaveMode): this {
    if (!(mode in SAVE_MODES)) throw new TypeError(`unknown save mode "${mode}"; use one of ${Object.keys(SAVE_MODES).join(", ")}`);
    this.#mode = mode;
    return this;
  }
  option(key: string, value: OptionValue): this {
    this.#options[key] = String(value);
    return this;
  }
  options(options: Record<string, OptionValue>): this {
    for (const [key, value] of Object.entries(options)) this.option(key, value);
    return this;
  }
  partitionBy(...columns: string[]): this {
    this.#partitionBy = columns;
    return this;
  }
  sortBy(...columns: string[]): this {
    this.#sortBy = columns;
    return this;
  }
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

  async save(path?: string): Promise<void> {
    await execute(clientOf(this.#df.session), writePlan(relationOf(this.#df), this.#spec({ path })));
  }
  async saveAsTable(name: string): Promise<void> {
    await execute(clientOf(this.#df.session), writePlan(relationOf(this.#df), this.#spec({ table: { name, method: "saveAsTable" } })));
  }
  async insertInto(name: string, overwrite = false): Promise<void> {
    const spec = this.#spec({ table: { name, method: "insertInto" }, ...(overwrite ? { mode: "overwrite" as const } : {}) });
    await execute(clientOf(this.#df.session), writePlan(relationOf(this.#df), spec));
  }
  async json(path: string): Promise<void> {
    await this.format("json").save(path);
  }
  async csv(path: string): Promise<void> {
    await this.format("csv").save(path);
  }
  async parquet(path: string): Promise<void> {
    await this.format("parquet").save(path);
  }
  async text(path: string): Promise<void> {
    await this.format("text").save(path);
  }
}
