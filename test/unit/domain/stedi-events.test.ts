import { test } from "node:test";
import assert from "node:assert/strict";
import { formatStediEvent, jsonDouble, parseStediEvent, stediEvent } from "../../../src/domain/stedi-events.js";

test("the value is byte-exact SPEC §2, whole scores written as 7.0", () => {
  const event = stediEvent({ customer: "Jason.Mitra@test.com", score: 7, riskDate: Date.UTC(2020, 8, 14, 7, 54, 6, 417) });
  assert.equal(formatStediEvent(event), '{"customer":"Jason.Mitra@test.com","score":7.0,"riskDate":"2020-09-14T07:54:06.417Z"}');
});

test("numbers as Java doubles", () => {
  assert.equal(jsonDouble(0), "0.0");
  assert.equal(jsonDouble(-3), "-3.0");
  assert.equal(jsonDouble(28.5), "28.5");
  assert.equal(jsonDouble(-0.07), "-0.07");
  assert.throws(() => jsonDouble(Number.NaN), RangeError);
});

test("what it writes it reads back; bad values are reasons, not exceptions", () => {
  const event = { customer: "a@b.c", score: -1.25, riskDate: "2024-01-02T03:04:05.006Z" };
  assert.deepEqual(parseStediEvent(formatStediEvent(event)), { ok: true, value: event });
  for (const bad of ["nope", "null", '{"score":1,"riskDate":"2024-01-02T03:04:05.006Z"}', '{"customer":"a","score":"1","riskDate":"2024-01-02T03:04:05.006Z"}', '{"customer":"a","score":1,"riskDate":"yesterday"}']) {
    assert.equal(parseStediEvent(bad).ok, false, bad);
  }
});
