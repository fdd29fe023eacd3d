import { mkdir, rm } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { SparkSession } from "spark-connect-ts";
import { nthPort, parseHostPort, type StediConfig } from "../../config.js";
import { installJars, sparkJars } from "../install.js";
import type { StackLayout } from "../layout.js";
import { readPid } from "../processes.js";
import { probing, type Service, type ServiceName, type StackContext } from "./service.js";
import { LOG_ROLLING } from "../../log-file.js";
import { driverMemory, executorMemory, jvmMemoryOptions, SPARK_DAEMON_MEMORY } from "./jvm-memory.js";
import { masterHost, masterPort, sparkEnv, sparkJava, sparkLog4j2File, writeSparkLog4j2 } from "./spark-jvm.js";

/**
 * The worker captures each executor's stdout and stderr into the executor's folder under its work
 * folder and rolls them by its own SparkConf (not the application's): as the daemons' logs, 10 MiB
 * a file, 4 kept. The folders of applications that ended go after a day.
 */
const EXECUTOR_LOGS = {
  "spark.executor.logs.rolling.strategy": "size",
  "spark.executor.logs.rolling.maxSize": String(LOG_ROLLING.maxBytes),
  "spark.executor.logs.rolling.maxRetainedFiles": String(LOG_ROLLING.rolledFiles),
  "spark.worker.cleanup.enabled": "true",
  "spark.worker.cleanup.appDataTtl": String(24 * 3600),
};

interface MasterState {
  status: string;
  workers: { id: string; state: string; cores: number; memory: number }[];
}

async function masterState(config: StediConfig): Promise<MasterState> {
  const url = `http://${masterHost(config)}:${config.spark.masterUiPort}/json/`;
  const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as MasterState;
}

/** The JVM's own stdout/stderr (what it prints before log4j2 starts, a crash): its log4j2 log is logs/<name>.log. */
function jvmOutput(context: StackContext, name: string): string {
  return join(context.layout.logsDir, `${name}.out`);
}

const installSpark = ({ layout, progress }: StackContext): Promise<void> => installJars(sparkJars(layout), progress);

/** Where the master keeps the workers and applications it knows (spark.deploy.recoveryMode=FILESYSTEM). */
const masterRecoveryDir = (layout: StackLayout): string => join(layout.sparkDir, "recovery");

export const sparkMasterService: Service = {
  name: "spark-master",
  logName: "spark-master.log",
  startTimeoutMs: 60_000,
  endpoints: (config) => [
    { host: masterHost(config), port: masterPort(config) },
    { host: masterHost(config), port: config.spark.masterUiPort },
  ],
  install: installSpark,
  async prepare(context) {
    await writeSparkLog4j2(context, "spark-master");
    // A restarted master recovers the running cluster from this folder: it tells the workers and the
    // Connect server it is back, so they re-register and executors are scheduled again (without it
    // the Connect server never re-registers, and once its executor dies no batch runs). With none
    // of the stack's workers running, what the folder holds is a cluster that is gone: waiting for
    // its dead members (spark.worker.timeout, 60 s) would only delay the start.
    const workers = Array.from({ length: context.config.spark.workers }, (_, index) => sparkWorkerName(index + 1));
    const running = await Promise.all(workers.map((name) => readPid(context.layout.pidsDir, name)));
    if (running.every((record) => record === undefined)) await rm(masterRecoveryDir(context.layout), { recursive: true, force: true });
    await mkdir(masterRecoveryDir(context.layout), { recursive: true });
  },
  launch: (context) => ({
    name: "spark-master",
    command: "java",
    // Spark writes spark-warehouse/ and metastore files into its working directory.
    cwd: context.layout.sparkDir,
    env: sparkEnv(context),
    args: sparkJava(
      context,
      "spark-master",
      SPARK_DAEMON_MEMORY,
      "org.apache.spark.deploy.master.Master",
      ["--host", masterHost(context.config), "--port", String(masterPort(context.config)), "--webui-port", String(context.config.spark.masterUiPort)],
      { "spark.deploy.recoveryMode": "FILESYSTEM", "spark.deploy.recoveryDirectory": masterRecoveryDir(context.layout) },
    ),
    logFile: jvmOutput(context, "spark-master"),
  }),
  probe: (config) =>
    probing(
      async () => {
        const state = await masterState(config);
        // RECOVERING: a restarted master serving registrations while it waits (at most
        // spark.worker.timeout) for the workers and applications it knew; it schedules again after.
        if (state.status === "RECOVERING") return `master ${config.spark.masterUrl} RECOVERING its workers and applications`;
        if (state.status !== "ALIVE") throw new Error(`master status is ${state.status}`);
        return `master ${config.spark.masterUrl} ALIVE`;
      },
      4_000,
      "Spark master",
    ),
};

/** Service name of the n-th worker (from 1): "spark-worker" for the first (as with one worker), spark-worker-2 … */
export function sparkWorkerName(n: number): ServiceName {
  return n === 1 ? "spark-worker" : `spark-worker-${n}`;
}

