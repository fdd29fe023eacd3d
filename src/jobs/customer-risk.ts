/**
 * The customer-risk job: the TypeScript counterpart of the seed's sparkpykafkajoin.py. It joins the
 * customers' birth years (from the Redis CDC topic) with their risk scores (from stedi-events) and
 * publishes {customer, score, email, birthYear} to the customer-risk topic for the live graph.
 *
 * The decoding steps take the raw Kafka DataFrame as input, so the console jobs reuse them, and
 * they work on streaming and batch DataFrames alike.
 */
import { functions as F, type DataFrame, type DataStreamWriter, type SparkSession } from "spark-connect-ts";
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
}

/** Observed-metrics names: each batch's progress reports the records these steps set aside. */
export const REDIS_SERVER_METRICS = "redis_server_records";
export const CUSTOMER_ENTRY_METRICS = "customer_entries";
export const STEDI_EVENTS_METRICS = "stedi_events_records";

/** A Kafka topic as a stream, from its first offset: customers registered long ago still matter. */
export function kafkaStream(spark: SparkSession, bootstrapServers: string, topic: string): DataFrame {
  return spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", bootstrapServers)
    .option("subscribe", topic)
    .option("startingOffsets", "earliest")
    .option("failOnDataLoss", "false")
    .load();
}

/** Every Customer entry of every ZADD on the `Customer` key, as (email, birthYear). */
export function emailAndBirthYear(redisServerRawDF: DataFrame): DataFrame {
  // Kafka hands over bytes; the CDC source wrote JSON text.
  const redisServerStreamingDF = redisServerRawDF.selectExpr("cast(key as string) key", "cast(value as string) value");
  // Parse the Redis command and base64-decode its key; malformed JSON or base64 gives nulls, not errors.
  const redisSortedSetDF = redisServerStreamingDF
    .withColumn("command", F.from_json(F.col("value"), redisMessageSchema))
    .withColumn("redisKey", F.expr("cast(try_to_binary(command.key, 'base64') as string)"))
    .observe(
      REDIS_SERVER_METRICS,
      F.count(F.lit(1)).alias("records"),
      F.count_if(F.expr("command.key is null")).alias("undecodable"),
      F.count_if(F.expr("command.key is not null and coalesce(redisKey, '') <> 'Customer'")).alias("otherKeys"),
      F.count_if(F.expr("redisKey = 'Customer' and command.zSetEntries is null")).alias("notZadd"),
    );
  // Every (member, score) pair of a ZADD on Customer, the member decoded from base64.
  const zSetDecodedEntriesStreamingDF = redisSortedSetDF
    .where("redisKey = 'Customer'")
    .select(F.explode(F.col("command.zSetEntries")).alias("entry"))
    .withColumn("customer", F.expr("cast(try_to_binary(entry.element, 'base64') as string)"));
  // The member is the Customer JSON.
  const customerRecordsDF = zSetDecodedEntriesStreamingDF
    .withColumn("customer", F.from_json(F.col("customer"), customerSchema))
    .select(F.col("customer.*"))
    .observe(
      CUSTOMER_ENTRY_METRICS,
      F.count(F.lit(1)).alias("entries"),
      F.count_if(F.expr("email is null or birthDay is null")).alias("incomplete"),
    );
  const emailAndBirthDayStreamingDF = customerRecordsDF.where("email is not null and birthDay is not null").select("email", "birthDay");
  // birthYear is the first part of birthDay ("1963-01-31" → "1963").
  return emailAndBirthDayStreamingDF.select(F.col("email"), F.split(F.col("birthDay"), "-").getItem(0).alias("birthYear"));
}

/** Every risk score published to stedi-events, as (customer, score, riskDate). */
export function emailAndRiskScore(stediEventsRawDF: DataFrame): DataFrame {
  const stediEventsStreamingDF = stediEventsRawDF.selectExpr("cast(key as string) key", "cast(value as string) value");
  const customerRiskDF = stediEventsStreamingDF
    .withColumn("event", F.from_json(F.col("value"), stediEventsSchema))
    .select(F.col("event.*"))
    .observe(
      STEDI_EVENTS_METRICS,
      F.count(F.lit(1)).alias("records"),
      F.count_if(F.expr("customer is null or score is null or riskDate is null")).alias("undecodable"),
    );
  return customerRiskDF.where("customer is not null and score is not null and riskDate is not null").select("customer", "score", "riskDate");
}

/** The whole job, ready to start: join on customer = email and write JSON to customer-risk. */
export function customerRiskQuery(spark: SparkSession, options: CustomerRiskOptions): DataStreamWriter {
  const redisServerRawStreamingDF = kafkaStream(spark, options.bootstrapServers, options.redisServerTopic);
  const stediEventsRawStreamingDF = kafkaStream(spark, options.bootstrapServers, options.stediEventsTopic);
  // A customer saved again (the app re-adds members) is still one customer.
  const emailAndBirthYearStreamingDF = emailAndBirthYear(redisServerRawStreamingDF).dropDuplicates(["email"]);
  // A score that reached the topic twice (a producer retry) is still one score.
  const emailAndRiskScoreStreamingDF = emailAndRiskScore(stediEventsRawStreamingDF).dropDuplicates(["customer", "riskDate"]);
  // Inner join: a score waits in state for its customer, and a customer for its scores.
  const riskScoreByBirthYear = emailAndRiskScoreStreamingDF.join(emailAndBirthYearStreamingDF, F.expr("customer = email"));
  // Key = email; value = {"customer","score","email","birthYear"}, score and birthYear as strings.
  return riskScoreByBirthYear
    .selectExpr("cast(email as string) as key", "to_json(struct(customer, cast(score as string) as score, email, birthYear)) as value")
    .writeStream.format("kafka")
    .queryName(options.queryName ?? "customer-risk")
    .option("kafka.bootstrap.servers", options.bootstrapServers)
    .option("topic", options.customerRiskTopic)
    .option("checkpointLocation", options.checkpointLocation)
    .outputMode("append")
    .trigger({ processingTime: options.processingTime ?? "0 seconds" });
}
