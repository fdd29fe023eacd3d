/**
 * The validation jobs of the seed (sparkpyeventskafkastreamtoconsole.py and
 * sparkpyrediskafkastreamtoconsole.py): print each micro-batch of a decoded stream in the console
 * sink's format.
 *
 * Spark's console sink prints on the Connect server, not here. So the streaming query runs the
 * decoding into Spark's `noop` sink, and for each batch it ran, the job reads that batch's exact
 * Kafka offset range back as a batch DataFrame, decodes it the same way, and prints Spark's own
 * rendering of it (`showString`). Nothing accumulates: memory stays bounded however long it runs.
 */
import type { DataFrame, DataStreamWriter, SparkSession, StreamingQueryProgress } from "spark-connect-ts";
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

export function consoleQuery(spark: SparkSession, source: ConsoleSource, view: ConsoleView, queryName: string): DataStreamWriter {
  return view.decode(kafkaStream(spark, source.bootstrapServers, source.topic)).writeStream.format("noop").queryName(queryName).trigger({ processingTime: "1 second" });
}

/** Kafka offsets as progress reports them: `{"topic":{"0":42}}`. */
type Offsets = Record<string, Record<string, number>>;

function isOffsets(value: unknown): value is Offsets {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The batch as the console sink prints it: a `Batch: N` banner, then up to 20 rows, truncated. */
export async function renderBatch(spark: SparkSession, source: ConsoleSource, view: ConsoleView, progress: StreamingQueryProgress): Promise<string> {
  const { startOffset, endOffset } = progress.sources[0] ?? {};
  if (!isOffsets(endOffset)) return "";
  const batchDF = spark.read
    .format("kafka")
    .option("kafka.bootstrap.servers", source.bootstrapServers)
    .option("subscribe", source.topic)
    .option("startingOffsets", isOffsets(startOffset) ? JSON.stringify(startOffset) : "earliest")
    .option("endingOffsets", JSON.stringify(endOffset))
    .load();
  const table = await view.decode(batchDF).showString(20, true);
  const rule = "-".repeat(43);
  return `${rule}\nBatch: ${progress.batchId}\n${rule}\n${table}\n`;
}
