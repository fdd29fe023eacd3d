import { Producer } from "@platformatic/kafka";
import { backoffDelay } from "../backoff.js";
import { describeError } from "../describe-error.js";
import type { RedisServerRecord } from "../domain/redis-server.js";
import type { CdcLogger } from "./cdc-logger.js";
import type { ReplicaPosition } from "./replica/replica-state.js";
import { kafkaBootstrap } from "../config.js";

/** Records of one replication-stream step, and the position reached once they are in Kafka. */
export interface PublishItem {
  readonly records: readonly RedisServerRecord[];
  /** null while a snapshot is being published: its position only counts once the snapshot is whole. */
  readonly position: ReplicaPosition | null;
}

export interface PublisherOptions {
  readonly broker: string;
  readonly topic: string;
  readonly clientId: string;
  readonly batchRecords: number;
  readonly maxBufferedRecords: number;
  /** The same bound in bytes (record values and keys): a few huge values must not fill memory. */
  readonly maxBufferedBytes: number;
}

const COMMAND_HEADER = Buffer.from("command");
const RETRY = { initialMs: 400, maxMs: 5_000 } as const;
// Kafka's default max.message.bytes is 1 MB per record batch; stay well under it.
const BATCH_BYTES = 768 * 1024;
// Per-record framing in a batch (varints, header name and value), generously.
const RECORD_OVERHEAD = 64;

/** What a record costs in a produce request (and in the buffer). */
function recordBytes(record: RedisServerRecord): number {
  return record.value.length + (record.key?.length ?? 0) + RECORD_OVERHEAD;
}

/** Force-closes a producer, ignoring errors: it is being replaced or the source is stopping. */
function closeQuietly(producer: Producer<Buffer, Buffer, Buffer, Buffer>): Promise<void> {
  return new Promise((resolve) => producer.close(true, () => resolve()));
}

/**
 * The produce policy: one idempotent producer (acks=all), one request in flight, so records reach
 * the topic in stream order; what accumulates while a request is out goes in the next one (up to
 * `batchRecords`). A failed request is retried, same records in the same order, with backoff, until
 * it succeeds or the publisher is closed. Reading pauses (`push` waits) while `maxBufferedRecords`
 * or `maxBufferedBytes` are waiting, so memory stays bounded when Kafka is away. `onAcked` receives each position once
 * everything before it is acknowledged.
 */
export class Publisher {
  readonly #options: PublisherOptions;
  readonly #log: CdcLogger;
  readonly #onAcked: (position: ReplicaPosition) => void;
  #producer: Producer<Buffer, Buffer, Buffer, Buffer>;
  #queue: PublishItem[] = [];
  #queuedRecords = 0;
  #queuedBytes = 0;
  #pumping: Promise<void> | undefined;
  #roomWaiters: (() => void)[] = [];
  #idleWaiters: (() => void)[] = [];
  #closed = false;
  #published = 0;
  #failures = 0;

  constructor(options: PublisherOptions, log: CdcLogger, onAcked: (position: ReplicaPosition) => void) {
    this.#options = options;
    this.#log = log;
    this.#onAcked = onAcked;
    this.#producer = this.#createProducer();
  }

  /** Records acknowledged by Kafka since start. */
  get published(): number {
    return this.#published;
  }

  /** Records waiting for Kafka (queued or in flight). */
  get buffered(): number {
    return this.#queuedRecords;
  }

  /** Bytes of the records waiting for Kafka. */
  get bufferedBytes(): number {
    return this.#queuedBytes;
  }

