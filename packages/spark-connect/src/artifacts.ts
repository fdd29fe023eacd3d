/**
 * Files a session uploads to the server (PySpark's `addArtifacts`): jars and classes join the
 * session's class path, other files and archives land in its working directory. Each session has
 * its own artifacts: they are invisible to other sessions.
 */
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { Artifact } from "./client/spark-connect-client.js";

/** What an artifact is for, which decides where the server puts it. */
export interface AddArtifactsOptions {
  /** A plain file, available to tasks through SparkFiles (default for anything but .jar and .class). */
  readonly file?: boolean;
  /** An archive (.zip, .tar.gz …) that the server unpacks. */
  readonly archive?: boolean;
}

/** The server-side name of a local file: `jars/x.jar`, `classes/X.class`, `files/x` or `archives/x`. */
export function artifactName(path: string, options: AddArtifactsOptions = {}): string {
  if (options.file && options.archive) throw new TypeError("an artifact is either a file or an archive, not both");
  const name = basename(path);
  if (options.archive) return `archives/${name}`;
  if (options.file) return `files/${name}`;
  const extension = extname(name).toLowerCase();
  if (extension === ".jar") return `jars/${name}`;
  if (extension === ".class") return `classes/${name}`;
  throw new TypeError(`cannot tell what ${path} is for: pass { file: true } or { archive: true }, or give a .jar or .class`);
}

export async function readArtifacts(paths: readonly string[], options: AddArtifactsOptions = {}): Promise<Artifact[]> {
  return Promise.all(paths.map(async (path) => ({ name: artifactName(path, options), data: new Uint8Array(await readFile(path)) })));
}
