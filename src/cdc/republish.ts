/**
 * Re-publishing chosen keys: Kafka's retention deletes old `redis-server` records, and with them the
 * only ZADD that registered a customer long ago; a job started afresh would never learn of that
 * customer. So the CDC source re-publishes the whole current content of those keys (by default
 * `Customer`) on start and then on a schedule shorter than the topic's retention: whatever retention
 * deleted, the last re-publication is still there. The records are the same `redis-server` ZADD a
 * full resync's snapshot would publish (snapshotRecords), so every reader already understands them,
 * and re-adding members that exist changes nothing in Redis terms.
 *
 * Consistency with the stream: the read happens in one MULTI/EXEC together with INFO replication,
 * so the content is exactly the state at the master's offset `offset`; the CDC source inserts the
 * records into its stream at that offset (not earlier, not later), as if Redis had written them
 * there. Only sorted sets are re-published (what Customer is); other types are reported.
 */
import { Redis } from "ioredis";
import { parseScore, type RedisServerRecord, type ZSetEntry } from "../domain/redis-server.js";
import { snapshotRecords } from "./snapshot-records.js";

export interface KeysContent {
  /** The master's replication id and offset at which `records` is the keys' exact content. */
  readonly replid: string;
  readonly offset: number;
  readonly records: RedisServerRecord[];
  /** Keys that exist but are not sorted sets: not re-published. */
  readonly skipped: string[];
}

/** Reads `keys` of `db` and the master's position at that instant (one transaction). */
export async function readKeysContent(redis: { host: string; port: number; password: string | undefined }, db: number, keys: readonly string[]): Promise<KeysContent> {
  const client = new Redis({ ...redis, db, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000, enableOfflineQueue: false });
  client.on("error", () => undefined);
  try {
    await client.connect();
    let transaction = client.multi();
    for (const key of keys) transaction = transaction.type(key).zrangeBuffer(key, 0, -1, "WITHSCORES");
    const replies = (await transaction.info("replication").exec()) ?? [];
    const failed = replies.find(([error]) => error !== null);
    if (failed) throw failed[0]!;
    const info = String(replies.at(-1)![1]);
    const replid = /master_replid:(\w+)/.exec(info)?.[1];
    const offset = /master_repl_offset:(\d+)/.exec(info)?.[1];
    if (replid === undefined || offset === undefined) throw new Error("INFO replication did not report master_replid and master_repl_offset");
    const records: RedisServerRecord[] = [];
    const skipped: string[] = [];
    keys.forEach((key, index) => {
      const type = String(replies[2 * index]![1]);
      if (type === "none") return;
      if (type !== "zset") {
        skipped.push(key);
        return;
      }
      const flat = replies[2 * index + 1]![1] as Buffer[];
      const entries: ZSetEntry[] = [];
      for (let i = 0; i < flat.length; i += 2) entries.push({ element: flat[i]!, score: parseScore(flat[i + 1]!) ?? Number.NaN });
      records.push(...(snapshotRecords({ kind: "key", key: Buffer.from(key), value: { type: "zset", entries }, expireAtMs: null }) ?? []));
    });
    return { replid, offset: Number(offset), records, skipped };
  } finally {
    client.disconnect();
  }
}
