/**
 * What must survive: the CDC source killed mid-burst, Redis restarted, Kafka away for 10 s, a first
 * start on existing data. These kill and restart services, so they run their own Redis (:16390)
 * and Kafka (:19192/:19193) in a temporary runtime folder, never the shared stack.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { after, before, test, type TestContext } from "node:test";
import { Redis } from "ioredis";
import { loadConfig, type StediConfig } from "../../../src/config.js";
import { serviceDown, serviceUp } from "../../../src/stack/stack.js";
import { b64, createTopic, keyed, startCdc, tempDir, TopicReader, unique, type TopicRecord } from "./cdc-harness.js";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { tmpdir } from "node:os";

let home: string;
let env: Record<string, string>;
let config: StediConfig;
const quiet = (): void => undefined;

before(async () => {
  home = await mkdtemp(join(tmpdir(), "stedi-cdc-recovery-"));
  env = {
    ...(process.env as Record<string, string>),
    STEDI_HOME: home,
    STEDI_EXTERNAL: "",
    REDIS_PORT: "16390",
    KAFKA_BROKER: "127.0.0.1:19192",
    KAFKA_CONTROLLER_PORT: "19193",
  };
  config = loadConfig(env);
  await serviceUp(config, "redis", quiet);
  await serviceUp(config, "kafka", quiet);
});

after(async () => {
  await serviceDown(config, "kafka", quiet, { kill: true });
  await serviceDown(config, "redis", quiet, { kill: true });
  await rm(home, { recursive: true, force: true });
});

function redisClient(t: TestContext, db = 0): Redis {
  const client = new Redis({ host: "127.0.0.1", port: config.redis.port, db, maxRetriesPerRequest: null });
  client.on("error", () => undefined);
  t.after(() => client.quit().catch(() => undefined));
  return client;
}

/** Sequence numbers per key, from ZADD records whose members are `<seq>`. */
function sequences(records: readonly TopicRecord[], prefix: string): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const record of keyed(records, prefix)) {
    const value = JSON.parse(record.value) as { zSetEntries?: { element: string }[] };
    for (const entry of value.zSetEntries ?? []) {
      const list = byKey.get(record.key!.toString()) ?? [];
      list.push(Number(Buffer.from(entry.element, "base64").toString()));
      byKey.set(record.key!.toString(), list);
    }
  }
  return byKey;
}

/** Every 0…count-1 present; per key the first occurrences ascend; returns how many duplicates there were. */
function assertAllInOrder(byKey: Map<string, number[]>, keys: number, count: number): number {
  let total = 0;
  let duplicates = 0;
  const seen = new Set<number>();
  for (const list of byKey.values()) {
    let last = -Infinity;
    for (const seq of list) {
      total++;
      if (seen.has(seq)) {
        duplicates++;
        continue;
      }
      seen.add(seq);
      assert.ok(seq > last, `per-key order: ${seq} came after ${last}`);
      last = seq;
    }
  }
  const missing = [];
  for (let seq = 0; seq < count && missing.length < 10; seq++) if (!seen.has(seq)) missing.push(seq);
  assert.deepEqual(missing, [], `every write is in the topic (${seen.size} of ${count} distinct, ${total} records)`);
  assert.equal(byKey.size, keys);
  return duplicates;
}

const distinct = (records: readonly TopicRecord[], prefix: string): number => new Set([...sequences(records, prefix).values()].flat()).size;

