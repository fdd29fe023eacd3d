/**
 * The CDC source under injected faults, against the shared dev stack's Redis and Kafka: a Kafka
 * that stops answering, a half-open link to Redis, an unusable position file, a record that cannot
 * be set aside. Each test follows only its own keys, on its own topic and state file.
 */
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { createServer, connect, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { Redis } from "ioredis";
import { loadConfig } from "../../../src/config.js";
import { capturingLogger, createTopic, deleteTopic, keyed, startCdc, tempDir, TopicReader, unique } from "./cdc-harness.js";

const config = loadConfig();

function redisClient(t: TestContext): Redis {
  const client = new Redis({ host: config.redis.host, port: config.redis.port, password: config.redis.password, db: config.redis.db });
  t.after(() => client.quit());
  return client;
}

async function listen(t: TestContext, onConnection: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

async function storedOffset(file: string): Promise<number> {
  return (JSON.parse(await readFile(file, "utf8")) as { offset: number }).offset;
}

async function eventually(predicate: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("stop() ends within 10 s while Kafka accepts connections but never answers; the stored position stays at what Kafka has, and nothing is lost", { timeout: 120_000 }, async (t) => {
  const dir = await tempDir(t, "cdc-outage");
  const stateFile = join(dir, "state.json");
  const prefix = unique("k");
  const topic = unique("topic");
  await createTopic(config.kafka.broker, topic);
  t.after(() => deleteTopic(config.kafka.broker, topic));
  const env = { CDC_STATE_FILE: stateFile, CDC_INCLUDE_KEYS: `${prefix}*`, KAFKA_REDIS_TOPIC: topic };
  const redis = redisClient(t);
  const reader = await TopicReader.open(t, config.kafka.broker, topic);

  const first = await startCdc(t, env);
  await redis.set(`${prefix}:0`, "before the outage");
  await reader.waitFor((records) => keyed(records, prefix).length === 1, 15_000, "the write before the outage");
  await first.source.stop();
  const safe = await storedOffset(stateFile);

  // Kafka "away": a listener that takes the connection and never answers (requests hang until their timeout).
  const silentPort = await listen(t, () => undefined);
  const { log, lines } = capturingLogger();
  const during = await startCdc(t, { ...env, KAFKA_BROKER: `127.0.0.1:${silentPort}`, CDC_MAX_BUFFERED: "3" }, log);
  for (let index = 1; index <= 20; index++) await redis.set(`${prefix}:${index}`, `during the outage ${index}`);
  await eventually(() => during.source.stats().buffered >= 3, 10_000, "reading to pause on the full buffer");
  const started = Date.now();
  await during.source.stop();
  const stopMs = Date.now() - started;
  assert.ok(stopMs <= 10_000, `stop() took ${stopMs} ms`);
  assert.equal(await storedOffset(stateFile), safe, "nothing Kafka did not acknowledge is stored as done");
  assert.ok(lines.some((line) => /did not acknowledge everything in time/.test(String(line.msg))), "the stop says what will be published again");

  await startCdc(t, env);
  const records = keyed(await reader.waitFor((all) => keyed(all, prefix).length >= 21, 30_000, "every write of the outage after Kafka came back"), prefix);
  const keys = new Set(records.map((record) => record.key!.toString()));
  for (let index = 0; index <= 20; index++) assert.ok(keys.has(`${prefix}:${index}`), `${prefix}:${index} reached Kafka`);
  await redis.del(...Array.from({ length: 21 }, (_, index) => `${prefix}:${index}`));
});

test("a half-open link to Redis is noticed from the bytes received, although our ACKs still go out", { timeout: 60_000 }, async (t) => {
  // A proxy in front of Redis that can stop passing the master's bytes on one connection while
  // still accepting (and forwarding) what the replica sends: a half-open link.
  const links: { replication: boolean; frozen: boolean; sentWhileFrozen: number; closedByReplica: number | undefined }[] = [];
  const port = await listen(t, (replica) => {
    const link = { replication: false, frozen: false, sentWhileFrozen: 0, closedByReplica: undefined as number | undefined };
    links.push(link);
    const master = connect({ host: config.redis.host, port: config.redis.port });
    master.on("error", () => replica.destroy());
    replica.on("data", (chunk: Buffer) => {
      // The CDC also opens short-lived client connections (the re-publication reads): only the
      // one that asked for the replication stream is the link under test.
      if (chunk.includes("PSYNC")) link.replication = true;
      if (link.frozen) link.sentWhileFrozen += chunk.length;
      master.write(chunk);
    });
    master.on("data", (chunk: Buffer) => {
      if (!link.frozen) replica.write(chunk);
    });
    replica.on("close", () => {
      link.closedByReplica ??= Date.now();
      master.destroy();
    });
  });
  const timeoutMs = 3_000;
  const prefix = unique("k");
  const { source, topic } = await startCdc(t, { REDIS_PORT: String(port), CDC_INCLUDE_KEYS: `${prefix}*`, CDC_REPLICATION_TIMEOUT_MS: String(timeoutMs) });
  const reader = await TopicReader.open(t, config.kafka.broker, topic);
  const redis = redisClient(t);
  await redis.set(`${prefix}:a`, "1");
  await reader.waitFor((records) => keyed(records, prefix).length === 1, 15_000, "the first write");

  const link = links.filter((each) => each.replication).at(-1)!;
  assert.equal(link.closedByReplica, undefined, "the link in use is open");
  link.frozen = true;
  const frozenAt = Date.now();
  await redis.set(`${prefix}:b`, "written while the link is half-open");
  await eventually(() => link.closedByReplica !== undefined, timeoutMs + 5_000, "the replica to drop the silent link");
  assert.ok(link.sentWhileFrozen > 0, "the replica kept sending (REPLCONF ACK) on the silent link: sending does not count as hearing");
  assert.ok(link.closedByReplica! - frozenAt >= timeoutMs - 1_100, `dropped after ${link.closedByReplica! - frozenAt} ms, not before the timeout`);
  await reader.waitFor((records) => keyed(records, `${prefix}:b`).length === 1, 20_000, "the write made during the silence, after reconnecting");
  assert.ok(source.stats().fullResyncs <= 1, "the reconnect resumed the stream (partial resync)");
  await redis.del(`${prefix}:a`, `${prefix}:b`);
});

for (const [what, spoil] of [
  ["not JSON", (file: string) => writeFile(file, '{"replid":"trunc')],
  ["unreadable (a directory)", (file: string) => mkdir(file)],
] as const) {
  test(`a position file that is ${what} leads to a full resync with a warning, not a failed start`, { timeout: 60_000 }, async (t) => {
    const dir = await tempDir(t, "cdc-position");
    const stateFile = join(dir, "state.json");
    await spoil(stateFile);
    const prefix = unique("k");
    const redis = redisClient(t);
    await redis.set(`${prefix}:existing`, "written before the start", "EX", 600);
    const { log, lines } = capturingLogger();
    const { source, topic } = await startCdc(t, { CDC_STATE_FILE: stateFile, CDC_INCLUDE_KEYS: `${prefix}*` }, log);
    const reader = await TopicReader.open(t, config.kafka.broker, topic);
    await reader.waitFor((records) => keyed(records, `${prefix}:existing`).length === 1, 15_000, "the snapshot of the existing key");
    assert.equal(source.stats().fullResyncs, 1);
    const warning = lines.find((line) => /stored replication position is unusable/.test(String(line.msg)));
    assert.ok(warning, "a warning says why a full resync happens");
    assert.equal(warning.level, 40);
    const asideFiles = (await readdir(dir)).filter((name) => name.startsWith("state.json.unusable-"));
    assert.equal(asideFiles.length, 1, "the unusable file is kept aside for a look");
    await eventually(async () => (await readFile(stateFile, "utf8").catch(() => "")).includes('"replid"'), 10_000, "a fresh position to be stored");
    await redis.del(`${prefix}:existing`);
  });
}

test("a record too large for Kafka that cannot be set aside holds replication before it until it can; nothing after it is skipped", { timeout: 90_000 }, async (t) => {
  const dir = await tempDir(t, "cdc-set-aside");
  const rejected = join(dir, "rejected.jsonl");
  await mkdir(rejected); // the set-aside file cannot be written while a directory is in its place
  const prefix = unique("k");
  const { log, lines } = capturingLogger();
  const { source, topic } = await startCdc(t, { CDC_STATE_FILE: join(dir, "state.json"), CDC_INCLUDE_KEYS: `${prefix}*` }, log);
  const reader = await TopicReader.open(t, config.kafka.broker, topic);
  const redis = redisClient(t);
  await redis.set(`${prefix}:before`, "1");
  await reader.waitFor((records) => keyed(records, prefix).length === 1, 15_000, "the write before the big one");
  await redis.set(`${prefix}:big`, "x".repeat(1_200_000), "EX", 600);
  await redis.set(`${prefix}:after`, "2");
  await eventually(() => lines.some((line) => /cannot be set aside/.test(String(line.msg))), 10_000, "the error about the record");
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const ackedBefore = source.stats().ackedOffset;
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  assert.equal(keyed(reader.records, `${prefix}:after`).length, 0, "nothing after the record is published while it is neither in Kafka nor set aside");
  assert.equal(source.stats().ackedOffset, ackedBefore, "the position does not move past it");
  assert.equal(source.stats().setAside, 0);

  await rmdir(rejected);
  await reader.waitFor((records) => keyed(records, `${prefix}:after`).length === 1, 20_000, "the write after the big one, once it could be set aside");
  const setAside = (await readFile(rejected, "utf8")).trim().split("\n").map((line) => JSON.parse(line) as { key: string; command: string; value: string });
  assert.ok(setAside.some((entry) => Buffer.from(entry.key, "base64").toString() === `${prefix}:big` && entry.command === "SET" && entry.value.length > 1_200_000));
  assert.ok(source.stats().setAside >= 1);
  assert.equal(keyed(reader.records, `${prefix}:big`).length, 0, "the record itself is not sent to Kafka");
  await redis.del(`${prefix}:big`); // (it expires anyway, should an assertion fail first)
  await source.stop(); // before the temporary folder it writes its state into is removed
});
