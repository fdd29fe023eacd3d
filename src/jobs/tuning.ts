import type { SparkSession } from "spark-connect-ts";

/**
 * Session settings the streaming jobs run with: tuned for latency on a small cluster (2 cores).
 * bench/pipeline compares them with Spark's defaults. `applyStreamingTuning` sets them, with the
 * ones that depend on the server's version and the checkpoint's file system.
 *
 * The largest cut, found with a Java Flight Recording of the executor's waits: every checkpoint
 * file (each state store's changelog, each batch's offsets and commit entries: 8 a batch) cost
 * 25–35 ms, because Spark's default checkpoint file manager goes through Hadoop's FileContext,
 * whose local file system forks `chmod` and `readlink` processes for each create and rename
 * (Hadoop's native library, which would do them in-process, is not on Maven Central). The
 * FileSystem-based manager writes and renames with plain Java calls: a small batch went from
 * 594 ms to 347 ms (the join's commit 104 → 5.5 ms, walCommit 33 → 7.7 ms; 5 events/s, load ≈ 1).
 *
 * Where a small batch's time goes (customer-risk, 1–3 records a batch, load average ≈ 5; the
 * progress' durationMs and the Connect server's REST API /api/v1/applications/…/stages): ≈ 0.51 s =
 * queryPlanning ≈ 93 ms (driver) + addBatch ≈ 356 + walCommit ≈ 28 + commitOffsets ≈ 28 +
 * latestOffset ≈ 5. addBatch is three one-task stages run one after the other: the stedi-events
 * read (28 ms; 151 ms on average, up to ~500, before its consumers' fetch.max.wait.ms was cut, see
 * kafkaStream), the scores' de-duplication (≈ 65 ms), then the customers' de-duplication, the join
 * and the Kafka write (≈ 258 ms, of it ≈ 55 ms on a CPU): mostly the RocksDB stores' commits (the
 * join's four 150–230 ms, each de-duplication's 40–100 ms, at load 7) and updates. That cut took
 * event → customer-risk p50 from 848/832 ms to 586/504 ms and p99 from 1,257/1,607 to 822/860 ms
 * (interleaved runs, load 5.8 and 4.8).
 *
 * bench/pipeline also prints each stateful operator's state-store update/evict/commit time. At 2 scores
 * a second on an otherwise idle machine (a batch ≈ 607 ms = queryPlanning 155 + addBatch 386 +
 * walCommit 29 + commitOffsets 28): the join 85/0/91 ms, the scores' de-duplication 1/0/25, the
 * customers' 59/0/24. A flight recording of the executor over 30 s of that run held 292 CPU samples:
 * the executor mostly waits, so the commits' ≈ 25 ms a store are not its CPU.
 *
 * What is left of a small batch after that (≈ 330 ms at 5 events/s, load ≈ 1): queryPlanning
 * ≈ 95 ms of the driver's CPU, a third of it broadcasting the Hadoop configuration (the stream-stream
 * join broadcasts one each time the planner copies its node, and each state-store RDD one more);
 * three one-task stages of 35–45, 40–50 and 100–150 ms, which mostly wait on the driver: a task's
 * synchronous RPCs (its broadcasts, map outputs, each state store's active-instance and commit
 * reports) at ≈ 5 ms apiece on two shared cores.
 *
 * Tried, measured with runs of A and B interleaved, and left at Spark's default because they did
 * not measurably help or are not allowed here:
 * - stateStore.coordinatorReportSnapshotUploadLag=false (no commit report per store) and
 *   checkpoint.fileChecksum.enabled=false: 345 and 299 ms against 402/323 ms for the default, 298 ms
 *   for both (5 events/s, load ≈ 1): within the noise between two runs of the same settings;
 * - stateStore.rocksdb.boundedMemoryUsage=true (one 128 MiB budget for all of the executor's RocksDB
 *   instances): 478/463 ms a batch against 462/415 unbounded (100 events/s, interleaved, load ≈ 1);
 *   with the state bounded (≈ 23 MiB after a day) the stores' native memory stays small anyway;
 * - noDataMicroBatches.enabled=false: no batch without data ran at this rate (a score arrives while
 *   the last batch runs), and without those batches a quiet job would keep the scores it should
 *   evict until the next record comes;
 * - trackTotalNumberOfRows=false (p50 2.1/1.9 s against 1.6 s, load 14–20: noise, no gain) — the
 *   exact row counts stay, for each batch's log line;
 * - Kafka producer linger.ms=0 (1.03 s against 1.09 s p50, load 7),
 *   stateStore.coordinatorReportActive=false (1.13 s), the observe() metrics removed (1.60 s against 1.61 s, load 11–14): all within the noise;
 * - stateStore.minDeltasForSnapshot=100 (RocksDB snapshots 10× rarer): p50 670/918 ms against
 *   614/889, p99 1,107/1,171 against 1,146/1,284 (load 6): no gain worth the longer replay on restart;
 * - the HDFS-backed (in-memory) state store instead of RocksDB, now that the state is bounded: p50
 *   742 against 727 ms, p99 1,100 against 1,194, the join's commit 107 against 91 ms (2 scores/s,
 *   load 0–1.7; two earlier pairs at load 1–4, JVMs still warming, were mixed: p50 1,114 and
 *   1,222 ms against 1,812 and 1,090): no gain;
 * - asyncProgressTrackingEnabled: Spark 4.2 refuses it for stateful queries ("Stateful streaming
 *   queries does not support async progress tracking"); real-time mode triggers do not support
 *   stream-stream joins (nor dropDuplicatesWithinWatermark);
 * - spark.sql.adaptive.enabled: Spark already disables AQE for stateful streaming queries;
 *   spark.locality.wait is a static setting (the Connect server's, not a session's).
 */
