/**
 * The only place that touches @grpc/grpc-js: unary and server-streaming calls of the
 * SparkConnectService, with protobuf-es (de)serialisers. Everything above speaks messages, through
 * the small `RpcTransport` interface — so unit tests can script cut streams and server errors
 * with a fake one (as spark-connect-go's `SparkConnectClient` interface allows).
 */
import * as grpc from "@grpc/grpc-js";
import { fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import type { ConnectionTarget } from "./connection-string.js";

const SERVICE = "/spark.connect.SparkConnectService/";
/** Arrow batches may be large; Spark's own clients accept up to 128 MiB. */
const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

export interface CallOptions {
  /** Absolute deadline (ms since epoch); no deadline when absent. */
  readonly deadline?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The two call shapes the client needs; a failed call throws (a grpc ServiceError, or a SparkConnectError). */
export interface RpcTransport {
  unary<I extends DescMessage, O extends DescMessage>(method: string, input: I, output: O, request: MessageShape<I>, options?: CallOptions): Promise<MessageShape<O>>;
  serverStream<I extends DescMessage, O extends DescMessage>(
    method: string,
    input: I,
    output: O,
    request: MessageShape<I>,
    options?: CallOptions,
  ): AsyncIterable<MessageShape<O>>;
  /** A client stream: sends every request, then resolves to the one response. */
  clientStream<I extends DescMessage, O extends DescMessage>(
    method: string,
    input: I,
    output: O,
    requests: Iterable<MessageShape<I>>,
    options?: CallOptions,
  ): Promise<MessageShape<O>>;
  close(): void;
}

export class GrpcTransport implements RpcTransport {
  readonly #client: grpc.Client;
  readonly #metadata: grpc.Metadata;

  constructor(target: ConnectionTarget) {
    const credentials = target.useSsl ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
    this.#client = new grpc.Client(target.address, credentials, {
      "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
      "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
      // Detect a dead connection under a long call (awaitTermination), but ping no more often than
      // the server permits: Spark's Netty server allows one ping per 5 minutes and answers more
      // frequent ones with GOAWAY (too_many_pings), which drops every call on the connection.
      "grpc.keepalive_time_ms": 330_000,
      "grpc.keepalive_timeout_ms": 20_000,
    });
    this.#metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(target.headers)) this.#metadata.set(key, value);
    if (target.token !== undefined) this.#metadata.set("authorization", `Bearer ${target.token}`);
  }

  unary<I extends DescMessage, O extends DescMessage>(
    method: string,
    input: I,
    output: O,
    request: MessageShape<I>,
    options: CallOptions = {},
  ): Promise<MessageShape<O>> {
    return new Promise((resolve, reject) => {
      const call = this.#client.makeUnaryRequest(
        SERVICE + method,
        (message: MessageShape<I>) => Buffer.from(toBinary(input, message)),
        (bytes: Buffer) => fromBinary(output, bytes),
        request,
        this.#metadata.clone(),
        options.deadline === undefined ? {} : { deadline: options.deadline },
        (error, response) => (error || response === undefined ? reject(error) : resolve(response)),
      );
      options.signal?.addEventListener("abort", () => call.cancel(), { once: true });
    });
  }

  /** A server stream as an async iterable; a failed call throws the grpc ServiceError. */
  async *serverStream<I extends DescMessage, O extends DescMessage>(
    method: string,
    input: I,
    output: O,
    request: MessageShape<I>,
    options: CallOptions = {},
  ): AsyncGenerator<MessageShape<O>> {
    const call = this.#client.makeServerStreamRequest(
      SERVICE + method,
      (message: MessageShape<I>) => Buffer.from(toBinary(input, message)),
      (bytes: Buffer) => fromBinary(output, bytes),
      request,
      this.#metadata.clone(),
      options.deadline === undefined ? {} : { deadline: options.deadline },
    );
    const onAbort = (): void => call.cancel();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      for await (const message of call) yield message as MessageShape<O>;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      // Leaving the loop early (break, or an error above us) must not leave the call running.
      call.cancel();
    }
  }

  clientStream<I extends DescMessage, O extends DescMessage>(
    method: string,
    input: I,
    output: O,
    requests: Iterable<MessageShape<I>>,
    options: CallOptions = {},
  ): Promise<MessageShape<O>> {
    return new Promise((resolve, reject) => {
      const call = this.#client.makeClientStreamRequest(
        SERVICE + method,
        (message: MessageShape<I>) => Buffer.from(toBinary(input, message)),
        (bytes: Buffer) => fromBinary(output, bytes),
        this.#metadata.clone(),
        options.deadline === undefined ? {} : { deadline: options.deadline },
        (error, response) => (error || response === undefined ? reject(error) : resolve(response)),
      );
      options.signal?.addEventListener("abort", () => call.cancel(), { once: true });
      // Honour back-pressure, so that a large upload is not buffered whole in memory.
      const send = async (): Promise<void> => {
        for (const request of requests) {
          if (!call.write(request)) await new Promise((drained) => call.once("drain", drained));
        }
        call.end();
      };
      send().catch(reject);
    });
  }

  close(): void {
    this.#client.close();
  }
}

export function isServiceError(error: unknown): error is grpc.ServiceError {
  return error instanceof Error && typeof (error as Partial<grpc.ServiceError>).code === "number" && "metadata" in error;
}

export { status as GrpcStatus } from "@grpc/grpc-js";
