import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadPosition, ReplicaStateError, savePositionSync } from "../../../../src/cdc/replica/replica-state.js";

test("a saved position loads back; no file means a first start; junk or an unreadable file is a ReplicaStateError", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "stedi-replica-state-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, "cdc", "state.json");
  assert.equal(await loadPosition(file), undefined);
  const position = { replid: "a".repeat(40), offset: 123_456_789_012, db: 0 };
  savePositionSync(file, position);
  savePositionSync(file, { ...position, offset: position.offset + 1 });
  assert.deepEqual(await loadPosition(file), { ...position, offset: position.offset + 1 });
  assert.deepEqual(await readdir(join(dir, "cdc")), ["state.json"], "no temporary file left behind");
  await writeFile(file, "{not json");
  await assert.rejects(loadPosition(file), (error: unknown) => error instanceof ReplicaStateError && /is not JSON/.test(error.message));
  await writeFile(file, JSON.stringify({ replid: "short", offset: 1, db: 0 }));
  await assert.rejects(loadPosition(file), ReplicaStateError);
  await writeFile(file, JSON.stringify({ replid: "a".repeat(40), offset: -5, db: 0 }));
  await assert.rejects(loadPosition(file), ReplicaStateError, "a negative offset is not a position");
  await rm(file);
  await mkdir(file);
  await assert.rejects(loadPosition(file), (error: unknown) => error instanceof ReplicaStateError && /cannot be read/.test(error.message));
});
