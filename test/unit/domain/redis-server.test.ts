import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { commandRecords, genericRecord, parseScore, type RedisServerRecord } from "../../../src/domain/redis-server.js";

const b = (text: string): Buffer => Buffer.from(text);
const b64 = (text: string): string => Buffer.from(text).toString("base64");

function records(...args: (string | Buffer)[]): RedisServerRecord[] {
  const result = commandRecords(args.map((arg) => (typeof arg === "string" ? b(arg) : arg)));
  assert.ok(result.ok, result.ok ? "" : result.reason);
  return result.value;
}

const SAM = '{"customerName":"Sam Test","email":"sam.test@test.com","phone":"8015551212","birthDay":"2001-01-03"}';

test("the README's ZADD Customer becomes exactly the SPEC's bytes", () => {
  const [record] = records("ZADD", "Customer", "0", SAM);
  const entry = `{"element":"${b64(SAM)}","score":0.0}`;
  assert.equal(
    record!.value,
    `{"key":"Q3VzdG9tZXI=","existType":"NONE","ch":false,"incr":false,"zSetEntries":[${entry}],"zsetEntries":[${entry}]}`,
  );
  assert.deepEqual(record!.key, b("Customer"));
  assert.equal(record!.command, "ZADD");
});

test("ZADD flags and several pairs keep their order", () => {
  const [record] = records("zadd", "k", "XX", "CH", "INCR", "1.5", "a", "-inf", "b");
  const entries = `[{"element":"${b64("a")}","score":1.5},{"element":"${b64("b")}","score":"-Infinity"}]`;
  assert.equal(record!.value, `{"key":"${b64("k")}","existType":"XX","ch":true,"incr":true,"zSetEntries":${entries},"zsetEntries":${entries}}`);
});

test("ZADD GT is kept in an extra trailing field", () => {
  const [record] = records("ZADD", "k", "GT", "2", "m");
  assert.match(record!.value, /"zsetEntries":\[[^\]]*\],"compareType":"GT"\}$/);
});

test("malformed known commands are refused with a reason (the caller publishes them generically)", () => {
  for (const args of [["ZADD", "k", "1"], ["ZADD", "k", "x", "m"], ["SET", "k"], ["ZINCRBY", "k", "one", "m"], ["EXPIRE", "k", "soon"], ["INCR"]]) {
    const result = commandRecords(args.map(b));
    assert.equal(result.ok, false, args.join(" "));
    assert.ok(!result.ok && result.reason.length > 0);
  }
});

test("SET with its options; SETEX, PSETEX, SETNX in the SET form", () => {
  assert.equal(records("SET", "k", "v")[0]!.value, `{"key":"${b64("k")}","value":"${b64("v")}","expiredType":"NONE","expiredValue":null,"existType":"NONE"}`);
  assert.equal(records("SET", "k", "v", "EX", "10", "NX")[0]!.value, `{"key":"${b64("k")}","value":"${b64("v")}","expiredType":"SECOND","expiredValue":10,"existType":"NX"}`);
  assert.equal(
    records("SET", "k", "v", "PXAT", "1700000000123")[0]!.value,
    `{"key":"${b64("k")}","value":"${b64("v")}","expiredType":"NONE","expiredValue":null,"existType":"NONE","xatType":"PXAT","xatValue":1700000000123}`,
  );
  assert.equal(records("SETEX", "k", "5", "v")[0]!.value, `{"key":"${b64("k")}","value":"${b64("v")}","expiredType":"SECOND","expiredValue":5,"existType":"NONE"}`);
  assert.equal(records("PSETEX", "k", "5", "v")[0]!.value, `{"key":"${b64("k")}","value":"${b64("v")}","expiredType":"MS","expiredValue":5,"existType":"NONE"}`);
  assert.equal(records("SETNX", "k", "v")[0]!.value, `{"key":"${b64("k")}","value":"${b64("v")}","expiredType":"NONE","expiredValue":null,"existType":"NX"}`);
});

test("DEL of several keys is one record per key, each keyed by its key", () => {
  const out = records("DEL", "a", "b");
  assert.deepEqual(
    out.map((record) => [record.command, record.key!.toString(), record.value]),
    [
      ["DEL", "a", `{"keys":["${b64("a")}"]}`],
      ["DEL", "b", `{"keys":["${b64("b")}"]}`],
    ],
  );
});

