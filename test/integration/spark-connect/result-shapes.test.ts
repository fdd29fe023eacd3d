/** Result shapes against the real server: duplicate names, int64/timestamp modes, streaming rows, aborts. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { SparkSession, valuesOf, functions as F } from "spark-connect-ts";
import { REMOTE, createSession } from "./harness.js";

async function sessionWith(t: Parameters<typeof createSession>[0], options: Parameters<ReturnType<typeof SparkSession.builder>["resultOptions"]>[0]): Promise<SparkSession> {
  const spark = await SparkSession.builder().remote(REMOTE).resultOptions(options).create();
  t.after(() => spark.stop());
  return spark;
}

test("a join's duplicate column names: first wins by name, all values by position", async (t) => {
  const spark = await createSession(t);
  const left = await spark.sql("select * from values (1, 'a'), (2, 'b') as l(id, v)");
  const right = await spark.sql("select * from values (1, 'x'), (2, 'y') as r(id, v)");
  const rows = await left.join(right, left.col("id").eq(right.col("id"))).orderBy(left.col("id")).collect();
  assert.deepEqual(rows, [
    { id: 1, v: "a" },
    { id: 2, v: "b" },
  ]);
  assert.deepEqual(rows.map(valuesOf), [
    [1, "a", 1, "x"],
    [2, "b", 2, "y"],
  ]);
});

test("int64 modes: one representation per column, chosen per session", async (t) => {
  const query = "select * from values (1L, 1L), (2L, 9223372036854775807L) as t(small, big)";
  const exact = await (await createSession(t)).sql(query);
  assert.deepEqual(await exact.collect(), [
    { small: 1, big: 1n },
    { small: 2, big: 9223372036854775807n },
  ]);
  const asBigint = await (await sessionWith(t, { int64: "bigint" })).sql(query);
  assert.deepEqual((await asBigint.collect()).map((r) => r.small), [1n, 2n]);
  const asNumber = await sessionWith(t, { int64: "number" });
  assert.deepEqual(await asNumber.range(2).collect(), [{ id: 0 }, { id: 1 }]);
  await assert.rejects((await asNumber.sql(query)).collect(), /column big holds 9223372036854775807/);
});

test("timestamps as exact microseconds when the session asks", async (t) => {
  const query = "select timestamp'2024-02-29 12:34:56.789123Z' as ts, timestamp_ntz'1970-01-01 00:00:00.000001' as ntz";
  const micros = await sessionWith(t, { timestamp: "micros" });
  await micros.conf.set("spark.sql.session.timeZone", "UTC");
  assert.deepEqual(await (await micros.sql(query)).collect(), [{ ts: 1709210096789123n, ntz: 1n }]);
  const dates = await createSession(t);
  assert.deepEqual(await (await dates.sql(query)).collect(), [{ ts: new Date("2024-02-29T12:34:56.789Z"), ntz: new Date(0) }]);
});

test("toLocalIterator streams rows batch by batch, and leaving early ends the operation", async (t) => {
  const spark = await createSession(t);
  let seen = 0;
  for await (const row of spark.range(0, 200_000, 1, 4).toLocalIterator<{ id: number }>()) {
    assert.equal(row.id, seen);
    seen += 1;
  }
  assert.equal(seen, 200_000);
  // A result too large to buffer in time (the server sends partitions as they finish): the first
  // row arrives, and breaking out returns, long before the whole result could.
  const started = Date.now();
  for await (const row of spark.range(0, 2_000_000_000, 1, 2000).toLocalIterator()) {
    assert.equal(row.id, 0);
    break;
  }
  assert.ok(Date.now() - started < 30_000, "the iterator did not wait for the whole result");
  assert.equal(await spark.range(3).count(), 3, "the session is usable after an early exit");
});

test("an AbortSignal interrupts a running action and a wait for a streaming query", async (t) => {
  const spark = await createSession(t);
  const slow = spark.range(0, 1_000_000_000_000).select(F.max(F.col("id").multiply(2)));
  const started = Date.now();
  await assert.rejects(slow.collect({ signal: AbortSignal.timeout(1500) }), (error: Error) => error.name === "TimeoutError");
  assert.ok(Date.now() - started < 15_000, `abort took ${Date.now() - started} ms`);
  const aborted = new AbortController();
  aborted.abort(new Error("caller gave up"));
  await assert.rejects(spark.range(3).count({ signal: aborted.signal }), /caller gave up/);

  const query = await spark.readStream.format("rate").option("rowsPerSecond", 1).load().writeStream.format("noop").start();
  const waiting = Date.now();
  await assert.rejects(query.awaitTermination(undefined, { signal: AbortSignal.timeout(1000) }), (error: Error) => error.name === "TimeoutError");
  assert.ok(Date.now() - waiting < 15_000);
  assert.equal(await query.isActive(), true, "aborting the wait does not stop the query");
  await query.stop();
});
