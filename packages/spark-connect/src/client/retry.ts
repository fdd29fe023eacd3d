/**
 * Retries with exponential backoff and jitter, for calls that are safe to repeat. Only errors
 * that say so (`canRetry`: the server was unavailable) are retried.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { SparkConnectError } from "../errors.js";

export interface RetryPolicy {
  /** Attempts after the first one. */
  readonly maxRetries: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly multiplier: number;
}

/** About 40 s of retrying in total: long enough to ride out a server restart. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 10, initialBackoffMs: 100, maxBackoffMs: 8_000, multiplier: 2 };

export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const base = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * policy.multiplier ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

export async function withRetry<T>(policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const retryable = error instanceof SparkConnectError && error.canRetry;
      if (!retryable || attempt >= policy.maxRetries) throw error;
      await sleep(backoffMs(policy, attempt));
    }
  }
}
