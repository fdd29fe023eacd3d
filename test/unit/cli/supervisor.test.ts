import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { formatDuration, readSupervisorState, Supervisor, type Supervised, type SupervisionPolicy } from "../../../src/cli/supervisor.js";

/** A process stand-in the test crashes or freezes; counts its starts and stops. */
class FakeProcess implements Supervised {
  readonly name: string;
  readonly logFile = "/dev/null";
  starts = 0;
  kills = 0;
  ending: string | undefined;
  frozen = false;
  failStarts = 0;

  constructor(name: string) {
    this.name = name;
  }

  async start(): Promise<string> {
    this.starts += 1;
    if (this.failStarts > 0) {
      this.failStarts -= 1;
      throw new Error("port held");
    }
    this.ending = undefined;
    this.frozen = false;
    return "serving";
  }

  pid(): number | undefined {
    return this.ending ? undefined : 1000 + this.starts;
  }

  ended(): string | undefined {
    return this.ending;
  }

  async healthy(): Promise<boolean> {
    return !this.frozen && !this.ending;
  }

  async stop(graceMs: number): Promise<"stopped" | "killed"> {
    if (this.ending) return "stopped";
    if (graceMs === 0) this.kills += 1;
    this.ending = graceMs === 0 ? "signal SIGKILL" : "code 0";
    return "stopped";
  }
}

const FAST: SupervisionPolicy = { backoff: { initialMs: 50, maxMs: 400 }, resetAfterMs: 1_500, unresponsiveMs: 300, probeEveryMs: 50 };

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

test("a process that exits is restarted, with one line that says how it ended and which restart this is", async (t) => {
  const home = await mkdtemp(join(tmpdir(), "stedi-supervisor-"));
  t.after(() => rm(home, { recursive: true, force: true }));
  const lines: string[] = [];
  const supervisor = new Supervisor((line) => lines.push(line), home, FAST);
  t.after(() => supervisor.stop(0)); // a failed wait must not leave its timers running
  const kafka = new FakeProcess("kafka");
  await supervisor.start(kafka);
  kafka.ending = "signal SIGKILL";
  await until("the restart", () => kafka.starts === 2 && kafka.ending === undefined);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^kafka exited \(signal SIGKILL\) after \d+s; restarting in 0\.05 s \(restart 1\)$/);
  // The state file is written once the restart has finished, a moment after the process is up.
  let state = await readSupervisorState(home);
  for (const deadline = Date.now() + 5_000; state?.services[0]?.state !== "up" && Date.now() < deadline; state = await readSupervisorState(home)) await sleep(20);
  assert.equal(state?.services[0]?.restarts, 1);
  assert.equal(state?.services[0]?.state, "up");
  await supervisor.stop(0);
  assert.equal((await readSupervisorState(home))?.services[0]?.state, "stopped");
});

test("a frozen process (its probe fails) is killed and restarted; failed restarts back off, doubling", async (t) => {
  const home = await mkdtemp(join(tmpdir(), "stedi-supervisor-"));
  t.after(() => rm(home, { recursive: true, force: true }));
  const lines: string[] = [];
  const supervisor = new Supervisor((line) => lines.push(line), home, FAST);
  t.after(() => supervisor.stop(0)); // a failed wait must not leave its timers running
  const connect = new FakeProcess("spark-connect");
  await supervisor.start(connect);
  connect.failStarts = 2;
  connect.frozen = true;
  await until("the restart after two failed attempts", () => connect.starts === 4 && connect.ending === undefined);
  assert.equal(connect.kills >= 1, true, "the frozen process was killed");
  assert.match(lines[0]!, /^spark-connect did not answer its health probe for \d+ s, killed \(SIGKILL\) after \d+s; restarting in 0\.05 s \(restart 1\)$/);
  assert.match(lines[1]!, /could not restart: port held .*restarting in 0\.1 s \(restart 2\)$/);
  assert.match(lines[2]!, /restarting in 0\.2 s \(restart 3\)$/);
  await supervisor.stop(0);
});

test("after a healthy spell the back-off starts from its first step again", async (t) => {
  const home = await mkdtemp(join(tmpdir(), "stedi-supervisor-"));
  t.after(() => rm(home, { recursive: true, force: true }));
  const lines: string[] = [];
  const supervisor = new Supervisor((line) => lines.push(line), home, FAST);
  t.after(() => supervisor.stop(0)); // a failed wait must not leave its timers running
  const app = new FakeProcess("app");
  await supervisor.start(app);
  app.ending = "code 1";
  await until("the first restart", () => app.starts === 2);
  app.ending = "code 1";
  await until("the second restart", () => app.starts === 3);
  assert.match(lines[1]!, /restarting in 0\.1 s \(restart 2\)$/, "a quick second crash waits longer");
  await sleep(FAST.resetAfterMs + 300);
  app.ending = "code 1";
  await until("the third restart", () => app.starts === 4);
  assert.match(lines[2]!, /restarting in 0\.05 s \(restart 3\)$/, "healthy for a while: the first step again");
  await supervisor.stop(0);
});

test("durations read as the console shows them", () => {
  assert.equal(formatDuration(4_400), "4s");
  assert.equal(formatDuration(192_000), "3m12s");
  assert.equal(formatDuration(3_720_000), "1h02m");
});
