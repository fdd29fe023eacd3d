import { test } from "node:test";
import assert from "node:assert/strict";
import { hashPassword, verifyPassword } from "../../../src/app/services/passwords.js";

test("scrypt hashes carry their cost, verify the right password only, and are salted", async () => {
  const hash = await hashPassword("correct horse", 1024);
  assert.match(hash, /^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
  assert.equal(await verifyPassword("correct horse", hash), true);
  assert.equal(await verifyPassword("correct horsf", hash), false);
  assert.notEqual(await hashPassword("correct horse", 1024), hash);
  assert.equal(await verifyPassword("x", "not-a-hash"), false);
});

test("the production cost (2^15) works within Node's memory limit", async () => {
  const hash = await hashPassword("pw", 2 ** 15);
  assert.equal(await verifyPassword("pw", hash), true);
});
