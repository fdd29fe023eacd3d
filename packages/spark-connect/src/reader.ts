/** `DataFrameReader` (`spark.read`): batch sources by format, options, schema and paths. */
import type { DataFrame } from "./dataframe.js";
import { DataFrame as DataFrameClass } from "./dataframe.js";
import { dataSourceRel, namedTableRel } from "./plan/relations.js";
import type { SparkSession } from "./session.js";
import { StructType } from "./types/data-types.js";

export type OptionValue = string | number | boolean;

export class DataFrameReader {
  protected readonly session: SparkSession;
  protected formatName: string | undefined;
  protected schemaText: string | undefined;
  protected readonly optionMap: Record<string, string> = {};

  constructor(session: SparkSession) {
    this.session = session;
  }

  format(source: string): this {
    this.formatName = source;
    return this;
  }
  /** The schema, as a StructType or a DDL string (`a INT, b STRING`). */
  schema(schema: StructType | string): this {
    this.schemaText = schema instanceof StructType ? schema.json() : schema;
    return this;
  }
  option(key: string, value: OptionValue): this {
    this.optionMap[key] = String(value);
    return this;
  }
  options(options: Record<string, OptionValue>): this {
    for (const [key, value] of Object.entries(options)) this.option(key, value);
    return this;
  }

  protected build(paths: readonly string[], isStreaming: boolean): DataFrame {
    const spec = { format: this.formatName, schema: this.schemaText, options: { ...this.optionMap }, paths };
    return new DataFrameClass(this.session, dataSourceRel(this.session.newPlanId(), spec, isStreaming));
  }

  load(...paths: string[]): DataFrame {
    return this.build(paths, false);
  }
  table(name: string): DataFrame {
    return new DataFrameClass(this.session, namedTableRel(this.session.newPlanId(), name, { ...this.optionMap }, false));
  }
  json(...paths: string[]): DataFrame {
    return this.format("json").load(...paths);
  }
  csv(...paths: string[]): DataFrame {
    return this.format("csv").load(...paths);
  }
  parquet(...paths: string[]): DataFrame {
    return this.format("parquet").load(...paths);
  }
  text(...paths: string[]): DataFrame {
    return this.format("text").load(...paths);
  }
  orc(...paths: string[]): DataFrame {
    return this.format("orc").load(...paths);
  }
}
