/**
 * The compact containers Redis stores small collections in, each read from one RDB string:
 * ziplist (≤ 6.2), listpack (≥ 7.0) and intset. Integers come back as their decimal text, as Redis
 * would return them to a client.
 */
import { RdbFormatError } from "./rdb-cursor.js";

function fail(container: string, position: number, why: string): never {
  throw new RdbFormatError(`${container}: ${why} at byte ${position}`);
}

/**
 * Listpack: `<total-bytes u32 LE> <count u16 LE> <entry>… 0xFF`, each entry
 * `<encoding+data> <backlen>`; encodings:
 *   0xxxxxxx 7-bit uint · 10xxxxxx 6-bit string length · 110xxxxx +1 byte: 13-bit int
 *   1110xxxx +1 byte: 12-bit string length · 11110000 +4 bytes: 32-bit string length
 *   11110001/2/3/4: int16/24/32/64 LE · 11111111: end
 * backlen is the entry's length in 1–5 bytes (7 bits per byte), skipped here.
 */
export function listpackEntries(bytes: Buffer): Buffer[] {
  if (bytes.length < 7) fail("listpack", 0, "too short");
  const items: Buffer[] = [];
  let position = 6;
  for (;;) {
    const start = position;
    const first = bytes[position];
    if (first === undefined) fail("listpack", position, "missing end byte");
    if (first === 0xff) break;
    let item: Buffer;
    if (first < 0x80) {
      item = Buffer.from(String(first));
      position += 1;
    } else if (first >> 6 === 0b10) {
      const length = first & 0x3f;
      item = bytes.subarray(position + 1, position + 1 + length);
      position += 1 + length;
    } else if (first >> 5 === 0b110) {
      let value = ((first & 0x1f) << 8) | bytes[position + 1]!;
      if (value >= 1 << 12) value -= 1 << 13;
      item = Buffer.from(String(value));
      position += 2;
    } else if (first >> 4 === 0b1110) {
      const length = ((first & 0x0f) << 8) | bytes[position + 1]!;
      item = bytes.subarray(position + 2, position + 2 + length);
      position += 2 + length;
    } else if (first === 0xf0) {
      const length = bytes.readUInt32LE(position + 1);
      item = bytes.subarray(position + 5, position + 5 + length);
      position += 5 + length;
    } else if (first === 0xf1) {
      item = Buffer.from(String(bytes.readInt16LE(position + 1)));
      position += 3;
    } else if (first === 0xf2) {
      item = Buffer.from(String(bytes.readIntLE(position + 1, 3)));
      position += 4;
    } else if (first === 0xf3) {
      item = Buffer.from(String(bytes.readInt32LE(position + 1)));
      position += 5;
    } else if (first === 0xf4) {
      item = Buffer.from(bytes.readBigInt64LE(position + 1).toString());
      position += 9;
    } else fail("listpack", position, `unknown encoding 0x${first.toString(16)}`);
    if (position > bytes.length) fail("listpack", start, "entry runs past the end");
    const entryLength = position - start;
    position += entryLength < 128 ? 1 : entryLength < 16_384 ? 2 : entryLength < 2_097_152 ? 3 : entryLength < 268_435_456 ? 4 : 5;
    items.push(item);
  }
  return items;
}

/**
 * Ziplist: `<zlbytes u32> <zltail u32> <zllen u16> <entry>… 0xFF`, each entry
 * `<prevlen: 1 byte, or 0xFE + u32> <encoding> <data>`; encodings:
 *   00xxxxxx 6-bit string length · 01xxxxxx +1: 14-bit BE · 10000000 +4: 32-bit BE
 *   0xC0 int16 · 0xD0 int32 · 0xE0 int64 · 0xF0 int24 · 0xFE int8 · 0xF1–0xFD: the value 0–12
 */
export function ziplistEntries(bytes: Buffer): Buffer[] {
  if (bytes.length < 11) fail("ziplist", 0, "too short");
  const items: Buffer[] = [];
  let position = 10;
  for (;;) {
    const prevlen = bytes[position];
    if (prevlen === undefined) fail("ziplist", position, "missing end byte");
    if (prevlen === 0xff) break;
    position += prevlen === 0xfe ? 5 : 1;
    const encoding = bytes[position]!;
    const kind = encoding >> 6;
    if (kind === 0) {
      const length = encoding & 0x3f;
      items.push(bytes.subarray(position + 1, position + 1 + length));
      position += 1 + length;
    } else if (kind === 1) {
      const length = ((encoding & 0x3f) << 8) | bytes[position + 1]!;
      items.push(bytes.subarray(position + 2, position + 2 + length));
      position += 2 + length;
    } else if (kind === 2) {
      const length = bytes.readUInt32BE(position + 1);
      items.push(bytes.subarray(position + 5, position + 5 + length));
      position += 5 + length;
    } else {
      position += 1;
      let value: bigint | number;
      if (encoding === 0xc0) [value, position] = [bytes.readInt16LE(position), position + 2];
      else if (encoding === 0xd0) [value, position] = [bytes.readInt32LE(position), position + 4];
      else if (encoding === 0xe0) [value, position] = [bytes.readBigInt64LE(position), position + 8];
      else if (encoding === 0xf0) [value, position] = [bytes.readIntLE(position, 3), position + 3];
      else if (encoding === 0xfe) [value, position] = [bytes.readInt8(position), position + 1];
      else if (encoding >= 0xf1 && encoding <= 0xfd) value = (encoding & 0x0f) - 1;
      else fail("ziplist", position - 1, `unknown encoding 0x${encoding.toString(16)}`);
      items.push(Buffer.from(String(value)));
    }
    if (position > bytes.length) fail("ziplist", position, "entry runs past the end");
  }
  return items;
}

/** Intset: `<encoding u32: 2|4|8> <count u32> <count little-endian integers of that width>`. */
export function intsetMembers(bytes: Buffer): Buffer[] {
  const width = bytes.readUInt32LE(0);
  const count = bytes.readUInt32LE(4);
  if (![2, 4, 8].includes(width) || 8 + width * count > bytes.length) fail("intset", 0, `bad header (width ${width}, count ${count})`);
  const members: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const at = 8 + i * width;
    const value = width === 2 ? bytes.readInt16LE(at) : width === 4 ? bytes.readInt32LE(at) : bytes.readBigInt64LE(at);
    members.push(Buffer.from(String(value)));
  }
  return members;
}
