/**
 * The seed's sparkpykafkajoin.py as the course wrote it, with our client: the baseline that
 * bench/pipeline measures the customer-risk job against. Only the first entry of each ZADD, no
 * de-duplication, no metrics, no watermark; run with Spark's default settings (200 shuffle
 * partitions, the HDFS state store, the default trigger).
 */
import { functions as F, type DataStreamWriter, type SparkSession } from "spark-connect-ts";
import { customerSchema, redisMessageSchema, stediEventsSchema } from "../../src/jobs/schemas.js";
import type { CustomerRiskOptions } from "../../src/jobs/customer-risk.js";

export function naiveCustomerRiskQuery(spark: SparkSession, options: CustomerRiskOptions): DataStreamWriter {
  const redisServerRawStreamingDF = spark.readStream.format("kafka").option("kafka.bootstrap.servers", options.bootstrapServers).option("subscribe", options.redisServerTopic).option("startingOffsets", "earliest").load();
  const redisServerStreamingDF = redisServerRawStreamingDF.selectExpr("cast(key as string) key", "cast(value as string) value");
  const redisSortedSetDF = redisServerStreamingDF.withColumn("value", F.from_json(F.col("value"), redisMessageSchema)).select(F.col("value.*"));
  const zSetEntriesEncodedStreamingDF = redisSortedSetDF.select(F.col("key"), F.col("zSetEntries").getItem(0).getField("element").alias("encodedCustomer"));
  const zSetDecodedEntriesStreamingDF = zSetEntriesEncodedStreamingDF.withColumn("customer", F.unbase64(F.col("encodedCustomer")).cast("string"));
  const customerRecordsDF = zSetDecodedEntriesStreamingDF.withColumn("customer", F.from_json(F.col("customer"), customerSchema)).select(F.col("customer.*"));
  const emailAndBirthDayStreamingDF = customerRecordsDF.where("email is not null AND birthDay is not null").select("email", "birthDay");
  const emailAndBirthYearStreamingDF = emailAndBirthDayStreamingDF.select(F.col("email"), F.split(F.col("birthDay"), "-").getItem(0).alias("birthYear"));

  const stediEventsRawStreamingDF = spark.readStream.format("kafka").option("kafka.bootstrap.servers", options.bootstrapServers).option("subscribe", options.stediEventsTopic).option("startingOffsets", "earliest").load();
  const stediEventsStreamingDF = stediEventsRawStreamingDF.selectExpr("cast(key as string) key", "cast(value as string) value");
  const customerRiskStreamingDF = stediEventsStreamingDF.withColumn("value", F.from_json(F.col("value"), stediEventsSchema)).select(F.col("value.customer"), F.col("value.score"));

  const riskScoreByBirthYear = customerRiskStreamingDF.join(emailAndBirthYearStreamingDF, F.expr("customer = email"));
  return riskScoreByBirthYear
    .selectExpr("cast(customer as string) as key", "to_json(struct(*)) as value")
    .writeStream.format("kafka")
    .queryName(options.queryName ?? "naive-customer-risk")
    .option("kafka.bootstrap.servers", options.bootstrapServers)
    .option("topic", options.customerRiskTopic)
    .option("checkpointLocation", options.checkpointLocation)
    .outputMode("append");
}
