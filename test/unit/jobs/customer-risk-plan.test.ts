/** The customer-risk job's plan, pinned (no server involved), and its schemas checked against src/domain's formats. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { serializeCustomer } from "../../../src/domain/customer.js";
import { zaddValue } from "../../../src/domain/redis-server.js";
import { formatStediEvent } from "../../../src/domain/stedi-events.js";
import { riskScoreByBirthYearDF } from "../../../src/jobs/customer-risk.js";
import { customerSchema, redisMessageSchema, stediEventsSchema } from "../../../src/jobs/schemas.js";
import { assertRelationGolden } from "../spark-connect/golden.js";
import { offlineSession } from "../spark-connect/offline-session.js";

test("the customer-risk plan is pinned: a change to it is a reviewed change of golden/customer-risk-job.json", () => {
  const spark = offlineSession();
  const df = riskScoreByBirthYearDF(spark, { bootstrapServers: "127.0.0.1:9092", redisServerTopic: "redis-server", stediEventsTopic: "stedi-events", joinHorizon: "1 hour", joinLateness: "10 minutes" });
  assertRelationGolden("customer-risk-job", df);
});

/** The top-level field names of a DDL schema ("a STRING, b ARRAY<STRUCT<…>>" → a, b). */
function fieldNames(ddl: string): string[] {
  let depth = 0;
  const names: string[] = [];
  for (const part of ddl.split(/(,|<|>)/)) {
    if (part === "<") depth += 1;
    else if (part === ">") depth -= 1;
    else if (depth === 0 && part !== ",") names.push(part.trim().split(/\s+/)[0]!);
  }
  return names.filter(Boolean);
}

test("the job's schemas name fields the domain's formats write", () => {
  const customer = { customerName: "Sam Test", email: "sam.test@test.com", phone: "8015551212", birthDay: "2001-01-03" };
  const zadd = JSON.parse(zaddValue(Buffer.from("Customer"), [{ element: Buffer.from(serializeCustomer(customer)), score: 0 }])) as Record<string, unknown>;
  for (const name of fieldNames(redisMessageSchema)) assert.ok(name in zadd, `redis-server ZADD has ${name}`);
  assert.deepEqual(fieldNames(customerSchema).sort(), Object.keys(JSON.parse(serializeCustomer(customer)) as object).sort());
  const event = JSON.parse(formatStediEvent({ customer: customer.email, score: 7, riskDate: "2020-09-14T07:54:06.417Z" })) as object;
  assert.deepEqual(fieldNames(stediEventsSchema).sort(), Object.keys(event).sort());
});
