import { test } from "node:test";
import assert from "node:assert/strict";
import { formatCustomerRisk, parseCustomerRisk } from "../../../src/domain/customer-risk.js";

test("reads the SPEC §2 record, score and birthYear as strings", () => {
  const json = '{"customer":"Santosh.Fibonnaci@test.com","score":"28.5","email":"Santosh.Fibonnaci@test.com","birthYear":"1963"}';
  const parsed = parseCustomerRisk(json);
  assert.deepEqual(parsed, { ok: true, value: { customer: "Santosh.Fibonnaci@test.com", score: 28.5, email: "Santosh.Fibonnaci@test.com", birthYear: 1963 } });
  assert.equal(parsed.ok && formatCustomerRisk(parsed.value), json);
});

test("negative scores and numeric fields are accepted", () => {
  const parsed = parseCustomerRisk('{"customer":"a@b.c","score":-2.5,"email":"a@b.c","birthYear":1950}');
  assert.ok(parsed.ok);
  assert.equal(parsed.value.score, -2.5);
});

test("malformed records are reasons", () => {
  for (const bad of ["", "{", "[]", '{"score":"1","birthYear":"1960"}', '{"customer":"a","score":"x","birthYear":"1960"}', '{"customer":"a","score":"1","birthYear":"nineteen"}', '{"customer":"a","score":"1","birthYear":"1960.5"}']) {
    const parsed = parseCustomerRisk(bad);
    assert.equal(parsed.ok, false, bad);
    assert.ok(!parsed.ok && parsed.reason.length > 0);
  }
});
