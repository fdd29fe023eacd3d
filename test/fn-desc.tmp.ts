import { SparkSession } from "spark-connect-ts";
const spark = await SparkSession.builder().remote(process.env.SPARK_REMOTE!).create();
const names = process.argv.slice(2);
for (const n of names) {
  const rows = await (await spark.sql(`DESCRIBE FUNCTION ${n}`)).collect();
  const usage = rows.map((r) => String(r.function_desc)).filter((t) => t.startsWith("Usage")).join(" ").replace(/\s+/g, " ");
  console.log(`${n}: ${usage.slice(0, 260)}`);
}
await spark.stop();
