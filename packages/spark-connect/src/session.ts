/**
 * `SparkSession`: the entry point, with PySpark's names. One SparkSession is one Spark Connect
 * session (a UUID) on the server. While streaming queries started from it may be running, the
 * session pings the server so that it is never reaped as idle (the server stops the queries of
 * sessions idle for an hour).
 */
import { SparkConnectClient } from "./client/spark-connect-client.js";
import { GrpcTransport } from "./client/transport.js";
import { parseConnectionString } from "./client/connection-string.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./client/retry.js";
import { executeCommand } from "./client/execution.js";
import { newerServerWarning } from "./client/protocol-version.js";
import { DataFrame } from "./dataframe.js";
import { DataFrameReader } from "./reader.js";
import { RuntimeConfig, type ConfValue } from "./runtime-config.js";
import { DataStreamReader } from "./streaming/data-stream-reader.js";
import { StreamingQueryManager } from "./streaming/streaming-query-manager.js";
import { toExpr, type ColumnOrLiteral } from "./column.js";
import { namedTableRel, rangeRel, sqlRel } from "./plan/relations.js";
import { sqlCommandPlan } from "./plan/commands.js";
import { SparkConnectError } from "./errors.js";
import { DEFAULT_RESULT_OPTIONS, resolveResultOptions, type ResultOptions } from "./result-options.js";

/** Default remote when neither `remote()` nor the SPARK_REMOTE environment variable says. */
const DEFAULT_REMOTE = "sc://localhost:15002";
/** Well under the server's 60-minute idle timeout. */
const DEFAULT_KEEP_ALIVE_MS = 5 * 60_000;

export class SparkSessionBuilder {
  #remote: string | undefined;
  readonly #options = new Map<string, ConfValue>();
  #retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY;
  #keepAliveMs = DEFAULT_KEEP_ALIVE_MS;
  #sessionId: string | undefined;
  #resultOptions: ResultOptions = DEFAULT_RESULT_OPTIONS;

  /** The Spark Connect server, `sc://host:port[/;param=value…]`. Defaults to $SPARK_REMOTE. */
  remote(url: string): this {
    this.#remote = url;
    return this;
  }
  /** The application name (`spark.app.name`) shown in the Spark UI. */
  appName(name: string): this {
    this.#options.set("spark.app.name", name);
    return this;
  }
  /** A Spark configuration applied to the session when it is created. */
  config(key: string, value: ConfValue): this;
  config(pairs: Record<string, ConfValue>): this;
  config(keyOrPairs: string | Record<string, ConfValue>, value?: ConfValue): this {
    if (typeof keyOrPairs === "string") this.#options.set(keyOrPairs, value as ConfValue);
    else for (const [key, v] of Object.entries(keyOrPairs)) this.#options.set(key, v);
    return this;
  }
  /** How calls that are safe to repeat are retried while the server is unavailable. */
  retryPolicy(policy: Partial<RetryPolicy>): this {
    this.#retryPolicy = { ...this.#retryPolicy, ...policy };
    return this;
  }
  /**
   * Joins the server session with this id (a UUID) instead of starting a new one, e.g. to reach
   * the streaming queries an earlier process started: `builder().remote(url).sessionId(id).create()`.
   */
  sessionId(id: string): this {
    this.#sessionId = id;
    return this;
  }
  /** How often the session pings the server while streaming queries may run (default 5 min). */
  keepAliveInterval(ms: number): this {
    this.#keepAliveMs = ms;
    return this;
  }

  // ---- result options ----------------------------------------------------------------------
  /**
   * How this session's results become JavaScript values (see `ResultOptions`): int64 columns as
   * `"exact"` (default: number when every value of the column fits, else bigint), `"number"` or
   * `"bigint"`; timestamps as `"date"` (default) or `"micros"` (exact bigint microseconds).
   *
   * ```ts
   * const spark = await SparkSession.builder().resultOptions({ int64: "bigint", timestamp: "micros" }).create();
   * ```
   */
  resultOptions(options: Partial<ResultOptions>): this {
    this.#resultOptions = resolveResultOptions(options, this.#resultOptions);
    return this;
  }

