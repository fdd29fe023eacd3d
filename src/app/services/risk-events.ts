/** Publishes risk scores to `stedi-events` (SPEC §2), keyed by the customer's email. */
import type { FastifyBaseLogger } from "fastify";
import type { Producer } from "@platformatic/kafka";
import type { RiskScore } from "../../domain/risk-score.js";
import { formatStediEvent, stediEvent } from "../../domain/stedi-events.js";

export class RiskEvents {
  readonly #producer: Producer<string, string, string, string>;
  readonly #topic: string;
  readonly #log: FastifyBaseLogger;
  #published = 0;
  #failed = 0;

  constructor(producer: Producer<string, string, string, string>, topic: string, log: FastifyBaseLogger) {
    this.#producer = producer;
    this.#topic = topic;
    this.#log = log;
  }

  /** True once Kafka acknowledged; false (logged and counted) when it could not. */
  async publish(score: RiskScore): Promise<boolean> {
    try {
      await this.#producer.send({ messages: [{ topic: this.#topic, key: score.customer, value: formatStediEvent(stediEvent(score)) }] });
      this.#published++;
      return true;
    } catch (error) {
      this.#failed++;
      this.#log.error({ err: error, topic: this.#topic, customer: score.customer }, "could not publish a risk score to Kafka; is Kafka up (npx stedi stack status)?");
      return false;
    }
  }

  get stats(): { published: number; failed: number } {
    return { published: this.#published, failed: this.#failed };
  }
}
