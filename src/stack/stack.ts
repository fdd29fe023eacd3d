import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { StediConfig } from "../config.js";
import { StackError } from "./errors.js";
import { type Progress } from "./install.js";
import { stackLayout } from "./layout.js";
import { forgetPid, isOurs, launch, logTail, portHolder, portIsFree, readPid, terminate, waitForPortsFree } from "./processes.js";
import { kafkaNodeService } from "./services/kafka.js";
import { redisService } from "./services/redis.js";
import type { Health, Service, ServiceName, StackContext } from "./services/service.js";
import { sparkConnectService, sparkMasterService, sparkWorkerService } from "./services/spark.js";

/**
 * The services of the configured topology in start order, as stages: the services of one stage
 * start together and are then awaited together (the Kafka nodes of a quorum only become healthy
 * once enough of them run). `down` goes the other way.
 */
export function stackStages(config: StediConfig): readonly (readonly Service[])[] {
  return [
    [redisService],
    config.kafka.nodes.map(kafkaNodeService),
    [sparkMasterService],
    Array.from({ length: config.spark.workers }, (_, index) => sparkWorkerService(index + 1)),
    [sparkConnectService],
  ];
}

export function stackServices(config: StediConfig): readonly Service[] {
  return stackStages(config).flat();
}

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

/** Service names listed in STEDI_EXTERNAL ("spark" stands for every Spark service, "kafka" for every node). */
export function externalServices(config: StediConfig): Set<ServiceName> {
  const names = new Set<ServiceName>();
  for (const entry of config.external) {
    for (const service of stackServices(config)) {
      const family = entry === "spark" ? service.name.startsWith("spark-") : entry === "kafka" && /^kafka(-\d+)?$/.test(service.name);
      if (service.name === entry || family) names.add(service.name);
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
  for (const service of stackServices(config)) {
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
  for (const stage of stackStages(config)) {
    const launched: Launched[] = [];
    for (const service of stage) {
      if (external.has(service.name)) {
        await checkExternal(service, ctx);
        continue;
      }
      launched.push(await launchService(service, ctx));
    }
    for (const started of launched) await awaitService(started, ctx);
  }
  return stackStatus(config);
}

/** An external service must answer; an external broker still needs the system's topics. */
async function checkExternal(service: Service, ctx: StackContext): Promise<void> {
  await service.afterStart?.(ctx).catch(() => undefined);
  const health = await service.probe(ctx.config);
  if (!health.healthy) {
    throw new StackError(`${service.name} is marked external (STEDI_EXTERNAL) but does not answer: ${health.detail}`, "Start it, or remove it from STEDI_EXTERNAL so that the stack runs its own.");
  }
  ctx.progress(`${service.name}: external, ${health.detail}`);
}

interface Launched {
  readonly service: Service;
  readonly pid: number;
  readonly started: number;
  /** It ran already: only its health is awaited. */
  readonly wasRunning: boolean;
}

async function startService(service: Service, ctx: StackContext): Promise<void> {
  await awaitService(await launchService(service, ctx), ctx);
}

async function launchService(service: Service, ctx: StackContext): Promise<Launched> {
  const { config, layout, progress } = ctx;
  const started = Date.now();
  const running = await readPid(layout.pidsDir, service.name);
  if (running) return { service, pid: running.pid, started, wasRunning: true };
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
  const record = await launch(service.launch(ctx), layout.pidsDir, layout.runtimeDir);
  return { service, pid: record.pid, started, wasRunning: false };
}

async function awaitService({ service, pid, started, wasRunning }: Launched, ctx: StackContext): Promise<void> {
  if (wasRunning) {
    const health = await waitHealthy(service, ctx, pid, started);
    ctx.progress(`${service.name}: already running (pid ${pid}), ${health.detail}`);
    return;
  }
  if (service.afterStart) await retryUntilStarted(service, ctx, pid, started, () => service.afterStart!(ctx));
  const health = await waitHealthy(service, ctx, pid, started);
  ctx.progress(`${service.name}: up in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${pid}), ${health.detail}`);
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
    throw new StackError(`${service.name} exited during start-up.`, `Read ${logFile} for the cause; then run \`npx stedi stack up\` again.`, await startupTail(service, ctx));
  }
  if (Date.now() - started > service.startTimeoutMs) {
    throw new StackError(
      `${service.name} did not become healthy within ${service.startTimeoutMs / 1000} s: ${detail}`,
      `Read ${logFile}; \`npx stedi stack down\` stops what was started.`,
      await startupTail(service, ctx),
    );
  }
}

/** The end of a service's log, and of its process's own output when that goes elsewhere (a JVM's .out, where a crash before log4j2 lands). */
async function startupTail(service: Service, ctx: StackContext): Promise<string> {
  const logFile = join(ctx.layout.logsDir, service.logName);
  const output = service.launch(ctx).logFile;
  const log = await logTail(logFile);
  return output === logFile ? log : `${log}\n--- ${output} ---\n${await logTail(output)}`;
}

/** Starts one service (installing and preparing it as `up` would): for tests that restart one. */
export async function serviceUp(config: StediConfig, name: ServiceName, progress: Progress): Promise<void> {
  const ctx = context(config, progress);
  const service = serviceByName(config, name);
  if (!service) throw new StackError(`${name} is not a service of this topology.`, `Services: ${stackServices(config).map((candidate) => candidate.name).join(", ")}.`);
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
  // Extra brokers and workers of a larger topology than the one configured now are stopped too.
  const configured = new Set<string>(stackServices(config).map((service) => service.name));
  const running = await readdir(stackLayout(config).pidsDir).catch(() => [] as string[]);
  for (const name of running.map((file) => file.replace(/\.pid$/, "")).filter((name): name is ServiceName => /^(kafka|spark-worker)-\d+$/.test(name) && !configured.has(name))) {
    await serviceDown(config, name, progress);
  }
  for (const service of [...stackServices(config)].reverse()) await serviceDown(config, service.name, progress);
  const external = externalServices(config);
  const owned = stackServices(config).filter((service) => !external.has(service.name));
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
    stackServices(config).map(async (service): Promise<ServiceStatus> => {
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

export function serviceByName(config: StediConfig, name: string): Service | undefined {
  return stackServices(config).find((service) => service.name === name);
}
