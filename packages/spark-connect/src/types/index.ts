/** `types`: Spark SQL data types with PySpark's names, plus parsers of their DDL and JSON forms. */
export * from "./data-types.js";
export { parseDataType, parseDDLSchema, parseJsonDataType, SchemaParseError } from "./ddl.js";
export type { RowOf, ValueOf, Decoding, DefaultDecoding, AtomicValues, Int64Value, TimestampValue, OrNull, RowOfFields } from "./row-of.js";
export { schemaToTypeScript } from "./schema-to-typescript.js";
export { schemaMismatches } from "./schema-mismatches.js";
