/**
 * The STEDI web app as a Fastify plugin: the shared Redis clients and the services as named plugins,
 * the public routes (accounts, pages, health, OpenAPI), and one encapsulated context for everything
 * that touches customers — it registers the session check, so no protected route can miss it.
 */
import type { FastifyError, FastifyInstance } from "fastify";
import { STATUS_CODES } from "node:http";
import fp from "fastify-plugin";
import fastifyCookie from "@fastify/cookie";
import fastifyHelmet from "@fastify/helmet";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifySwagger from "@fastify/swagger";
import type { StediAppPluginOptions } from "./options.js";
import { authenticate, SESSION_HEADER } from "./plugins/authenticate.js";
import redisPlugin from "./plugins/redis.js";
import { sameOriginGuard } from "./plugins/same-origin.js";
import servicesPlugin from "./plugins/services.js";
import { accountRoutes } from "./routes/accounts.js";
import { customerRoutes } from "./routes/customers.js";
import { healthRoutes } from "./routes/health.js";
import { pageRoutes } from "./routes/pages.js";
import { rapidStepTestRoutes } from "./routes/rapid-step-tests.js";
import { riskGraphRoutes } from "./routes/risk-graph.js";
import { simulationRoutes } from "./routes/simulation.js";

function replyError(fastify: FastifyInstance): void {
  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    const validation = error.validation !== undefined;
    const statusCode = validation ? 400 : (error.statusCode ?? 500);
    if (statusCode >= 500) {
      request.log.error({ err: error }, "request failed");
      // Our own 5xx say what to do; anything else is a bug whose details stay in the log.
      const ours = typeof error.code === "string" && error.code.startsWith("STEDI_");
      return reply.code(statusCode).send({ statusCode, code: ours ? error.code : "STEDI_INTERNAL", error: STATUS_CODES[statusCode] ?? "Error", message: ours ? error.message : "Internal Server Error" });
    }
    request.log.info({ code: error.code, statusCode }, error.message);
    const code = validation ? "STEDI_INVALID_REQUEST" : (error.code ?? `HTTP_${statusCode}`);
    return reply.code(statusCode).send({ statusCode, code, error: STATUS_CODES[statusCode] ?? "Error", message: error.message });
  });
  fastify.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ statusCode: 404, code: "STEDI_NOT_FOUND", error: "Not Found", message: `No route ${request.method} ${request.url.split("?")[0]}` }),
  );
}

async function app(fastify: FastifyInstance, pluginOptions: StediAppPluginOptions): Promise<void> {
  const { options } = pluginOptions;
  replyError(fastify);
  // Served over plain HTTP on loopback: no HSTS, no upgrade of requests to https.
  await fastify.register(fastifyHelmet, {
    hsts: false,
    contentSecurityPolicy: {
      directives: { "script-src": ["'self'"], "connect-src": ["'self'"], "img-src": ["'self'", "data:"], "upgrade-insecure-requests": null },
    },
  });
  await fastify.register(fastifyCookie);
  sameOriginGuard(fastify);
  // Only the routes that ask for it (login, sign-up) are limited, in their preHandler (the body is parsed by then).
  await fastify.register(fastifyRateLimit, { global: false, hook: "preHandler" });
  await fastify.register(fastifySwagger, {
    openapi: {
      info: { title: "STEDI", version: "1.0.0", description: "Rapid step tests, risk scores and the live risk graph" },
      components: { securitySchemes: { session: { type: "apiKey", in: "header", name: SESSION_HEADER } } },
      security: [{ session: [] }],
    },
  });

  await fastify.register(redisPlugin, pluginOptions);
  await fastify.register(servicesPlugin, pluginOptions);

  await fastify.register(healthRoutes);
  await fastify.register(accountRoutes, { options });
  await fastify.register(pageRoutes);
  await fastify.register(async (protectedRoutes) => {
    await authenticate(protectedRoutes);
    await protectedRoutes.register(customerRoutes);
    await protectedRoutes.register(rapidStepTestRoutes);
    await protectedRoutes.register(simulationRoutes);
    await protectedRoutes.register(riskGraphRoutes, { options });
  });
}

/** Not encapsulated, so whoever registers it reaches the services (the simulation, the feed). */
export const stediApp = fp(app, { name: "stedi-app" });
