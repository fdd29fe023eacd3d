/**
 * One Spark Connect session on the wire: executes plans as reattachable operations (so a long
 * call survives the server's stream limits and brief disconnects), analyses plans, reads and sets
 * configuration, interrupts operations, and releases the session. Safe calls are retried with
 * backoff (see retry.ts). It speaks to the server only through the `RpcTransport` it is given.
 */
import { randomUUID } from "node:crypto";
import { crc32 } from "node:zlib";
import { setTimeout as sleep } from "node:timers/promises";
import { create, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import {
  AddArtifactsRequestSchema,
  AddArtifactsResponseSchema,
  ArtifactStatusesRequestSchema,
  ArtifactStatusesResponseSchema,
  type AddArtifactsRequest,
  AnalyzePlanRequestSchema,
  AnalyzePlanResponseSchema,
  ConfigRequestSchema,
  ConfigResponseSchema,
  ExecutePlanRequestSchema,
  ExecutePlanResponseSchema,
  FetchErrorDetailsRequestSchema,
  FetchErrorDetailsResponseSchema,
  InterruptRequestSchema,
  InterruptRequest_InterruptType,
  InterruptResponseSchema,
  ReattachExecuteRequestSchema,
  ReleaseExecuteRequestSchema,
  ReleaseExecuteResponseSchema,
  ReleaseSessionRequestSchema,
  ReleaseSessionResponseSchema,
  type AnalyzePlanResponse,
  ConfigRequest_OperationSchema,
  type ConfigResponse,
  type ExecutePlanResponse,
  type FetchErrorDetailsResponse,
  type Plan,
  UserContextSchema,
  type UserContext,
} from "../gen/spark/connect/base_pb.js";
import { SparkConnectError } from "../errors.js";
import type { ConnectionTarget } from "./connection-string.js";
import { toSparkConnectError } from "./error-conversion.js";
import { backoffMs, DEFAULT_RETRY_POLICY, isRetryable, withRetry, type RetryPolicy, type Sleep } from "./retry.js";
import type { CallOptions, RpcTransport } from "./transport.js";

export const CLIENT_TYPE = `spark-connect-ts node/${process.versions.node}`;

export interface ClientOptions {
  readonly sessionId?: string | undefined;
  readonly userId?: string | undefined;
  readonly retryPolicy?: RetryPolicy | undefined;
  /** How the client waits between retries (tests pass a fake clock). */
  readonly sleep?: Sleep | undefined;
}

/** A file to upload to the session: its path on the server (`jars/x.jar`, `cache/<sha256>` …) and its bytes. */
export interface Artifact {
  readonly name: string;
  readonly data: Uint8Array;
}

/** Artifacts are sent in chunks of this size (well under the message limits of both ends). */
const ARTIFACT_CHUNK_BYTES = 1024 * 1024;

export interface ExecuteOptions {
  readonly tags?: readonly string[] | undefined;
  /** Aborting cancels the call and interrupts the operation on the server. */
  readonly signal?: AbortSignal | undefined;
  /** The operation id to use (a UUID); a new one by default. */
  readonly operationId?: string | undefined;
}

type AnalyzeCase = MessageInitShape<typeof AnalyzePlanRequestSchema>["analyze"];

export class SparkConnectClient {
  readonly target: ConnectionTarget;
  readonly sessionId: string;
  readonly retryPolicy: RetryPolicy;
  readonly #transport: RpcTransport;
  readonly #sleep: Sleep;
  readonly #userContext: UserContext;
  #serverSideSessionId: string | undefined;
  #closed = false;

  constructor(target: ConnectionTarget, transport: RpcTransport, options: ClientOptions = {}) {
    this.target = target;
    this.sessionId = options.sessionId ?? target.sessionId ?? randomUUID();
    this.retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.#transport = transport;
    this.#sleep = options.sleep ?? sleep;
    const userId = options.userId ?? target.userId ?? process.env.USER ?? "node";
    this.#userContext = create(UserContextSchema, { userId, userName: userId });
  }

  get closed(): boolean {
    return this.#closed;
  }

  #common(): { sessionId: string; userContext: UserContext; clientType: string; clientObservedServerSideSessionId?: string } {
    return {
      sessionId: this.sessionId,
      userContext: this.#userContext,
      clientType: CLIENT_TYPE,
      ...(this.#serverSideSessionId === undefined ? {} : { clientObservedServerSideSessionId: this.#serverSideSessionId }),
    };
  }

  #observe(serverSideSessionId: string): void {
    if (serverSideSessionId !== "") this.#serverSideSessionId = serverSideSessionId;
  }

  #ensureOpen(): void {
    if (this.#closed) throw new SparkConnectError("This SparkSession was stopped; create a new one with SparkSession.builder().", { errorClass: "SESSION_STOPPED" });
  }

  #convert(error: unknown): Promise<SparkConnectError> {
    return toSparkConnectError(error, this.target.address, (errorId) => this.fetchErrorDetails(errorId));
  }

  async #unary<I extends DescMessage, O extends DescMessage>(method: string, input: I, output: O, request: MessageShape<I>, options?: CallOptions): Promise<MessageShape<O>> {
    try {
      return await this.#transport.unary(method, input, output, request, options);
    } catch (error) {
      throw await this.#convert(error);
    }
  }

  /**
   * Runs a plan and yields every response. The operation is reattachable: when the server ends the
   * stream early (it caps stream duration) or the connection drops, the client reattaches from the
   * last response it saw, so callers see each response exactly once.
   */
  async *execute(plan: Plan, options: ExecuteOptions = {}): AsyncGenerator<ExecutePlanResponse> {
    this.#ensureOpen();
    options.signal?.throwIfAborted();
    let operationId = options.operationId ?? randomUUID();
    let lastResponseId: string | undefined;
    let reattach = false;
    let complete = false;
    let failures = 0;
    // The server keeps running an operation whose stream was cancelled: an abort also interrupts it.
    const onAbort = (): void => void this.interruptOperation(operationId).catch(() => undefined);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      while (!complete) {
        const stream = reattach
          ? this.#transport.serverStream(
              "ReattachExecute",
              ReattachExecuteRequestSchema,
              ExecutePlanResponseSchema,
              create(ReattachExecuteRequestSchema, { ...this.#common(), operationId, ...(lastResponseId === undefined ? {} : { lastResponseId }) }),
              { signal: options.signal },
            )
          : this.#transport.serverStream(
              "ExecutePlan",
              ExecutePlanRequestSchema,
              ExecutePlanResponseSchema,
              create(ExecutePlanRequestSchema, {
                ...this.#common(),
                operationId,
                plan,
                tags: [...(options.tags ?? [])],
                requestOptions: [{ requestOption: { case: "reattachOptions", value: { reattachable: true } } }],
              }),
              { signal: options.signal },
            );
        try {
          for await (const response of stream) {
            reattach = true;
            failures = 0;
            this.#observe(response.serverSideSessionId);
            lastResponseId = response.responseId;
            if (response.responseType.case === "resultComplete") complete = true;
            yield response;
          }
          // The stream ended without ResultComplete: the server closed it on purpose; reattach.
          reattach = true;
        } catch (raw) {
          if (options.signal?.aborted) throw options.signal.reason;
          const error = await this.#convert(raw);
          if (error.errorClass === "INVALID_HANDLE.OPERATION_ALREADY_EXISTS") {
            reattach = true; // an earlier attempt did reach the server
            continue;
          }
          if (error.errorClass === "INVALID_HANDLE.OPERATION_NOT_FOUND" && lastResponseId === undefined) {
            reattach = false; // the first attempt never arrived: run it afresh
            operationId = randomUUID();
            continue;
          }
          if (!isRetryable(error) || failures >= this.retryPolicy.maxRetries) throw error;
          await this.#sleep(backoffMs(this.retryPolicy, failures, error));
          failures += 1;
        }
      }
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      // Frees the server's buffered responses, and ends the operation if the caller gave up early.
      if (reattach) this.#releaseExecute(operationId);
    }
  }

  #releaseExecute(operationId: string): void {
    const request = create(ReleaseExecuteRequestSchema, { ...this.#common(), operationId, release: { case: "releaseAll", value: {} } });
    this.#transport
      .unary("ReleaseExecute", ReleaseExecuteRequestSchema, ReleaseExecuteResponseSchema, request)
      .catch(() => undefined); // best effort: the server also expires abandoned operations
  }

  analyze(analyze: AnalyzeCase): Promise<AnalyzePlanResponse> {
    this.#ensureOpen();
    const request = create(AnalyzePlanRequestSchema, { ...this.#common(), analyze });
    return withRetry(
      this.retryPolicy,
      async () => {
        const response = await this.#unary("AnalyzePlan", AnalyzePlanRequestSchema, AnalyzePlanResponseSchema, request);
        this.#observe(response.serverSideSessionId);
        return response;
      },
      this.#sleep,
    );
  }

  config(operation: MessageInitShape<typeof ConfigRequest_OperationSchema>["opType"]): Promise<ConfigResponse> {
    this.#ensureOpen();
    const request = create(ConfigRequestSchema, { ...this.#common(), operation: { opType: operation } });
    return withRetry(
      this.retryPolicy,
      async () => {
        const response = await this.#unary("Config", ConfigRequestSchema, ConfigResponseSchema, request);
        this.#observe(response.serverSideSessionId);
        return response;
      },
      this.#sleep,
    );
  }

  async fetchErrorDetails(errorId: string): Promise<FetchErrorDetailsResponse | undefined> {
    const request = create(FetchErrorDetailsRequestSchema, { ...this.#common(), errorId });
    return this.#transport.unary("FetchErrorDetails", FetchErrorDetailsRequestSchema, FetchErrorDetailsResponseSchema, request, {
      deadline: Date.now() + 10_000,
    });
  }

  /** Interrupts every running operation of this session. */
  async interruptAll(): Promise<string[]> {
    this.#ensureOpen();
    const request = create(InterruptRequestSchema, { ...this.#common(), interruptType: InterruptRequest_InterruptType.ALL });
    const response = await this.#unary("Interrupt", InterruptRequestSchema, InterruptResponseSchema, request);
    return response.interruptedIds;
  }

  /** Interrupts the running operations that carry `tag`; resolves to their ids. */
  async interruptTag(tag: string): Promise<string[]> {
    this.#ensureOpen();
    const request = create(InterruptRequestSchema, {
      ...this.#common(),
      interruptType: InterruptRequest_InterruptType.TAG,
      interrupt: { case: "operationTag", value: tag },
    });
    const response = await this.#unary("Interrupt", InterruptRequestSchema, InterruptResponseSchema, request);
    return response.interruptedIds;
  }

  /** Interrupts one operation by id; resolves to the ids interrupted (empty if it had ended). */
  async interruptOperation(operationId: string): Promise<string[]> {
    this.#ensureOpen();
    const request = create(InterruptRequestSchema, {
      ...this.#common(),
      interruptType: InterruptRequest_InterruptType.OPERATION_ID,
      interrupt: { case: "operationId", value: operationId },
    });
    const response = await this.#unary("Interrupt", InterruptRequestSchema, InterruptResponseSchema, request);
    return response.interruptedIds;
  }

  /**
   * Uploads artifacts to the session in one client stream: small ones batched together, large ones
   * in chunks, each with its CRC-32 so that the server can check what it got. Throws when the
   * server reports a CRC mismatch.
   */
  async addArtifacts(artifacts: readonly Artifact[]): Promise<void> {
    this.#ensureOpen();
    const requests = [...this.#artifactRequests(artifacts)];
    const response = await this.#clientStream("AddArtifacts", AddArtifactsRequestSchema, AddArtifactsResponseSchema, requests);
    this.#observe(response.serverSideSessionId);
    const damaged = response.artifacts.filter((summary) => !summary.isCrcSuccessful).map((summary) => summary.name);
    if (damaged.length > 0) throw new SparkConnectError(`the server received damaged artifacts (CRC mismatch): ${damaged.join(", ")}`);
  }

  *#artifactRequests(artifacts: readonly Artifact[]): Generator<AddArtifactsRequest> {
    const chunk = (data: Uint8Array): { data: Uint8Array; crc: bigint } => ({ data, crc: BigInt(crc32(data)) });
    let batch: Artifact[] = [];
    let batchBytes = 0;
    const flush = (): AddArtifactsRequest | undefined => {
      if (batch.length === 0) return undefined;
      const request = create(AddArtifactsRequestSchema, {
        ...this.#common(),
        payload: { case: "batch", value: { artifacts: batch.map(({ name, data }) => ({ name, data: chunk(data) })) } },
      });
      batch = [];
      batchBytes = 0;
      return request;
    };
    for (const artifact of artifacts) {
      if (artifact.data.byteLength <= ARTIFACT_CHUNK_BYTES) {
        if (batchBytes + artifact.data.byteLength > ARTIFACT_CHUNK_BYTES) {
          const full = flush();
          if (full) yield full;
        }
        batch.push(artifact);
        batchBytes += artifact.data.byteLength;
        continue;
      }
      const full = flush();
      if (full) yield full;
      const numChunks = Math.ceil(artifact.data.byteLength / ARTIFACT_CHUNK_BYTES);
      const slice = (index: number): Uint8Array => artifact.data.subarray(index * ARTIFACT_CHUNK_BYTES, (index + 1) * ARTIFACT_CHUNK_BYTES);
      yield create(AddArtifactsRequestSchema, {
        ...this.#common(),
        payload: {
          case: "beginChunk",
          value: { name: artifact.name, totalBytes: BigInt(artifact.data.byteLength), numChunks: BigInt(numChunks), initialChunk: chunk(slice(0)) },
        },
      });
      for (let index = 1; index < numChunks; index += 1) {
        yield create(AddArtifactsRequestSchema, { ...this.#common(), payload: { case: "chunk", value: chunk(slice(index)) } });
      }
    }
    const last = flush();
    if (last) yield last;
  }

  /** Which of the named artifacts the session already holds (only `cache/<hash>` names are answered by the server). */
  async artifactStatuses(names: readonly string[]): Promise<Record<string, boolean>> {
    this.#ensureOpen();
    const request = create(ArtifactStatusesRequestSchema, { ...this.#common(), names: [...names] });
    const response = await withRetry(this.retryPolicy, () => this.#unary("ArtifactStatus", ArtifactStatusesRequestSchema, ArtifactStatusesResponseSchema, request), this.#sleep);
    this.#observe(response.serverSideSessionId);
    return Object.fromEntries(Object.entries(response.statuses).map(([name, status]) => [name, status.exists]));
  }

  async #clientStream<I extends DescMessage, O extends DescMessage>(method: string, input: I, output: O, requests: MessageShape<I>[]): Promise<MessageShape<O>> {
    try {
      return await this.#transport.clientStream(method, input, output, requests);
    } catch (error) {
      throw await this.#convert(error);
    }
  }

  /**
   * Closes the channel. With `release` (the default) the server session is released first, which
   * stops its streaming queries; without, the session stays on the server until it idles out, for
   * another client to attach to by its id.
   */
  async close({ release = true }: { release?: boolean } = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!release) {
      this.#transport.close();
      return;
    }
    const request = create(ReleaseSessionRequestSchema, { sessionId: this.sessionId, userContext: this.#userContext, clientType: CLIENT_TYPE });
    try {
      await this.#transport.unary("ReleaseSession", ReleaseSessionRequestSchema, ReleaseSessionResponseSchema, request, { deadline: Date.now() + 10_000 });
    } catch {
      // The server may already be gone; it expires idle sessions on its own.
    } finally {
      this.#transport.close();
    }
  }
}
