/**
 * writeStream.foreachBatch against the real stack: every Kafka record handed over, in order, and
 * at-least-once across crashes of the client process (SIGKILL between batches and mid-handler).
 * Outcomes are checked on the records themselves, never on the library's own counters.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { StreamingQueryException, UnsupportedForeachBatchPlan, functions as F } from "spark-connect-ts";
import { BROKER, REMOTE, createSession, createTopics, eventually, produce, tempDir } from "./harness.js";

interface Delivered {
  readonly batchId: number;
  readonly partition: number;
  readonly offset: number;
  readonly value: string;
}

function kafkaSource(spark: Awaited<ReturnType<typeof createSession>>, topic: string, extra: Record<string, string | number> = {}) {
  return spark.readStream.format("kafka").option("kafka.bootstrap.servers", BROKER).option("subscribe", topic).option("startingOffsets", "earliest").options(extra).load();
}

const values = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
const records = (list: readonly string[]) => list.map((value, i) => ({ key: `k${i % 7}`, value }));

test("foreachBatch hands over every Kafka record once, batch after batch, in offset order, with the user's transformations", { timeout: 180_000 }, async (t) => {
  const spark = await createSession(t);
  const [topic] = await createTopics(t, "foreach-order");
  const delivered: Delivered[] = [];
  const batchIds: number[] = [];
  let concurrent = 0;
  await produce(topic!, records(values("a", 30)));
  const query = await kafkaSource(spark, topic!)
    .selectExpr("partition", "offset", "CAST(value AS STRING) AS value")
    .where(F.col("value").startswith("skip").not())
    .writeStream.trigger({ processingTime: "300 milliseconds" })
    .foreachBatch(async (batchDf, batchId) => {
      concurrent += 1;
      assert.equal(concurrent, 1, "one batch at a time");
      const rows = await batchDf.collect();
      await new Promise((resolve) => setTimeout(resolve, 300)); // a slow handler: the server runs ahead
      for (const row of rows) delivered.push({ batchId, partition: Number(row.partition), offset: Number(row.offset), value: String(row.value) });
      batchIds.push(batchId);
      concurrent -= 1;
    })
    .start();
  t.after(() => query.stop());
  await query.processAllAvailable();
  for (let round = 0; round < 4; round += 1) {
    await produce(topic!, records([...values(`r${round}`, 15), `skip-${round}`]));
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
  const expected = [...values("a", 30), ...[0, 1, 2, 3].flatMap((round) => values(`r${round}`, 15))];
  // Spark's processAllAvailable can return early when a trigger raced the last produce: wait on the records.
  await eventually("every record delivered", 60_000, async () => (expected.every((value) => delivered.some((row) => row.value === value)) ? true : undefined));
  await query.processAllAvailable();
  await query.stop();
  assert.equal(await query.isActive(), false);

  const got = delivered.map((row) => row.value);
  const missing = expected.filter((value) => !got.includes(value));
  const repeated = got.filter((value, i) => got.indexOf(value) !== i);
  assert.deepEqual({ missing, repeated, extra: got.filter((value) => !expected.includes(value)) }, { missing: [], repeated: [], extra: [] }, `every record but the filtered ones, each once (batches ${batchIds.join(", ")})`);
  assert.ok(batchIds.length >= 2, `several batches (${batchIds.join(", ")})`);
  assert.deepEqual([...batchIds].sort((a, b) => a - b), batchIds, "batches in order");
  for (const partition of new Set(delivered.map((row) => row.partition))) {
    const offsets = delivered.filter((row) => row.partition === partition).map((row) => row.offset);
    assert.deepEqual(offsets, [...offsets].sort((a, b) => a - b), `partition ${partition} in offset order`);
  }
  const perRound = (prefix: string) => delivered.filter((row) => row.value.startsWith(prefix)).map((row) => row.value.split("-")[1]);
  assert.equal(new Set(perRound("r3")).size, 15);
});

test("foreachBatch with availableNow: every batch the query ran by itself is delivered before awaitTermination resolves", { timeout: 120_000 }, async (t) => {
  const spark = await createSession(t);
  const [topic] = await createTopics(t, "foreach-available-now");
  const produced = values("n", 24);
  await produce(topic!, records(produced));
  const delivered: Array<{ batchId: number; value: string }> = [];
  const query = await kafkaSource(spark, topic!, { maxOffsetsPerTrigger: 6 })
    .selectExpr("CAST(value AS STRING) AS value")
    .writeStream.trigger({ availableNow: true })
    .foreachBatch(async (batchDf, batchId) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const row of await batchDf.collect()) delivered.push({ batchId, value: String(row.value) });
    })
    .start();
  t.after(() => query.stop());
  assert.equal(await query.awaitTermination(90_000), true);
  assert.deepEqual(delivered.map((row) => row.value).sort(), [...produced].sort());
  assert.ok(new Set(delivered.map((row) => row.batchId)).size >= 4, "maxOffsetsPerTrigger split the backlog, and each batch read only its own range");
});

test("foreachBatch: a handler that throws stops the query with that error", { timeout: 120_000 }, async (t) => {
  const spark = await createSession(t);
  const [topic] = await createTopics(t, "foreach-fail");
  await produce(topic!, records(values("x", 5)));
  const failure = new Error("the handler's own failure");
  const query = await kafkaSource(spark, topic!)
    .writeStream.foreachBatch(async () => {
      throw failure;
    })
    .start();
  t.after(() => query.stop());
  const error = await query.awaitTermination(60_000).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof StreamingQueryException, String(error));
  assert.equal(error.cause, failure);
  assert.match(error.message, /foreachBatch handler failed on batch 0: the handler's own failure/);
  assert.equal(await query.isActive(), false);
  assert.equal((await query.exception())?.cause, failure);
});

test("foreachBatch rejects plans it cannot replay as batches, before starting anything", { timeout: 60_000 }, async (t) => {
  const spark = await createSession(t);
  const [topic] = await createTopics(t, "foreach-reject");
  const handler = async (): Promise<void> => undefined;
  const rejects = (start: () => Promise<unknown>, pattern: RegExp) => assert.rejects(start, (error: unknown) => error instanceof UnsupportedForeachBatchPlan && pattern.test(error.message));
  await rejects(() => spark.readStream.format("rate").load().writeStream.foreachBatch(handler).start(), /the "rate" source cannot be read back as a batch/);
  await rejects(() => kafkaSource(spark, topic!).groupBy("partition").count().writeStream.foreachBatch(handler).start(), /keep state across batches change meaning; this plan has aggregate/);
  await rejects(() => kafkaSource(spark, topic!).union(kafkaSource(spark, topic!)).writeStream.foreachBatch(handler).start(), /one streaming source; this plan reads 2/);
  const latest = spark.readStream.format("kafka").option("kafka.bootstrap.servers", BROKER).option("subscribe", topic!).load();
  await rejects(() => latest.writeStream.foreachBatch(handler).start(), /startingOffsets is unset \(Kafka's default is latest\)/);
  await rejects(() => kafkaSource(spark, topic!).writeStream.option("checkpointLocation", "/tmp/x").foreachBatch(handler).start(), /needs a commitLog/);
  assert.deepEqual(await spark.streams.active(), [], "no query was started");
});

// ---- crashes of the client process --------------------------------------------------------------

const CHILD = join(fileURLToPath(new URL(".", import.meta.url)), "foreach-batch-child.ts");

/** Starts the crash-test program; resolves once its query runs. */
async function startChild(t: test.TestContext, args: readonly string[], env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...process.execArgv, CHILD, ...args], { env: { ...process.env, SPARK_REMOTE: REMOTE, KAFKA_BROKER: BROKER, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  t.after(() => void child.kill("SIGKILL"));
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("started") && resolve());
    child.on("exit", (code) => reject(new Error(`the child exited (${code}) before its query started: ${stderr}`)));
  });
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

