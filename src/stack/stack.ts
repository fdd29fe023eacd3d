import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { StediConfig } from "../config.js";
import { StackError } from "./errors.js";
import { type Progress } from "./install.js";
import { stackLayout } from "./layout.js";
import { forgetPid, isOurs, launch, logTail, portHolder, portIsFree, readPid, terminate, waitForPortsFree } from "./processes.js";
import { kafkaService } from "./services/kafka.js";
import { redisService } from "./services/redis.js";
import type { Health, Service, ServiceName, StackContext } from "./services/service.js";
import { sparkConnectService, sparkMasterService, sparkWorkerService } from "./services/spark.js";

/** In start order; `down` goes the other way. */
export const SERVICES: readonly Service[] = [redisService, kafkaService, sparkMasterService, sparkWorkerService, sparkConnectService];

export interface ServiceStatus {
  readonly name: ServiceName;
  /** started by this stack (pid file and live process), external, or not running. */
  readonly mode: "managed" | "external" | "stopped";
  readonly pid: number | undefined;
  readonly healthy: boolean;
  readonly detail: string;
  readonly endpoints: string[];
  readonly log: string | undefined;
}

/** Service names listed in STEDI_EXTERNAL ("spark" stands for the three Spark services). */
export function externalServices(config: StediConfig): Set<ServiceName> {
  const names = new Set<ServiceName>();
  for (const entry of config.external) {
    for (const service of SERVICES) {
      if (service.name === entry || (entry === "spark" && service.name.startsWith("spark-"))) names.add(service.name);
    }
  }
  return names;
}

function context(config: StediConfig, progress: Progress): StackContext {
  return { config, layout: stackLayout(config), progress };
}

export async function installStack(config: StediConfig, progress: Progress): Promise<void> {
  const ctx = context(config, progress);
  const external = externalServices(config);
  // Several services share one jar set: install each set once.
  const done = new Set<Service["install"]>();
  for (const service of SERVICES) {
    if (external.has(service.name) || done.has(service.install)) continue;
    done.add(service.install);
    await service.install(ctx);
  }
}

export async function stackUp(config: StediConfig, progress: Progress): Promise<ServiceStatus[]> {
  const ctx = context(config, progress);
  await mkdir(ctx.layout.logsDir, { recursive: true });
  await installStack(config, progress);
  const external = externalServices(config);
  for (const service of SERVICES) {
    if (external.has(service.name)) {
      // An external broker still needs the system's topics.
      await service.afterStart?.(ctx).catch(() => undefined);
      const health = await service.probe(config);
      if (!health.healthy) {
        throw new StackError(`${service.name} is marked external (STEDI_EXTERNAL) but does not answer: ${health.detail}`, "Start it, or remove it from STEDI_EXTERNAL so that the stack runs its own.");
      }
      progress(`${service.name}: external, ${health.detail}`);
      continue;
    }
    await startService(service, ctx);
  }
  return stackStatus(config);
}

async function startService(service: Service, ctx: StackContext): Promise<void> {
  const { config, layout, progress } = ctx;
  const started = Date.now();
  const running = await readPid(layout.pidsDir, service.name);
  if (running) {
    const health = await waitHealthy(service, ctx, running.pid, started);
    progress(`${service.name}: already running (pid ${running.pid}), ${health.detail}`);
    return;
  }
  for (const endpoint of service.endpoints(config)) {
    if (await portIsFree(endpoint.host, endpoint.port)) continue;
    const holder = await portHolder(endpoint.port);
    throw new StackError(
      `${service.name} cannot start: port ${endpoint.port} on ${endpoint.host} is already held${holder ? ` by ${holder}` : ""}.`,
      `Stop that process, or use it instead of the stack's own ${service.name}: point the address variables at it and set STEDI_EXTERNAL=${service.name}.`,
    );
  }
  await service.prepare(ctx);
  progress(`${service.name}: starting…`);
  const spec = service.launch(ctx);
  const record = await launch(spec, layout.pidsDir, layout.runtimeDir);
  if (service.afterStart) await retryUntilStarted(service, ctx, record.pid, started, () => service.afterStart!(ctx));
  const health = await waitHealthy(service, ctx, record.pid, started);
  progress(`${service.name}: up in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${record.pid}), ${health.detail}`);
}