test("a fresh start on existing data publishes a snapshot in the redis-server format, then the stream", { timeout: 120_000 }, async (t) => {
  const prefix = unique("snap");
  const redis = redisClient(t);
  const k = (name: string): string => `${prefix}:${name}`;
  const big = Array.from({ length: 300 }, (_, i) => [i, `member-${i}`]).flat();
  await redis.zadd(k("zsmall"), 1, "a", 2, "b");
  await redis.zadd(k("zbig"), ...big); // skiplist encoding
  await redis.sadd(k("ints"), 1, 2, 3); // intset
  await redis.sadd(k("strs"), "x", "y");
  await redis.hset(k("h"), "f", "v", "n", "12345");
  await redis.hset(k("hbig"), Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`f${i}`, `v${i}`])));
  await redis.rpush(k("l"), "1", "two", "three");
  await redis.set(k("int"), "12345");
  await redis.set(k("long"), "z".repeat(5_000)); // LZF-compressed in the RDB
  await redis.set(k("ttl"), "v", "PX", 600_000);
  await redis.xadd(k("stream"), "*", "f", "v"); // no redis-server form: skipped, counted
  await redisClient(t, 1).set(k("secret"), "never published");

  const { source, topic } = await startCdc(t, { ...env, CDC_INCLUDE_KEYS: `${prefix}*` });
  const reader = await TopicReader.open(t, config.kafka.broker, topic);
  await redis.zadd(k("after"), 9, "later");
  const records = keyed(await reader.waitFor((all) => keyed(all, k("after")).length === 1, 30_000, "the write after the snapshot"), prefix);
  const byKey = (name: string) => records.filter((record) => record.key!.toString() === k(name)).map((record) => [record.command, JSON.parse(record.value)]);

  assert.deepEqual(byKey("zsmall"), [["ZADD", { key: b64(k("zsmall")), existType: "NONE", ch: false, incr: false, zSetEntries: [{ element: b64("a"), score: 1 }, { element: b64("b"), score: 2 }], zsetEntries: [{ element: b64("a"), score: 1 }, { element: b64("b"), score: 2 }] }]]);
  const zbig = byKey("zbig");
  assert.equal(zbig.length, 1, "one ZADD per sorted set");
  assert.deepEqual(
    (zbig[0]![1] as { zSetEntries: { element: string; score: number }[] }).zSetEntries.map((e) => [Buffer.from(e.element, "base64").toString(), e.score]),
    Array.from({ length: 300 }, (_, i) => [`member-${i}`, i]),
  );
  const members = (name: string) => ((byKey(name)[0]![1] as { members: string[] }).members.map((m) => Buffer.from(m, "base64").toString()).sort());
  assert.deepEqual(members("ints"), ["1", "2", "3"]);
  assert.deepEqual(members("strs"), ["x", "y"]);
  assert.deepEqual(byKey("h").map(([, value]) => [Buffer.from(value.field, "base64").toString(), Buffer.from(value.value, "base64").toString()]).sort(), [["f", "v"], ["n", "12345"]]);
  assert.equal(byKey("hbig").length, 600);
  assert.deepEqual(byKey("l"), [["RPUSH", { key: b64(k("l")), values: [b64("1"), b64("two"), b64("three")] }]]);
  assert.deepEqual(byKey("int"), [["SET", { key: b64(k("int")), value: b64("12345"), expiredType: "NONE", expiredValue: null, existType: "NONE" }]]);
  assert.equal(Buffer.from(byKey("long")[0]![1].value, "base64").toString(), "z".repeat(5_000));
  const [ttl] = byKey("ttl");
  assert.equal(ttl![1].xatType, "PXAT");
  assert.ok(Math.abs(ttl![1].xatValue - (Date.now() + 600_000)) < 60_000, "the expiry is the absolute deadline");
  assert.deepEqual(byKey("stream"), []);
  assert.deepEqual(byKey("secret"), []);
  assert.equal(source.stats().skipped.snapshotValues, 1, "the stream key is counted, not silently dropped");
  assert.equal(records.at(-1)!.key!.toString(), k("after"), "the stream follows the snapshot");
  assert.equal(source.stats().fullResyncs, 1);
});

