import { spawn } from "node:child_process";
import { join } from "node:path";
import { defineCommand } from "citty";
import { loadConfig } from "../../config.js";
import { stackLayout } from "../../stack/layout.js";
import { installStack, serviceByName, stackDown, stackStatus, stackUp, type ServiceStatus } from "../../stack/stack.js";
import { progress, reportFailure } from "../report.js";
import { formatDuration, readSupervisorState, type SupervisedState, type SupervisorState } from "../supervisor.js";

function supervision(service: SupervisedState | undefined, now: number): string {
  if (!service) return "";
  const uptime = service.upSince === undefined ? service.state : `up ${formatDuration(now - service.upSince)}`;
  return `, supervised: ${uptime}, ${service.restarts} restart${service.restarts === 1 ? "" : "s"}`;
}

/** The engines, then the processes only a running `npm start` supervises (the CDC source, the app, the job). */
function printStatus(statuses: ServiceStatus[], supervisor?: SupervisorState): void {
  const now = Date.now();
  const supervised = new Map(supervisor?.services.map((service) => [service.name, service]));
  for (const status of statuses) {
    const mark = status.healthy ? "✔" : "✖";
    const pid = status.pid ? ` pid ${status.pid}` : "";
    process.stdout.write(`${mark} ${status.name.padEnd(14)} ${status.mode}${pid} ${status.endpoints.join(" ")}${supervision(supervised.get(status.name), now)}\n    ${status.detail}\n`);
    supervised.delete(status.name);
  }
  for (const service of supervised.values()) {
    const mark = service.state === "up" ? "✔" : "✖";
    process.stdout.write(`${mark} ${service.name.padEnd(14)} process${service.pid ? ` pid ${service.pid}` : ""}${supervision(service, now)}\n`);
  }
}

const install = defineCommand({
  meta: { name: "install", description: "Install Redis (apt) and the Kafka and Spark jars (Maven)" },
  async run() {
    try {
      await installStack(loadConfig(), progress);
    } catch (error) {
      reportFailure(error);
    }
  },
});

const up = defineCommand({
  meta: { name: "up", description: "Start Redis, Kafka, the Spark master, worker and Connect server" },
  async run() {
    try {
      const started = Date.now();
      printStatus(await stackUp(loadConfig(), progress));
      progress(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      reportFailure(error);
    }
  },
});

const down = defineCommand({
  meta: { name: "down", description: "Stop the services this stack started" },
  async run() {
    try {
      await stackDown(loadConfig(), progress);
    } catch (error) {
      reportFailure(error);
    }
  },
});

const status = defineCommand({
  meta: { name: "status", description: "Check every service with its own protocol; exits 1 when any is down" },
  args: { json: { type: "boolean", description: "Print JSON", default: false } },
  async run({ args }) {
    const config = loadConfig();
    const statuses = await stackStatus(config);
    const supervisor = await readSupervisorState(config.runtimeDir);
    if (args.json) process.stdout.write(JSON.stringify({ services: statuses, supervisor: supervisor ?? null }, null, 2) + "\n");
    else {
      printStatus(statuses, supervisor);
      if (!supervisor) process.stdout.write("(no `npm start` supervises this stack: no restarts or uptime to show)\n");
    }
    if (statuses.some((service) => !service.healthy) || supervisor?.services.some((service) => service.state !== "up")) process.exitCode = 1;
  },
});

const logs = defineCommand({
  meta: { name: "logs", description: "Show a service's log" },
  args: {
    service: { type: "positional", description: "redis | kafka | kafka-N | spark-master | spark-worker | spark-worker-N | spark-connect", required: true },
    follow: { type: "boolean", alias: "f", description: "Keep printing new lines", default: false },
    lines: { type: "string", alias: "n", description: "How many lines", default: "100" },
  },
  async run({ args }) {
    const config = loadConfig();
    const service = serviceByName(config, args.service);
    const file = join(stackLayout(config).logsDir, service ? service.logName : `${args.service}.log`);
    const tail = spawn("tail", ["-n", args.lines, ...(args.follow ? ["-F"] : []), file], { stdio: "inherit" });
    await new Promise((resolve) => tail.on("close", resolve));
  },
});

export default defineCommand({
  meta: { name: "stack", description: "The local Redis, Kafka and Spark stack" },
  subCommands: { install, up, down, status, logs },
});
