/** Turns a failed gRPC call into a typed SparkConnectError with Spark's error class and SQLSTATE. */
import type * as grpc from "@grpc/grpc-js";
import {
  errorForServerClasses,
  SparkConnectError,
  SparkConnectionError,
  type SparkConnectErrorDetails,
} from "../errors.js";
import type { FetchErrorDetailsResponse } from "../gen/spark/connect/base_pb.js";
import { decodeRpcStatus, type RpcStatus } from "./rpc-status.js";
import { GrpcStatus, isServiceError } from "./transport.js";

export type ErrorDetailsFetcher = (errorId: string) => Promise<FetchErrorDetailsResponse | undefined>;

function parseJson<T>(text: string | undefined, fallback: T): T {
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function rpcStatusOf(error: grpc.ServiceError): RpcStatus | undefined {
  const [details] = error.metadata?.get("grpc-status-details-bin") ?? [];
  if (!(details instanceof Buffer)) return undefined;
  try {
    return decodeRpcStatus(details);
  } catch {
    return undefined;
  }
}

/**
 * What PySpark retries: an unreachable server, a reattach whose cursor was taken over
 * (INVALID_CURSOR.DISCONNECTED), and anything the server marked with a RetryInfo.
 */
function canRetry(error: grpc.ServiceError, errorClass: string | undefined, status: RpcStatus | undefined): boolean {
  if (error.code === GrpcStatus.UNAVAILABLE || status?.retryDelayMs !== undefined) return true;
  return errorClass === "INVALID_CURSOR.DISCONNECTED" || (error.code === GrpcStatus.INTERNAL && error.details.includes("INVALID_CURSOR.DISCONNECTED"));
}

function formatStack(error: FetchErrorDetailsResponse["errors"][number]): string {
  const frames = error.stackTrace.map(
    (frame) => `\tat ${frame.declaringClass}.${frame.methodName}(${frame.fileName ?? "Unknown Source"}:${frame.lineNumber})`,
  );
  return [`${error.errorTypeHierarchy[0] ?? "Exception"}: ${error.message}`, ...frames].join("\n");
}

/** Converts the enriched details (root error and its causes) into one error. */
function fromDetails(details: FetchErrorDetailsResponse, grpcCode: number, retryable: boolean, retryDelayMs: number | undefined): SparkConnectError | undefined {
  const root = details.errors[details.rootErrorIdx ?? 0];
  if (!root) return undefined;
  const stacks: string[] = [];
  for (let current: typeof root | undefined = root; current; ) {
    if (current.stackTrace.length > 0) stacks.push(formatStack(current));
    current = current.causeIdx === undefined ? undefined : details.errors[current.causeIdx];
  }
  const throwable = root.sparkThrowable;
  return errorForServerClasses(root.errorTypeHierarchy, root.message, {
    errorClass: throwable?.errorClass,
    sqlState: throwable?.sqlState,
    messageParameters: throwable?.messageParameters,
    grpcCode,
    errorTypeHierarchy: root.errorTypeHierarchy,
    serverStackTrace: stacks.length > 0 ? stacks.join("\nCaused by: ") : undefined,
    canRetry: retryable || throwable?.errorClass === "INVALID_CURSOR.DISCONNECTED",
    retryDelayMs,
  });
}

/**
 * `address` names the server in connection errors; `fetchDetails` (FetchErrorDetails) enriches
 * a server error with the cause chain and, when enabled, the server stack.
 */
export async function toSparkConnectError(error: unknown, address: string, fetchDetails?: ErrorDetailsFetcher): Promise<SparkConnectError> {
  if (error instanceof SparkConnectError) return error;
  if (!isServiceError(error)) {
    return new SparkConnectError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const status = rpcStatusOf(error);
  const retryDelayMs = status?.retryDelayMs;
  if (error.code === GrpcStatus.UNAVAILABLE) {
    return new SparkConnectionError(
      address,
      `Cannot reach the Spark Connect server at ${address}: ${error.details}. Is it running (and listening on that address)?`,
      { grpcCode: error.code, canRetry: true, retryDelayMs, cause: error },
    );
  }
  const info = status?.errorInfo;
  if (info === undefined) {
    return new SparkConnectError(`Spark Connect call failed (${GrpcStatus[error.code] ?? error.code}): ${error.details}`, {
      grpcCode: error.code,
      canRetry: canRetry(error, undefined, status),
      retryDelayMs,
      cause: error,
    });
  }
  const errorId = info.metadata.errorId;
  if (errorId !== undefined && fetchDetails) {
    const details = await fetchDetails(errorId).catch(() => undefined);
    const enriched = details && fromDetails(details, error.code, canRetry(error, info.metadata.errorClass, status), retryDelayMs);
    if (enriched) return enriched;
  }
  const hierarchy = parseJson<string[]>(info.metadata.classes, [info.reason]);
  const detailsFromInfo: SparkConnectErrorDetails = {
    errorClass: info.metadata.errorClass,
    sqlState: info.metadata.sqlState,
    messageParameters: parseJson<Record<string, string>>(info.metadata.messageParameters, {}),
    grpcCode: error.code,
    errorTypeHierarchy: hierarchy,
    serverStackTrace: info.metadata.stackTrace,
    canRetry: canRetry(error, info.metadata.errorClass, status),
    retryDelayMs,
    cause: error,
  };
  return errorForServerClasses(hierarchy, error.details, detailsFromInfo);
}
