/** The producer of risk scores to `stedi-events` (KAFKA_EVENTS_TOPIC), shared by routes and the simulation. */
import fp from "fastify-plugin";
import { Producer, ProduceAcks, stringSerializers } from "@platformatic/kafka";
import type { StediAppPluginOptions } from "../options.js";

declare module "fastify" {
  interface FastifyInstance {
    eventsProducer: Producer<string, string, string, string>;
  }
}

export default fp<StediAppPluginOptions>(
  async (fastify, { config }) => {
    const producer = new Producer({
      clientId: "stedi-app",
      bootstrapBrokers: [config.kafka.broker],
      serializers: stringSerializers,
      acks: ProduceAcks.LEADER,
      idempotent: false,
      retries: 3,
      timeout: 10_000,
    });
    fastify.decorate("eventsProducer", producer);
    fastify.addHook("onClose", async () => {
      await new Promise<void>((resolve) =>
        producer.close(true, (error) => {
          if (error) fastify.log.warn({ err: error }, "closing the Kafka producer failed");
          resolve();
        }),
      );
    });
  },
  { name: "stedi-kafka" },
);
