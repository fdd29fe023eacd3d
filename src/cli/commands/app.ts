import { defineCommand } from "citty";
import { loadConfig } from "../../config.js";
import { startApp } from "../../app/server.js";
import { progress, reportFailure } from "../report.js";
import { notifyReady } from "../supervisor.js";

export const simulationArgs = {
  "sim-speed": { type: "string", description: "Simulation speed factor: 1 = a round a minute (the original), 60 = a round a second (the first 10 rounds always run that fast)", default: "1" },
  "sim-seed": { type: "string", description: "Seed of the simulation's random numbers, for repeatable runs" },
} as const;

/** A positive number from a flag, or a message that says which flag is wrong. */
export function positiveNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number, not "${value}"`);
  return parsed;
}

export default defineCommand({
  meta: { name: "app", description: "Run the STEDI web app (API, pages, live risk graph) until Ctrl-C" },
  args: {
    sim: { type: "boolean", description: "Start the simulation at once", default: false },
    ...simulationArgs,
    port: { type: "string", description: "Port to listen on (default STEDI_PORT or 4567)" },
    "demo-on-any-address": { type: "boolean", description: "Offer the demo account (public password) even when STEDI_HOST is not a loopback address", default: false },
  },
  async run({ args }) {
    try {
      const port = positiveNumber("port", args.port);
      const config = loadConfig(port === undefined ? process.env : { ...process.env, STEDI_PORT: String(port) });
      const speed = positiveNumber("sim-speed", args["sim-speed"]);
      const seed = positiveNumber("sim-seed", args["sim-seed"]);
      const app = await startApp(config, { demoUserOnAnyAddress: args["demo-on-any-address"], simulation: { autoStart: args.sim, ...(speed === undefined ? {} : { speed }), seed } });
      notifyReady(`listening at ${app.url}${args.sim ? ", simulation on" : ""}`);
      progress(`STEDI app at ${app.url} — risk graph at ${app.url}/graph.html${args.sim ? `, simulation on (speed ${speed ?? 1})` : ""}; Ctrl-C stops it`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      progress("stopping the app");
      await app.close();
    } catch (error) {
      reportFailure(error);
    }
  },
});