  #full(): boolean {
    return this.#queuedRecords >= this.#options.maxBufferedRecords || this.#queuedBytes >= this.#options.maxBufferedBytes;
  }

  /** Queues an item; the promise (when one is returned) resolves once there is room for more. */
  push(item: PublishItem): Promise<void> | undefined {
    if (this.#closed) throw new Error("the publisher is closed");
    this.#queue.push(item);
    this.#queuedRecords += item.records.length;
    this.#queuedBytes += item.records.reduce((sum, record) => sum + recordBytes(record), 0);
    this.#kick();
    if (!this.#full()) return undefined;
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  /** Resolves once everything pushed so far is acknowledged (false if `timeoutMs` passed first). */
  async flush(timeoutMs = Infinity): Promise<boolean> {
    if (!this.#pumping) return true;
    const idle = new Promise<boolean>((resolve) => this.#idleWaiters.push(() => resolve(true)));
    if (!Number.isFinite(timeoutMs)) return idle;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([idle, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops retrying and closes the producer; what is not acknowledged stays unacknowledged. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const wake of [...this.#roomWaiters.splice(0), ...this.#idleWaiters.splice(0)]) wake();
    await closeQuietly(this.#producer);
  }

  #createProducer(): Producer<Buffer, Buffer, Buffer, Buffer> {
    return new Producer<Buffer, Buffer, Buffer, Buffer>({
      clientId: this.#options.clientId,
      bootstrapBrokers: kafkaBootstrap(this.#options.broker),
      idempotent: true,
      acks: -1,
      // Bounded inside the client, so that this class decides about retrying (and logs it).
      retries: 3,
      retryDelay: 250,
      timeout: 10_000,
      autocreateTopics: true,
    });
  }

  /** Starts the pump unless it runs; when it ends, restarts it if items came meanwhile. */
  #kick(): void {
    if (this.#pumping || this.#closed) return;
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      if (this.#queue.length > 0 && !this.#closed) this.#kick();
      else for (const wake of this.#idleWaiters.splice(0)) wake();
    });
  }

  async #pump(): Promise<void> {
    while (this.#queue.length > 0 && !this.#closed) {
      const batch = this.#takeBatch();
      const messages = batch.flatMap((item) =>
        item.records.map((record) => ({
          topic: this.#options.topic,
          key: record.key ?? undefined,
          value: Buffer.from(record.value),
          headers: new Map([[COMMAND_HEADER, Buffer.from(record.command)]]),
        })),
      );
      if (!(await this.#sendInRequests(messages))) break;
      this.#published += messages.length;
      this.#queue.splice(0, batch.length);
      this.#queuedRecords -= messages.length;
      this.#queuedBytes -= batch.reduce((sum, item) => sum + item.records.reduce((bytes, record) => bytes + recordBytes(record), 0), 0);
      const position = batch.findLast((item) => item.position !== null)?.position;
      if (position) this.#onAcked(position);
      if (!this.#full()) for (const wake of this.#roomWaiters.splice(0)) wake();
    }
  }

  /**
   * The first items of the queue, whole, up to `batchRecords` records and `BATCH_BYTES` (at least
   * one item): a produce request's batch counts against the broker's max.message.bytes as a whole.
   */
  #takeBatch(): PublishItem[] {
    let records = 0;
    let bytes = 0;
    let count = 0;
    for (const item of this.#queue) {
      const itemBytes = item.records.reduce((sum, record) => sum + recordBytes(record), 0);
      if (count > 0 && (records + item.records.length > this.#options.batchRecords || bytes + itemBytes > BATCH_BYTES)) break;
      records += item.records.length;
      bytes += itemBytes;
      count++;
    }
    return this.#queue.slice(0, count);
  }

  /**
   * Sends in order, in as many produce requests as it takes to keep each under `BATCH_BYTES`: one
   * item (a large collection's snapshot, a big MULTI/EXEC) can exceed the broker's limit alone.
   */
  async #sendInRequests(messages: { topic: string; key: Buffer | undefined; value: Buffer; headers: Map<Buffer, Buffer> }[]): Promise<boolean> {
    let start = 0;
    while (start < messages.length) {
      let end = start;
      let bytes = 0;
      while (end < messages.length) {
        const message = messages[end]!;
        const size = message.value.length + (message.key?.length ?? 0) + RECORD_OVERHEAD;
        if (end > start && bytes + size > BATCH_BYTES) break;
        bytes += size;
        end++;
      }
      if (!(await this.#sendUntilAcknowledged(messages.slice(start, end)))) return false;
      start = end;
    }
    return true;
  }

  async #sendUntilAcknowledged(messages: { topic: string; key: Buffer | undefined; value: Buffer; headers: Map<Buffer, Buffer> }[]): Promise<boolean> {
    for (;;) {
      try {
        await this.#producer.send({ messages });
        if (this.#failures > 0) this.#log.info({ retries: this.#failures }, "Kafka accepts records again");
        this.#failures = 0;
        return true;
      } catch (error) {
        if (this.#closed) return false;
        this.#failures++;
        const delay = backoffDelay(this.#failures, RETRY);
        this.#log.warn(
          { err: describeError(error), attempt: this.#failures, records: messages.length, retryInMs: delay },
          `Kafka at ${this.#options.broker} did not acknowledge; retrying the same records in order`,
        );
        // A producer that keeps failing may hold a stale connection or fenced id: start a fresh one.
        if (this.#failures % 5 === 0) {
          await closeQuietly(this.#producer);
          this.#producer = this.#createProducer();
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (this.#closed) return false;
      }
    }
  }
}
