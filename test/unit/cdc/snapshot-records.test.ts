import assert from "node:assert/strict";
import { test } from "node:test";
import { snapshotRecords } from "../../../src/cdc/snapshot-records.js";

const b = (text: string): Buffer => Buffer.from(text);
const key = b("k");

test("a sorted set is one ZADD with all members; a TTL becomes PEXPIREAT after the data", () => {
  const records = snapshotRecords({ kind: "key", key, expireAtMs: 1_700_000_000_000n, value: { type: "zset", entries: [{ element: b("a"), score: 0 }, { element: b("b"), score: 1 }] } })!;
  assert.deepEqual(records.map((record) => record.command), ["ZADD", "PEXPIREAT"]);
  assert.equal(
    records[0]!.value,
    '{"key":"aw==","existType":"NONE","ch":false,"incr":false,"zSetEntries":[{"element":"YQ==","score":0.0},{"element":"Yg==","score":1.0}],"zsetEntries":[{"element":"YQ==","score":0.0},{"element":"Yg==","score":1.0}]}',
  );
  assert.equal(records[1]!.value, '{"key":"aw==","ex":1700000000000}');
});

test("strings keep their expiry as PXAT; hashes give one HSET per field; streams have no form", () => {
  assert.match(snapshotRecords({ kind: "key", key, expireAtMs: 5n, value: { type: "string", value: b("v") } })![0]!.value, /"xatType":"PXAT","xatValue":5\}$/);
  assert.equal(snapshotRecords({ kind: "key", key, expireAtMs: null, value: { type: "hash", pairs: [[b("f1"), b("1")], [b("f2"), b("2")]] } })!.length, 2);
  assert.equal(snapshotRecords({ kind: "key", key, expireAtMs: null, value: { type: "stream" } }), undefined);
});

test("a huge collection is cut into records Kafka accepts, all members kept in order", () => {
  const members = Array.from({ length: 20_000 }, (_, i) => b(`member-${i}-${"x".repeat(40)}`));
  const records = snapshotRecords({ kind: "key", key, expireAtMs: null, value: { type: "set", members } })!;
  assert.ok(records.length > 1);
  for (const record of records) assert.ok(record.value.length < 900_000, `${record.value.length} bytes`);
  const all = records.flatMap((record) => (JSON.parse(record.value) as { members: string[] }).members.map((m) => Buffer.from(m, "base64").toString()));
  assert.deepEqual(all, members.map(String));
});

// Regression: sorted-set chunks were sized for one entry array, but the ZADD format carries every
// entry twice (zSetEntries and zsetEntries), so each chunk came out near 1 MB and was set aside.
test("a huge sorted set is cut into ZADDs Kafka accepts, counting both entry arrays", () => {
  const entries = Array.from({ length: 5_000 }, (_, i) => ({ element: b(`{"startTime":${i},"stepPoints":[${"1234,".repeat(29)}1]}`), score: 0 }));
  const records = snapshotRecords({ kind: "key", key, expireAtMs: null, value: { type: "zset", entries } })!;
  assert.ok(records.length > 1);
  for (const record of records) assert.ok(record.value.length < 900_000, `${record.value.length} bytes`);
  const all = records.flatMap((record) => (JSON.parse(record.value) as { zSetEntries: { element: string }[] }).zSetEntries.map((entry) => Buffer.from(entry.element, "base64").toString()));
  assert.deepEqual(all, entries.map((entry) => entry.element.toString()));
});
