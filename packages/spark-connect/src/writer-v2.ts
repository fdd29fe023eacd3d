/** `DataFrameWriterV2` (`df.writeTo(table)`): writes to catalog tables with create/replace/append/overwrite semantics. */
import { execute } from "./client/execution.js";
import { columnExpr, exprOf, type Column, type ColumnOrName } from "./column.js";
import { relationOf, type DataFrame } from "./dataframe.js";
import { writeV2Plan, type WriteV2Mode } from "./plan/commands.js";
import type { Expression } from "./plan/relations.js";
import type { OptionValue } from "./reader.js";
import { clientOf } from "./session.js";

/**
 * Writes a DataFrame to a catalog table with v2 semantics, PySpark's `DataFrameWriterV2` (`df.writeTo(table)`).
 *
 * @example
 * ```ts
 * await df.writeTo("db.events").using("parquet").partitionedBy("day").createOrReplace();
 * ```
 */
export class DataFrameWriterV2 {
  readonly #df: DataFrame;
  readonly #table: string;
  #provider: string | undefined;
  readonly #options: Record<string, string> = {};
  readonly #properties: Record<string, string> = {};
  #partitionBy: Expression[] = [];
  #clusterBy: string[] = [];

  /** @internal Use `df.writeTo(table)`. */
  constructor(df: DataFrame, table: string) {
    this.#df = df;
    this.#table = table;
  }

  /**
   * The table provider (data source) for `create`/`replace`, e.g. "parquet".
   *
   * @example
   * ```ts
   * await df.writeTo("db.events").using("parquet").create();
   * ```
   */
  using(provider: string): this {
    this.#provider = provider;
    return this;
  }
  /** A write option: `df.writeTo("t").option("compression", "zstd")`. */
  option(key: string, value: OptionValue): this {
    this.#options[key] = String(value);
    return this;
  }
  /** Several write options: `df.writeTo("t").options({ compression: "zstd" })`. */
  options(options: Record<string, OptionValue>): this {
    for (const [key, value] of Object.entries(options)) this.option(key, value);
    return this;
  }
  /** A table property for `create`/`replace`: `df.writeTo("t").tableProperty("owner", "ops")`. */
  tableProperty(property: string, value: string): this {
    this.#properties[property] = value;
    return this;
  }
  /**
   * Partitions the created table by columns or transforms (`F.years("ts")`, `F.bucket(4, "id")`).
   *
   * @example
   * ```ts
   * await df.writeTo("db.events").partitionedBy("day").create();
   * ```
   */
  partitionedBy(col: ColumnOrName, ...cols: ColumnOrName[]): this {
    this.#partitionBy = [col, ...cols].map((c) => columnExpr(c));
    return this;
  }
  /** Clusters the created table by columns: `df.writeTo("t").clusterBy("customer")`. */
  clusterBy(col: string, ...cols: string[]): this {
    this.#clusterBy = [col, ...cols];
    return this;
  }

  async #write(mode: WriteV2Mode, overwriteCondition?: Expression): Promise<void> {
    const spec = {
      tableName: this.#table,
      provider: this.#provider,
      partitionBy: this.#partitionBy,
      clusterBy: this.#clusterBy,
      options: { ...this.#options },
      tableProperties: { ...this.#properties },
      overwriteCondition,
    };
    await execute(clientOf(this.#df.session), writeV2Plan(relationOf(this.#df), spec, mode));
  }

  /** Creates the table with this DataFrame's rows; fails if it exists: `await df.writeTo("t").create()`. */
  create(): Promise<void> {
    return this.#write("create");
  }
  /** Replaces the table's schema and rows; fails if it does not exist: `await df.writeTo("t").replace()`. */
  replace(): Promise<void> {
    return this.#write("replace");
  }
  /** Creates the table, or replaces it when it exists: `await df.writeTo("t").createOrReplace()`. */
  createOrReplace(): Promise<void> {
    return this.#write("createOrReplace");
  }
  /** Appends the rows to the existing table: `await df.writeTo("t").append()`. */
  append(): Promise<void> {
    return this.#write("append");
  }
  /**
   * Replaces the rows that match `condition` with this DataFrame's rows.
   *
   * @example
   * ```ts
   * await df.writeTo("db.events").overwrite(F.col("day").eq("2024-01-01"));
   * ```
   */
  overwrite(condition: Column): Promise<void> {
    return this.#write("overwrite", exprOf(condition));
  }
  /** Replaces every partition that this DataFrame has rows for (dynamic overwrite): `await df.writeTo("t").overwritePartitions()`. */
  overwritePartitions(): Promise<void> {
    return this.#write("overwritePartitions");
  }
}
