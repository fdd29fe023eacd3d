/**
 * `npm run bench -- soak`: what a long-running STEDI costs, in one of two modes.
 *
 * Watching a running system (bench/soak/watch.ts):
 *   `soak [--minutes 60] [--interval 60] [--restart-connect-at M] [--start [--sim-speed 1]]`
 * An empty history against one day of history, on the stack (bench/soak/history-run.ts):
 *   `soak --history day [--history-scores 2500000] [--customers 10000] [--rate 100] [--warmup 60] [--seconds 120] [--set key=value…]`
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../../src/config.js";
import { sessionSettings } from "../batch-time.js";
import { historyOf } from "./history.js";
import { runHistoryBench } from "./history-run.js";
import { watch } from "./watch.js";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "60" },
    interval: { type: "string", default: "60" },
    "restart-connect-at": { type: "string" },
    start: { type: "boolean", default: false },
    "sim-speed": { type: "string", default: "1" },
    history: { type: "string" },
    "history-scores": { type: "string" },
    customers: { type: "string" },
    rate: { type: "string", default: "100" },
    warmup: { type: "string", default: "60" },
    seconds: { type: "string", default: "120" },
    set: { type: "string", multiple: true, default: [] },
  },
});
const optional = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value));
const config = loadConfig();

if (values.history !== undefined) {
  await runHistoryBench(config, {
    history: historyOf(values.history, optional(values["history-scores"]), optional(values.customers)),
    rate: Number(values.rate),
    warmupSeconds: Number(values.warmup),
    seconds: Number(values.seconds),
    settings: sessionSettings(values.set as string[]),
  });
} else {
  const restartAt = optional(values["restart-connect-at"]);
  await watch(config, { minutes: Number(values.minutes), intervalMs: Number(values.interval) * 1000, restartAtMs: restartAt === undefined ? undefined : restartAt * 60_000, start: values.start, simSpeed: Number(values["sim-speed"]) });
}
