/**
 * One Server-Sent Events connection with a bounded buffer. A page that does not read (a phone in a
 * tunnel, a frozen tab) must not make the server hold every point for it: once more than
 * `maxBufferedBytes` wait unsent, the connection is dropped. The page's EventSource reconnects with
 * the Last-Event-ID it last received and resumes from there (the points it missed come in the
 * `history` event), so dropping loses nothing the feed still keeps.
 */
export interface SseSink {
  readonly writableLength: number;
  readonly destroyed: boolean;
  write(chunk: string): boolean;
  end(): void;
  destroy(): void;
}

export class SseStream {
  readonly #sink: SseSink;
  readonly #maxBufferedBytes: number;
  #dropped = false;

  constructor(sink: SseSink, maxBufferedBytes: number) {
    this.#sink = sink;
    this.#maxBufferedBytes = maxBufferedBytes;
  }

  /** True once the connection was dropped for a full buffer. */
  get dropped(): boolean {
    return this.#dropped;
  }

  /** `retry:` tells EventSource how soon to reconnect after the connection ends. */
  retry(ms: number): void {
    this.#write(`retry: ${ms}\n\n`);
  }

  send(event: string, data: unknown, id?: string): void {
    this.#write(`${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  comment(text: string): void {
    this.#write(`: ${text}\n\n`);
  }

  end(): void {
    if (!this.#sink.destroyed) this.#sink.end();
  }

  #write(chunk: string): void {
    if (this.#sink.destroyed) return;
    if (this.#sink.writableLength + chunk.length > this.#maxBufferedBytes) {
      this.#dropped = true;
      this.#sink.destroy();
      return;
    }
    this.#sink.write(chunk);
  }
}
