/**
 * The client side of `foreachBatch`'s at-least-once guarantee: a durable record of the last batch
 * whose handler completed. Spark's checkpoint says what the server ran; only the client knows what
 * its handler finished, so a restart can re-deliver the difference.
 */
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { parseKafkaOffsets, type KafkaOffsets } from "./kafka-offsets.js";

/** The last batch whose handler completed: its id and where it ended. */
export interface HandledBatch {
  readonly batchId: number;
  /** Kafka offsets the batch ended at (exclusive), topic → partition → offset. */
  readonly endOffsets: KafkaOffsets;
}

/**
 * Where `foreachBatch` records the last handled batch. Only the last one matters, so the log
 * stays one small record however long the query runs. `write` must be durable when it resolves.
 */
export interface BatchCommitLog {
  /** The last handled batch, or undefined if none was recorded yet. */
  read(): Promise<HandledBatch | undefined>;
  /** Records `batch` as the last handled one, replacing the previous record; durable once it resolves. */
  write(batch: HandledBatch): Promise<void>;
}

/**
 * A commit log in one local JSON file, replaced atomically (write a temporary file, fsync,
 * rename), so that a crash leaves either the previous record or the new one, never half of one.
 *
 * @example
 * ```ts
 * const log = new FileCommitLog("/var/lib/app/orders.commits.json");
 * ```
 */
export class FileCommitLog implements BatchCommitLog {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** The last handled batch, or undefined if the file does not exist yet. */
  async read(): Promise<HandledBatch | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    const raw = JSON.parse(text) as { batchId?: unknown; endOffsets?: unknown };
    const endOffsets = parseKafkaOffsets(raw.endOffsets);
    if (typeof raw.batchId !== "number" || endOffsets === undefined) throw new Error(`${this.path} is not a foreachBatch commit log (expected {"batchId":…,"endOffsets":{…}})`);
    return { batchId: raw.batchId, endOffsets };
  }

  /** Replaces the record by `batch`, durably (fsync before the rename). */
  async write(batch: HandledBatch): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    const file = await open(temporary, "w");
    try {
      await file.writeFile(JSON.stringify({ batchId: batch.batchId, endOffsets: batch.endOffsets }));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.path);
  }
}
