import { basename, dirname } from "node:path";
import { createStream, type RotatingFileStream } from "rotating-file-stream";

/** Every log the stack writes, ours and the JVMs' (log4j2): 10 MiB a file, the live one and 4 rolled (log.1 the newest), 50 MiB at most. */
export const LOG_ROLLING = { maxBytes: 10 * 2 ** 20, rolledFiles: 4 } as const;

/**
 * The one writer of our processes' log files (a supervised child's output, a job's batch log):
 * appends, and rolls by size so that a system left running keeps a bounded disk.
 */
export function openLogFile(file: string, rolling: { readonly maxBytes: number; readonly rolledFiles: number } = LOG_ROLLING): RotatingFileStream {
  return createStream(basename(file), { path: dirname(file), size: `${rolling.maxBytes}B`, rotate: rolling.rolledFiles });
}
