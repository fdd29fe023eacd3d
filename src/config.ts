import { resolve } from "node:path";

/**
 * Every address and tunable of the system, read from the environment once. Variable names follow
 * the original STEDI system where it had one (REDIS_HOST, KAFKA_BROKER, KAFKA_RISK_TOPIC …), so each
 * part can point at an existing external service instead of the local stack.
 */
export interface StediConfig {
  /** Runtime state: logs, checkpoints, Kafka and Redis data, pid files. */
  readonly runtimeDir: string;
  /** Services the local stack must not start because they already run elsewhere (STEDI_EXTERNAL). */
  readonly external: readonly string[];
  readonly redis: {
    readonly host: string;
    readonly port: number;
    readonly db: number;
    readonly password: string | undefined;
    /** The db that holds secrets (password hashes, sessions): the CDC source never publishes it. */
    readonly secretsDb: number;
  };
  readonly kafka: {
    /** The bootstrap list, `host:port[,host:port…]`: every broker of the cluster. */
    readonly broker: string;
    /** Port of the KRaft controller listener of the local stack's first node. */
    readonly controllerPort: number;
    /** How many brokers the cluster has (STEDI_KAFKA_BROKERS; the local stack starts that many). */
    readonly brokers: number;
    /** The local stack's nodes, each broker and KRaft controller in one process. */
    readonly nodes: readonly KafkaNode[];
    readonly partitions: number;
    /** Copies of each partition the stack creates: min(3, brokers). */
    readonly replicationFactor: number;
    readonly topics: {
      readonly redisServer: string;
      readonly stediEvents: string;
      readonly customerRisk: string;
    };
  };
  readonly spark: {
    readonly remote: string;
    readonly masterUrl: string;
    readonly masterUiPort: number;
    readonly workerUiPort: number;
    /** How many workers the local stack starts (STEDI_SPARK_WORKERS). */
    readonly workers: number;
    readonly workerCores: number;
    readonly workerMemory: string;
    readonly executorMemory: string;
    readonly driverMemory: string;
    readonly shufflePartitions: number;
  };
  readonly app: {
    readonly host: string;
    readonly port: number;
    /**
     * Rapid step tests kept per customer (STEDI_TESTS_KEPT_PER_CUSTOMER), the newest by startTime:
     * saving one more drops the oldest, so Redis stays bounded. At least the 4 a risk score uses.
     */
    readonly testsKeptPerCustomer: number;
  };
  readonly jobs: {
    /** How long after a score its customer may still arrive and join (STEDI_JOIN_HORIZON). */
    readonly joinHorizon: string;
    /** How far a record's Kafka timestamp may lag the newest one seen (STEDI_JOIN_LATENESS). */
    readonly joinLateness: string;
    /**
     * Where the jobs' checkpoints live (STEDI_CHECKPOINT_DIR): a local path or any Hadoop-compatible
     * URI (file://, hdfs://, s3a://…) that the Connect server's driver and every executor can reach.
     */
    readonly checkpointDir: string;
  };
}

export interface KafkaNode {
  /** KRaft node.id, from 1. */
  readonly id: number;
  readonly host: string;
  readonly port: number;
  readonly controllerPort: number;
}

/**
 * The port of the n-th instance (from 1) of a service whose first instance has `base`: +10 each,
 * the one rule by which the local stack places extra brokers, controllers and worker UIs.
 */
export function nthPort(base: number, n: number): number {
  return base + 10 * (n - 1);
}

/** A bootstrap list `h:p,h:p` as the Kafka clients of this program take it. */
export function kafkaBootstrap(broker: string): string[] {
  return broker
    .split(",")
    .map((address) => address.trim())
    .filter(Boolean);
}

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

