import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import type { StackLayout } from "./layout.js";
import { KAFKA_VERSION } from "./versions.js";
import { StackError } from "./errors.js";

export type Progress = (message: string) => void;

// Both src/stack and dist/stack sit two levels below the package root.
const POM_DIR = fileURLToPath(new URL("../../src/stack/jvm/", import.meta.url));

export interface JarSet {
  readonly name: "kafka" | "spark";
  readonly version: string;
  readonly dir: string;
}

/**
 * The revision of kafka.pom.xml's jar set: a changed pom resolves into a folder of its own, so that
 * a cache resolved from an older pom (and the stacks still running from it) stays as it was.
 * 2: slf4j-api 2 (with 1.7 Kafka logged nothing).
 */
const KAFKA_JARS_REVISION = 2;

export function kafkaJars(layout: StackLayout): JarSet {
  return { name: "kafka", version: KAFKA_VERSION, dir: join(layout.jarsCacheDir, `kafka-${KAFKA_VERSION}-r${KAFKA_JARS_REVISION}`, "libs") };
}

/** Spark's jars sit in `<home>/jars`, the layout a worker expects when it launches executors. */
export function sparkHome(layout: StackLayout): string {
  return join(layout.jarsCacheDir, `spark-${layout.sparkVersion}`);
}

export function sparkJars(layout: StackLayout): JarSet {
  return { name: "spark", version: layout.sparkVersion, dir: join(sparkHome(layout), "jars") };
}

const COMPLETE_MARKER = ".complete";

export function jarsInstalled(jars: JarSet): boolean {
  return existsSync(join(jars.dir, COMPLETE_MARKER));
}

/** Resolves a jar set with Maven (first run downloads hundreds of MB), reporting each download. */
export async function installJars(jars: JarSet, progress: Progress): Promise<void> {
  if (jarsInstalled(jars)) return;
  await requireCommand("mvn", "Install Maven (apt-get install maven) or put it on PATH.");
  await rm(jars.dir, { recursive: true, force: true });
  await mkdir(jars.dir, { recursive: true });
  progress(`${jars.name} ${jars.version}: resolving jars from Maven Central into ${jars.dir} (first run only)`);
  const args = [
    "-B",
    "-f",
    join(POM_DIR, `${jars.name}.pom.xml`),
    `-D${jars.name}.version=${jars.version}`,
    "dependency:copy-dependencies",
    `-DoutputDirectory=${jars.dir}`,
  ];
  const started = Date.now();
  let downloaded = 0;
  let lastReport = 0;
  const tail: string[] = [];
  const child = spawn("mvn", args, { stdio: ["ignore", "pipe", "pipe"] });
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => {
    tail.push(line);
    if (tail.length > 30) tail.shift();
    if (/Downloaded from/.test(line)) {
      downloaded += 1;
      if (Date.now() - lastReport > 2_000) {
        lastReport = Date.now();
        progress(`${jars.name}: ${downloaded} files downloaded…`);
      }
    }
  });
  child.stderr.on("data", (chunk: Buffer) => tail.push(chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) {
    throw new StackError(
      `Maven could not resolve the ${jars.name} jars (exit ${code}).`,
      "Check that Maven Central is reachable and ~/.m2 is writable, then run `npx stedi stack install` again.",
      tail.join("\n"),
    );
  }
  await writeFile(join(jars.dir, COMPLETE_MARKER), new Date().toISOString());
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  progress(`${jars.name}: jars ready (${downloaded} files downloaded, ${seconds} s)`);
}

/** Installs Debian's redis-server when it is missing; only root can, others are told what to run. */
export async function installRedis(progress: Progress): Promise<void> {
  if (await commandExists("redis-server")) return;
  if (process.getuid?.() !== 0) {
    throw new StackError(
      "redis-server is not installed.",
      "Run `sudo apt-get install -y redis-server`, or point REDIS_HOST/REDIS_PORT at an existing Redis and set STEDI_EXTERNAL=redis.",
    );
  }
  progress("redis: installing Debian's redis-server with apt-get (first run only)");
  await run("apt-get", ["update", "-q"], progress);
  await run("apt-get", ["install", "-y", "-q", "--no-install-recommends", "redis-server"], progress);
  // Debian starts its own redis-server service on 6379: stop it so the stack owns that port.
  await run("sh", ["-c", "service redis-server stop >/dev/null 2>&1 || systemctl stop redis-server >/dev/null 2>&1 || true"], progress);
}

export async function commandExists(command: string): Promise<boolean> {
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    child.on("close", resolve);
    child.on("error", () => resolve(1));
  });
  return code === 0;
}

export async function requireCommand(command: string, hint: string): Promise<void> {
  if (!(await commandExists(command))) throw new StackError(`\`${command}\` was not found on PATH.`, hint);
}

async function run(command: string, args: string[], progress: Progress): Promise<void> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  const output: string[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    output.push(line);
    if (/^(Get|Setting up|Unpacking)/.test(line)) progress(`  ${line}`);
  });
  createInterface({ input: child.stderr }).on("line", (line) => output.push(line));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) {
    throw new StackError(`\`${command} ${args.join(" ")}\` failed (exit ${code}).`, "Run it by hand to see why.", output.slice(-20).join("\n"));
  }
}
