/**
 * The live risk graph's source: consumes the risk topic (KAFKA_RISK_TOPIC, default `customer-risk`)
 * from a little before its end — so a page gets recent history on load — keeps the newest points in
 * a ring, and hands each new point to every subscriber (one per open graph page). Malformed records
 * are skipped and counted; a missing topic or a lost broker is retried, never fatal.
 *
 * A record names the score it joins (key + `stedi-risk-date` header). The job's Kafka sink is
 * at-least-once and writes the batch a crash interrupted again, under new offsets: a record whose
 * identity was among the last IDENTITY_MEMORY delivered is that re-write, dropped and counted
 * (`rewritten`). Records without the header (written before the job set it) pass as they come.
 *
 * Positions are the topic's own (partition → offset of the last record taken), so they mean the same
 * in every app process: a page resumes from its Last-Event-ID after an app restart, and a consumer
 * that reconnects continues after the last record it took instead of re-reading the history window.
 */
import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import { Consumer, stringDeserializers, type MessagesStream } from "@platformatic/kafka";
import { customerRiskIdentity, parseCustomerRisk, RISK_DATE_HEADER } from "../../domain/customer-risk.js";
import { kafkaBootstrap } from "../../config.js";
import { RecentIdentities } from "./recent-identities.js";

/** Partition → offset of the last record delivered (what an SSE id says). */
export type RiskPosition = ReadonlyMap<number, number>;

/** `0:123,1:45` (the SSE id's form) → a position; anything else (ids of older versions) → null. */
export function parseRiskPosition(text: string | undefined): RiskPosition | null {
  if (text === undefined || !/^\d{1,9}:\d{1,16}(,\d{1,9}:\d{1,16})*$/.test(text)) return null;
  return new Map(text.split(",").map((pair) => pair.split(":").map(Number) as [number, number]));
}

export function formatRiskPosition(position: RiskPosition): string {
  return [...position].sort(([a], [b]) => a - b).map(([partition, offset]) => `${partition}:${offset}`).join(",");
}

/** The furthest of both, partition by partition. */
export function mergeRiskPositions(a: RiskPosition, b: RiskPosition): Map<number, number> {
  const merged = new Map(a);
  for (const [partition, offset] of b) if (offset > (merged.get(partition) ?? -1)) merged.set(partition, offset);
  return merged;
}

const isAfter = (point: Pick<RiskPoint, "partition" | "offset">, position: RiskPosition): boolean => point.offset > (position.get(point.partition) ?? -1);

export interface RiskPoint {
  /** The record's place in the topic, `partition:offset`: the same in every app process. */
  readonly id: string;
  readonly partition: number;
  readonly offset: number;
  readonly customer: string;
  readonly email: string;
  readonly score: number;
  readonly birthYear: number;
  /** When the record landed on the topic (Kafka's timestamp), epoch ms. */
  readonly timestamp: number;
}

export interface RiskFeedStats {
  readonly received: number;
  readonly malformed: number;
  /** Records dropped as a re-write of a score already delivered. */
  readonly rewritten: number;
  readonly subscribers: number;
  readonly connected: boolean;
  readonly lastMalformedReason: string | null;
}

type Listener = (point: RiskPoint) => void;

const RETRY_MS = 2_000;
/**
 * How many identities are remembered (about 100 bytes each): a re-written batch follows its
 * original within a few batches, far fewer records than this unless the job is catching up.
 */
const IDENTITY_MEMORY = 50_000;

/** Force-closes a consumer in the background; a failure to close a consumer we are done with is moot. */
function closeQuietly(consumer: Consumer<string, string, string, string>): void {
  consumer.close(true, () => undefined);
}

export class RiskFeed {
  readonly #broker: string;
  readonly #topic: string;
  readonly #historySize: number;
  readonly #log: FastifyBaseLogger;
  readonly #points: RiskPoint[] = [];
  readonly #listeners = new Set<Listener>();
  /** Offset of the last record taken, per partition (malformed ones included). */
  readonly #position = new Map<number, number>();
  #consumer: Consumer<string, string, string, string> | undefined;
  #stream: MessagesStream<string, string, string, string> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;
  #received = 0;
  #malformed = 0;
  #rewritten = 0;
  readonly #delivered = new RecentIdentities(IDENTITY_MEMORY);
  #lastMalformedReason: string | null = null;
  #lastError = "";

  constructor(options: { broker: string; topic: string; historySize: number; log: FastifyBaseLogger }) {
    this.#broker = options.broker;
    this.#topic = options.topic;
    this.#historySize = options.historySize;
    this.#log = options.log;
  }

  get topic(): string {
    return this.#topic;
  }