function integer(env: Env, name: string, fallback: number, min = 0, max = 65_535): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} is not a whole number from ${min} to ${max}`);
  }
  return value;
}

function text(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw === "" ? fallback : raw;
}

/** A Spark interval such as "1 hour" or "90 seconds", checked here so a typo fails at start-up. */
function interval(env: Env, name: string, fallback: string): string {
  const value = text(env, name, fallback).trim();
  if (!/^\d+ (second|minute|hour|day)s?$/i.test(value)) throw new ConfigError(`${name}=${value} is not an interval like "1 hour", "30 minutes" or "90 seconds"`);
  return value;
}

/** A URI (scheme://…) is kept as given; a path is made absolute; unset, the runtime folder's checkpoints/. */
function checkpointDir(env: Env, runtimeDir: string, cwd: string): string {
  const raw = text(env, "STEDI_CHECKPOINT_DIR", "");
  if (raw === "") return resolve(runtimeDir, "checkpoints");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return raw.replace(/\/+$/, "");
  return resolve(cwd, raw);
}

/** `host:port` → its parts; a bare host keeps the default port. */
export function parseHostPort(value: string, defaultPort: number): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(value.replace(/^[a-z]+:\/\//, "").replace(/\/.*$/, ""));
  if (!match?.[1]) throw new ConfigError(`"${value}" is not an address of the form host:port`);
  return { host: match[1], port: match[2] ? Number(match[2]) : defaultPort };
}

/**
 * The Kafka cluster. A KAFKA_BROKER list names an existing cluster's brokers; a single address is
 * the local stack's first node, and STEDI_KAFKA_BROKERS nodes follow it on nthPort.
 */
function kafkaCluster(env: Env): Pick<StediConfig["kafka"], "broker" | "controllerPort" | "brokers" | "nodes" | "replicationFactor"> {
  const listed = kafkaBootstrap(text(env, "KAFKA_BROKER", "127.0.0.1:9092"));
  const brokers = integer(env, "STEDI_KAFKA_BROKERS", listed.length, 1, 9);
  const controllerPort = integer(env, "KAFKA_CONTROLLER_PORT", 9093, 1);
  const first = parseHostPort(listed[0] ?? "127.0.0.1:9092", 9092);
  const nodes = Array.from({ length: brokers }, (_, index) => ({
    id: index + 1,
    host: first.host,
    port: nthPort(first.port, index + 1),
    controllerPort: nthPort(controllerPort, index + 1),
  }));
  const broker = listed.length > 1 ? listed.join(",") : nodes.map((node) => `${node.host}:${node.port}`).join(",");
  return { broker, controllerPort, brokers, nodes, replicationFactor: Math.min(3, brokers) };
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): StediConfig {
  const sparkMaster = text(env, "SPARK_MASTER", "spark://127.0.0.1:7077");
  const runtimeDir = resolve(cwd, text(env, "STEDI_HOME", ".stedi"));
  return {
    runtimeDir,
    external: text(env, "STEDI_EXTERNAL", "")
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean),
    redis: {
      host: text(env, "REDIS_HOST", "127.0.0.1"),
      port: integer(env, "REDIS_PORT", 6379, 1),
      db: integer(env, "REDIS_DB", 0, 0, 15),
      password: env.REDIS_PASSWORD || undefined,
      secretsDb: integer(env, "REDIS_SECRETS_DB", 1, 0, 15),
    },
    kafka: {
      ...kafkaCluster(env),
      partitions: integer(env, "KAFKA_PARTITIONS", 1, 1, 1000),
      topics: {
        redisServer: text(env, "KAFKA_REDIS_TOPIC", "redis-server"),
        stediEvents: text(env, "KAFKA_EVENTS_TOPIC", "stedi-events"),
        customerRisk: text(env, "KAFKA_RISK_TOPIC", "customer-risk"),
      },
    },
    spark: {
      remote: text(env, "SPARK_REMOTE", "sc://127.0.0.1:15002"),
      masterUrl: sparkMaster,
      masterUiPort: integer(env, "SPARK_MASTER_WEBUI_PORT", 8080, 1),
      workerUiPort: integer(env, "SPARK_WORKER_WEBUI_PORT", 8081, 1),
      workers: integer(env, "STEDI_SPARK_WORKERS", 1, 1, 9),
      workerCores: integer(env, "SPARK_WORKER_CORES", 2, 1, 256),
      workerMemory: text(env, "SPARK_WORKER_MEMORY", "2g"),
      // 512m heaps, fixed (see jvm-memory.ts): the job's state is a few MiB; under `npm start` the
      // Connect server's old generation held 221 MiB, the executor's 99.
      executorMemory: text(env, "SPARK_EXECUTOR_MEMORY", "512m"),
      driverMemory: text(env, "SPARK_DRIVER_MEMORY", "512m"),
      shufflePartitions: integer(env, "SPARK_SHUFFLE_PARTITIONS", 4, 1, 10_000),
    },
    app: {
      host: text(env, "STEDI_HOST", "127.0.0.1"),
      port: integer(env, "STEDI_PORT", 4567, 0),
      testsKeptPerCustomer: integer(env, "STEDI_TESTS_KEPT_PER_CUSTOMER", 1_000, 4, 1_000_000),
    },
    jobs: {
      joinHorizon: interval(env, "STEDI_JOIN_HORIZON", "15 minutes"),
      joinLateness: interval(env, "STEDI_JOIN_LATENESS", "10 minutes"),
      checkpointDir: checkpointDir(env, runtimeDir, cwd),
    },
  };
}
