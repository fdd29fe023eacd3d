/** JSON functions. */
import type { Column, ColumnOrName } from "../column.js";
import { Column as ColumnClass } from "../column.js";
import { DataType } from "../types/data-types.js";
import { invoke, litColumn, optionsColumn } from "./invoke.js";

type Options = Record<string, string | number | boolean>;

/**
 * Parses a JSON string column with `schema`: a StructType (or other DataType), a DDL string
 * (`a INT, b STRING`), or a Column holding a schema string. Unparseable input gives nulls
 * (mode PERMISSIVE) unless `options` say otherwise.
 */
export function from_json(c: ColumnOrName, schema: DataType | string | Column, options?: Options): Column {
  const schemaColumn = schema instanceof ColumnClass ? schema : litColumn(schema instanceof DataType ? schema.json() : schema);
  return options === undefined ? invoke("from_json", c, schemaColumn) : invoke("from_json", c, schemaColumn, optionsColumn(options));
}

/** Serialises a struct, map or array column to a JSON string. */
export function to_json(c: ColumnOrName, options?: Options): Column {
  return options === undefined ? invoke("to_json", c) : invoke("to_json", c, optionsColumn(options));
}

export function get_json_object(c: ColumnOrName, path: string): Column {
  return invoke("get_json_object", c, litColumn(path));
}

export function schema_of_json(json: string | Column, options?: Options): Column {
  const value = typeof json === "string" ? litColumn(json) : json;
  return options === undefined ? invoke("schema_of_json", value) : invoke("schema_of_json", value, optionsColumn(options));
}
