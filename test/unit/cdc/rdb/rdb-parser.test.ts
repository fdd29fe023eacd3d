import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { intsetMembers, listpackEntries, ziplistEntries } from "../../../../src/cdc/rdb/compact-encodings.js";
import { lzfDecompress } from "../../../../src/cdc/rdb/rdb-cursor.js";
import { parseEntry, RdbFormatError, type RdbEntry } from "../../../../src/cdc/rdb/rdb-parser.js";

// A small RDB writer, the inverse of the parser, written from the format description.
const bytes = (...parts: (number[] | Buffer | string)[]): Buffer =>
  Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part, "latin1") : Buffer.isBuffer(part) ? part : Buffer.from(part))));

function len(n: number): Buffer {
  if (n < 64) return bytes([n]);
  if (n < 16_384) return bytes([0x40 | (n >> 8), n & 0xff]);
  const out = Buffer.alloc(5);
  out[0] = 0x80;
  out.writeUInt32BE(n, 1);
  return out;
}
const str = (value: Buffer | string): Buffer => bytes(len(Buffer.byteLength(value)), typeof value === "string" ? Buffer.from(value) : value);

function listpack(items: (Buffer | number)[]): Buffer {
  const entries = items.map((item) => {
    let body: Buffer;
    if (typeof item === "number") {
      if (item >= 0 && item < 128) body = bytes([item]);
      else if (item >= -4096 && item < 4096) body = bytes([0xc0 | ((item >> 8) & 0x1f), item & 0xff]);
      else if (item >= -32768 && item < 32768) {
        body = Buffer.alloc(3);
        body[0] = 0xf1;
        body.writeInt16LE(item, 1);
      } else {
        body = Buffer.alloc(9);
        body[0] = 0xf4;
        body.writeBigInt64LE(BigInt(item), 1);
      }
    } else if (item.length < 64) body = bytes([0x80 | item.length], item);
    else if (item.length < 4096) body = bytes([0xe0 | (item.length >> 8), item.length & 0xff], item);
    else {
      body = Buffer.alloc(5);
      body[0] = 0xf0;
      body.writeUInt32LE(item.length, 1);
      body = bytes(body, item);
    }
    const backlen = body.length < 128 ? 1 : body.length < 16_384 ? 2 : 3;
    return bytes(body, Buffer.alloc(backlen, 1));
  });
  const payload = Buffer.concat(entries);
  const header = Buffer.alloc(6);
  header.writeUInt32LE(6 + payload.length + 1, 0);
  header.writeUInt16LE(items.length, 4);
  return bytes(header, payload, [0xff]);
}

function ziplist(items: (Buffer | number)[]): Buffer {
  const entries = items.map((item) => {
    let body: Buffer;
    if (typeof item === "number") {
      if (item >= 0 && item <= 12) body = bytes([0xf1 + item]);
      else {
        body = Buffer.alloc(5);
        body[0] = 0xd0;
        body.writeInt32LE(item, 1);
      }
    } else if (item.length < 64) body = bytes([item.length], item);
    else body = bytes([0x40 | (item.length >> 8), item.length & 0xff], item);
    return bytes([0], body); // prevlen is not needed to read forward
  });
  return bytes(Buffer.alloc(10), ...entries, [0xff]);
}

const header = bytes("REDIS0010");
const end = bytes([0xff], Buffer.alloc(8));

function parseAll(file: Buffer): RdbEntry[] {
  const entries: RdbEntry[] = [];
  let position = 0;
  for (;;) {
    const parsed = parseEntry(file, position, position === 0);
    assert.ok(parsed, `entry at ${position} should be complete`);
    entries.push(parsed.entry);
    position = parsed.end;
    if (parsed.entry.kind === "end") return entries;
  }
}

const b = (text: string): Buffer => Buffer.from(text);

