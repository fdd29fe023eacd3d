/**
 * The customer-risk job: the TypeScript counterpart of the seed's sparkpykafkajoin.py. It joins the
 * customers' birth years (from the Redis CDC topic) with their risk scores (from stedi-events) and
 * publishes {customer, score, email, birthYear} to the customer-risk topic for the live graph.
 *
 * Its state is bounded, so it can run for ever. Event time is each record's Kafka timestamp (set by
 * the producer when it sends, so it never runs ahead of the clock as the simulation's riskDate does):
 * - a score waits in the join's state for its customer at most `joinHorizon` (STEDI_JOIN_HORIZON,
 *   default 15 minutes) of event time, then leaves it. A score whose customer arrives later than
 *   that produces no point: it is counted as `late_scores.unmatched` in the batch report, never
 *   dropped silently. A customer is saved before its first test, so its record normally precedes
 *   its scores; the horizon covers a CDC source that is behind (its supervisor restarts it within
 *   seconds, and it resumes where it was). The horizon is not free: each batch Spark's join scans
 *   every waiting score to evict the old ones, ≈ 2.6 µs a score (bench soak --history: a day's
 *   121,500 waiting scores with a 1-hour horizon cost 341 ms of a 618 ms batch; 15 minutes leaves
 *   43,400 and 126 ms). A larger RocksDB block cache did not help (the scan is CPU, not I/O), and
 *   the join state format that indexes scores by time (v4) is marked for testing only in Spark 4.2;
 * - customers stay in the state for ever (bounded by the number of customers): a score joins a
 *   customer registered however long ago;
 * - a score's de-duplication by (customer, riskDate) lasts `joinLateness` (STEDI_JOIN_LATENESS, default 10 minutes),
 *   the time a duplicate (a producer retry, an outbox re-relay) can arrive after the original;
 * - a record whose timestamp is more than `joinLateness` behind the newest one seen is late: Spark
 *   drops it, and the batch report shows the count (its stateful operators' numRowsDroppedByWatermark).
 * The watermark that evicts scores advances with whichever side moves (`CUSTOMER_RISK_CONF`):
 * customers are registered rarely, and waiting for a new one would keep every score.
 *
 * The decoding steps take the raw Kafka DataFrame as input, so the console jobs reuse them, and
 * they work on streaming and batch DataFrames alike.
 */
import { functions as F, type DataFrame, type DataStreamWriter, type SparkSession } from "spark-connect-ts";
import { RISK_DATE_HEADER } from "../domain/customer-risk.js";
import { customerSchema, redisMessageSchema, stediEventsSchema } from "./schemas.js";

export interface CustomerRiskOptions {
  readonly bootstrapServers: string;
  readonly redisServerTopic: string;
  readonly stediEventsTopic: string;
  readonly customerRiskTopic: string;
  readonly checkpointLocation: string;
  readonly queryName?: string;
  /** Micro-batch interval; "0 seconds" starts the next batch as soon as the last one ends. */
  readonly processingTime?: string;
  /** How long (Kafka time) a score waits for its customer, e.g. "15 minutes" (config.jobs.joinHorizon). */
  readonly joinHorizon: string;
  /** How late (Kafka time) a record may arrive, and how long a score is remembered for de-duplication, e.g. "10 minutes". */
  readonly joinLateness: string;
}

/**
 * The version of the job's stateful plan, part of its checkpoint folder's name. A checkpoint holds
 * the state of the plan that wrote it, so a change to the stateful steps bumps this: the new plan
 * starts with a fresh checkpoint (from the topics' first offsets) and leaves the old one alone.
 * v1 (no watermarks) → v2 (bounded state) → v3 (the stedi-risk-date header). The header looked
 * like a change of the final projection only, but Spark prunes the columns the output does not use
 * from the join's state: v2's score state is (customer, score, scoreTime), v3's keeps riskDate, and
 * Spark refuses to resume v2's checkpoint with it (STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE).
 */
export const CUSTOMER_RISK_PLAN_VERSION = 3;

