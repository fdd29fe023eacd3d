import { appendFileSync, mkdirSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { backoffDelay } from "../backoff.js";
import { commandRecords, genericRecord, type RedisServerRecord } from "../domain/redis-server.js";
import type { CdcOptions } from "./cdc-options.js";
import type { CdcLogger } from "./cdc-logger.js";
import { KeyFilter } from "./key-filter.js";
import { Publisher, type PublishItem } from "./publisher.js";
import type { RdbEntry } from "./rdb/rdb-parser.js";
import { ReplicaConnection, type ReplicaHandlers } from "./replica/replica-connection.js";
import { loadPosition, ReplicaStateError, savePositionSync, type ReplicaPosition } from "./replica/replica-state.js";
import { ConnectionClosedError } from "./replica/socket-reader.js";
import { snapshotRecords } from "./snapshot-records.js";
import { masterOffset } from "./master-offset.js";
import { readKeysContent, type KeysContent } from "./republish.js";

export interface CdcStats {
  /** Records Kafka acknowledged since start. */
  readonly published: number;
  /** Records waiting for Kafka, and their bytes. */
  readonly buffered: number;
  readonly bufferedBytes: number;
  /** Stream offset received / acknowledged by Kafka (and stored). */
  readonly receivedOffset: number;
  readonly ackedOffset: number;
  readonly fullResyncs: number;
  /** Known commands that did not parse: published in the generic form. */
  readonly malformed: number;
  /** Re-publications of CDC_REPUBLISH_KEYS (see republish.ts) pushed into the stream. */
  readonly republished: number;
  /** Records over Kafka's size limit, written to rejected.jsonl instead. */
  readonly setAside: number;
  /** Commands on dbs not followed, keys filtered out, non-data commands (PUBLISH), snapshot values not expressible. */
  readonly skipped: { readonly otherDb: number; readonly filtered: number; readonly nonData: number; readonly snapshotValues: number };
}

// Kafka's default max.message.bytes is 1 MB; the key, headers and batch framing need some of it.
const MAX_RECORD_BYTES = 1_000_000 - 16 * 1024;
// Commands in the stream that are replication plumbing or not writes to data.
/** Reconnecting to Redis after the replication link broke. */
const RECONNECT = { initialMs: 250, maxMs: 10_000 } as const;
const NON_DATA = new Set(["PING", "REPLCONF", "PUBLISH", "SPUBLISH"]);

/**
 * A record too large for Kafka could not be written to rejected.jsonl either. Replication stops
 * before it (the position stays before its command) and retries, rather than losing it unseen.
 */
export class SetAsideError extends Error {
  override name = "SetAsideError";
}

/** Thrown into the replication loop by handlers called after stop(): nothing more is queued. */
class StoppingError extends ConnectionClosedError {
  override name = "StoppingError";
}

/**
 * The Redis CDC source (SPEC §5): a replica of Redis that publishes every write to Kafka, stores its
 * position only once Kafka acknowledged everything before it, and resumes from there.
 * `start()` returns once it runs; `stop()` flushes what is in flight, stores the position and ends.
 */
export class CdcSource {
  readonly #options: CdcOptions;
  readonly #log: CdcLogger;
  readonly #filter: KeyFilter;
  readonly #followed: Set<number>;
  readonly #publisher: Publisher;
  #acked: ReplicaPosition | undefined;
  #saved: ReplicaPosition | undefined;
  #connection: ReplicaConnection | undefined;
  #replid = "";
  #db = -1;
  #transaction: RedisServerRecord[] | undefined;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #reportTimer: NodeJS.Timeout | undefined;
  #streaming: { promise: Promise<void>; resolve: () => void };
  /** Resolves when stop() is called: every wait of the replication loop races it. */
  #stopSignal: { promise: Promise<void>; resolve: () => void };
  #counts = { fullResyncs: 0, malformed: 0, setAside: 0, otherDb: 0, filtered: 0, nonData: 0, snapshotValues: 0, republished: 0 };
  /** The stream offset up to which every command has been handled (pushed to the publisher). */
  #streamOffset = -1;
  #inSnapshot = false;
  /** Keys' content read at a master offset the stream has not reached yet: pushed when it does. */
  #pendingRepublish: (KeysContent & { db: number })[] = [];
  #republishTimer: NodeJS.Timeout | undefined;
  #lastReport = { at: Date.now(), published: 0 };

  constructor(options: CdcOptions, log: CdcLogger) {
    this.#options = options;
    this.#log = log;
    this.#filter = new KeyFilter(options.includeKeys, options.excludeKeys);
    this.#followed = new Set(options.dbs);
    this.#publisher = new Publisher(
      { broker: options.kafka.broker, topic: options.kafka.topic, clientId: options.kafka.clientId, batchRecords: options.batchRecords, maxBufferedRecords: options.maxBufferedRecords, maxBufferedBytes: options.maxBufferedBytes },
      log,
      (position) => {
        this.#acked = position;
        // Stored as soon as Kafka acknowledged: fewer duplicates after a crash (saves coalesce).
        this.#save();
      },
    );
    this.#streaming = signal();
    this.#stopSignal = signal();
  }

  async start(): Promise<void> {
    this.#acked = this.#saved = await this.#loadPosition();
    this.#log.info(
      { redis: `${this.#options.redis.host}:${this.#options.redis.port}`, kafka: this.#options.kafka.broker, topic: this.#options.kafka.topic, dbs: this.#options.dbs, from: this.#acked ?? "full resync" },
      "CDC source starting",
    );
    this.#reportTimer = setInterval(() => void this.#report(), this.#options.reportIntervalMs);
    this.#loop = this.#replicate();
    if (this.#options.republishKeys.length > 0) {
      // On start (a topic whose old records retention deleted gets the keys back at once), then on schedule.
      void this.#streaming.promise.then(() => this.#republish());
      this.#republishTimer = setInterval(() => void this.#republish(), this.#options.republishIntervalMs);
    }
  }

  /** Resolves once the replica streams commands (after the handshake, and the snapshot if there was one). */
  streaming(): Promise<void> {
    return this.#streaming.promise;
  }

  stats(): CdcStats {
    const { otherDb, filtered, nonData, snapshotValues, ...counts } = this.#counts;
    return {
      published: this.#publisher.published,
      buffered: this.#publisher.buffered,
      bufferedBytes: this.#publisher.bufferedBytes,
      receivedOffset: this.#connection?.received ?? -1,
      ackedOffset: this.#acked?.offset ?? -1,
      ...counts,
      skipped: { otherDb, filtered, nonData, snapshotValues },
    };
  }

  /**
   * Stops reading, waits for Kafka to acknowledge what was read, stores the position; all within
   * `timeoutMs` even when Kafka is away (then the unacknowledged rest is read again next time).
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.#stopping) return;
    const deadline = Date.now() + timeoutMs;
    this.#stopping = true;
    this.#stopSignal.resolve();
    this.#connection?.close();
    await this.#loop;
    // Leave part of the budget for closing the producer and the last report, on a busy machine too.
    const flushed = await this.#publisher.flush(Math.max(0, deadline - Date.now() - 3_500));
    if (!flushed) this.#log.warn({ buffered: this.#publisher.buffered }, "Kafka did not acknowledge everything in time; those writes are published again on the next start");
    clearInterval(this.#reportTimer);
    clearInterval(this.#republishTimer);
    await this.#publisher.close();
    this.#save();
    await this.#report();
    this.#log.info({ position: this.#acked }, "CDC source stopped");
  }

  /** Waits for `promise` unless stop() comes first. */
  #unlessStopped(promise: Promise<unknown>): Promise<unknown> {
    return Promise.race([promise, this.#stopSignal.promise]);
  }

  /**
   * The stored position. One that cannot be read or makes no sense is moved aside (kept for a
   * look) with a warning, and replication starts over with a full resync: refusing to start would
   * only make a supervisor restart the source into the same failure forever.
   */
  async #loadPosition(): Promise<ReplicaPosition | undefined> {
    const file = this.#options.stateFile;
    try {
      return await loadPosition(file);
    } catch (error) {
      if (!(error instanceof ReplicaStateError)) throw error;
      const aside = `${file}.unusable-${new Date().toISOString().replace(/[:.]/g, "-")}`;
      let movedTo: string | null = aside;
      try {
        renameSync(file, aside);
      } catch {
        movedTo = null;
      }
      this.#log.warn({ reason: error.message, movedTo }, "the stored replication position is unusable; starting with a full resync (a snapshot of every followed key is published again)");
      return undefined;
    }
  }

  async #replicate(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      const connection = new ReplicaConnection({
        host: this.#options.redis.host,
        port: this.#options.redis.port,
        password: this.#options.redis.password,
        idleTimeoutMs: this.#options.replicationTimeoutMs,
        ackOffset: () => (this.#acked?.replid === this.#replid ? this.#acked.offset : -1),
      });
      this.#connection = connection;
      const ackedBefore = this.#acked;
      try {
        await connection.run(this.#acked, this.#handlers());
      } catch (error) {
        if (this.#stopping) break;
        // Resume from what Kafka has: first let it acknowledge what this connection delivered.
        await this.#unlessStopped(this.#publisher.flush());
        if (this.#stopping) break;
        // Back-off grows only while nothing new reaches Kafka (e.g. a record that cannot be set aside).
        failures = this.#acked !== ackedBefore ? 1 : failures + 1;
        const delay = backoffDelay(failures, RECONNECT);
        const message = error instanceof Error ? error.message : String(error);
        this.#log[error instanceof ConnectionClosedError ? "warn" : "error"]({ err: message, retryInMs: delay }, "replication from Redis interrupted; reconnecting");
        this.#transaction = undefined;
        await this.#unlessStopped(new Promise((resolve) => setTimeout(resolve, delay)));
      }
    }
  }

  #handlers(): ReplicaHandlers {
    return {
      fullResync: (replid, offset) => {
        this.#counts.fullResyncs++;
        this.#log.warn({ replid, offset, previous: this.#acked ?? null }, "full resync: publishing a snapshot of the followed dbs, then the stream");
        this.#replid = replid;
        this.#db = -1;
        this.#snapshot = { replid, offset, keys: 0 };
        this.#streamOffset = offset;
        this.#inSnapshot = true;
        // A snapshot holds the keys anyway; what was read against the old stream no longer fits in.
        this.#pendingRepublish = [];
      },
      snapshotEntry: (entry, db) => this.#snapshotEntry(entry, db),
      snapshotDone: () => {
        const { replid, offset, keys } = this.#snapshot!;
        this.#log.info({ keys }, "snapshot read; the stream follows");
        this.#inSnapshot = false;
        this.#streaming.resolve();
        // The stream after a full resync starts with SELECT, so the db is unknown until then.
        return this.#push({ records: [], position: { replid, offset, db: -1 } });
      },
      resumed: (replid) => {
        this.#log.info({ replid, offset: this.#acked!.offset }, "partial resync: the stream continues where Kafka's copy ends");
        this.#replid = replid;
        this.#db = this.#acked!.db;
        this.#streamOffset = this.#acked!.offset;
        this.#inSnapshot = false;
        this.#streaming.resolve();
      },
      command: (args, offsetAfter) => this.#command(args, offsetAfter),
    };
  }

  #snapshot: { replid: string; offset: number; keys: number } | undefined;

  /** Queues for Kafka; the promise (backpressure) ends early on stop(), and nothing is queued after it. */
  #push(item: PublishItem): Promise<void> | undefined {
    if (this.#stopping) throw new StoppingError("the CDC source is stopping");
    const room = this.#publisher.push(item);
    return room && (this.#unlessStopped(room) as Promise<void>);
  }

  #snapshotEntry(entry: Extract<RdbEntry, { kind: "key" }>, db: number): Promise<void> | undefined {
    if (!this.#followed.has(db)) return undefined;
    if (!this.#filter.accepts(entry.key)) {
      this.#counts.filtered++;
      return undefined;
    }
    const records = snapshotRecords(entry);
    if (!records) {
      this.#counts.snapshotValues++;
      this.#log.warn({ key: entry.key.toString("base64"), type: entry.value.type }, "snapshot: this type has no redis-server form; not published");
      return undefined;
    }
    this.#snapshot!.keys++;
    return this.#push({ records: this.#sized(records), position: null });
  }

  #command(args: Buffer[], offsetAfter: number): Promise<void> | undefined {
    // Re-published content read at the offset this command starts from goes in before it.
    if (this.#pendingRepublish.length > 0 && !this.#transaction) this.#pushRepublished(this.#streamOffset);
    this.#streamOffset = offsetAfter;
    const name = args[0]!.toString("latin1").toUpperCase();
    const position = (): ReplicaPosition => ({ replid: this.#replid, offset: offsetAfter, db: this.#db });
    if (name === "MULTI") {
      this.#transaction = [];
      return undefined;
    }
    if (name === "EXEC") {
      const records = this.#transaction ?? [];
      this.#transaction = undefined;
      return this.#push({ records, position: position() });
    }
    let records: RedisServerRecord[] = [];
    if (name === "SELECT") this.#db = Number(args[1]?.toString("latin1") ?? -1);
    else if (NON_DATA.has(name)) this.#counts.nonData++;
    else if (!this.#followed.has(this.#db)) this.#counts.otherDb++;
    else records = this.#recordsOf(args);
    if (this.#transaction) {
      this.#transaction.push(...records);
      return undefined;
    }
    return this.#push({ records, position: position() });
  }

  #recordsOf(args: Buffer[]): RedisServerRecord[] {
    const parsed = commandRecords(args);
    let records: RedisServerRecord[];
    if (parsed.ok) records = parsed.value;
    else {
      this.#counts.malformed++;
      this.#log.warn({ reason: parsed.reason }, "a command did not parse; publishing it in the generic form");
      records = [genericRecord(args)];
    }
    const accepted = records.filter((record) => this.#filter.accepts(record.key));
    this.#counts.filtered += records.length - accepted.length;
    return this.#sized(accepted);
  }

  /**
   * Reads CDC_REPUBLISH_KEYS of every followed db, each with the master offset it is exact at, and
   * queues it for the stream to insert at that offset. If the stream has already passed the offset
   * (it handled commands the read does not reflect), the read is retried: inserting it late could
   * undo a later write.
   */
  async #republish(attempt = 1): Promise<void> {
    if (this.#stopping) return;
    for (const db of this.#followed) {
      let content: KeysContent;
      try {
        content = await readKeysContent(this.#options.redis, db, this.#options.republishKeys);
      } catch (error) {
        this.#log.warn({ err: String(error), keys: this.#options.republishKeys, db }, "could not read the keys to re-publish; trying again at the next interval");
        return;
      }
      if (content.skipped.length > 0) this.#log.warn({ keys: content.skipped, db }, "not sorted sets: not re-published");
      if (this.#stopping || content.records.length === 0) continue;
      if (this.#inSnapshot || content.replid !== this.#replid || content.offset < this.#streamOffset) {
        if (attempt < 5) setTimeout(() => void this.#republish(attempt + 1), 500 * attempt);
        else this.#log.warn({ db, attempts: attempt }, "the stream kept passing the re-publication's offset; trying again at the next interval");
        return;
      }
      this.#pendingRepublish.push({ ...content, db });
    }
    // Nothing may be on the way: the stream is exactly at the read's offset.
    if (!this.#transaction) this.#pushRepublished(this.#streamOffset);
  }

  /** Pushes the queued re-publications whose offset the stream has reached (`offset`). */
  #pushRepublished(offset: number): void {
    const ready = this.#pendingRepublish.filter((content) => content.offset <= offset);
    if (ready.length === 0) return;
    this.#pendingRepublish = this.#pendingRepublish.filter((content) => content.offset > offset);
    for (const content of ready) {
      this.#counts.republished++;
      this.#log.info({ records: content.records.length, offset: content.offset, db: content.db }, "re-published the keys' current content (CDC_REPUBLISH_KEYS)");
      void this.#publisher.push({ records: this.#sized(content.records), position: null });
    }
  }

  /**
   * Records Kafka would refuse as too large go to rejected.jsonl, whole, and are counted. Written
   * synchronously, before the position can move past them; if that fails, SetAsideError stops
   * this connection so that the command is read (and tried) again rather than lost.
   */
  #sized(records: RedisServerRecord[]): RedisServerRecord[] {
    const fitting = records.filter((record) => record.value.length + (record.key?.length ?? 0) <= MAX_RECORD_BYTES);
    if (fitting.length === records.length) return records;
    const file = join(dirname(this.#options.stateFile), "rejected.jsonl");
    for (const record of records.filter((each) => !fitting.includes(each))) {
      const key = record.key?.toString("base64") ?? null;
      try {
        mkdirSync(dirname(file), { recursive: true });
        appendFileSync(file, JSON.stringify({ at: new Date().toISOString(), command: record.command, key, value: record.value }) + "\n");
      } catch (error) {
        this.#log.error({ command: record.command, key, bytes: record.value.length, file, err: String(error) }, "record too large for Kafka and it cannot be set aside; replication waits here and retries");
        throw new SetAsideError(`could not write a ${record.value.length}-byte ${record.command} record to ${file}: ${String(error)}`);
      }
      this.#counts.setAside++;
      this.#log.error({ command: record.command, key, bytes: record.value.length, file }, "record too large for Kafka; set aside");
    }
    return fitting;
  }

  /**
   * Stores the acknowledged position if it moved. Synchronous (a tiny file, written then renamed)
   * so that a busy event loop cannot let the stored position fall behind what Kafka has: after a
   * crash, only the records of the last produce request or so are published twice.
   */
  #save(): void {
    const position = this.#acked;
    if (!position || position === this.#saved) return;
    try {
      savePositionSync(this.#options.stateFile, position);
      this.#saved = position;
    } catch (error) {
      this.#log.error({ err: String(error), file: this.#options.stateFile }, "could not store the replication position; retrying with the next acknowledgement");
    }
  }

  async #report(): Promise<void> {
    const now = Date.now();
    const stats = this.stats();
    const rate = ((stats.published - this.#lastReport.published) * 1000) / Math.max(1, now - this.#lastReport.at);
    this.#lastReport = { at: now, published: stats.published };
    const master = this.#stopping ? undefined : await masterOffset(this.#options.redis);
    const lagBytes = master !== undefined && stats.ackedOffset >= 0 ? Math.max(0, master - stats.ackedOffset) : null;
    this.#log.info({ ...stats, recordsPerSecond: Math.round(rate), lagBytes }, `published ${stats.published} records (${Math.round(rate)}/s), lag ${lagBytes ?? "?"} bytes`);
  }
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}
