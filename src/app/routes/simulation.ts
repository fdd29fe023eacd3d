/** Protected: the simulation's status, start (POST) and stop (DELETE), at the original's path. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { errorReplies } from "./schemas.js";

const Status = Type.Object({
  active: Type.Boolean(),
  speed: Type.Number(),
  seed: Type.Integer(),
  customers: Type.Integer(),
  rounds: Type.Integer(),
  testsSaved: Type.Integer(),
  scoresPublished: Type.Integer(),
  errors: Type.Integer(),
});

export const simulationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const schema = (summary: string) => ({ summary, tags: ["simulation"], response: { 200: Status, ...errorReplies } });
  fastify.get("/simulation", { schema: schema("Simulation status") }, async () => fastify.simulation.status);
  fastify.post("/simulation", { schema: schema("Start the simulation") }, async () => fastify.simulation.start());
  fastify.delete("/simulation", { schema: schema("Stop the simulation") }, async () => fastify.simulation.stop());
};
