/**
 * `npm run bench -- <name> [args…]` runs bench/<name>/main.ts; with no name, lists the benchmarks.
 * Each prints its numbers and, where it has one, the ratio against a baseline run in the same go.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [name] = process.argv.slice(2);
const available = readdirSync("bench", { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join("bench", entry.name, "main.ts")))
  .map((entry) => entry.name);

if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${available.join(" | ")}> [options]\n`);
  process.exitCode = name ? 2 : 0;
} else {
  process.argv.splice(2, 1);
  await import(pathToFileURL(join(process.cwd(), "bench", name, "main.ts")).href);
}
