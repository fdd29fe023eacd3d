#!/usr/bin/env node
import { defineCommand, runMain } from "citty";

const main = defineCommand({
  meta: { name: "stedi", description: "The STEDI balance-assessment streaming system" },
  subCommands: {
    start: () => import("./cli/commands/start.js").then((m) => m.default),
    stack: () => import("./cli/commands/stack.js").then((m) => m.default),
    cdc: () => import("./cli/commands/cdc.js").then((m) => m.default),
    app: () => import("./cli/commands/app.js").then((m) => m.default),
    simulate: () => import("./cli/commands/simulate.js").then((m) => m.default),
    job: () => import("./cli/commands/job.js").then((m) => m.default),
    bench: () => import("./cli/commands/bench.js").then((m) => m.default),
  },
});

await runMain(main);
