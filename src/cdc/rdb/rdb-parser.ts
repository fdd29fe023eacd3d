/**
 * The RDB snapshot a master sends on a full resync, one entry at a time, from a buffer that may not
 * hold the whole file yet (`parseEntry` returns undefined until the next entry is complete, so the
 * snapshot is never held in memory at once).
 *
 * File layout: `REDIS` + 4-digit version, then opcodes until 0xFF and an 8-byte checksum:
 *   0xFA AUX name value · 0xFB RESIZEDB sizes · 0xFE SELECTDB db · 0xF5 FUNCTION2 code
 *   0xF7 MODULE_AUX · before a key: 0xFC expiry ms (u64 LE), 0xFD expiry s (u32 LE), 0xF8 IDLE, 0xF9 FREQ
 *   otherwise a value-type byte, then the key (string) and the value in that type's encoding.
 */
import { intsetMembers, listpackEntries, ziplistEntries } from "./compact-encodings.js";
import { NEED_MORE, RdbCursor, RdbFormatError } from "./rdb-cursor.js";
import { skipModuleValue, skipStream } from "./rdb-skip.js";

export type RdbValue =
  | { readonly type: "string"; readonly value: Buffer }
  | { readonly type: "list"; readonly items: Buffer[] }
  | { readonly type: "set"; readonly members: Buffer[] }
  | { readonly type: "zset"; readonly entries: { element: Buffer; score: number }[] }
  | { readonly type: "hash"; readonly pairs: [Buffer, Buffer][] }
  /** Streams and module values are read past, not decoded: the caller counts them. */
  | { readonly type: "stream" | "module" };

export type RdbEntry =
  | { readonly kind: "header"; readonly version: number }
  | { readonly kind: "aux"; readonly name: string; readonly value: Buffer }
  | { readonly kind: "select"; readonly db: number }
  | { readonly kind: "key"; readonly key: Buffer; readonly expireAtMs: bigint | null; readonly value: RdbValue }
  | { readonly kind: "skipped"; readonly what: string }
  | { readonly kind: "end" };

const TYPE = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  MODULE: 6,
  MODULE_2: 7,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
  SET_LISTPACK: 20,
  STREAM_LISTPACKS_3: 21,
} as const;

const OPCODE = { FUNCTION2: 0xf5, MODULE_AUX: 0xf7, IDLE: 0xf8, FREQ: 0xf9, AUX: 0xfa, RESIZEDB: 0xfb, EXPIRETIME_MS: 0xfc, EXPIRETIME: 0xfd, SELECTDB: 0xfe, EOF: 0xff } as const;

function pairs(items: Buffer[]): [Buffer, Buffer][] {
  const result: [Buffer, Buffer][] = [];
  for (let i = 0; i + 1 < items.length; i += 2) result.push([items[i]!, items[i + 1]!]);
  return result;
}

function zsetFromFlat(items: Buffer[]): { element: Buffer; score: number }[] {
  return pairs(items).map(([element, score]) => ({ element, score: Number(score.toString("latin1")) }));
}

