/**
 * Cross-site request forgery guard. A browser sends the session cookie with any request to the app,
 * whoever's page starts it (SameSite=Strict helps, but "same-site" still includes other ports and
 * subdomains). So a state-changing request not authenticated by the session header must show it
 * comes from the app's own pages: Sec-Fetch-Site same-origin (or none: typed by the user), and an
 * Origin, when present, equal to the app's own. API clients that send neither header (curl, other
 * services) are not browsers and carry no ambient cookie, so they pass.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { CrossSiteRequest } from "../errors.js";
import { SESSION_HEADER } from "./authenticate.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Why the request is cross-site, or undefined when it may change state. */
export function crossSiteReason(request: Pick<FastifyRequest, "method" | "headers" | "protocol" | "host">): string | undefined {
  if (SAFE_METHODS.has(request.method)) return undefined;
  const header = request.headers[SESSION_HEADER];
  if (typeof header === "string" && header !== "") return undefined;
  const site = request.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") return `Sec-Fetch-Site: ${String(site)}`;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) return `Origin: ${origin}`;
  return undefined;
}

export function sameOriginGuard(fastify: FastifyInstance): void {
  fastify.addHook("onRequest", async (request) => {
    const reason = crossSiteReason(request);
    if (reason !== undefined) throw new CrossSiteRequest(reason);
  });
}
