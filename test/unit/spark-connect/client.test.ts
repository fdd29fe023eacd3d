/** The client's pure parts: connection strings, the rich error trailer, error mapping, retries. */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { AnalysisException, ParseException, SparkConnectError, SparkConnectionError, StreamingQueryException } from "spark-connect-ts";
import { parseConnectionString } from "../../../packages/spark-connect/src/client/connection-string.js";
import { decodeRpcStatus } from "../../../packages/spark-connect/src/client/rpc-status.js";
import { toSparkConnectError } from "../../../packages/spark-connect/src/client/error-conversion.js";
import { backoffMs, DEFAULT_RETRY_POLICY, withRetry } from "../../../packages/spark-connect/src/client/retry.js";

test("connection strings: host, port, default port, parameters, IPv6", () => {
  const plain = parseConnectionString("sc://127.0.0.1:15002");
  assert.equal(plain.address, "127.0.0.1:15002");
  assert.equal(plain.useSsl, false);
  assert.equal(parseConnectionString("sc://spark").port, 15002);
  const withParams = parseConnectionString("sc://h:1/;user_id=ann;session_id=0b5a3e1c-4d2f-4f6a-9b1e-2c3d4e5f6a7b;x-extra=1");
  assert.equal(withParams.userId, "ann");
  assert.equal(withParams.sessionId, "0b5a3e1c-4d2f-4f6a-9b1e-2c3d4e5f6a7b");
  assert.deepEqual(withParams.headers, { "x-extra": "1" });
  assert.equal(parseConnectionString("sc://h/;token=abc").useSsl, true, "a token implies TLS, as in Spark");
  assert.equal(parseConnectionString("sc://[::1]:9").address, "[::1]:9");
  assert.throws(() => parseConnectionString("http://h:1"), /scheme must be "sc".*sc:\/\/127\.0\.0\.1:15002/);
  assert.throws(() => parseConnectionString("sc://h:99999"), /port 99999 is out of range/);
  assert.throws(() => parseConnectionString("sc://h/;session_id=nope"), /session_id "nope" is not a UUID/);
  assert.throws(() => parseConnectionString("sc://h/;novalue"), /not key=value/);
});

/** Encodes google.rpc.Status{code, message, details:[Any(ErrorInfo)]} as a server would. */
function statusBytes(reason: string, metadata: Record<string, string>): Uint8Array {
  const info = new BinaryWriter().tag(1, 2).string(reason).tag(2, 2).string("org.apache.spark");
  for (const [key, value] of Object.entries(metadata)) info.tag(3, 2).bytes(new BinaryWriter().tag(1, 2).string(key).tag(2, 2).string(value).finish());
  const any = new BinaryWriter().tag(1, 2).string("type.googleapis.com/google.rpc.ErrorInfo").tag(2, 2).bytes(info.finish()).finish();
  return new BinaryWriter().tag(1, 0).int32(13).tag(2, 2).string("boom").tag(3, 2).bytes(any).finish();
}

function serviceError(code: grpc.status, details: string, trailer?: Uint8Array): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  if (trailer) metadata.set("grpc-status-details-bin", Buffer.from(trailer));
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata });
}

test("the rich error trailer decodes to ErrorInfo", () => {
  const status = decodeRpcStatus(statusBytes("org.apache.spark.sql.AnalysisException", { errorClass: "X", sqlState: "42000" }));
  assert.equal(status.code, 13);
  assert.equal(status.message, "boom");
  assert.deepEqual(status.errorInfo, { reason: "org.apache.spark.sql.AnalysisException", domain: "org.apache.spark", metadata: { errorClass: "X", sqlState: "42000" } });
});

test("server errors map to typed errors with class, SQLSTATE and parameters", async () => {
  const metadata = {
    classes: JSON.stringify(["org.apache.spark.sql.catalyst.parser.ParseException", "org.apache.spark.sql.AnalysisException"]),
    errorClass: "PARSE_SYNTAX_ERROR",
    sqlState: "42601",
    messageParameters: JSON.stringify({ error: "'selec'" }),
  };
  const error = await toSparkConnectError(serviceError(grpc.status.INTERNAL, "[PARSE_SYNTAX_ERROR] …", statusBytes("x", metadata)), "h:1");
  assert.ok(error instanceof ParseException && error instanceof AnalysisException);
  assert.equal(error.errorClass, "PARSE_SYNTAX_ERROR");
  assert.equal(error.sqlState, "42601");
  assert.deepEqual(error.messageParameters, { error: "'selec'" });
  assert.equal(error.grpcCode, grpc.status.INTERNAL);
  assert.equal(error.canRetry, false);

  const streaming = await toSparkConnectError(
    serviceError(grpc.status.INTERNAL, "failed", statusBytes("org.apache.spark.sql.streaming.StreamingQueryException", {})),
    "h:1",
  );
  assert.ok(streaming instanceof StreamingQueryException);
});

