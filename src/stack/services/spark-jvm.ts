import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { StediConfig } from "../../config.js";
import { sparkHome, sparkJars } from "../install.js";
import { LOG_ROLLING } from "../../log-file.js";
import { JVM_ENV, jvmMemoryOptions, type JvmMemory } from "./jvm-memory.js";
import { log4j2Properties, type Log4j2Target } from "./log4j2.js";
import type { StackContext } from "./service.js";

/** The module openings Spark's own launcher adds on Java 17 (see JavaModuleOptions). */
export const SPARK_JAVA_OPTIONS = [
  "-XX:+IgnoreUnrecognizedVMOptions",
  "--add-modules=jdk.incubator.vector",
  "--add-opens=java.base/java.lang=ALL-UNNAMED",
  "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
  "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
  "--add-opens=java.base/java.io=ALL-UNNAMED",
  "--add-opens=java.base/java.net=ALL-UNNAMED",
  "--add-opens=java.base/java.nio=ALL-UNNAMED",
  "--add-opens=java.base/java.util=ALL-UNNAMED",
  "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
  "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
  "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
  "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
  "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
  "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
  "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
  "-Djdk.reflect.useDirectMethodHandle=false",
  "-Dio.netty.tryReflectionSetAccessible=true",
];

/**
 * The environment every Spark process shares: its home (for executors' classpath) and loopback.
 * SPARK_REMOTE (a client's setting) is removed: spark-submit refuses it beside --master, and
 * Spark's launcher then leaves spark-sql off the executors' classpath.
 */
export function sparkEnv(context: StackContext): Record<string, string | undefined> {
  const host = masterHost(context.config);
  return {
    SPARK_HOME: sparkHome(context.layout),
    SPARK_SCALA_VERSION: "2.13",
    SPARK_CONF_DIR: join(context.layout.sparkDir, "conf"),
    SPARK_LOCAL_IP: host,
    SPARK_PUBLIC_DNS: host,
    SPARK_LOG_DIR: context.layout.logsDir,
    SPARK_REMOTE: undefined,
    ...JVM_ENV,
  };
}

export function masterHost(config: StediConfig): string {
  return new URL(config.spark.masterUrl.replace(/^spark:/, "http:")).hostname;
}

export function masterPort(config: StediConfig): number {
  return Number(new URL(config.spark.masterUrl.replace(/^spark:/, "http:")).port || 7077);
}

/** The log4j2 file of one Spark process: a daemon's own (`spark-master`, …) or the executors' (`executor`). */
export function sparkLog4j2File(context: StackContext, name: string): string {
  return join(context.layout.sparkDir, "conf", `log4j2-${name}.properties`);
}

/**
 * Writes the log4j2 configuration of a Spark daemon (its rolling file is logs/<name>.log) and the
 * executors' (stderr, which the worker writes to the executor's folder and rolls).
 */
export async function writeSparkLog4j2(context: StackContext, name: string): Promise<void> {
  await mkdir(join(context.layout.sparkDir, "conf"), { recursive: true });
  const file = join(context.layout.logsDir, `${name}.log`);
  await writeFile(sparkLog4j2File(context, name), sparkLog4j2({ file, ...LOG_ROLLING }));
  await writeFile(sparkLog4j2File(context, "executor"), sparkLog4j2({ stderr: true }));
}

/**
 * A Spark JVM: its memory, its log4j2 file (see writeSparkLog4j2), main class and arguments, and
 * Spark settings of its own (a daemon's SparkConf reads the JVM's spark.* system properties).
 */
export function sparkJava(context: StackContext, name: string, memory: JvmMemory, mainClass: string, args: string[], settings: Record<string, string> = {}): string[] {
  return [
    ...jvmMemoryOptions(memory),
    ...SPARK_JAVA_OPTIONS,
    `-Dlog4j2.configurationFile=${sparkLog4j2File(context, name)}`,
    ...Object.entries(settings).map(([key, value]) => `-D${key}=${value}`),
    `-Dstedi.runtime=${context.layout.runtimeDir}`,
    "-cp",
    `${join(context.layout.sparkDir, "conf")}:${sparkJars(context.layout).dir}/*`,
    mainClass,
    ...args,
  ];
}

/**
 * What every Spark JVM logs: warnings and errors, plus the few INFO lines a person looks for (the
 * worker's "Successfully registered with master", the master's registrations, the Connect server's
 * start). Spark's per-batch INFO chatter (tens of MB an hour) stays off.
 */
export function sparkLog4j2(target: Log4j2Target): string {
  return log4j2Properties({
    target,
    rootLevel: "warn",
    loggers: {
      "org.apache.spark.deploy.worker.Worker": "info",
      "org.apache.spark.deploy.master.Master": "info",
      "org.apache.spark.sql.connect.service.SparkConnectServer": "info",
      "org.sparkproject.jetty": "warn",
      "org.apache.kafka": "warn",
      "org.apache.parquet": "error",
      "org.apache.hadoop": "warn",
    },
    pattern: "%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex",
  });
}
