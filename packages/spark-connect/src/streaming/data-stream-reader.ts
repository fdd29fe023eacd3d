/** `DataStreamReader` (`spark.readStream`): streaming sources (kafka, rate, files …). */
import type { DataFrame } from "../dataframe.js";
import { DataFrame as DataFrameClass } from "../dataframe.js";
import { namedTableRel } from "../plan/relations.js";
import { DataFrameReader } from "../reader.js";

export class DataStreamReader extends DataFrameReader {
  override load(...paths: string[]): DataFrame {
    return this.build(paths, true);
  }
  /** A streaming read of a table. */
  override table(name: string): DataFrame {
    return new DataFrameClass(this.session, namedTableRel(this.session.newPlanId(), name, { ...this.optionMap }, true));
  }
}
