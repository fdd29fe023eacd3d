import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Redis } from "ioredis";
import { installRedis } from "../install.js";
import { probing, type Service } from "./service.js";

export const redisService: Service = {
  name: "redis",
  logName: "redis.log",
  startTimeoutMs: 20_000,
  endpoints: (config) => [{ host: config.redis.host, port: config.redis.port }],
  install: ({ progress }) => installRedis(progress),

  async prepare({ config, layout }) {
    await mkdir(layout.redisDir, { recursive: true });
    const lines = [
      `bind ${config.redis.host}`,
      `port ${config.redis.port}`,
      `dir ${layout.redisDir}`,
      "daemonize no",
      // Keeps the config path in the process title, which is how `down` recognises its own Redis.
      `proc-title-template "{title} {listen-addr} {config-file}"`,
      'logfile ""',
      "appendonly yes",
      "appendfsync everysec",
      // A CDC replica that was away resumes with PSYNC while its offset is still in the backlog.
      "repl-backlog-size 64mb",
      "repl-backlog-ttl 0",
      // Replicas get the snapshot at once rather than after the default 5 s wait for others.
      "repl-diskless-sync yes",
      "repl-diskless-sync-delay 0",
      ...(config.redis.password ? [`requirepass ${config.redis.password}`] : []),
    ];
    await writeFile(join(layout.redisDir, "redis.conf"), lines.join("\n") + "\n", { mode: 0o600 });
  },

  launch: ({ layout }) => ({
    name: "redis",
    command: "redis-server",
    args: [join(layout.redisDir, "redis.conf")],
    logFile: join(layout.logsDir, "redis.log"),
  }),

  probe: (config) =>
    probing(
      async () => {
        const client = new Redis({
          host: config.redis.host,
          port: config.redis.port,
          password: config.redis.password,
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
          connectTimeout: 2_000,
        });
        client.on("error", () => undefined);
        try {
          await client.connect();
          const pong = await client.ping();
          const version = /redis_version:(\S+)/.exec(await client.info("server"))?.[1] ?? "?";
          return `${pong} from Redis ${version} at ${config.redis.host}:${config.redis.port}`;
        } finally {
          client.disconnect();
        }
      },
      3_000,
      "Redis PING",
    ),
};
