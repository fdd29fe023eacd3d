/**
 * The `redis-server` topic's format (SPEC §2): each Redis write command as the original Kafka Connect
 * Redis source serialised it — JSON with every binary field (keys, members, values) in standard
 * base64, fields in a fixed order, doubles written as Java does (`0.0`). Pure: no I/O.
 *
 * A command maps to one or more records: commands that write several keys or pairs at once (DEL a b,
 * HSET k f1 v1 f2 v2) become one record per key or pair, so that every record has exactly one Redis
 * key as its Kafka key and per-key order survives several partitions.
 */
import type { Parsed } from "./parsed.js";
import { jacksonDouble, jsonArray, jsonBase64, jsonInteger, jsonString } from "./redis-server-json.js";


export interface RedisServerRecord {
  /** The command name as Redis propagated it, upper-case: the record's header. */
  readonly command: string;
  /** The Redis key the record is about: the Kafka record key (null for FLUSHALL and the like). */
  readonly key: Buffer | null;
  /** The JSON value, byte-exact as SPEC §2. */
  readonly value: string;
}

export interface ZSetEntry {
  readonly element: Buffer;
  readonly score: number;
}

export type ExistType = "NONE" | "NX" | "XX";

export interface ZaddOptions {
  readonly existType?: ExistType;
  readonly ch?: boolean;
  readonly incr?: boolean;
  /** GT/LT (Redis ≥ 6.2); written only when present, after the original fields. */
  readonly compareType?: "GT" | "LT";
}

/** `{"key","existType","ch","incr","zSetEntries","zsetEntries"}`: the duplicate array is the original's. */
export function zaddValue(key: Buffer, entries: readonly ZSetEntry[], options: ZaddOptions = {}): string {
  const array = jsonArray(entries.map((entry) => `{"element":${jsonBase64(entry.element)},"score":${jacksonDouble(entry.score)}}`));
  const compare = options.compareType ? `,"compareType":${jsonString(options.compareType)}` : "";
  return (
    `{"key":${jsonBase64(key)},"existType":${jsonString(options.existType ?? "NONE")},"ch":${options.ch === true},` +
    `"incr":${options.incr === true},"zSetEntries":${array},"zsetEntries":${array}${compare}}`
  );
}

export interface SetOptions {
  readonly expiredType?: "NONE" | "SECOND" | "MS";
  /** Decimal digits, kept as text so that no precision is lost. */
  readonly expiredValue?: string | null;
  readonly existType?: ExistType;
  /** Absolute expiry (EXAT/PXAT, which Redis 7 propagates for SETEX and SET … EX): written only when present. */
  readonly xatType?: "EXAT" | "PXAT";
  readonly xatValue?: string;
  readonly keepTtl?: boolean;
}

/** `{"key","value","expiredType","expiredValue","existType"}` (+ `xatType`/`xatValue`/`keepTtl` only when set). */
export function setValue(key: Buffer, value: Buffer, options: SetOptions = {}): string {
  const expired = options.expiredValue === undefined || options.expiredValue === null ? "null" : jsonInteger(options.expiredValue);
  const xat = options.xatType && options.xatValue !== undefined ? `,"xatType":${jsonString(options.xatType)},"xatValue":${jsonInteger(options.xatValue)}` : "";
  return (
    `{"key":${jsonBase64(key)},"value":${jsonBase64(value)},"expiredType":${jsonString(options.expiredType ?? "NONE")},` +
    `"expiredValue":${expired},"existType":${jsonString(options.existType ?? "NONE")}${xat}${options.keepTtl ? `,"keepTtl":true` : ""}}`
  );
}

/** ZREM, SADD, SREM: `{"key","members":[…]}`. */
export function membersValue(key: Buffer, members: readonly Buffer[]): string {
  return `{"key":${jsonBase64(key)},"members":${jsonArray(members.map(jsonBase64))}}`;
}

/** DEL, UNLINK: `{"keys":[…]}`. */
export function keysValue(keys: readonly Buffer[]): string {
  return `{"keys":${jsonArray(keys.map(jsonBase64))}}`;
}

/** HSET, HMSET, HSETNX: `{"key","field","value"}`, one per pair. */
export function hsetValue(key: Buffer, field: Buffer, value: Buffer): string {
  return `{"key":${jsonBase64(key)},"field":${jsonBase64(field)},"value":${jsonBase64(value)}}`;
}

