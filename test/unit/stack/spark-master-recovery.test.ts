/**
 * How a master restart is survived: the master keeps its cluster in the runtime folder and counts as
 * serving while it recovers it, and a worker is judged by itself when the master does not answer.
 * The probes run against small HTTP servers that answer as Spark's /json/ pages do.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../../src/config.js";
import { stackLayout } from "../../../src/stack/layout.js";
import { sparkMasterService, sparkWorkerService } from "../../../src/stack/services/spark.js";

/** A server answering /json/ with whatever `answer` holds at the time. */
async function jsonPage(t: TestContext, answer: { body: unknown }): Promise<number> {
  const server: Server = createServer((_, response) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer.body)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: one that was free a moment ago. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test("the master keeps its cluster under the runtime folder (FILESYSTEM recovery), set before its main class", () => {
  const config = loadConfig({ STEDI_HOME: "/rt", XDG_CACHE_HOME: "/cache" }, "/");
  const args = sparkMasterService.launch({ config, layout: stackLayout(config, { XDG_CACHE_HOME: "/cache" }), progress: () => undefined }).args;
  const main = args.indexOf("org.apache.spark.deploy.master.Master");
  assert.ok(args.indexOf("-Dspark.deploy.recoveryMode=FILESYSTEM") >= 0 && args.indexOf("-Dspark.deploy.recoveryMode=FILESYSTEM") < main);
  assert.ok(args.indexOf("-Dspark.deploy.recoveryDirectory=/rt/spark/recovery") >= 0 && args.indexOf("-Dspark.deploy.recoveryDirectory=/rt/spark/recovery") < main);
});

test("a fresh cluster does not recover the members of one that is gone", async (t) => {
  const home = await mkdtemp(join(tmpdir(), "stedi-master-recovery-"));
  t.after(() => rm(home, { recursive: true, force: true }));
  const config = loadConfig({ STEDI_HOME: home }, "/");
  const layout = stackLayout(config);
  await mkdir(join(layout.sparkDir, "recovery"), { recursive: true });
  await writeFile(join(layout.sparkDir, "recovery", "worker_worker-20260101000000-127.0.0.1-40000"), "left by a cluster that was killed");
  // No worker of this stack runs: what the folder holds would make the master wait for the dead.
  await sparkMasterService.prepare({ config, layout, progress: () => undefined });
  assert.deepEqual(await readdir(join(layout.sparkDir, "recovery")), []);
});

test("a master RECOVERING its cluster is serving; STANDBY is not", async (t) => {
  const master = { body: { status: "RECOVERING", workers: [] } as unknown };
  const config = loadConfig({ SPARK_MASTER_WEBUI_PORT: String(await jsonPage(t, master)) }, "/");
  assert.equal((await sparkMasterService.probe(config)).healthy, true);
  master.body = { status: "STANDBY", workers: [] };
  assert.deepEqual(await sparkMasterService.probe(config), { healthy: false, detail: "master status is STANDBY" });
});

test("a worker is judged by the master when it answers, by itself when it does not", async (t) => {
  const workerPort = await jsonPage(t, { body: { id: "worker-1" } });
  const master = { body: { status: "ALIVE", workers: [{ id: "worker-1", state: "ALIVE", cores: 2, memory: 2048 }] } as unknown };
  const masterPort = await jsonPage(t, master);
  const worker = sparkWorkerService(1);
  const withMaster = loadConfig({ SPARK_WORKER_WEBUI_PORT: String(workerPort), SPARK_MASTER_WEBUI_PORT: String(masterPort) }, "/");
  assert.equal((await worker.probe(withMaster)).healthy, true);
  master.body = { status: "ALIVE", workers: [{ id: "worker-1", state: "DEAD", cores: 2, memory: 2048 }] };
  assert.equal((await worker.probe(withMaster)).healthy, false, "the master says this worker is dead");
  // The master is away (killed, restarting): the worker keeps its executors and re-registers by itself.
  const masterAway = loadConfig({ SPARK_WORKER_WEBUI_PORT: String(workerPort), SPARK_MASTER_WEBUI_PORT: String(await closedPort()) }, "/");
  assert.deepEqual(await worker.probe(masterAway), { healthy: true, detail: "worker worker-1 serving; the master does not answer" });
});
