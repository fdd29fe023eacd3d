/** Protected: create a customer and find one by email. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { validateCustomer } from "../../domain/customer.js";
import { InvalidCustomer } from "../errors.js";
import { Customer, EmailParams, errorReplies } from "./schemas.js";

export const customerRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    "/customer",
    { schema: { summary: "Create a customer (409 when the email exists)", tags: ["customers"], body: Customer, response: { 201: Customer, ...errorReplies } } },
    async (request, reply) => {
      const checked = validateCustomer(request.body);
      if (!checked.ok) throw new InvalidCustomer(checked.reason);
      return reply.code(201).send(await fastify.customers.create(checked.value));
    },
  );

  fastify.get(
    "/customer/:email",
    { schema: { summary: "Find a customer by email", tags: ["customers"], params: EmailParams, response: { 200: Customer, ...errorReplies } } },
    async (request) => fastify.customers.get(request.params.email),
  );
};