/** LPUSH, RPUSH (and the X variants): `{"key","values":[…]}`. */
export function pushValue(key: Buffer, values: readonly Buffer[]): string {
  return `{"key":${jsonBase64(key)},"values":${jsonArray(values.map(jsonBase64))}}`;
}

/** INCR, DECR: `{"key"}`. */
export function keyValue(key: Buffer): string {
  return `{"key":${jsonBase64(key)}}`;
}

/** INCRBY, DECRBY: `{"key","value":n}`. */
export function incrByValue(key: Buffer, by: string): string {
  return `{"key":${jsonBase64(key)},"value":${jsonInteger(by)}}`;
}

/** ZINCRBY: `{"key","increment":d,"member"}`. */
export function zincrbyValue(key: Buffer, increment: number, member: Buffer): string {
  return `{"key":${jsonBase64(key)},"increment":${jacksonDouble(increment)},"member":${jsonBase64(member)}}`;
}

/** EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT: `{"key","ex":n}` (+ `condition` NX|XX|GT|LT when given). */
export function expireValue(key: Buffer, ex: string, condition?: string): string {
  return `{"key":${jsonBase64(key)},"ex":${jsonInteger(ex)}${condition ? `,"condition":${jsonString(condition)}` : ""}}`;
}

/** Any other write: `{"command":"<NAME>","args":[b64…]}`, so that nothing is dropped silently. */
export function genericRecord(args: readonly Buffer[]): RedisServerRecord {
  const command = args[0] ? args[0].toString("latin1").toUpperCase() : "";
  const rest = args.slice(1);
  return { command, key: rest[0] ?? null, value: `{"command":${jsonString(command)},"args":${jsonArray(rest.map(jsonBase64))}}` };
}

const INTEGER = /^[+-]?\d+$/;
// What Redis' strtod accepts for a score: decimal or exponent form, or ±inf.
const SCORE = /^[+-]?(?:inf|infinity|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)$/i;

/** A ZADD/ZINCRBY score as Redis reads it; undefined when Redis would have refused it. */
export function parseScore(raw: Buffer): number | undefined {
  const text = raw.toString("latin1");
  if (!SCORE.test(text)) return undefined;
  const lower = text.toLowerCase().replace(/^\+/, "");
  if (lower === "inf" || lower === "infinity") return Infinity;
  if (lower === "-inf" || lower === "-infinity") return -Infinity;
  return Number(text);
}

function integerText(raw: Buffer | undefined): string | undefined {
  const text = raw?.toString("latin1");
  return text !== undefined && INTEGER.test(text) ? text : undefined;
}

const fail = (reason: string): Parsed<never> => ({ ok: false, reason });
const one = (command: string, key: Buffer, value: string): Parsed<RedisServerRecord[]> => ({ ok: true, value: [{ command, key, value }] });

function parseZadd(command: string, key: Buffer, args: readonly Buffer[]): Parsed<RedisServerRecord[]> {
  let existType: ExistType = "NONE";
  let compareType: "GT" | "LT" | undefined;
  let ch = false;
  let incr = false;
  let index = 0;
  for (; index < args.length; index++) {
    const flag = args[index]!.toString("latin1").toUpperCase();
    if (flag === "NX" || flag === "XX") existType = flag;
    else if (flag === "GT" || flag === "LT") compareType = flag;
    else if (flag === "CH") ch = true;
    else if (flag === "INCR") incr = true;
    else break;
  }
  const pairs = args.slice(index);
  if (pairs.length === 0 || pairs.length % 2 !== 0) return fail(`${command} needs score/member pairs, got ${pairs.length} argument(s) after the flags`);
  const entries: ZSetEntry[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const score = parseScore(pairs[i]!);
    if (score === undefined) return fail(`${command} score "${pairs[i]!.toString("latin1")}" is not a number`);
    entries.push({ element: pairs[i + 1]!, score });
  }
  return one(command, key, zaddValue(key, entries, { existType, ch, incr, ...(compareType ? { compareType } : {}) }));
}

function parseSet(command: string, key: Buffer, args: readonly Buffer[]): Parsed<RedisServerRecord[]> {
  const [value, ...flags] = args;
  if (!value) return fail("SET needs a value");
  const options: { -readonly [K in keyof SetOptions]: SetOptions[K] } = {};
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!.toString("latin1").toUpperCase();
    if (flag === "NX" || flag === "XX") options.existType = flag;
    else if (flag === "GET") continue;
    else if (flag === "KEEPTTL") options.keepTtl = true;
    else if (flag === "EX" || flag === "PX" || flag === "EXAT" || flag === "PXAT") {
      const amount = integerText(flags[++i]);
      if (amount === undefined) return fail(`SET ${flag} needs an integer`);
      if (flag === "EX" || flag === "PX") {
        options.expiredType = flag === "EX" ? "SECOND" : "MS";
        options.expiredValue = amount;
      } else {
        options.xatType = flag;
        options.xatValue = amount;
      }
    } else return fail(`SET has an unknown option "${flag}"`);
  }
  return one(command, key, setValue(key, value, options));
}

