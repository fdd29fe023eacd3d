/** Structured Streaming through the real server: rate → memory, status, progress, waits, failures. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { StreamingQueryException, functions as F } from "spark-connect-ts";
import { createSession, eventually, tempDir, uniqueName } from "./harness.js";

test("rate → memory sink: status, lastProgress, recentProgress, stop", { timeout: 120_000 }, async (t) => {
  const spark = await createSession(t);
  const table = uniqueName("rate_memory");
  const source = spark.readStream.format("rate").option("rowsPerSecond", 20).load();
  assert.equal(await source.isStreaming(), true);
  assert.equal(await spark.range(1).isStreaming(), false);

  const query = await source
    .withColumn("double", F.col("value").multiply(2))
    .writeStream.format("memory")
    .queryName(table)
    .outputMode("append")
    .trigger({ processingTime: "500 milliseconds" })
    .start();
  assert.match(query.id, /^[0-9a-f-]{36}$/);
  assert.match(query.runId, /^[0-9a-f-]{36}$/);
  assert.equal(query.name, table);
  assert.equal(await query.isActive(), true);
  const status = await query.status();
  assert.equal(status.isActive, true);
  assert.equal(typeof status.message, "string");

  const progress = await eventually("a batch that read rows", 60_000, async () => {
    const last = await query.lastProgress();
    return last && last.numInputRows > 0 ? last : undefined;
  });
  assert.equal(progress.id, query.id);
  assert.equal(progress.runId, query.runId);
  assert.equal(progress.name, table);
  assert.ok(progress.batchId >= 0);
  assert.match(progress.sources[0]?.description ?? "", /RateStream/);
  assert.equal(progress.sink.description, "MemorySink");
  assert.ok(progress.durationMs.triggerExecution !== undefined);
  assert.ok(!Number.isNaN(new Date(progress.timestamp).getTime()));
  const recent = await query.recentProgress();
  assert.ok(recent.length >= 1);
  assert.deepEqual(
    recent.map((p) => p.batchId),
    [...recent.map((p) => p.batchId)].sort((a, b) => a - b),
    "oldest first",
  );

  const active = await spark.streams.active();
  assert.deepEqual(
    active.map((q) => q.id),
    [query.id],
  );
  assert.equal((await spark.streams.get(query.id))?.runId, query.runId);

  await query.processAllAvailable();
  const rows = await spark.table(table).collect<{ value: number; double: number }>();
  assert.ok(rows.length > 0);
  for (const row of rows) assert.equal(row.double, row.value * 2);

  await query.stop();
  assert.equal(await query.isActive(), false);
  assert.equal(await query.exception(), undefined);
  assert.deepEqual(await spark.streams.active(), []);
  assert.equal(await query.awaitTermination(), true, "a stopped query has terminated");
});

test("awaitTermination with a timeout returns false while the query runs", { timeout: 60_000 }, async (t) => {
  const spark = await createSession(t);
  const query = await spark.readStream.format("rate").load().writeStream.format("memory").queryName(uniqueName("await")).start();
  const started = Date.now();
  assert.equal(await query.awaitTermination(1_500), false);
  const waited = Date.now() - started;
  assert.ok(waited >= 1_400 && waited < 15_000, `waited ${waited} ms for a 1.5 s timeout`);
  assert.equal(await spark.streams.awaitAnyTermination(500), false);
  await query.stop();
  assert.equal(await spark.streams.awaitAnyTermination(10_000), true);
});

test("a query that fails surfaces its exception", { timeout: 120_000 }, async (t) => {
  const spark = await createSession(t);
  const query = await spark.readStream
    .format("rate")
    .load()
    .select(F.expr("raise_error(concat('bad row ', value))").alias("boom"))
    .writeStream.format("memory")
    .queryName(uniqueName("failing"))
    .start();
  await assert.rejects(query.awaitTermination(90_000), (error: unknown) => {
    assert.ok(error instanceof StreamingQueryException, String(error));
    assert.match(error.message, /bad row/);
    assert.equal(error.errorClass, "STREAM_FAILED");
    return true;
  });
  const failure = await query.exception();
  assert.ok(failure instanceof StreamingQueryException);
  assert.match(failure.message, /USER_RAISED_EXCEPTION|bad row/);
  assert.equal(await query.isActive(), false);
});

test("availableNow trigger drains a file source and stops by itself; toTable and checkpoint", { timeout: 120_000 }, async (t) => {
  const spark = await createSession(t);
  const dir = await tempDir(t, "sc-stream-files");
  await spark.range(7).write.mode("overwrite").json(`${dir}/in`);
  const sink = uniqueName("drained");
  try {
    const query = await spark.readStream
      .schema("id BIGINT")
      .json(`${dir}/in`)
      .writeStream.trigger({ availableNow: true })
      .option("checkpointLocation", `${dir}/checkpoint`)
      .toTable(sink);
    assert.equal(await query.awaitTermination(90_000), true);
    assert.equal(await spark.table(sink).count(), 7);
  } finally {
    await spark.sql(`drop table if exists ${sink}`);
  }
});
