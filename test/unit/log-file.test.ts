import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLogFile } from "../../src/log-file.js";

test("a log file rolls at its size cap into log.1 … log.N, the oldest dropped, and appends across opens", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "stedi-log-file-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, "app.log");
  const rolling = { maxBytes: 1_000, rolledFiles: 3 };
  const first = openLogFile(file, rolling);
  first.end("opened before\n");
  await once(first, "finish");
  const log = openLogFile(file, rolling);
  const line = (n: number): string => `line ${String(n).padStart(4, "0")} ${"x".repeat(90)}\n`;
  for (let n = 0; n < 95; n += 1) {
    if (!log.write(line(n))) await once(log, "drain");
  }
  log.end();
  await once(log, "finish");

  assert.deepEqual((await readdir(dir)).sort(), ["app.log", "app.log.1", "app.log.2", "app.log.3"]);
  for (const name of ["app.log.1", "app.log.2", "app.log.3"]) {
    const { size } = await stat(join(dir, name));
    assert.ok(size >= rolling.maxBytes && size < rolling.maxBytes + 200, `${name}: ${size} bytes`);
  }
  // The newest lines are in the live file, the ones before in log.1; the first ones are gone.
  assert.ok((await readFile(file, "utf8")).endsWith(line(94)));
  const liveFirst = Number((await readFile(file, "utf8")).slice(5, 9));
  assert.ok((await readFile(join(dir, "app.log.1"), "utf8")).endsWith(line(liveFirst - 1)), "log.1 ends where the live file begins");
  const kept = (await Promise.all(["app.log.3", "app.log.2", "app.log.1", "app.log"].map((name) => readFile(join(dir, name), "utf8")))).join("");
  assert.ok(!kept.includes("opened before") && !kept.includes(line(0)), "the oldest lines were dropped");
});
