/** `DataStreamReader` (`spark.readStream`): streaming sources (kafka, rate, files …). */
import type { DataFrame } from "../dataframe.js";
import { DataFrame as DataFrameClass } from "../dataframe.js";
import { namedTableRel } from "../plan/relations.js";
import { DataFrameReader } from "../reader.js";

/** `spark.readStream`: a streaming source, e.g. `spark.readStream.format("kafka").option("subscribe", "t").load()`. */
export class DataStreamReader extends DataFrameReader {
  /** The streaming DataFrame of the source (a path for file sources). */
  override load(...paths: string[]): DataFrame {
    return this.build(paths, true);
  }
  /** A streaming read of a table. */
  override table(name: string): DataFrame {
    return new DataFrameClass(this.session, namedTableRel(this.session.newPlanId(), name, { ...this.optionMap }, true));
  }
}