function parseExpiring(command: string, key: Buffer, args: readonly Buffer[], unit: "SECOND" | "MS"): Parsed<RedisServerRecord[]> {
  const amount = integerText(args[0]);
  if (amount === undefined || !args[1] || args.length > 2) return fail(`${command} needs an integer and a value`);
  return one(command, key, setValue(key, args[1], { expiredType: unit, expiredValue: amount }));
}

function parsePairs(command: string, key: Buffer, args: readonly Buffer[]): Parsed<RedisServerRecord[]> {
  if (args.length === 0 || args.length % 2 !== 0) return fail(`${command} needs field/value pairs`);
  const records: RedisServerRecord[] = [];
  for (let i = 0; i < args.length; i += 2) records.push({ command, key, value: hsetValue(key, args[i]!, args[i + 1]!) });
  return { ok: true, value: records };
}

/**
 * One propagated write command (name first, as it came in the replication stream) → its records.
 * Fails, with the reason, when a known command is malformed: the caller then publishes it in the
 * generic form (`genericRecord`) and counts it, so nothing is dropped.
 */
export function commandRecords(args: readonly Buffer[]): Parsed<RedisServerRecord[]> {
  if (args.length === 0) return fail("empty command");
  const command = args[0]!.toString("latin1").toUpperCase();
  const key = args[1];
  const rest = args.slice(2);
  switch (command) {
    case "ZADD":
      return key ? parseZadd(command, key, rest) : fail("ZADD needs a key");
    case "SET":
      return key ? parseSet(command, key, rest) : fail("SET needs a key");
    case "SETEX":
    case "PSETEX":
      return key ? parseExpiring(command, key, rest, command === "SETEX" ? "SECOND" : "MS") : fail(`${command} needs a key`);
    case "SETNX":
      return key && rest.length === 1 ? one(command, key, setValue(key, rest[0]!, { existType: "NX" })) : fail("SETNX needs a key and a value");
    case "DEL":
    case "UNLINK":
      if (args.length < 2) return fail(`${command} needs a key`);
      return { ok: true, value: args.slice(1).map((each) => ({ command, key: each, value: keysValue([each]) })) };
    case "ZREM":
    case "SADD":
    case "SREM":
      return key && rest.length > 0 ? one(command, key, membersValue(key, rest)) : fail(`${command} needs a key and members`);
    case "ZINCRBY": {
      const increment = rest[0] ? parseScore(rest[0]) : undefined;
      if (!key || increment === undefined || rest.length !== 2) return fail("ZINCRBY needs a key, a numeric increment and a member");
      return one(command, key, zincrbyValue(key, increment, rest[1]!));
    }
    case "HSET":
    case "HMSET":
    case "HSETNX":
      return key ? parsePairs(command, key, rest) : fail(`${command} needs a key`);
    case "LPUSH":
    case "RPUSH":
    case "LPUSHX":
    case "RPUSHX":
      return key && rest.length > 0 ? one(command, key, pushValue(key, rest)) : fail(`${command} needs a key and values`);
    case "INCR":
    case "DECR":
      return key && rest.length === 0 ? one(command, key, keyValue(key)) : fail(`${command} needs exactly one key`);
    case "INCRBY":
    case "DECRBY": {
      const by = integerText(rest[0]);
      return key && by !== undefined && rest.length === 1 ? one(command, key, incrByValue(key, by)) : fail(`${command} needs a key and an integer`);
    }
    case "EXPIRE":
    case "PEXPIRE":
    case "EXPIREAT":
    case "PEXPIREAT": {
      const ex = integerText(rest[0]);
      const condition = rest[1]?.toString("latin1").toUpperCase();
      if (!key || ex === undefined || rest.length > 2 || (condition !== undefined && !["NX", "XX", "GT", "LT"].includes(condition))) {
        return fail(`${command} needs a key, an integer and at most one of NX|XX|GT|LT`);
      }
      return one(command, key, expireValue(key, ex, condition));
    }
    default:
      return { ok: true, value: [genericRecord(args)] };
  }
}
