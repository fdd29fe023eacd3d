/**
 * The validation jobs of the seed (sparkpyeventskafkastreamtoconsole.py and
 * sparkpyrediskafkastreamtoconsole.py): print each micro-batch of a decoded stream in the console
 * sink's format.
 *
 * Spark's console sink prints on the Connect server, not here. So the job hands each micro-batch to
 * the client library's `foreachBatch` (which replays the batch's exact Kafka offset range as a batch
 * DataFrame, decoded the same way) and prints Spark's own rendering of it (`showString`). Nothing
 * accumulates: memory stays bounded however long it runs.
 */
import type { DataFrame, DataStreamWriter, SparkSession } from "spark-connect-ts";
import { emailAndBirthYear, emailAndRiskScore, kafkaStream } from "./customer-risk.js";

export interface ConsoleSource {
  readonly bootstrapServers: string;
  readonly topic: string;
}

export interface ConsoleView {
  /** Raw Kafka rows → the rows to print. */
  readonly decode: (raw: DataFrame) => DataFrame;
}

/** stedi-events decoded: (customer, score). */
export const eventsView: ConsoleView = { decode: (raw) => emailAndRiskScore(raw).select("customer", "score") };

/** redis-server decoded: (email, birthYear) of every Customer entry. */
export const customersView: ConsoleView = { decode: (raw) => emailAndBirthYear(raw).select("email", "birthYear") };

/** The console job's query: each micro-batch of the decoded stream, rendered and handed to `print`. */
export function consoleQuery(spark: SparkSession, source: ConsoleSource, view: ConsoleView, queryName: string, print: (text: string) => void): DataStreamWriter {
  return view
    .decode(kafkaStream(spark, source.bootstrapServers, source.topic))
    .writeStream.queryName(queryName)
    .trigger({ processingTime: "1 second" })
    .foreachBatch(async (batchDF, batchId) => print(await renderBatch(batchDF, batchId)));
}

/** The batch as the console sink prints it: a `Batch: N` banner, then up to 20 rows, truncated. */
export async function renderBatch(batchDF: DataFrame, batchId: number): Promise<string> {
  const table = await batchDF.showString(20, true);
  const rule = "-".repeat(43);
  return `${rule}\nBatch: ${batchId}\n${rule}\n${table}\n`;
}
