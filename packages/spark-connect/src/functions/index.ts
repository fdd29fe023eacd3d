/** `functions` (import as `F`): PySpark's `pyspark.sql.functions`, with the same snake_case names. */
export * from "./core.js";
export * from "./aggregate.js";
export * from "./datetime.js";
export * from "./json.js";
export * from "./higher-order.js";
export type { FunctionOptions } from "./invoke.js";
export * from "./generated/index.js";
