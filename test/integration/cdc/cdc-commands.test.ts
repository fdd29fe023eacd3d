/**
 * The CDC source against the shared dev stack's Redis and Kafka: each test has its own topic and
 * only follows its own keys (CDC_INCLUDE_KEYS=<prefix>*), so others' data never interferes.
 */
import assert from "node:assert/strict";
import { test, type TestContext } from "node:test";
import { Redis } from "ioredis";
import { loadConfig } from "../../../src/config.js";
import { b64, keyed, startCdc, TopicReader, unique } from "./cdc-harness.js";

const config = loadConfig();

function redisClient(t: TestContext, db = config.redis.db): Redis {
  const client = new Redis({ host: config.redis.host, port: config.redis.port, password: config.redis.password, db });
  t.after(() => client.quit());
  return client;
}

async function followPrefix(t: TestContext, extraEnv: Record<string, string> = {}) {
  const prefix = unique("k");
  const { source, topic } = await startCdc(t, { CDC_INCLUDE_KEYS: `${prefix}*`, ...extraEnv });
  const reader = await TopicReader.open(t, config.kafka.broker, topic);
  return { prefix, source, reader };
}

const SAM = '{"customerName":"Sam Test","email":"sam.test@test.com","phone":"8015551212","birthDay":"2001-01-03"}';

test("the README's ZADD produces exactly the SPEC's bytes, keyed by the Redis key, with the command header", { timeout: 60_000 }, async (t) => {
  const { prefix, reader } = await followPrefix(t);
  const key = `${prefix}:Customer`;
  await redisClient(t).zadd(key, 0, SAM);
  const [record] = keyed(await reader.waitFor((records) => keyed(records, prefix).length >= 1, 15_000, "the ZADD record"), prefix);
  const entry = `{"element":"${b64(SAM)}","score":0.0}`;
  assert.equal(record!.value, `{"key":"${b64(key)}","existType":"NONE","ch":false,"incr":false,"zSetEntries":[${entry}],"zsetEntries":[${entry}]}`);
  assert.deepEqual(record!.key, Buffer.from(key));
  assert.equal(record!.command, "ZADD");
});

test("every listed command arrives in order, in its SPEC form", { timeout: 60_000 }, async (t) => {
  const { prefix, reader } = await followPrefix(t);
  const redis = redisClient(t);
  const k = (name: string): string => `${prefix}:${name}`;
  await redis.set(k("s"), "v1");
  await redis.setex(k("sx"), 100, "v2");
  await redis.del(k("s"), k("sx"));
  await redis.zadd(k("z"), "NX", "CH", 1.5, "a", 2, "b");
  await redis.zrem(k("z"), "a");
  await redis.zincrby(k("z"), 3, "b");
  await redis.sadd(k("set"), "m1", "m2");
  await redis.srem(k("set"), "m1");
  await redis.hset(k("h"), "f1", "v1", "f2", "v2");
  await redis.lpush(k("l"), "x");
  await redis.rpush(k("l"), "y", "z");
  await redis.incr(k("n"));
  await redis.decr(k("n"));
  await redis.expire(k("n"), 100);
  await redis.ltrim(k("l"), 0, 1);
  await redis.set(k("done"), "1");
  const records = keyed(await reader.waitFor((all) => keyed(all, `${prefix}:done`).length === 1, 15_000, "the last SET"), prefix);
  const seen = records.map((record): [string, string, Record<string, unknown>] => [record.command, record.key!.toString(), JSON.parse(record.value) as Record<string, unknown>]);
  const expected: [string, string, Record<string, unknown>][] = [
    ["SET", k("s"), { key: b64(k("s")), value: b64("v1"), expiredType: "NONE", expiredValue: null, existType: "NONE" }],
    // Redis 7 propagates SETEX as SET … PXAT <absolute ms>; the deadline is checked below.
    ["SET", k("sx"), { key: b64(k("sx")), value: b64("v2"), expiredType: "NONE", expiredValue: null, existType: "NONE", xatType: "PXAT", xatValue: "*" }],
    ["DEL", k("s"), { keys: [b64(k("s"))] }],
    ["DEL", k("sx"), { keys: [b64(k("sx"))] }],
    ["ZADD", k("z"), { key: b64(k("z")), existType: "NX", ch: true, incr: false, zSetEntries: [{ element: b64("a"), score: 1.5 }, { element: b64("b"), score: 2 }], zsetEntries: [{ element: b64("a"), score: 1.5 }, { element: b64("b"), score: 2 }] }],
    ["ZREM", k("z"), { key: b64(k("z")), members: [b64("a")] }],
    ["ZINCRBY", k("z"), { key: b64(k("z")), increment: 3, member: b64("b") }],
    ["SADD", k("set"), { key: b64(k("set")), members: [b64("m1"), b64("m2")] }],
    ["SREM", k("set"), { key: b64(k("set")), members: [b64("m1")] }],
    ["HSET", k("h"), { key: b64(k("h")), field: b64("f1"), value: b64("v1") }],
    ["HSET", k("h"), { key: b64(k("h")), field: b64("f2"), value: b64("v2") }],
    ["LPUSH", k("l"), { key: b64(k("l")), values: [b64("x")] }],
    ["RPUSH", k("l"), { key: b64(k("l")), values: [b64("y"), b64("z")] }],
    ["INCR", k("n"), { key: b64(k("n")) }],
    ["DECR", k("n"), { key: b64(k("n")) }],
    // EXPIRE is propagated as PEXPIREAT <absolute ms>.
    ["PEXPIREAT", k("n"), { key: b64(k("n")), ex: "*" }],
    ["LTRIM", k("l"), { command: "LTRIM", args: [b64(k("l")), b64("0"), b64("1")] }],
    ["SET", k("done"), { key: b64(k("done")), value: b64("1"), expiredType: "NONE", expiredValue: null, existType: "NONE" }],
  ];
  const now = Date.now();
  for (const [index, [command, key, value]] of seen.entries()) {
    for (const field of ["xatValue", "ex"]) {
      if (typeof value[field] === "number") {
        assert.ok(Math.abs((value[field] as number) - (now + 100_000)) < 30_000, `${command} ${field} is an absolute deadline ~100 s ahead`);
        value[field] = "*";
      }
    }
    assert.deepEqual([command, key, value], expected[index], `record ${index}`);
  }
  assert.equal(seen.length, expected.length);
  assert.match(records[4]!.value, /"score":1\.5\},\{"element":"[^"]+","score":2\.0\}/, "doubles keep their .0");
});

