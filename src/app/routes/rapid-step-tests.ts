/** Protected: save a rapid step test (scored and queued for stedi-events from the 4th), the risk score, the history. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { validateTestTiming } from "../../domain/rapid-step-test.js";
import { stediEvent } from "../../domain/stedi-events.js";
import { InvalidRapidStepTest } from "../errors.js";
import { Email, EmailParams, errorReplies, RapidStepTest, RiskScore } from "./schemas.js";

const NewTest = Type.Object({
  customer: Type.Union([Email, Type.Object({ email: Email })], { description: "The customer's email, or a customer object with it" }),
  startTime: Type.Integer({ minimum: 0, description: "epoch ms" }),
  stepPoints: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }), { maxItems: 1000, description: "ms each step took" })),
  stopTime: Type.Integer({ minimum: 0, description: "epoch ms" }),
  testTime: Type.Integer({ minimum: 0, description: "stopTime − startTime" }),
  totalSteps: Type.Integer({ description: "Always 30: a test ends at 30 steps" }),
  // The original's client sent its session token inside the test; it is accepted and never stored.
  token: Type.Optional(Type.String()),
});

const SavedTest = Type.Object({
  testsStored: Type.Integer(),
  testsNeeded: Type.Integer({ description: "Tests still needed for a risk score" }),
  riskScore: Type.Union([RiskScore, Type.Null()]),
  queued: Type.Boolean({ description: "The risk score is stored with the test and on its way to stedi-events (at once when Kafka is up, else when it is back)" }),
  published: Type.Boolean({ description: "Deprecated, the same as queued: saving no longer waits for Kafka" }),
});


export const rapidStepTestRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    "/rapidsteptest",
    { schema: { summary: "Save a finished rapid step test", tags: ["tests"], body: NewTest, response: { 201: SavedTest, ...errorReplies } } },
    async (request, reply) => {
      const { customer, token: _token, ...timing } = request.body;
      const checked = validateTestTiming(timing);
      if (!checked.ok) throw new InvalidRapidStepTest(checked.reason);
      const email = typeof customer === "string" ? customer : customer.email;
      const saved = await fastify.rapidStepTests.record(email, checked.value);
      return reply.code(201).send({ ...saved, published: saved.queued, riskScore: saved.riskScore && stediEvent(saved.riskScore) });
    },
  );

  fastify.get(
    "/riskscore/:email",
    { schema: { summary: "The customer's current risk score (409 with fewer than 4 tests)", tags: ["tests"], params: EmailParams, response: { 200: RiskScore, ...errorReplies } } },
    async (request) => stediEvent(await fastify.rapidStepTests.riskScore(request.params.email)),
  );

  fastify.get(
    "/stephistory/:email",
    {
      schema: {
        summary: "The customer's tests by startTime, oldest first",
        tags: ["tests"],
        params: EmailParams,
        querystring: Type.Object({ limit: Type.Optional(Type.String({ pattern: "^(1000|[1-9][0-9]{0,2})$", description: "1–1000, default 100" })) }),
        response: { 200: Type.Array(RapidStepTest), ...errorReplies },
      },
    },
    async (request) => {
      const tests = await fastify.rapidStepTests.history(request.params.email, Number(request.query.limit ?? 100));
      return tests.map((test) => ({ ...test, stepPoints: test.stepPoints && [...test.stepPoints] }));
    },
  );
};
