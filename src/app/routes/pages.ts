/**
 * Public: the pages and their scripts (src/app/public), and Chart.js served from its npm package —
 * nothing from a CDN. The pages hold no data; everything they show comes from the protected API.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyPluginAsync } from "fastify";
import fastifyStatic from "@fastify/static";

/** The pages live in src/app/public; the compiled app (dist/app) finds them there too. */
export function publicDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, "..", "public"), join(here, "..", "..", "..", "src", "app", "public")];
  const found = candidates.find((dir) => existsSync(join(dir, "index.html")));
  if (!found) throw new Error(`the app's pages are missing (looked in ${candidates.join(", ")}); is the checkout complete?`);
  return found;
}

export const pageRoutes: FastifyPluginAsync = async (fastify) => {
  await fastify.register(fastifyStatic, { root: publicDir(), prefix: "/", index: "index.html", cacheControl: true, maxAge: 0 });
  const chartJs = dirname(fileURLToPath(import.meta.resolve("chart.js")));
  await fastify.register(fastifyStatic, { root: chartJs, prefix: "/vendor/chart.js/", decorateReply: false, allowedPath: (path) => path === "/chart.umd.min.js" });
};
