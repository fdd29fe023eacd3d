/**
 * The session check for the protected context: a token in the `suresteps.session.token` header (the
 * original's name, for API clients) or the `stedi_session` cookie (for the pages). Registered inside
 * the encapsulated context that holds the protected routes, so no route can forget it.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Unauthorized } from "../errors.js";

export const SESSION_HEADER = "suresteps.session.token";
export const SESSION_COOKIE = "stedi_session";

declare module "fastify" {
  interface FastifyRequest {
    /** The logged-in user, set by the session check on protected routes. */
    userName: string;
  }
}

export function sessionToken(request: FastifyRequest): string | undefined {
  const header = request.headers[SESSION_HEADER];
  if (typeof header === "string" && header !== "") return header;
  return request.cookies[SESSION_COOKIE];
}

export async function authenticate(fastify: FastifyInstance): Promise<void> {
  fastify.decorateRequest("userName", "");
  fastify.addHook("onRequest", async (request) => {
    const token = sessionToken(request);
    const userName = token === undefined ? null : await fastify.accounts.authenticate(token);
    if (userName === null) throw new Unauthorized();
    request.userName = userName;
  });
}
