/**
 * The streaming jobs as long-running processes: which jobs there are, and the loop that keeps one
 * running — reconnecting when the Connect server goes away, re-attaching to a query left running
 * by a previous process, logging to the job's file under logs/.
 */
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SparkConnectError, SparkSession, type DataStreamWriter, type StreamingQueryProgress } from "spark-connect-ts";
import type { StediConfig } from "../config.js";
import { consoleQuery, customersView, eventsView, renderBatch, type ConsoleView } from "./console.js";
import { customerRiskQuery } from "./customer-risk.js";
import { followQuery, runJob, type JobRun } from "./runner.js";
import { TUNED_STREAMING_CONF } from "./tuning.js";

export interface JobSpec {
  readonly description: string;
  /** The log under logs/ that the seed's rubric names. */
  readonly logName: string;
  readonly build: (spark: SparkSession, config: StediConfig) => DataStreamWriter;
  /**
   * A job with a durable checkpoint remembers its server session, so that a new job process (after
   * a crash or SIGKILL of this one) re-attaches to the query still running there instead of
   * restarting it, which could replay a batch half-written to Kafka.
   */
  readonly resumable?: boolean;
  /** Console jobs print each batch's rows; customer-risk logs one progress line per batch. */
  readonly view?: { readonly view: ConsoleView; readonly topic: (config: StediConfig) => string };
}

export const JOBS: Readonly<Record<string, JobSpec>> = {
  "customer-risk": {
    description: "join birth years with risk scores into the customer-risk topic",
    logName: "kafkajoinconsole.log",
    resumable: true,
    build: (spark, config) =>
      customerRiskQuery(spark, {
        bootstrapServers: config.kafka.broker,
        redisServerTopic: config.kafka.topics.redisServer,
        stediEventsTopic: config.kafka.topics.stediEvents,
        customerRiskTopic: config.kafka.topics.customerRisk,
        checkpointLocation: join(config.runtimeDir, "checkpoints", "customer-risk"),
      }),
  },
  "events-console": {
    description: "print the decoded stedi-events (customer, score) batch by batch",
    logName: "eventstream.log",
    build: (spark, config) => consoleQuery(spark, { bootstrapServers: config.kafka.broker, topic: config.kafka.topics.stediEvents }, eventsView, "events_console"),
    view: { view: eventsView, topic: (config) => config.kafka.topics.stediEvents },
  },
  "redis-console": {
    description: "print the decoded customers (email, birthYear) batch by batch",
    logName: "redis-kafka.log",
    build: (spark, config) => consoleQuery(spark, { bootstrapServers: config.kafka.broker, topic: config.kafka.topics.redisServer }, customersView, "redis_console"),
    view: { view: customersView, topic: (config) => config.kafka.topics.redisServer },
  },
};

interface SavedSession {
  readonly sessionId: string;
  readonly queryId: string;
}

async function readSavedSession(file: string): Promise<SavedSession | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as SavedSession;
  } catch {
    return undefined;
  }
}

/** `sc://host:port` with a session id parameter, so the client joins that server session. */
function withSessionId(remote: string, sessionId: string): string {
  return remote.includes("/;") ? `${remote};session_id=${sessionId}` : `${remote.replace(/\/$/, "")}/;session_id=${sessionId}`;
}

class QueryFailed extends Error {
  constructor(reason: string) {
    super(`the query failed: ${reason}`);
  }
}

/** Writes to the terminal and appends to the job's log file. */
async function openJobLog(config: StediConfig, spec: JobSpec): Promise<{ line: (text: string) => void; raw: (text: string) => void }> {
  const dir = join(config.runtimeDir, "logs");
  await mkdir(dir, { recursive: true });
  const file = createWriteStream(join(dir, spec.logName), { flags: "a" });
  const raw = (text: string): void => {
    process.stdout.write(text);
    file.write(text);
  };
  return { raw, line: (text) => raw(`${new Date().toISOString()} ${text}\n`) };
}

/**
 * Runs a job until `signal` aborts. When the Connect server goes away (restart, crash) the job
 * reconnects with back-off and restarts the query from its checkpoint.
 */
export async function runUntilStopped(name: string, spec: JobSpec, config: StediConfig, control: { signal: AbortSignal; onReady: (detail: string) => void }): Promise<void> {
  const log = await openJobLog(config, spec);
  let stopping = control.signal.aborted;
  let current: JobRun | undefined;
  control.signal.addEventListener(
    "abort",
    () => {
      stopping = true;
      log.line("stopping: letting the current batch finish");
      void current?.stop();
    },
    { once: true },
  );
  const sessionFile = spec.resumable ? join(config.runtimeDir, "checkpoints", `${name}.session.json`) : undefined;
  for (let attempt = 0; !stopping; attempt += 1) {
    let spark: SparkSession | undefined;
    try {
      const saved = sessionFile ? await readSavedSession(sessionFile) : undefined;
      spark = await SparkSession.builder().remote(saved ? withSessionId(config.spark.remote, saved.sessionId) : config.spark.remote).appName(`stedi ${name}`).getOrCreate();
      const session = spark;
      const view = spec.view;
      const source = view && { bootstrapServers: config.kafka.broker, topic: view.topic(config) };
      const callbacks = {
        log: view ? () => undefined : log.line,
        onBatch: view && source ? async (progress: StreamingQueryProgress) => log.raw(await renderBatch(session, source, view.view, progress)) : undefined,
      };
      const running = saved ? await session.streams.get(saved.queryId) : undefined;
      if (running && (await running.isActive())) {
        log.line(`${name}: re-attached to query ${running.id}, still running in session ${session.sessionId}`);
        current = followQuery(running, callbacks, (await running.lastProgress())?.batchId ?? -1);
      } else {
        for (const [key, value] of Object.entries(TUNED_STREAMING_CONF)) await session.conf.set(key, value);
        current = await runJob(spec.build(session, config), callbacks);
      }
      if (sessionFile) await writeFile(sessionFile, JSON.stringify({ sessionId: session.sessionId, queryId: current.query.id }));
      // A stop that arrived while connecting applies to the query that just started.
      if (stopping) void current.stop();
      log.line(`${name}: query ${current.query.id} running (${spec.description})`);
      control.onReady(`query ${current.query.id} running`);
      attempt = 0;
      const failure = await current.finished;
      if (failure && !stopping) throw new QueryFailed(failure);
      if (sessionFile) await rm(sessionFile, { force: true });
    } catch (error) {
      if (stopping) break;
      // Spark's and the connection's failures are worth a retry; a bug in this program is not.
      if (!(error instanceof SparkConnectError || error instanceof QueryFailed)) throw error;
      // A restarted server does not know the saved session (SESSION_CHANGED, then SESSION_CLOSED
      // once released): start a new one, and the query from its checkpoint.
      if (sessionFile && error instanceof SparkConnectError && error.errorClass?.startsWith("INVALID_HANDLE.")) await rm(sessionFile, { force: true });
      const delay = Math.min(30_000, 2_000 * 2 ** Math.min(attempt, 4));
      log.line(`${name}: ${error instanceof Error ? error.message : String(error)} — retrying in ${delay / 1000} s`);
      await sleep(delay);
    } finally {
      await spark?.stop().catch(() => undefined);
    }
  }
  log.line(`${name}: stopped`);
}