test("every encoding Redis 7.0 writes, and the generic ones, parse to their values, entry by entry", () => {
  const score = Buffer.alloc(8);
  score.writeDoubleLE(2.5);
  const expireMs = Buffer.alloc(8);
  expireMs.writeBigUInt64LE(1_700_000_000_123n);
  const file = bytes(
    header,
    [0xfa], str("redis-ver"), str("7.0.15"),
    [0xfe], len(0),
    [0xfb], len(9), len(1),
    [0], str("s"), str("value"),
    [0xfc], expireMs, [0], [0xc0, 0xf9], [0xc1, 0x39, 0x30],
    [0x10], str("h"), str(listpack([b("f"), b("v"), b("n"), 300])),
    [0x11], str("z"), str(listpack([b("a"), 1, b("b"), b("2.5")])),
    [0x12], str("l"), len(2), len(2), str(listpack([b("x"), -5])), len(1), str(b("plain-node")),
    [0x0b], str("i"), str(bytes([2, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 7, 0])),
    [0x0d], str("hz"), str(ziplist([b("k"), 12])),
    [0x0e], str("lq"), len(1), str(ziplist([b("old"), 70_000])),
    [0x05], str("z2"), len(2), str("hi"), score, str("lo"), Buffer.alloc(8),
    [0x02], str("set"), len(2), str("p"), str("q"),
    [0x04], str("hash"), len(1), str("f"), str("v"),
    [0x03], str("zold"), len(1), str("m"), [3], "1.5",
    [0xf8], len(5), [0xf9], [3], [0x01], str("list"), len(1), str("e"),
    end,
  );
  const keys = parseAll(file).filter((entry): entry is Extract<RdbEntry, { kind: "key" }> => entry.kind === "key");
  const text = (buffer: Buffer): string => buffer.toString();
  const simplified = keys.map((entry) => {
    const { value } = entry;
    const shape =
      value.type === "string" ? text(value.value)
      : value.type === "list" ? value.items.map(text)
      : value.type === "set" ? value.members.map(text)
      : value.type === "zset" ? value.entries.map((e) => [text(e.element), e.score])
      : value.type === "hash" ? value.pairs.map(([f, v]) => [text(f), text(v)])
      : value.type;
    return [text(entry.key), entry.expireAtMs, shape];
  });
  assert.deepEqual(simplified, [
    ["s", null, "value"],
    ["-7", 1_700_000_000_123n, "12345"],
    ["h", null, [["f", "v"], ["n", "300"]]],
    ["z", null, [["a", 1], ["b", 2.5]]],
    ["l", null, ["x", "-5", "plain-node"]],
    ["i", null, ["-1", "7"]],
    ["hz", null, [["k", "12"]]],
    ["lq", null, ["old", "70000"]],
    ["z2", null, [["lo", 0], ["hi", 2.5]]],
    ["set", null, ["p", "q"]],
    ["hash", null, [["f", "v"]]],
    ["zold", null, [["m", 1.5]]],
    ["list", null, ["e"]],
  ]);

  // Cut anywhere: entries come out whole or not at all, never wrong.
  for (let cut = 0; cut < file.length; cut++) {
    const prefix = file.subarray(0, cut);
    let position = 0;
    for (let parsed = parseEntry(prefix, 0, true); parsed; parsed = parseEntry(prefix, position, false)) {
      position = parsed.end;
      assert.ok(position <= cut);
    }
  }
});

test("LZF: literal runs and overlapping back references", () => {
  // "a", then 9 bytes copied from 1 back: ten a's; then a literal "bc".
  assert.equal(lzfDecompress(bytes([0x00], "a", [0xe0, 0x00, 0x00], [0x01], "bc"), 12).toString(), "aaaaaaaaaabc");
  assert.throws(() => lzfDecompress(bytes([0x20, 0x05]), 4), RdbFormatError);
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (data) => {
      // Literal-only compression is valid LZF.
      const parts: Buffer[] = [];
      for (let i = 0; i < data.length; i += 32) {
        const run = Buffer.from(data.subarray(i, i + 32));
        parts.push(Buffer.from([run.length - 1]), run);
      }
      assert.deepEqual(lzfDecompress(Buffer.concat(parts), data.length), Buffer.from(data));
    }),
  );
});

test("listpack and ziplist round-trip strings and integers of every width", () => {
  const item = fc.oneof(
    fc.uint8Array({ maxLength: 5000 }).map((array) => Buffer.from(array)),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  );
  fc.assert(
    fc.property(fc.array(item, { maxLength: 20 }), (items) => {
      const expected = items.map((each) => (typeof each === "number" ? Buffer.from(String(each)) : each));
      assert.deepEqual(listpackEntries(listpack(items)), expected);
      const small = items.map((each) => (typeof each === "number" ? each : each.subarray(0, 4000)));
      assert.deepEqual(ziplistEntries(ziplist(small)), small.map((each) => (typeof each === "number" ? Buffer.from(String(each)) : each)));
    }),
    { numRuns: 50 },
  );
  assert.deepEqual(intsetMembers(bytes([8, 0, 0, 0, 1, 0, 0, 0], Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]))).map(String), ["9223372036854775807"]);
});

test("corrupt input is an RdbFormatError, not a crash or a silent skip", () => {
  assert.throws(() => parseEntry(bytes("RADIS0010"), 0, true), /not an RDB file/);
  assert.throws(() => parseEntry(bytes([0x42], str("k"), str("v")), 0, false), /value type 66 is not supported/);
  assert.throws(() => listpackEntries(bytes([7, 0, 0, 0, 1, 0, 0xf9])), RdbFormatError);
});
