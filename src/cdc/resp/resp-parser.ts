/**
 * RESP2, the Redis wire protocol, incrementally: bytes may arrive split anywhere, so the parser
 * returns `undefined` until a whole reply is in the buffer, and reports exactly how many bytes the
 * reply took — the replication offset counts bytes, so the CDC source needs that number (which is
 * why it does not use a general-purpose RESP client).
 *
 * Wire format, one type byte, then CRLF-terminated parts:
 *   +OK\r\n                        simple string
 *   -ERR message\r\n               error
 *   :42\r\n                        integer
 *   $5\r\nhello\r\n                bulk string ($-1\r\n is null)
 *   *2\r\n$3\r\nGET\r\n$1\r\nk\r\n  array of replies (*-1\r\n is null)
 */

export type RespValue = Buffer | RespSimple | RespError | bigint | null | RespValue[];

export class RespSimple {
  constructor(readonly text: string) {}
}

export class RespError {
  constructor(readonly message: string) {}
}

export class RespProtocolError extends Error {
  override name = "RespProtocolError";
}

export interface Parsed<T> {
  readonly value: T;
  /** Offset just past the reply in the buffer. */
  readonly end: number;
}

const CR = 0x0d;
const LF = 0x0a;
// Redis' own limit for a bulk string (proto-max-bulk-len) and a sane cap on array sizes.
const MAX_BULK = 512 * 1024 * 1024;
const MAX_ARRAY = 1024 * 1024 * 1024;

/** Position of the CR of the next CRLF at or after `from`, or -1 when the line is not complete. */
function lineEnd(buffer: Buffer, from: number): number {
  let index = buffer.indexOf(CR, from);
  while (index !== -1 && index + 1 < buffer.length && buffer[index + 1] !== LF) index = buffer.indexOf(CR, index + 1);
  return index === -1 || index + 1 >= buffer.length ? -1 : index;
}

function parseLength(buffer: Buffer, start: number, end: number, max: number): number {
  const text = buffer.toString("latin1", start, end);
  if (!/^(?:-1|\d{1,10})$/.test(text)) throw new RespProtocolError(`bad length "${text}" at byte ${start}`);
  const length = Number(text);
  if (length > max) throw new RespProtocolError(`length ${length} at byte ${start} exceeds ${max}`);
  return length;
}

/** One reply starting at `start`, or undefined when the buffer does not hold all of it yet. */
export function parseReply(buffer: Buffer, start = 0): Parsed<RespValue> | undefined {
  if (start >= buffer.length) return undefined;
  const type = buffer[start]!;
  const eol = lineEnd(buffer, start + 1);
  if (eol === -1) return undefined;
  switch (type) {
    case 0x2b: // +
      return { value: new RespSimple(buffer.toString("utf8", start + 1, eol)), end: eol + 2 };
    case 0x2d: // -
      return { value: new RespError(buffer.toString("utf8", start + 1, eol)), end: eol + 2 };
    case 0x3a: {
      // :
      const text = buffer.toString("latin1", start + 1, eol);
      if (!/^[+-]?\d+$/.test(text)) throw new RespProtocolError(`bad integer "${text}" at byte ${start}`);
      return { value: BigInt(text), end: eol + 2 };
    }
    case 0x24: {
      // $
      const length = parseLength(buffer, start + 1, eol, MAX_BULK);
      if (length === -1) return { value: null, end: eol + 2 };
      const dataEnd = eol + 2 + length;
      if (dataEnd + 2 > buffer.length) return undefined;
      if (buffer[dataEnd] !== CR || buffer[dataEnd + 1] !== LF) throw new RespProtocolError(`bulk string at byte ${start} is not followed by CRLF`);
      return { value: buffer.subarray(eol + 2, dataEnd), end: dataEnd + 2 };
    }
    case 0x2a: {
      // *
      const count = parseLength(buffer, start + 1, eol, MAX_ARRAY);
      if (count === -1) return { value: null, end: eol + 2 };
      const items: RespValue[] = [];
      let position = eol + 2;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, position);
        if (!item) return undefined;
        items.push(item.value);
        position = item.end;
      }
      return { value: items, end: position };
    }
    default:
      throw new RespProtocolError(`unexpected type byte 0x${type.toString(16)} at byte ${start}`);
  }
}

/**
 * A command as the master propagates it: an array of bulk strings. Anything else in the command
 * stream is a protocol error (Redis never sends inline commands to a replica).
 */
export function parseCommand(buffer: Buffer, start = 0): Parsed<Buffer[]> | undefined {
  const reply = parseReply(buffer, start);
  if (!reply) return undefined;
  const { value } = reply;
  if (!Array.isArray(value) || value.length === 0 || !value.every((item): item is Buffer => Buffer.isBuffer(item))) {
    throw new RespProtocolError(`expected a command (array of bulk strings) at byte ${start}`);
  }
  return { value, end: reply.end };
}

/** `*N\r\n$len\r\narg\r\n…`: how a client sends a command. */
export function encodeCommand(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === "string" ? Buffer.from(arg) : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}
