import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { encodeCommand, parseCommand, parseReply, RespError, RespProtocolError, RespSimple } from "../../../../src/cdc/resp/resp-parser.js";

const commandArb = fc.array(fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)), { minLength: 1, maxLength: 8 });

test("encode → parse round-trips any command, reporting its exact length", () => {
  fc.assert(
    fc.property(commandArb, (args) => {
      const bytes = encodeCommand(args);
      const parsed = parseCommand(bytes);
      assert.ok(parsed);
      assert.deepEqual(parsed.value, args);
      assert.equal(parsed.end, bytes.length);
    }),
  );
});

test("a stream of commands cut at any points parses to the same commands and byte counts", () => {
  fc.assert(
    fc.property(fc.array(commandArb, { minLength: 1, maxLength: 10 }), fc.array(fc.nat(), { maxLength: 12 }), (commands, cuts) => {
      const stream = Buffer.concat(commands.map((command) => encodeCommand(command)));
      const points = [...new Set(cuts.map((cut) => cut % (stream.length + 1)))].sort((a, b) => a - b);
      // Feed the stream chunk by chunk, as a socket would, keeping the unparsed tail.
      let pending = Buffer.alloc(0);
      const seen: Buffer[][] = [];
      const ends: number[] = [];
      let consumed = 0;
      for (const [index, point] of [...points, stream.length].entries()) {
        const from = index === 0 ? 0 : [...points, stream.length][index - 1]!;
        pending = Buffer.concat([pending, stream.subarray(from, point)]);
        let position = 0;
        for (let parsed = parseCommand(pending, position); parsed; parsed = parseCommand(pending, position)) {
          seen.push(parsed.value);
          position = parsed.end;
          ends.push(consumed + position);
        }
        consumed += position;
        pending = pending.subarray(position);
      }
      assert.deepEqual(seen, commands);
      assert.equal(pending.length, 0);
      let total = 0;
      assert.deepEqual(
        ends,
        commands.map((command) => (total += encodeCommand(command).length)),
      );
    }),
  );
});

test("every reply type, and undefined until a reply is complete", () => {
  const text = "+FULLRESYNC abc 12\r\n-ERR nope\r\n:-42\r\n$-1\r\n*-1\r\n*2\r\n$1\r\na\r\n:1\r\n";
  const bytes = Buffer.from(text);
  const values = [];
  let position = 0;
  for (let parsed = parseReply(bytes, position); parsed; parsed = parseReply(bytes, position)) {
    values.push(parsed.value);
    position = parsed.end;
  }
  assert.equal(position, bytes.length);
  assert.deepEqual(values, [new RespSimple("FULLRESYNC abc 12"), new RespError("ERR nope"), -42n, null, null, [Buffer.from("a"), 1n]]);
  for (let cut = 0; cut < bytes.length; cut++) {
    const firstEnd = parseReply(bytes)!.end;
    if (cut < firstEnd) assert.equal(parseReply(bytes.subarray(0, cut)), undefined, `cut at ${cut}`);
  }
});

test("CR inside a bulk string is data, not a line end", () => {
  const bytes = encodeCommand([Buffer.from("a\r\nb\rc")]);
  assert.deepEqual(parseCommand(bytes)?.value, [Buffer.from("a\r\nb\rc")]);
});

test("garbage is a protocol error naming the byte, never a silent skip", () => {
  assert.throws(() => parseReply(Buffer.from("?x\r\n")), RespProtocolError);
  assert.throws(() => parseReply(Buffer.from("$abc\r\n")), /bad length "abc" at byte 1/);
  assert.throws(() => parseReply(Buffer.from("$1\r\nab\r\n")), /not followed by CRLF/);
  assert.throws(() => parseCommand(Buffer.from("+OK\r\n")), /expected a command/);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
      try {
        const parsed = parseReply(Buffer.from(bytes));
        if (parsed) assert.ok(parsed.end <= bytes.length);
      } catch (error) {
        assert.ok(error instanceof RespProtocolError, String(error));
      }
    }),
  );
});
