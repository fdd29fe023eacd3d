/**
 * `npm run bench -- system [--tests 24]`
 *
 * The whole system as `npm start` runs it (CDC source, app, customer-risk job on Spark), on fresh
 * topics: the time from a therapist's 30th step — the app saving the test, as the timer page does on
 * the 30th click — to the customer's point arriving on an open risk graph (its SSE stream). The
 * first three tests of a customer have no score; every later one yields a point. The baseline is
 * the app alone: the time for the save itself.
 * Needs the stack up (`npx stedi stack up`).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Admin } from "@platformatic/kafka";
import { loadConfig } from "../../src/config.js";

const { values } = parseArgs({ options: { tests: { type: "string", default: "24" }, port: { type: "string", default: "14601" } } });
const tests = Math.max(5, Number(values.tests));
const port = Number(values.port);
const url = `http://127.0.0.1:${port}`;
const config = loadConfig();
const say = (message: string): void => void process.stdout.write(`${message}\n`);
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

const run = randomUUID().slice(0, 8);
const topics = { KAFKA_REDIS_TOPIC: `bench-system-${run}-redis-server`, KAFKA_EVENTS_TOPIC: `bench-system-${run}-stedi-events`, KAFKA_RISK_TOPIC: `bench-system-${run}-customer-risk` };
const admin = new Admin({ clientId: "bench-system", bootstrapBrokers: [config.kafka.broker] });
await admin.createTopics({ topics: Object.values(topics), partitions: 1, replicas: 1 });
const home = await mkdtemp(join(tmpdir(), "bench-system-"));
const env = { ...process.env, ...topics, STEDI_HOME: home, STEDI_PORT: String(port), STEDI_EXTERNAL: "redis,kafka,spark" };
const system = spawn(process.execPath, [...process.execArgv, "src/cli.ts", "start", "--no-sim"], { env, stdio: ["ignore", "pipe", "inherit"] });

try {
  say("starting the system (CDC source, app, customer-risk job)…");
  await new Promise<void>((resolve, reject) => {
    let output = "";
    system.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Press Ctrl-C to stop.")) resolve();
    });
    system.once("exit", (code) => reject(new Error(`stedi start exited (${code}) before it was up`)));
  });

  const token = await (await fetch(`${url}/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userName: "demo", password: "stedi-demo-2024" }) })).text();
  const headers = { "content-type": "application/json", "suresteps.session.token": token };
  const email = `Bench.Click${run}@test.com`;
  const created = await fetch(`${url}/customer`, { method: "POST", headers, body: JSON.stringify({ customerName: "Bench Click", email, phone: "8015551212", birthDay: "1955-05-05" }) });
  if (created.status !== 201) throw new Error(`creating the customer answered ${created.status}: ${await created.text()}`);

  // The graph page's stream: count this customer's points as they arrive.
  const stream = await fetch(`${url}/risk/stream`, { headers: { "suresteps.session.token": token, accept: "text/event-stream" } });
  let points = 0;
  let wake: (() => void) | undefined;
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
      const text = decoder.decode(chunk, { stream: true });
      for (const block of text.split("\n\n")) if (block.includes("event: risk") && block.includes(email)) points += 1;
      wake?.();
    }
  })().catch(() => undefined);
  const pointNumber = async (n: number, timeoutMs: number): Promise<void> => {
    const deadline = performance.now() + timeoutMs;
    while (points < n) {
      if (performance.now() > deadline) throw new Error(`point ${n} did not reach the graph within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
  };

  const toGraph: number[] = [];
  const saves: number[] = [];
  const start = Date.now() - tests * 600_000;
  for (let index = 0; index < tests; index += 1) {
    const ms = 61_000 + Math.floor(Math.random() * 59_000);
    const test = { customer: email, startTime: start + index * 600_000, stepPoints: Array.from({ length: 30 }, () => Math.floor(ms / 30)), stopTime: start + index * 600_000 + ms, testTime: ms, totalSteps: 30 };
    const clicked = performance.now();
    const saved = await fetch(`${url}/rapidsteptest`, { method: "POST", headers, body: JSON.stringify(test) });
    saves.push(performance.now() - clicked);
    if (saved.status !== 201) throw new Error(`saving test ${index + 1} answered ${saved.status}: ${await saved.text()}`);
    if (index < 3) continue;
    await pointNumber(index - 2, 30_000);
    toGraph.push(performance.now() - clicked);
  }
  const measured = toGraph.slice(1).sort((a, b) => a - b); // the first point also warms the job up
  saves.sort((a, b) => a - b);
  say(`30th step → point on the graph, ${measured.length} points: p50 ${percentile(measured, 50).toFixed(0)} ms, p99 ${percentile(measured, 99).toFixed(0)} ms, max ${(measured.at(-1) ?? Number.NaN).toFixed(0)} ms (target p50 ≤ 1500 ms)`);
  say(`baseline, the save alone (POST /rapidsteptest): p50 ${percentile(saves, 50).toFixed(1)} ms → the pipeline adds ×${(percentile(measured, 50) / percentile(saves, 50)).toFixed(0)}`);
} finally {
  system.kill("SIGINT");
  await new Promise((resolve) => system.once("exit", resolve));
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await admin.close();
  await rm(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
}
