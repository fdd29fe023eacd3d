import { test } from "node:test";
import assert from "node:assert/strict";
import { customerValue, eventSequence, scoreEvent } from "../../../bench/pipeline/records.js";
import { parseCustomer } from "../../../src/domain/customer.js";
import { parseStediEvent } from "../../../src/domain/stedi-events.js";

test("a bench customer is a ZADD on Customer whose member is a valid customer", () => {
  const value = JSON.parse(customerValue(7)) as { key: string; zSetEntries: { element: string; score: number }[] };
  assert.equal(Buffer.from(value.key, "base64").toString(), "Customer");
  assert.equal(value.zSetEntries.length, 1);
  const customer = parseCustomer(Buffer.from(value.zSetEntries[0]!.element, "base64").toString());
  assert.ok(customer.ok);
  assert.equal(customer.value.email, "bench.customer7@test.com");
});

test("a bench score is a valid stedi-events record whose customer-risk record names its sequence", () => {
  const event = scoreEvent(1_234_567, 100, Date.parse("2026-01-01T00:00:00.000Z"));
  assert.equal(event.key, "bench.customer67@test.com");
  const parsed = parseStediEvent(event.value);
  assert.ok(parsed.ok);
  assert.equal(parsed.value.riskDate, "2026-01-01T00:00:00.000Z");
  // The job writes the score as Spark casts a double to a string: large ones in scientific notation.
  assert.equal(eventSequence(JSON.stringify({ customer: event.key, score: "1234567.5" })), 1_234_567);
  assert.equal(eventSequence(JSON.stringify({ customer: event.key, score: "1.2345675E7" })), 12_345_675);
  assert.equal(eventSequence("not json"), undefined);
});
