import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { defineCommand } from "citty";

// Both src/cli/commands and dist/cli/commands sit three levels below the package root.
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export default defineCommand({
  meta: { name: "bench", description: "Run a benchmark from bench/ (spark-connect | cdc | app | pipeline | system); needs the stack up" },
  args: {
    name: { type: "positional", required: false, description: "the benchmark; none lists them" },
  },
  async run({ rawArgs }) {
    // The benchmarks are TypeScript run from source, as `npm run bench` does; their flags pass through.
    const child = spawn(process.execPath, ["--conditions=spark-connect-ts-source", "--import", "tsx", "bench/run.ts", ...rawArgs], { cwd: ROOT, stdio: "inherit" });
    process.exitCode = await new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 1)));
  },
});
