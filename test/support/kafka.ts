/**
 * Kafka for integration tests: unique topics deleted after the test, producing, and reading a
 * topic to its end — all against the real broker of the stack.
 */
import { randomUUID } from "node:crypto";
import type { TestContext } from "node:test";
import { Admin, Consumer, Producer, ProduceAcks, stringDeserializers, stringSerializers } from "@platformatic/kafka";
import { loadConfig } from "../../src/config.js";

export const BROKER = loadConfig().kafka.broker;

export interface KafkaRecord {
  readonly key: string;
  readonly value: string;
}

/** Topics named `<prefix>-<run>-<suffix>`, created now and deleted after the test. */
export async function createTopics(t: TestContext, prefix: string, suffixes: readonly string[], partitions = 1): Promise<string[]> {
  const run = randomUUID().slice(0, 8);
  const topics = suffixes.map((suffix) => `${prefix}-${run}-${suffix}`);
  const admin = new Admin({ clientId: `${prefix}-test`, bootstrapBrokers: [BROKER] });
  try {
    await admin.createTopics({ topics, partitions, replicas: 1 });
  } finally {
    await admin.close();
  }
  t.after(async () => {
    const cleaner = new Admin({ clientId: `${prefix}-test`, bootstrapBrokers: [BROKER] });
    await cleaner.deleteTopics({ topics }).catch(() => undefined);
    await cleaner.close();
  });
  return topics;
}

export async function produce(topic: string, records: readonly KafkaRecord[]): Promise<void> {
  const producer = new Producer({ clientId: "stedi-test", bootstrapBrokers: [BROKER], serializers: stringSerializers, acks: ProduceAcks.ALL });
  try {
    await producer.send({ messages: records.map((record) => ({ topic, key: record.key, value: record.value })) });
  } finally {
    await producer.close();
  }
}

/** Every record now in the topic (all partitions, up to the end offsets of this moment). */
export async function readToEnd(topic: string, timeoutMs = 15_000): Promise<KafkaRecord[]> {
  const consumer = new Consumer({
    groupId: `stedi-test-${randomUUID()}`,
    clientId: "stedi-test",
    bootstrapBrokers: [BROKER],
    deserializers: stringDeserializers,
    autocommit: false,
    maxWaitTime: 100,
  });
  try {
    const ends = (await consumer.listOffsets({ topics: [topic] })).get(topic) ?? [];
    const remaining = new Map(ends.map((end, partition) => [partition, end]));
    for (const [partition, end] of remaining) if (end === 0n) remaining.delete(partition);
    const records: KafkaRecord[] = [];
    if (remaining.size === 0) return records;
    const stream = await consumer.consume({ topics: [topic], mode: "earliest", autocommit: false });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic} to its end took over ${timeoutMs} ms (${records.length} records so far)`)), timeoutMs);
        stream.on("data", (message) => {
          const end = remaining.get(message.partition);
          if (end === undefined || message.offset >= end) return;
          records.push({ key: message.key ?? "", value: message.value ?? "" });
          if (message.offset + 1n >= end) remaining.delete(message.partition);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        });
        stream.on("error", (error: Error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
    } finally {
      await stream.close();
    }
    return records;
  } finally {
    await new Promise<void>((resolve) => consumer.close(true, () => resolve()));
  }
}

/** Reads the topic from the beginning until `count` records arrived, or fails after `timeoutMs`. */
export async function waitForRecords(topic: string, count: number, timeoutMs = 15_000): Promise<KafkaRecord[]> {
  const consumer = new Consumer({
    groupId: `stedi-test-${randomUUID()}`,
    clientId: "stedi-test",
    bootstrapBrokers: [BROKER],
    deserializers: stringDeserializers,
    autocommit: false,
    maxWaitTime: 200,
  });
  const records: KafkaRecord[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: "earliest", autocommit: false });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${records.length} of ${count} records arrived on ${topic} within ${timeoutMs} ms: ${JSON.stringify(records)}`)), timeoutMs);
        stream.on("data", (message) => {
          records.push({ key: message.key ?? "", value: message.value ?? "" });
          if (records.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        });
        stream.on("error", (error: Error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
    } finally {
      await stream.close();
    }
  } finally {
    await new Promise<void>((resolve) => consumer.close(true, () => resolve()));
  }
  return records;
}
