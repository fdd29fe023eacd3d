/** `DataFrameReader` (`spark.read`): batch sources by format, options, schema and paths. */
import type { DataFrame } from "./dataframe.js";
import { DataFrame as DataFrameClass } from "./dataframe.js";
import { dataSourceRel, namedTableRel } from "./plan/relations.js";
import type { SparkSession } from "./session.js";
import { StructType } from "./types/data-types.js";

/** A reader or writer option value; sent to the server as its string form, as PySpark does. */
export type OptionValue = string | number | boolean;

/**
 * Loads batch DataFrames from a data source, PySpark's `DataFrameReader` (`spark.read`).
 *
 * @example
 * ```ts
 * const people = spark.read.format("json").option("multiLine", true).load("/data/people.json");
 * ```
 */
export class DataFrameReader {
  protected readonly session: SparkSession;
  protected formatName: string | undefined;
  protected schemaText: string | undefined;
  protected readonly optionMap: Record<string, string> = {};

  /** Made by the session: use `spark.read` (or `spark.readStream`). */
  constructor(session: SparkSession) {
    this.session = session;
  }

  /**
   * Sets the data source format (`json`, `csv`, `parquet`, `kafka` …), PySpark's `format`.
   *
   * @example
   * ```ts
   * spark.read.format("csv").option("header", true).load("/data/sales.csv");
   * ```
   */
  format(source: string): this {
    this.formatName = source;
    return this;
  }
  /** The schema, as a StructType or a DDL string (`a INT, b STRING`). */
  schema(schema: StructType | string): this {
    this.schemaText = schema instanceof StructType ? schema.json() : schema;
    return this;
  }
  /**
   * Sets one option of the data source, PySpark's `option`.
   *
   * @example
   * ```ts
   * spark.read.option("header", true).csv("/data/sales.csv");
   * ```
   */
  option(key: string, value: OptionValue): this {
    this.optionMap[key] = String(value);
    return this;
  }
  /** Sets several options of the data source at once, PySpark's `options`: `spark.read.options({ header: true, sep: ";" })`. */
  options(options: Record<string, OptionValue>): this {
    for (const [key, value] of Object.entries(options)) this.option(key, value);
    return this;
  }

  /** The DataFrame of the source as configured so far, batch or streaming (shared by `load` and the streaming reader). */
  protected build(paths: readonly string[], isStreaming: boolean): DataFrame {
    const spec = { format: this.formatName, schema: this.schemaText, options: { ...this.optionMap }, paths };
    return new DataFrameClass(this.session, dataSourceRel(this.session.newPlanId(), spec, isStreaming));
  }

  /**
   * Loads the source as a DataFrame (from `paths` for file sources), PySpark's `load`.
   *
   * @example
   * ```ts
   * spark.read.format("parquet").load("/data/events");
   * ```
   */
  load(...paths: string[]): DataFrame {
    return this.build(paths, false);
  }
  /** Reads a catalog table (the options apply to it), PySpark's `table`: `spark.read.table("db.people")`. */
  table(name: string): DataFrame {
    return new DataFrameClass(this.session, namedTableRel(this.session.newPlanId(), name, { ...this.optionMap }, false));
  }
  /** Reads JSON Lines files (one object per line unless `multiLine`), PySpark's `json`: `spark.read.json("/data/people.json")`. */
  json(...paths: string[]): DataFrame {
    return this.format("json").load(...paths);
  }
  /** Reads CSV files, PySpark's `csv`: `spark.read.option("header", true).csv("/data/sales.csv")`. */
  csv(...paths: string[]): DataFrame {
    return this.format("csv").load(...paths);
  }
  /** Reads Parquet files, PySpark's `parquet`: `spark.read.parquet("/data/events")`. */
  parquet(...paths: string[]): DataFrame {
    return this.format("parquet").load(...paths);
  }
  /** Reads text files into one `value` column, a row per line, PySpark's `text`. */
  text(...paths: string[]): DataFrame {
    return this.format("text").load(...paths);
  }
  /** Reads ORC files, PySpark's `orc`. */
  orc(...paths: string[]): DataFrame {
    return this.format("orc").load(...paths);
  }
}
