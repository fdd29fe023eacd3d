/**
 * Factories for the Spark Connect integration tests: sessions, unique Kafka topics and
 * checkpoint folders, all cleaned up with `t.after`. They use the real services of the stack.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { Admin, Consumer, Producer, ProduceAcks, stringDeserializers, stringSerializers } from "@platformatic/kafka";
import { SparkSession } from "@stedi/spark-connect";

export const REMOTE = process.env.SPARK_REMOTE ?? "sc://127.0.0.1:15002";
export const BROKER = process.env.KAFKA_BROKER ?? "127.0.0.1:9092";

/** A new session, stopped (which also stops its streaming queries) after the test. */
export async function createSession(t: TestContext): Promise<SparkSession> {
  const spark = await SparkSession.builder().remote(REMOTE).appName(`spark-connect-test-${t.name}`).create();
  t.after(() => spark.stop());
  return spark;
}

/** A unique name for tables, views, queries (letters, digits, underscores). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

export async function tempDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Creates topics with unique names, deleted after the test. */
export async function createTopics(t: TestContext, ...suffixes: string[]): Promise<string[]> {
  const run = randomUUID().slice(0, 8);
  const topics = suffixes.map((suffix) => `sc-test-${run}-${suffix}`);
  const admin = new Admin({ clientId: "spark-connect-test", bootstrapBrokers: [BROKER] });
  await admin.createTopics({ topics, partitions: 2, replicas: 1 });
  t.after(async () => {
    const cleaner = new Admin({ clientId: "spark-connect-test", bootstrapBrokers: [BROKER] });
    await cleaner.deleteTopics({ topics }).catch(() => undefined);
    await cleaner.close();
  });
  await admin.close();
  return topics;
}

export async function produce(topic: string, records: readonly { key: string; value: string }[]): Promise<void> {
  const producer = new Producer({
    clientId: "spark-connect-test",
    bootstrapBrokers: [BROKER],
    serializers: stringSerializers,
    acks: ProduceAcks.ALL,
  });
  try {
    await producer.send({ messages: records.map((record) => ({ topic, key: record.key, value: record.value })) });
  } finally {
    await producer.close();
  }
}

/** Reads `topic` from the beginning until `count` records arrived, or fails after `timeoutMs`. */
export async function consume(topic: string, count: number, timeoutMs: number): Promise<{ key: string; value: string }[]> {
  const consumer = new Consumer({
    groupId: `spark-connect-test-${randomUUID()}`,
    clientId: "spark-connect-test",
    bootstrapBrokers: [BROKER],
    deserializers: stringDeserializers,
    autocommit: false,
    maxWaitTime: 200,
  });
  const received: { key: string; value: string }[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: "earliest", autocommit: false });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${received.length} of ${count} records arrived on ${topic} within ${timeoutMs} ms: ${JSON.stringify(received)}`)),
        timeoutMs,
      );
      stream.on("data", (message) => {
        received.push({ key: message.key ?? "", value: message.value ?? "" });
        if (received.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      });
      stream.on("error", (error: Error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    await stream.close();
  } finally {
    await consumer.close(true);
  }
  return received;
}

/** Polls `probe` until it returns a value other than undefined, or fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
