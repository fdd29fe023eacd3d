import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { Admin } from "@platformatic/kafka";
import { kafkaBootstrap, type KafkaNode, type StediConfig } from "../../config.js";
import type { StackLayout } from "../layout.js";
import { installJars, kafkaJars } from "../install.js";
import { StackError } from "../errors.js";
import { logTail } from "../processes.js";
import { LOG_ROLLING } from "../../log-file.js";
import { JVM_ENV, jvmMemoryOptions, KAFKA_MEMORY } from "./jvm-memory.js";
import { log4j2Properties } from "./log4j2.js";
import { probing, type Service, type ServiceName, type StackContext } from "./service.js";

export function kafkaTopics(config: StediConfig): string[] {
  return Object.values(config.kafka.topics);
}

/**
 * Each topic's retention, set when the stack creates it, so that a system left running keeps a
 * bounded disk: by time and by size per partition, in 64 MiB segments (Kafka deletes whole
 * segments). redis-server holds the customers a fresh job must still know, so it keeps the longest.
 */
export function kafkaTopicConfigs(config: StediConfig, topic: string): { name: string; value: string }[] {
  const GiB = 2 ** 30;
  const [days, bytes] = topic === config.kafka.topics.redisServer ? [7, 2 * GiB] : [2, GiB];
  return [
    { name: "retention.ms", value: String(days * 24 * 3_600_000) },
    { name: "retention.bytes", value: String(bytes) },
    { name: "segment.bytes", value: String(64 * 2 ** 20) },
  ];
}

/**
 * Topic settings that depend on the cluster's size: with three copies, a write is acknowledged
 * (acks=all) once two hold it, so one broker may die without losing an acknowledged record.
 */
export function kafkaReplicaConfigs(config: StediConfig): { name: string; value: string }[] {
  return config.kafka.replicationFactor >= 3 ? [{ name: "min.insync.replicas", value: "2" }] : [];
}

/**
 * server.properties of one node of the local KRaft cluster: broker and controller in one process,
 * every node a voter of the (static) controller quorum.
 */
