import { join } from "node:path";
import { ConfigError, type Env, type StediConfig } from "../config.js";

/**
 * Everything the CDC source needs, from the system config plus its own variables:
 *   CDC_DBS            comma-separated Redis dbs to publish (default: REDIS_DB)
 *   CDC_INCLUDE_KEYS   comma-separated Redis glob patterns; only matching keys are published
 *   CDC_EXCLUDE_KEYS   comma-separated Redis glob patterns; matching keys are never published
 *   CDC_STATE_FILE     where the acknowledged (replication id, offset) is kept (default <runtime>/cdc/state.json)
 *   CDC_MAX_BUFFERED   records read from Redis but not yet acknowledged by Kafka before reading pauses
 *   CDC_MAX_BUFFERED_BYTES  the same bound in bytes (default 64 MiB)
 *   CDC_REPLICATION_TIMEOUT_MS  no byte received from Redis for this long means the link is dead
 *                      (default 60000, Redis's own repl-timeout; the master pings every 10 s)
 *   CDC_REPUBLISH_KEYS comma-separated sorted-set keys re-published whole on start and on a schedule,
 *                      so that topic retention never deletes their last copy (default Customer; "" = none)
 *   CDC_REPUBLISH_INTERVAL_MS  that schedule (default 1 hour: well inside the redis-server topic's
 *                      retention by time, 7 days, and by size, 2 GiB, which the default simulation
 *                      fills in about 10 hours)
 */
export interface CdcOptions {
  readonly redis: { readonly host: string; readonly port: number; readonly password: string | undefined };
  readonly kafka: { readonly broker: string; readonly topic: string; readonly clientId: string };
  readonly dbs: readonly number[];
  readonly includeKeys: readonly string[];
  readonly excludeKeys: readonly string[];
  readonly stateFile: string;
  /** Backpressure bound: reading from Redis pauses while this many records wait for Kafka. */
  readonly maxBufferedRecords: number;
  readonly maxBufferedBytes: number;
  /** Silence from the master (bytes received, not sent) after which the connection is dropped. */
  readonly replicationTimeoutMs: number;
  /** Most records in one produce request. */
  readonly batchRecords: number;
  /** How often progress is logged. */
  readonly reportIntervalMs: number;
  /** Sorted sets re-published whole on start and every `republishIntervalMs` (see republish.ts). */
  readonly republishKeys: readonly string[];
  readonly republishIntervalMs: number;
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

function positiveInteger(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new ConfigError(`${name}=${raw} is not a positive whole number`);
  return value;
}

export function cdcOptions(config: StediConfig, env: Env = process.env): CdcOptions {
  const dbs = list(env, "CDC_DBS").map((raw) => {
    const db = Number(raw);
    if (!Number.isInteger(db) || db < 0 || db > 15) throw new ConfigError(`CDC_DBS contains "${raw}", which is not a Redis db number from 0 to 15`);
    return db;
  });
  const followed = dbs.length > 0 ? [...new Set(dbs)] : [config.redis.db];
  // Secrets (password hashes, sessions) live in their own db precisely so that they never reach Kafka.
  if (followed.includes(config.redis.secretsDb)) {
    throw new ConfigError(
      `the CDC source would publish db ${config.redis.secretsDb}, which holds the secrets (REDIS_SECRETS_DB): choose other dbs with CDC_DBS/REDIS_DB, or move the secrets with REDIS_SECRETS_DB`,
    );
  }
  const maxBuffered = positiveInteger(env, "CDC_MAX_BUFFERED", 20_000);
  const republishIntervalMs = positiveInteger(env, "CDC_REPUBLISH_INTERVAL_MS", 3_600_000);
  return {
    redis: { host: config.redis.host, port: config.redis.port, password: config.redis.password },
    kafka: { broker: config.kafka.broker, topic: config.kafka.topics.redisServer, clientId: "stedi-cdc" },
    dbs: followed,
    includeKeys: list(env, "CDC_INCLUDE_KEYS"),
    excludeKeys: list(env, "CDC_EXCLUDE_KEYS"),
    stateFile: env.CDC_STATE_FILE || join(config.runtimeDir, "cdc", "state.json"),
    maxBufferedRecords: maxBuffered,
    maxBufferedBytes: positiveInteger(env, "CDC_MAX_BUFFERED_BYTES", 64 * 1024 * 1024),
    replicationTimeoutMs: positiveInteger(env, "CDC_REPLICATION_TIMEOUT_MS", 60_000),
    batchRecords: Math.min(5_000, maxBuffered),
    reportIntervalMs: 5_000,
    republishKeys: env.CDC_REPUBLISH_KEYS === undefined ? ["Customer"] : list(env, "CDC_REPUBLISH_KEYS"),
    republishIntervalMs,
  };
}
