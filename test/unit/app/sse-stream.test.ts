import { test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { SseStream } from "../../../src/app/routes/sse-stream.js";

/** A connection whose reader never reads: nothing written ever leaves the buffer. */
const stalled = (): Writable => new Writable({ highWaterMark: 16, write: () => undefined });

test("a page that stops reading is dropped once its buffer passes the bound, not buffered for ever", () => {
  const sink = stalled();
  const stream = new SseStream(sink, 1_000);
  stream.retry(2000);
  for (let i = 0; i < 5; i++) stream.send("risk", { i, padding: "x".repeat(100) }, `0:${i}`);
  assert.equal(stream.dropped, false);
  assert.ok(sink.writableLength < 1_000);
  for (let i = 5; i < 50; i++) stream.send("risk", { i, padding: "x".repeat(100) }, `0:${i}`);
  assert.equal(stream.dropped, true);
  assert.equal(sink.destroyed, true);
  assert.ok(sink.writableLength <= 1_000, `${sink.writableLength} bytes held`);
});

test("events are framed as Server-Sent Events, the id before the event", () => {
  const chunks: string[] = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => void (chunks.push(String(chunk)), done()) });
  const stream = new SseStream(sink, 1_000);
  stream.send("history", [], "0:7,1:3");
  stream.comment("keep-alive");
  assert.deepEqual(chunks, ['id: 0:7,1:3\nevent: history\ndata: []\n\n', ": keep-alive\n\n"]);
});
