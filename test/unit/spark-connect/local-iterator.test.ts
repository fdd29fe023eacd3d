/** toLocalIterator pulls responses only as the loop asks (back-pressure), via a fake transport. */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as A from "apache-arrow";
import { create, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { SparkSession } from "spark-connect-ts";
import { parseConnectionString, SparkConnectClient, type RpcTransport } from "../../../packages/spark-connect/src/internal.js";
import { ExecutePlanResponseSchema, type ExecutePlanResponse } from "../../../packages/spark-connect/src/gen/spark/connect/base_pb.js";

function arrowResponse(id: string, values: bigint[]): ExecutePlanResponse {
  const table = new A.Table({ id: A.vectorFromArray(values, new A.Int64()) });
  return create(ExecutePlanResponseSchema, { responseId: id, responseType: { case: "arrowBatch", value: { rowCount: BigInt(values.length), data: A.tableToIPC(table, "stream") } } });
}

class CountingTransport implements RpcTransport {
  pulled = 0;
  readonly unaryMethods: string[] = [];
  constructor(readonly responses: ExecutePlanResponse[]) {}
  async unary<I extends DescMessage, O extends DescMessage>(method: string, _i: I, output: O): Promise<MessageShape<O>> {
    this.unaryMethods.push(method);
    return create(output) as MessageShape<O>;
  }
  serverStream<O extends DescMessage>(): AsyncIterable<MessageShape<O>> {
    return this.#stream() as AsyncIterable<MessageShape<O>>;
  }
  async *#stream(): AsyncGenerator<ExecutePlanResponse> {
    for (const response of this.responses) {
      this.pulled += 1;
      yield response;
    }
  }
  clientStream(): Promise<never> {
    return Promise.reject(new Error("toLocalIterator uploads nothing"));
  }
  close(): void {}
}

test("toLocalIterator reads the next response only when the loop asks, and releases on early exit", async () => {
  const done = create(ExecutePlanResponseSchema, { responseId: "end", responseType: { case: "resultComplete", value: {} } });
  const transport = new CountingTransport([arrowResponse("a", [0n, 1n]), arrowResponse("b", [2n, 3n]), arrowResponse("c", [4n]), done]);
  const spark = new SparkSession(new SparkConnectClient(parseConnectionString("sc://fake:1"), transport));
  const seen: unknown[] = [];
  for await (const row of spark.range(5).toLocalIterator()) {
    seen.push(row.id);
    if (seen.length === 3) {
      assert.equal(transport.pulled, 2, "only the batches the loop consumed were read");
      break;
    }
  }
  assert.deepEqual(seen, [0, 1, 2]);
  assert.equal(transport.pulled, 2);
  assert.ok(transport.unaryMethods.includes("ReleaseExecute"), "leaving early releases the operation");
});