async function retryUntilStarted(service: Service, ctx: StackContext, pid: number, started: number, attempt: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      await failIfDeadOrLate(service, ctx, pid, started, error instanceof Error ? error.message : String(error));
      await sleep(500);
    }
  }
}

async function waitHealthy(service: Service, ctx: StackContext, pid: number, started: number): Promise<Health> {
  let lastReport = Date.now();
  for (;;) {
    const health = await service.probe(ctx.config);
    if (health.healthy) return health;
    await failIfDeadOrLate(service, ctx, pid, started, health.detail);
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      ctx.progress(`${service.name}: still starting (${Math.round((Date.now() - started) / 1000)} s): ${health.detail}`);
    }
    await sleep(500);
  }
}

async function failIfDeadOrLate(service: Service, ctx: StackContext, pid: number, started: number, detail: string): Promise<void> {
  const logFile = join(ctx.layout.logsDir, service.logName);
  if (!isOurs({ pid, marker: ctx.layout.runtimeDir })) {
    await forgetPid(ctx.layout.pidsDir, service.name);
    throw new StackError(`${service.name} exited during start-up.`, `Read ${logFile} for the cause; then run \`npx stedi stack up\` again.`, await logTail(logFile));
  }
  if (Date.now() - started > service.startTimeoutMs) {
    throw new StackError(
      `${service.name} did not become healthy within ${service.startTimeoutMs / 1000} s: ${detail}`,
      `Read ${logFile}; \`npx stedi stack down\` stops what was started.`,
      await logTail(logFile),
    );
  }
}

/** Starts one service (installing and preparing it as `up` would): for tests that restart one. */
export async function serviceUp(config: StediConfig, name: ServiceName, progress: Progress): Promise<void> {
  const ctx = context(config, progress);
  const service = SERVICES.find((candidate) => candidate.name === name)!;
  await mkdir(ctx.layout.logsDir, { recursive: true });
  await service.install(ctx);
  await startService(service, ctx);
}

/** Stops one service the stack started; `kill` sends SIGKILL at once, as a crash would. */
export async function serviceDown(config: StediConfig, name: ServiceName, progress: Progress, options: { kill?: boolean } = {}): Promise<void> {
  const layout = stackLayout(config);
  const record = await readPid(layout.pidsDir, name);
  if (record) {
    const started = Date.now();
    await terminate(record, options.kill ? 0 : undefined);
    progress(`${name}: stopped (pid ${record.pid}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  await forgetPid(layout.pidsDir, name);
}

export async function stackDown(config: StediConfig, progress: Progress): Promise<void> {
  for (const service of [...SERVICES].reverse()) await serviceDown(config, service.name, progress);
  const external = externalServices(config);
  const owned = SERVICES.filter((service) => !external.has(service.name));
  for (const service of owned) {
    for (const endpoint of service.endpoints(config)) {
      const busy = await waitForPortsFree(endpoint.host, [endpoint.port], 5_000);
      if (busy.length === 0) continue;
      const holder = await portHolder(endpoint.port);
      progress(`warning: port ${endpoint.port} is still held${holder ? ` by ${holder}` : ""}`);
    }
  }
}

export async function stackStatus(config: StediConfig): Promise<ServiceStatus[]> {
  const layout = stackLayout(config);
  const external = externalServices(config);
  return Promise.all(
    SERVICES.map(async (service): Promise<ServiceStatus> => {
      const record = await readPid(layout.pidsDir, service.name);
      const health = await service.probe(config);
      return {
        name: service.name,
        mode: external.has(service.name) ? "external" : record ? "managed" : "stopped",
        pid: record?.pid,
        healthy: health.healthy,
        detail: health.detail,
        endpoints: service.endpoints(config).map((endpoint) => `${endpoint.host}:${endpoint.port}`),
        log: external.has(service.name) ? undefined : join(layout.logsDir, service.logName),
      };
    }),
  );
}

export function serviceByName(name: string): Service | undefined {
  return SERVICES.find((service) => service.name === name);
}
