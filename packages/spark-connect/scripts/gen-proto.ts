/**
 * Generates the Spark Connect protocol code (src/gen/) from the `.proto` files shipped inside the
 * official Spark Connect server jar, `org.apache.spark:spark-connect_2.13` (from 4.2 on the only
 * artifact that carries them: spark-connect-common is no longer published). Neither the protos nor
 * the generated code are committed: this runs as part of `npm run build`, unattended, and skips
 * all work when the stamp in src/gen/ says the output is already generated from the same inputs.
 * It also writes src/gen/protocol-version.ts, so the client knows which server it was built for.
 *
 *   SPARK_CONNECT_PROTO_VERSION   Spark version whose protocol to generate (default below)
 *   SPARK_CONNECT_PROTO_JAR       use this jar instead of resolving it with Maven
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The protocol this client is written against; Spark Connect servers accept older clients' plans. */
const DEFAULT_SPARK_VERSION = "4.2.0";
const ARTIFACT = "org.apache.spark:spark-connect_2.13";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const protoDir = join(packageDir, "proto");
const genDir = join(packageDir, "src", "gen");
const stampFile = join(genDir, ".stamp.json");
const binDirs = [join(packageDir, "node_modules", ".bin"), join(packageDir, "..", "..", "node_modules", ".bin")];

const log = (message: string): void => void process.stderr.write(`[spark-connect gen] ${message}\n`);

function run(command: string, args: string[], cwd = packageDir): Promise<void> {
  const path = [...binDirs, process.env.PATH ?? ""].join(":");
  const child = spawn(command, args, { cwd, env: { ...process.env, PATH: path }, stdio: ["ignore", "inherit", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", (error) => reject(new Error(`cannot run ${command}: ${error.message}. Is it installed and on PATH?`)));
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code}\n${stderr.trim()}`)),
    );
  });
}

async function generatorVersion(): Promise<string> {
  for (const dir of [packageDir, join(packageDir, "..", "..")]) {
    const file = join(dir, "node_modules", "@bufbuild", "protoc-gen-es", "package.json");
    if (existsSync(file)) return (JSON.parse(await readFile(file, "utf8")) as { version: string }).version;
  }
  throw new Error("@bufbuild/protoc-gen-es is not installed: run `npm install` at the repository root first.");
}

/** The jar from the local Maven repository, resolving it from Maven Central when absent. */
async function serverJar(version: string): Promise<string> {
  const explicit = process.env.SPARK_CONNECT_PROTO_JAR;
  if (explicit) return explicit;
  const [group, artifact] = ARTIFACT.split(":") as [string, string];
  const local = join(homedir(), ".m2", "repository", ...group.split("."), artifact, version, `${artifact}-${version}.jar`);
  if (existsSync(local)) return local;
  log(`resolving ${ARTIFACT}:${version} from Maven Central…`);
  const tmp = await mkdtemp(join(tmpdir(), "spark-connect-jar-"));
  await run("mvn", ["-B", "-q", "dependency:copy", `-Dartifact=${ARTIFACT}:${version}`, `-DoutputDirectory=${tmp}`], tmp);
  const jar = readdirSync(tmp).find((name) => name.endsWith(".jar"));
  if (!jar) throw new Error(`Maven reported success but left no jar in ${tmp}`);
  return join(tmp, jar);
}

function listProtos(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".proto"));
}

async function main(): Promise<void> {
  const version = process.env.SPARK_CONNECT_PROTO_VERSION ?? DEFAULT_SPARK_VERSION;
  const stamp = JSON.stringify({ artifact: ARTIFACT, version, generator: await generatorVersion() });
  if (existsSync(stampFile) && (await readFile(stampFile, "utf8")) === stamp) {
    log(`up to date (Spark ${version} protocol)`);
    return;
  }
  const jar = await serverJar(version);
  log(`extracting the .proto files from ${jar}`);
  await rm(protoDir, { recursive: true, force: true });
  await mkdir(protoDir, { recursive: true });
  await run("jar", ["xf", jar, "spark/connect"], protoDir);
  const protos = listProtos(protoDir);
  if (protos.length === 0) throw new Error(`${jar} holds no spark/connect/*.proto files`);
  log(`generating TypeScript for ${protos.length} proto files into src/gen/`);
  await rm(genDir, { recursive: true, force: true });
  const template = {
    version: "v2",
    plugins: [{ local: "protoc-gen-es", out: "src/gen", opt: ["target=ts", "import_extension=js"] }],
  };
  await run("buf", ["generate", "proto", "--template", JSON.stringify(template)]);
  await writeFile(
    join(genDir, "protocol-version.ts"),
    `/** The Spark version whose Spark Connect protocol this code was generated from. */\nexport const PROTOCOL_VERSION = ${JSON.stringify(version)};\n`,
  );
  await writeFile(stampFile, stamp);
  log("done");
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  log("The build needs Maven (mvn) and a JDK (jar) on PATH, and Maven Central reachable on first run.");
  process.exitCode = 1;
});
