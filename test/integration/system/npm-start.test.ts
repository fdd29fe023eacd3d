import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser } from "../../support/browser.js";
import { createTopics } from "../../support/kafka.js";

const PORT = 14567;

test("the whole system, started as `npm start` does, plots simulated risk scores on the graph page", { timeout: 600_000 }, async (t) => {
  const home = await mkdtemp(join(tmpdir(), "stedi-system-"));
  t.after(() => rm(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 }));
  // Own topics and runtime folder, so that this run starts from empty topics and a fresh CDC state;
  // the engines are the test run's stack, used as external services.
  const [redisTopic, eventsTopic, riskTopic] = await createTopics(t, "system", ["redis-server", "stedi-events", "customer-risk"]);
  const env = { ...process.env, STEDI_HOME: home, STEDI_EXTERNAL: "redis,kafka,spark", STEDI_PORT: String(PORT), KAFKA_REDIS_TOPIC: redisTopic!, KAFKA_EVENTS_TOPIC: eventsTopic!, KAFKA_RISK_TOPIC: riskTopic! };
  const output: Buffer[] = [];
  const start = spawn(process.execPath, [...process.execArgv, "src/cli.ts", "start", "--sim-speed", "120"], { env, stdio: ["ignore", "pipe", "pipe"] });
  start.stdout.on("data", (chunk: Buffer) => output.push(chunk));
  start.stderr.on("data", (chunk: Buffer) => output.push(chunk));
  const exited = new Promise<number | null>((resolve) => start.once("exit", resolve));
  t.after(() => void start.kill("SIGKILL"));
  const text = (): string => Buffer.concat(output).toString();

  const deadline = Date.now() + 240_000;
  while (!text().includes("Press Ctrl-C to stop.")) {
    if (Date.now() > deadline || start.exitCode !== null) assert.fail(`npm start did not come up:\n${text()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.match(text(), new RegExp(`Risk graph: +http://127\\.0\\.0\\.1:${PORT}/graph\\.html`));

  const browser = await launchBrowser(t);
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  page.setDefaultTimeout(120_000);
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await page.locator("#demo:not([hidden])").waitFor();
  await page.fill("#password", "stedi-demo-2024");
  await page.click("button[type=submit]");
  await page.waitForURL(/find\.html/);
  await page.goto(`http://127.0.0.1:${PORT}/graph.html`);
  // The simulation's customers take four tests each before a first score: points follow within a minute.
  await page.locator("#latest td", { hasText: "@test.com" }).first().waitFor();
  const points = await page.evaluate(() => {
    const chart = (window as unknown as { Chart: { getChart(id: string): { data: { datasets: { data: unknown[] }[] } } } }).Chart.getChart("chart");
    return chart.data.datasets.reduce((sum, set) => sum + set.data.length, 0);
  });
  assert.ok(points > 0, "the graph plots points");
  await page.screenshot({ path: join(".stedi", "screenshots", "system-graph.png"), fullPage: true }).catch(() => undefined);

  start.kill("SIGINT");
  assert.equal(await exited, 0, `npm start exits cleanly on Ctrl-C:\n${text()}`);
  // Regression: children kept alive by their IPC channel were only ended by the supervisor's SIGKILL.
  assert.doesNotMatch(text(), /killed, it did not stop/);
  assert.match(text(), /customer-risk: stopped[\s\S]*app: stopped[\s\S]*cdc: stopped/);
  const jobLog = await readFile(join(home, "logs", "kafkajoinconsole.log"), "utf8");
  assert.match(jobLog, /query started: id [0-9a-f-]{36}/, "the job logged its query id");
  assert.match(jobLog, /batch \d+: \d+ input rows, [1-9]\d* output rows/, `the job logged the batches that produced the points:\n${jobLog}`);
});