  /** A new session, always (PySpark's `create()`). */
  async create(): Promise<SparkSession> {
    const url = this.#remote ?? process.env.SPARK_REMOTE ?? DEFAULT_REMOTE;
    const target = parseConnectionString(url);
    const client = new SparkConnectClient(target, new GrpcTransport(target), { retryPolicy: this.#retryPolicy, sessionId: this.#sessionId });
    const session = new SparkSession(client, this.#keepAliveMs, this.#resultOptions);
    // Like PySpark: options the server refuses at runtime (static or core confs) are ignored.
    const [, serverVersion] = await Promise.all([session.conf.setAll(Object.fromEntries(this.#options), true), session.version()]);
    const warning = newerServerWarning(serverVersion);
    if (warning) process.emitWarning(warning, { code: "SPARK_CONNECT_NEWER_SERVER" });
    SparkSession.active = session;
    return session;
  }

  /** The active session when it talks to the same server with the same result options and is not stopped, else a new one. */
  async getOrCreate(): Promise<SparkSession> {
    const url = this.#remote ?? process.env.SPARK_REMOTE ?? DEFAULT_REMOTE;
    const active = SparkSession.active;
    const client = active && clientOf(active);
    const sameSession = this.#sessionId === undefined || active?.sessionId === this.#sessionId;
    // Result options are fixed per session: asking for other ones means another session.
    const sameResults = active?.resultOptions.int64 === this.#resultOptions.int64 && active.resultOptions.timestamp === this.#resultOptions.timestamp;
    if (active && client && sameSession && sameResults && !client.closed && client.target.address === parseConnectionString(url).address) {
      await active.conf.setAll(Object.fromEntries(this.#options), true);
      return active;
    }
    return this.create();
  }
}

let readClient: (session: SparkSession) => SparkConnectClient;

export class SparkSession {
  /** The session most recently created by a builder, as PySpark's `getActiveSession()`. */
  static active: SparkSession | undefined;

  readonly #client: SparkConnectClient;
  readonly conf: RuntimeConfig;
  readonly streams: StreamingQueryManager;
  readonly #keepAliveMs: number;
  /** How results are decoded (fixed for the session's life). */
  readonly resultOptions: ResultOptions;
  #keepAlive: NodeJS.Timeout | undefined;
  #nextPlanId = 0n;

  static {
    readClient = (session) => session.#client;
  }

  /** @internal Use `SparkSession.builder()`. */
  constructor(client: SparkConnectClient, keepAliveMs = DEFAULT_KEEP_ALIVE_MS, resultOptions: ResultOptions = DEFAULT_RESULT_OPTIONS) {
    this.resultOptions = resultOptions;
    this.#client = client;
    this.conf = new RuntimeConfig(client);
    this.streams = new StreamingQueryManager(this);
    this.#keepAliveMs = keepAliveMs;
  }

  /** A builder for a session: `SparkSession.builder().remote("sc://host:15002").getOrCreate()`. */
  static builder(): SparkSessionBuilder {
    return new SparkSessionBuilder();
  }

  /** The session a builder created last, if any (PySpark's `getActiveSession()`). */
  static getActiveSession(): SparkSession | undefined {
    return SparkSession.active;
  }

  /** The session id (a UUID) the server knows this session by. */
  get sessionId(): string {
    return this.#client.sessionId;
  }

  /** @internal A fresh plan id for a new relation. */
  newPlanId(): bigint {
    const id = this.#nextPlanId;
    this.#nextPlanId += 1n;
    return id;
  }

  /** The Spark version of the server, e.g. "4.2.0". */
  async version(): Promise<string> {
    const response = await this.#client.analyze({ case: "sparkVersion", value: {} });
    if (response.result.case !== "sparkVersion") throw new SparkConnectError("the server did not answer with its version");
    return response.result.value.version;
  }

  /**
   * Runs a SQL statement. Like PySpark, commands (DDL, SET …) run now, once; queries become a
   * DataFrame that runs when an action is called. Arguments bind `:name` or `?` markers.
   */
  async sql(query: string, args?: Record<string, ColumnOrLiteral> | readonly ColumnOrLiteral[]): Promise<DataFrame> {
    const bound = args === undefined ? undefined : Array.isArray(args) ? args.map(toExpr) : Object.fromEntries(Object.entries(args).map(([k, v]) => [k, toExpr(v)]));
    const relation = sqlRel(this.newPlanId(), query, bound);
    const result = await executeCommand(this.#client, sqlCommandPlan(relation), "sqlCommandResult");
    const returned = result?.relation;
    if (returned === undefined) return new DataFrame(this, relation);
    returned.common = { ...(returned.common ?? { $typeName: "spark.connect.RelationCommon", sourceInfo: "" }), planId: this.newPlanId() };
    return new DataFrame(this, returned);
  }

  /** `range(end)` or `range(start, end, step = 1, numPartitions?)`: a column `id` of bigint. */
  range(startOrEnd: number | bigint, end?: number | bigint, step: number | bigint = 1, numPartitions?: number): DataFrame {
    const [from, to] = end === undefined ? [0n, BigInt(startOrEnd)] : [BigInt(startOrEnd), BigInt(end)];
    return new DataFrame(this, rangeRel(this.newPlanId(), from, to, BigInt(step), numPartitions));
  }

  /** A table or view by name. */
  table(name: string): DataFrame {
    return new DataFrame(this, namedTableRel(this.newPlanId(), name, {}, false));
  }

  get read(): DataFrameReader {
    return new DataFrameReader(this);
  }

  get readStream(): DataStreamReader {
    return new DataStreamReader(this);
  }

  /** @internal Called when a streaming query starts: keep the server session from idling out. */
  keepAlive(): void {
    if (this.#keepAlive || this.#client.closed) return;
    this.#keepAlive = setInterval(() => {
      this.conf.getOption("spark.sql.session.timeZone").catch(() => undefined);
    }, this.#keepAliveMs);
    this.#keepAlive.unref(); // never the reason the process stays up
  }

  /** Releases the session on the server (stopping its streaming queries) and closes the channel. */
  async stop(): Promise<void> {
    if (this.#keepAlive) clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
    await this.#client.close();
    if (SparkSession.active === this) SparkSession.active = undefined;
  }
}

/** @internal The gRPC client of a session (module-internal: not exported by index.ts). */
export function clientOf(session: SparkSession): SparkConnectClient {
  return readClient(session);
}