function deliveredLines(output: string): Array<Delivered | { hang: number }> {
  if (!existsSync(output)) return [];
  return readFileSync(output, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Delivered | { hang: number });
}
const deliveredValues = (output: string): string[] => deliveredLines(output).flatMap((line) => ("value" in line ? [line.value] : []));
const hasAll = (output: string, wanted: readonly string[]) => {
  const seen = new Set(deliveredValues(output));
  return wanted.every((value) => seen.has(value)) ? true : undefined;
};

test("foreachBatch after a SIGKILL between batches and one mid-handler: a restart delivers every record, none missing", { timeout: 300_000 }, async (t) => {
  const [topic] = await createTopics(t, "foreach-crash");
  const dir = await tempDir(t, "foreach-crash");
  const args = [topic!, join(dir, "checkpoint"), join(dir, "commits.json"), join(dir, "delivered.jsonl")];
  const output = args[3]!;
  const produced: string[] = [];
  const send = async (list: string[]) => {
    produced.push(...list);
    await produce(topic!, records(list));
  };

  // 1. Between batches: the handler finished round 1 (recorded in the commit log), then the process dies.
  let child = await startChild(t, args);
  await send(values("one", 20));
  await eventually("round one delivered", 60_000, async () => hasAll(output, produced));
  await eventually("round one in the commit log", 10_000, async () => (existsSync(args[2]!) ? true : undefined));
  await kill(child);
  // While no client runs, the server's orphaned query still runs batches into the checkpoint.
  await send(values("two", 20));
  await new Promise((resolve) => setTimeout(resolve, 3_000));

  // 2. Mid-handler: the restarted program hangs in the batch holding "three-hang", and dies there.
  child = await startChild(t, args, { HANG_ON: "three-hang" });
  await send([...values("three", 10), "three-hang"]);
  await eventually("the handler hanging on round three", 60_000, async () => (deliveredLines(output).some((line) => "hang" in line) ? true : undefined));
  await kill(child);
  const beforeRestart = deliveredValues(output).filter((value) => value === "three-hang").length;

  // 3. A clean restart: everything produced, including the batch whose handler never completed.
  child = await startChild(t, args);
  await send(values("four", 10));
  await eventually("every record produced", 90_000, async () => hasAll(output, produced));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;

  const delivered = deliveredValues(output);
  assert.deepEqual([...new Set(delivered)].sort(), [...produced].sort(), "every record produced was delivered, and nothing else");
  assert.ok(delivered.filter((value) => value === "three-hang").length > beforeRestart, "the batch whose handler never completed is delivered again");
  assert.ok(new Set(delivered.filter((value) => value.startsWith("two-"))).size === 20, "the batches the server ran while no client was there are caught up");
});
