/**
 * What the app's integration tests share: an app built in-process on port 0 against the real Redis
 * and Kafka (closed with t.after), unique topics (deleted with t.after), a logged-in API client and
 * a Kafka reader that waits for records with a bounded wait.
 */
import { randomUUID } from "node:crypto";
import type { TestContext } from "node:test";
import { Redis } from "ioredis";
import { loadConfig, type StediConfig } from "../../../src/config.js";
import { startApp, type RunningApp } from "../../../src/app/server.js";
import type { AppOverrides } from "../../../src/app/options.js";
import { createTopics } from "../../support/kafka.js";

export const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;
export const uniqueEmail = (name = "customer"): string => `${unique(name)}@stedi-test.example`;

/** Creates a topic only this test uses, deleted afterwards. */
export async function uniqueTopic(t: TestContext, prefix: string): Promise<string> {
  const [topic] = await createTopics(t, `test-${prefix}`, ["topic"]);
  return topic!;
}

/** Reads a topic from the beginning until `count` records arrived (or fails after `timeoutMs`). */
export { waitForRecords as readRecords, produce } from "../../support/kafka.js";

export interface TestApp extends RunningApp {
  readonly config: StediConfig;
  /** Calls the API; `token` defaults to the logged-in session, null sends none. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are checked field by field with assert
  call(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: any; headers: Headers }>;
  readonly token: string;
}

/**
 * An app on port 0 whose risk scores go to a topic of this test (unless `env` names one): scores on
 * the shared `stedi-events` would reach a running system's job, and its outbox (per topic) too.
 */
export async function buildApp(t: TestContext, env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<TestApp> {
  const eventsTopic = env.KAFKA_EVENTS_TOPIC ?? (await uniqueTopic(t, "events"));
  const config = loadConfig({ ...process.env, STEDI_PORT: "0", ...env, KAFKA_EVENTS_TOPIC: eventsTopic });
  const app = await startApp(config, { scryptCost: 1024, logLevel: "warn", demoUser: null, riskFeed: false, ...overrides });
  t.after(() => app.close());
  let session = "";
  const call: TestApp["call"] = async (method, path, body, token = session) => {
    const headers: Record<string, string> = {};
    if (token) headers["suresteps.session.token"] = token;
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(app.url + path, { method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
    const text = await response.text();
    const json = (response.headers.get("content-type") ?? "").includes("json") && text !== "" ? JSON.parse(text) : text;
    return { status: response.status, body: json, headers: response.headers };
  };
  const userName = unique("user");
  t.after(async () => {
    const secrets = new Redis({ ...redisAddress(), db: config.redis.secretsDb });
    await secrets.del(`User:${userName}`).finally(() => secrets.quit());
  });
  const password = "correct horse battery";
  const created = await call("POST", "/user", { userName, email: `${userName}@stedi-test.example`, phone: "8015551212", birthDate: "1980-05-06", password, verifyPassword: password }, null);
  if (created.status !== 201) throw new Error(`creating the test user failed: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await call("POST", "/login", { userName, password }, null);
  if (login.status !== 200) throw new Error(`logging in the test user failed: ${login.status} ${JSON.stringify(login.body)}`);
  session = login.body as string;
  return { ...app, config, call, token: session };
}

/** A Redis client on the data db for checks, closed afterwards. */
export function redisFor(t: TestContext, db = loadConfig().redis.db): Redis {
  const redis = new Redis({ ...redisAddress(), db });
  t.after(() => redis.quit());
  return redis;
}

/** A finished 30-step test starting at `start` (ms) and lasting `ms`. */
export function finishedTest(customer: string, start: number, ms: number): Record<string, unknown> {
  return { customer, startTime: start, stepPoints: Array.from({ length: 30 }, () => Math.floor(ms / 30)), stopTime: start + ms, testTime: ms, totalSteps: 30 };
}

/** Removes a test customer and their tests from the shared Redis after the test. */
export function forgetCustomerAfter(t: TestContext, email: string): void {
  t.after(async () => {
    const redis = new Redis({ ...redisAddress(), db: loadConfig().redis.db });
    try {
      const tests = await redis.zrange(`RapidStepTest:${email}`, 0, -1);
      const customer = await redis.hget("CustomerByEmail", email);
      const batch = redis.multi().del(`RapidStepTest:${email}`).hdel("CustomerByEmail", email);
      if (tests.length > 0) batch.zrem("RapidStepTest", ...tests);
      if (customer !== null) batch.zrem("Customer", customer);
      await batch.exec();
    } finally {
      await redis.quit();
    }
  });
}

function redisAddress(): { host: string; port: number; password: string | undefined } {
  const { host, port, password } = loadConfig().redis;
  return { host, port, password };
}

export interface SseEvent {
  readonly event: string;
  readonly id: string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked by the tests
  readonly data: any;
}

/** Opens the risk stream like a page does and collects its events; `next` waits for a matching one. */
export async function openRiskStream(t: TestContext, app: TestApp, lastEventId?: string) {
  const controller = new AbortController();
  const headers: Record<string, string> = { "suresteps.session.token": app.token, accept: "text/event-stream" };
  if (lastEventId) headers["last-event-id"] = lastEventId;
  const response = await fetch(`${app.url}/risk/stream`, { headers, signal: controller.signal });
  if (response.status !== 200 || !response.body) throw new Error(`the risk stream answered ${response.status}`);
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split("\n")) {
          const colon = line.indexOf(":");
          if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        if (!fields.has("event")) continue;
        events.push({ event: fields.get("event") as string, id: fields.get("id"), data: JSON.parse(fields.get("data") ?? "null") });
        for (const wake of waiters) wake();
      }
    }
  })().catch(() => undefined);
  t.after(async () => {
    controller.abort();
    await reading;
  });
  return {
    events,
    headers: response.headers,
    /** The first event (from the start) matching `match`, or a failure naming what was seen. */
    async next(match: (event: SseEvent) => boolean, what: string, timeoutMs = 10_000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no ${what} on the risk stream within ${timeoutMs} ms; saw ${JSON.stringify(events.map((e) => e.event))}`);
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, 200);
          waiters.add(wake);
        });
      }
    },
    close: () => controller.abort(),
  };
}

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