const TUNED_STREAMING_CONF: Readonly<Record<string, string>> = {
  // One shuffle partition: each stateful operator (two dedups, the join) is one task per batch, and
  // the two sides of the join still run side by side on the worker's two cores. Measured with
  // bench/pipeline: p50 ≈ 0.85 s against ≈ 1.1 s with 2 partitions and ≈ 40 s with the default 200.
  "spark.sql.shuffle.partitions": "1",
  // RocksDB keeps the dedup and join state off the JVM heap, so it can grow with the data, and
  // changelog checkpointing uploads only what changed in a batch instead of a snapshot.
  "spark.sql.streaming.stateStore.providerClass": "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider",
  "spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled": "true",
  // Exact state row counts (a read before every write) for each batch's log line: the proof that
  // the state stays bounded is worth the small cost at this rate.
  "spark.sql.streaming.stateStore.rocksdb.trackTotalNumberOfRows": "true",
};

/**
 * Checkpoint files on a local disk (a path or file://, including Spark's temporary checkpoints) are
 * written through Hadoop's FileSystem API (see the comment above). Its rename replaces the target
 * atomically on a local file system, as the FileContext one does; on HDFS or object stores Spark's
 * default stays, since FileSystem.rename does not overwrite there.
 */
export function checkpointFileManagerConf(checkpointLocation: string | undefined, sparkVersion: string): Record<string, string> {
  const local = checkpointLocation === undefined || !/^[a-z][a-z0-9+.-]*:/i.test(checkpointLocation) || checkpointLocation.startsWith("file:");
  if (!local) return {};
  // Spark 4.1 moved the checkpoint file managers into a package of their own.
  const [major = 0, minor = 0] = sparkVersion.split(".").map(Number);
  const pkg = major > 4 || (major === 4 && minor >= 1) ? "org.apache.spark.sql.execution.streaming.checkpointing" : "org.apache.spark.sql.execution.streaming";
  return { "spark.sql.streaming.checkpointFileManagerClass": `${pkg}.FileSystemBasedCheckpointFileManager` };
}

/**
 * Sets a streaming job's session settings before it starts: TUNED_STREAMING_CONF, those that depend
 * on the server and on where `checkpointLocation` lives (undefined: a temporary local one), then `extra`.
 */
export async function applyStreamingTuning(spark: SparkSession, checkpointLocation: string | undefined, extra: Readonly<Record<string, string>> = {}): Promise<void> {
  await spark.conf.setAll({ ...TUNED_STREAMING_CONF, ...checkpointFileManagerConf(checkpointLocation, await spark.version()), ...extra });
}

/** What Spark does out of the box, for comparison. */
export const DEFAULT_STREAMING_CONF: Readonly<Record<string, string>> = {
  "spark.sql.shuffle.partitions": "200",
  "spark.sql.streaming.stateStore.providerClass": "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider",
  "spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled": "false",
  "spark.sql.streaming.stateStore.rocksdb.trackTotalNumberOfRows": "true",
};
