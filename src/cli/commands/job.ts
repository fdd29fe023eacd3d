import { defineCommand } from "citty";
import { loadConfig } from "../../config.js";
import { JOBS, runUntilStopped } from "../../jobs/job-process.js";
import { notifyReady } from "../supervisor.js";

export default defineCommand({
  meta: { name: "job", description: "Run a streaming job on Spark until stopped" },
  args: {
    name: { type: "positional", required: true, description: Object.keys(JOBS).join(" | ") },
  },
  async run({ args }) {
    const spec = JOBS[args.name];
    if (!spec) {
      process.stderr.write(`unknown job "${args.name}"; choose one of: ${Object.keys(JOBS).join(", ")}\n`);
      process.exitCode = 2;
      return;
    }
    const stop = new AbortController();
    process.once("SIGINT", () => stop.abort());
    process.once("SIGTERM", () => stop.abort());
    await runUntilStopped(args.name, spec, loadConfig(), { signal: stop.signal, onReady: notifyReady });
  },
});