  /** Starts consuming in the background; resolves at once (the graph works before Kafka answers). */
  start(): void {
    void this.#connect();
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    // A fresh group per run: every app instance sees every partition, and commits nothing.
    const consumer = new Consumer({
      groupId: `stedi-app-graph-${randomUUID()}`,
      clientId: "stedi-app-graph",
      bootstrapBrokers: kafkaBootstrap(this.#broker),
      deserializers: stringDeserializers,
      autocommit: false,
      maxWaitTime: 500,
    });
    this.#consumer = consumer;
    try {
      const [earliest, latest] = await Promise.all([
        consumer.listOffsets({ topics: [this.#topic], timestamp: -2n }),
        consumer.listOffsets({ topics: [this.#topic], timestamp: -1n }),
      ]);
      const ends = latest.get(this.#topic) ?? [];
      if (ends.length === 0) throw new Error(`topic ${this.#topic} has no partitions`);
      const starts = earliest.get(this.#topic) ?? [];
      const history = BigInt(this.#historySize);
      const offsets = ends.map((end, partition) => {
        const first = starts[partition] ?? 0n;
        // After a reconnect, continue after what was taken: the history window would re-send old points as new.
        const taken = this.#position.get(partition);
        const from = taken === undefined ? end - history : BigInt(taken) + 1n;
        return { topic: this.#topic, partition, offset: from > first ? from : first };
      });
      if (this.#closed) return closeQuietly(consumer);
      const stream = await consumer.consume({ topics: [this.#topic], mode: "manual", offsets, autocommit: false });
      this.#stream = stream;
      this.#lastError = "";
      this.#log.info({ topic: this.#topic }, "risk graph: consuming the risk topic");
      stream.on("data", (message) => this.#accept(message.partition, Number(message.offset), message.value, Number(message.timestamp), customerRiskIdentity(message.key ?? "", message.headers.get(RISK_DATE_HEADER))));
      stream.on("error", (error: Error) => this.#failed(error));
    } catch (error) {
      this.#failed(error as Error);
    }
  }

  #failed(error: Error): void {
    if (this.#closed) return;
    // Say it once per distinct problem, not every 2 s.
    if (error.message !== this.#lastError) {
      this.#lastError = error.message;
      this.#log.warn({ topic: this.#topic, err: error }, `risk graph: cannot consume ${this.#topic} (retrying every ${RETRY_MS / 1000} s): is Kafka up and the topic created?`);
    }
    const consumer = this.#consumer;
    this.#stream = undefined;
    this.#consumer = undefined;
    if (consumer) closeQuietly(consumer);
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.#connect(), RETRY_MS);
  }

  /** A record value → a point for every page, or a counted reject, or a counted re-write. */
  #accept(partition: number, offset: number, value: string | undefined, timestamp: number, identity: string | null): void {
    // A record taken before (a consumer's re-delivery) is not news.
    if (!isAfter({ partition, offset }, this.#position)) return;
    this.#position.set(partition, offset);
    this.#received++;
    const parsed = parseCustomerRisk(value ?? "");
    if (!parsed.ok) {
      this.#malformed++;
      this.#lastMalformedReason = parsed.reason;
      this.#log.warn({ topic: this.#topic, reason: parsed.reason }, "risk graph: skipped a malformed record");
      return;
    }
    if (identity !== null && !this.#delivered.add(identity)) {
      this.#rewritten++;
      // A re-written batch is many records: say so at the 1st, 10th, 100th… drop, not at each.
      if (Number.isInteger(Math.log10(this.#rewritten))) this.#log.info({ topic: this.#topic, rewritten: this.#rewritten }, "risk graph: dropped records the job wrote again (a batch re-written after a crash)");
      return;
    }
    const point: RiskPoint = { id: `${partition}:${offset}`, partition, offset, ...parsed.value, timestamp: Number.isFinite(timestamp) ? timestamp : Date.now() };
    this.#points.push(point);
    if (this.#points.length > this.#historySize) this.#points.splice(0, this.#points.length - this.#historySize);
    for (const listener of this.#listeners) listener(point);
  }

  /** Points kept, oldest first; with `after`, only those after it (a reconnecting page). */
  recent(after?: RiskPosition): RiskPoint[] {
    return after ? this.#points.filter((point) => isAfter(point, after)) : [...this.#points];
  }

  /** What has been taken from the topic so far. */
  get position(): RiskPosition {
    return new Map(this.#position);
  }

  /**
   * Every new point after `after` (a page that resumed ahead of this process, which is still
   * catching up, gets nothing twice); answers the unsubscribe function.
   */
  subscribe(listener: Listener, after: RiskPosition = new Map()): () => void {
    const delivered = new Map(after);
    const filtered: Listener = (point) => {
      if (!isAfter(point, delivered)) return;
      delivered.set(point.partition, point.offset);
      listener(point);
    };
    this.#listeners.add(filtered);
    return () => this.#listeners.delete(filtered);
  }

  get stats(): RiskFeedStats {
    return {
      received: this.#received,
      malformed: this.#malformed,
      rewritten: this.#rewritten,
      subscribers: this.#listeners.size,
      connected: this.#stream !== undefined,
      lastMalformedReason: this.#lastMalformedReason,
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#listeners.clear();
    const stream = this.#stream;
    const consumer = this.#consumer;
    this.#stream = undefined;
    this.#consumer = undefined;
    await stream?.close().catch(() => undefined);
    if (consumer) closeQuietly(consumer);
  }
}
