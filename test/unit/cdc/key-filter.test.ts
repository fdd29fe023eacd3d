import assert from "node:assert/strict";
import { test } from "node:test";
import { KeyFilter } from "../../../src/cdc/key-filter.js";

const b = (text: string): Buffer => Buffer.from(text);

test("Redis glob syntax: * ? [set] [^set] [a-z] and escapes", () => {
  const filter = new KeyFilter(["Customer", "Rapid*", "h?sh", "[ab]x", "n[^0-9]", "r[a-c]", "lit\\*"]);
  for (const key of ["Customer", "RapidStepTest", "Rapid", "hash", "hush", "ax", "bx", "nA", "rb", "lit*"]) assert.ok(filter.accepts(b(key)), key);
  for (const key of ["customer", "Customers", "hsh", "cx", "n1", "rd", "litx", "xRapid"]) assert.ok(!filter.accepts(b(key)), key);
});

test("no include pattern means everything; exclusions win", () => {
  const filter = new KeyFilter([], ["session:*", "*:secret"]);
  assert.ok(filter.accepts(b("Customer")));
  assert.ok(!filter.accepts(b("session:abc")));
  assert.ok(!filter.accepts(b("user:secret")));
  assert.ok(filter.accepts(null), "keyless commands (FLUSHALL) pass");
});

test("binary keys and regex metacharacters are matched byte for byte", () => {
  const filter = new KeyFilter(["a.b(c)+*"]);
  assert.ok(filter.accepts(Buffer.concat([b("a.b(c)+"), Buffer.from([0xff, 0x00, 0x0a])])));
  assert.ok(!filter.accepts(b("aXb(c)+")));
  assert.ok(new KeyFilter(["é*"]).accepts(b("été")), "UTF-8 patterns match UTF-8 keys");
});
