/**
 * `npm test`: unit tests, then integration tests against the real services. The stack is started
 * for the integration tests when it is not already up, and stopped again only if this run started it.
 *   --unit            unit tests only
 *   --integration     integration tests only
 *   <path fragment>   only test files whose path contains it
 */
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { loadConfig } from "../src/config.js";
import { serviceUp, stackDown, stackStatus, stackUp } from "../src/stack/stack.js";

const args = process.argv.slice(2);
const only = args.filter((arg) => !arg.startsWith("--"));
const wantUnit = !args.includes("--integration");
const wantIntegration = !args.includes("--unit");

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...testFiles(path));
    else if (entry.endsWith(".test.ts")) found.push(relative(process.cwd(), path));
  }
  return found.filter((file) => only.length === 0 || only.some((fragment) => file.includes(fragment))).sort();
}

function runNodeTest(files: string[], concurrency: number): Promise<number> {
  if (files.length === 0) return Promise.resolve(0);
  const child = spawn(
    process.execPath,
    ["--conditions=spark-connect-ts-source", "--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...files],
    { stdio: "inherit" },
  );
  return new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
}

const log = (message: string): void => void process.stderr.write(`[test] ${message}\n`);
let failed = false;

if (wantUnit) failed = (await runNodeTest(testFiles("test/unit"), 2)) !== 0 || failed;

const integration = wantIntegration ? testFiles("test/integration") : [];
if (integration.length > 0) {
  const config = loadConfig();
  const statuses = await stackStatus(config);
  const alreadyUp = statuses.every((service) => service.mode === "external" || service.healthy);
  // STEDI_EXTERNAL=spark with no Spark running is how most app and CDC tests are run: say which
  // tests will fail instead of refusing to run any.
  const externalDown = statuses.filter((service) => service.mode === "external" && !service.healthy);
  for (const service of externalDown) log(`warning: ${service.name} is external (STEDI_EXTERNAL) and does not answer; the tests that need it will fail`);
  if (alreadyUp) log("using the stack that is already up");
  else if (externalDown.length === 0) {
    log("starting the stack for the integration tests");
    await stackUp(config, log);
  } else {
    log("starting the stack's own services for the integration tests");
    for (const service of statuses) if (service.mode !== "external") await serviceUp(config, service.name, log);
  }
  try {
    failed = (await runNodeTest(integration, 1)) !== 0 || failed;
  } finally {
    if (!alreadyUp) await stackDown(config, log);
  }
}

process.exitCode = failed ? 1 : 0;