test("UNAVAILABLE names the address and is retryable; other transport errors are plain", async () => {
  const down = await toSparkConnectError(serviceError(grpc.status.UNAVAILABLE, "No connection established"), "127.0.0.1:15002");
  assert.ok(down instanceof SparkConnectionError);
  assert.equal(down.address, "127.0.0.1:15002");
  assert.match(down.message, /Cannot reach the Spark Connect server at 127\.0\.0\.1:15002/);
  assert.equal(down.canRetry, true);
  const other = await toSparkConnectError(serviceError(grpc.status.PERMISSION_DENIED, "no"), "h:1");
  assert.equal(other.constructor, SparkConnectError);
  assert.match(other.message, /PERMISSION_DENIED/);
});

test("retries only retryable errors, up to maxRetries", async () => {
  const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 3 };
  const waits: number[] = [];
  const fakeSleep = async (ms: number): Promise<void> => void waits.push(ms);
  let calls = 0;
  const result = await withRetry(
    policy,
    async () => {
      calls += 1;
      if (calls < 3) throw new SparkConnectError("down", { canRetry: true });
      return "ok";
    },
    fakeSleep,
  );
  assert.equal(result, "ok");
  assert.equal(calls, 3);
  assert.deepEqual(waits, [50, 200], "PySpark's schedule: 50 ms, then ×4");

  calls = 0;
  await assert.rejects(
    withRetry(policy, async () => {
      calls += 1;
      throw new SparkConnectError("bad query");
    }, fakeSleep),
    /bad query/,
  );
  assert.equal(calls, 1, "a non-retryable error is not repeated");

  calls = 0;
  await assert.rejects(
    withRetry(policy, async () => {
      calls += 1;
      throw new SparkConnectError("still down", { canRetry: true });
    }, fakeSleep),
    /still down/,
  );
  assert.equal(calls, 4, "first attempt plus maxRetries");
});

test("the default policy waits minutes in total, jitters long waits only, and honours RetryInfo", () => {
  const noJitter = (): number => 0;
  const fullJitter = (): number => 0.999;
  const schedule = Array.from({ length: DEFAULT_RETRY_POLICY.maxRetries }, (_, attempt) => backoffMs(DEFAULT_RETRY_POLICY, attempt, undefined, noJitter));
  assert.deepEqual(schedule.slice(0, 7), [50, 200, 800, 3_200, 12_800, 51_200, 60_000]);
  const totalMs = schedule.reduce((a, b) => a + b, 0);
  assert.ok(totalMs >= 4 * 60_000 && totalMs <= 6 * 60_000, `about five minutes in total, got ${totalMs} ms`);
  assert.equal(backoffMs(DEFAULT_RETRY_POLICY, 1, undefined, fullJitter), 200, "no jitter below the 2 s threshold");
  const jittered = backoffMs(DEFAULT_RETRY_POLICY, 3, undefined, fullJitter);
  assert.ok(jittered > 3_200 && jittered < 3_700, `up to 500 ms of jitter on a long wait, got ${jittered}`);
  const asked = new SparkConnectError("busy", { canRetry: true, retryDelayMs: 7_000 });
  assert.equal(backoffMs(DEFAULT_RETRY_POLICY, 0, asked, noJitter), 7_000, "the server's delay wins when longer");
  const huge = new SparkConnectError("busy", { canRetry: true, retryDelayMs: 3_600_000 });
  assert.equal(backoffMs(DEFAULT_RETRY_POLICY, 0, huge, noJitter), DEFAULT_RETRY_POLICY.maxServerRetryDelayMs, "capped");
});

/** google.rpc.Status{code, message, details:[Any(RetryInfo{retry_delay: Duration})]}. */
function retryInfoStatus(code: number, seconds: number, nanos: number): Uint8Array {
  const duration = new BinaryWriter().tag(1, 0).int64(seconds).tag(2, 0).int32(nanos).finish();
  const retryInfo = new BinaryWriter().tag(1, 2).bytes(duration).finish();
  const any = new BinaryWriter().tag(1, 2).string("type.googleapis.com/google.rpc.RetryInfo").tag(2, 2).bytes(retryInfo).finish();
  return new BinaryWriter().tag(1, 0).int32(code).tag(2, 2).string("busy").tag(3, 2).bytes(any).finish();
}

test("RetryInfo and INVALID_CURSOR.DISCONNECTED make an error retryable", async () => {
  assert.equal(decodeRpcStatus(retryInfoStatus(14, 2, 500_000_000)).retryDelayMs, 2_500);
  const busy = await toSparkConnectError(serviceError(grpc.status.RESOURCE_EXHAUSTED, "busy", retryInfoStatus(8, 3, 0)), "h:1");
  assert.equal(busy.canRetry, true);
  assert.equal(busy.retryDelayMs, 3_000);
  const cursor = await toSparkConnectError(serviceError(grpc.status.INTERNAL, "[INVALID_CURSOR.DISCONNECTED] The cursor was disconnected"), "h:1");
  assert.equal(cursor.canRetry, true);
  const cursorInfo = await toSparkConnectError(
    serviceError(grpc.status.INTERNAL, "cursor", statusBytes("org.apache.spark.SparkSQLException", { errorClass: "INVALID_CURSOR.DISCONNECTED" })),
    "h:1",
  );
  assert.equal(cursorInfo.canRetry, true);
  const plain = await toSparkConnectError(serviceError(grpc.status.INTERNAL, "boom"), "h:1");
  assert.equal(plain.canRetry, false);
});
