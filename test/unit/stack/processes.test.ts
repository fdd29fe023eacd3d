import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { endingOf, launch } from "../../../src/stack/processes.js";

test("a launched child killed with SIGKILL is reported by its signal, even when polled between its death and its exit event", async () => {
  const dir = await mkdtemp(join(tmpdir(), "stedi-processes-"));
  try {
    const marker = `stedi-processes-test-${process.pid}`;
    const record = await launch({ name: "sleeper", command: process.execPath, args: ["-e", "setTimeout(() => undefined, 300_000)", marker], logFile: join(dir, "sleeper.log") }, dir, marker);
    assert.equal(endingOf(record), undefined, "running");
    process.kill(record.pid, "SIGKILL");
    // Polled as the supervisor does, from the moment of the kill: never a guess before the exit event.
    const seen = new Set<string | undefined>();
    for (let ending = endingOf(record); ; ending = endingOf(record)) {
      seen.add(ending);
      if (ending !== undefined) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual([...seen], [undefined, "signal SIGKILL"]);
    assert.equal(endingOf({ pid: 2 ** 22 + 1, marker }), "no longer running", "a process not launched here, gone");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
