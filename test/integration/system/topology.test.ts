/**
 * The whole system on the distributed topology, against real processes: a three-node KRaft cluster
 * (3 partitions, 3 replicas, min.insync.replicas=2) and a Spark cluster of two workers, started
 * here as a separate stack; the system (`stedi start`) points at them as external clusters
 * (STEDI_EXTERNAL=redis,kafka,spark, KAFKA_BROKER listing every broker, the checkpoint at a
 * file:// URI). Under the simulation's load, the leader broker of stedi-events is SIGKILLed, then
 * a worker; then customer-risk must hold exactly the join of its inputs, read from the topics:
 * nothing lost, nothing else, nothing twice.
 * Fixed ports 28xxx of its own, a private runtime folder: it runs beside any other stack.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { Admin } from "@platformatic/kafka";
import { kafkaBootstrap, loadConfig, type StediConfig } from "../../../src/config.js";
import { kafkaNodeName } from "../../../src/stack/services/kafka.js";
import { serviceDown, stackDown, stackUp } from "../../../src/stack/stack.js";
import { compareJoin, customersIn, expectedJoin } from "../../support/customer-risk-join.js";
import { endOffsets, readPartitionsToEnd, type KafkaRecord } from "../../support/kafka.js";

const BROKERS = "127.0.0.1:28092,127.0.0.1:28102,127.0.0.1:28112";
const PORTS = {
  REDIS_PORT: "28379",
  KAFKA_BROKER: "127.0.0.1:28092",
  KAFKA_CONTROLLER_PORT: "28093",
  SPARK_MASTER: "spark://127.0.0.1:28077",
  SPARK_MASTER_WEBUI_PORT: "28080",
  SPARK_WORKER_WEBUI_PORT: "28081",
  SPARK_REMOTE: "sc://127.0.0.1:28002",
  STEDI_PORT: "28567",
};
const TOPOLOGY = {
  STEDI_KAFKA_BROKERS: "3",
  KAFKA_PARTITIONS: "3",
  STEDI_SPARK_WORKERS: "2",
  SPARK_WORKER_CORES: "1",
  SPARK_WORKER_MEMORY: "1g",
  SPARK_EXECUTOR_MEMORY: "512m",
  SPARK_DRIVER_MEMORY: "768m",
};

/** Polls `check` (a failing check counts as not yet: a broker may be down) and answers how long it took. */
async function waitFor(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await Promise.resolve().then(check).catch(() => false))) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(500);
  }
  return Date.now() - started;
}

