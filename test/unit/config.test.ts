import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { ConfigError, loadConfig, parseHostPort } from "../../src/config.js";

test("defaults follow SPEC §1", () => {
  const config = loadConfig({}, "/srv/stedi");
  assert.equal(config.runtimeDir, "/srv/stedi/.stedi");
  assert.deepEqual(config.redis, { host: "127.0.0.1", port: 6379, db: 0, password: undefined, secretsDb: 1 });
  assert.equal(config.kafka.broker, "127.0.0.1:9092");
  assert.equal(config.jobs.checkpointDir, resolve(config.runtimeDir, "checkpoints"));
  assert.deepEqual(config.kafka.topics, { redisServer: "redis-server", stediEvents: "stedi-events", customerRisk: "customer-risk" });
  assert.equal(config.spark.remote, "sc://127.0.0.1:15002");
  assert.equal(config.spark.masterUrl, "spark://127.0.0.1:7077");
  assert.equal(config.app.port, 4567);
  assert.deepEqual(config.external, []);
});

test("every address is overridable by the original system's variable names", () => {
  const config = loadConfig(
    {
      REDIS_HOST: "::1",
      REDIS_PORT: "6380",
      REDIS_DB: "2",
      REDIS_PASSWORD: "s3cret",
      KAFKA_BROKER: "127.0.0.1:29092",
      KAFKA_RISK_TOPIC: "risk-2",
      SPARK_REMOTE: "sc://127.0.0.1:25002",
      STEDI_HOME: "/tmp/elsewhere",
      STEDI_EXTERNAL: "redis, kafka",
    },
    "/srv",
  );
  assert.equal(config.redis.host, "::1");
  assert.equal(config.redis.port, 6380);
  assert.equal(config.redis.db, 2);
  assert.equal(config.redis.password, "s3cret");
  assert.equal(config.kafka.broker, "127.0.0.1:29092");
  assert.equal(config.kafka.topics.customerRisk, "risk-2");
  assert.equal(config.spark.remote, "sc://127.0.0.1:25002");
  assert.equal(config.runtimeDir, "/tmp/elsewhere");
  assert.deepEqual(config.external, ["redis", "kafka"]);
});

test("a malformed number names the variable and the allowed range", () => {
  assert.throws(() => loadConfig({ REDIS_PORT: "63x9" }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /REDIS_PORT=63x9 is not a whole number from 1 to 65535/);
    return true;
  });
  assert.throws(() => loadConfig({ REDIS_DB: "16" }), /REDIS_DB=16/);
});

test("parseHostPort reads host:port, URLs and bracketed IPv6", () => {
  assert.deepEqual(parseHostPort("127.0.0.1:9092", 1), { host: "127.0.0.1", port: 9092 });
  assert.deepEqual(parseHostPort("sc://127.0.0.1:15002", 1), { host: "127.0.0.1", port: 15002 });
  assert.deepEqual(parseHostPort("sc://localhost:15002/;user_id=x", 1), { host: "localhost", port: 15002 });
  assert.deepEqual(parseHostPort("[::1]:6379", 1), { host: "::1", port: 6379 });
  assert.deepEqual(parseHostPort("localhost", 7077), { host: "localhost", port: 7077 });
});

test("the join horizon and lateness are Spark intervals, defaulting to 15 minutes and 10 minutes", () => {
  assert.deepEqual(loadConfig({}, "/srv").jobs, { joinHorizon: "15 minutes", joinLateness: "10 minutes", checkpointDir: "/srv/.stedi/checkpoints" });
  const tuned = loadConfig({ STEDI_JOIN_HORIZON: "90 seconds", STEDI_JOIN_LATENESS: "1 minute" }).jobs;
  assert.deepEqual([tuned.joinHorizon, tuned.joinLateness], ["90 seconds", "1 minute"]);
  assert.throws(() => loadConfig({ STEDI_JOIN_HORIZON: "1h" }), ConfigError);
  assert.throws(() => loadConfig({ STEDI_JOIN_LATENESS: "10 minutes; drop table" }), ConfigError);
});

test("STEDI_CHECKPOINT_DIR keeps a URI as given and makes a path absolute", () => {
  assert.equal(loadConfig({ STEDI_CHECKPOINT_DIR: "hdfs://nn:8020/stedi/" }).jobs.checkpointDir, "hdfs://nn:8020/stedi");
  assert.equal(loadConfig({ STEDI_CHECKPOINT_DIR: "file:///shared/ckpt" }).jobs.checkpointDir, "file:///shared/ckpt");
  assert.equal(loadConfig({ STEDI_CHECKPOINT_DIR: "ckpt" }, "/srv").jobs.checkpointDir, "/srv/ckpt");
});

test("tests kept per customer: 1000 by default, at least the 4 a risk score uses", () => {
  assert.equal(loadConfig({}).app.testsKeptPerCustomer, 1_000);
  assert.equal(loadConfig({ STEDI_TESTS_KEPT_PER_CUSTOMER: "50" }).app.testsKeptPerCustomer, 50);
  assert.throws(() => loadConfig({ STEDI_TESTS_KEPT_PER_CUSTOMER: "3" }), /STEDI_TESTS_KEPT_PER_CUSTOMER=3 is not a whole number from 4 to 1000000/);
});
