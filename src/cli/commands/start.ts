import { join } from "node:path";
import { defineCommand } from "citty";
import { loadConfig, type StediConfig } from "../../config.js";
import { stackLayout } from "../../stack/layout.js";
import { endingOf, forgetPid, readPid, terminate, type PidRecord } from "../../stack/processes.js";
import type { Service } from "../../stack/services/service.js";
import { externalServices, serviceUp, stackDown, stackServices, stackUp } from "../../stack/stack.js";
import { progress, reportFailure } from "../report.js";
import { StediChild, Supervisor, type Supervised } from "../supervisor.js";

/** An engine of the stack (Redis, Kafka, Spark), as the supervisor sees it: probed with its own protocol. */
async function supervisedEngine(config: StediConfig, service: Service, keepOnStop: boolean): Promise<Supervised> {
  const layout = stackLayout(config);
  let record: PidRecord | undefined = await readPid(layout.pidsDir, service.name);
  return {
    name: service.name,
    logFile: join(layout.logsDir, service.logName),
    keepOnStop,
    async start() {
      try {
        // Restarts are reported by the supervisor in one line; start-up chatter would only add noise.
        await serviceUp(config, service.name, () => undefined);
      } finally {
        // Also when it did not become healthy in time: the process just launched is the one that
        // stop() must end, or it lives on unsupervised, holding the ports every later start needs.
        record = await readPid(layout.pidsDir, service.name);
      }
      return `pid ${record?.pid}`;
    },
    pid: () => record?.pid,
    ended: () => (record === undefined ? "not running" : endingOf(record)),
    healthy: async () => (await service.probe(config)).healthy,
    async stop(graceMs) {
      const running = record ?? (await readPid(layout.pidsDir, service.name));
      const outcome = running ? await terminate(running, graceMs) : "stopped";
      await forgetPid(layout.pidsDir, service.name);
      return outcome;
    },
  };
}

export default defineCommand({
  meta: { name: "start", description: "Run the whole STEDI system until Ctrl-C, restarting any process that dies or freezes" },
  args: {
    sim: { type: "boolean", description: "Run the simulation (--no-sim to turn it off)", default: true },
    "sim-speed": { type: "string", description: "Simulation speed factor (1 = the original's one round a minute, after a warm-up of 10 rounds a second apart; 60 = a round a second, for stress)", default: "1" },
    keep: { type: "boolean", description: "Leave the stack running on exit", default: false },
  },
  async run({ args }) {
    const config = loadConfig();
    const logs = join(config.runtimeDir, "logs");
    const started = Date.now();
    const supervisor = new Supervisor(progress, config.runtimeDir);
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
      const external = externalServices(config);
      for (const service of stackServices(config)) {
        if (!external.has(service.name)) await supervisor.start(await supervisedEngine(config, service, args.keep), { running: true });
      }
      const child = (name: string, childArgs: string[], logName: string, readyTimeoutMs: number): StediChild => new StediChild({ name, args: childArgs, logFile: join(logs, logName), readyTimeoutMs });
      progress(`cdc: ${await supervisor.start(child("cdc", ["cdc"], "cdc.log", 60_000))}`);
      const appArgs = ["app", ...(args.sim ? ["--sim", "--sim-speed", args["sim-speed"]] : [])];
      progress(`app: ${await supervisor.start(child("app", appArgs, "app.log", 60_000))}`);
      progress(`customer-risk job: ${await supervisor.start(child("customer-risk", ["job", "customer-risk"], "job-customer-risk.log", 180_000))}`);
    } catch (error) {
      reportFailure(error);
      await stop();
      return;
    }
    const url = `http://${config.app.host}:${config.app.port}`;
    progress(`STEDI is up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.stdout.write(`\n  Risk graph:  ${url}/graph.html\n  App:         ${url}/\n  Logs:        ${logs}\n  Status:      npx stedi stack status (restarts and uptime of every process)\n\n  Press Ctrl-C to stop.\n\n`);
    await stopped;
  },
});
