/**
 * The reattach state machine of `SparkConnectClient.execute`, driven through a scripted fake
 * transport: cut streams, streams the server ends early, ALREADY_EXISTS, NOT_FOUND, empty
 * reattaches, the retry budget and aborts. Each script step answers one server-stream call.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { create, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { SparkConnectError, SparkConnectionError } from "spark-connect-ts";
import { parseConnectionString, SparkConnectClient, type CallOptions, type RpcTransport } from "../../../packages/spark-connect/src/internal.js";
import { DEFAULT_RETRY_POLICY } from "../../../packages/spark-connect/src/client/retry.js";
import {
  ExecutePlanResponseSchema,
  PlanSchema,
  type ExecutePlanRequest,
  type ExecutePlanResponse,
  type ReattachExecuteRequest,
} from "../../../packages/spark-connect/src/gen/spark/connect/base_pb.js";

type Step = (options: CallOptions) => AsyncGenerator<ExecutePlanResponse>;
interface Call {
  readonly method: string;
  readonly request: ExecutePlanRequest | ReattachExecuteRequest | { operationId?: string; interrupt?: { value?: unknown } };
}

function response(id: string, complete = false): ExecutePlanResponse {
  return create(ExecutePlanResponseSchema, {
    responseId: id,
    responseType: complete ? { case: "resultComplete", value: {} } : { case: "sqlCommandResult", value: {} },
  });
}

function unavailable(): grpc.ServiceError {
  return Object.assign(new Error("14 UNAVAILABLE: connection reset"), { code: grpc.status.UNAVAILABLE, details: "connection reset", metadata: new grpc.Metadata() });
}

function serverError(errorClass: string): SparkConnectError {
  return new SparkConnectError(`[${errorClass}]`, { errorClass });
}

/** Yields `responses`, then throws `error` (a cut stream) or just ends (the server closed it). */
function stream(responses: readonly ExecutePlanResponse[], error?: unknown): Step {
  return async function* () {
    for (const item of responses) yield item;
    if (error !== undefined) throw error;
  };
}

class FakeTransport implements RpcTransport {
  readonly calls: Call[] = [];
  readonly #script: Step[];

  constructor(script: Step[]) {
    this.#script = [...script];
  }

  async unary<I extends DescMessage, O extends DescMessage>(method: string, _input: I, output: O, request: MessageShape<I>): Promise<MessageShape<O>> {
    this.calls.push({ method, request: request as Call["request"] });
    return create(output) as MessageShape<O>;
  }

  serverStream<I extends DescMessage, O extends DescMessage>(method: string, _i: I, _o: O, request: MessageShape<I>, options: CallOptions = {}): AsyncIterable<MessageShape<O>> {
    this.calls.push({ method, request: request as Call["request"] });
    const step = this.#script.shift();
    if (!step) throw new Error(`the script has no answer for call ${this.calls.length} (${method})`);
    return step(options) as AsyncIterable<MessageShape<O>>;
  }

  async clientStream<I extends DescMessage, O extends DescMessage>(method: string, _input: I, output: O, requests: Iterable<MessageShape<I>>): Promise<MessageShape<O>> {
    for (const request of requests) this.calls.push({ method, request: request as Call["request"] });
    return create(output) as MessageShape<O>;
  }

  close(): void {}

  streamCalls(): { method: string; operationId: string; lastResponseId: string | undefined }[] {
    return this.calls
      .filter((call) => call.method === "ExecutePlan" || call.method === "ReattachExecute")
      .map((call) => {
        const request = call.request as { operationId?: string; lastResponseId?: string };
        return { method: call.method, operationId: request.operationId ?? "", lastResponseId: request.lastResponseId };
      });
  }
}

function client(transport: FakeTransport, waits: number[] = [], maxRetries = DEFAULT_RETRY_POLICY.maxRetries): SparkConnectClient {
  return new SparkConnectClient(parseConnectionString("sc://fake:1"), transport, {
    retryPolicy: { ...DEFAULT_RETRY_POLICY, maxRetries },
    sleep: async (ms) => void waits.push(ms),
  });
}

async function drain(responses: AsyncIterable<ExecutePlanResponse>): Promise<string[]> {
  const seen: string[] = [];
  for await (const item of responses) seen.push(item.responseId);
  return seen;
}

const plan = create(PlanSchema, {});

test("a cut stream reattaches after the last response it saw, and each response arrives once", async () => {
  const fake = new FakeTransport([stream([response("r1"), response("r2")], unavailable()), stream([response("r3"), response("done", true)])]);
  const waits: number[] = [];
  assert.deepEqual(await drain(client(fake, waits).execute(plan)), ["r1", "r2", "r3", "done"]);
  const [first, second] = fake.streamCalls();
  assert.equal(first?.method, "ExecutePlan");
  assert.deepEqual(second, { method: "ReattachExecute", operationId: first?.operationId, lastResponseId: "r2" });
  assert.deepEqual(waits, [50], "one backoff before reattaching");
  assert.ok(fake.calls.some((call) => call.method === "ReleaseExecute"), "the finished operation is released");
});

