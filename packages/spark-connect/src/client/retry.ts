/**
 * Retries with exponential backoff and jitter, for calls that are safe to repeat — PySpark's
 * default policy: 50 ms, then ×4 each time up to one minute, jitter of up to 500 ms once the wait
 * passes 2 s, and a server's `RetryInfo` delay honoured when it asks for longer. With the default
 * ten retries a call rides out about five minutes of unavailability. Only errors that say so
 * (`canRetry`: UNAVAILABLE, INVALID_CURSOR.DISCONNECTED, or a RetryInfo from the server) are retried.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { SparkConnectError } from "../errors.js";

/** How the client retries calls that failed with a retryable error, PySpark's `RetryPolicy`; set it with `SparkSession.builder().retryPolicy({ maxRetries: 3 })`. */
export interface RetryPolicy {
  /** Attempts after the first one. */
  readonly maxRetries: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly multiplier: number;
  /** Up to this much random time is added to a wait … */
  readonly jitterMs: number;
  /** … once the wait is at least this long (short waits stay short). */
  readonly minJitterThresholdMs: number;
  /** A server's RetryInfo delay is honoured up to this long. */
  readonly maxServerRetryDelayMs: number;
}

/** 50 ms, 200 ms, 800 ms, 3.2 s, 12.8 s, 51.2 s, then 1 min: ≈ 5 min over ten retries. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 10,
  initialBackoffMs: 50,
  maxBackoffMs: 60_000,
  multiplier: 4,
  jitterMs: 500,
  minJitterThresholdMs: 2_000,
  maxServerRetryDelayMs: 10 * 60_000,
};

/** How long to wait before retry number `attempt` (0-based) after `error`. */
export function backoffMs(policy: RetryPolicy, attempt: number, error?: SparkConnectError, random: () => number = Math.random): number {
  let wait = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * policy.multiplier ** attempt);
  const serverDelay = error?.retryDelayMs;
  if (serverDelay !== undefined) wait = Math.max(wait, Math.min(serverDelay, policy.maxServerRetryDelayMs));
  if (wait >= policy.minJitterThresholdMs) wait += random() * policy.jitterMs;
  return wait;
}

export function isRetryable(error: unknown): error is SparkConnectError {
  return error instanceof SparkConnectError && error.canRetry;
}

export type Sleep = (ms: number) => Promise<unknown>;

export async function withRetry<T>(policy: RetryPolicy, call: () => Promise<T>, wait: Sleep = sleep): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error) || attempt >= policy.maxRetries) throw error;
      await wait(backoffMs(policy, attempt, error));
    }
  }
}