/** Session settings the job's semantics need, applied before it starts (see the file's comment). */
export const CUSTOMER_RISK_CONF: Readonly<Record<string, string>> = {
  "spark.sql.streaming.multipleWatermarkPolicy": "max",
};

/** Observed-metrics names: each batch's progress reports the records these steps set aside. */
export const REDIS_SERVER_METRICS = "redis_server_records";
export const STEDI_EVENTS_METRICS = "stedi_events_records";
export const LATE_SCORES_METRICS = "late_scores";

/** How long the broker may hold a fetch of a topic with no new records (Kafka's default is 500 ms). */
export const KAFKA_FETCH_MAX_WAIT_MS = 10;

/** A Kafka topic as a stream, from its first offset: customers registered long ago still matter. */
export function kafkaStream(spark: SparkSession, bootstrapServers: string, topic: string): DataFrame {
  return spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", bootstrapServers)
    .option("subscribe", topic)
    .option("startingOffsets", "earliest")
    .option("failOnDataLoss", "false")
    // The executors' cached consumers pre-fetch after each read; with Kafka's default 500 ms the broker
    // holds that fetch open on an idle topic, and the next batch's read waits for it before it can
    // seek. Measured (Spark's REST API), the events read stage of a small batch took 151 ms on average
    // (452 ms at load 15–18), 28 ms with 10 (95 ms); see tuning.ts for the whole batch.
    .option("kafka.fetch.max.wait.ms", String(KAFKA_FETCH_MAX_WAIT_MS))
    .load();
}

/** Every Customer entry of every ZADD on the `Customer` key, as (email, birthYear, customerTime). */
export function emailAndBirthYear(redisServerRawDF: DataFrame): DataFrame {
  // Kafka hands over bytes; the CDC source wrote JSON text. The record's timestamp is the event time.
  const redisServerStreamingDF = redisServerRawDF.selectExpr("cast(key as string) key", "cast(value as string) value", "timestamp as customerTime");
  // Parse the Redis command and base64-decode its key; malformed JSON or base64 gives nulls, not errors.
  const redisSortedSetDF = redisServerStreamingDF
    .withColumn("command", F.from_json(F.col("value"), redisMessageSchema))
    .withColumn("redisKey", F.try_to_binary(F.col("command.key"), F.lit("base64")).cast("string"));
  // Every (member, score) pair of a ZADD on Customer; explode_outer keeps the other records, to count them.
  const zSetDecodedEntriesStreamingDF = redisSortedSetDF
    .withColumn("entry", F.explode_outer(F.when(F.col("redisKey").eq("Customer"), F.col("command.zSetEntries"))))
    .withColumn("customer", F.try_to_binary(F.col("entry.element"), F.lit("base64")).cast("string"));
  // The member is the Customer JSON.
  const customerRecordsDF = zSetDecodedEntriesStreamingDF.withColumn("customer", F.from_json(F.col("customer"), customerSchema));
  // Every record set aside, by reason.
  const observedCustomerRecordsDF = customerRecordsDF.observe(
    REDIS_SERVER_METRICS,
    F.count_if(F.col("command.key").isNull()).alias("undecodable"),
    F.count_if(F.col("command.key").isNotNull().and(F.coalesce(F.col("redisKey"), F.lit("")).neq("Customer"))).alias("otherKeys"),
    F.count_if(F.col("redisKey").eq("Customer").and(F.col("command.zSetEntries").isNull())).alias("notZadd"),
    F.count_if(F.col("entry").isNotNull().and(F.col("customer.email").isNull().or(F.col("customer.birthDay").isNull()))).alias("incomplete"),
  );
  const emailAndBirthDayStreamingDF = observedCustomerRecordsDF.where("customer.email is not null and customer.birthDay is not null").select("customer.email", "customer.birthDay", "customerTime");
  // birthYear is the first part of birthDay ("1963-01-31" → "1963").
  return emailAndBirthDayStreamingDF.select(F.col("email"), F.split(F.col("birthDay"), "-").getItem(0).alias("birthYear"), F.col("customerTime"));
}

