/**
 * `npm run bench -- scale [--events 60000] [--customers 300] [--writes 60000]`
 *
 * The same work on two topologies, one after the other, in one run: 1 broker / 1 partition /
 * 1 worker against 3 brokers / 3 partitions / 2 workers. Each topology is a fresh stack of its own
 * (a temporary runtime folder, the environment's ports: nothing else may hold them), stopped after:
 *   1. the customer-risk job draining a backlog: --customers customers and --events scores already
 *      in the topics (produced idempotent, acks=all, keyed by email), the job started on them, timed
 *      until every joined record is in customer-risk;
 *   2. CDC throughput: --writes pipelined ZADDs on 300 keys (the CDC keys records by Redis key, so
 *      they spread over the partitions), timed until every record is in redis-server.
 * Prints each number and the ratio large/small.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { Consumer, Producer, ProduceAcks, stringSerializers } from "@platformatic/kafka";
import { Redis } from "ioredis";
import { pino } from "pino";
import { SparkSession } from "spark-connect-ts";
import { kafkaBootstrap, loadConfig, type StediConfig } from "../../src/config.js";
import { cdcOptions } from "../../src/cdc/cdc-options.js";
import { CdcSource } from "../../src/cdc/cdc-source.js";
import { zaddValue } from "../../src/domain/redis-server.js";
import { CUSTOMER_RISK_CONF, customerRiskQuery } from "../../src/jobs/customer-risk.js";
import { checkpointIn } from "../../src/jobs/job-process.js";
import { applyStreamingTuning } from "../../src/jobs/tuning.js";
import { stackDown, stackUp } from "../../src/stack/stack.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "60000" },
    customers: { type: "string", default: "300" },
    writes: { type: "string", default: "60000" },
  },
});
const EVENTS = Number(values.events);
const CUSTOMERS = Number(values.customers);
const WRITES = Number(values.writes);

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const email = (index: number): string => `scale.customer${index}@test.com`;

interface Topology {
  readonly label: string;
  readonly env: Record<string, string>;
}

const TOPOLOGIES: readonly Topology[] = [
  { label: "1 broker / 1 partition / 1 worker", env: { STEDI_KAFKA_BROKERS: "1", KAFKA_PARTITIONS: "1", STEDI_SPARK_WORKERS: "1" } },
  { label: "3 brokers / 3 partitions / 2 workers", env: { STEDI_KAFKA_BROKERS: "3", KAFKA_PARTITIONS: "3", STEDI_SPARK_WORKERS: "2" } },
];

interface Measured {
  readonly jobRowsPerSecond: number;
  readonly jobSeconds: number;
  readonly cdcRecordsPerSecond: number;
  readonly cdcSeconds: number;
}

async function totalRecords(config: StediConfig, topic: string): Promise<number> {
  const consumer = new Consumer({ groupId: `bench-scale-${Date.now()}`, clientId: "bench-scale", bootstrapBrokers: kafkaBootstrap(config.kafka.broker) });
  try {
    const ends = (await consumer.listOffsets({ topics: [topic] })).get(topic) ?? [];
    return Number(ends.reduce((sum, end) => sum + end, 0n));
  } finally {
    await new Promise<void>((resolve) => consumer.close(true, () => resolve()));
  }
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** 1. The job drains a backlog already in the topics. */
async function jobDrain(config: StediConfig): Promise<{ seconds: number; rowsPerSecond: number }> {
  const { redisServer, stediEvents, customerRisk } = config.kafka.topics;
  const producer = new Producer({ clientId: "bench-scale", bootstrapBrokers: kafkaBootstrap(config.kafka.broker), serializers: stringSerializers, idempotent: true, acks: ProduceAcks.ALL });
  try {
    const customers = Array.from({ length: CUSTOMERS }, (_, index) => ({
      topic: redisServer,
      key: "Customer",
      value: zaddValue(Buffer.from("Customer"), [{ element: Buffer.from(JSON.stringify({ customerName: `Scale ${index}`, email: email(index), phone: "8015551212", birthDay: `${1937 + (index % 29)}-01-01` })), score: 0 }]),
    }));
    await producer.send({ messages: customers });
    for (let first = 0; first < EVENTS; first += 1_000) {
      const messages = Array.from({ length: Math.min(1_000, EVENTS - first) }, (_, offset) => {
        const sequence = first + offset;
        const customer = email(sequence % CUSTOMERS);
        return { topic: stediEvents, key: customer, value: JSON.stringify({ customer, score: sequence + 0.5, riskDate: new Date(1_600_000_000_000 + sequence).toISOString() }) };
      });
      await producer.send({ messages });
    }
  } finally {
    await producer.close();
  }
  const spark = await SparkSession.builder().remote(config.spark.remote).appName("bench scale").create();
  try {
    const checkpointLocation = checkpointIn(config, "bench-scale");
    await applyStreamingTuning(spark, checkpointLocation, CUSTOMER_RISK_CONF);
    const started = performance.now();
    const query = await customerRiskQuery(spark, {
      bootstrapServers: config.kafka.broker,
      redisServerTopic: redisServer,
      stediEventsTopic: stediEvents,
      customerRiskTopic: customerRisk,
      checkpointLocation,
      queryName: "bench_scale",
      joinHorizon: config.jobs.joinHorizon,
      joinLateness: config.jobs.joinLateness,
    }).start();
    try {
      await until(`${EVENTS} customer-risk records`, 600_000, async () => (await totalRecords(config, customerRisk)) >= EVENTS);
    } finally {
      await query.stop().catch(() => undefined);
    }
    const seconds = (performance.now() - started) / 1000;
    return { seconds, rowsPerSecond: EVENTS / seconds };
  } finally {
    await spark.stop().catch(() => undefined);
  }
}

