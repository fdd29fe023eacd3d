import type { Socket } from "node:net";

/** Why a replication connection ended: the master went away, or we stopped it. */
export class ConnectionClosedError extends Error {
  override name = "ConnectionClosedError";
}

// Past this many unread bytes the socket is paused: TCP then pushes back on the master.
const HIGH_WATER = 8 * 1024 * 1024;

/**
 * Pull-style reading from a socket: `more()` waits for the next bytes. Parsers work on one growing
 * buffer (`pending`, from `position`) and call `more()` when they need more than it holds.
 */
export class SocketReader {
  readonly #socket: Socket;
  #chunks: Buffer[] = [];
  #size = 0;
  #waiter: (() => void) | undefined;
  #ended: Error | undefined;
  pending: Buffer = Buffer.alloc(0);
  position = 0;
  #lastReceivedAt = Date.now();

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#lastReceivedAt = Date.now();
      this.#chunks.push(chunk);
      this.#size += chunk.length;
      if (this.#size > HIGH_WATER) socket.pause();
      this.#wake();
    });
    const end = (error?: Error): void => {
      this.#ended ??= new ConnectionClosedError(error ? `connection to the master failed: ${error.message}` : "the master closed the connection");
      this.#wake();
    };
    socket.on("error", end);
    socket.on("close", () => end());
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }

  /**
   * How long nothing has arrived: what we send ourselves says nothing about the link. 0 while we
   * hold the socket paused (Kafka pushing back): then the silence is ours, not the master's.
   */
  get silentMs(): number {
    return this.#socket.isPaused() ? 0 : Date.now() - this.#lastReceivedAt;
  }

  /** Unparsed bytes. */
  get available(): number {
    return this.pending.length - this.position;
  }

  /** Appends what arrived (waiting for something if nothing has) to `pending`, dropping parsed bytes. */
  async more(): Promise<void> {
    while (this.#chunks.length === 0) {
      if (this.#ended) throw this.#ended;
      await new Promise<void>((resolve) => (this.#waiter = resolve));
    }
    const unparsed = this.pending.subarray(this.position);
    this.pending = unparsed.length === 0 && this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat([unparsed, ...this.#chunks]);
    this.position = 0;
    this.#chunks = [];
    this.#size = 0;
    if (this.#socket.isPaused()) {
      this.#lastReceivedAt = Date.now();
      this.#socket.resume();
    }
  }

  /** Waits until at least `count` unparsed bytes are there. */
  async atLeast(count: number): Promise<void> {
    while (this.available < count) await this.more();
  }

  /** The next CRLF-terminated line (without CRLF); skips the bare "\n" keepalives a master sends while it prepares a snapshot. */
  async line(): Promise<string> {
    for (;;) {
      while (this.available > 0 && this.pending[this.position] === 0x0a) this.position++;
      const end = this.pending.indexOf("\r\n", this.position);
      if (end !== -1) {
        const text = this.pending.toString("latin1", this.position, end);
        this.position = end + 2;
        return text;
      }
      await this.more();
    }
  }
}
