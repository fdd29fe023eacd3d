/** spark.streams.events(): listener bus events of a real query, as an async iterator. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { StreamingQueryListenerEvent } from "spark-connect-ts";
import { createSession } from "./harness.js";

test("listener events: progress of a running query, then its termination", async (t) => {
  const spark = await createSession(t);
  const seen: StreamingQueryListenerEvent[] = [];
  const stop = new AbortController();
  const listening = (async () => {
    for await (const event of spark.streams.events({ signal: stop.signal })) {
      seen.push(event);
      if (event.type === "terminated") return;
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the listener is registered
  const query = await spark.readStream.format("rate").option("rowsPerSecond", 10).load().writeStream.format("noop").trigger({ processingTime: "500 milliseconds" }).start();
  const deadline = Date.now() + 60_000;
  while (!seen.some((event) => event.type === "progress" && event.progress.id === query.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  await query.stop();
  await Promise.race([listening, new Promise((r) => setTimeout(r, 30_000))]);
  stop.abort();
  await listening.catch(() => undefined);
  const progress = seen.find((event) => event.type === "progress");
  assert.ok(progress && progress.type === "progress" && progress.progress.id === query.id, `a progress event of the query, saw ${JSON.stringify(seen.map((e) => e.type))}`);
  const terminated = seen.find((event) => event.type === "terminated");
  assert.ok(terminated && terminated.type === "terminated" && terminated.id === query.id && terminated.exception === null, "its termination, without exception");
});
