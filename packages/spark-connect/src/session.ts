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
import { execute, executeCommand } from "./client/execution.js";
import { newerServerWarning } from "./client/protocol-version.js";
import { DataFrame } from "./dataframe.js";
import { DataFrameReader } from "./reader.js";
import { RuntimeConfig, type ConfValue } from "./runtime-config.js";
import { DataStreamReader } from "./streaming/data-stream-reader.js";
import { StreamingQueryManager } from "./streaming/streaming-query-manager.js";
import { toExpr, type ColumnOrLiteral } from "./column.js";
import { namedTableRel, rangeRel, sqlRel } from "./plan/relations.js";
import { registerJavaFunctionPlan, sqlCommandPlan } from "./plan/commands.js";
import { SparkConnectError } from "./errors.js";
import { Catalog } from "./catalog.js";
import { readArtifacts, type AddArtifactsOptions } from "./artifacts.js";
import { toProtoDataType } from "./plan/data-types.js";
import { parseDataType } from "./types/ddl.js";
import { NullType, StructField, StructType, type DataType } from "./types/data-types.js";
import type { RowOf } from "./types/row-of.js";
import { inferSchema, localDataRelation, rowsToArrowTable } from "./local-relation.js";
import { Table } from "apache-arrow";
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
   * @example
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
   *
   * @example
   * ```ts
   * const adults = await spark.sql("SELECT * FROM people WHERE age >= :min", { min: 18 });
   * await adults.show();
   * ```
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

  /**
   * `range(end)` or `range(start, end, step = 1, numPartitions?)`: a column `id` of bigint.
   *
   * @example
   * ```ts
   * await spark.range(5).show();          // id 0..4
   * spark.range(10, 20, 2);               // 10, 12, …, 18
   * ```
   */
  range(startOrEnd: number | bigint, end?: number | bigint, step: number | bigint = 1, numPartitions?: number): DataFrame {
    const [from, to] = end === undefined ? [0n, BigInt(startOrEnd)] : [BigInt(startOrEnd), BigInt(end)];
    return new DataFrame(this, rangeRel(this.newPlanId(), from, to, BigInt(step), numPartitions));
  }

  /**
   * A table or view by name.
   *
   * @example
   * ```ts
   * const people = spark.table("db.people");
   * ```
   */
  table(name: string): DataFrame {
    return new DataFrame(this, namedTableRel(this.newPlanId(), name, {}, false));
  }

  /**
   * The batch reader of this session, PySpark's `spark.read`.
   *
   * @example
   * ```ts
   * const sales = spark.read.format("csv").option("header", true).load("/data/sales.csv");
   * ```
   */
  get read(): DataFrameReader {
    return new DataFrameReader(this);
  }

  /**
   * The streaming reader of this session, PySpark's `spark.readStream`.
   *
   * @example
   * ```ts
   * const events = spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "events").load();
   * ```
   */
  get readStream(): DataStreamReader {
    return new DataStreamReader(this);
  }

  // ---- everyday API: catalog, local data, artifacts, Java UDFs ----------------------------

  /**
   * The catalog: databases, tables, columns, functions, temporary views and the table cache.
   *
   * @example
   * ```ts
   * if (await spark.catalog.tableExists("people")) await spark.catalog.cacheTable("people");
   * ```
   */
  get catalog(): Catalog {
    return new Catalog(this);
  }

  /**
   * A DataFrame of local data: an array of objects (schema inferred as PySpark does: integers
   * bigint, other numbers double, Dates timestamps, nested objects structs), rows as objects or
   * arrays with a schema (a StructType, a DDL string, or column names to infer the types of), or
   * an Arrow Table. Data larger than spark.sql.session.localRelationCacheThreshold (64 MiB) is
   * uploaded once as an artifact and referenced, rather than sent inside the plan.
   *
   * @example
   * ```ts
   * const people = await spark.createDataFrame([{ name: "ann", age: 31 }, { name: "bob", age: null }]);
   * const typed = await spark.createDataFrame([["ann", 31]], "name STRING, age INT");
   * const fromArrow = await spark.createDataFrame(tableFromArrays({ id: Int32Array.from([1, 2]) }));
   * // with a StructType literal the rows are typed: { id: number | bigint; name: string | null }[]
   * const rows = await (await spark.createDataFrame([[1, "ann"]], new StructType([new StructField("id", new LongType(), false), new StructField("name", new StringType())]))).collect();
   * ```
   */
  async createDataFrame<Schema extends StructType>(data: Table | readonly unknown[], schema: Schema): Promise<DataFrame<RowOf<Schema>>>;
  async createDataFrame(data: Table | readonly unknown[], schema?: StructType | string | readonly string[]): Promise<DataFrame>;
  async createDataFrame(data: Table | readonly unknown[], schema?: StructType | string | readonly string[]): Promise<DataFrame> {
    const target = { client: this.#client, conf: this.conf, newPlanId: () => this.newPlanId() };
    if (isArrowTable(data)) {
      if (Array.isArray(schema)) throw new TypeError("createDataFrame(table, schema): the schema of an Arrow table is a StructType or DDL string");
      const given = schema instanceof StructType ? schema.json() : (schema as string | undefined);
      return new DataFrame(this, await localDataRelation(target, data, given));
    }
    const rows = data as readonly unknown[];
    let structType: StructType;
    if (schema === undefined) structType = inferSchema(rows as Record<string, unknown>[]);
    else if (Array.isArray(schema)) {
      const names = schema as readonly string[];
      const named = rows.map((row) => (Array.isArray(row) ? Object.fromEntries(names.map((name, index) => [name, row[index]])) : row) as Record<string, unknown>);
      const inferred = inferSchema(named);
      structType = new StructType(names.map((name) => inferred.field(name) ?? new StructField(name, new NullType())));
    } else structType = typeof schema === "string" ? StructType.fromDDL(schema) : (schema as StructType);
    const table = rows.length === 0 ? undefined : rowsToArrowTable(rows, structType, "UTC");
    return new DataFrame(this, await localDataRelation(target, table, structType.json()));
  }

  /**
   * Uploads local files to this session: `.jar` and `.class` files join its class path (for
   * Java UDFs, data sources, `reflect`); with `{ file: true }` or `{ archive: true }` others are
   * shipped to the executors. Other sessions do not see them.
   *
   * @example
   * ```ts
   * await spark.addArtifacts("/opt/udfs/my-udfs.jar");
   * await spark.registerJavaFunction("to_upper", "com.example.ToUpper", "string");
   * ```
   */
  async addArtifacts(...args: [...paths: string[], options: AddArtifactsOptions] | string[]): Promise<void> {
    const last = args.at(-1);
    const options = typeof last === "object" ? last : {};
    const paths = (args as readonly unknown[]).filter((arg): arg is string => typeof arg === "string");
    if (paths.length === 0) throw new TypeError("addArtifacts() needs at least one path");
    await this.#client.addArtifacts(await readArtifacts(paths, options));
  }

  /**
   * Registers a Java class implementing one of Spark's `org.apache.spark.sql.api.java.UDF0`…`UDF22`
   * as a SQL function of this session (the class must be on the server's or the session's class
   * path, see `addArtifacts`). Without `returnType` the server infers it from the class.
   *
   * @example
   * ```ts
   * await spark.registerJavaFunction("str_len", "com.example.StringLength", "int");
   * await (await spark.sql("select str_len('abc')")).show();
   * ```
   */
  async registerJavaFunction(name: string, javaClassName: string, returnType?: DataType | string): Promise<void> {
    const type = typeof returnType === "string" ? parseDataType(returnType) : returnType;
    await execute(this.#client, registerJavaFunctionPlan(name, javaClassName, type === undefined ? undefined : toProtoDataType(type), false));
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
    await this.#end(true);
  }

  /**
   * Closes this client's channel but leaves the session on the server: its streaming queries keep
   * running, and a later client attaches to it by id until the server idles it out
   * (`spark.connect.session.manager.defaultSessionTimeout`). Also the cheap way to end a short
   * check that reuses one session id, since creating and releasing a session costs the server work.
   *
   * @example
   * ```ts
   * const spark = await SparkSession.builder().remote("sc://localhost").create();
   * const query = await df.writeStream.format("noop").start();
   * const id = spark.sessionId;
   * await spark.detach(); // the query runs on
   * const again = await SparkSession.builder().remote("sc://localhost").sessionId(id).create();
   * ```
   */
  async detach(): Promise<void> {
    await this.#end(false);
  }

  async #end(release: boolean): Promise<void> {
    if (this.#keepAlive) clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
    await this.#client.close({ release });
    if (SparkSession.active === this) SparkSession.active = undefined;
  }
}

/** An Arrow Table, also one made by another copy of apache-arrow (checked by shape). */
function isArrowTable(data: unknown): data is Table {
  return data instanceof Table || (typeof data === "object" && data !== null && !Array.isArray(data) && "schema" in data && "batches" in data);
}

/** @internal The gRPC client of a session (module-internal: not exported by index.ts). */
export function clientOf(session: SparkSession): SparkConnectClient {
  return readClient(session);
}
