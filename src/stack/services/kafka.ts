import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { Admin } from "@platformatic/kafka";
import { parseHostPort, type StediConfig } from "../../config.js";
import { installJars, kafkaJars } from "../install.js";
import { StackError } from "../errors.js";
import { logTail } from "../processes.js";
import { probing, type Service, type StackContext } from "./service.js";

const KAFKA_HEAP = "-Xmx512m";

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

/** server.properties for a single-node KRaft cluster: broker and controller in one process. */
export function kafkaServerProperties(config: StediConfig, dataDir: string): string {
  const { host, port } = parseHostPort(config.kafka.broker, 9092);
  const controller = `${host}:${config.kafka.controllerPort}`;
  return [
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@${controller}`,
    `listeners=PLAINTEXT://${host}:${port},CONTROLLER://${controller}`,
    `advertised.listeners=PLAINTEXT://${host}:${port}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    `log.dirs=${dataDir}`,
    `num.partitions=${config.kafka.partitions}`,
    "offsets.topic.replication.factor=1",
    "share.coordinator.state.topic.replication.factor=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
    "auto.create.topics.enable=true",
    // Topics the stack did not create (auto-created, tests') are bounded too: 2 days or 1 GiB a partition.
    "log.retention.hours=48",
    "log.retention.bytes=1073741824",
  ].join("\n") + "\n";
}

// Kafka 4 logs through log4j2; everything goes to stdout, which the stack appends to kafka.log.
const LOG4J2 = `status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = warn
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = info
logger.state.name = state.change.logger
logger.state.level = warn
logger.controller.name = org.apache.kafka.controller
logger.controller.level = warn
`;

function classpath(context: StackContext): string {
  return `${kafkaJars(context.layout).dir}/*`;
}

function java(context: StackContext, mainClass: string, args: string[]): string[] {
  return [
    KAFKA_HEAP,
    "-XX:+UseG1GC",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${join(context.layout.kafkaDir, "log4j2.properties")}`,
    `-Dstedi.runtime=${context.layout.runtimeDir}`,
    "-cp",
    classpath(context),
    mainClass,
    ...args,
  ];
}

export const kafkaService: Service = {
  name: "kafka",
  logName: "kafka.log",
  startTimeoutMs: 60_000,
  endpoints: (config) => {
    const { host, port } = parseHostPort(config.kafka.broker, 9092);
    return [
      { host, port },
      { host, port: config.kafka.controllerPort },
    ];
  },
  install: ({ layout, progress }) => installJars(kafkaJars(layout), progress),

  async prepare(context) {
    const { config, layout } = context;
    const dataDir = join(layout.kafkaDir, "data");
    await mkdir(dataDir, { recursive: true });
    const properties = join(layout.kafkaDir, "server.properties");
    await writeFile(properties, kafkaServerProperties(config, dataDir));
    await writeFile(join(layout.kafkaDir, "log4j2.properties"), LOG4J2);
    if (existsSync(join(dataDir, "meta.properties"))) return;
    context.progress("kafka: formatting KRaft storage (first start)");
    const clusterId = randomBytes(16).toString("base64url");
    const logFile = join(layout.logsDir, "kafka.log");
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn("java", java(context, "kafka.tools.StorageTool", ["format", "-t", clusterId, "-c", properties]), {
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
    name: "kafka",
    command: "java",
    args: java(context, "kafka.Kafka", [join(context.layout.kafkaDir, "server.properties")]),
    logFile: join(context.layout.logsDir, "kafka.log"),
  }),

  probe: (config) =>
    probing(
      async () => {
        const admin = new Admin({ clientId: "stedi-stack-probe", bootstrapBrokers: [config.kafka.broker], timeout: 2_000, retries: 0 });
        try {
          const topics = await admin.listTopics();
          const wanted = kafkaTopics(config);
          const missing = wanted.filter((topic) => !topics.includes(topic));
          if (missing.length > 0) throw new Error(`broker up at ${config.kafka.broker} but topics missing: ${missing.join(", ")}`);
          return `topics ${wanted.join(", ")} present at ${config.kafka.broker}`;
        } finally {
          await admin.close();
        }
      },
      5_000,
      "Kafka metadata",
    ),

  async afterStart({ config, progress }) {
    const admin = new Admin({ clientId: "stedi-stack", bootstrapBrokers: [config.kafka.broker] });
    try {
      const existing = await admin.listTopics();
      const missing = kafkaTopics(config).filter((topic) => !existing.includes(topic));
      if (missing.length === 0) return;
      for (const topic of missing) await admin.createTopics({ topics: [topic], partitions: config.kafka.partitions, replicas: 1, configs: kafkaTopicConfigs(config, topic) });
      progress(`kafka: created topics ${missing.join(", ")} (${config.kafka.partitions} partition(s) each)`);
    } finally {
      await admin.close();
    }
  },
};
