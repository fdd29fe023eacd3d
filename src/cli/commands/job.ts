import { join } from "node:path";
import { defineCommand } from "citty";
import pino from "pino";
import { SparkSession } from "@stedi/spark-connect";
import { loadConfig, type StediConfig } from "../../config.js";
import { customerRiskQuery } from "../../jobs/customer-risk.js";
import { runJob } from "../../jobs/runner.js";
import { notifyReady } from "../supervisor.js";

const JOBS = {
  "customer-risk": { log: "kafkajoinconsole.log", description: "Join birth years with risk scores into customer-risk" },
} as const;
type JobName = keyof typeof JOBS;

function checkpointDir(config: StediConfig, job: JobName): string {
  return join(config.runtimeDir, "checkpoints", job);
}

async function startJob(name: JobName, config: StediConfig): Promise<void> {
  const logger = pino({ base: { job: name } }, pino.multistream([{ stream: process.stdout }, { stream: pino.destination({ dest: join(config.runtimeDir, "logs", JOBS[name].log), mkdir: true }) }]));
  const spark = await SparkSession.builder().remote(config.spark.remote).appName(`stedi ${name}`).getOrCreate();
  // RocksDB keeps streaming state (dedup, join) off the JVM heap, so it can grow with the data.
  await spark.conf.set("spark.sql.streaming.stateStore.providerClass", "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider");
  const writer = customerRiskQuery(spark, {
    bootstrapServers: config.kafka.broker,
    redisServerTopic: config.kafka.topics.redisServer,
    stediEventsTopic: config.kafka.topics.stediEvents,
    customerRiskTopic: config.kafka.topics.customerRisk,
    checkpointLocation: checkpointDir(config, name),
  });
  const run = await runJob(writer, { log: (line) => logger.info(line) });
  notifyReady(`query ${run.query.id} running`);
  const shutdown = (): void => {
    logger.info("stopping: finishing the current batch");
    void run.stop();
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  const failure = await run.finished;
  await spark.stop();
  if (failure) {
    logger.error(`query failed: ${failure}`);
    process.exitCode = 1;
  } else logger.info("query stopped");
}

export default defineCommand({
  meta: { name: "job", description: "Run a streaming job on Spark until stopped" },
  args: {
    name: { type: "positional", required: true, description: Object.keys(JOBS).join(" | ") },
  },
  async run({ args }) {
    if (!(args.name in JOBS)) {
      process.stderr.write(`unknown job "${args.name}"; choose one of: ${Object.keys(JOBS).join(", ")}\n`);
      process.exitCode = 2;
      return;
    }
    await startJob(args.name as JobName, loadConfig());
  },
});
