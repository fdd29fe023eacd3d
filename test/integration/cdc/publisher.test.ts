import { test } from "node:test";
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
  const publisher = new Publisher({ broker: BROKER, topic: topic!, clientId: "publisher-test", batchRecords: 5_000, maxBufferedRecords: 20_000 }, createCdcLogger("silent"), (position) => acked.push(position));
  t.after(() => publisher.close());
  const records = Array.from({ length: 12 }, (_, index) => ({ command: "ZADD", key: Buffer.from("big"), value: `{"part":${index},"pad":"${"x".repeat(400_000)}"}` }));
  const position = { replid: "a".repeat(40), offset: 42, db: 0 };
  await publisher.push({ records, position });
  assert.equal(await publisher.flush(30_000), true, "everything is acknowledged");
  assert.deepEqual(acked, [position]);
  const published = await readToEnd(topic!);
  assert.deepEqual(published.map((record) => (JSON.parse(record.value) as { part: number }).part), records.map((_, index) => index));
});