test("MULTI/EXEC is unwrapped into its commands, in order", { timeout: 60_000 }, async (t) => {
  const { prefix, reader } = await followPrefix(t);
  const redis = redisClient(t);
  await redis.multi().zadd(`${prefix}:a`, 1, "x").hset(`${prefix}:b`, "f", "v").del(`${prefix}:a`).exec();
  const records = keyed(await reader.waitFor((all) => keyed(all, prefix).length >= 3, 15_000, "the transaction's records"), prefix);
  assert.deepEqual(
    records.map((record) => [record.command, record.key!.toString()]),
    [
      ["ZADD", `${prefix}:a`],
      ["HSET", `${prefix}:b`],
      ["DEL", `${prefix}:a`],
    ],
  );
  assert.ok(!records.some((record) => /MULTI|EXEC/.test(record.command)));
});

test("non-UTF-8 keys and members round-trip through base64 unchanged", { timeout: 60_000 }, async (t) => {
  const { prefix, reader } = await followPrefix(t);
  const key = Buffer.concat([Buffer.from(`${prefix}:`), Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x0d, 0x0a])]);
  const member = Buffer.from([0xc3, 0x28, 0x00, 0xff, 0x0d]);
  await redisClient(t).zadd(key, 7, member);
  const [record] = keyed(await reader.waitFor((all) => keyed(all, prefix).length >= 1, 15_000, "the binary ZADD"), prefix);
  assert.deepEqual(record!.key, key);
  const value = JSON.parse(record!.value) as { key: string; zSetEntries: { element: string; score: number }[] };
  assert.deepEqual(Buffer.from(value.key, "base64"), key);
  assert.deepEqual(Buffer.from(value.zSetEntries[0]!.element, "base64"), member);
  assert.match(record!.value, /"score":7\.0/);
});

test("the secrets db and other dbs are never published; excluded keys neither", { timeout: 60_000 }, async (t) => {
  const { prefix, reader, source } = await followPrefix(t, { CDC_EXCLUDE_KEYS: "*:secret*" });
  const secrets = redisClient(t, config.redis.secretsDb);
  const other = redisClient(t, 5);
  const main = redisClient(t);
  await secrets.set(`${prefix}:session`, "token-in-secrets-db");
  await other.set(`${prefix}:elsewhere`, "db5");
  await main.set(`${prefix}:secret-hash`, "excluded");
  await main.set(`${prefix}:after`, "published");
  const records = keyed(await reader.waitFor((all) => keyed(all, `${prefix}:after`).length === 1, 15_000, "the record after the secret writes"), prefix);
  assert.deepEqual(
    records.map((record) => record.key!.toString()),
    [`${prefix}:after`],
  );
  assert.ok(!records.some((record) => record.value.includes(b64("token-in-secrets-db"))));
  const stats = source.stats();
  assert.ok(stats.skipped.otherDb >= 2, `writes to other dbs are counted (${stats.skipped.otherDb})`);
  assert.ok(stats.skipped.filtered >= 1, "excluded keys are counted");
  await secrets.del(`${prefix}:session`);
  await other.del(`${prefix}:elsewhere`);
});

test("following the secrets db is refused at start with what to do", () => {
  return import("../../../src/cdc/cdc-options.js").then(({ cdcOptions }) => {
    const env = { ...process.env, CDC_DBS: `0,${config.redis.secretsDb}` };
    assert.throws(() => cdcOptions(loadConfig(env), env), /holds the secrets \(REDIS_SECRETS_DB\)/);
  });
});
