/**
 * The chaos test: the whole system as `npm start` runs it (its own stack, on its own fixed ports in
 * 27000–27999 and a private STEDI_HOME, so it collides neither with CI's other tests nor with a
 * running `npm start`), under the simulation's load. Every one of the eight processes is killed with
 * SIGKILL in turn, the Connect server is frozen with SIGSTOP for 40 s, and Kafka is taken away for
 * 60 s (killed, its port held so that it cannot come back); then everything must be back and nothing
 * lost or duplicated — judged from Redis and the topics, never from the services' own counters.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import type { SupervisorState } from "../../../src/cli/supervisor.js";
import { loadConfig } from "../../../src/config.js";
import { parseCustomer } from "../../../src/domain/customer.js";
import { parseRapidStepTest } from "../../../src/domain/rapid-step-test.js";
import { redisKeys, secretKeys } from "../../../src/app/services/redis-keys.js";
import { TESTS_FOR_RISK_SCORE } from "../../../src/domain/risk-score.js";
import { stackDown } from "../../../src/stack/stack.js";
import { compareJoin, customersIn, expectedJoin, rowOf, type JoinComparison } from "../../support/customer-risk-join.js";
import { readToEnd, type KafkaRecord } from "../../support/kafka.js";

const PORTS = {
  REDIS_PORT: "27379",
  KAFKA_BROKER: "127.0.0.1:27092",
  KAFKA_CONTROLLER_PORT: "27093",
  SPARK_MASTER: "spark://127.0.0.1:27077",
  SPARK_MASTER_WEBUI_PORT: "27080",
  SPARK_WORKER_WEBUI_PORT: "27081",
  SPARK_REMOTE: "sc://127.0.0.1:27002",
  STEDI_PORT: "27567",
};
const PROCESSES = ["redis", "kafka", "spark-master", "spark-worker", "spark-connect", "cdc", "app", "customer-risk"] as const;

test("npm start brings every process back after SIGKILL, SIGSTOP and a Kafka outage, losing and duplicating nothing", { timeout: 1_200_000 }, async (t) => {
  const home = await mkdtemp(join(tmpdir(), "stedi-chaos-"));
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...PORTS, STEDI_HOME: home };
  delete env.STEDI_EXTERNAL;
  const config = loadConfig(env);
  // Where a failed run leaves its evidence: the topics, Redis's tests and the stack's logs.
  const dumpDir = join(tmpdir(), `stedi-chaos-failure-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  let passed = false;

  const output: Buffer[] = [];
  const start = spawn(process.execPath, [...process.execArgv, "src/cli.ts", "start", "--sim-speed", "120"], { env, stdio: ["ignore", "pipe", "pipe"] });
  start.stdout.on("data", (chunk: Buffer) => output.push(chunk));
  start.stderr.on("data", (chunk: Buffer) => output.push(chunk));
  const exited = new Promise<number | null>((resolve) => start.once("exit", resolve));
  const text = (): string => Buffer.concat(output).toString();
  /** Clients the test opened, closed before the stack goes down (a client left retrying keeps the test process alive). */
  const closers: (() => void)[] = [];
  t.after(async () => {
    for (const close of closers) close();
    // The supervisor's own lines, for the record: every restart it made and why.
    for (const line of text().split("\n")) if (/restarting in|could not restart/.test(line)) console.log(`chaos: npm start said: ${line}`);
    if (start.exitCode === null && start.signalCode === null) {
      start.kill("SIGINT");
      // Unreferenced: a pending timer would keep the test process alive after the test.
      if ((await Promise.race([exited.then(() => true), sleep(120_000, false, { ref: false })])) === false) {
        console.log("chaos: npm start did not stop within 120 s of Ctrl-C; killed");
        start.kill("SIGKILL");
        await exited;
      }
    }
    start.stdout.destroy();
    start.stderr.destroy();
    // Whatever npm start left behind (it was killed, or a restart raced the Ctrl-C) goes by its pid files.
    await stackDown(config, () => undefined);
    for (const pid of await processesOf(home)) {
      console.log(`chaos: pid ${pid} of this run's stack outlived it; killed`);
      process.kill(pid, "SIGKILL");
    }
    if (!passed) {
      await mkdir(dumpDir, { recursive: true });
      await writeFile(join(dumpDir, "npm-start.log"), text());
      await cp(join(home, "logs"), join(dumpDir, "logs"), { recursive: true }).catch(() => undefined);
      console.log(`chaos: the run's evidence is in ${dumpDir}`);
    }
    await rm(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
  });
  const writeDump = async (data: Record<string, unknown>): Promise<void> => {
    await mkdir(dumpDir, { recursive: true });
    for (const [name, value] of Object.entries(data)) {
      const lines = Array.isArray(value) ? value.map((item) => JSON.stringify(item)).join("\n") : JSON.stringify(value, null, 1);
      await writeFile(join(dumpDir, `${name}.jsonl`), lines + "\n");
    }
  };

  const waitFor = async (what: string, timeoutMs: number, check: () => Promise<boolean> | boolean): Promise<number> => {
    const since = Date.now();
    while (!(await check())) {
      if (Date.now() - since > timeoutMs) assert.fail(`timed out after ${timeoutMs / 1000} s waiting for ${what}; npm start said:\n${text()}`);
      await sleep(250);
    }
    return Date.now() - since;
  };
  const supervised = async (): Promise<SupervisorState["services"]> => {
    try {
      return (JSON.parse(await readFile(join(home, "supervisor.json"), "utf8")) as SupervisorState).services;
    } catch {
      return [];
    }
  };
  const serviceState = async (name: string) => (await supervised()).find((service) => service.name === name);

  await waitFor("npm start to come up", 420_000, () => text().includes("Press Ctrl-C to stop."));
  // Some load first: customers past their 4th test, scores on the way to customer-risk.
  await waitFor("the first joined risk scores", 180_000, async () => (await readToEnd(config.kafka.topics.customerRisk, 5_000, PORTS.KAFKA_BROKER)).length > 0);

  const faults: { fault: string; recoveryMs: number }[] = [];
  /** Applies a fault to a process, then waits until the supervisor reports a new one serving. */
  const inject = async (fault: string, name: string, act: (pid: number) => Promise<void>): Promise<void> => {
    // One fault at a time: a restart can set off another (a worker re-registers with a new master).
    await waitFor("every process to be up before the next fault", 240_000, async () => {
      const services = await supervised();
      return PROCESSES.every((process) => services.find((service) => service.name === process)?.state === "up");
    });
    const before = await serviceState(name);
    assert.ok(before?.pid && before.state === "up", `${name} is supervised and up before the fault`);
    const injected = Date.now();
    await act(before.pid);
    await waitFor(`${name} to be back after ${fault}`, 240_000, async () => {
      const now = await serviceState(name);
      return now !== undefined && now.state === "up" && now.pid !== before.pid && now.restarts > before.restarts;
    });
    const recoveryMs = Date.now() - injected;
    faults.push({ fault: `${fault} ${name}`, recoveryMs });
    console.log(`chaos: ${fault} ${name}: back in ${(recoveryMs / 1000).toFixed(1)} s`);
  };

  for (const name of PROCESSES) {
    await inject("SIGKILL", name, async (pid) => {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // It ended by itself a moment before (a worker after its master's restart): the supervisor restarts it all the same.
        console.log(`chaos: ${name} (pid ${pid}) had already ended when the SIGKILL came`);
      }
    });
  }
  await inject("SIGSTOP 40 s", "spark-connect", async (pid) => {
    process.kill(pid, "SIGSTOP");
    // The supervisor should have replaced it long before; a SIGCONT to a dead pid is harmless.
    await sleep(40_000);
    try {
      process.kill(pid, "SIGCONT");
    } catch {
      // already killed by the supervisor
    }
  });
  await inject("away 60 s", "kafka", async (pid) => {
    process.kill(pid, "SIGKILL");
    // Holding the broker's port makes every restart fail until it is released.
    const squatter = createServer((socket) => socket.destroy());
    await waitFor("the broker's port to free", 10_000, () => new Promise((resolve) => squatter.once("error", () => resolve(false)).listen(Number(PORTS.KAFKA_BROKER.split(":")[1]), "127.0.0.1", () => resolve(true))));
    await sleep(60_000);
    await new Promise((resolve) => squatter.close(resolve));
  });
  console.log(`chaos: every fault injected and recovered from at ${new Date().toISOString()}`);
  for (const name of PROCESSES) assert.equal((await serviceState(name))?.state, "up", `${name} is up at the end`);
  assert.match(text(), /kafka exited \(signal SIGKILL\) after \S+; restarting in 1 s \(restart 1\)/, "one restart line per fault");
  assert.match(text(), /spark-connect did not answer its health probe for \d+ s, killed \(SIGKILL\)/);

  // Every test stored from a customer's 4th on has its score on stedi-events (the outbox drains).
  const redis = new Redis({ host: "127.0.0.1", port: Number(PORTS.REDIS_PORT), db: config.redis.db, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on("error", () => undefined);
  closers.push(() => redis.disconnect());
  const stored = new Map<string, { birthYear: string; riskDates: string[] }>();
  for (const [email, json] of Object.entries(await redis.hgetall(redisKeys.customerByEmail))) {
    const customer = parseCustomer(json);
    if (!customer.ok) continue;
    const tests = (await redis.zrange(redisKeys.testsOf(email), 0, -1)).map((member) => parseRapidStepTest(member)).flatMap((test) => (test.ok ? [test.value] : []));
    // A test from the customer's 4th on carries a score dated by its stopTime.
    const riskDates = tests.slice(TESTS_FOR_RISK_SCORE - 1).map((test) => new Date(test.stopTime).toISOString());
    stored.set(email, { birthYear: customer.value.birthDay.split("-")[0]!, riskDates });
  }
  const owed = [...stored.values()].reduce((sum, customer) => sum + customer.riskDates.length, 0);
  const scoreKey = (customer: string, riskDate: string): string => `${customer}|${riskDate}`;
  const missingScores = (events: readonly KafkaRecord[]): string[] => {
    const published = new Set(events.map((record) => JSON.parse(record.value) as { customer: string; riskDate: string }).map((event) => scoreKey(event.customer, event.riskDate)));
    return [...stored].flatMap(([email, customer]) => customer.riskDates.map((riskDate) => scoreKey(email, riskDate)).filter((score) => !published.has(score)));
  };
  const readTopic = (topic: string): Promise<KafkaRecord[]> => readToEnd(topic, 60_000, PORTS.KAFKA_BROKER);
  await waitFor("every score owed to reach stedi-events", 180_000, async () => missingScores(await readTopic(config.kafka.topics.stediEvents)).length === 0).catch(() => undefined);
  const outboxBacklog = await redis.call("SELECT", config.redis.secretsDb).then(() => redis.xlen(secretKeys.outbox(config.kafka.topics.stediEvents)));

  // customer-risk holds exactly the join of its inputs, as the job sees them: each customer's
  // first Customer record on redis-server, each distinct (customer, riskDate) score on stedi-events.
  // The simulation goes on meanwhile, so the inputs are read twice: every row of the join of the
  // inputs read now must reach customer-risk (nothing lost), and every record customer-risk then
  // holds must be a row of the join of the inputs read after it (nothing unexpected or duplicated).
  // Each record names its score (key + stedi-risk-date header), so a batch Spark's at-least-once
  // sink wrote again after a crash is told apart from equal scores: re-written, reported, allowed.
  const redisServer = await readTopic(config.kafka.topics.redisServer);
  const events = await readTopic(config.kafka.topics.stediEvents);
  const missing = missingScores(events);
  const expected = expectedJoin(customersIn(redisServer), events);
  let customerRisk: KafkaRecord[] = [];
  const compare = async (): Promise<JoinComparison> => compareJoin(expected, (customerRisk = await readTopic(config.kafka.topics.customerRisk)));
  await waitFor("the join to reach customer-risk", 240_000, async () => (await compare()).lost.length === 0).catch(() => undefined);
  const { lost } = await compare();
  const redisServerAfter = await readTopic(config.kafka.topics.redisServer);
  const eventsAfter = await readTopic(config.kafka.topics.stediEvents);
  const { written, expected: expectedAfter, unexpected, duplicated, rewritten, rewrittenScores, unidentified } = compareJoin(expectedJoin(customersIn(redisServerAfter), eventsAfter), customerRisk);
  const comparison = { written, expected: expectedAfter, lost, unexpected, duplicated, rewritten, rewrittenScores, unidentified };
  const republished = eventsAfter.length - new Set(eventsAfter.map((record) => JSON.parse(record.value) as { customer: string; riskDate: string }).map((event) => scoreKey(event.customer, event.riskDate))).size;

  for (const { fault, recoveryMs } of faults) console.log(`chaos: ${fault}: recovered in ${(recoveryMs / 1000).toFixed(1)} s`);
  console.log(`chaos: scores owed by Redis ${owed}, missing on stedi-events ${missing.length} (outbox backlog ${outboxBacklog}, ${republished} re-published copies)`);
  console.log(`chaos: customer-risk ${comparison.written} records for ${comparison.expected} expected (${expected.size} scores read before it): lost ${comparison.lost.length}, duplicated ${comparison.duplicated}, unexpected ${comparison.unexpected.length}, without the identity header ${comparison.unidentified}; re-written (allowed) ${comparison.rewritten} copies of ${comparison.rewrittenScores} scores`);
  if (missing.length > 0 || comparison.lost.length > 0 || comparison.unexpected.length > 0 || comparison.duplicated > 0 || comparison.unidentified > 0) {
    await writeDump({ redisServer: redisServerAfter, events: eventsAfter, customerRisk, stored: Object.fromEntries(stored) });
    const explained = [
      ...missing.slice(0, 5).map((score) => `missing on stedi-events: ${score}`),
      ...comparison.lost.slice(0, 5).map((row) => `lost: ${row}; ${historyOf(row, redisServerAfter, eventsAfter, customerRisk, stored)}`),
      ...comparison.unexpected.slice(0, 5).map((row) => `unexpected: ${row}; ${historyOf(row, redisServerAfter, eventsAfter, customerRisk, stored)}`),
    ];
    for (const line of explained) console.log(`chaos: ${line}`);
  }
  assert.ok(owed > 0, "the simulation stored tests with scores");
  assert.deepEqual(missing.slice(0, 10), [], `every test from a customer's 4th on has its score on stedi-events (${missing.length} missing)`);
  assert.deepEqual(comparison.lost.slice(0, 10), [], `customer-risk lost nothing (${comparison.lost.length} lost)`);
  assert.deepEqual(comparison.unexpected.slice(0, 10), [], `customer-risk holds nothing but the join (${comparison.unexpected.length} unexpected)`);
  assert.equal(comparison.duplicated, 0, "customer-risk wrote no score with two values");
  assert.equal(comparison.unidentified, 0, "every customer-risk record names its score (the stedi-risk-date header)");

  start.kill("SIGINT");
  assert.equal(await exited, 0, `npm start exits cleanly on Ctrl-C:\n${text()}`);
  assert.doesNotMatch(text(), /warning: port \d+ is still held/, "Ctrl-C frees every port");
  assert.deepEqual(await processesOf(home), [], "Ctrl-C ends every process of the stack");
  passed = true;
});