function readValue(cursor: RdbCursor, type: number): RdbValue {
  switch (type) {
    case TYPE.STRING:
      return { type: "string", value: cursor.string() };
    case TYPE.LIST:
    case TYPE.SET: {
      const count = cursor.length();
      const items: Buffer[] = [];
      for (let i = 0; i < count; i++) items.push(cursor.string());
      return type === TYPE.LIST ? { type: "list", items } : { type: "set", members: items };
    }
    case TYPE.ZSET:
    case TYPE.ZSET_2: {
      const count = cursor.length();
      const entries: { element: Buffer; score: number }[] = [];
      for (let i = 0; i < count; i++) {
        const element = cursor.string();
        entries.push({ element, score: type === TYPE.ZSET ? cursor.asciiDouble() : cursor.binaryDouble() });
      }
      // Redis writes sorted sets highest score first; a client expects the ZRANGE order.
      return { type: "zset", entries: entries.reverse() };
    }
    case TYPE.HASH: {
      const count = cursor.length();
      const result: [Buffer, Buffer][] = [];
      for (let i = 0; i < count; i++) result.push([cursor.string(), cursor.string()]);
      return { type: "hash", pairs: result };
    }
    case TYPE.LIST_ZIPLIST:
      return { type: "list", items: ziplistEntries(cursor.string()) };
    case TYPE.SET_INTSET:
      return { type: "set", members: intsetMembers(cursor.string()) };
    case TYPE.SET_LISTPACK:
      return { type: "set", members: listpackEntries(cursor.string()) };
    case TYPE.ZSET_ZIPLIST:
      return { type: "zset", entries: zsetFromFlat(ziplistEntries(cursor.string())) };
    case TYPE.ZSET_LISTPACK:
      return { type: "zset", entries: zsetFromFlat(listpackEntries(cursor.string())) };
    case TYPE.HASH_ZIPLIST:
      return { type: "hash", pairs: pairs(ziplistEntries(cursor.string())) };
    case TYPE.HASH_LISTPACK:
      return { type: "hash", pairs: pairs(listpackEntries(cursor.string())) };
    case TYPE.LIST_QUICKLIST: {
      const nodes = cursor.length();
      const items: Buffer[] = [];
      for (let i = 0; i < nodes; i++) items.push(...ziplistEntries(cursor.string()));
      return { type: "list", items };
    }
    case TYPE.LIST_QUICKLIST_2: {
      // Each node: container 1 = one plain (large) item, 2 = a listpack of items.
      const nodes = cursor.length();
      const items: Buffer[] = [];
      for (let i = 0; i < nodes; i++) {
        const container = cursor.length();
        const data = cursor.string();
        if (container === 1) items.push(data);
        else if (container === 2) items.push(...listpackEntries(data));
        else throw new RdbFormatError(`unknown quicklist container ${container}`);
      }
      return { type: "list", items };
    }
    case TYPE.STREAM_LISTPACKS:
    case TYPE.STREAM_LISTPACKS_2:
    case TYPE.STREAM_LISTPACKS_3:
      skipStream(cursor, type === TYPE.STREAM_LISTPACKS ? 1 : type === TYPE.STREAM_LISTPACKS_2 ? 2 : 3);
      return { type: "stream" };
    case TYPE.MODULE_2:
      cursor.length(); // module id
      skipModuleValue(cursor);
      return { type: "module" };
    default:
      throw new RdbFormatError(
        `value type ${type}${type === TYPE.MODULE ? " (module, pre-4.0 encoding)" : type === TYPE.HASH_ZIPMAP ? " (zipmap, pre-2.6)" : ""} is not supported`,
      );
  }
}

/** Reads one entry whole; throws NEED_MORE if the buffer ends inside it. */
function readEntry(cursor: RdbCursor): RdbEntry {
  let expireAtMs: bigint | null = null;
  for (;;) {
    const opcode = cursor.byte();
    switch (opcode) {
      case OPCODE.EOF:
        cursor.take(8); // CRC64 checksum
        return { kind: "end" };
      case OPCODE.AUX: {
        const name = cursor.string().toString("utf8");
        return { kind: "aux", name, value: cursor.string() };
      }
      case OPCODE.SELECTDB:
        return { kind: "select", db: cursor.length() };
      case OPCODE.RESIZEDB:
        cursor.length();
        cursor.length();
        return { kind: "skipped", what: "RESIZEDB" };
      case OPCODE.FUNCTION2:
        cursor.string();
        return { kind: "skipped", what: "FUNCTION" };
      case OPCODE.MODULE_AUX:
        cursor.length(); // module id
        cursor.length(); // when opcode
        cursor.length(); // when
        skipModuleValue(cursor);
        return { kind: "skipped", what: "MODULE_AUX" };
      // Prefixes of the key that follows.
      case OPCODE.EXPIRETIME_MS:
        expireAtMs = cursor.take(8).readBigUInt64LE(0);
        continue;
      case OPCODE.EXPIRETIME:
        expireAtMs = BigInt(cursor.take(4).readUInt32LE(0)) * 1000n;
        continue;
      case OPCODE.IDLE:
        cursor.length();
        continue;
      case OPCODE.FREQ:
        cursor.byte();
        continue;
      default: {
        const key = cursor.string();
        return { kind: "key", key, expireAtMs, value: readValue(cursor, opcode) };
      }
    }
  }
}

export { RdbFormatError } from "./rdb-cursor.js";

/**
 * The entry at `start` and the offset after it, or undefined when the buffer ends inside it. The
 * first call (at the start of the file) returns the header.
 */
export function parseEntry(buffer: Buffer, start: number, atFileStart: boolean): { entry: RdbEntry; end: number } | undefined {
  const cursor = new RdbCursor(buffer, start);
  try {
    if (atFileStart) {
      const magic = cursor.take(9).toString("latin1");
      if (!/^REDIS\d{4}$/.test(magic)) throw new RdbFormatError(`not an RDB file (starts with ${JSON.stringify(magic)})`);
      return { entry: { kind: "header", version: Number(magic.slice(5)) }, end: cursor.position };
    }
    const entry = readEntry(cursor);
    return { entry, end: cursor.position };
  } catch (error) {
    if (error === NEED_MORE) return undefined;
    throw error;
  }
}
