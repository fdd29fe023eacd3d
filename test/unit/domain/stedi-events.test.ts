import { test } from "node:test";
import assert from "node:assert/strict";
import { formatStediEvent, parseStediEvent, stediEvent } from "../../../src/domain/stedi-events.js";

test("the value is byte-exact SPEC §2, whole scores written as 7.0", () => {
  const event = stediEvent({ customer: "Jason.Mitra@test.com", score: 7, riskDate: Date.UTC(2020, 8, 14, 7, 54, 6, 417) });
  assert.equal(formatStediEvent(event), '{"customer":"Jason.Mitra@test.com","score":7.0,"riskDate":"2020-09-14T07:54:06.417Z"}');
});

test("scores are Java doubles, as the original's stedi-events carried them: 7.0, and 1.0E7 / 1.0E-4 outside Java's decimal range", () => {
  const riskDate = "2024-01-02T03:04:05.006Z";
  for (const [score, text] of [[0, "0.0"], [-3, "-3.0"], [28.5, "28.5"], [-0.07, "-0.07"], [1e7, "1.0E7"], [12345678.5, "1.23456785E7"], [0.0001, "1.0E-4"], [-2.5e-5, "-2.5E-5"]] as const) {
    const json = formatStediEvent({ customer: "a@b.c", score, riskDate });
    assert.equal(json, `{"customer":"a@b.c","score":${text},"riskDate":"${riskDate}"}`);
    assert.deepEqual(parseStediEvent(json), { ok: true, value: { customer: "a@b.c", score, riskDate } }, "and it reads back");
  }
  assert.throws(() => formatStediEvent({ customer: "a@b.c", score: Number.NaN, riskDate }), RangeError);
});

test("what it writes it reads back; bad values are reasons, not exceptions", () => {
  const event = { customer: "a@b.c", score: -1.25, riskDate: "2024-01-02T03:04:05.006Z" };
  assert.deepEqual(parseStediEvent(formatStediEvent(event)), { ok: true, value: event });
  for (const bad of ["nope", "null", '{"score":1,"riskDate":"2024-01-02T03:04:05.006Z"}', '{"customer":"a","score":"1","riskDate":"2024-01-02T03:04:05.006Z"}', '{"customer":"a","score":1,"riskDate":"yesterday"}']) {
    assert.equal(parseStediEvent(bad).ok, false, bad);
  }
});
