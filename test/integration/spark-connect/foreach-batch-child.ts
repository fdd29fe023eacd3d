/**
 * A foreachBatch program for the crash tests, run as its own process so that the test can SIGKILL
 * it: it appends every record it is handed to a file, one JSON line per record, and prints
 * `started` once the query runs, and stops its query on SIGTERM. With `HANG_ON=<value>`, the handler of the batch holding that
 * value writes its records and a `{"hang":batchId}` line, then never completes.
 *
 *   foreach-batch-child.ts <topic> <checkpoint> <commit log> <output file>
 */
import { appendFileSync } from "node:fs";
import { SparkSession } from "spark-connect-ts";

const [topic, checkpoint, commitLog, output] = process.argv.slice(2) as [string, string, string, string];
const hangOn = process.env.HANG_ON;
const spark = await SparkSession.builder().remote(process.env.SPARK_REMOTE ?? "sc://127.0.0.1:15002").appName("foreach-batch-crash-child").create();
const query = await spark.readStream
  .format("kafka")
  .option("kafka.bootstrap.servers", process.env.KAFKA_BROKER ?? "127.0.0.1:9092")
  .option("subscribe", topic)
  .option("startingOffsets", "earliest")
  .load()
  .selectExpr("partition", "offset", "CAST(value AS STRING) AS value")
  .writeStream.option("checkpointLocation", checkpoint)
  .trigger({ processingTime: "500 milliseconds" })
  .foreachBatch(
    async (batchDf, batchId) => {
      const rows = await batchDf.collect();
      const lines = rows.map((row) => JSON.stringify({ batchId, partition: row.partition, offset: Number(row.offset), value: row.value }));
      if (lines.length > 0) appendFileSync(output, `${lines.join("\n")}\n`);
      if (hangOn !== undefined && rows.some((row) => row.value === hangOn)) {
        appendFileSync(output, `${JSON.stringify({ hang: batchId })}\n`);
        await new Promise<never>(() => undefined);
      }
    },
    { commitLog, pollMs: 200 },
  )
  .start();
process.stdout.write("started\n");
// SIGTERM stops the query cleanly (the test's last run), so no query is left running on the server.
process.once("SIGTERM", () => void query.stop().then(() => spark.stop()));
await query.awaitTermination();
await spark.stop();
