import { test } from "node:test";
import assert from "node:assert/strict";
import { customerRiskIdentity } from "../../../src/domain/customer-risk.js";
import { RecentIdentities } from "../../../src/app/services/recent-identities.js";

test("an identity seen before is a re-write; a new one is not", () => {
  const recent = new RecentIdentities(10);
  assert.equal(recent.add("a"), true);
  assert.equal(recent.add("b"), true);
  assert.equal(recent.add("a"), false);
  assert.equal(recent.add("b"), false);
  assert.equal(recent.size, 2);
});

test("memory is bounded: past capacity the oldest identity is forgotten", () => {
  const recent = new RecentIdentities(3);
  for (const identity of ["a", "b", "c", "d"]) assert.equal(recent.add(identity), true);
  assert.equal(recent.size, 3);
  assert.equal(recent.add("a"), true, "a was forgotten when d came in");
  assert.equal(recent.add("c"), false, "c is still remembered");
  assert.throws(() => new RecentIdentities(0), RangeError);
});

test("a record's identity is its key and riskDate header; equal keys on other days, or no header, differ", () => {
  const identity = customerRiskIdentity("a@test.com", "2026-01-01T10:00:00.000Z");
  assert.equal(identity, customerRiskIdentity("a@test.com", "2026-01-01T10:00:00.000Z"));
  assert.notEqual(identity, customerRiskIdentity("a@test.com", "2026-01-02T10:00:00.000Z"));
  assert.notEqual(identity, customerRiskIdentity("b@test.com", "2026-01-01T10:00:00.000Z"));
  assert.equal(customerRiskIdentity("a@test.com", undefined), null);
});