test("members, pairs, pushes, counters, expiries", () => {
  assert.equal(records("ZREM", "k", "a", "b")[0]!.value, `{"key":"${b64("k")}","members":["${b64("a")}","${b64("b")}"]}`);
  assert.equal(records("SADD", "k", "a")[0]!.value, `{"key":"${b64("k")}","members":["${b64("a")}"]}`);
  assert.equal(records("SREM", "k", "a")[0]!.value, `{"key":"${b64("k")}","members":["${b64("a")}"]}`);
  assert.deepEqual(
    records("HSET", "h", "f1", "v1", "f2", "v2").map((record) => record.value),
    [`{"key":"${b64("h")}","field":"${b64("f1")}","value":"${b64("v1")}"}`, `{"key":"${b64("h")}","field":"${b64("f2")}","value":"${b64("v2")}"}`],
  );
  assert.equal(records("RPUSH", "l", "x", "y")[0]!.value, `{"key":"${b64("l")}","values":["${b64("x")}","${b64("y")}"]}`);
  assert.equal(records("LPUSH", "l", "x")[0]!.value, `{"key":"${b64("l")}","values":["${b64("x")}"]}`);
  assert.equal(records("INCR", "n")[0]!.value, `{"key":"${b64("n")}"}`);
  assert.equal(records("DECR", "n")[0]!.value, `{"key":"${b64("n")}"}`);
  assert.equal(records("INCRBY", "n", "-7")[0]!.value, `{"key":"${b64("n")}","value":-7}`);
  assert.equal(records("ZINCRBY", "z", "2", "m")[0]!.value, `{"key":"${b64("z")}","increment":2.0,"member":"${b64("m")}"}`);
  assert.equal(records("EXPIRE", "k", "60")[0]!.value, `{"key":"${b64("k")}","ex":60}`);
  assert.equal(records("PEXPIREAT", "k", "1700000000000", "gt")[0]!.value, `{"key":"${b64("k")}","ex":1700000000000,"condition":"GT"}`);
});

test("anything else is published in the generic form, keyed by its first argument", () => {
  const [record] = records("LTRIM", "l", "0", "9");
  assert.equal(record!.value, `{"command":"LTRIM","args":["${b64("l")}","${b64("0")}","${b64("9")}"]}`);
  assert.deepEqual(record!.key, b("l"));
  assert.equal(genericRecord([b("flushall")]).key, null);
  assert.equal(genericRecord([b("flushall")]).value, `{"command":"FLUSHALL","args":[]}`);
});

test("non-UTF-8 keys and members round-trip through base64 unchanged", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), (key, member) => {
      const [record] = records("ZADD", Buffer.from(key), "3", Buffer.from(member));
      const parsed = JSON.parse(record!.value) as { key: string; zSetEntries: { element: string }[] };
      assert.deepEqual(Buffer.from(parsed.key, "base64"), Buffer.from(key));
      assert.deepEqual(Buffer.from(parsed.zSetEntries[0]!.element, "base64"), Buffer.from(member));
    }),
  );
});

test("ZADD scores outside 10^-3 ≤ |x| < 10^7 are in Java's scientific notation, as Jackson wrote them", () => {
  const [record] = records("ZADD", "k", "10000000", "a", "0.0001", "b", "12345678.9", "c");
  const entries = `[{"element":"${b64("a")}","score":1.0E7},{"element":"${b64("b")}","score":1.0E-4},{"element":"${b64("c")}","score":1.23456789E7}]`;
  assert.equal(record!.value, `{"key":"${b64("k")}","existType":"NONE","ch":false,"incr":false,"zSetEntries":${entries},"zsetEntries":${entries}}`);
});

test("scores parse as Redis reads them", () => {
  assert.equal(parseScore(b("+inf")), Infinity);
  assert.equal(parseScore(b("-INF")), -Infinity);
  assert.equal(parseScore(b("1e3")), 1000);
  assert.equal(parseScore(b(".5")), 0.5);
  assert.equal(parseScore(b("")), undefined);
  assert.equal(parseScore(b(" 1")), undefined);
  assert.equal(parseScore(b("0x10")), undefined);
});
