/** Public routes: create an account, log in (rate-limited), log out, and the demo account's name. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { isValidBirthDay } from "../../domain/customer.js";
import { InvalidUser, TooManyAttempts } from "../errors.js";
import type { AppOptions, RateLimit } from "../options.js";
import { SESSION_COOKIE, sessionToken } from "../plugins/authenticate.js";
import { Email, errorReplies } from "./schemas.js";

const UserName = Type.String({ pattern: "^[A-Za-z0-9._@-]{3,64}$", description: "3–64 letters, digits, . _ @ -" });

const NewUser = Type.Object({
  userName: UserName,
  email: Email,
  phone: Type.String({ maxLength: 40 }),
  birthDate: Type.String({ description: "YYYY-MM-DD" }),
  password: Type.String({ minLength: 8, maxLength: 200 }),
  verifyPassword: Type.String({ maxLength: 200 }),
  // The original's consent dates: accepted, not required.
  agreedToTermsOfUseDate: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
  agreedToCookiePolicyDate: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
  agreedToPrivacyPolicyDate: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
  agreedToTextMessageDate: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
});

const PublicUser = Type.Object({ userName: Type.String(), email: Type.String(), phone: Type.String(), birthDate: Type.String() });

export const accountRoutes: FastifyPluginAsyncTypebox<{ options: AppOptions }> = async (fastify, { options }) => {
  // Each limiter counts in its own store; the key says what is counted. fastify.rateLimit() runs
  // only one limiter per request, so the checks are combined here.
  const limiter = (name: string, what: RateLimit, key: (request: FastifyRequest) => string) => {
    const check = fastify.createRateLimit({ max: what.max, timeWindow: what.timeWindowMs, keyGenerator: key });
    return { name, check };
  };
  const limit =
    (...limiters: ReturnType<typeof limiter>[]) =>
    async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      for (const { name, check } of limiters) {
        const result = await check(request);
        if (result.isAllowed || !result.isExceeded) continue;
        reply.header("retry-after", String(result.ttlInSeconds));
        throw new TooManyAttempts(name, result.ttlInSeconds);
      }
    };
  const perClient = (request: FastifyRequest): string => request.ip;
  // Per client and user name: guessing one user's password is slowed without locking out others.
  const perClientAndUser = (request: FastifyRequest): string => `${request.ip}|${String((request.body as { userName?: unknown } | undefined)?.userName ?? "")}`;

  fastify.post(
    "/user",
    {
      schema: { summary: "Create an account", tags: ["accounts"], body: NewUser, response: { 201: PublicUser, ...errorReplies } },
      preHandler: limit(limiter("accounts created from this address", options.signupClientRateLimit, perClient)),
    },
    async (request, reply) => {
      const { password, verifyPassword, userName, email, phone, birthDate } = request.body;
      if (password !== verifyPassword) throw new InvalidUser("password and verifyPassword differ");
      if (!isValidBirthDay(birthDate)) throw new InvalidUser(`birthDate "${birthDate}" is not a past date YYYY-MM-DD`);
      const user = await fastify.accounts.create({ userName, email, phone, birthDate, password });
      return reply.code(201).send(user);
    },
  );

  fastify.post(
    "/login",
    {
      schema: {
        summary: "Log in: answers the session token (text, as the original) and sets the session cookie",
        tags: ["accounts"],
        body: Type.Object({ userName: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Type.String(), ...errorReplies },
      },
      // Spraying user names from one client is bounded too: every attempt costs a scrypt.
      preHandler: limit(
        limiter("logins from this address", options.loginClientRateLimit, perClient),
        limiter("logins to this user name from this address", options.loginRateLimit, perClientAndUser),
      ),
    },
    async (request, reply) => {
      const session = await fastify.accounts.login(request.body.userName, request.body.password);
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: "/",
        httpOnly: true,
        sameSite: "strict",
        expires: new Date(session.expiresAt),
      });
      reply.header("x-session-expires", session.expiresAt);
      return reply.type("text/plain; charset=utf-8").send(session.token);
    },
  );

  fastify.post(
    "/logout",
    { schema: { summary: "End the session", tags: ["accounts"], response: { 204: Type.Null(), ...errorReplies } } },
    async (request, reply) => {
      const token = sessionToken(request);
      if (token !== undefined) await fastify.accounts.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send(null);
    },
  );

  fastify.get(
    "/demo-user",
    {
      schema: {
        summary: "The seeded demo account, shown on the login page",
        tags: ["accounts"],
        response: { 200: Type.Object({ userName: Type.String(), password: Type.String() }), ...errorReplies },
      },
    },
    async (_request, reply) => {
      if (!options.demoUser) return reply.code(404).send({ statusCode: 404, code: "STEDI_NO_DEMO_USER", error: "Not Found", message: "This app runs without a demo user" });
      return options.demoUser;
    },
  );
};