/** The n-th worker (from 1): its own UI port (nthPort) and work folder; all register with the one master. */
export function sparkWorkerService(n: number): Service {
  const name = sparkWorkerName(n);
  const uiPort = (config: StediConfig): number => nthPort(config.spark.workerUiPort, n);
  const workDir = (context: StackContext): string => join(context.layout.sparkDir, n === 1 ? "work" : `work-${n}`);
  return {
    name,
    logName: `${name}.log`,
    startTimeoutMs: 60_000,
    endpoints: (config) => [{ host: masterHost(config), port: uiPort(config) }],
    install: installSpark,
    async prepare(context) {
      await writeSparkLog4j2(context, name);
      await mkdir(workDir(context), { recursive: true });
    },
    launch: (context) => ({
      name,
      command: "java",
      // Spark writes spark-warehouse/ and metastore files into its working directory.
      cwd: context.layout.sparkDir,
      env: sparkEnv(context),
      args: sparkJava(context, name, SPARK_DAEMON_MEMORY, "org.apache.spark.deploy.worker.Worker", [
        "--host",
        masterHost(context.config),
        "--webui-port",
        String(uiPort(context.config)),
        "--cores",
        String(context.config.spark.workerCores),
        "--memory",
        context.config.spark.workerMemory,
        "--work-dir",
        workDir(context),
        context.config.spark.masterUrl,
      ], EXECUTOR_LOGS),
      logFile: jvmOutput(context, name),
    }),
    // Healthy when the worker's own UI answers and the master lists that worker as ALIVE.
    probe: (config) =>
      probing(
        async () => {
          const url = `http://${masterHost(config)}:${uiPort(config)}/json/`;
          const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
          if (!response.ok) throw new Error(`${url} answered ${response.status}`);
          const { id } = (await response.json()) as { id: string };
          // A master that does not answer says nothing about this worker, which keeps its executors
          // and re-registers when the master is back: judged unhealthy (and restarted by the
          // supervisor), it would take the running executors down with it.
          const master = await masterState(config).catch(() => undefined);
          if (master === undefined) return `worker ${id} serving; the master does not answer`;
          const worker = master.workers.find((candidate) => candidate.id === id);
          if (worker?.state !== "ALIVE") throw new Error(`the master does not list worker ${id} as ALIVE${worker ? ` (${worker.state})` : ""}`);
          return `worker ${id} ALIVE, ${worker.cores} cores/${worker.memory} MB`;
        },
        4_000,
        "Spark worker",
      ),
  };
}

export const sparkConnectService: Service = {
  name: "spark-connect",
  logName: "spark-connect.log",
  startTimeoutMs: 120_000,
  endpoints: (config) => {
    const { host, port } = parseHostPort(config.spark.remote, 15002);
    return [{ host, port }];
  },
  install: installSpark,
  async prepare(context) {
    await writeSparkLog4j2(context, "spark-connect");
    await mkdir(join(context.layout.sparkDir, "local"), { recursive: true });
  },
  launch: (context) => {
    const { config, layout } = context;
    const { host, port } = parseHostPort(config.spark.remote, 15002);
    const conf = {
      "spark.connect.grpc.binding.address": host,
      "spark.connect.grpc.binding.port": String(port),
      "spark.driver.host": masterHost(config),
      "spark.driver.bindAddress": masterHost(config),
      "spark.driver.memory": config.spark.driverMemory,
      "spark.executor.memory": config.spark.executorMemory,
      "spark.sql.shuffle.partitions": String(config.spark.shufflePartitions),
      "spark.local.dir": join(layout.sparkDir, "local"),
      "spark.ui.port": "4040",
      "spark.executor.extraJavaOptions": [...jvmMemoryOptions(executorMemory(config.spark.executorMemory), { withMax: false }), `-Dlog4j2.configurationFile=${sparkLog4j2File(context, "executor")}`].join(" "),
      "spark.sql.streaming.forceDeleteTempCheckpointLocation": "true",
      // Jobs share the two cores task by task: a 200-task stage of one query does not hold up another's.
      "spark.scheduler.mode": "FAIR",
      // The server runs for days and the job runs a micro-batch every second or two, each a SQL
      // execution with its plan graph and metrics, a job and 3–4 stages. Spark's UI keeps the last
      // 1,000 of each: after 30 minutes of `npm start` its SQL plan graphs were the largest structures
      // the driver's heap kept (242 k SQLPlanMetric objects, 25 k graph nodes, in a live heap of
      // 126 MiB). The UI keeps the last minutes' worth instead.
      "spark.sql.ui.retainedExecutions": "100",
      "spark.ui.retainedJobs": "100",
      "spark.ui.retainedStages": "400",
      "spark.ui.retainedTasks": "4000",
    };
    return {
      name: "spark-connect",
      command: "java",
      cwd: layout.sparkDir,
      env: sparkEnv(context),
      args: sparkJava(context, "spark-connect", driverMemory(config.spark.driverMemory), "org.apache.spark.deploy.SparkSubmit", [
        "--master",
        config.spark.masterUrl,
        "--class",
        "org.apache.spark.sql.connect.service.SparkConnectServer",
        "--name",
        "Spark Connect server",
        ...Object.entries(conf).flatMap(([key, value]) => ["--conf", `${key}=${value}`]),
        "spark-internal",
      ]),
      logFile: jvmOutput(context, "spark-connect"),
    };
  },
  probe: (config) =>
    probing(
      async () => {
        const version = await sparkConnectVersion(config.spark.remote);
        return `Spark Connect ${version} answering at ${config.spark.remote}`;
      },
      5_000,
      "Spark Connect",
    ),
};

/** Asks the server its Spark version through the client: proves the Connect service really serves. */
/**
 * One server session for every probe of this process: a new session per probe (every 2 s under
 * supervision) would make the server set up and tear down a session each time, and Spark 4.2 logs
 * a stack trace for each release without MLlib on its class path.
 */
const PROBE_SESSION_ID = randomUUID();

async function sparkConnectVersion(remote: string): Promise<string> {
  const spark = await SparkSession.builder().remote(remote).sessionId(PROBE_SESSION_ID).retryPolicy({ maxRetries: 0 }).create();
  try {
    return await spark.version();
  } finally {
    await spark.detach();
  }
}
