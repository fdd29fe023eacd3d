import type { StediConfig } from "../../config.js";
import type { StackLayout } from "../layout.js";
import type { LaunchSpec } from "../processes.js";
import type { Progress } from "../install.js";

/** Extra Kafka nodes and Spark workers of a larger local topology are numbered from 2: kafka-2, spark-worker-2 … */
export type ServiceName = "redis" | "kafka" | `kafka-${number}` | "spark-master" | "spark-worker" | `spark-worker-${number}` | "spark-connect";

export interface Health {
  readonly healthy: boolean;
  readonly detail: string;
}

export interface StackContext {
  readonly config: StediConfig;
  readonly layout: StackLayout;
  readonly progress: Progress;
}

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** One engine of the local stack: how to prepare, launch and probe it. */
export interface Service {
  readonly name: ServiceName;
  /** The log file under logs/, named as the rubric expects. */
  readonly logName: string;
  /** Every port the service binds, checked before start and after stop. */
  endpoints(config: StediConfig): Endpoint[];
  /** Installs what is missing (apt, Maven). */
  install(context: StackContext): Promise<void>;
  /** Writes config files and formats storage; idempotent. */
  prepare(context: StackContext): Promise<void>;
  launch(context: StackContext): LaunchSpec;
  /** A check that speaks the service's own protocol, with a timeout. */
  probe(config: StediConfig): Promise<Health>;
  /** Work once healthy, such as creating topics. */
  afterStart?(context: StackContext): Promise<void>;
  /** How long start-up may take before it counts as failed. */
  readonly startTimeoutMs: number;
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function probing(check: () => Promise<string>, timeoutMs: number, what: string): Promise<Health> {
  try {
    return { healthy: true, detail: await withTimeout(check(), timeoutMs, what) };
  } catch (error) {
    return { healthy: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
