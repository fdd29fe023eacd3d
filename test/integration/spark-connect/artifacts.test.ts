/**
 * `addArtifacts` and `registerJavaFunction` against the real server. The jar is one that is
 * certainly not on the server's class path (commons-validator from the local Maven repository),
 * repacked at test time: the proof that it reached the session's class path is that `reflect()`
 * can call one of its classes afterwards, in that session only.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { AnalysisException } from "spark-connect-ts";
import { createSession, tempDir } from "./harness.js";

const VALIDATOR = "org.apache.commons.validator.GenericValidator";

/** A small jar holding commons-validator's classes, built from the copy in ~/.m2; undefined when there is none. */
async function buildValidatorJar(t: TestContext): Promise<string | undefined> {
  const root = join(homedir(), ".m2/repository/commons-validator/commons-validator");
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).find((v) => existsSync(join(root, v, `commons-validator-${v}.jar`)));
  if (version === undefined) return undefined;
  const dir = await tempDir(t, "artifact-jar");
  execFileSync("unzip", ["-q", join(root, version, `commons-validator-${version}.jar`), "org/apache/commons/validator/*", "-d", join(dir, "classes")]);
  const jar = join(dir, "validator-under-test.jar");
  execFileSync("jar", ["cf", jar, "-C", join(dir, "classes"), "."]);
  return jar;
}

const isBlank = (value: string): string => `select reflect('${VALIDATOR}', 'isBlankOrNull', '${value}') as blank`;

test("addArtifacts puts a jar on the session's class path, and only that session's", async (t) => {
  const jar = await buildValidatorJar(t);
  if (jar === undefined) return t.skip("no commons-validator jar in ~/.m2");
  const spark = await createSession(t);
  const other = await createSession(t);
  await assert.rejects(async () => (await spark.sql(isBlank(" "))).collect(), (error: unknown) => error instanceof AnalysisException && error.errorClass === "DATATYPE_MISMATCH.UNEXPECTED_CLASS_TYPE", "not on the server's class path before");
  await spark.addArtifacts(jar);
  assert.deepEqual(await (await spark.sql(isBlank(" "))).collect(), [{ blank: "true" }]);
  assert.deepEqual(await (await spark.sql(isBlank("x"))).collect(), [{ blank: "false" }]);
  await assert.rejects(async () => (await other.sql(isBlank(" "))).collect(), (error: unknown) => error instanceof AnalysisException && error.errorClass === "DATATYPE_MISMATCH.UNEXPECTED_CLASS_TYPE", "another session does not see it");
});

test("addArtifacts uploads files too, and refuses what it cannot place", async (t) => {
  const spark = await createSession(t);
  const dir = await tempDir(t, "artifact-file");
  const file = join(dir, "notes.txt");
  execFileSync("sh", ["-c", `printf 'hello' > '${file}'`]);
  await spark.addArtifacts(file, { file: true });
  await assert.rejects(spark.addArtifacts(file), /pass \{ file: true \}/);
  await assert.rejects(spark.addArtifacts(join(dir, "absent.jar")), /ENOENT/);
});

test("registerJavaFunction reaches the server's Java UDF registration", async (t) => {
  const spark = await createSession(t);
  await assert.rejects(spark.registerJavaFunction("nope", "com.example.DoesNotExist", "string"), (error: unknown) => {
    assert.ok(error instanceof AnalysisException);
    assert.match(error.message, /Can not load class com\.example\.DoesNotExist/);
    return true;
  });
  // A class that exists but implements no UDF interface is refused by name.
  await assert.rejects(spark.registerJavaFunction("not_udf", "java.lang.String"), (error: unknown) => error instanceof AnalysisException && error.errorClass === "NO_UDF_INTERFACE");
});
