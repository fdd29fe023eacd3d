import { join } from "node:path";
import { defineCommand } from "citty";
import { loadConfig } from "../../config.js";
import { stackDown, stackUp } from "../../stack/stack.js";
import { progress, reportFailure } from "../report.js";
import { Supervisor } from "../supervisor.js";

export default defineCommand({
  meta: { name: "start", description: "Run the whole STEDI system until Ctrl-C" },
  args: {
    sim: { type: "boolean", description: "Run the simulation (--no-sim to turn it off)", default: true },
    "sim-speed": { type: "string", description: "Simulation speed factor (1 = the original's one round a minute, after a warm-up of 10 rounds a second apart; 60 = a round a second, for stress)", default: "1" },
    keep: { type: "boolean", description: "Leave the stack running on exit", default: false },
  },
  async run({ args }) {
    const config = loadConfig();
    const logs = join(config.runtimeDir, "logs");
    const started = Date.now();
    const supervisor = new Supervisor(progress);
    let stopping = false;
    const stop = async (): Promise<void> => {
      if (stopping) return;
      stopping = true;
      progress("stopping…");
      await supervisor.stop();
      if (!args.keep) await stackDown(config, progress);
      progress("stopped");
    };
    const stopped = new Promise<void>((resolve) => {
      const onSignal = (): void => void stop().then(resolve);
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
    });
    try {
      await stackUp(config, progress);
      progress(`cdc: ${await supervisor.start({ name: "cdc", args: ["cdc"], logFile: join(logs, "cdc.log"), readyTimeoutMs: 60_000 })}`);
      const appArgs = ["app", ...(args.sim ? ["--sim", "--sim-speed", args["sim-speed"]] : [])];
      progress(`app: ${await supervisor.start({ name: "app", args: appArgs, logFile: join(logs, "app.log"), readyTimeoutMs: 60_000 })}`);
      const job = await supervisor.start({ name: "customer-risk", args: ["job", "customer-risk"], logFile: join(logs, "job-customer-risk.log"), readyTimeoutMs: 180_000 });
      progress(`customer-risk job: ${job}`);
    } catch (error) {
      reportFailure(error);
      await stop();
      return;
    }
    const url = `http://${config.app.host}:${config.app.port}`;
    progress(`STEDI is up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.stdout.write(`\n  Risk graph:  ${url}/graph.html\n  App:         ${url}/\n  Logs:        ${logs}\n\n  Press Ctrl-C to stop.\n\n`);
    await stopped;
  },
});
