/**
 * One connection to the master as a replica: the handshake, the RDB transfer of a full resync, then
 * the command stream, with the byte offsets the replication protocol counts.
 *
 * Handshake (each answered +OK, or an error):
 *   AUTH <password>                        when REDIS_PASSWORD is set
 *   REPLCONF capa eof capa psync2          we understand diskless ($EOF:) transfers
 *   PSYNC <replid> <offset+1> | PSYNC ? -1
 * Answers to PSYNC:
 *   +CONTINUE [<replid>]                   the command stream resumes after our offset
 *   +FULLRESYNC <replid> <offset>          then "\n" keepalives, then the snapshot, either
 *                                          $<length>\r\n<rdb>  or  $EOF:<40-byte mark>\r\n<rdb><mark>
 * After the snapshot the replica must send REPLCONF ACK (a diskless master starts the stream on it),
 * and keeps acknowledging every second. Every byte of the stream, PINGs and REPLCONF GETACK included,
 * advances the offset; GETACK is answered at once.
 */
import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { parseEntry, RdbFormatError, type RdbEntry } from "../rdb/rdb-parser.js";
import { encodeCommand, parseCommand, parseReply, RespError, RespSimple } from "../resp/resp-parser.js";
import type { ReplicaPosition } from "./replica-state.js";
import { ConnectionClosedError, SocketReader } from "./socket-reader.js";

export class ReplicationError extends Error {
  override name = "ReplicationError";
}

export interface ReplicaHandlers {
  /** A full resync starts: a snapshot follows, then the stream from `offset`. */
  fullResync(replid: string, offset: number): void;
  /** One snapshot entry (with the db it belongs to); may return a promise to push back. */
  snapshotEntry(entry: Extract<RdbEntry, { kind: "key" }>, db: number): Promise<void> | undefined;
  snapshotDone(): Promise<void> | undefined;
  /** Partial resync accepted: the stream continues after the given position. */
  resumed(replid: string): void;
  /** One command of the stream and the offset just after it. */
  command(args: Buffer[], offsetAfter: number): Promise<void> | undefined;
}

export interface ReplicaConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly password: string | undefined;
  /** Offset reported in REPLCONF ACK: what Kafka has acknowledged. */
  readonly ackOffset: () => number;
  /**
   * No byte *from* the master for this long (it pings every 10 s) means the link is dead. Counted
   * from bytes received only: a half-open link still accepts our REPLCONF ACKs every second, so
   * the socket's own inactivity timeout (which writes reset) would never fire.
   */
  readonly idleTimeoutMs?: number;
}

const GETACK = "GETACK";

export class ReplicaConnection {
  readonly #options: ReplicaConnectionOptions;
  #socket: Socket | undefined;
  #ackTimer: NodeJS.Timeout | undefined;
  #silenceTimer: NodeJS.Timeout | undefined;
  /** The offset just after the last complete command received. */
  received = -1;

  constructor(options: ReplicaConnectionOptions) {
    this.#options = options;
  }

