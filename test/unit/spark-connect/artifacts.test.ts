/** Uploading artifacts: small ones share a batch, large ones go in CRC-checked chunks (a recording transport, no server). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { crc32 } from "node:zlib";
import { create, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { parseConnectionString, SparkConnectClient, type RpcTransport } from "../../../packages/spark-connect/src/internal.js";
import type { AddArtifactsRequest } from "../../../packages/spark-connect/src/gen/spark/connect/base_pb.js";

class RecordingTransport implements RpcTransport {
  readonly sent: AddArtifactsRequest[] = [];
  constructor(readonly damaged: string[] = []) {}
  async unary<I extends DescMessage, O extends DescMessage>(_m: string, _i: I, output: O): Promise<MessageShape<O>> {
    return create(output) as MessageShape<O>;
  }
  serverStream(): AsyncIterable<never> {
    throw new Error("not used");
  }
  async clientStream<I extends DescMessage, O extends DescMessage>(_m: string, _i: I, output: O, requests: Iterable<MessageShape<I>>): Promise<MessageShape<O>> {
    for (const request of requests) this.sent.push(request as unknown as AddArtifactsRequest);
    const names = this.sent.flatMap((r) => (r.payload.case === "batch" ? r.payload.value.artifacts.map((a) => a.name) : r.payload.case === "beginChunk" ? [r.payload.value.name] : []));
    return create(output, { artifacts: names.map((name) => ({ name, isCrcSuccessful: !this.damaged.includes(name) })) } as never) as MessageShape<O>;
  }
  close(): void {}
}

const clientOver = (transport: RpcTransport): SparkConnectClient => new SparkConnectClient(parseConnectionString("sc://127.0.0.1:1"), transport);

test("small artifacts share one batch request, each with its CRC-32", async () => {
  const transport = new RecordingTransport();
  const a = new TextEncoder().encode("first");
  const b = new Uint8Array(1000).fill(7);
  await clientOver(transport).addArtifacts([{ name: "files/a.txt", data: a }, { name: "jars/b.jar", data: b }]);
  assert.equal(transport.sent.length, 1);
  const [request] = transport.sent;
  assert.equal(request?.payload.case, "batch");
  const artifacts = request?.payload.case === "batch" ? request.payload.value.artifacts : [];
  assert.deepEqual(artifacts.map((artifact) => [artifact.name, artifact.data?.crc]), [["files/a.txt", BigInt(crc32(a))], ["jars/b.jar", BigInt(crc32(b))]]);
  assert.ok(request?.sessionId, "every request names the session");
});

test("a large artifact is sent as a begin chunk and follow-up chunks that reassemble to the bytes", async () => {
  const transport = new RecordingTransport();
  const big = new Uint8Array(2.5 * 1024 * 1024).map((_, index) => index % 251);
  await clientOver(transport).addArtifacts([{ name: "cache/abc", data: big }, { name: "files/small", data: new Uint8Array([1]) }]);
  const cases = transport.sent.map((r) => r.payload.case);
  assert.deepEqual(cases, ["beginChunk", "chunk", "chunk", "batch"]);
  const [begin, ...rest] = transport.sent;
  assert.ok(begin?.payload.case === "beginChunk");
  assert.equal(begin.payload.value.numChunks, 3n);
  assert.equal(begin.payload.value.totalBytes, BigInt(big.byteLength));
  const chunks = [begin.payload.value.initialChunk, ...rest.slice(0, 2).map((r) => (r.payload.case === "chunk" ? r.payload.value : undefined))];
  for (const chunk of chunks) assert.equal(chunk?.crc, BigInt(crc32(chunk?.data ?? new Uint8Array())));
  assert.deepEqual(Buffer.concat(chunks.map((chunk) => chunk?.data ?? new Uint8Array())), Buffer.from(big));
});

test("a CRC mismatch reported by the server is an error naming the artifact", async () => {
  const transport = new RecordingTransport(["jars/broken.jar"]);
  await assert.rejects(clientOver(transport).addArtifacts([{ name: "jars/broken.jar", data: new Uint8Array([1, 2]) }]), /damaged artifacts.*jars\/broken\.jar/);
});
