/** foreachBatch's file commit log: what a restart reads back, whatever the previous process left. */
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FileCommitLog } from "spark-connect-ts";

async function folder(t: test.TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "commit-log-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test("a commit log that was never written has no handled batch", async (t) => {
  assert.equal(await new FileCommitLog(join(await folder(t), "none.json")).read(), undefined);
});

test("the last batch written is what a new process reads, and only it is kept", async (t) => {
  const dir = await folder(t);
  const path = join(dir, "nested", "commits.json");
  await new FileCommitLog(path).write({ batchId: 3, endOffsets: { t: { "0": 10 } } });
  await new FileCommitLog(path).write({ batchId: 4, endOffsets: { t: { "0": 12, "1": 1 } } });
  assert.deepEqual(await new FileCommitLog(path).read(), { batchId: 4, endOffsets: { t: { "0": 12, "1": 1 } } });
  assert.deepEqual(await readdir(join(dir, "nested")), ["commits.json"], "no temporary file is left behind");
});

test("a file that is not a commit log is an error, not an empty log (that would re-deliver from the start silently)", async (t) => {
  const path = join(await folder(t), "other.json");
  await writeFile(path, JSON.stringify({ hello: "world" }));
  await assert.rejects(new FileCommitLog(path).read(), /is not a foreachBatch commit log/);
});
