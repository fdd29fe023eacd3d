/**
 * Protected: the live risk graph's data. `GET /risk/stream` is Server-Sent Events — first a `history`
 * event with the recent points (or, for a page reconnecting with Last-Event-ID, only what it missed),
 * then one `risk` event per record on the risk topic — to any number of open pages.
 * `GET /risk/recent` and `GET /risk/stats` answer the same data as JSON.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { RiskPoint } from "../services/risk-feed.js";
import { errorReplies } from "./schemas.js";

const HEARTBEAT_MS = 15_000;

const Point = Type.Object({
  id: Type.Integer(),
  customer: Type.String(),
  email: Type.String(),
  score: Type.Number(),
  birthYear: Type.Integer(),
  timestamp: Type.Integer(),
});

const sseEvent = (event: string, data: unknown, id?: number): string => `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export const riskGraphRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const feed = fastify.riskFeed;

  fastify.get(
    "/risk/recent",
    { schema: { summary: "Recent points of the risk topic, oldest first", tags: ["risk graph"], response: { 200: Type.Array(Point), ...errorReplies } } },
    async () => feed.recent(),
  );

  fastify.get(
    "/risk/stats",
    {
      schema: {
        summary: "Records received and skipped as malformed, open pages",
        tags: ["risk graph"],
        response: {
          200: Type.Object({
            topic: Type.String(),
            received: Type.Integer(),
            malformed: Type.Integer(),
            subscribers: Type.Integer(),
            connected: Type.Boolean(),
            lastMalformedReason: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorReplies,
        },
      },
    },
    async () => ({ topic: feed.topic, ...feed.stats }),
  );

  fastify.get(
    "/risk/stream",
    {
      schema: {
        summary: "Server-Sent Events: `history` (array of points) then `risk` (one point) as records arrive",
        tags: ["risk graph"],
        headers: Type.Object({ "last-event-id": Type.Optional(Type.String({ pattern: "^\\d{1,15}$" })) }),
        produces: ["text/event-stream"],
      },
    },
    (request, reply) => {
      const lastId = Number(request.headers["last-event-id"] ?? 0);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      const history: RiskPoint[] = feed.recent(lastId);
      const newest = history.at(-1)?.id;
      raw.write(`retry: 2000\n${sseEvent("history", history, newest ?? (lastId || undefined))}`);
      const unsubscribe = feed.subscribe((point) => raw.write(sseEvent("risk", point, point.id)));
      const heartbeat = setInterval(() => raw.write(": keep-alive\n\n"), HEARTBEAT_MS);
      const end = (): void => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.raw.once("close", end);
      // The server closing ends every stream, so that close() does not wait for pages to leave.
      const onClose = (): void => {
        end();
        raw.end();
      };
      closers.add(onClose);
      raw.once("close", () => closers.delete(onClose));
    },
  );

  const closers = new Set<() => void>();
  fastify.addHook("preClose", async () => {
    for (const close of closers) close();
  });
};
