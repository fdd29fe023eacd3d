import { expireValue, hsetValue, membersValue, pushValue, setValue, zaddValue, type RedisServerRecord, type ZSetEntry } from "../domain/redis-server.js";
import type { RdbEntry } from "./rdb/rdb-parser.js";

// Kafka refuses records over ~1 MB by default: large collections are cut into several commands of
// the same kind on the same key, each well under that.
const CHUNK_BYTES = 512 * 1024;

function chunks<T>(items: readonly T[], size: (item: T) => number): T[][] {
  const result: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const itemBytes = size(item);
    if (current.length > 0 && bytes + itemBytes > CHUNK_BYTES) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += itemBytes;
  }
  if (current.length > 0) result.push(current);
  return result;
}

// Base64 grows bytes by 4/3; plus the JSON around each item.
const encodedSize = (bytes: Buffer): number => Math.ceil(bytes.length / 3) * 4 + 16;

/**
 * A key of the snapshot as the commands that would rebuild it, in the `redis-server` format: a
 * sorted set is one ZADD with all members, a set one SADD, a list one RPUSH, a hash one HSET record
 * per field, a string one SET (with PXAT when it expires); other types get a PEXPIREAT after their
 * data when they expire. Streams and module values are not expressible this way: undefined.
 */
export function snapshotRecords(entry: Extract<RdbEntry, { kind: "key" }>): RedisServerRecord[] | undefined {
  const { key, value, expireAtMs } = entry;
  const records: RedisServerRecord[] = [];
  switch (value.type) {
    case "string":
      return [{ command: "SET", key, value: setValue(key, value.value, expireAtMs === null ? {} : { xatType: "PXAT", xatValue: expireAtMs.toString() }) }];
    case "zset":
      // The ZADD format carries every entry twice (zSetEntries and zsetEntries).
      for (const part of chunks<ZSetEntry>(value.entries, (entry) => 2 * (encodedSize(entry.element) + 24))) records.push({ command: "ZADD", key, value: zaddValue(key, part) });
      break;
    case "set":
      for (const part of chunks(value.members, encodedSize)) records.push({ command: "SADD", key, value: membersValue(key, part) });
      break;
    case "list":
      for (const part of chunks(value.items, encodedSize)) records.push({ command: "RPUSH", key, value: pushValue(key, part) });
      break;
    case "hash":
      for (const [field, fieldValue] of value.pairs) records.push({ command: "HSET", key, value: hsetValue(key, field, fieldValue) });
      break;
    default:
      return undefined;
  }
  if (expireAtMs !== null) records.push({ command: "PEXPIREAT", key, value: expireValue(key, expireAtMs.toString()) });
  return records;
}
