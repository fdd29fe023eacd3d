/**
 * The Kafka message formats of SPEC §2 as Spark DDL schemas, for from_json. Field names are the
 * formats' own; fields a job does not read are left out, which from_json allows.
 */

/** A redis-server value: the parsed Redis command, binary fields in base64. */
export const redisMessageSchema =
  "key STRING, existType STRING, ch BOOLEAN, incr BOOLEAN, " +
  "zSetEntries ARRAY<STRUCT<element: STRING, score: DOUBLE>>";

/** A decoded member of the Customer sorted set. */
export const customerSchema = "customerName STRING, email STRING, phone STRING, birthDay STRING";

/** A stedi-events value: a customer's risk score. */
export const stediEventsSchema = "customer STRING, score DOUBLE, riskDate STRING";
