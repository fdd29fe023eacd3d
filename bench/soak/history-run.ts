/**
 * `npm run bench -- soak --history day [--history-scores 2500000] [--customers 10000] [--rate 100]
 *   [--warmup 60] [--seconds 120] [--set key=value…]`
 *
 * The customer-risk job (its real plan and settings) on the stack at STEDI_HOME, twice in one go,
 * each time on fresh topics and a fresh checkpoint:
 *   1. empty history: only the customers the measurement scores, then --rate events/s;
 *   2. one day of history: --customers customers and --history-scores scores written straight into
 *      the topics in their real formats (ZADD records on redis-server as the CDC writes them, scores
 *      on stedi-events as the app writes them) with Kafka timestamps spread over the past 24 h, so the
 *      watermark sees a day go by; then the job starts on that backlog and catches up (its rate is
 *      printed), and is measured at --rate events/s as in 1.
 * Each measurement drops a --warmup of --rate events/s first, so that both phases run on a warm JVM.
 * Prints the two side by side with day ÷ empty, the load average beside each, and the state the
 * job holds against what a day must leave in it (bench/soak/history.ts).
 */
import { mkdir, rm } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Admin, Producer, ProduceAcks, stringSerializers, type MessageToProduce } from "@platformatic/kafka";
import { SparkSession, type StreamingQuery, type StreamingQueryProgress } from "spark-connect-ts";
import type { StediConfig } from "../../src/config.js";
import { kafkaTopicConfigs } from "../../src/stack/services/kafka.js";
import { CUSTOMER_RISK_CONF, customerRiskQuery } from "../../src/jobs/customer-risk.js";
import { stateSize } from "../../src/jobs/progress-report.js";
import { applyStreamingTuning } from "../../src/jobs/tuning.js";
import { batchTimeBreakdown } from "../batch-time.js";
import { CUSTOMER_KEY, customerValue, scoreEvent, ZADD_HEADER } from "../pipeline/records.js";
import { comparisonTable, expectedState, intervalMs, spreadTimestamp, type History, type PhaseResult } from "./history.js";
import { folderBytes, percentile, TopicLatency } from "./sampler.js";

export interface HistoryBenchOptions {
  readonly history: History;
  readonly rate: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  /** Session settings on top of the job's own, to try a change. */
  readonly settings: Readonly<Record<string, string>>;
}

/** The measurement scores only this many customers, the same ones in both phases. */
const PROBE_CUSTOMERS = 100;
const SEND_BYTES = 512 * 1024;
const say = (message: string): void => void process.stdout.write(`${message}\n`);
const load = (): string => loadavg().map((value) => value.toFixed(1)).join("/");

type Message = MessageToProduce<string, string, string, string>;

interface Phase {
  readonly redisTopic: string;
  readonly eventsTopic: string;
  readonly riskTopic: string;
  readonly checkpoint: string;
}

async function createPhase(config: StediConfig, admin: Admin, name: string): Promise<Phase> {
  const run = `bench-soak-${name}-${Date.now()}`;
  const phase = { redisTopic: `${run}-redis-server`, eventsTopic: `${run}-stedi-events`, riskTopic: `${run}-customer-risk`, checkpoint: join(config.runtimeDir, "checkpoints", run) };
  // The real topics' retention (days, GiB): a day-old record stays, as it would in the real topic.
  const real = { [phase.redisTopic]: config.kafka.topics.redisServer, [phase.eventsTopic]: config.kafka.topics.stediEvents, [phase.riskTopic]: config.kafka.topics.customerRisk };
  for (const [topic, like] of Object.entries(real)) await admin.createTopics({ topics: [topic], partitions: config.kafka.partitions, replicas: 1, configs: kafkaTopicConfigs(config, like) });
  await mkdir(phase.checkpoint, { recursive: true });
  return phase;
}

