/**
 * spark-connect-ts — a Spark Connect client for TypeScript with PySpark's API, including
 * Structured Streaming.
 *
 * ```ts
 * import { SparkSession, functions as F, types as T } from "spark-connect-ts";
 * const spark = await SparkSession.builder().remote("sc://127.0.0.1:15002").getOrCreate();
 * await spark.range(3).withColumn("twice", F.col("id").multiply(2)).show();
 * ```
 */
export { SparkSession, SparkSessionBuilder } from "./session.js";
export { DataFrame, type ExplainMode } from "./dataframe.js";
export { Column, type ColumnOrName, type ColumnOrLiteral } from "./column.js";
export { Window, WindowSpec, type ColumnList } from "./window.js";
export { GroupedData } from "./grouped-data.js";
export { DataFrameNaFunctions, type NaValue } from "./na-functions.js";
export { DataFrameStatFunctions } from "./stat-functions.js";
export { StorageLevel } from "./storage-level.js";
export { DataFrameReader, type OptionValue } from "./reader.js";
export { DataFrameWriter } from "./writer.js";
export { DataFrameWriterV2 } from "./writer-v2.js";
export {
  Catalog,
  type CatalogColumn,
  type CatalogDatabase,
  type CatalogFunction,
  type CatalogMetadata,
  type CatalogTable,
  type CreateTableOptions,
} from "./catalog.js";
export type { AddArtifactsOptions } from "./artifacts.js";
export { RuntimeConfig, type ConfValue } from "./runtime-config.js";
export { DataStreamReader } from "./streaming/data-stream-reader.js";
export { DataStreamWriter, type OutputMode, type Trigger } from "./streaming/data-stream-writer.js";
export { StreamingQuery } from "./streaming/streaming-query.js";
export type { ForeachBatchHandler, ForeachBatchOptions } from "./streaming/foreach-batch.js";
export { FileCommitLog, type BatchCommitLog, type HandledBatch } from "./streaming/commit-log.js";
export type { KafkaOffsets } from "./streaming/kafka-offsets.js";
export { StreamingQueryManager } from "./streaming/streaming-query-manager.js";
export type { StreamingQueryListenerEvent } from "./streaming/listener-events.js";
export type { StreamingQueryProgress, StreamingQueryStatus, SourceProgress, SinkProgress, StateOperatorProgress } from "./streaming/progress.js";
export {
  SparkConnectError,
  SparkConnectionError,
  AnalysisException,
  ParseException,
  StreamingQueryException,
  IllegalArgumentException,
  ArithmeticException,
  NumberFormatException,
  DateTimeException,
  SparkRuntimeException,
  UnsupportedForeachBatchPlan,
  type SparkConnectErrorDetails,
} from "./errors.js";
export { valuesOf, type Row } from "./client/arrow-decode.js";
export type { ResultOptions, Int64Mode, TimestampMode } from "./result-options.js";
export type { ActionOptions } from "./action-options.js";
export type { RetryPolicy } from "./client/retry.js";
export { SPARK_CONNECT_PROTOCOL_VERSION } from "./client/protocol-version.js";
export type { JoinType } from "./plan/relations.js";
export type { SaveMode } from "./plan/commands.js";
export type { LiteralValue } from "./plan/literals.js";
export * as functions from "./functions/index.js";
export * as types from "./types/index.js";