/** `stedi cdc` as a child process, on the private stack, with its own topic and state. */
function spawnCdc(topic: string, stateFile: string): ChildProcess {
  const child = spawn(process.execPath, ["--conditions=spark-connect-ts-source", "--import", "tsx", "src/cli.ts", "cdc"], {
    env: { ...env, KAFKA_REDIS_TOPIC: topic, CDC_STATE_FILE: stateFile, LOG_LEVEL: process.env.CDC_TEST_LOG ?? "warn" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  return child;
}

test("50,000 ZADDs with the CDC killed (SIGKILL) in the middle and restarted: every write is in the topic, in order per key", { timeout: 300_000 }, async (t) => {
  const dir = await tempDir(t, "cdc-kill");
  const topic = unique("kill");
  await createTopic(config.kafka.broker, topic, 3);
  const prefix = unique("burst");
  const stateFile = join(dir, "state.json");
  const reader = await TopicReader.open(t, config.kafka.broker, topic);
  let child = spawnCdc(topic, stateFile);
  t.after(() => child.kill("SIGKILL"));
  const redis = redisClient(t);
  const COUNT = 50_000;
  const KEYS = 10;
  // Wait for the first start (snapshot of the private Redis) to be streaming before the burst.
  await redis.zadd(`${prefix}:warmup`, 0, "-1");
  await reader.waitFor((all) => keyed(all, `${prefix}:warmup`).length > 0, 60_000, "the CDC child to publish");
  const writing = (async () => {
    for (let start = 0; start < COUNT; start += 500) {
      const pipeline = redis.pipeline();
      for (let seq = start; seq < start + 500; seq++) pipeline.zadd(`${prefix}:${seq % KEYS}`, seq, String(seq));
      await pipeline.exec();
    }
  })();
  await reader.waitFor((all) => distinct(all, `${prefix}:`) >= COUNT / 3, 120_000, "a third of the burst in Kafka");
  child.kill("SIGKILL");
  await once(child, "exit");
  const atKill = distinct(reader.records, `${prefix}:`);
  process.stderr.write(`[cdc] state at kill: ${await readFile(stateFile, "utf8").catch(() => "none")}`);
  child = spawnCdc(topic, stateFile);
  await writing;
  await reader.waitFor((all) => distinct(all, `${prefix}:`) >= COUNT + 1, 180_000, `all ${COUNT} writes after the restart`);
  const duplicates = assertAllInOrder(sequences(reader.records, `${prefix}:`), KEYS + 1, COUNT);
  process.stderr.write(`[cdc] SIGKILL at ${atKill}/${COUNT} distinct writes published; after restart ${duplicates} duplicate record(s)\n`);
  child.kill("SIGTERM");
  const [code] = (await once(child, "exit")) as [number | null];
  assert.equal(code, 0, "stedi cdc exits cleanly on SIGTERM");
});

test("Redis restarted: the CDC reconnects, resyncs and nothing written is lost", { timeout: 180_000 }, async (t) => {
  const prefix = unique("rrestart");
  const { topic, source } = await startCdc(t, { ...env, CDC_INCLUDE_KEYS: `${prefix}*` });
  const reader = await TopicReader.open(t, config.kafka.broker, topic);
  const redis = redisClient(t);
  for (let seq = 0; seq < 1_000; seq++) await redis.zadd(`${prefix}:${seq % 4}`, seq, String(seq));
  await serviceDown(config, "redis", quiet);
  await serviceUp(config, "redis", quiet);
  for (let seq = 1_000; seq < 2_000; seq++) await redis.zadd(`${prefix}:${seq % 4}`, seq, String(seq));
  await reader.waitFor((all) => distinct(all, `${prefix}:`) >= 2_000, 60_000, "all 2,000 writes");
  const seen = new Set([...sequences(reader.records, `${prefix}:`).values()].flat());
  for (let seq = 0; seq < 2_000; seq++) assert.ok(seen.has(seq), `write ${seq} is in the topic`);
  assert.ok(source.stats().fullResyncs >= 2, "a restarted Redis has a new replication id: full resync with a snapshot");
});

test("Kafka stopped for 10 s during writes: nothing lost, order per key kept", { timeout: 240_000 }, async (t) => {
  const prefix = unique("kdown");
  const { topic, source } = await startCdc(t, { ...env, CDC_INCLUDE_KEYS: `${prefix}*` });
  const reader = await TopicReader.open(t, config.kafka.broker, topic);
  const redis = redisClient(t);
  const COUNT = 30_000;
  let written = 0;
  const writing = (async () => {
    // ~1,000 writes/s for 30 s.
    for (let start = 0; start < COUNT; start += 100) {
      const begun = Date.now();
      const pipeline = redis.pipeline();
      for (let seq = start; seq < start + 100; seq++) pipeline.zadd(`${prefix}:${seq % 7}`, seq, String(seq));
      await pipeline.exec();
      written = start + 100;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - begun))));
    }
  })();
  await reader.waitFor((all) => distinct(all, `${prefix}:`) >= 3_000, 60_000, "writes flowing before Kafka stops");
  await reader.close();
  await serviceDown(config, "kafka", quiet);
  const stoppedAt = written;
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  assert.ok(written - stoppedAt > 5_000, "Redis kept taking writes while Kafka was away");
  await serviceUp(config, "kafka", quiet);
  await writing;
  const again = await TopicReader.open(t, config.kafka.broker, topic);
  await again.waitFor((all) => distinct(all, `${prefix}:`) >= COUNT, 120_000, `all ${COUNT} writes once Kafka is back`);
  const duplicates = assertAllInOrder(sequences(again.records, `${prefix}:`), 7, COUNT);
  process.stderr.write(`[cdc] Kafka away 10 s: ${COUNT} writes, ${duplicates} duplicate record(s), buffered peak bounded by CDC_MAX_BUFFERED\n`);
  assert.ok(source.stats().buffered === 0);
});
