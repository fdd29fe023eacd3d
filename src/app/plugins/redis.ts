/**
 * The two Redis connections: `redis` for the data the CDC source publishes (Customer, RapidStepTest and
 * their lookup structures, db REDIS_DB) and `secrets` for users and sessions (db REDIS_SECRETS_DB),
 * which never reach Kafka.
 */
import fp from "fastify-plugin";
import { Redis } from "ioredis";
import type { StediAppPluginOptions } from "../options.js";

declare module "fastify" {
  interface FastifyInstance {
    redis: Redis;
    secrets: Redis;
  }
}

export default fp<StediAppPluginOptions>(
  async (fastify, { config }) => {
    const connect = (db: number, name: string): Redis =>
      new Redis({
        host: config.redis.host,
        port: config.redis.port,
        password: config.redis.password,
        db,
        connectionName: name,
        lazyConnect: true,
        // Fail requests fast while Redis is away instead of queueing them for ever.
        maxRetriesPerRequest: 2,
      });
    const redis = connect(config.redis.db, "stedi-app");
    const secrets = connect(config.redis.secretsDb, "stedi-app-secrets");
    const where = `${config.redis.host}:${config.redis.port}`;
    try {
      await Promise.all([redis.connect(), secrets.connect()]);
    } catch (error) {
      redis.disconnect();
      secrets.disconnect();
      throw new Error(`cannot reach Redis at ${where} (${(error as Error).message}); start it with \`npx stedi stack up\` or set REDIS_HOST/REDIS_PORT`, { cause: error });
    }
    if (config.redis.db === config.redis.secretsDb) {
      fastify.log.warn("REDIS_SECRETS_DB equals REDIS_DB: password hashes, sessions and the risk-score outbox would be published by the CDC source");
    }
    fastify.decorate("redis", redis);
    fastify.decorate("secrets", secrets);
    fastify.addHook("onClose", async () => {
      await Promise.allSettled([redis.quit(), secrets.quit()]);
    });
  },
  { name: "stedi-redis" },
);
