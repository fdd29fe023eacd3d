/**
 * Reattachable execution against the real server: a loopback TCP proxy sits between the client
 * and Spark Connect and cuts every connection in the middle of an operation. The client must
 * reconnect, reattach to the same operation and deliver the complete, unduplicated result.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, connect, type AddressInfo, type Socket } from "node:net";
import { test, type TestContext } from "node:test";
import { SparkSession, functions as F } from "spark-connect-ts";
import { REMOTE, uniqueName } from "./harness.js";

interface CuttingProxy {
  readonly remote: string;
  /** Bytes sent from the server to the client so far. */
  downstreamBytes(): number;
  /** Destroys every open connection (new ones are still accepted). */
  cut(): void;
  /** Cuts once, as soon as `bytes` have flowed from the server to the client. */
  cutAfter(bytes: number): void;
  cuts(): number;
}

async function cuttingProxy(t: TestContext): Promise<CuttingProxy> {
  const target = new URL(REMOTE.replace(/^sc:/, "http:"));
  const sockets = new Set<Socket>();
  let downstream = 0;
  let cutAt = Number.POSITIVE_INFINITY;
  let cuts = 0;
  const cut = (): void => {
    cuts += 1;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 15002), target.hostname);
    sockets.add(client).add(upstream);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk: Buffer) => {
      client.write(chunk);
      downstream += chunk.length;
      if (downstream >= cutAt) {
        cutAt = Number.POSITIVE_INFINITY;
        cut();
      }
    });
    for (const socket of [client, upstream]) {
      socket.on("error", () => undefined);
      socket.on("close", () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  return {
    remote: `sc://127.0.0.1:${port}`,
    downstreamBytes: () => downstream,
    cut,
    cutAfter: (bytes) => (cutAt = downstream + bytes),
    cuts: () => cuts,
  };
}

async function sessionThrough(t: TestContext, proxy: CuttingProxy): Promise<SparkSession> {
  const spark = await SparkSession.builder().remote(proxy.remote).retryPolicy({ initialBackoffMs: 50, maxRetries: 8 }).create();
  t.after(() => spark.stop());
  return spark;
}

test("a large collect survives a dropped connection mid-stream and returns every row once", { timeout: 120_000 }, async (t) => {
  const proxy = await cuttingProxy(t);
  const spark = await sessionThrough(t, proxy);
  const rows = 400_000;
  const df = spark.range(rows).select(F.col("id"), F.concat(F.lit("padding-to-make-batches-"), F.col("id")).alias("s"));
  await spark.version(); // connect first, so the cut lands inside the result stream
  proxy.cutAfter(2 * 1024 * 1024);
  const result = await df.collect<{ id: number; s: string }>();
  assert.equal(proxy.cuts(), 1, "the connection was cut during the collect");
  assert.equal(result.length, rows);
  for (let i = 0; i < rows; i += 1) {
    if (result[i]?.id !== i) assert.fail(`row ${i} is ${JSON.stringify(result[i])}: rows were lost, duplicated or reordered`);
  }
});

test("awaitTermination keeps waiting across dropped connections", { timeout: 120_000 }, async (t) => {
  const proxy = await cuttingProxy(t);
  const spark = await sessionThrough(t, proxy);
  const query = await spark.readStream.format("rate").load().writeStream.format("memory").queryName(uniqueName("reattach")).start();
  t.after(() => query.stop().catch(() => undefined));
  const cutter = setInterval(() => proxy.cut(), 1_500);
  t.after(() => clearInterval(cutter));
  const started = Date.now();
  assert.equal(await query.awaitTermination(5_000), false, "still running after the timeout");
  clearInterval(cutter);
  const waited = Date.now() - started;
  assert.ok(proxy.cuts() >= 2, `connections were cut ${proxy.cuts()} times`);
  assert.ok(waited >= 4_900 && waited < 30_000, `waited ${waited} ms for a 5 s timeout`);
  assert.equal(await query.isActive(), true);
  await query.stop();
  assert.equal(await query.isActive(), false);
});
