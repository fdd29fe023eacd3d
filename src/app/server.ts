/**
 * Builds the Fastify server around the app plugin and listens. `startApp` is what `stedi app`,
 * `npm start` and the tests call: it answers the URL and a close() that stops everything it started.
 */
import Fastify, { LogController, type FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { StediConfig } from "../config.js";
import { stediApp } from "./app.js";
import { appOptions, optionsForHost, type AppOverrides } from "./options.js";

export interface RunningApp {
  readonly url: string;
  readonly server: FastifyInstance;
  close(): Promise<void>;
}

/** The app, ready but not listening (tests may use inject() or listen themselves). */
export async function buildServer(config: StediConfig, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const options = optionsForHost(appOptions(overrides), config.app.host);
  const server = Fastify({
    logger: {
      level: options.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      // Secrets never reach the log, whatever a future log line includes.
      redact: {
        paths: ['req.headers["suresteps.session.token"]', "req.headers.cookie", 'res.headers["set-cookie"]', "body.password", "body.verifyPassword", "password", "token"],
        censor: "[redacted]",
      },
    },
    // Per-request lines at debug: a load test must not turn into a logging test.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // A phone sent as a number is a client mistake to report, not to paper over.
    ajv: { customOptions: { coerceTypes: false } },
    // SSE connections to the risk graph stay open as long as the page does.
    requestTimeout: 0,
    // close() must not wait for open pages (SSE) or idle keep-alive clients.
    forceCloseConnections: true,
  }).withTypeProvider<TypeBoxTypeProvider>();
  server.addHook("onResponse", async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, "request");
  });
  await server.register(stediApp, { config, options });
  await server.ready();
  return server;
}

export async function startApp(config: StediConfig, overrides: AppOverrides = {}): Promise<RunningApp> {
  const server = await buildServer(config, overrides);
  try {
    await server.listen({ host: config.app.host, port: config.app.port });
  } catch (error) {
    await server.close();
    const reason = (error as NodeJS.ErrnoException).code === "EADDRINUSE" ? `port ${config.app.port} is in use; stop what runs there or set STEDI_PORT` : (error as Error).message;
    throw new Error(`the STEDI app cannot listen on ${config.app.host}:${config.app.port}: ${reason}`, { cause: error });
  }
  const address = server.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.app.port;
  return { url: `http://${config.app.host}:${port}`, server, close: () => server.close() };
}
