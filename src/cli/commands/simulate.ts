import { defineCommand } from "citty";
import { loadConfig } from "../../config.js";
import { buildServer } from "../../app/server.js";
import { progress, reportFailure } from "../report.js";
import { positiveNumber, simulationArgs } from "./app.js";

export default defineCommand({
  meta: { name: "simulate", description: "Run the STEDI simulation against Redis and Kafka without the web server" },
  args: {
    ...simulationArgs,
    rounds: { type: "string", description: "Stop after this many rounds (default: run until Ctrl-C)" },
  },
  async run({ args }) {
    try {
      const speed = positiveNumber("sim-speed", args["sim-speed"]) ?? 60;
      const seed = positiveNumber("sim-seed", args["sim-seed"]);
      const rounds = positiveNumber("rounds", args.rounds);
      const server = await buildServer(loadConfig(), { riskFeed: false, demoUser: null, logLevel: "warn", simulation: { speed, seed } });
      let stopped = false;
      const stop = (): void => void (stopped = true);
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      try {
        for (let round = 1; !stopped && (rounds === undefined || round <= rounds); round++) {
          const started = Date.now();
          await server.simulation.round();
          const status = server.simulation.status;
          progress(`round ${status.rounds}: ${status.customers} customers, ${status.testsSaved} tests saved, ${status.scoresPublished} risk scores published, ${status.errors} errors`);
          const wait = 60_000 / speed - (Date.now() - started);
          if (wait > 0 && !stopped && (rounds === undefined || round < rounds)) await new Promise((resolve) => setTimeout(resolve, wait));
        }
      } finally {
        await server.close();
      }
    } catch (error) {
      reportFailure(error);
    }
  },
});
