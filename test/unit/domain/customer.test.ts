import { test } from "node:test";
import assert from "node:assert/strict";
import { birthYear, parseCustomer, serializeCustomer, validateCustomer } from "../../../src/domain/customer.js";

const sam = { customerName: "Sam Test", email: "sam.test@test.com", phone: "8015551212", birthDay: "2001-01-03" };

test("serialises byte-compatible with the original, whatever the input's field order", () => {
  const shuffled = { birthDay: sam.birthDay, phone: sam.phone, email: sam.email, customerName: sam.customerName };
  assert.equal(serializeCustomer(shuffled), '{"customerName":"Sam Test","email":"sam.test@test.com","phone":"8015551212","birthDay":"2001-01-03"}');
  assert.deepEqual(parseCustomer(serializeCustomer(sam)), { ok: true, value: sam });
  assert.equal(birthYear(sam), 2001);
});

test("validation names the field that is wrong", () => {
  const cases: [unknown, RegExp][] = [
    [null, /JSON object/],
    [{ ...sam, email: 3 }, /email must be a string/],
    [{ ...sam, email: "no-at-sign" }, /not an email/],
    [{ ...sam, customerName: "  " }, /blank/],
    [{ ...sam, birthDay: "2001-02-30" }, /birthDay/],
    [{ ...sam, birthDay: "3001-01-01" }, /birthDay/],
    [{ ...sam, birthDay: "01/03/2001" }, /birthDay/],
  ];
  for (const [input, reason] of cases) {
    const result = validateCustomer(input);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : "", reason);
  }
  assert.equal(parseCustomer("not json").ok, false);
});

test("extra fields are dropped", () => {
  const result = validateCustomer({ ...sam, isAdmin: true });
  assert.deepEqual(result, { ok: true, value: sam });
});
