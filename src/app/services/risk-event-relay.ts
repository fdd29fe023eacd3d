/**
 * The relay from the outbox to `stedi-events`: one job. It reads the outbox stream (secrets db) in
 * order, sends each batch with the idempotent producer, and deletes the entries only once Kafka
 * acknowledged them; a failed send is retried, same entries in the same order, with back-off. So a
 * score is delivered at least once, whatever happens to Kafka or this process; the customer-risk
 * job's (customer, riskDate) de-duplication removes the repeats that a crash can cause.
 *
 * One relay per outbox publishes at a time: it holds a lease (a key with a short expiry it renews),
 * so two apps on one Redis do not interleave a topic's records; after a SIGKILL the next app takes
 * over within `leaseMs`.
 */
import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Redis } from "ioredis";
import { Producer, ProduceAcks, stringSerializers } from "@platformatic/kafka";
import { backoffDelay } from "../../backoff.js";
import { describeError } from "../../describe-error.js";
import { secretKeys } from "./redis-keys.js";
import { kafkaBootstrap } from "../../config.js";

export interface RelayOptions {
  readonly broker: string;
  readonly topic: string;
  /** How long a lease lasts without renewal: the takeover time after a relay died. */
  readonly leaseMs?: number;
  /** Most entries in one produce request. */
  readonly batchEntries?: number;
  /** How long close() keeps delivering what is queued when Kafka answers. */
  readonly drainMs?: number;
}

export interface OutboxBacklog {
  /** Scores saved but not yet acknowledged by Kafka. */
  readonly entries: number;
  /** Age of the oldest of them (ms), null when there is none. */
  readonly oldestAgeMs: number | null;
}

type Entry = [id: string, fields: string[]];

/** Takes the lease when it is free or renews it when it is ours; 1 = held. */
const HOLD_LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;

const RELEASE_LEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

const RETRY = { initialMs: 200, maxMs: 5_000 } as const;

