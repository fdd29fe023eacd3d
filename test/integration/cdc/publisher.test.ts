import { createServer, type AddressInfo, type Socket } from "node:net";
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { Publisher } from "../../../src/cdc/publisher.js";
import { createCdcLogger } from "../../../src/cdc/cdc-logger.js";
import type { ReplicaPosition } from "../../../src/cdc/replica/replica-state.js";
import { BROKER, createTopics, readToEnd } from "../../support/kafka.js";

// Regression: one item whose records add up to more than the broker's max.message.bytes (a large
// collection's snapshot) was retried forever as a single produce request.
test("an item larger than one produce request is sent in several, in order, and acknowledged once", { timeout: 60_000 }, async (t) => {
  const [topic] = await createTopics(t, "cdc-publisher", ["redis-server"]);
  const acked: ReplicaPosition[] = [];
  const publisher = new Publisher({ broker: BROKER, topic: topic!, clientId: "publisher-test", batchRecords: 5_000, maxBufferedRecords: 20_000, maxBufferedBytes: 64 * 1024 * 1024 }, createCdcLogger("silent"), (position) => acked.push(position));
  t.after(() => publisher.close());
  const records = Array.from({ length: 12 }, (_, index) => ({ command: "ZADD", key: Buffer.from("big"), value: `{"part":${index},"pad":"${"x".repeat(400_000)}"}` }));
  const position = { replid: "a".repeat(40), offset: 42, db: 0 };
  await publisher.push({ records, position });
  assert.equal(await publisher.flush(30_000), true, "everything is acknowledged");
  assert.deepEqual(acked, [position]);
  const published = await readToEnd(topic!);
  assert.deepEqual(published.map((record) => (JSON.parse(record.value) as { part: number }).part), records.map((_, index) => index));
});

// A Kafka that accepts connections and never answers: nothing is ever acknowledged.
async function silentBroker(t: TestContext): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test("while Kafka does not acknowledge, push pushes back once the buffered bytes reach their bound, whatever the record count", { timeout: 30_000 }, async (t) => {
  const broker = await silentBroker(t);
  const publisher = new Publisher({ broker, topic: "never-reached", clientId: "publisher-bytes-test", batchRecords: 5_000, maxBufferedRecords: 20_000, maxBufferedBytes: 1_000_000 }, createCdcLogger("silent"), () => assert.fail("nothing can be acknowledged"));
  t.after(() => publisher.close());
  const record = { command: "SET", key: Buffer.from("big"), value: "x".repeat(300_000) };
  const answers = Array.from({ length: 4 }, (_, index) => publisher.push({ records: [record], position: { replid: "b".repeat(40), offset: index, db: 0 } }));
  assert.deepEqual(
    answers.map((answer) => answer !== undefined),
    [false, false, false, true],
    "the 4th 300 kB record passes 1 MB: reading must wait",
  );
  assert.equal(publisher.buffered, 4);
  assert.ok(publisher.bufferedBytes >= 1_200_000, `bufferedBytes counts the values (${publisher.bufferedBytes})`);
  const waited = await Promise.race([answers[3]!.then(() => "room"), new Promise((resolve) => setTimeout(() => resolve("still waiting"), 1_500))]);
  assert.equal(waited, "still waiting", "no room appears while Kafka acknowledges nothing");
});
