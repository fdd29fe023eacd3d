import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Where the replica stands: the master's replication id and the offset of the last byte whose
 * records Kafka has acknowledged, plus the db selected at that point (the master does not repeat
 * SELECT when a replica resumes mid-stream). -1 means "not known yet".
 */
export interface ReplicaPosition {
  readonly replid: string;
  readonly offset: number;
  readonly db: number;
}

const REPLID = /^[0-9a-f]{40}$/;

export class ReplicaStateError extends Error {
  override name = "ReplicaStateError";
}

/**
 * The position in `file`, or undefined when there is none yet (a first start: full resync). A file
 * that cannot be read or does not hold a position throws ReplicaStateError: the caller decides (the
 * CDC source sets it aside and resyncs rather than failing at every restart).
 */
export async function loadPosition(file: string): Promise<ReplicaPosition | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ReplicaStateError(`${file} cannot be read: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ReplicaStateError(`${file} is not JSON`);
  }
  const { replid, offset, db } = (parsed ?? {}) as Partial<ReplicaPosition>;
  if (typeof replid !== "string" || !REPLID.test(replid) || !Number.isSafeInteger(offset) || offset! < 0 || !Number.isInteger(db)) {
    throw new ReplicaStateError(`${file} does not hold {replid, offset, db}`);
  }
  return { replid, offset: offset!, db: db! };
}

/** Written to a temporary file and renamed over the old one, so a crash never leaves half a file. */
export function savePositionSync(file: string, position: ReplicaPosition): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const text = JSON.stringify({ ...position, savedAt: new Date().toISOString() }) + "\n";
  try {
    writeFileSync(temporary, text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, text);
  }
  renameSync(temporary, file);
}
