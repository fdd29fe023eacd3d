/** The streaming settings that depend on the server's version and the checkpoint's file system. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkpointFileManagerConf } from "../../../src/jobs/tuning.js";

const KEY = "spark.sql.streaming.checkpointFileManagerClass";

test("a local checkpoint is written through Hadoop's FileSystem API, in the package of the server's version", () => {
  assert.equal(checkpointFileManagerConf("/var/stedi/checkpoints/customer-risk-v3", "4.2.0")[KEY], "org.apache.spark.sql.execution.streaming.checkpointing.FileSystemBasedCheckpointFileManager");
  assert.equal(checkpointFileManagerConf("file:///shared/stedi/customer-risk-v3", "4.1.1")[KEY], "org.apache.spark.sql.execution.streaming.checkpointing.FileSystemBasedCheckpointFileManager");
  assert.equal(checkpointFileManagerConf(undefined, "4.0.0")[KEY], "org.apache.spark.sql.execution.streaming.FileSystemBasedCheckpointFileManager");
  assert.equal(checkpointFileManagerConf("/tmp/x", "5.0.0")[KEY], "org.apache.spark.sql.execution.streaming.checkpointing.FileSystemBasedCheckpointFileManager");
});

test("a checkpoint on HDFS or an object store keeps Spark's default manager", () => {
  assert.deepEqual(checkpointFileManagerConf("hdfs://nn:8020/stedi/customer-risk-v3", "4.2.0"), {});
  assert.deepEqual(checkpointFileManagerConf("s3a://bucket/stedi/customer-risk-v3", "4.2.0"), {});
});
