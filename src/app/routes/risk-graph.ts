/**
 * Protected: the live risk graph's data. `GET /risk/stream` is Server-Sent Events — first a `history`
 * event with the recent points (or, for a page reconnecting with Last-Event-ID, only what it missed),
 * then one `risk` event per record on the risk topic — to any number of open pages. Event ids are
 * topic positions (`partition:offset,…`), valid in any app process, so a page resumes across app
 * restarts. A stream ends when its session is logged out or expires (`session-ended`), and is
 * dropped when its page stops reading (see SseStream).
 * `GET /risk/recent` and `GET /risk/stats` answer the same data as JSON.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { AppOptions } from "../options.js";
import { sessionToken } from "../plugins/authenticate.js";
import { formatRiskPosition, mergeRiskPositions, parseRiskPosition } from "../services/risk-feed.js";
import { errorReplies } from "./schemas.js";
import { SseStream } from "./sse-stream.js";

const HEARTBEAT_MS = 15_000;

const Point = Type.Object({
  id: Type.String({ description: "partition:offset of the record on the risk topic" }),
  partition: Type.Integer(),
  offset: Type.Integer(),
  customer: Type.String(),
  email: Type.String(),
  score: Type.Number(),
  birthYear: Type.Integer(),
  timestamp: Type.Integer(),
});

export const riskGraphRoutes: FastifyPluginAsyncTypebox<{ options: AppOptions }> = async (fastify, { options }) => {
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
        summary: "Records received, skipped as malformed or dropped as re-written, open pages",
        tags: ["risk graph"],
        response: {
          200: Type.Object({
            topic: Type.String(),
            received: Type.Integer(),
            malformed: Type.Integer(),
            rewritten: Type.Integer({ description: "Records dropped as a re-write of a score already delivered (the job's at-least-once sink after a crash)" }),
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
        // Lenient on purpose: an EventSource that gets a 400 never reconnects, so an id this version
        // does not understand (an older app's) just means "from the recent history".
        headers: Type.Object({ "last-event-id": Type.Optional(Type.String({ maxLength: 20_000 })) }),
        produces: ["text/event-stream"],
      },
    },
    (request, reply) => {
      const after = parseRiskPosition(request.headers["last-event-id"]);
      const token = sessionToken(request);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      const stream = new SseStream(raw, options.sseMaxBufferedBytes);
      stream.retry(2000);
      // What this page has, from here on: the feed's position, or the page's own when it is ahead
      // (a page resuming from an app process that had read further than this one has yet).
      const delivered = mergeRiskPositions(feed.position, after ?? new Map());
      stream.send("history", feed.recent(after ?? undefined), delivered.size > 0 ? formatRiskPosition(delivered) : undefined);
      const unsubscribe = feed.subscribe((point) => {
        delivered.set(point.partition, point.offset);
        stream.send("risk", point, formatRiskPosition(delivered));
        if (!stream.dropped) return;
        request.log.warn({ maxBufferedBytes: options.sseMaxBufferedBytes }, "risk graph: a page stopped reading; dropped its stream (it resumes from its last event id)");
        end();
      }, delivered);
      const heartbeat = setInterval(() => stream.comment("keep-alive"), HEARTBEAT_MS);
      const sessionCheck = setInterval(() => {
        void (async () => {
          const valid = token !== undefined && (await fastify.accounts.authenticate(token).catch(() => "unknown")) !== null;
          if (valid) return;
          stream.send("session-ended", { message: "The session was logged out or expired; log in again" });
          onClose();
        })();
      }, options.sseSessionCheckMs);
      const end = (): void => {
        clearInterval(heartbeat);
        clearInterval(sessionCheck);
        unsubscribe();
      };
      request.raw.once("close", end);
      // The server closing ends every stream, so that close() does not wait for pages to leave.
      const onClose = (): void => {
        end();
        stream.end();
      };
      closers.add(onClose);
      raw.once("close", () => {
        end();
        closers.delete(onClose);
      });
    },
  );

  const closers = new Set<() => void>();
  fastify.addHook("preClose", async () => {
    for (const close of closers) close();
  });
};