/** 2. Redis → CDC → Kafka, on its own topic. */
async function cdcThroughput(config: StediConfig, stackEnv: NodeJS.ProcessEnv, home: string): Promise<{ seconds: number; recordsPerSecond: number }> {
  const topic = "bench-scale-cdc";
  const env = { ...stackEnv, KAFKA_REDIS_TOPIC: topic, CDC_STATE_FILE: join(home, "cdc-state.json"), CDC_INCLUDE_KEYS: "scale:*" };
  const cdcConfig = loadConfig(env);
  const source = new CdcSource(cdcOptions(cdcConfig, env), pino({ level: "warn" }));
  const redis = new Redis({ host: config.redis.host, port: config.redis.port, db: config.redis.db });
  try {
    await source.start();
    await source.streaming();
    const member = '{"customerName":"Sam Test","email":"sam.test@test.com","phone":"8015551212","birthDay":"2001-01-03"}';
    const started = performance.now();
    for (let first = 0; first < WRITES; first += 1_000) {
      const pipeline = redis.pipeline();
      for (let i = first; i < Math.min(WRITES, first + 1_000); i++) pipeline.zadd(`scale:${i % 300}`, i, `${i}:${member}`);
      await pipeline.exec();
    }
    // The publisher creates its topic with the first record (the broker's partitions and replicas): until then it is missing.
    await until(`${WRITES} CDC records`, 300_000, async () => (await totalRecords(cdcConfig, topic).catch(() => 0)) >= WRITES);
    const seconds = (performance.now() - started) / 1000;
    return { seconds, recordsPerSecond: WRITES / seconds };
  } finally {
    await source.stop();
    redis.disconnect();
  }
}

async function measure(topology: Topology): Promise<Measured> {
  const home = await mkdtemp(join(tmpdir(), "stedi-bench-scale-"));
  const env = { ...process.env, ...topology.env, STEDI_HOME: home, STEDI_EXTERNAL: "", STEDI_CHECKPOINT_DIR: "" };
  const config = loadConfig(env);
  try {
    const started = Date.now();
    await stackUp(config, () => undefined);
    say(`  ${topology.label}: stack up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const job = await jobDrain(config);
    say(`  ${topology.label}: job drained ${EVENTS} scores in ${job.seconds.toFixed(1)} s`);
    const cdc = await cdcThroughput(config, env, home);
    say(`  ${topology.label}: CDC carried ${WRITES} writes in ${cdc.seconds.toFixed(1)} s`);
    return { jobRowsPerSecond: job.rowsPerSecond, jobSeconds: job.seconds, cdcRecordsPerSecond: cdc.recordsPerSecond, cdcSeconds: cdc.seconds };
  } finally {
    await stackDown(config, () => undefined);
    await rm(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
  }
}

say(`bench scale: ${CUSTOMERS} customers, a backlog of ${EVENTS} scores, ${WRITES} CDC writes; each topology on a fresh stack`);
const [small, large] = [await measure(TOPOLOGIES[0]!), await measure(TOPOLOGIES[1]!)] as [Measured, Measured];
const row = (label: string, a: string, b: string, ratio: string): string => `${label.padEnd(34)}${a.padStart(14)}${b.padStart(14)}${ratio.padStart(9)}`;
say("");
say(row("", "1/1/1", "3/3/2", "ratio"));
say(row("customer-risk backlog drain", `${small.jobRowsPerSecond.toFixed(0)} rows/s`, `${large.jobRowsPerSecond.toFixed(0)} rows/s`, `${(large.jobRowsPerSecond / small.jobRowsPerSecond).toFixed(2)}×`));
say(row("CDC Redis → Kafka", `${small.cdcRecordsPerSecond.toFixed(0)} rec/s`, `${large.cdcRecordsPerSecond.toFixed(0)} rec/s`, `${(large.cdcRecordsPerSecond / small.cdcRecordsPerSecond).toFixed(2)}×`));
say("(one machine, 2 cores: more brokers and workers share the same cores; see README, Scaling past one machine)");
