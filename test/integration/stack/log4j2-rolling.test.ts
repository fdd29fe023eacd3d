import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../../../src/config.js";
import { stackLayout } from "../../../src/stack/layout.js";
import { terminate } from "../../../src/stack/processes.js";
import { sparkMasterService } from "../../../src/stack/services/spark.js";
import { sparkLog4j2, sparkLog4j2File } from "../../../src/stack/services/spark-jvm.js";
import type { StackContext } from "../../../src/stack/services/service.js";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// A real Spark master started with the generated configuration, its cap forced down to 100 bytes:
// its start-up lines alone fill several files, so the rolling and the number kept are observable.
test("a Spark daemon's log4j2 file rolls at its size cap and keeps only the configured number of files", { timeout: 120_000 }, async (t) => {
  const home = await mkdtemp(join(tmpdir(), "stedi-log4j2-"));
  const [port, uiPort] = [await freePort(), await freePort()];
  const config = loadConfig({ ...(process.env as Record<string, string>), STEDI_HOME: home, SPARK_MASTER: `spark://127.0.0.1:${port}`, SPARK_MASTER_WEBUI_PORT: String(uiPort) });
  const layout = stackLayout(config);
  const context: StackContext = { config, layout, progress: () => undefined };
  await mkdir(layout.logsDir, { recursive: true });
  await mkdir(join(layout.sparkDir, "conf"), { recursive: true });
  const log = join(layout.logsDir, "spark-master.log");
  const cap = 100;
  await writeFile(sparkLog4j2File(context, "spark-master"), sparkLog4j2({ file: log, maxBytes: cap, rolledFiles: 2 }));
  const spec = sparkMasterService.launch(context);
  const master = spawn(spec.command, spec.args, { cwd: home, env: { ...process.env, ...spec.env }, stdio: "ignore", detached: true });
  t.after(async () => {
    if (master.pid) await terminate({ pid: master.pid }, 5_000);
    await rm(home, { recursive: true, force: true });
  });

  // Up when its UI answers; by then it has logged its start (version, ports, "I have been elected leader").
  const deadline = Date.now() + 90_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${uiPort}/json/`).then((response) => response.ok, () => false);
    if (up) break;
    assert.ok(Date.now() < deadline, "the master did not start within 90 s");
    await sleep(500);
  }
  await sleep(1_000);
  const files = (await readdir(layout.logsDir)).filter((name) => name.startsWith("spark-master.log")).sort();
  assert.deepEqual(files, ["spark-master.log", "spark-master.log.1", "spark-master.log.2"], "the live file and exactly two rolled ones");
  for (const name of files.slice(1)) {
    // A file rolls once a line takes it past the cap: at most the cap plus that one line.
    const { size } = await stat(join(layout.logsDir, name));
    assert.ok(size > 0 && size < cap + 1_000, `${name} is ${size} bytes`);
  }
});
