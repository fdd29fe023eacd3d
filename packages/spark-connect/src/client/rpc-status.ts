/**
 * Decodes the rich error a Spark Connect server attaches to a failed call. The server sends a
 * `google.rpc.Status` in the `grpc-status-details-bin` trailer whose details hold a
 * `google.rpc.ErrorInfo`; those two messages are not part of Spark's protos, so the subset read
 * here is decoded by hand from their documented wire layout:
 *   Status    { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
 *   Any       { string type_url = 1; bytes value = 2; }
 *   ErrorInfo { string reason = 1; string domain = 2; map<string, string> metadata = 3; }
 *   RetryInfo { google.protobuf.Duration retry_delay = 1; }
 *   Duration  { int64 seconds = 1; int32 nanos = 2; }
 */
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

export interface ErrorInfo {
  /** The JVM class of the server exception. */
  readonly reason: string;
  readonly domain: string;
  /** Spark puts `classes` (JSON array), `errorId`, `errorClass`, `sqlState`, `messageParameters` here. */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface RpcStatus {
  readonly code: number;
  readonly message: string;
  readonly errorInfo: ErrorInfo | undefined;
  /** The server's RetryInfo: how long to wait before retrying, in milliseconds. */
  readonly retryDelayMs: number | undefined;
}

const ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";
const RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";

function readFields(bytes: Uint8Array, onField: (field: number, reader: BinaryReader, wireType: WireType) => boolean): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (!onField(field, reader, wireType)) reader.skip(wireType, field);
  }
}

function decodeAny(bytes: Uint8Array): { typeUrl: string; value: Uint8Array } {
  let typeUrl = "";
  let value: Uint8Array = new Uint8Array();
  readFields(bytes, (field, reader) => {
    if (field === 1) typeUrl = reader.string();
    else if (field === 2) value = reader.bytes();
    else return false;
    return true;
  });
  return { typeUrl, value };
}

function decodeMapEntry(bytes: Uint8Array): [string, string] {
  let key = "";
  let value = "";
  readFields(bytes, (field, reader) => {
    if (field === 1) key = reader.string();
    else if (field === 2) value = reader.string();
    else return false;
    return true;
  });
  return [key, value];
}

export function decodeErrorInfo(bytes: Uint8Array): ErrorInfo {
  let reason = "";
  let domain = "";
  const metadata: Record<string, string> = {};
  readFields(bytes, (field, reader) => {
    if (field === 1) reason = reader.string();
    else if (field === 2) domain = reader.string();
    else if (field === 3) {
      const [key, value] = decodeMapEntry(reader.bytes());
      metadata[key] = value;
    } else return false;
    return true;
  });
  return { reason, domain, metadata };
}

function decodeDurationMs(bytes: Uint8Array): number {
  let seconds = 0;
  let nanos = 0;
  readFields(bytes, (field, reader) => {
    if (field === 1) seconds = Number(reader.int64());
    else if (field === 2) nanos = reader.int32();
    else return false;
    return true;
  });
  return seconds * 1000 + nanos / 1e6;
}

export function decodeRetryInfo(bytes: Uint8Array): number {
  let delayMs = 0;
  readFields(bytes, (field, reader) => {
    if (field !== 1) return false;
    delayMs = decodeDurationMs(reader.bytes());
    return true;
  });
  return delayMs;
}

export function decodeRpcStatus(bytes: Uint8Array): RpcStatus {
  let code = 0;
  let message = "";
  let errorInfo: ErrorInfo | undefined;
  let retryDelayMs: number | undefined;
  readFields(bytes, (field, reader) => {
    if (field === 1) code = reader.int32();
    else if (field === 2) message = reader.string();
    else if (field === 3) {
      const any = decodeAny(reader.bytes());
      if (any.typeUrl === ERROR_INFO_TYPE) errorInfo = decodeErrorInfo(any.value);
      else if (any.typeUrl === RETRY_INFO_TYPE) retryDelayMs = decodeRetryInfo(any.value);
    } else return false;
    return true;
  });
  return { code, message, errorInfo, retryDelayMs };
}
