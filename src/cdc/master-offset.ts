import { Redis } from "ioredis";

/**
 * The master's replication offset (INFO replication), to report how many bytes the CDC source is
 * behind; undefined when Redis does not answer (the replica link reports that itself).
 */
export async function masterOffset(redis: { host: string; port: number; password: string | undefined }): Promise<number | undefined> {
  const client = new Redis({ ...redis, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000, enableOfflineQueue: false });
  client.on("error", () => undefined);
  try {
    await client.connect();
    const info = await client.info("replication");
    const offset = /master_repl_offset:(\d+)/.exec(info)?.[1];
    return offset === undefined ? undefined : Number(offset);
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}