const field = (fields: readonly string[], name: string): string | undefined => {
  const at = fields.indexOf(name);
  return at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class RiskEventRelay {
  readonly #redis: Redis;
  readonly #reader: Redis;
  readonly #log: FastifyBaseLogger;
  readonly #broker: string;
  readonly #topic: string;
  readonly #outbox: string;
  readonly #lease: string;
  readonly #leaseMs: number;
  readonly #batchEntries: number;
  readonly #drainMs: number;
  readonly #holder = randomUUID();
  #producer: Producer<string, string, string, string>;
  #running: Promise<void> | undefined;
  #closing = false;
  #drainUntil = 0;
  #holding = false;
  #renewTimer: NodeJS.Timeout | undefined;
  #published = 0;
  #failed = 0;

  /** `redis` is a connection to the secrets db, where the outbox lives. */
  constructor(redis: Redis, options: RelayOptions, log: FastifyBaseLogger) {
    this.#redis = redis;
    // XREAD BLOCK holds its connection: the relay waits on its own.
    this.#reader = redis.duplicate({ connectionName: "stedi-app-relay", lazyConnect: true });
    this.#log = log;
    this.#broker = options.broker;
    this.#topic = options.topic;
    this.#outbox = secretKeys.outbox(options.topic);
    this.#lease = secretKeys.outboxRelay(options.topic);
    this.#leaseMs = options.leaseMs ?? 5_000;
    this.#batchEntries = options.batchEntries ?? 500;
    this.#drainMs = options.drainMs ?? 2_000;
    this.#producer = this.#createProducer();
  }

  /** Where RapidStepTests writes: the outbox key. */
  get outboxKey(): string {
    return this.#outbox;
  }

  /** Records Kafka acknowledged since start, and failed send attempts. */
  get stats(): { published: number; failed: number } {
    return { published: this.#published, failed: this.#failed };
  }

  async backlog(): Promise<OutboxBacklog> {
    const [[, entries], [, oldest]] = (await this.#redis.multi().xlen(this.#outbox).xrange(this.#outbox, "-", "+", "COUNT", 1).exec()) as [[null, number], [null, Entry[]]];
    const first = oldest[0]?.[0];
    // A stream id starts with the epoch ms at which Redis added the entry.
    return { entries, oldestAgeMs: first === undefined ? null : Math.max(0, Date.now() - Number(first.split("-")[0])) };
  }

  start(): void {
    if (this.#running) return;
    this.#renewTimer = setInterval(() => void this.#renew(), Math.max(100, Math.floor(this.#leaseMs / 3)));
    this.#running = this.#run().catch((error: unknown) => this.#log.error({ err: error }, "the outbox relay stopped unexpectedly"));
  }

  /** Delivers what is queued for up to `drainMs` (when Kafka answers), then stops and lets the lease go. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#drainUntil = Date.now() + this.#drainMs;
    // Ends a blocked XREAD at once; the drain reads without blocking on the shared connection.
    this.#reader.disconnect();
    await this.#running;
    clearInterval(this.#renewTimer);
    if (this.#holding) await this.#redis.eval(RELEASE_LEASE, 1, this.#lease, this.#holder).catch(() => undefined);
    await new Promise<void>((resolve) => this.#producer.close(true, () => resolve()));
  }

  async #run(): Promise<void> {
    let lastSent = "0-0";
    let redisFailures = 0;
    while (!this.#closing || Date.now() < this.#drainUntil) {
      try {
        const had = this.#holding;
        if (!(await this.#renew())) {
          if (this.#closing) return;
          await sleep(Math.floor(this.#leaseMs / 3));
          continue;
        }
        // Newly ours: another relay may have left entries behind; start from the head.
        if (!had) lastSent = "0-0";
        const entries = await this.#read(lastSent);
        redisFailures = 0;
        if (entries.length === 0) {
          if (this.#closing) return;
          continue;
        }
        if (!(await this.#sendUntilAcknowledged(entries))) {
          if (this.#closing) return;
          continue; // the lease went to another relay, which starts from the head
        }
        lastSent = entries[entries.length - 1]![0];
        await this.#redis.xdel(this.#outbox, ...entries.map(([id]) => id));
      } catch (error) {
        if (this.#closing) return;
        redisFailures++;
        const delay = backoffDelay(redisFailures, RETRY);
        this.#log.warn({ err: describeError(error), retryInMs: delay }, "the outbox relay cannot read Redis; retrying");
        await sleep(delay);
      }
    }
  }

  /** The next entries after `lastSent`: waits up to a second for new ones, unless closing. */
  async #read(lastSent: string): Promise<Entry[]> {
    const count = ["COUNT", this.#batchEntries] as const;
    const reply = this.#closing
      ? await this.#redis.xread(...count, "STREAMS", this.#outbox, lastSent)
      : await this.#reader.xread(...count, "BLOCK", 1_000, "STREAMS", this.#outbox, lastSent);
    return (reply?.[0]?.[1] ?? []) as Entry[];
  }

  async #renew(): Promise<boolean> {
    try {
      this.#holding = (await this.#redis.eval(HOLD_LEASE, 1, this.#lease, this.#holder, this.#leaseMs)) === 1;
    } catch {
      // Redis away: the lease expires by itself; whether it is still ours is learnt on the next renewal.
      this.#holding = false;
    }
    return this.#holding;
  }

  /** False when the relay is closing (or lost its lease) before Kafka acknowledged. */
  async #sendUntilAcknowledged(entries: readonly Entry[]): Promise<boolean> {
    const messages = entries.map(([, fields]) => ({ topic: this.#topic, key: field(fields, "key"), value: field(fields, "value") ?? "" }));
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#producer.send({ messages });
        if (attempt > 1) this.#log.info({ attempts: attempt, records: messages.length }, `Kafka at ${this.#broker} accepts risk scores again`);
        this.#published += messages.length;
        return true;
      } catch (error) {
        this.#failed++;
        if (this.#closing && Date.now() >= this.#drainUntil) return false;
        const delay = backoffDelay(attempt, RETRY);
        // One line when the outage starts, then one every ~10 attempts: the outbox keeps the scores.
        if (attempt === 1 || attempt % 10 === 0) {
          this.#log.warn(
            { err: describeError(error), attempt, records: messages.length, retryInMs: delay },
            `Kafka at ${this.#broker} did not acknowledge risk scores; they stay in the outbox and are retried in order`,
          );
        }
        // A producer that keeps failing may hold a stale connection: start a fresh one.
        if (attempt % 5 === 0) {
          await new Promise<void>((resolve) => this.#producer.close(true, () => resolve()));
          this.#producer = this.#createProducer();
        }
        await sleep(delay);
        if (!this.#holding || (this.#closing && Date.now() >= this.#drainUntil)) return false;
      }
    }
  }

  #createProducer(): Producer<string, string, string, string> {
    return new Producer({
      clientId: "stedi-app",
      bootstrapBrokers: kafkaBootstrap(this.#broker),
      serializers: stringSerializers,
      idempotent: true,
      acks: ProduceAcks.ALL,
      // Bounded inside the client, so that the relay decides about retrying (and logs it).
      retries: 2,
      retryDelay: 250,
      timeout: 5_000,
    });
  }
}