  /** Replicates until the connection ends (throws why) or `close()` is called (throws ConnectionClosedError). */
  async run(from: ReplicaPosition | undefined, handlers: ReplicaHandlers): Promise<never> {
    const socket = connect({ host: this.#options.host, port: this.#options.port, noDelay: true });
    this.#socket = socket;
    const reader = new SocketReader(socket);
    const idleTimeoutMs = this.#options.idleTimeoutMs ?? 60_000;
    this.#silenceTimer = setInterval(() => {
      const silentMs = reader.silentMs;
      if (silentMs > idleTimeoutMs) socket.destroy(new Error(`nothing received from the master for ${silentMs} ms (replication timeout ${idleTimeoutMs} ms)`));
    }, Math.min(1_000, Math.max(50, idleTimeoutMs / 4)));
    try {
      await Promise.race([once(socket, "connect"), reader.atLeast(1)]).catch((error: unknown) => {
        throw new ConnectionClosedError(`cannot connect to Redis at ${this.#options.host}:${this.#options.port}: ${error instanceof Error ? error.message : String(error)}`);
      });
      if (this.#options.password !== undefined) await this.#call(reader, ["AUTH", this.#options.password]);
      await this.#call(reader, ["REPLCONF", "capa", "eof", "capa", "psync2"]);
      socket.write(encodeCommand(["PSYNC", from?.replid ?? "?", from ? String(from.offset + 1) : "-1"]));
      const answer = await reader.line();
      const full = /^\+FULLRESYNC ([0-9a-f]{40}) (\d+)$/.exec(answer);
      const resumed = /^\+CONTINUE(?: ([0-9a-f]{40}))?$/.exec(answer);
      if (full) {
        this.received = Number(full[2]);
        handlers.fullResync(full[1]!, this.received);
        await this.#readSnapshot(reader, handlers);
        this.#ack();
      } else if (resumed && from) {
        this.received = from.offset;
        handlers.resumed(resumed[1] ?? from.replid);
      } else throw new ReplicationError(`the master answered PSYNC with "${answer}"`);
      this.#ackTimer = setInterval(() => this.#ack(), 1_000);
      return await this.#readStream(reader, handlers);
    } finally {
      clearInterval(this.#silenceTimer);
      clearInterval(this.#ackTimer);
      socket.destroy();
    }
  }

  /** Ends the connection; `run` then throws ConnectionClosedError. */
  close(): void {
    this.#socket?.destroy();
  }

  #ack(): void {
    const offset = this.#options.ackOffset();
    if (offset >= 0 && this.#socket?.writable) this.#socket.write(encodeCommand(["REPLCONF", "ACK", String(offset)]));
  }

  async #call(reader: SocketReader, args: string[]): Promise<void> {
    this.#socket!.write(encodeCommand(args));
    for (;;) {
      const reply = parseReply(reader.pending, reader.position);
      if (reply) {
        reader.position = reply.end;
        if (reply.value instanceof RespError) throw new ReplicationError(`Redis refused ${args[0]}${args[0] === "AUTH" ? "" : ` ${args[1]}`}: ${reply.value.message}`);
        if (!(reply.value instanceof RespSimple)) throw new ReplicationError(`unexpected answer to ${args[0]}`);
        return;
      }
      await reader.more();
    }
  }

  async #readSnapshot(reader: SocketReader, handlers: ReplicaHandlers): Promise<void> {
    const header = await reader.line();
    const eof = /^\$EOF:(.{40})$/s.exec(header);
    const sized = /^\$(\d+)$/.exec(header);
    if (!eof && !sized) throw new ReplicationError(`expected the snapshot, got "${header.slice(0, 60)}"`);
    let consumed = 0; // RDB bytes parsed so far (reader.pending is rebased by more())
    let searchedForMark = reader.position;
    // Whether every byte of the snapshot is in the buffer: then an incomplete entry means corruption.
    const allArrived = (): boolean => {
      if (sized) return reader.available >= Number(sized[1]) - consumed;
      const found = reader.pending.indexOf(eof![1]!, Math.max(reader.position, searchedForMark - 40), "latin1") !== -1;
      searchedForMark = reader.pending.length;
      return found;
    };
    let atFileStart = true;
    let db = 0;
    for (;;) {
      const parsed = parseEntry(reader.pending, reader.position, atFileStart);
      if (!parsed) {
        if (allArrived()) throw new RdbFormatError(`the snapshot ends inside an entry (after ${consumed} bytes)`);
        // Wait for twice what is buffered: a big key is then re-parsed a few times, not once per chunk.
        const want = Math.max(reader.available * 2, reader.available + 1);
        while (reader.available < want) {
          const searched = reader.available;
          await reader.more();
          searchedForMark = searched; // more() moved the unparsed (already searched) bytes to the front
          if (allArrived()) break;
        }
        continue;
      }
      consumed += parsed.end - reader.position;
      reader.position = parsed.end;
      atFileStart = false;
      const { entry } = parsed;
      if (entry.kind === "select") db = entry.db;
      else if (entry.kind === "key") await handlers.snapshotEntry(entry, db);
      else if (entry.kind === "end") break;
    }
    if (eof) {
      await reader.atLeast(40);
      const mark = reader.pending.toString("latin1", reader.position, reader.position + 40);
      if (mark !== eof[1]) throw new RdbFormatError("the snapshot did not end with its EOF mark");
      reader.position += 40;
    } else if (consumed !== Number(sized![1])) {
      throw new RdbFormatError(`the snapshot was announced as ${sized![1]} bytes but its end came after ${consumed}`);
    }
    await handlers.snapshotDone();
  }

  async #readStream(reader: SocketReader, handlers: ReplicaHandlers): Promise<never> {
    for (;;) {
      for (let parsed = parseCommand(reader.pending, reader.position); parsed; parsed = parseCommand(reader.pending, reader.position)) {
        this.received += parsed.end - reader.position;
        reader.position = parsed.end;
        const args = parsed.value;
        if (args.length === 3 && args[0]!.length === 8 && args[0]!.toString("latin1").toUpperCase() === "REPLCONF" && args[1]!.toString("latin1").toUpperCase() === GETACK) {
          this.#ack();
        }
        const pushBack = handlers.command(args, this.received);
        if (pushBack) await pushBack;
      }
      await reader.more();
    }
  }
}
