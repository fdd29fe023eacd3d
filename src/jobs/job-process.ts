/**
 * The streaming jobs as long-running processes: which jobs there are, and the loop that keeps one
 * running — reconnecting when the Connect server goes away, re-attaching to a query left running
 * by a previous process, logging to the job's file under logs/.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { SparkConnectError, SparkSession, type DataStreamWriter, type RetryPolicy } from "spark-connect-ts";
import { backoffDelay, type Backoff } from "../backoff.js";
import type { StediConfig } from "../config.js";
import { openLogFile } from "../log-file.js";
import { consoleQuery, customersView, eventsView } from "./console.js";
import { CUSTOMER_RISK_CONF, CUSTOMER_RISK_PLAN_VERSION, customerRiskQuery } from "./customer-risk.js";
import { followQuery, runJob, type JobRun } from "./runner.js";
import { applyStreamingTuning } from "./tuning.js";

export interface JobSpec {
  readonly description: string;
  /** The log under logs/ that the seed's rubric names. */
  readonly logName: string;
  /**
   * `checkpointLocation` is the job's durable checkpoint folder, for a job that has one; `print`
   * writes to the terminal and the job's log, for the console jobs' batches.
   */
  readonly build: (spark: SparkSession, config: StediConfig, checkpointLocation: string, print: (text: string) => void) => DataStreamWriter;
  /**
   * A job with a durable checkpoint names its folder under checkpoints/. It also remembers its
   * server session, so that a new job process (after a crash or SIGKILL of this one) re-attaches to
   * the query still running there instead of restarting it, which could replay a batch
   * half-written to Kafka.
   */
  readonly checkpoint?: string;
  /** Checkpoint folders of earlier versions of the job's plan, which it can no longer resume. */
  readonly supersedes?: readonly string[];
  /** Session settings the job's semantics need, applied over the tuned ones. */
  readonly conf?: Readonly<Record<string, string>>;
  /** Console jobs print each batch's rows instead of customer-risk's one progress line per batch. */
  readonly printsBatches?: true;
}

export const JOBS: Readonly<Record<string, JobSpec>> = {
  "customer-risk": {
    description: "join birth years with risk scores into the customer-risk topic",
    logName: "kafkajoinconsole.log",
    checkpoint: `customer-risk-v${CUSTOMER_RISK_PLAN_VERSION}`,
    supersedes: ["customer-risk", "customer-risk-v2"],
    conf: CUSTOMER_RISK_CONF,
    build: (spark, config, checkpointLocation) =>
      customerRiskQuery(spark, {
        bootstrapServers: config.kafka.broker,
        redisServerTopic: config.kafka.topics.redisServer,
        stediEventsTopic: config.kafka.topics.stediEvents,
        customerRiskTopic: config.kafka.topics.customerRisk,
        checkpointLocation,
        joinHorizon: config.jobs.joinHorizon,
        joinLateness: config.jobs.joinLateness,
      }),
  },
  "events-console": {
    description: "print the decoded stedi-events (customer, score) batch by batch",
    logName: "eventstream.log",
    build: (spark, config, _checkpoint, print) => consoleQuery(spark, { bootstrapServers: config.kafka.broker, topic: config.kafka.topics.stediEvents }, eventsView, "events_console", print),
    printsBatches: true,
  },
  "redis-console": {
    description: "print the decoded customers (email, birthYear) batch by batch",
    logName: "redis-kafka.log",
    build: (spark, config, _checkpoint, print) => consoleQuery(spark, { bootstrapServers: config.kafka.broker, topic: config.kafka.topics.redisServer }, customersView, "redis_console", print),
    printsBatches: true,
  },
};

/** The server session and query a resumable job last ran, in a file under the runtime folder's checkpoints/. */
interface SavedSession {
  readonly sessionId: string;
  readonly queryId: string;
}

class SessionFile {
  constructor(readonly path: string | undefined) {}

  async read(): Promise<SavedSession | undefined> {
    if (!this.path) return undefined;
    try {
      return JSON.parse(await readFile(this.path, "utf8")) as SavedSession;
    } catch {
      return undefined;
    }
  }
  async write(saved: SavedSession): Promise<void> {
    if (!this.path) return;
    // Its folder is only the checkpoints' own when STEDI_CHECKPOINT_DIR is unset.
    await mkdir(dirname(this.path), { recursive: true });
    await writeFile(this.path, JSON.stringify(saved));
  }
  async forget(): Promise<void> {
    if (this.path) await rm(this.path, { force: true });
  }
}

class QueryFailed extends Error {
  constructor(reason: string) {
    super(`the query failed: ${reason}`);
  }
}

interface JobLog {
  readonly line: (text: string) => void;
  readonly raw: (text: string) => void;
}

/** Writes to the terminal and appends to the job's log file. */
async function openJobLog(config: StediConfig, spec: JobSpec): Promise<JobLog> {
  const dir = join(config.runtimeDir, "logs");
  await mkdir(dir, { recursive: true });
  const file = openLogFile(join(dir, spec.logName));
  const raw = (text: string): void => {
    process.stdout.write(text);
    file.write(text);
  };
  return { raw, line: (text) => raw(`${new Date().toISOString()} ${text}\n`) };
}

/** A job's checkpoint folder under STEDI_CHECKPOINT_DIR: a path, or a URI that Spark's driver and executors resolve. */
export function checkpointIn(config: StediConfig, folder: string): string {
  const dir = config.jobs.checkpointDir;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(dir) ? `${dir}/${folder}` : join(dir, folder);
}

/** The local path of a checkpoint location, when this machine can look at it (a path or file://). */
function localPath(location: string): string | undefined {
  if (location.startsWith("file://")) return fileURLToPath(location);
  return location.startsWith("/") ? location : undefined;
}

