/**
 * Factories for the Spark Connect integration tests: sessions, unique Kafka topics and
 * checkpoint folders, all cleaned up with `t.after`. They use the real services of the stack.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { createTopics as createTestTopics } from "../../support/kafka.js";
import { SparkSession } from "spark-connect-ts";

export const REMOTE = process.env.SPARK_REMOTE ?? "sc://127.0.0.1:15002";
export const BROKER = process.env.KAFKA_BROKER ?? "127.0.0.1:9092";

/** A new session, stopped (which also stops its streaming queries) after the test. */
export async function createSession(t: TestContext): Promise<SparkSession> {
  const spark = await SparkSession.builder().remote(REMOTE).appName(`spark-connect-test-${t.name}`).create();
  t.after(() => spark.stop());
  return spark;
}

/** A unique name for tables, views, queries (letters, digits, underscores). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

export async function tempDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Creates topics with unique names, deleted after the test. */
export function createTopics(t: TestContext, ...suffixes: string[]): Promise<string[]> {
  return createTestTopics(t, "sc-test", suffixes, 2);
}

export { produce, waitForRecords as consume } from "../../support/kafka.js";

/** Polls `probe` until it returns a value other than undefined, or fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
