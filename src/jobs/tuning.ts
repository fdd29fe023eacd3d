/**
 * Session settings the streaming jobs run with: tuned for latency on a small cluster (2 cores).
 * bench/pipeline compares them with Spark's defaults.
 */
export const TUNED_STREAMING_CONF: Readonly<Record<string, string>> = {
  // One shuffle partition per core: each stateful operator runs as few tasks as there are cores.
  "spark.sql.shuffle.partitions": "2",
  // RocksDB keeps the dedup and join state off the JVM heap, so it can grow with the data, and
  // changelog checkpointing uploads only what changed in a batch instead of a snapshot.
  "spark.sql.streaming.stateStore.providerClass": "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider",
  "spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled": "true",
};

/** What Spark does out of the box, for comparison. */
export const DEFAULT_STREAMING_CONF: Readonly<Record<string, string>> = {
  "spark.sql.shuffle.partitions": "200",
  "spark.sql.streaming.stateStore.providerClass": "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider",
  "spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled": "false",
};
