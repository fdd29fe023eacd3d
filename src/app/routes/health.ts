/** Public: liveness of the app and its clients, and the OpenAPI description. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";

export const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    "/health",
    {
      schema: {
        summary: "Is the app up, and can it reach Redis and the risk topic",
        tags: ["health"],
        response: {
          200: Type.Object({ status: Type.String(), redis: Type.String(), riskFeed: Type.Boolean(), eventsPublished: Type.Integer(), eventsFailed: Type.Integer() }),
        },
      },
    },
    async () => {
      const redis = await fastify.redis.ping().catch((error: Error) => `unreachable: ${error.message}`);
      const { published, failed } = fastify.riskEvents.stats;
      return { status: redis === "PONG" ? "ok" : "degraded", redis, riskFeed: fastify.riskFeed.stats.connected, eventsPublished: published, eventsFailed: failed };
    },
  );

  fastify.get("/openapi.json", { schema: { hide: true } }, async () => fastify.swagger());
};