/** The processes that belong to the stack in `home`: its path in their command line (the JVMs, Redis) or their STEDI_HOME. */
async function processesOf(home: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const [cmdline, environ] = await Promise.all([readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => ""), readFile(`/proc/${entry}/environ`, "utf8").catch(() => "")]);
    if (cmdline.includes(home) || environ.split("\0").includes(`STEDI_HOME=${home}`)) pids.push(Number(entry));
  }
  return pids;
}

/** What the topics and Redis say about a customer-risk row (customer|score|birthYear): why it is lost or unexpected. */
function historyOf(row: string, redisServer: readonly KafkaRecord[], events: readonly KafkaRecord[], customerRisk: readonly KafkaRecord[], stored: ReadonlyMap<string, { birthYear: string; riskDates: string[] }>): string {
  const [customer = "", score = ""] = row.split("|");
  const birthYears: string[] = [];
  for (const record of redisServer) {
    const command = JSON.parse(record.value) as { key?: string; zSetEntries?: { element: string }[] };
    if (Buffer.from(command.key ?? "", "base64").toString() !== "Customer") continue;
    for (const entry of command.zSetEntries ?? []) {
      const member = JSON.parse(Buffer.from(entry.element, "base64").toString()) as { email?: string; birthDay?: string };
      if (member.email === customer) birthYears.push(member.birthDay?.split("-")[0] ?? "?");
    }
  }
  const scores = events
    .map((record, offset) => ({ offset, event: JSON.parse(record.value) as { customer: string; score: number; riskDate: string } }))
    .filter(({ event }) => event.customer === customer && String(event.score) === score)
    .map(({ offset, event }) => `${event.riskDate}@${offset}${stored.get(customer)?.riskDates.includes(event.riskDate) ? "" : " (no such test in Redis)"}`);
  const written = customerRisk
    .map((record, offset) => ({ offset, row: rowOf(record) }))
    .filter((written) => written.row.startsWith(`${customer}|${score}|`))
    .map((written) => `${written.row.split("|")[2]}@${written.offset}`);
  return `birth years on redis-server [${birthYears.join(",")}], in Redis ${stored.get(customer)?.birthYear ?? "none"}; stedi-events scores [${scores.join(", ")}]; customer-risk rows (birthYear@offset) [${written.join(", ")}]`;
}
