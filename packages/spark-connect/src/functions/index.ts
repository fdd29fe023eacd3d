/** `functions` (import as `F`): PySpark's `pyspark.sql.functions`, with the same snake_case names. */
export * from "./core.js";
export * from "./string.js";
export * from "./json.js";
export * from "./aggregate.js";
export * from "./datetime.js";
export * from "./collection.js";
export * from "./math.js";