function run(t: TestContext, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const chunks: Buffer[] = [];
  const child = spawn(process.execPath, [...process.execArgv, "src/cli.ts", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (chunk: Buffer) => chunks.push(chunk));
  child.stderr!.on("data", (chunk: Buffer) => chunks.push(chunk));
  t.after(() => void child.kill("SIGKILL"));
  return { child, output: () => Buffer.concat(chunks).toString() };
}

/** The output rows of each micro-batch the job logged as run, by batch id. */
async function batchOutputs(home: string): Promise<Map<number, number>> {
  const text = await readFile(join(home, "logs", "kafkajoinconsole.log"), "utf8").catch(() => "");
  return new Map([...text.matchAll(/ batch (\d+): \d+ input rows, (\d+) output rows/g)].map((match) => [Number(match[1]), Number(match[2])]));
}

/** The id of the newest micro-batch the job logged as run (-1 before the first). */
async function lastBatch(home: string): Promise<number> {
  return Math.max(-1, ...(await batchOutputs(home)).keys());
}

const total = async (topic: string): Promise<bigint> => (await endOffsets(topic, BROKERS)).reduce((sum, end) => sum + end, 0n);

async function leaderOf(topic: string, partition: number): Promise<number> {
  const admin = new Admin({ clientId: "topology-test", bootstrapBrokers: kafkaBootstrap(BROKERS) });
  try {
    const metadata = await admin.metadata({ topics: [topic], forceUpdate: true });
    return metadata.topics.get(topic)!.partitions[partition]!.leader;
  } finally {
    await admin.close();
  }
}

/** Keys that occur in more than one partition: per-key order would not hold for them. */
function keysSpread(partitions: Map<number, KafkaRecord[]>): string[] {
  const seen = new Map<string, number>();
  const spread = new Set<string>();
  for (const [partition, records] of partitions) {
    for (const { key } of records) {
      if ((seen.get(key) ?? partition) !== partition) spread.add(key);
      seen.set(key, partition);
    }
  }
  return [...spread];
}

test("on 3 brokers, 3 partitions and 2 workers, customer-risk survives a leader broker's and a worker's SIGKILL with nothing lost or duplicated", { timeout: 480_000 }, async (t) => {
  const home = await mkdtemp(join(tmpdir(), "stedi-topology-"));
  const log = (line: string): void => t.diagnostic(line);
  const engines: StediConfig = loadConfig({ ...process.env, ...PORTS, ...TOPOLOGY, STEDI_HOME: join(home, "engines"), STEDI_EXTERNAL: "" });
  let passed = false;
  t.after(async () => {
    await stackDown(engines, () => undefined);
    // A failed run keeps its logs to read.
    if (passed) await rm(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
    else process.stderr.write(`topology test: logs kept in ${home}\n`);
  });
  const startedEngines = Date.now();
  await stackUp(engines, () => undefined);
  log(`engines up in ${((Date.now() - startedEngines) / 1000).toFixed(1)} s`);

  // A second runtime folder, as on another machine: everything it uses is external.
  const system = {
    ...process.env,
    ...PORTS,
    ...TOPOLOGY,
    KAFKA_BROKER: BROKERS,
    STEDI_EXTERNAL: "redis,kafka,spark",
    STEDI_HOME: join(home, "system"),
    STEDI_CHECKPOINT_DIR: pathToFileURL(join(home, "shared-checkpoints")).href,
  };
  const { redisServer, stediEvents, customerRisk } = engines.kafka.topics;
  const start = run(t, ["start", "--sim-speed", "120"], system);
  await waitFor("the system to come up", 240_000, () => start.output().includes("Press Ctrl-C to stop.") || start.child.exitCode !== null);
  assert.ok(start.output().includes("Press Ctrl-C to stop."), start.output());
  const systemHome = system.STEDI_HOME;
  // Steady state first: the job's first batches (the JVMs' warm-up) are behind it.
  await waitFor("the job's first batches", 240_000, async () => (await lastBatch(systemHome)) >= 3 && (await total(customerRisk)) > 0n);

  /** After a fault: how long until the job ran two more batches and customer-risk grew. */
  const recovery = async (what: string, fault: () => Promise<void>): Promise<{ ms: number; inFlight: number }> => {
    const [batch, written] = [await lastBatch(systemHome), await total(customerRisk)];
    await fault();
    const ms = await waitFor(`two batches after ${what}`, 180_000, async () => (await lastBatch(systemHome)) >= batch + 2 && (await total(customerRisk)) > written);
    return { ms, inFlight: batch + 1 };
  };

  // 1. The leader of stedi-events' first partition dies; the remaining two are still an ISR of 2.
  const leader = await leaderOf(stediEvents, 0);
  const { ms: brokerRecovery } = await recovery(`broker ${leader}'s kill`, () => serviceDown(engines, kafkaNodeName(engines.kafka.nodes[leader - 1]!), log, { kill: true }));
  const newLeader = await leaderOf(stediEvents, 0);
  assert.notEqual(newLeader, leader, "another broker leads the partition");
  log(`broker ${leader} killed: two more batches and new customer-risk records within ${(brokerRecovery / 1000).toFixed(1)} s; partition 0 now led by broker ${newLeader}`);

  // 2. A worker dies with its executor; the other worker's executor takes over the tasks.
  const { ms: workerRecovery, inFlight } = await recovery("worker 2's kill", () => serviceDown(engines, "spark-worker-2", log, { kill: true }));
  // Spark's Kafka sink is at-least-once: what a re-run task had written already is written again.
  const replayable = (await batchOutputs(systemHome)).get(inFlight) ?? 0;
  log(`worker 2 killed: two more batches and new customer-risk records within ${(workerRecovery / 1000).toFixed(1)} s; batch ${inFlight}, in flight, wrote ${replayable} rows`);

  start.child.kill("SIGINT");
  const code = await new Promise<number | null>((resolve) => start.child.once("exit", resolve));
  assert.equal(code, 0, `the system stops cleanly:\n${start.output().slice(-3000)}`);

  // The inputs are final now; the job, resumed from its checkpoint, joins what came after its last batch.
  const customers = customersIn([...(await readPartitionsToEnd(redisServer, 30_000, BROKERS)).values()].flat());
  const events = await readPartitionsToEnd(stediEvents, 30_000, BROKERS);
  const expected = expectedJoin(customers, [...events.values()].flat());
  assert.ok(expected.size > 100, `the simulation scored enough customers (${expected.size} scores expected)`);
  const job = run(t, ["job", "customer-risk"], system);
  const drained = await waitFor("customer-risk to hold the whole join", 120_000, async () => {
    const written = [...(await readPartitionsToEnd(customerRisk, 30_000, BROKERS)).values()].flat();
    return compareJoin(expected, written).lost.length === 0;
  }).catch(() => undefined);
  log(drained === undefined ? "the resumed job did not complete the join within 120 s" : `the resumed job completed the join in ${(drained / 1000).toFixed(1)} s`);
  // Anything it would still write (a duplicate) has a moment to show.
  await sleep(5_000);
  job.child.kill("SIGTERM");
  await new Promise((resolve) => job.child.once("exit", resolve));

  const partitions = await readPartitionsToEnd(customerRisk, 30_000, BROKERS);
  // Matched by identity (key + stedi-risk-date header): a customer's equal scores on different days
  // are distinct scores, and a batch the at-least-once sink wrote again is re-written, not duplicated.
  const { written, expected: expectedScores, lost, unexpected, duplicated, rewritten, rewrittenScores, unidentified } = compareJoin(expected, [...partitions.values()].flat());
  log(`customer-risk: ${written} records, ${expectedScores} scores expected, ${lost.length} lost, ${unexpected.length} unexpected, ${duplicated} duplicated, ${unidentified} without the identity header; re-written (allowed) ${rewritten} copies of ${rewrittenScores} scores; records per partition ${[...partitions.values()].map((records) => records.length).join("/")}`);
  assert.deepEqual(lost, [], "no score of a known customer is lost");
  assert.deepEqual(unexpected, [], "nothing but the join is written");
  assert.equal(duplicated, 0, `no score is written with two values (batch ${inFlight}, in flight at the executor's death, wrote ${replayable} rows; ${rewritten} copies re-written)`);
  assert.equal(unidentified, 0, "every record names its score (the stedi-risk-date header)");
  assert.equal(partitions.size, 3, "the job writes to every partition");
  assert.ok([...events.values()].every((records) => records.length > 0), "the app's relay writes to every partition of stedi-events");
  // Per-key order: each key's records live in one partition (the CDC keys by Redis key, the relay and the job by email).
  assert.deepEqual(keysSpread(await readPartitionsToEnd(redisServer, 30_000, BROKERS)), [], "redis-server: one partition per key");
  assert.deepEqual(keysSpread(events), [], "stedi-events: one partition per customer");
  assert.deepEqual(keysSpread(partitions), [], "customer-risk: one partition per customer");
  passed = true;
});