test("a stream the server ends early is reattached, also when a reattach brings nothing", async () => {
  const fake = new FakeTransport([stream([response("r1")]), stream([]), stream([]), stream([response("done", true)])]);
  const waits: number[] = [];
  assert.deepEqual(await drain(client(fake, waits).execute(plan)), ["r1", "done"]);
  assert.deepEqual(
    fake.streamCalls().map((call) => [call.method, call.lastResponseId]),
    [
      ["ExecutePlan", undefined],
      ["ReattachExecute", "r1"],
      ["ReattachExecute", "r1"],
      ["ReattachExecute", "r1"],
    ],
  );
  assert.deepEqual(waits, [], "a server-side close is not a failure: no backoff");
});

test("ALREADY_EXISTS on a repeated ExecutePlan means the first one arrived: reattach to it", async () => {
  const fake = new FakeTransport([
    stream([], unavailable()),
    stream([], serverError("INVALID_HANDLE.OPERATION_ALREADY_EXISTS")),
    stream([response("r1"), response("done", true)]),
  ]);
  assert.deepEqual(await drain(client(fake).execute(plan)), ["r1", "done"]);
  const calls = fake.streamCalls();
  assert.deepEqual(
    calls.map((call) => call.method),
    ["ExecutePlan", "ExecutePlan", "ReattachExecute"],
  );
  assert.equal(new Set(calls.map((call) => call.operationId)).size, 1, "one operation id throughout");
  assert.equal(calls[2]?.lastResponseId, undefined, "nothing seen yet: reattach from the start");
});

test("NOT_FOUND before any response means the operation never started: run it afresh under a new id", async () => {
  const fake = new FakeTransport([stream([]), stream([], serverError("INVALID_HANDLE.OPERATION_NOT_FOUND")), stream([response("done", true)])]);
  assert.deepEqual(await drain(client(fake).execute(plan)), ["done"]);
  const [first, reattach, again] = fake.streamCalls();
  assert.deepEqual([first?.method, reattach?.method, again?.method], ["ExecutePlan", "ReattachExecute", "ExecutePlan"]);
  assert.equal(reattach?.operationId, first?.operationId);
  assert.notEqual(again?.operationId, first?.operationId, "a new operation, not a duplicate of a lost one");
});

test("NOT_FOUND after responses were seen fails: re-running would repeat them", async () => {
  const fake = new FakeTransport([stream([response("r1")], unavailable()), stream([], serverError("INVALID_HANDLE.OPERATION_NOT_FOUND"))]);
  await assert.rejects(drain(client(fake).execute(plan)), (error: unknown) => error instanceof SparkConnectError && error.errorClass === "INVALID_HANDLE.OPERATION_NOT_FOUND");
});

test("the retry budget bounds a server that stays away, with PySpark's backoff", async () => {
  const fake = new FakeTransport(Array.from({ length: 4 }, () => stream([], unavailable())));
  const waits: number[] = [];
  await assert.rejects(drain(client(fake, waits, 3).execute(plan)), SparkConnectionError);
  assert.equal(fake.streamCalls().length, 4, "the first attempt and three retries");
  assert.deepEqual(waits, [50, 200, 800]);
});

test("a response resets the budget: a long call survives any number of separate cuts", async () => {
  const cut = (id: string): Step => stream([response(id)], unavailable());
  const fake = new FakeTransport([cut("r1"), cut("r2"), cut("r3"), cut("r4"), stream([response("done", true)])]);
  const waits: number[] = [];
  assert.deepEqual(await drain(client(fake, waits, 1).execute(plan)), ["r1", "r2", "r3", "r4", "done"]);
  assert.deepEqual(waits, [50, 50, 50, 50]);
});

test("a non-retryable server error fails at once", async () => {
  const fake = new FakeTransport([stream([], serverError("TABLE_OR_VIEW_NOT_FOUND"))]);
  await assert.rejects(drain(client(fake).execute(plan)), /TABLE_OR_VIEW_NOT_FOUND/);
  assert.equal(fake.streamCalls().length, 1);
});

test("aborting cancels the stream and interrupts the operation on the server", async () => {
  const controller = new AbortController();
  const hanging: Step = async function* (options) {
    yield response("r1");
    // As grpc-js does: a cancelled call ends its stream with an error.
    if (options.signal?.aborted) throw new Error("cancelled");
    await new Promise((_, reject) => options.signal?.addEventListener("abort", () => reject(new Error("cancelled")), { once: true }));
  };
  const fake = new FakeTransport([hanging]);
  const responses = client(fake).execute(plan, { signal: controller.signal });
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const item of responses) {
        seen.push(item.responseId);
        controller.abort(new Error("user gave up"));
      }
    })(),
    /user gave up/,
  );
  assert.deepEqual(seen, ["r1"]);
  const interrupt = fake.calls.find((call) => call.method === "Interrupt");
  assert.ok(interrupt, "an Interrupt was sent");
  assert.equal((interrupt.request as { interrupt: { value: string } }).interrupt.value, fake.streamCalls()[0]?.operationId);
  assert.equal(fake.streamCalls().length, 1, "no reattach after an abort");
});

test("an already-aborted signal runs nothing", async () => {
  const fake = new FakeTransport([]);
  await assert.rejects(drain(client(fake).execute(plan, { signal: AbortSignal.abort(new Error("too late")) })), /too late/);
  assert.equal(fake.calls.length, 0);
});

test("close releases the server session, close without release only closes the channel", async () => {
  const released = new FakeTransport([]);
  await client(released).close();
  assert.deepEqual(released.calls.map((call) => call.method), ["ReleaseSession"]);
  const kept = new FakeTransport([]);
  await client(kept).close({ release: false });
  assert.deepEqual(kept.calls, [], "the session stays on the server for another client to attach to");
});
