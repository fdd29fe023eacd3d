/**
 * The app's keys in the data db (REDIS_DB), which the CDC source publishes to `redis-server`.
 * `Customer` and `RapidStepTest` are the original's sorted sets (JSON members, score 0); the others
 * are lookup structures that keep every request O(log n) however many tests are stored.
 */
export const redisKeys = {
  /** The original's set of customers: members are Customer JSON, score 0. */
  customers: "Customer",
  /** The original's set of tests: members are RapidStepTest JSON, score 0. */
  tests: "RapidStepTest",
  /** Hash email → the Customer member, for lookups without scanning `Customer`. */
  customerByEmail: "CustomerByEmail",
  /** Per customer: their tests (same JSON members) scored by startTime, newest last. */
  testsOf: (email: string): string => `RapidStepTest:${email}`,
} as const;

/**
 * The app's keys in the secrets db (REDIS_SECRETS_DB), which the CDC source never publishes. The
 * outbox is per topic, so apps that publish to different topics (tests) never take each other's.
 */
export const secretKeys = {
  /** Stream of risk scores saved but not yet acknowledged by Kafka: fields `key` and `value`. */
  outbox: (topic: string): string => `Outbox:${topic}`,
  /** Which relay process may publish that outbox now: a lease it renews. */
  outboxRelay: (topic: string): string => `Outbox:${topic}:relay`,
} as const;
