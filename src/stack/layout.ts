import { homedir } from "node:os";
import { join } from "node:path";
import type { StediConfig } from "../config.js";
import { DEFAULT_SPARK_VERSION } from "./versions.js";

/** Where the stack keeps things: state in the runtime folder, immutable jars in a shared cache. */
export interface StackLayout {
  readonly runtimeDir: string;
  readonly logsDir: string;
  readonly pidsDir: string;
  readonly redisDir: string;
  readonly kafkaDir: string;
  readonly sparkDir: string;
  /** Jars resolved by Maven, shared by every runtime folder of this user. */
  readonly jarsCacheDir: string;
  /** The Spark version whose jars the Spark processes run. */
  readonly sparkVersion: string;
}

export function stackLayout(config: StediConfig, env = process.env): StackLayout {
  const cacheHome = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return {
    runtimeDir: config.runtimeDir,
    logsDir: join(config.runtimeDir, "logs"),
    pidsDir: join(config.runtimeDir, "run"),
    redisDir: join(config.runtimeDir, "redis"),
    kafkaDir: join(config.runtimeDir, "kafka"),
    sparkDir: join(config.runtimeDir, "spark"),
    jarsCacheDir: env.STEDI_JARS_CACHE || join(cacheHome, "stedi", "jars"),
    sparkVersion: env.STEDI_SPARK_VERSION || DEFAULT_SPARK_VERSION,
  };
}