export function kafkaServerProperties(config: StediConfig, node: KafkaNode, dataDir: string): string {
  const voters = config.kafka.nodes.map((voter) => `${voter.id}@${voter.host}:${voter.controllerPort}`).join(",");
  const replicas = config.kafka.replicationFactor;
  const minIsr = replicas >= 3 ? 2 : 1;
  return [
    "process.roles=broker,controller",
    `node.id=${node.id}`,
    `controller.quorum.voters=${voters}`,
    `listeners=PLAINTEXT://${node.host}:${node.port},CONTROLLER://${node.host}:${node.controllerPort}`,
    `advertised.listeners=PLAINTEXT://${node.host}:${node.port}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    `log.dirs=${dataDir}`,
    `num.partitions=${config.kafka.partitions}`,
    `default.replication.factor=${replicas}`,
    `min.insync.replicas=${minIsr}`,
    `offsets.topic.replication.factor=${replicas}`,
    `share.coordinator.state.topic.replication.factor=${replicas}`,
    `transaction.state.log.replication.factor=${replicas}`,
    `transaction.state.log.min.isr=${minIsr}`,
    "group.initial.rebalance.delay.ms=0",
    "auto.create.topics.enable=true",
    // Topics the stack did not create (auto-created, tests') are bounded too: 2 days or 1 GiB a partition.
    "log.retention.hours=48",
    "log.retention.bytes=1073741824",
    // __consumer_offsets is compacted (retention.* do not apply; the cleaner keeps the last offset of
    // each group and partition, and drops groups empty for offsets.retention.minutes, 7 days). Its
    // active segment is never compacted: 16 MiB instead of 100 MiB bounds its 50 partitions tighter.
    "offsets.topic.segment.bytes=16777216",
    // The log cleaner's key map for compaction: Kafka allocates 128 MiB of heap for it, sized for
    // millions of keys per pass; __consumer_offsets, the only compacted topic, holds a few hundred.
    "log.cleaner.dedupe.buffer.size=16777216",
  ].join("\n") + "\n";
}

/** The node's folder: the first node keeps the single broker's place (kafka/), so an existing runtime folder keeps its data. */
export function kafkaNodeDir(layout: StackLayout, node: KafkaNode): string {
  return node.id === 1 ? layout.kafkaDir : join(layout.kafkaDir, `node-${node.id}`);
}

/** Service name and log of a node: "kafka" for the first (as with one broker), kafka-2, kafka-3 … */
export function kafkaNodeName(node: KafkaNode): ServiceName {
  return node.id === 1 ? "kafka" : `kafka-${node.id}`;
}

/**
 * What a Kafka node logs (Kafka 4 logs through log4j2) into its rolling logs/<name>.log: warnings
 * and errors, and the server's start and stop. The INFO lines of every segment rolled or deleted,
 * every partition and every group change stay off.
 */
export function kafkaLog4j2(file: string): string {
  return log4j2Properties({
    target: { file, ...LOG_ROLLING },
    rootLevel: "warn",
    loggers: { "kafka.server.KafkaRaftServer": "info" },
    pattern: "[%d] %p %m (%c)%n",
  });
}

function log4j2File(layout: StackLayout, name: ServiceName): string {
  return join(layout.kafkaDir, `log4j2-${name}.properties`);
}

function classpath(context: StackContext): string {
  return `${kafkaJars(context.layout).dir}/*`;
}

function java(context: StackContext, name: ServiceName, mainClass: string, args: string[]): string[] {
  return [
    ...jvmMemoryOptions(KAFKA_MEMORY),
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${log4j2File(context.layout, name)}`,
    `-Dstedi.runtime=${context.layout.runtimeDir}`,
    "-cp",
    classpath(context),
    mainClass,
    ...args,
  ];
}

/** One node of the local cluster; the first also creates the topics once the cluster answers. */
export function kafkaNodeService(node: KafkaNode): Service {
  const name = kafkaNodeName(node);
  const address = `${node.host}:${node.port}`;
  return {
    name,
    logName: `${name}.log`,
    startTimeoutMs: 60_000,
    endpoints: () => [
      { host: node.host, port: node.port },
      { host: node.host, port: node.controllerPort },
    ],
    install: ({ layout, progress }) => installJars(kafkaJars(layout), progress),

    async prepare(context) {
      const { config, layout } = context;
      const nodeDir = kafkaNodeDir(layout, node);
      const dataDir = join(nodeDir, "data");
      await mkdir(dataDir, { recursive: true });
      const properties = join(nodeDir, "server.properties");
      await writeFile(properties, kafkaServerProperties(config, node, dataDir));
      await writeFile(log4j2File(layout, name), kafkaLog4j2(join(layout.logsDir, `${name}.log`)));
      if (existsSync(join(dataDir, "meta.properties"))) return;
      context.progress(`${name}: formatting KRaft storage (first start)`);
      const clusterId = await sharedClusterId(layout);
      const logFile = join(layout.logsDir, `${name}.out`);
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn("java", java(context, name, "kafka.tools.StorageTool", ["format", "-t", clusterId, "-c", properties]), {
          stdio: ["ignore", "pipe", "pipe"],
        });
        const output: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => output.push(chunk));
        child.on("error", reject);
        child.on("close", async (exit) => {
          await writeFile(logFile, Buffer.concat(output), { flag: "a" });
          resolve(exit);
        });
      });
      if (code !== 0) {
        throw new StackError("Formatting Kafka's storage failed.", `See ${logFile}; delete ${dataDir} to start afresh.`, await logTail(logFile));
      }
    },

    launch: (context) => ({
      name,
      command: "java",
      env: JVM_ENV,
      args: java(context, name, "kafka.Kafka", [join(kafkaNodeDir(context.layout, node), "server.properties")]),
      // The JVM's own stdout/stderr (a crash, what comes before log4j2); the log is logs/<name>.log.
      logFile: join(context.layout.logsDir, `${name}.out`),
    }),

    // Healthy when this node is a live broker of the cluster (KRaft lists only unfenced brokers) and the topics exist.
    probe: (config) =>
      probing(
        async () => {
          const admin = new Admin({ clientId: "stedi-stack-probe", bootstrapBrokers: [address], timeout: 2_000, retries: 0 });
          try {
            const metadata = await admin.metadata({ topics: [], forceUpdate: true });
            if (!metadata.brokers.has(node.id)) throw new Error(`node ${node.id} at ${address} is not (yet) a live broker of the cluster`);
            const topics = await admin.listTopics();
            const wanted = kafkaTopics(config);
            const missing = wanted.filter((topic) => !topics.includes(topic));
            if (missing.length > 0) throw new Error(`broker up at ${address} but topics missing: ${missing.join(", ")}`);
            const cluster = config.kafka.brokers > 1 ? `, ${metadata.brokers.size}/${config.kafka.brokers} brokers live` : "";
            return `broker ${node.id} at ${address}, topics ${wanted.join(", ")} present${cluster}`;
          } finally {
            await admin.close();
          }
        },
        5_000,
        "Kafka metadata",
      ),

    afterStart: node.id === 1 ? createTopics : undefined,
  };
}

/** Creates the system's topics that are missing: partitions, replicas and retention as configured. */
export async function createTopics({ config, progress }: StackContext): Promise<void> {
  const admin = new Admin({ clientId: "stedi-stack", bootstrapBrokers: kafkaBootstrap(config.kafka.broker) });
  try {
    const existing = await admin.listTopics();
    const missing = kafkaTopics(config).filter((topic) => !existing.includes(topic));
    if (missing.length === 0) return;
    const replicas = config.kafka.replicationFactor;
    for (const topic of missing) {
      await admin.createTopics({ topics: [topic], partitions: config.kafka.partitions, replicas, configs: [...kafkaTopicConfigs(config, topic), ...kafkaReplicaConfigs(config)] });
    }
    progress(`kafka: created topics ${missing.join(", ")} (${config.kafka.partitions} partition(s), ${replicas} replica(s) each)`);
  } finally {
    await admin.close();
  }
}

/** Every node of one cluster is formatted with the same id, kept beside the nodes' folders. */
async function sharedClusterId(layout: StackLayout): Promise<string> {
  const file = join(layout.kafkaDir, "cluster-id");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const id = kafkaClusterId();
  await writeFile(file, id + "\n");
  return id;
}

/**
 * A random KRaft cluster id (16 bytes, base64url). The first byte's top bit is cleared so the id
 * never starts with "-", which `kafka-storage format -t` would read as an option.
 */
export function kafkaClusterId(bytes: Buffer = randomBytes(16)): string {
  const id = Buffer.from(bytes);
  id[0] = (id[0] ?? 0) & 0x7f;
  return id.toString("base64url").slice(0, 22);
}
