/** JSON functions whose arguments need more than a signature: a DataType schema, a list of fields. */
import type { Column, ColumnOrName } from "../column.js";
import { Column as ColumnClass } from "../column.js";
import { DataType } from "../types/data-types.js";
import { invoke, litColumn, optionsColumn, type FunctionOptions } from "./invoke.js";

/**
 * Parses a JSON string column with `schema`: a StructType (or other DataType), a DDL string
 * (`a INT, b STRING`), or a Column holding a schema string. Unparseable input gives nulls
 * (mode PERMISSIVE) unless `options` say otherwise.
 *
 * @example
 * ```ts
 * const parsed = df.select(F.from_json(F.col("value").cast("string"), "customer STRING, score INT").alias("event"));
 * parsed.select("event.*");
 * ```
 */
export function from_json(c: ColumnOrName, schema: DataType | string | Column, options?: FunctionOptions): Column {
  const schemaColumn = schema instanceof ColumnClass ? schema : litColumn(schema instanceof DataType ? schema.json() : schema);
  return options === undefined ? invoke("from_json", c, schemaColumn) : invoke("from_json", c, schemaColumn, optionsColumn(options));
}

/**
 * One column per field name (`c0`, `c1` …): the fields' values of a JSON object string.
 *
 * @example
 * ```ts
 * df.select(F.json_tuple("payload", "id", "kind"));
 * ```
 */
export function json_tuple(c: ColumnOrName, ...fields: string[]): Column {
  if (fields.length === 0) throw new TypeError("json_tuple() needs at least one field name");
  return invoke("json_tuple", c, ...fields.map((field) => litColumn(field)));
}
