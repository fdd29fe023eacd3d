/**
 * Kafka → from_json / unbase64 / split → stream-stream join → to_json → Kafka, through the real
 * Spark Connect server; every output record is checked against what the inputs imply.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { functions as F, types as T } from "spark-connect-ts";
import { BROKER, consume, createSession, createTopics, eventually, produce, tempDir } from "./harness.js";

const people = [
  { name: "Ada Lovelace", email: "ada@example.com", birthDay: "1815-12-10" },
  { name: "Alan Turing", email: "alan@example.com", birthDay: "1912-06-23" },
  { name: "Grace Hopper", email: "grace@example.com", birthDay: "1906-12-09" },
];
const scores = [
  { email: "ada@example.com", score: 1.5 },
  { email: "alan@example.com", score: -2.25 },
  { email: "grace@example.com", score: 28.5 },
  { email: "nobody@example.com", score: 3.0 }, // no matching person: must not come out
];

test("a Kafka → from_json/unbase64/join → to_json → Kafka query delivers every joined record", { timeout: 240_000 }, async (t) => {
  const spark = await createSession(t);
  const [peopleTopic, scoresTopic, outTopic] = await createTopics(t, "people", "scores", "out");
  const checkpoint = await tempDir(t, "sc-roundtrip-checkpoint");

  // Inputs: people travel base64-encoded inside a JSON envelope; scores are plain JSON.
  await produce(
    peopleTopic as string,
    people.map((person) => ({ key: person.email, value: JSON.stringify({ payload: Buffer.from(JSON.stringify(person)).toString("base64") }) })),
  );
  await produce(scoresTopic as string, scores.map((score) => ({ key: score.email, value: JSON.stringify(score) })));

  const kafka = (topic: string) =>
    spark.readStream.format("kafka").option("kafka.bootstrap.servers", BROKER).option("subscribe", topic).option("startingOffsets", "earliest").load();

  const personSchema = new T.StructType([
    new T.StructField("name", new T.StringType()),
    new T.StructField("email", new T.StringType()),
    new T.StructField("birthDay", new T.StringType()),
  ]);
  const envelope = kafka(peopleTopic as string).select(F.from_json(F.col("value").cast("string"), "payload STRING").alias("envelope"));
  const person = envelope
    .select(F.from_json(F.unbase64(F.col("envelope.payload")).cast("string"), personSchema).alias("person"))
    .select("person.*")
    .withColumn("birthYear", F.split(F.col("birthDay"), "-").getItem(0))
    .filter(F.col("email").isNotNull());
  const score = kafka(scoresTopic as string)
    .select(F.from_json(F.col("value").cast("string"), "email STRING, score DOUBLE").alias("event"))
    .select(F.col("event.email").alias("customer"), F.col("event.score").alias("score"));
  const joined = score.join(person, score.col("customer").eq(person.col("email")));

  const query = await joined
    .select(
      F.col("customer").alias("key"),
      F.to_json(F.struct(F.col("customer"), F.col("score").cast("string").alias("score"), F.col("birthYear"))).alias("value"),
    )
    .writeStream.format("kafka")
    .option("kafka.bootstrap.servers", BROKER)
    .option("topic", outTopic as string)
    .option("checkpointLocation", checkpoint)
    .queryName("roundtrip")
    .start();
  assert.match(query.id, /^[0-9a-f-]{36}$/);
  assert.equal(query.name, "roundtrip");

  const received = await consume(outTopic as string, 3, 180_000);
  const byKey = new Map(received.map((record) => [record.key, JSON.parse(record.value) as Record<string, string>]));
  assert.equal(received.length, 3, `exactly the three matching records: ${JSON.stringify(received)}`);
  for (const person of people) {
    const expectedScore = scores.find((s) => s.email === person.email)?.score;
    assert.deepEqual(byKey.get(person.email), { customer: person.email, score: String(expectedScore), birthYear: person.birthDay.split("-")[0] });
  }

  // The output is written before the batch's progress is reported: wait for the reports.
  const inputRows = people.length + scores.length;
  const progress = await eventually(`progress reports counting all ${inputRows} input records`, 60_000, async () => {
    const recent = await query.recentProgress();
    return recent.reduce((sum, p) => sum + p.numInputRows, 0) >= inputRows ? recent : undefined;
  });
  assert.equal(progress.reduce((sum, p) => sum + p.numInputRows, 0), inputRows, "every input record was read once");
  const last = await query.lastProgress();
  assert.ok(last, "lastProgress after batches ran");
  assert.equal(last.id, query.id);
  assert.equal(last.sources.length, 2);
  assert.match(last.sink.description, /Kafka/i);

  await query.stop();
  assert.equal(await query.isActive(), false);
  assert.equal(await query.exception(), undefined, "a stopped query has no exception");
});

test("a headers column (array<struct<key, value: binary>>) becomes the Kafka records' headers, read back with includeHeaders", { timeout: 120_000 }, async (t) => {
  const spark = await createSession(t);
  const [topic] = await createTopics(t, "headers");
  await spark
    .range(2)
    .select(
      F.concat(F.lit("key-"), F.col("id").cast("string")).alias("key"),
      F.lit("value").alias("value"),
      F.array(F.struct(F.lit("trace").alias("key"), F.concat(F.lit("t-"), F.col("id").cast("string")).cast("binary").alias("value"))).alias("headers"),
    )
    .write.format("kafka")
    .option("kafka.bootstrap.servers", BROKER)
    .option("topic", topic as string)
    .save();
  // Seen by a Kafka client, and by Spark's own reader.
  const received = await consume(topic as string, 2, 30_000);
  assert.deepEqual(received.map((record) => [record.key, record.headers]).sort(), [["key-0", { trace: "t-0" }], ["key-1", { trace: "t-1" }]]);
  const rows = await spark.read
    .format("kafka")
    .option("kafka.bootstrap.servers", BROKER)
    .option("subscribe", topic as string)
    .option("includeHeaders", "true")
    .load()
    .selectExpr("cast(key as string) key", "headers[0].key header", "cast(headers[0].value as string) headerValue")
    .orderBy("key")
    .collect();
  assert.deepEqual(rows.map((row) => [row.key, row.header, row.headerValue]), [["key-0", "trace", "t-0"], ["key-1", "trace", "t-1"]]);
});
