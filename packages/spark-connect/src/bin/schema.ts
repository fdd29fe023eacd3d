#!/usr/bin/env node
/**
 * `spark-connect-ts-schema <table | query> [--name Name]`: prints the TypeScript interface of a
 * table's or a query's rows (see `schemaToTypeScript`), asking the server at SPARK_REMOTE
 * (default sc://localhost:15002) for the schema. An argument with whitespace is a query.
 *
 *   SPARK_REMOTE=sc://spark:15002 npx spark-connect-ts-schema db.people --name Person > person.ts
 */
import { parseArgs } from "node:util";
import { SparkSession } from "../session.js";
import { schemaToTypeScript } from "../types/schema-to-typescript.js";
import type { Int64Mode, TimestampMode } from "../result-options.js";

const USAGE = "usage: spark-connect-ts-schema <table | query> [--name Name] [--int64 exact|number|bigint] [--timestamp date|micros]";

/** `db.people_events` → `PeopleEvents`: the last part of the table name, in PascalCase. */
function interfaceNameOf(table: string): string {
  const last = table.split(".").at(-1)?.replaceAll("`", "") ?? "";
  const name = last
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
  return /^[A-Za-z_]/.test(name) ? name : `Row${name}`;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { name: { type: "string" }, int64: { type: "string" }, timestamp: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const source = positionals.join(" ").trim();
  if (values.help === true || source === "") {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = values.help === true ? 0 : 2;
    return;
  }
  const isQuery = /\s/.test(source);
  const name = values.name ?? (isQuery ? "Row" : interfaceNameOf(source));
  const decoding = { int64: (values.int64 ?? "exact") as Int64Mode, timestamp: (values.timestamp ?? "date") as TimestampMode };
  // The builder checks the modes, so a wrong one fails before connecting.
  const spark = await SparkSession.builder().resultOptions(decoding).getOrCreate();
  try {
    const df = isQuery ? await spark.sql(source) : spark.table(source);
    process.stdout.write(schemaToTypeScript(await df.schema(), name, decoding));
  } finally {
    await spark.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`spark-connect-ts-schema: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
