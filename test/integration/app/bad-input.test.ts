import { test } from "node:test";
import assert from "node:assert/strict";
import { buildApp, finishedTest, forgetCustomerAfter, redisFor, uniqueEmail } from "./harness.js";

test("client mistakes get a precise 4xx and write nothing", async (t) => {
  const app = await buildApp(t);
  const redis = redisFor(t);
  const email = uniqueEmail("careful");
  forgetCustomerAfter(t, email);
  const customer = { customerName: "Careful Carl", email, phone: "8015551212", birthDay: "1960-06-07" };
  assert.equal((await app.call("POST", "/customer", customer)).status, 201);
  // Only this test's own keys are checked: global counts change under a running `npm start`.
  const others = [uniqueEmail(), uniqueEmail(), uniqueEmail(), uniqueEmail("nobody")];
  const written = async (address: string): Promise<unknown[]> => [
    await redis.hget("CustomerByEmail", address),
    await redis.exists(`RapidStepTest:${address}`),
    (await redis.zscan("Customer", 0, "MATCH", `*${address}*`, "COUNT", 100_000))[1].length,
    (await redis.zscan("RapidStepTest", 0, "MATCH", `*${address}*`, "COUNT", 100_000))[1].length,
  ];
  const start = Date.UTC(2022, 0, 1);
  const valid = finishedTest(email, start, 70_000);

  const cases: [string, string, string, unknown, number, string, RegExp][] = [
    ["invalid JSON", "POST", "/customer", "{not json", 400, "FST_ERR_CTP_INVALID_JSON_BODY", /not valid JSON/],
    ["missing field", "POST", "/customer", { customerName: "A", email: others[0], phone: "1" }, 400, "STEDI_INVALID_REQUEST", /birthDay/],
    ["mistyped field", "POST", "/customer", { ...customer, email: others[1], phone: 8015551212 }, 400, "STEDI_INVALID_REQUEST", /phone/],
    ["impossible birthday", "POST", "/customer", { ...customer, email: others[2], birthDay: "1960-02-31" }, 400, "STEDI_INVALID_CUSTOMER", /birthDay/],
    ["duplicate email", "POST", "/customer", { ...customer, customerName: "Someone Else" }, 409, "STEDI_CUSTOMER_EXISTS", /already exists/],
    ["unknown customer", "GET", `/customer/${uniqueEmail("nobody")}`, undefined, 404, "STEDI_CUSTOMER_NOT_FOUND", /No customer/],
    ["test of an unknown customer", "POST", "/rapidsteptest", { ...valid, customer: others[3] }, 404, "STEDI_CUSTOMER_NOT_FOUND", /create the customer first/],
    ["29 steps", "POST", "/rapidsteptest", { ...valid, totalSteps: 29 }, 400, "STEDI_INVALID_RAPID_STEP_TEST", /exactly 30 steps/],
    ["negative time", "POST", "/rapidsteptest", { ...valid, startTime: -1 }, 400, "STEDI_INVALID_REQUEST", /startTime/],
    ["inverted times", "POST", "/rapidsteptest", { ...valid, startTime: start + 70_000, stopTime: start, testTime: 70_000 }, 400, "STEDI_INVALID_RAPID_STEP_TEST", /must be after startTime/],
    ["testTime that lies", "POST", "/rapidsteptest", { ...valid, testTime: 1 }, 400, "STEDI_INVALID_RAPID_STEP_TEST", /testTime is 1/],
    ["step points that do not match", "POST", "/rapidsteptest", { ...valid, stepPoints: [1, 2, 3] }, 400, "STEDI_INVALID_RAPID_STEP_TEST", /3 entries/],
    ["fractional milliseconds", "POST", "/rapidsteptest", { ...valid, stopTime: start + 70_000.5 }, 400, "STEDI_INVALID_REQUEST", /stopTime/],
    ["risk score with 0 tests", "GET", `/riskscore/${encodeURIComponent(email)}`, undefined, 409, "STEDI_NOT_ENOUGH_TESTS", /0 test\(s\) stored; 4 more needed/],
    ["risk score of an unknown customer", "GET", `/riskscore/${uniqueEmail("nobody")}`, undefined, 404, "STEDI_CUSTOMER_NOT_FOUND", /No customer/],
    ["history limit out of range", "GET", `/stephistory/${encodeURIComponent(email)}?limit=0`, undefined, 400, "STEDI_INVALID_REQUEST", /limit/],
    ["not an email", "GET", "/customer/not-an-email", undefined, 400, "STEDI_INVALID_REQUEST", /email/],
    ["unknown route", "GET", "/nothing-here", undefined, 404, "STEDI_NOT_FOUND", /No route/],
  ];
  for (const [name, method, path, body, status, code, message] of cases) {
    const reply = await app.call(method, path, body);
    assert.equal(reply.status, status, `${name}: ${JSON.stringify(reply.body)}`);
    assert.equal(reply.body.code, code, name);
    assert.match(reply.body.message, message, name);
  }
  for (const address of others) assert.deepEqual(await written(address), [null, 0, 0, 0], `nothing half-written for ${address}`);
  assert.equal((await written(email))[3], 0, "no test of the valid customer was written");
  assert.equal(await redis.zcard(`RapidStepTest:${email}`), 0);

  // A test saved twice (same startTime) is a conflict, not a second test.
  assert.equal((await app.call("POST", "/rapidsteptest", valid)).status, 201);
  const again = await app.call("POST", "/rapidsteptest", valid);
  assert.equal(again.status, 409);
  assert.equal(again.body.code, "STEDI_DUPLICATE_RAPID_STEP_TEST");
  assert.equal(await redis.zcard(`RapidStepTest:${email}`), 1);
  const three = await app.call("GET", `/riskscore/${encodeURIComponent(email)}`);
  assert.match(three.body.message, /1 test\(s\) stored; 3 more needed/);
});

test("account mistakes: taken user name, passwords that differ, a short password", async (t) => {
  const app = await buildApp(t);
  const user = { userName: `u${Date.now()}`, email: "u@example.com", phone: "1", birthDate: "1990-01-01", password: "long enough pw", verifyPassword: "long enough pw" };
  assert.equal((await app.call("POST", "/user", user, null)).status, 201);
  const taken = await app.call("POST", "/user", user, null);
  assert.deepEqual([taken.status, taken.body.code], [409, "STEDI_USER_EXISTS"]);
  const differ = await app.call("POST", "/user", { ...user, userName: `${user.userName}x`, verifyPassword: "something else" }, null);
  assert.deepEqual([differ.status, differ.body.code], [400, "STEDI_INVALID_USER"]);
  const short = await app.call("POST", "/user", { ...user, userName: `${user.userName}y`, password: "short", verifyPassword: "short" }, null);
  assert.deepEqual([short.status, short.body.code], [400, "STEDI_INVALID_REQUEST"]);
  assert.ok(!JSON.stringify(taken.body).includes("passwordHash"));
  await redisFor(t, app.config.redis.secretsDb).del(`User:${user.userName}`);
});
