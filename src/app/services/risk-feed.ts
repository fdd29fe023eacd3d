/**
 * The live risk graph's source: consumes the risk topic (KAFKA_RISK_TOPIC, default `customer-risk`)
 * from a little before its end — so a page gets recent history on load — keeps the newest points in
 * a ring, and hands each new point to every subscriber (one per open graph page). Malformed records
 * are skipped and counted; a missing topic or a lost broker is retried, never fatal.
 */
import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import { Consumer, stringDeserializers, type MessagesStream } from "@platformatic/kafka";
import { parseCustomerRisk } from "../../domain/customer-risk.js";

export interface RiskPoint {
  /** Increasing per app run: the SSE event id, so a reconnecting page resumes without gaps. */
  readonly id: number;
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
  readonly subscribers: number;
  readonly connected: boolean;
  readonly lastMalformedReason: string | null;
}

type Listener = (point: RiskPoint) => void;

const RETRY_MS = 2_000;

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
  #consumer: Consumer<string, string, string, string> | undefined;
  #stream: MessagesStream<string, string, string, string> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;
  #nextId = 1;
  #received = 0;
  #malformed = 0;
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
      bootstrapBrokers: [this.#broker],
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
        const from = end - history;
        const first = starts[partition] ?? 0n;
        return { topic: this.#topic, partition, offset: from > first ? from : first };
      });
      if (this.#closed) return closeQuietly(consumer);
      const stream = await consumer.consume({ topics: [this.#topic], mode: "manual", offsets, autocommit: false });
      this.#stream = stream;
      this.#lastError = "";
      this.#log.info({ topic: this.#topic }, "risk graph: consuming the risk topic");
      stream.on("data", (message) => this.#accept(message.value, Number(message.timestamp)));
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

  /** A record value → a point for every page, or a counted reject. */
  #accept(value: string | undefined, timestamp: number): void {
    this.#received++;
    const parsed = parseCustomerRisk(value ?? "");
    if (!parsed.ok) {
      this.#malformed++;
      this.#lastMalformedReason = parsed.reason;
      this.#log.warn({ topic: this.#topic, reason: parsed.reason }, "risk graph: skipped a malformed record");
      return;
    }
    const point: RiskPoint = { id: this.#nextId++, ...parsed.value, timestamp: Number.isFinite(timestamp) ? timestamp : Date.now() };
    this.#points.push(point);
    if (this.#points.length > this.#historySize) this.#points.splice(0, this.#points.length - this.#historySize);
    for (const listener of this.#listeners) listener(point);
  }

  /** Points kept, oldest first; with `afterId`, only those after it (a reconnecting page). */
  recent(afterId = 0): RiskPoint[] {
    return afterId > 0 ? this.#points.filter((point) => point.id > afterId) : [...this.#points];
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get stats(): RiskFeedStats {
    return {
      received: this.#received,
      malformed: this.#malformed,
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