/** Every risk score published to stedi-events, as (customer, score, riskDate, scoreTime). */
export function emailAndRiskScore(stediEventsRawDF: DataFrame): DataFrame {
  const stediEventsStreamingDF = stediEventsRawDF.selectExpr("cast(key as string) key", "cast(value as string) value", "timestamp as scoreTime");
  const customerRiskStreamingDF = stediEventsStreamingDF.withColumn("event", F.from_json(F.col("value"), stediEventsSchema)).select(F.col("event.*"), F.col("scoreTime"));
  const observedCustomerRiskStreamingDF = customerRiskStreamingDF.observe(
    STEDI_EVENTS_METRICS,
    F.count_if(F.col("customer").isNull().or(F.col("score").isNull()).or(F.col("riskDate").isNull())).alias("undecodable"),
  );
  return observedCustomerRiskStreamingDF.where("customer is not null and score is not null and riskDate is not null").select("customer", "score", "riskDate", "scoreTime");
}

/** The join on customer = email, as the (key, value) records for the customer-risk topic. */
export function riskScoreByBirthYearDF(spark: SparkSession, options: Omit<CustomerRiskOptions, "customerRiskTopic" | "checkpointLocation">): DataFrame {
  const { joinHorizon: horizon, joinLateness: lateness } = options;
  const redisServerRawStreamingDF = kafkaStream(spark, options.bootstrapServers, options.redisServerTopic);
  const stediEventsRawStreamingDF = kafkaStream(spark, options.bootstrapServers, options.stediEventsTopic);
  // A customer saved again (the app re-adds members, the CDC re-publishes a snapshot) is still one
  // customer. The key has no event time, so Spark keeps this state for ever: customers never expire.
  const emailAndBirthYearStreamingDF = emailAndBirthYear(redisServerRawStreamingDF).withWatermark("customerTime", lateness).dropDuplicates(["email"]);
  // A score that reached the topic twice (a producer retry) is still one score.
  const emailAndRiskScoreStreamingDF = emailAndRiskScore(stediEventsRawStreamingDF).withWatermark("scoreTime", lateness).dropDuplicatesWithinWatermark(["customer", "riskDate"]);
  // A score waits for its customer at most `horizon`; a customer waits for scores for ever. Left
  // outer, so that a score whose customer never came within the horizon comes out, to be counted.
  const riskScoreByBirthYear = emailAndRiskScoreStreamingDF.join(emailAndBirthYearStreamingDF, F.expr(`customer = email AND customerTime <= scoreTime + INTERVAL ${horizon}`), "left_outer");
  const observedRiskScoreByBirthYear = riskScoreByBirthYear.observe(LATE_SCORES_METRICS, F.count_if(F.col("email").isNull()).alias("unmatched"));
  const joinedRiskScoreByBirthYear = observedRiskScoreByBirthYear.where(F.col("email").isNotNull());
  // Key = email; value = {"customer","score","email","birthYear"}, score and birthYear as strings.
  // Spark's Kafka sink is at-least-once: a batch written before a crash, but not yet committed, is
  // written again on restart. The header names the score (key + riskDate, what the de-duplication
  // above keys on), so a consumer tells a re-written record from an equal score on another day.
  return joinedRiskScoreByBirthYear.select(
    F.col("email").alias("key"),
    F.to_json(F.struct(F.col("customer"), F.col("score").cast("string").alias("score"), F.col("email"), F.col("birthYear"))).alias("value"),
    F.array(F.struct(F.lit(RISK_DATE_HEADER).alias("key"), F.col("riskDate").cast("binary").alias("value"))).alias("headers"),
  );
}

/** The whole job, ready to start: the join, written as JSON to customer-risk with a durable checkpoint. */
export function customerRiskQuery(spark: SparkSession, options: CustomerRiskOptions): DataStreamWriter {
  return riskScoreByBirthYearDF(spark, options)
    .writeStream.format("kafka")
    .queryName(options.queryName ?? "customer-risk")
    .option("kafka.bootstrap.servers", options.bootstrapServers)
    .option("topic", options.customerRiskTopic)
    .option("checkpointLocation", options.checkpointLocation)
    .outputMode("append")
    .trigger({ processingTime: options.processingTime ?? "0 seconds" });
}