/** Sends `count` records made by `make`, a few requests in flight, and resolves once all are acknowledged. */
async function sendAll(producer: Producer<string, string, string, string>, count: number, make: (index: number) => Message): Promise<void> {
  const inFlight = new Set<Promise<unknown>>();
  for (let next = 0; next < count; ) {
    // A request stays well under the broker's message.max.bytes (1 MiB), whatever the records' size.
    const messages: Message[] = [];
    for (let bytes = 0; next < count && bytes < SEND_BYTES; next += 1) {
      const message = make(next);
      bytes += (message.key?.length ?? 0) + (message.value?.length ?? 0) + 64;
      messages.push(message);
    }
    const sent: Promise<unknown> = producer.send({ messages }).finally(() => inFlight.delete(sent));
    inFlight.add(sent);
    if (inFlight.size >= 4) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

const customerMessage = (topic: string, index: number, timestamp: number): Message => ({
  topic,
  key: CUSTOMER_KEY,
  value: customerValue(index),
  headers: { [ZADD_HEADER.name]: ZADD_HEADER.value },
  timestamp: BigInt(timestamp),
});

/** Every batch the query reported, by id: recentProgress keeps the last 100, polled often enough to miss none. */
class BatchHistory {
  readonly #batches = new Map<number, StreamingQueryProgress>();
  constructor(readonly query: StreamingQuery) {}
  async poll(): Promise<void> {
    for (const progress of await this.query.recentProgress()) this.#batches.set(progress.batchId, progress);
  }
  inputRows(): number {
    return [...this.#batches.values()].reduce((sum, progress) => sum + progress.numInputRows, 0);
  }
  since(at: number): StreamingQueryProgress[] {
    return [...this.#batches.values()].filter((progress) => Date.parse(progress.timestamp) >= at);
  }
  last(): StreamingQueryProgress | undefined {
    return [...this.#batches.values()].sort((a, b) => a.batchId - b.batchId).at(-1);
  }
}

/** Scores at `rate` for `seconds`, for the probe customers, numbered from `firstSequence`, timestamped now. */
async function scoreAtRate(producer: Producer<string, string, string, string>, topic: string, rate: number, seconds: number, firstSequence: number, batches: BatchHistory): Promise<number> {
  const total = Math.round(rate * seconds);
  const started = performance.now();
  let polled = started;
  for (let index = 0; index < total; index += 1) {
    const wait = started + (index * 1000) / rate - performance.now();
    if (wait > 1) await sleep(wait);
    void producer.send({ messages: [{ topic, ...scoreEvent(firstSequence + index, PROBE_CUSTOMERS, Date.now()) }] });
    if (performance.now() - polled > 2_000) {
      polled = performance.now();
      void batches.poll();
    }
  }
  return total;
}

async function measure(config: StediConfig, phase: Phase, producer: Producer<string, string, string, string>, query: StreamingQuery, batches: BatchHistory, options: HistoryBenchOptions, firstSequence: number, label: string): Promise<PhaseResult> {
  const latency = await TopicLatency.start(config.kafka.broker, phase.eventsTopic, phase.riskTopic);
  try {
    say(`  ${label}: warm-up, ${options.rate} events/s for ${options.warmupSeconds} s (load ${load()})`);
    const warm = await scoreAtRate(producer, phase.eventsTopic, options.rate, options.warmupSeconds, firstSequence, batches);
    await sleep(3_000);
    latency.take();
    say(`  ${label}: measuring, ${options.rate} events/s for ${options.seconds} s (load ${load()})`);
    const from = Date.now();
    const events = await scoreAtRate(producer, phase.eventsTopic, options.rate, options.seconds, firstSequence + warm, batches);
    const loadThen = load();
    const samples: number[] = [];
    const deadline = Date.now() + 60_000;
    while (samples.length < events && Date.now() < deadline) {
      await sleep(500);
      samples.push(...latency.take().map((sample) => sample.ms));
    }
    await batches.poll();
    const measured = batches.since(from);
    const durations = measured
      .map((progress) => progress.durationMs.triggerExecution ?? progress.batchDuration)
      .sort((a, b) => a - b);
    const last = batches.last();
    const state = last ? stateSize(last) : { rows: 0, memoryBytes: 0 };
    samples.sort((a, b) => a - b);
    say(`  ${label}: ${batchTimeBreakdown(measured)}`);
    if (last) say(`  ${label}: state by operator: ${last.stateOperators.map((operator) => `${operator.operatorName} ${operator.numRowsTotal}`).join(", ")}`);
    return {
      p50Ms: percentile(samples, 50),
      p90Ms: percentile(samples, 90),
      p99Ms: percentile(samples, 99),
      events,
      delivered: samples.length,
      batchMeanMs: durations.reduce((sum, ms) => sum + ms, 0) / Math.max(1, durations.length),
      batchP90Ms: percentile(durations, 90),
      stateRows: state.rows,
      stateBytes: state.memoryBytes,
      checkpointBytes: await folderBytes(phase.checkpoint),
      load: loadThen,
    };
  } finally {
    await latency.close();
  }
}

async function startJob(config: StediConfig, phase: Phase, name: string, settings: Readonly<Record<string, string>>): Promise<{ spark: SparkSession; query: StreamingQuery }> {
  const spark = await SparkSession.builder().remote(config.spark.remote).appName(`bench soak ${name}`).create();
  // What the job process applies (src/jobs/job-process.ts): the tuned settings, then the job's own.
  await applyStreamingTuning(spark, phase.checkpoint, { ...CUSTOMER_RISK_CONF, ...settings });
  const query = await customerRiskQuery(spark, {
    bootstrapServers: config.kafka.broker,
    redisServerTopic: phase.redisTopic,
    stediEventsTopic: phase.eventsTopic,
    customerRiskTopic: phase.riskTopic,
    checkpointLocation: phase.checkpoint,
    queryName: `bench_soak_${name}_${Date.now()}`,
    joinHorizon: config.jobs.joinHorizon,
    joinLateness: config.jobs.joinLateness,
  }).start();
  return { spark, query };
}

export async function runHistoryBench(config: StediConfig, options: HistoryBenchOptions): Promise<void> {
  const { history } = options;
  const horizonMs = intervalMs(config.jobs.joinHorizon);
  const latenessMs = intervalMs(config.jobs.joinLateness);
  say(`bench soak --history: ${history.scores} scores for ${history.customers} customers over ${history.spanMs / 3_600_000} h, then ${options.rate} events/s (horizon ${config.jobs.joinHorizon}, lateness ${config.jobs.joinLateness}${Object.entries(options.settings).map(([key, value]) => `, ${key}=${value}`).join("")}); load ${load()}`);
  const admin = new Admin({ clientId: "bench-soak", bootstrapBrokers: [config.kafka.broker] });
  const producer = new Producer({ clientId: "bench-soak", bootstrapBrokers: [config.kafka.broker], serializers: stringSerializers, acks: ProduceAcks.LEADER });
  const phases: Phase[] = [];
  const results: PhaseResult[] = [];
  try {
    for (const name of ["empty", "day"] as const) {
      const phase = await createPhase(config, admin, name);
      phases.push(phase);
      const day = name === "day";
      const customers = day ? Math.max(history.customers, PROBE_CUSTOMERS) : PROBE_CUSTOMERS;
      const historyEnd = Date.now();
      // Customers registered in the day's first minute; the empty start registers its probe customers now.
      await sendAll(producer, customers, (index) => customerMessage(phase.redisTopic, index, day ? spreadTimestamp(index, customers, historyEnd - history.spanMs + 60_000, 60_000) : historyEnd));
      let sequence = 0;
      if (day) {
        const loadStart = performance.now();
        await sendAll(producer, history.scores, (index) => {
          const at = spreadTimestamp(index, history.scores, historyEnd, history.spanMs);
          return { topic: phase.eventsTopic, ...scoreEvent(index, customers, at), timestamp: BigInt(at) };
        });
        sequence = history.scores;
        say(`  day: pre-loaded ${customers} customers and ${history.scores} scores in ${((performance.now() - loadStart) / 1000).toFixed(1)} s (load ${load()})`);
      }
      const { spark, query } = await startJob(config, phase, name, options.settings);
      try {
        const batches = new BatchHistory(query);
        const backlog = customers + sequence;
        const catchUpStart = performance.now();
        while (batches.inputRows() < backlog) {
          await sleep(2_000);
          await batches.poll();
          const exception = await query.exception();
          if (exception) throw new Error(`the job failed while catching up: ${exception.message}`);
          if (!(await query.isActive())) throw new Error("the job stopped while catching up");
        }
        const seconds = (performance.now() - catchUpStart) / 1000;
        say(`  ${name}: caught up with ${backlog} records in ${seconds.toFixed(1)} s: ${(backlog / seconds).toFixed(0)} records/s over ${batches.since(0).length} batches (load ${load()})`);
        if (day) {
          // The batch that read the backlog still holds all of it: the watermark moves, and evicts, after it.
          const caughtUp = batches.last()?.batchId ?? -1;
          const deadline = Date.now() + 120_000;
          while ((batches.last()?.batchId ?? -1) <= caughtUp && Date.now() < deadline) {
            await sleep(1_000);
            await batches.poll();
          }
          const last = batches.last();
          const expected = expectedState(history, horizonMs, latenessMs);
          say(`  day: state after catching up (batch ${last?.batchId}) ${last ? stateSize(last).rows : "?"} rows; a day leaves ${expected.total} (customers ${expected.customerRows}, scores in the join ${expected.joinScoreRows}, in the de-duplication ${expected.dedupScoreRows})`);
        }
        results.push(await measure(config, phase, producer, query, batches, options, sequence, name));
      } finally {
        await query.stop().catch(() => undefined);
        await spark.stop().catch(() => undefined);
      }
    }
    say("");
    for (const line of comparisonTable(results[0]!, results[1]!)) say(line);
    say("target (issue 9): latency within 20 % between an empty history and one day of history");
  } finally {
    await producer.close().catch(() => undefined);
    await admin.deleteTopics({ topics: phases.flatMap((phase) => [phase.redisTopic, phase.eventsTopic, phase.riskTopic]) }).catch(() => undefined);
    await admin.close();
    // Spark may still be closing state files of the stopped query: retry the removal.
    for (const phase of phases) await rm(phase.checkpoint, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
  }
}
