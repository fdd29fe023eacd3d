/**
 * The package as a user gets it: `npm pack`, installed from the tarball (its dependencies from the
 * registry) into a fresh project outside the monorepo, then compiled with tsc and run under each
 * of TypeScript's module resolutions — node16 (ESM), bundler, and node10 (CommonJS, which Node
 * >= 20.19 runs through require(esm)). Each program runs a small query against SPARK_REMOTE and
 * checks that `toArrow()` returns the user's own apache-arrow Table (one copy, as a peer).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { BROKER, REMOTE, createTopics, produce, tempDir } from "./harness.js";

const run = promisify(execFile);
const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../packages/spark-connect");
const TYPESCRIPT = "typescript@5.9.3";
const NODE_TYPES = "@types/node@20.19.43";

const PROGRAM = `
import { SparkSession, functions as F, types as T, type Row } from "spark-connect-ts";
import { Table } from "apache-arrow";

async function main(): Promise<void> {
  const spark = await SparkSession.builder().remote(process.env.SPARK_REMOTE ?? "sc://127.0.0.1:15002").create();
  try {
    const df = spark.range(3).withColumn("twice", F.col("id").multiply(2));
    const rows: Row[] = await df.collect();
    const schema: T.StructType = await df.schema();
    const table = await df.toArrow();
    console.log(JSON.stringify({
      rows,
      fields: schema.fieldNames(),
      sameArrow: table instanceof Table,
      version: await spark.version(),
    }));
  } finally {
    await spark.stop();
  }
}
main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/** What a user writes first: a batch program (createDataFrame, a window, a join with duplicate names, a pivot) and a streaming one (Kafka → foreachBatch, with listener events). */
const USER_PROGRAM = `
import { FileCommitLog, SparkSession, Window, functions as F, valuesOf, type ForeachBatchHandler, type StreamingQueryListenerEvent } from "spark-connect-ts";

async function main(): Promise<void> {
  const spark = await SparkSession.builder().remote(process.env.SPARK_REMOTE ?? "sc://127.0.0.1:15002").create();
  try {
    const sales = await spark.createDataFrame([
      { shop: "a", month: "jan", amount: 10 },
      { shop: "a", month: "feb", amount: 30 },
      { shop: "b", month: "jan", amount: 20 },
    ]);
    const ranked = await sales
      .withColumn("rank", F.row_number().over(Window.partitionBy("shop").orderBy(F.desc("amount"))))
      .orderBy("shop", "rank")
      .select("shop", "amount", "rank")
      .collect();
    const shops = await spark.createDataFrame([{ shop: "a", city: "Oslo" }, { shop: "b", city: "Rome" }]);
    const joined = await sales.join(shops, sales.col("shop").eq(shops.col("shop"))).select(sales.col("shop"), shops.col("shop"), "city").orderBy("city").limit(1).collect();
    const pivoted = await sales.groupBy("shop").pivot("month", ["jan", "feb"]).sum("amount").orderBy("shop").collect();

    const events: StreamingQueryListenerEvent[] = [];
    const listening = (async () => {
      for await (const event of spark.streams.events()) {
        events.push(event);
        if (event.type === "terminated") return;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const delivered: Array<{ batchId: number; value: string }> = [];
    const handler: ForeachBatchHandler = async (batchDf, batchId) => {
      for (const row of await batchDf.collect()) delivered.push({ batchId, value: String(row.value) });
    };
    const commitLog = new FileCommitLog(process.env.COMMIT_LOG ?? "commits.json");
    const query = await spark.readStream
      .format("kafka")
      .option("kafka.bootstrap.servers", process.env.KAFKA_BROKER ?? "127.0.0.1:9092")
      .option("subscribe", process.env.TOPIC ?? "")
      .option("startingOffsets", "earliest")
      .load()
      .selectExpr("CAST(value AS STRING) AS value")
      .where(F.col("value").startswith("pkg-"))
      .writeStream.option("checkpointLocation", process.env.CHECKPOINT ?? "checkpoint")
      .trigger({ processingTime: "500 milliseconds" })
      .foreachBatch(handler, { commitLog })
      .start();
    await query.processAllAvailable();
    await query.stop();
    await Promise.race([listening, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    const handled = await commitLog.read();
    console.log(JSON.stringify({
      ranked,
      joined: joined.map(valuesOf),
      pivoted,
      delivered: delivered.map((row) => row.value),
      ordered: delivered.every((row, i) => i === 0 || row.batchId >= delivered[i - 1]!.batchId),
      committedBatch: handled?.batchId,
      events: [...new Set(events.filter((event) => event.type !== "progress" || event.progress.id === query.id).map((event) => event.type))],
    }));
  } finally {
    await spark.stop();
  }
}
main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/** One tsconfig per module resolution; the CommonJS build goes to a folder marked as CommonJS. */
const RESOLUTIONS = {
  node16: { module: "node16", moduleResolution: "node16", outDir: "out-node16" },
  bundler: { module: "esnext", moduleResolution: "bundler", outDir: "out-bundler" },
  node10: { module: "commonjs", moduleResolution: "node10", outDir: "out-node10" },
} as const;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** Every path the manifest, the conditions and the source maps name must be in the package. */
async function assertNothingDangles(installed: string): Promise<void> {
  const manifest = JSON.parse(await readFile(join(installed, "package.json"), "utf8")) as Record<string, unknown>;
  const targets: string[] = [manifest.main as string, manifest.types as string];
  const collect = (value: unknown): void => {
    if (typeof value === "string") targets.push(value);
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
  };
  collect(manifest.exports);
  for (const target of targets) assert.ok(existsSync(join(installed, target)), `package.json names ${target}, which is not in the package`);
  for (const map of (await filesUnder(join(installed, "dist"))).filter((file) => file.endsWith(".map"))) {
    const { sources } = JSON.parse(await readFile(map, "utf8")) as { sources: string[] };
    for (const source of sources) assert.ok(existsSync(resolve(dirname(map), source)), `${map} points at ${source}, which is not in the package`);
  }
  assert.ok(!existsSync(join(installed, "node_modules", "apache-arrow")), "apache-arrow is a peer: the user's copy is the only one");
}

test("the packed package installs into a fresh project and runs under node16, bundler and node10", { timeout: 600_000 }, async (t) => {
  await run("npm", ["run", "build"], { cwd: PACKAGE_DIR });
  const out = await tempDir(t, "spark-connect-ts-pack");
  const { stdout: packed } = await run("npm", ["pack", "--json", "--pack-destination", out], { cwd: PACKAGE_DIR });
  const [{ filename, size }] = JSON.parse(packed) as [{ filename: string; size: number }];
  t.diagnostic(`packed ${filename}: ${(size / 1024).toFixed(1)} KiB`);

  const project = await tempDir(t, "spark-connect-ts-user");
  assert.ok(!project.startsWith(resolve(PACKAGE_DIR, "../..")), "the project lives outside the monorepo");
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module" }));
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", join(out, filename), "apache-arrow@^21", TYPESCRIPT, NODE_TYPES], {
    cwd: project,
    maxBuffer: 16 * 1024 * 1024,
  });
  await assertNothingDangles(join(project, "node_modules", "spark-connect-ts"));
  await writeFile(join(project, "main.ts"), PROGRAM);

  for (const [name, options] of Object.entries(RESOLUTIONS)) {
    await t.test(name, async () => {
      const tsconfig = `tsconfig.${name}.json`;
      const compilerOptions = { ...options, target: "es2022", strict: true, types: ["node"], skipLibCheck: false, esModuleInterop: true };
      await writeFile(join(project, tsconfig), JSON.stringify({ compilerOptions, files: ["main.ts"] }));
      await run(join(project, "node_modules", ".bin", "tsc"), ["-p", tsconfig], { cwd: project }).catch((error: { stdout?: string }) => {
        throw new Error(`tsc under ${name} failed:\n${error.stdout ?? String(error)}`);
      });
      if (options.module === "commonjs") {
        await mkdir(join(project, options.outDir), { recursive: true });
        await writeFile(join(project, options.outDir, "package.json"), JSON.stringify({ type: "commonjs" }));
      }
      const { stdout } = await run(process.execPath, [join(options.outDir, "main.js")], { cwd: project, env: { ...process.env, SPARK_REMOTE: REMOTE } });
      const result = JSON.parse(stdout) as { rows: unknown; fields: string[]; sameArrow: boolean; version: string };
      assert.deepEqual(result.rows, [
        { id: 0, twice: 0 },
        { id: 1, twice: 2 },
        { id: 2, twice: 4 },
      ]);
      assert.deepEqual(result.fields, ["id", "twice"]);
      assert.equal(result.sameArrow, true, "toArrow() returns a Table of the user's apache-arrow");
      assert.match(result.version, /^4\./);
    });
  }

  await t.test("a batch program and a streaming program", async () => {
    await writeFile(join(project, "user.ts"), USER_PROGRAM);
    const compilerOptions = { ...RESOLUTIONS.node16, outDir: "out-user", target: "es2022", strict: true, types: ["node"], skipLibCheck: false };
    await writeFile(join(project, "tsconfig.user.json"), JSON.stringify({ compilerOptions, files: ["user.ts"] }));
    await run(join(project, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.user.json"], { cwd: project }).catch((error: { stdout?: string }) => {
      throw new Error(`tsc failed:\n${error.stdout ?? String(error)}`);
    });
    const [topic] = await createTopics(t, "package-foreach");
    const values = Array.from({ length: 12 }, (_, i) => `pkg-${i}`);
    await produce(topic!, [...values, "other"].map((value, i) => ({ key: `k${i}`, value })));
    const env = { ...process.env, SPARK_REMOTE: REMOTE, KAFKA_BROKER: BROKER, TOPIC: topic!, CHECKPOINT: join(project, "checkpoint"), COMMIT_LOG: join(project, "commits.json") };
    const { stdout } = await run(process.execPath, [join("out-user", "user.js")], { cwd: project, env });
    const result = JSON.parse(stdout) as { ranked: unknown; joined: unknown; pivoted: unknown; delivered: string[]; ordered: boolean; committedBatch: number | undefined; events: string[] };
    assert.deepEqual(result.ranked, [
      { shop: "a", amount: 30, rank: 1 },
      { shop: "a", amount: 10, rank: 2 },
      { shop: "b", amount: 20, rank: 1 },
    ]);
    assert.deepEqual(result.joined, [["a", "a", "Oslo"]], "both shop columns survive, by position");
    assert.deepEqual(result.pivoted, [
      { shop: "a", jan: 10, feb: 30 },
      { shop: "b", jan: 20, feb: null },
    ]);
    assert.deepEqual([...result.delivered].sort(), [...values].sort(), "foreachBatch handed over every record the stream kept, once");
    assert.equal(result.ordered, true, "batches in order");
    assert.equal(typeof result.committedBatch, "number", "the commit log holds the last handled batch");
    assert.ok(result.events.includes("progress") && result.events.includes("terminated"), `listener events of the foreachBatch query: ${result.events.join(", ")}`);
  });
});
