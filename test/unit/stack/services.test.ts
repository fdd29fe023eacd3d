import { test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../../../src/config.js";
import { stackLayout } from "../../../src/stack/layout.js";
import { externalServices, stackServices } from "../../../src/stack/stack.js";
import { kafkaClusterId, kafkaLog4j2, kafkaReplicaConfigs, kafkaServerProperties, kafkaTopicConfigs, kafkaTopics } from "../../../src/stack/services/kafka.js";
import { sparkConnectService, sparkWorkerService } from "../../../src/stack/services/spark.js";
import { sparkLog4j2 } from "../../../src/stack/services/spark-jvm.js";
import { jvmMemoryOptions } from "../../../src/stack/services/jvm-memory.js";
import type { StackContext } from "../../../src/stack/services/service.js";
import { DEFAULT_SPARK_VERSION } from "../../../src/stack/versions.js";

function contextFor(env: Record<string, string>): StackContext {
  const config = loadConfig({ STEDI_HOME: "/rt", XDG_CACHE_HOME: "/cache", ...env }, "/");
  return { config, layout: stackLayout(config, { XDG_CACHE_HOME: "/cache" }), progress: () => undefined };
}

test("Kafka runs single-node KRaft on the configured broker and controller ports", () => {
  const { config } = contextFor({ KAFKA_BROKER: "127.0.0.1:19092", KAFKA_CONTROLLER_PORT: "19093", KAFKA_PARTITIONS: "3" });
  const properties = kafkaServerProperties(config, config.kafka.nodes[0]!, "/rt/kafka/data");
  assert.match(properties, /^process\.roles=broker,controller$/m);
  assert.match(properties, /^listeners=PLAINTEXT:\/\/127\.0\.0\.1:19092,CONTROLLER:\/\/127\.0\.0\.1:19093$/m);
  assert.match(properties, /^advertised\.listeners=PLAINTEXT:\/\/127\.0\.0\.1:19092$/m);
  assert.match(properties, /^controller\.quorum\.voters=1@127\.0\.0\.1:19093$/m);
  assert.match(properties, /^num\.partitions=3$/m);
  assert.match(properties, /^log\.dirs=\/rt\/kafka\/data$/m);
  assert.match(properties, /^offsets\.topic\.replication\.factor=1$/m);
  assert.match(properties, /^log\.retention\.bytes=\d+$/m, "auto-created topics are bounded by size");
  assert.match(properties, /^log\.retention\.hours=\d+$/m, "… and by time");
  assert.match(properties, /^offsets\.topic\.segment\.bytes=16777216$/m);
  assert.match(properties, /^log\.cleaner\.dedupe\.buffer\.size=16777216$/m, "the cleaner's key map is not 128 MiB of a small heap");
  assert.deepEqual(kafkaReplicaConfigs(config), []);
});

test("STEDI_KAFKA_BROKERS=3: three voters on ports +10 apart, three replicas, two in sync, one bootstrap list", () => {
  const { config } = contextFor({ KAFKA_BROKER: "127.0.0.1:28092", KAFKA_CONTROLLER_PORT: "28093", STEDI_KAFKA_BROKERS: "3" });
  assert.equal(config.kafka.broker, "127.0.0.1:28092,127.0.0.1:28102,127.0.0.1:28112");
  assert.equal(config.kafka.replicationFactor, 3);
  const third = kafkaServerProperties(config, config.kafka.nodes[2]!, "/rt/kafka/node-3/data");
  assert.match(third, /^node\.id=3$/m);
  assert.match(third, /^controller\.quorum\.voters=1@127\.0\.0\.1:28093,2@127\.0\.0\.1:28103,3@127\.0\.0\.1:28113$/m);
  assert.match(third, /^listeners=PLAINTEXT:\/\/127\.0\.0\.1:28112,CONTROLLER:\/\/127\.0\.0\.1:28113$/m);
  assert.match(third, /^offsets\.topic\.replication\.factor=3$/m);
  assert.match(third, /^transaction\.state\.log\.min\.isr=2$/m);
  assert.deepEqual(kafkaReplicaConfigs(config), [{ name: "min.insync.replicas", value: "2" }]);
  assert.deepEqual(
    stackServices(config).map((service) => [service.name, service.logName]),
    [["redis", "redis.log"], ["kafka", "kafka.log"], ["kafka-2", "kafka-2.log"], ["kafka-3", "kafka-3.log"], ["spark-master", "spark-master.log"], ["spark-worker", "spark-worker.log"], ["spark-connect", "spark-connect.log"]],
  );
});

test("two brokers keep two replicas; an external KAFKA_BROKER list is the bootstrap as given", () => {
  assert.equal(contextFor({ STEDI_KAFKA_BROKERS: "2" }).config.kafka.replicationFactor, 2);
  const { config } = contextFor({ KAFKA_BROKER: "k1:9092,k2:9092,k3:9092,k4:9092" });
  assert.equal(config.kafka.broker, "k1:9092,k2:9092,k3:9092,k4:9092");
  assert.equal(config.kafka.brokers, 4);
  assert.equal(config.kafka.replicationFactor, 3);
});

test("STEDI_SPARK_WORKERS=2: the second worker has its own UI port and work folder", () => {
  const context = contextFor({ STEDI_SPARK_WORKERS: "2", SPARK_WORKER_WEBUI_PORT: "28081" });
  const second = stackServices(context.config).find((service) => service.name === "spark-worker-2")!;
  const args = second.launch(context).args;
  assert.equal(args[args.indexOf("--webui-port") + 1], "28091");
  assert.equal(args[args.indexOf("--work-dir") + 1], "/rt/spark/work-2");
  assert.equal(second.launch(context).logFile, "/rt/logs/spark-worker-2.out");
  assert.deepEqual([...externalServices(loadConfig({ STEDI_EXTERNAL: "spark,kafka", STEDI_SPARK_WORKERS: "2", STEDI_KAFKA_BROKERS: "3" }))].sort(), ["kafka", "kafka-2", "kafka-3", "spark-connect", "spark-master", "spark-worker", "spark-worker-2"]);
});

test("the worker gets its cores, memory and master from the config, with SPARK_HOME for executors", () => {
  const context = contextFor({ SPARK_WORKER_CORES: "1", SPARK_WORKER_MEMORY: "1g", SPARK_MASTER: "spark://127.0.0.1:17077" });
  const spec = sparkWorkerService(1).launch(context);
  assert.equal(spec.command, "java");
  const workerArgs = spec.args.slice(spec.args.indexOf("org.apache.spark.deploy.worker.Worker") + 1);
  assert.deepEqual(workerArgs, ["--host", "127.0.0.1", "--webui-port", "8081", "--cores", "1", "--memory", "1g", "--work-dir", "/rt/spark/work", "spark://127.0.0.1:17077"]);
  assert.equal(spec.env?.SPARK_HOME, `/cache/stedi/jars/spark-${DEFAULT_SPARK_VERSION}`);
  assert.equal(spec.env?.SPARK_SCALA_VERSION, "2.13");
  assert.equal(spec.env?.SPARK_LOCAL_IP, "127.0.0.1");
  assert.equal(spec.logFile, "/rt/logs/spark-worker.out");
});

test("each JVM logs through its own log4j2 file; the worker rolls its executors' output by its own conf", () => {
  const context = contextFor({ STEDI_KAFKA_BROKERS: "2" });
  for (const service of stackServices(context.config).filter((candidate) => candidate.name !== "redis")) {
    const args = service.launch(context).args;
    const option = args.find((arg) => arg.startsWith("-Dlog4j2.configurationFile="));
    assert.ok(option?.endsWith(`/log4j2-${service.name}.properties`), `${service.name}: ${option}`);
  }
  const worker = sparkWorkerService(1).launch(context).args;
  const beforeMain = worker.slice(0, worker.indexOf("org.apache.spark.deploy.worker.Worker"));
  assert.ok(beforeMain.includes("-Dspark.executor.logs.rolling.strategy=size"));
  assert.ok(beforeMain.includes(`-Dspark.executor.logs.rolling.maxSize=${10 * 2 ** 20}`));
  const connect = sparkConnectService.launch(context).args;
  const executorOptions = connect.find((arg) => arg.startsWith("spark.executor.extraJavaOptions=")) ?? "";
  assert.ok(executorOptions.split(" ").includes("-Dlog4j2.configurationFile=/rt/spark/conf/log4j2-executor.properties"), executorOptions);
});

test("the generated log4j2 files: a size-capped rolling file for daemons, stderr for executors, levels kept", () => {
  const daemon = sparkLog4j2({ file: "/rt/logs/spark-worker.log", maxBytes: 1234, rolledFiles: 3 });
  assert.match(daemon, /^appender\.out\.type = RollingFile$/m);
  assert.match(daemon, /^appender\.out\.fileName = \/rt\/logs\/spark-worker\.log$/m);
  assert.match(daemon, /^appender\.out\.filePattern = \/rt\/logs\/spark-worker\.log\.%i$/m);
  assert.match(daemon, /^appender\.out\.policies\.size\.size = 1234$/m);
  assert.match(daemon, /^appender\.out\.strategy\.max = 3$/m);
  assert.match(daemon, /^rootLogger\.level = warn$/m);
  const level = (text: string, logger: string): string | undefined => {
    const id = new RegExp(`^logger\\.(\\w+)\\.name = ${logger.replaceAll(".", "\\.")}$`, "m").exec(text)?.[1];
    return id ? new RegExp(`^logger\\.${id}\\.level = (\\w+)$`, "m").exec(text)?.[1] : undefined;
  };
  assert.equal(level(daemon, "org.apache.spark.deploy.worker.Worker"), "info", "the worker's registration line is kept");
  assert.equal(level(daemon, "org.apache.spark.sql.execution.streaming.MicroBatchExecution"), undefined, "per-batch INFO falls under the root's warn");
  const executor = sparkLog4j2({ stderr: true });
  assert.match(executor, /^appender\.out\.type = Console$/m);
  assert.match(executor, /^appender\.out\.target = SYSTEM_ERR$/m);
  assert.doesNotMatch(executor, /RollingFile/);
  const kafka = kafkaLog4j2("/rt/logs/kafka.log");
  assert.match(kafka, /^appender\.out\.type = RollingFile$/m);
  assert.match(kafka, /^rootLogger\.level = warn$/m);
  assert.equal(level(kafka, "kafka.server.KafkaRaftServer"), "info");
});

test("the Connect server is submitted to the master with the tuned settings", () => {
  const context = contextFor({ SPARK_REMOTE: "sc://127.0.0.1:25002", SPARK_SHUFFLE_PARTITIONS: "2" });
  const args = sparkConnectService.launch(context).args;
  const conf = (key: string): string | undefined =>
    args.find((arg, index) => args[index - 1] === "--conf" && arg.startsWith(`${key}=`))?.slice(key.length + 1);
  assert.equal(args[args.indexOf("--master") + 1], "spark://127.0.0.1:7077");
  assert.equal(args[args.indexOf("--class") + 1], "org.apache.spark.sql.connect.service.SparkConnectServer");
  assert.equal(conf("spark.connect.grpc.binding.port"), "25002");
  assert.equal(conf("spark.connect.grpc.binding.address"), "127.0.0.1");
  assert.equal(conf("spark.sql.shuffle.partitions"), "2");
  assert.ok(args.includes("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), "Java 17 module openings are passed");
  assert.ok(args.some((arg) => arg === "-Xmx512m"), "the driver heap is explicit");
});

test("every JVM has a fixed, pre-touched heap and capped metaspace and code cache, executors included, and two malloc arenas", () => {
  const context = contextFor({});
  for (const service of stackServices(contextFor({ STEDI_KAFKA_BROKERS: "3", STEDI_SPARK_WORKERS: "2" }).config).filter((candidate) => candidate.name !== "redis")) {
    const { args, env } = service.launch(context);
    const max = args.find((arg) => /^-Xmx\d+[mg]$/.test(arg));
    assert.ok(max, `${service.name} sets -Xmx`);
    const memory = args.filter((arg) => arg.startsWith("-X"));
    for (const option of [max.replace("-Xmx", "-Xms"), "-XX:+AlwaysPreTouch"]) assert.ok(args.includes(option), `${service.name}: ${memory.join(" ")}`);
    for (const cap of [/^-XX:MaxMetaspaceSize=\d+m$/, /^-XX:ReservedCodeCacheSize=\d+m$/]) assert.ok(args.some((arg) => cap.test(arg)), `${service.name}: ${memory.join(" ")}`);
    assert.equal(env?.MALLOC_ARENA_MAX, "2", service.name);
  }
  const connect = sparkConnectService.launch(context).args;
  const executorOptions = connect.find((arg) => arg.startsWith("spark.executor.extraJavaOptions=")) ?? "";
  assert.match(executorOptions, /-Xms512m -XX:\+AlwaysPreTouch .*-XX:MaxMetaspaceSize=\d+m .*-XX:ReservedCodeCacheSize=\d+m -XX:\+UseG1GC/);
  assert.doesNotMatch(executorOptions, /-Xmx/, "Spark sets the executor's -Xmx itself and refuses a second one");
});

test("the JVM memory options: a fixed heap, its caps, collector and compiler; an executor's without -Xmx", () => {
  assert.deepEqual(jvmMemoryOptions({ heap: "96m", metaspace: { firstGcAt: "48m", max: "64m" }, codeCache: "32m", collector: "serial", jit: "c1" }), [
    "-Xms96m",
    "-Xmx96m",
    "-XX:+AlwaysPreTouch",
    "-XX:MetaspaceSize=48m",
    "-XX:MaxMetaspaceSize=64m",
    "-XX:MinMetaspaceFreeRatio=10",
    "-XX:MaxMetaspaceFreeRatio=20",
    "-XX:ReservedCodeCacheSize=32m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-XX:TrimNativeHeapInterval=60000",
  ]);
  const executorOptions = jvmMemoryOptions({ heap: "512m", metaspace: { firstGcAt: "112m", max: "256m" }, codeCache: "128m", collector: "g1", jit: "tiered" }, { withMax: false });
  assert.ok(!executorOptions.some((option) => option.startsWith("-Xmx")));
  assert.ok(!executorOptions.some((option) => option.startsWith("-XX:TieredStopAtLevel")), "the engines that run the job keep C2");
});

test("STEDI_EXTERNAL names services, and 'spark' stands for all three Spark services", () => {
  const { config } = contextFor({ STEDI_EXTERNAL: "redis,spark,bogus" });
  assert.deepEqual([...externalServices(config)].sort(), ["redis", "spark-connect", "spark-master", "spark-worker"]);
});

test("each service declares the ports it binds, for conflict checks and `down`", () => {
  const { config } = contextFor({});
  const ports = stackServices(config).flatMap((service) => service.endpoints(config).map((endpoint) => endpoint.port)).sort((a, b) => a - b);
  assert.deepEqual(ports, [6379, 7077, 8080, 8081, 9092, 9093, 15002]);
});

test("a KRaft cluster id never starts with '-' (kafka-storage would read it as an option)", () => {
  for (let first = 0; first < 256; first += 1) {
    const id = kafkaClusterId(Buffer.from([first, ...new Array<number>(15).fill(255)]));
    assert.equal(id.length, 22);
    assert.ok(!id.startsWith("-"), id);
  }
});

test("every topic the stack creates is bounded by time and by size", () => {
  const { config } = contextFor({});
  for (const topic of kafkaTopics(config)) {
    const settings = Object.fromEntries(kafkaTopicConfigs(config, topic).map((setting) => [setting.name, Number(setting.value)]));
    assert.ok((settings["retention.ms"] ?? 0) > 0 && (settings["retention.bytes"] ?? 0) > 0, `${topic}: ${JSON.stringify(settings)}`);
    assert.ok((settings["segment.bytes"] ?? 0) < (settings["retention.bytes"] ?? 0), `${topic}: whole segments can be deleted within the size`);
  }
});
