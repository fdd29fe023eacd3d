import { join } from "node:path";
import type { StediConfig } from "../../config.js";
import { sparkHome, sparkJars } from "../install.js";
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
  };
}

export function masterHost(config: StediConfig): string {
  return new URL(config.spark.masterUrl.replace(/^spark:/, "http:")).hostname;
}

export function masterPort(config: StediConfig): number {
  return Number(new URL(config.spark.masterUrl.replace(/^spark:/, "http:")).port || 7077);
}

/** The java command line of a Spark process; `properties` are Spark settings passed as system properties (-Dspark.…). */
export function sparkJava(context: StackContext, heap: string, mainClass: string, args: string[], properties: Readonly<Record<string, string>> = {}): string[] {
  return [
    `-Xmx${heap}`,
    ...SPARK_JAVA_OPTIONS,
    ...Object.entries(properties).map(([key, value]) => `-D${key}=${value}`),
    `-Dlog4j2.configurationFile=${join(context.layout.sparkDir, "conf", "log4j2.properties")}`,
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
export const SPARK_LOG4J2 = `rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.worker.name = org.apache.spark.deploy.worker.Worker
logger.worker.level = info
logger.master.name = org.apache.spark.deploy.master.Master
logger.master.level = info
logger.connect.name = org.apache.spark.sql.connect.service.SparkConnectServer
logger.connect.level = info
logger.jetty.name = org.sparkproject.jetty
logger.jetty.level = warn
logger.kafka.name = org.apache.kafka
logger.kafka.level = warn
logger.parquet.name = org.apache.parquet
logger.parquet.level = error
logger.hadoop.name = org.apache.hadoop
logger.hadoop.level = warn
`;
