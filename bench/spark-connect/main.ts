/**
 * `npm run bench -- spark-connect [--remote sc://…] [--broker host:port]`
 *   1. latency of `(await spark.sql("select 1")).collect()` over 200 calls (p50 / p99 / mean);
 *   2. rows/s collecting 1,000,000 rows of 4 columns as JavaScript objects, and as Arrow (ratio);
 *   3. time from `start()` to the first progress of a Kafka → Kafka query.
 * Needs the stack up (`npx stedi stack up`). Creates and deletes its own Kafka topics.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Admin, Producer, stringSerializers } from "@platformatic/kafka";
import { SparkSession, functions as F } from "spark-connect-ts";

const { values } = parseArgs({
  options: {
    remote: { type: "string", default: process.env.SPARK_REMOTE ?? "sc://127.0.0.1:15002" },
    broker: { type: "string", default: process.env.KAFKA_BROKER ?? "127.0.0.1:9092" },
    calls: { type: "string", default: "200" },
    rows: { type: "string", default: "1000000" },
  },
});
const remote = values.remote as string;
const broker = values.broker as string;
const calls = Number(values.calls);
const rowCount = Number(values.rows);

const log = (message: string): void => void process.stdout.write(`${message}\n`);
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
const ms = (value: number): string => `${value.toFixed(2)} ms`;

async function sqlLatency(spark: SparkSession): Promise<void> {
  for (let i = 0; i < 20; i += 1) await (await spark.sql("select 1")).collect(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    const started = performance.now();
    const rows = await (await spark.sql("select 1")).collect();
    times.push(performance.now() - started);
    if (rows.length !== 1) throw new Error(`select 1 returned ${rows.length} rows`);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
  log(`sql("select 1").collect() × ${calls}: p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))}, mean ${ms(mean)}, max ${ms(times.at(-1) as number)}`);
}

async function collectThroughput(spark: SparkSession): Promise<void> {
  const df = spark
    .range(rowCount)
    .select(F.col("id"), F.col("id").multiply(1.5).alias("score"), F.concat(F.lit("name-"), F.col("id")).alias("name"), F.col("id").mod(2).eq(0).alias("even"));
  await df.limit(1000).collect(); // warm-up: plan and executors
  let started = performance.now();
  const table = await df.toArrow();
  const arrowSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const rows = await df.collect();
  const rowsSeconds = (performance.now() - started) / 1000;
  if (rows.length !== rowCount || table.numRows !== rowCount) throw new Error(`expected ${rowCount} rows, got ${rows.length} / ${table.numRows}`);
  log(
    `collect ${rowCount.toLocaleString("en")} rows × 4 columns: ${(rowCount / rowsSeconds).toFixed(0)} rows/s as objects (${rowsSeconds.toFixed(2)} s); ` +
      `${(rowCount / arrowSeconds).toFixed(0)} rows/s as Arrow (${arrowSeconds.toFixed(2)} s); objects/Arrow time ratio ${(rowsSeconds / arrowSeconds).toFixed(2)}`,
  );
}

async function timeToFirstProgress(spark: SparkSession): Promise<void> {
  const run = randomUUID().slice(0, 8);
  const [input, output] = [`bench-sc-${run}-in`, `bench-sc-${run}-out`];
  const admin = new Admin({ clientId: "bench-spark-connect", bootstrapBrokers: [broker] });
  const checkpoint = await mkdtemp(join(tmpdir(), "bench-sc-checkpoint-"));
  await admin.createTopics({ topics: [input, output], partitions: 2, replicas: 1 });
  try {
    const producer = new Producer({ clientId: "bench-spark-connect", bootstrapBrokers: [broker], serializers: stringSerializers });
    await producer.send({ messages: Array.from({ length: 100 }, (_, i) => ({ topic: input, key: String(i), value: JSON.stringify({ n: i }) })) });
    await producer.close();
    const started = performance.now();
    const query = await spark.readStream
      .format("kafka")
      .option("kafka.bootstrap.servers", broker)
      .option("subscribe", input)
      .option("startingOffsets", "earliest")
      .load()
      .select(F.col("key").cast("string").alias("key"), F.to_json(F.from_json(F.col("value").cast("string"), "n INT")).alias("value"))
      .writeStream.format("kafka")
      .option("kafka.bootstrap.servers", broker)
      .option("topic", output)
      .option("checkpointLocation", checkpoint)
      .start();
    const startReturned = performance.now();
    let progress = await query.lastProgress();
    while (!progress) {
      if (performance.now() - started > 120_000) throw new Error("no progress within 120 s");
      await new Promise((resolve) => setTimeout(resolve, 20));
      progress = await query.lastProgress();
    }
    const firstProgress = performance.now();
    await query.stop();
    log(
      `Kafka → Kafka: start() returned after ${ms(startReturned - started)}; first progress (batch ${progress.batchId}, ${progress.numInputRows} rows) ${ms(firstProgress - started)} after start()`,
    );
  } finally {
    await admin.deleteTopics({ topics: [input, output] }).catch(() => undefined);
    await admin.close();
    await rm(checkpoint, { recursive: true, force: true });
  }
}

const spark = await SparkSession.builder().remote(remote).appName("bench-spark-connect").create();
try {
  log(`Spark ${await spark.version()} at ${remote}, Node ${process.version}`);
  await sqlLatency(spark);
  await collectThroughput(spark);
  await timeToFirstProgress(spark);
} finally {
  await spark.stop();
}