/** A checkpoint of an earlier plan is never resumed (Spark would refuse its state): say so, once. */
async function reportSupersededCheckpoints(config: StediConfig, spec: JobSpec, log: JobLog): Promise<void> {
  for (const folder of spec.supersedes ?? []) {
    const path = localPath(checkpointIn(config, folder));
    if (path === undefined || !existsSync(path)) continue;
    log.line(`${path} holds the checkpoint of an earlier version of this job, which the current plan cannot resume; it is not used (delete it to free its disk). The job keeps its state in ${checkpointIn(config, spec.checkpoint ?? "")}, starting from the topics' first offsets.`);
  }
}

/**
 * How each of the job's calls rides out a Connect server that went away: a few seconds, polling
 * at most a second apart, then the call fails and the loop below takes over (RETRY_BACKOFF). The
 * client's default (waits growing to 51 s and 60 s, about five minutes in all) suits a user's
 * one-off call; here it left a restarted server unused for up to a minute while the job slept.
 */
export const JOB_RETRY_POLICY: Partial<RetryPolicy> = { maxRetries: 8, initialBackoffMs: 100, multiplier: 2, maxBackoffMs: 1_000 };

/** Connects to the Connect server: into the saved session when there is one, else a new session. */
async function connect(name: string, config: StediConfig, saved: SavedSession | undefined): Promise<SparkSession> {
  const builder = SparkSession.builder().remote(config.spark.remote).appName(`stedi ${name}`).retryPolicy(JOB_RETRY_POLICY);
  return saved ? builder.sessionId(saved.sessionId).create() : builder.create();
}

/** Re-attaches to the saved query when it still runs in the session; else starts it (from its checkpoint). */
async function attachOrStart(spark: SparkSession, spec: JobSpec, config: StediConfig, saved: SavedSession | undefined, log: JobLog): Promise<{ run: JobRun; attached: boolean }> {
  const callbacks = { log: spec.printsBatches ? () => undefined : log.line };
  const running = saved ? await spark.streams.get(saved.queryId) : undefined;
  if (running && (await running.isActive())) {
    return { run: followQuery(running, callbacks, (await running.lastProgress())?.batchId ?? -1), attached: true };
  }
  const checkpointLocation = checkpointIn(config, spec.checkpoint ?? "");
  // A job without a checkpoint of its own runs on a temporary one, on the Connect server's disk.
  await applyStreamingTuning(spark, spec.checkpoint ? checkpointLocation : undefined, spec.conf);
  return { run: await runJob(spec.build(spark, config, checkpointLocation, log.raw), callbacks), attached: false };
}

/**
 * What a failure means for the loop: Spark's and the connection's failures are worth a retry (a
 * restarted server does not know the saved session — SESSION_CHANGED, then SESSION_CLOSED once
 * released — so that retry starts a new session, and the query from its checkpoint); anything else
 * is a bug in this program, and is thrown.
 */
function classifyFailure(error: unknown): "retry" | "retry-in-new-session" {
  if (error instanceof QueryFailed) return "retry";
  if (!(error instanceof SparkConnectError)) throw error;
  return error.errorClass?.startsWith("INVALID_HANDLE.") ? "retry-in-new-session" : "retry";
}

/**
 * Between attempts to reach the Connect server and run the query again: 1 s doubling to 5 s. An
 * attempt costs the server nothing while it is away (the connection is refused), and the ceiling
 * is how long a server that is back may wait for the job: 30 s of it was most of the first minute.
 */
export const RETRY_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 5_000 };

/**
 * Runs a job until `signal` aborts: connect → attach or start → follow → on failure, classify it
 * and go round again with back-off (the Connect server went away, the query failed).
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
  await reportSupersededCheckpoints(config, spec, log);
  // The session file is this process's own memory (which server session to re-attach to): always local.
  const sessionFile = new SessionFile(spec.checkpoint ? join(config.runtimeDir, "checkpoints", `${spec.checkpoint}.session.json`) : undefined);
  let retriedInNewSession = false;
  for (let attempt = 0; !stopping; attempt += 1) {
    let spark: SparkSession | undefined;
    try {
      const saved = await sessionFile.read();
      spark = await connect(name, config, saved);
      const { run, attached } = await attachOrStart(spark, spec, config, saved, log);
      current = run;
      if (attached) log.line(`${name}: re-attached to query ${run.query.id}, still running in session ${spark.sessionId}`);
      await sessionFile.write({ sessionId: spark.sessionId, queryId: run.query.id });
      // A stop that arrived while connecting applies to the query that just started.
      if (stopping) void run.stop();
      log.line(`${name}: query ${run.query.id} running (${spec.description})`);
      control.onReady(`query ${run.query.id} running`);
      attempt = 0;
      retriedInNewSession = false;
      const failure = await run.finished;
      if (failure && !stopping) throw new QueryFailed(failure);
      await sessionFile.forget();
    } catch (error) {
      if (stopping) break;
      // A server that no longer knows the saved session is up and answering: a new session is
      // what it needs, and waiting would only delay the query's restart from its checkpoint.
      // (Once: a new session refused again waits as any failure does.)
      const newSession = classifyFailure(error) === "retry-in-new-session";
      if (newSession) await sessionFile.forget();
      const delay = newSession && !retriedInNewSession ? 0 : backoffDelay(attempt + 1, RETRY_BACKOFF);
      retriedInNewSession = newSession;
      log.line(`${name}: ${error instanceof Error ? error.message : String(error)} — retrying in ${delay / 1000} s`);
      await sleep(delay);
    } finally {
      await spark?.stop().catch(() => undefined);
    }
  }
  log.line(`${name}: stopped`);
}
