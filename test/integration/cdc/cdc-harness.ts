/**
 * Test factories for the CDC source: a source on its own topic and state file, and a reader that
 * collects the topic's records; both clean up after themselves with `t.after`.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { Admin, Consumer } from "@platformatic/kafka";
import { pino } from "pino";
import { kafkaBootstrap, loadConfig, type Env } from "../../../src/config.js";
import { cdcOptions, type CdcOptions } from "../../../src/cdc/cdc-options.js";
import { CdcSource } from "../../../src/cdc/cdc-source.js";
import type { CdcLogger } from "../../../src/cdc/cdc-logger.js";

export interface TopicRecord {
  readonly key: Buffer | undefined;
  readonly value: string;
  readonly command: string;
  readonly offset: bigint;
}

export const unique = (what: string): string => `cdc-test-${what}-${Date.now()}-${randomBytes(3).toString("hex")}`;

export async function tempDir(t: TestContext, name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `stedi-${name}-`));
  // Hooks run in the order they were added, so a source started later may still be writing here:
  // a folder that will not go must not stop the later hooks (which stop that source).
  t.after(() => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch((error: unknown) => console.warn(`left ${dir}: ${String(error)}`)));
  return dir;
}

export async function createTopic(broker: string, topic: string, partitions = 1): Promise<void> {
  const admin = new Admin({ clientId: "cdc-test", bootstrapBrokers: kafkaBootstrap(broker) });
  try {
    await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
  } finally {
    await admin.close();
  }
}

export async function deleteTopic(broker: string, topic: string): Promise<void> {
  const admin = new Admin({ clientId: "cdc-test", bootstrapBrokers: kafkaBootstrap(broker), retries: 0 });
  try {
    await admin.deleteTopics({ topics: [topic] });
  } catch {
    // Best effort: the broker may be a private one already stopped.
  } finally {
    await admin.close().catch(() => undefined);
  }
}

/** A CDC source on a fresh topic (created here, deleted after the test) and its own state file. */
export async function startCdc(t: TestContext, env: Env = {}, log?: CdcLogger): Promise<{ source: CdcSource; options: CdcOptions; topic: string }> {
  const dir = await mkdtemp(join(tmpdir(), "stedi-cdc-"));
  const topic = env.KAFKA_REDIS_TOPIC ?? unique("topic");
  const fullEnv = { ...process.env, CDC_STATE_FILE: join(dir, "state.json"), ...env, KAFKA_REDIS_TOPIC: topic };
  const options = cdcOptions(loadConfig(fullEnv), fullEnv);
  if (!env.KAFKA_REDIS_TOPIC) {
    await createTopic(options.kafka.broker, topic);
    t.after(() => deleteTopic(options.kafka.broker, topic));
  }
  const source = new CdcSource(options, log ?? pino({ level: process.env.CDC_TEST_LOG ?? "silent" }));
  // One hook, in this order: the source writes its state file until it has stopped.
  t.after(async () => {
    await source.stop();
    await rm(dir, { recursive: true, force: true });
  });
  await source.start();
  await withTimeout(source.streaming(), 30_000, "the CDC source did not start streaming from Redis");
  return { source, options, topic };
}

/** A logger that keeps every line (as parsed JSON) for the test to look at. */
export function capturingLogger(): { log: CdcLogger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} (within ${ms} ms)`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Collects every record of `topic` from the earliest offset, in the background. */
export class TopicReader {
  readonly records: TopicRecord[] = [];
  readonly #consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;
  #wake: (() => void) | undefined;
  #closed: Promise<void> | undefined;
  #error: Error | undefined;

  private constructor(consumer: Consumer<Buffer, Buffer, Buffer, Buffer>) {
    this.#consumer = consumer;
  }

  static async open(t: TestContext, broker: string, topic: string): Promise<TopicReader> {
    const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({
      groupId: unique("reader"),
      clientId: "cdc-test-reader",
      bootstrapBrokers: kafkaBootstrap(broker),
      maxWaitTime: 100,
      retries: 1_000,
      retryDelay: 500,
    });
    const reader = new TopicReader(consumer);
    const stream = await consumer.consume({ topics: [topic], mode: "earliest", autocommit: false });
    stream.on("data", (message) => {
      const command = [...message.headers].find(([name]) => name.toString() === "command")?.[1]?.toString() ?? "";
      reader.records.push({ key: message.key ?? undefined, value: message.value!.toString(), command, offset: message.offset });
      reader.#notify();
    });
    stream.on("error", (error: Error) => {
      reader.#error = error;
      reader.#notify();
    });
    reader.#closed = undefined;
    t.after(() => reader.close(stream));
    return reader;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Waits until `predicate` holds for the records so far; fails after `ms` saying what was awaited. */
  async waitFor(predicate: (records: TopicRecord[]) => boolean, ms: number, what: string): Promise<TopicRecord[]> {
    const deadline = Date.now() + ms;
    while (!predicate(this.records)) {
      if (this.#error) throw this.#error;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${what}; ${this.records.length} record(s) so far`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1_000));
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.records;
  }

  close(stream?: { close(): Promise<void> }): Promise<void> {
    this.#closed ??= (async () => {
      await stream?.close().catch(() => undefined);
      await new Promise<void>((resolve) => this.#consumer.close(true, () => resolve()));
    })();
    return this.#closed;
  }
}

export const b64 = (text: string | Buffer): string => (typeof text === "string" ? Buffer.from(text) : text).toString("base64");

/** Records whose Kafka key starts with `prefix`. */
export function keyed(records: readonly TopicRecord[], prefix: string): TopicRecord[] {
  return records.filter((record) => record.key?.toString("latin1").startsWith(prefix));
}
