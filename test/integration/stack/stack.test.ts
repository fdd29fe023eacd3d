import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Consumer, Producer, stringDeserializers, stringSerializers } from "@platformatic/kafka";
import { Redis } from "ioredis";
import { loadConfig } from "../../../src/config.js";
import { StackError } from "../../../src/stack/errors.js";
import { portIsFree } from "../../../src/stack/processes.js";
import { stackDown, stackStatus, stackUp } from "../../../src/stack/stack.js";

// A second, private stack on its own ports and runtime folder, so that the shared dev stack (and
// other tests using it) is never disturbed.
const PORTS = { redis: 16379, kafka: 19092, controller: 19093, master: 17077, masterUi: 18080, workerUi: 18081, connect: 25002 };
const ALL_PORTS = Object.values(PORTS);

function privateEnv(home: string): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    STEDI_HOME: home,
    STEDI_EXTERNAL: "",
    REDIS_PORT: String(PORTS.redis),
    KAFKA_BROKER: `127.0.0.1:${PORTS.kafka}`,
    KAFKA_CONTROLLER_PORT: String(PORTS.controller),
    SPARK_MASTER: `spark://127.0.0.1:${PORTS.master}`,
    SPARK_MASTER_WEBUI_PORT: String(PORTS.masterUi),
    SPARK_WORKER_WEBUI_PORT: String(PORTS.workerUi),
    SPARK_REMOTE: `sc://127.0.0.1:${PORTS.connect}`,
    SPARK_WORKER_MEMORY: "1g",
    SPARK_EXECUTOR_MEMORY: "512m",
    SPARK_DRIVER_MEMORY: "512m",
  };
}

const quiet = (): void => undefined;

test("a port held by a foreign process is refused with the port, the holder and what to do", async (t) => {
  const home = await mkdtemp(join(tmpdir(), "stedi-stack-conflict-"));
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(PORTS.redis, "127.0.0.1", resolve));
  t.after(async () => {
    blocker.close();
    await rm(home, { recursive: true, force: true });
  });
  const config = loadConfig(privateEnv(home));
  await assert.rejects(stackUp(config, quiet), (error: unknown) => {
    assert.ok(error instanceof StackError);
    assert.match(error.message, new RegExp(`port ${PORTS.redis} on 127\\.0\\.0\\.1 is already held by node \\(pid ${process.pid}\\)`));
    assert.match(error.hint, /STEDI_EXTERNAL=redis/);
    return true;
  });
});

test("stack up brings five healthy services, each usable with a real client; down frees every port", { timeout: 600_000 }, async (t) => {
  const home = await mkdtemp(join(tmpdir(), "stedi-stack-"));
  const config = loadConfig(privateEnv(home));
  t.after(async () => {
    await stackDown(config, quiet);
    await rm(home, { recursive: true, force: true });
  });
  for (const port of ALL_PORTS) assert.ok(await portIsFree("127.0.0.1", port), `port ${port} must be free before the test`);

  const statuses = await stackUp(config, quiet);
  assert.deepEqual(
    statuses.map((status) => [status.name, status.mode, status.healthy]),
    [
      ["redis", "managed", true],
      ["kafka", "managed", true],
      ["spark-master", "managed", true],
      ["spark-worker", "managed", true],
      ["spark-connect", "managed", true],
    ],
  );

  await t.test("up again is harmless and keeps the same processes", async () => {
    const again = await stackUp(config, quiet);
    assert.deepEqual(
      again.map((status) => status.pid),
      statuses.map((status) => status.pid),
    );
  });

  await t.test("Redis answers SET/GET", async () => {
    const redis = new Redis({ port: PORTS.redis, host: "127.0.0.1", lazyConnect: true });
    await redis.connect();
    try {
      await redis.set("stedi:stack-test", "hello");
      assert.equal(await redis.get("stedi:stack-test"), "hello");
      assert.equal(await redis.config("GET", "repl-backlog-size").then((pair) => (pair as string[])[1]), String(64 * 1024 * 1024));
    } finally {
      redis.disconnect();
    }
  });

  await t.test("Kafka carries a record from a producer to a consumer on a created topic", async () => {
    const producer = new Producer({ clientId: "stack-test", bootstrapBrokers: [config.kafka.broker], serializers: stringSerializers });
    await producer.send({ messages: [{ topic: "stedi-events", key: "k1", value: '{"hello":"kafka"}' }] });
    await producer.close();
    const consumer = new Consumer({
      groupId: `stack-test-${Date.now()}`,
      clientId: "stack-test",
      bootstrapBrokers: [config.kafka.broker],
      deserializers: stringDeserializers,
    });
    try {
      const stream = await consumer.consume({ topics: ["stedi-events"], mode: "earliest", autocommit: false });
      for await (const message of stream) {
        assert.equal(message.key, "k1");
        assert.equal(message.value, '{"hello":"kafka"}');
        break;
      }
      await stream.close();
    } finally {
      await new Promise<void>((resolve) => consumer.close(true, () => resolve()));
    }
  });

  await t.test("the master lists one ALIVE worker and the worker logged its registration", async () => {
    const master = (await (await fetch(`http://127.0.0.1:${PORTS.masterUi}/json/`)).json()) as { status: string; workers: { state: string }[] };
    assert.equal(master.status, "ALIVE");
    assert.equal(master.workers.filter((worker) => worker.state === "ALIVE").length, 1);
    const workerLog = await readFile(join(home, "logs", "spark-worker.log"), "utf8");
    assert.match(workerLog, new RegExp(`Successfully registered with master spark://127\\.0\\.0\\.1:${PORTS.master}`));
  });

  await t.test("every service has its log under logs/", async () => {
    const logs = await readdir(join(home, "logs"));
    for (const name of ["redis.log", "kafka.log", "spark-master.log", "spark-worker.log", "spark-connect.log"]) assert.ok(logs.includes(name), name);
  });

  await stackDown(config, quiet);
  for (const port of ALL_PORTS) assert.ok(await portIsFree("127.0.0.1", port), `port ${port} is free after down`);
  const after = await stackStatus(config);
  assert.ok(after.every((status) => status.mode === "stopped" && !status.healthy), "nothing runs after down");
});
