/**
 * Errors a user of the client can catch. Server-side failures carry Spark's own error class
 * (e.g. `TABLE_OR_VIEW_NOT_FOUND`), SQLSTATE and message parameters; the subclasses mirror the
 * exception names PySpark raises, chosen from the server's exception class hierarchy.
 */

export interface SparkConnectErrorDetails {
  /** Spark's error class (condition), e.g. `UNRESOLVED_COLUMN.WITH_SUGGESTION`. */
  readonly errorClass?: string | undefined;
  readonly sqlState?: string | undefined;
  readonly messageParameters?: Readonly<Record<string, string>> | undefined;
  /** The gRPC status code the call ended with, when it came from the transport. */
  readonly grpcCode?: number | undefined;
  /** JVM class names of the server exception, most specific first. */
  readonly errorTypeHierarchy?: readonly string[] | undefined;
  /** The server's stack trace, present when `spark.sql.connect.serverStacktrace.enabled` is set. */
  readonly serverStackTrace?: string | undefined;
  /** True when repeating the same call may succeed (the server was briefly unavailable). */
  readonly canRetry?: boolean | undefined;
  /** How long the server asked the client to wait before retrying (its `google.rpc.RetryInfo`). */
  readonly retryDelayMs?: number | undefined;
  readonly cause?: unknown;
}

/**
 * The base of every error this client throws, PySpark's `SparkConnectException`; `errorClass`, `sqlState` and `messageParameters` come from the server.
 *
 * @example
 * ```ts
 * try {
 *   await (await spark.sql("SELECT * FROM missing")).collect();
 * } catch (error) {
 *   if (error instanceof AnalysisException) console.log(error.errorClass); // TABLE_OR_VIEW_NOT_FOUND
 * }
 * ```
 */
export class SparkConnectError extends Error {
  override readonly name: string = "SparkConnectError";
  readonly errorClass: string | undefined;
  readonly sqlState: string | undefined;
  readonly messageParameters: Readonly<Record<string, string>>;
  readonly grpcCode: number | undefined;
  readonly errorTypeHierarchy: readonly string[];
  readonly serverStackTrace: string | undefined;
  readonly canRetry: boolean;
  /** The server's suggested wait before a retry, when it sent one. */
  readonly retryDelayMs: number | undefined;

  constructor(message: string, details: SparkConnectErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.errorClass = details.errorClass;
    this.sqlState = details.sqlState;
    this.messageParameters = details.messageParameters ?? {};
    this.grpcCode = details.grpcCode;
    this.errorTypeHierarchy = details.errorTypeHierarchy ?? [];
    this.serverStackTrace = details.serverStackTrace;
    this.canRetry = details.canRetry ?? false;
    this.retryDelayMs = details.retryDelayMs;
  }
}

/** The query could not be analysed: unknown table or column, type mismatch … */
export class AnalysisException extends SparkConnectError {
  override readonly name: string = "AnalysisException";
}
/** The SQL text (or a DDL schema string) does not parse. */
export class ParseException extends AnalysisException {
  override readonly name = "ParseException";
}
/** A streaming query terminated with an exception. */
export class StreamingQueryException extends SparkConnectError {
  override readonly name = "StreamingQueryException";
}
/** An argument Spark refused (a bad option, an invalid value …), PySpark's `IllegalArgumentException`. */
export class IllegalArgumentException extends SparkConnectError {
  override readonly name: string = "IllegalArgumentException";
}
/** Arithmetic failed under ANSI mode (division by zero, overflow), PySpark's `ArithmeticException`. */
export class ArithmeticException extends SparkConnectError {
  override readonly name = "ArithmeticException";
}
/** A string could not be cast to a number under ANSI mode, PySpark's `NumberFormatException`. */
export class NumberFormatException extends IllegalArgumentException {
  override readonly name = "NumberFormatException";
}
/** A date or time value or pattern was invalid under ANSI mode, PySpark's `DateTimeException`. */
export class DateTimeException extends SparkConnectError {
  override readonly name = "DateTimeException";
}
/** Any other failure while Spark ran the plan. */
export class SparkRuntimeException extends SparkConnectError {
  override readonly name = "SparkRuntimeException";
}
/** The server could not be reached; the message names the address that was tried. */
export class SparkConnectionError extends SparkConnectError {
  override readonly name = "SparkConnectionError";
  readonly address: string;
  constructor(address: string, message: string, details: SparkConnectErrorDetails = {}) {
    super(message, details);
    this.address = address;
  }
}

type ErrorConstructor = new (message: string, details: SparkConnectErrorDetails) => SparkConnectError;

/** Most specific JVM classes first: the first one found in the server's hierarchy wins. */
const BY_JVM_CLASS: readonly (readonly [string, ErrorConstructor])[] = [
  ["org.apache.spark.sql.catalyst.parser.ParseException", ParseException],
  ["org.apache.spark.sql.AnalysisException", AnalysisException],
  ["org.apache.spark.sql.streaming.StreamingQueryException", StreamingQueryException],
  ["java.lang.NumberFormatException", NumberFormatException],
  ["java.lang.IllegalArgumentException", IllegalArgumentException],
  ["java.lang.ArithmeticException", ArithmeticException],
  ["java.time.DateTimeException", DateTimeException],
  ["org.apache.spark.SparkRuntimeException", SparkRuntimeException],
];

/** Builds the most specific error class for a server exception hierarchy. */
export function errorForServerClasses(hierarchy: readonly string[], message: string, details: SparkConnectErrorDetails): SparkConnectError {
  for (const [jvmClass, Type] of BY_JVM_CLASS) {
    if (hierarchy.includes(jvmClass)) return new Type(message, details);
  }
  return new SparkConnectError(message, details);
}

/** Thrown by `start()` when a `foreachBatch` query cannot be replayed batch by batch (the message says why). */
export class UnsupportedForeachBatchPlan extends TypeError {
  override readonly name = "UnsupportedForeachBatchPlan";
}
