import { StackError } from "../stack/errors.js";

/** Progress lines go to stderr so that `--json` output on stdout stays clean. */
export function progress(message: string): void {
  process.stderr.write(`[stedi] ${message}\n`);
}

/** Prints an error with what to do next, and sets a failing exit code. */
export function reportFailure(error: unknown): void {
  process.exitCode = 1;
  if (error instanceof StackError) {
    process.stderr.write(`\n✖ ${error.message}\n  → ${error.hint}\n`);
    if (error.details) process.stderr.write(`\n${error.details.replace(/^/gm, "  │ ")}\n`);
    return;
  }
  process.stderr.write(`\n✖ ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}
