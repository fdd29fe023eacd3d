import { pino, type Logger } from "pino";

/** The CDC source logs JSON lines with pino (to stdout by default); tests pass a silent one. */
export type CdcLogger = Pick<Logger, "info" | "warn" | "error" | "debug">;

export function createCdcLogger(level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({ name: "stedi-cdc", level });
}
