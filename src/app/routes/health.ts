/** Public: liveness of the app and its clients, and the OpenAPI description. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";

export const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    "/health",
    {
      schema: {
        summary: "Is the app up, can it reach Redis and the risk topic, and how far behind is the outbox relay",
        tags: ["health"],
        response: {
          200: Type.Object({
            status: Type.String(),
            redis: Type.String(),
            riskFeed: Type.Boolean(),
            riskRewritten: Type.Integer({ description: "Risk-topic records the graph dropped as a re-write of a score already shown" }),
            eventsPublished: Type.Integer({ description: "Risk scores this process's relay delivered to stedi-events" }),
            eventsFailed: Type.Integer({ description: "Failed send attempts (each is retried)" }),
            outbox: Type.Object({
              entries: Type.Integer({ description: "Risk scores saved but not yet acknowledged by Kafka" }),
              oldestAgeMs: Type.Union([Type.Integer(), Type.Null()], { description: "Age of the oldest of them" }),
            }),
          }),
        },
      },
    },
    async () => {
      const redis = await fastify.redis.ping().catch((error: Error) => `unreachable: ${error.message}`);
      const { published, failed } = fastify.riskEvents.stats;
      const outbox = await fastify.riskEvents.backlog().catch(() => ({ entries: -1, oldestAgeMs: null }));
      return { status: redis === "PONG" ? "ok" : "degraded", redis, riskFeed: fastify.riskFeed.stats.connected, riskRewritten: fastify.riskFeed.stats.rewritten, eventsPublished: published, eventsFailed: failed, outbox };
    },
  );

  fastify.get("/openapi.json", { schema: { hide: true } }, async () => fastify.swagger());
};
