/**
 * Kafka for integration tests: unique topics deleted after the test, producing, and reading a
 * topic to its end — all against the real broker of the stack.
 */
import { randomUUID } from "node:crypto";
import type { TestContext } from "node:test";
import { Admin, Consumer, Producer, ProduceAcks, stringDeserializers, stringSerializers } from "@platformatic/kafka";
import { loadConfig, kafkaBootstrap } from "../../src/config.js";

export const BROKER = loadConfig().kafka.broker;

export interface KafkaRecord {
  readonly key: string;
  readonly value: string;
  /** The record's headers as text, when it has any. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Topics named `<prefix>-<run>-<suffix>`, created now and deleted after the test. */
export async function createTopics(t: TestContext, prefix: string, suffixes: readonly string[], partitions = 1): Promise<string[]> {
  const run = randomUUID().slice(0, 8);
  const topics = suffixes.map((suffix) => `${prefix}-${run}-${suffix}`);
  const admin = new Admin({ clientId: `${prefix}-test`, bootstrapBrokers: kafkaBootstrap(BROKER) });
  try {
    await admin.createTopics({ topics, partitions, replicas: 1 });
  } finally {
    await admin.close();
  }
  t.after(async () => {
    const cleaner = new Admin({ clientId: `${prefix}-test`, bootstrapBrokers: kafkaBootstrap(BROKER) });
    await cleaner.deleteTopics({ topics }).catch(() => undefined);
    await cleaner.close();
  });
  return topics;
}

export async function produce(topic: string, records: readonly KafkaRecord[]): Promise<void> {
  // Idempotent: a send the client retries after a slow answer must not write the inputs twice.
  const producer = new Producer({ clientId: "stedi-test", bootstrapBrokers: kafkaBootstrap(BROKER), serializers: stringSerializers, acks: ProduceAcks.ALL, idempotent: true });
  try {
    await producer.send({ messages: records.map((record) => ({ topic, key: record.key, value: record.value, ...(record.headers ? { headers: record.headers } : {}) })) });
  } finally {
    await producer.close();
  }
}

type Message = { partition: number; offset: bigint; key: string | undefined; value: string | undefined; headers: Map<string, string> };

/** Reads the topic from its first offset, handing each record to `take` until it answers true. */
async function readUntil(topic: string, timeoutMs: number, take: (message: Message) => boolean, progress: () => string, broker = BROKER): Promise<void> {
  const consumer = new Consumer({
    groupId: `stedi-test-${randomUUID()}`,
    clientId: "stedi-test",
    bootstrapBrokers: kafkaBootstrap(broker),
    deserializers: stringDeserializers,
    autocommit: false,
    maxWaitTime: 100,
  });
  try {
    const stream = await consumer.consume({ topics: [topic], mode: "earliest", autocommit: false });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic}: ${progress()} after ${timeoutMs} ms`)), timeoutMs);
        stream.on("data", (message: Message) => {
          if (!take(message)) return;
          clearTimeout(timer);
          resolve();
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
}

const record = (message: Message): KafkaRecord =>
  message.headers.size === 0 ? { key: message.key ?? "", value: message.value ?? "" } : { key: message.key ?? "", value: message.value ?? "", headers: Object.fromEntries(message.headers) };

/** Every record now in the topic (all partitions, up to the end offsets of this moment). */
export async function readToEnd(topic: string, timeoutMs = 15_000, broker = BROKER): Promise<KafkaRecord[]> {
  return [...(await readPartitionsToEnd(topic, timeoutMs, broker)).values()].flat();
}

/** The end offset of each partition of the topic, at this moment. */
export async function endOffsets(topic: string, broker = BROKER): Promise<bigint[]> {
  const offsets = new Consumer({ groupId: `stedi-test-${randomUUID()}`, clientId: "stedi-test", bootstrapBrokers: kafkaBootstrap(broker) });
  const ends = await offsets.listOffsets({ topics: [topic] }).finally(() => new Promise<void>((resolve) => offsets.close(true, () => resolve())));
  return ends.get(topic) ?? [];
}

/** Every record now in the topic, by partition, each partition's in offset order. */
export async function readPartitionsToEnd(topic: string, timeoutMs = 15_000, broker = BROKER): Promise<Map<number, KafkaRecord[]>> {
  const ends = await endOffsets(topic, broker);
  const remaining = new Map(ends.map((end, partition) => [partition, end] as const).filter(([, end]) => end > 0n));
  const partitions = new Map<number, KafkaRecord[]>();
  let count = 0;
  if (remaining.size === 0) return partitions;
  await readUntil(
    topic,
    timeoutMs,
    (message) => {
      const end = remaining.get(message.partition);
      if (end === undefined || message.offset >= end) return false;
      const records = partitions.get(message.partition) ?? [];
      records.push(record(message));
      partitions.set(message.partition, records);
      count += 1;
      if (message.offset + 1n >= end) remaining.delete(message.partition);
      return remaining.size === 0;
    },
    () => `${count} records, not yet at the end`,
    broker,
  );
  return partitions;
}

/** Reads the topic from the beginning until `count` records arrived, or fails after `timeoutMs`. */
export async function waitForRecords(topic: string, count: number, timeoutMs = 15_000): Promise<KafkaRecord[]> {
  const records: KafkaRecord[] = [];
  await readUntil(
    topic,
    timeoutMs,
    (message) => records.push(record(message)) >= count,
    () => `only ${records.length} of ${count} records arrived: ${JSON.stringify(records)}`,
  );
  return records;
}
