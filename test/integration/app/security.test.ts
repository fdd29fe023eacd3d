import { test, type TestContext } from "node:test";
import { Redis } from "ioredis";
import assert from "node:assert/strict";
import { loadConfig } from "../../../src/config.js";
import { buildApp, finishedTest, forgetCustomerAfter, redisFor, unique, uniqueEmail } from "./harness.js";

/** Deletes an account from the secrets db after the test (on its own connection: hooks run in order). */
function forgetUserAfter(t: TestContext, userName: string): void {
  t.after(async () => {
    const { redis } = loadConfig();
    const secrets = new Redis({ host: redis.host, port: redis.port, password: redis.password, db: redis.secretsDb });
    await secrets.del(`User:${userName}`).finally(() => secrets.quit());
  });
}

test("every customer route refuses a missing, wrong or logged-out token", async (t) => {
  const app = await buildApp(t);
  const email = uniqueEmail();
  const routes: [string, string, unknown?][] = [
    ["POST", "/customer", { customerName: "X", email, phone: "1", birthDay: "1950-01-01" }],
    ["GET", `/customer/${email}`],
    ["POST", "/rapidsteptest", finishedTest(email, 1_600_000_000_000, 60_000)],
    ["GET", `/riskscore/${email}`],
    ["GET", `/stephistory/${email}`],
    ["GET", "/simulation"],
    ["POST", "/simulation"],
    ["DELETE", "/simulation"],
    ["GET", "/risk/recent"],
    ["GET", "/risk/stream"],
  ];
  for (const token of [null, "not-a-token"]) {
    for (const [method, path, body] of routes) {
      const reply = await app.call(method, path, body, token);
      assert.equal(reply.status, 401, `${method} ${path} with ${token}`);
      assert.equal(reply.body.code, "STEDI_UNAUTHORIZED");
    }
  }
  assert.equal((await app.call("GET", "/simulation")).status, 200, "the logged-in token works");
  assert.equal((await app.call("POST", "/logout")).status, 204);
  assert.equal((await app.call("GET", "/simulation")).status, 401, "a logged-out token is dead");
});

test("sessions expire, and secrets live only in the secrets db", async (t) => {
  const app = await buildApp(t, {}, { sessionTtlSeconds: 1 });
  const secrets = redisFor(t, app.config.redis.secretsDb);
  const data = redisFor(t);
  assert.notEqual(app.config.redis.secretsDb, app.config.redis.db);
  // The token is stored hashed, never as itself, and nowhere in the data db the CDC publishes.
  assert.equal(await secrets.exists(`LoginToken:${app.token}`), 0);
  const [sessions] = await Promise.all([secrets.keys("LoginToken:*")]);
  assert.ok(sessions.length > 0);
  assert.deepEqual(await data.keys("LoginToken:*"), []);
  assert.deepEqual(await data.keys("User:*"), []);
  const started = Date.now();
  while ((await app.call("GET", "/simulation")).status === 200) {
    assert.ok(Date.now() - started < 5_000, "a 1 s session still worked after 5 s");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.ok(Date.now() - started >= 700, "the session ended too early");
});

test("login attempts are rate-limited per user name, and no secret reaches the log", async (t) => {
  const lines: string[] = [];
  const app = await buildApp(t, {}, { loginRateLimit: { max: 3, timeWindowMs: 60_000 }, logLevel: "debug", logStream: { write: (line) => void lines.push(line) } });
  const target = unique("victim");
  const statuses = [];
  for (let attempt = 0; attempt < 5; attempt++) statuses.push((await app.call("POST", "/login", { userName: target, password: "guess-guess" }, null)).status);
  assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
  const limited = await app.call("POST", "/login", { userName: target, password: "guess-guess" }, null);
  assert.ok(Number(limited.headers.get("retry-after")) > 0);
  // Another user from the same client is not locked out.
  assert.equal((await app.call("POST", "/login", { userName: unique("other"), password: "x" }, null)).status, 401);
  const log = lines.join("");
  assert.ok(log.length > 0, "the app logged nothing at debug");
  assert.ok(!log.includes(app.token), "the session token was logged");
  assert.ok(!log.includes("guess-guess"), "a password was logged");
});

test("pages carry security headers and no inline script", async (t) => {
  const app = await buildApp(t);
  const page = await fetch(`${app.url}/timer.html`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
  assert.equal(page.headers.get("x-content-type-options"), "nosniff");
  assert.doesNotMatch(await page.text(), /<script>(?!<\/script>)/);
  const chart = await fetch(`${app.url}/vendor/chart.js/chart.umd.min.js`);
  assert.equal(chart.status, 200, "Chart.js is served from the npm package");
  assert.match(await chart.text(), /Chart\.js v4/);
  assert.equal((await fetch(`${app.url}/vendor/chart.js/chart.js`)).status, 404, "only the bundle is exposed");
  const openapi = (await (await fetch(`${app.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  assert.ok(openapi.paths["/rapidsteptest"]?.post, "OpenAPI describes the API");
});

test("login attempts are rate-limited per client address too: spraying user names does not buy unlimited scrypts", async (t) => {
  // The harness logged its user in from this client already: 4 attempts left of 5.
  const app = await buildApp(t, {}, { loginClientRateLimit: { max: 5, timeWindowMs: 60_000 } });
  const replies = [];
  for (let attempt = 0; attempt < 6; attempt++) replies.push(await app.call("POST", "/login", { userName: unique("sprayed"), password: "guess-guess" }, null));
  assert.deepEqual(replies.map((reply) => reply.status), [401, 401, 401, 401, 429, 429]);
  assert.equal(replies[4]!.body.code, "STEDI_TOO_MANY_ATTEMPTS");
  assert.ok(Number(replies[4]!.headers.get("retry-after")) > 0);
});

test("account creation is rate-limited per client address", async (t) => {
  // The harness created (and logged in) one user from this client already.
  const app = await buildApp(t, {}, { signupClientRateLimit: { max: 3, timeWindowMs: 60_000 } });
  const statuses = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    const userName = unique("signup");
    const reply = await app.call("POST", "/user", { userName, email: `${userName}@stedi-test.example`, phone: "8015551212", birthDate: "1980-05-06", password: "long enough", verifyPassword: "long enough" }, null);
    statuses.push(reply.status);
    if (reply.status === 201) forgetUserAfter(t, userName);
  }
  assert.deepEqual(statuses, [201, 201, 429, 429]);
});

test("the demo account exists only while the app listens on loopback, unless asked for; one left from a loopback run is removed", async (t) => {
  const demoUser = { userName: unique("demo"), password: "public-demo-password" };
  forgetUserAfter(t, demoUser.userName);
  const secrets = redisFor(t, loadConfig().redis.secretsDb);
  const loopback = await buildApp(t, {}, { demoUser });
  assert.deepEqual((await loopback.call("GET", "/demo-user", undefined, null)).body, demoUser);
  assert.equal((await loopback.call("POST", "/login", demoUser, null)).status, 200);

  const exposed = await buildApp(t, { STEDI_HOST: "0.0.0.0" }, { demoUser });
  assert.equal((await exposed.call("GET", "/demo-user", undefined, null)).status, 404);
  assert.equal((await exposed.call("POST", "/login", demoUser, null)).status, 401, "the account with the public password is gone");
  assert.equal(await secrets.exists(`User:${demoUser.userName}`), 0);

  const asked = await buildApp(t, { STEDI_HOST: "0.0.0.0" }, { demoUser, demoUserOnAnyAddress: true });
  assert.deepEqual((await asked.call("GET", "/demo-user", undefined, null)).body, demoUser);
  assert.equal((await asked.call("POST", "/login", demoUser, null)).status, 200);
});

test("cookie-authenticated requests that change state must come from the app's own origin", async (t) => {
  const app = await buildApp(t);
  const cookie = `stedi_session=${app.token}`;
  const origin = new URL(app.url).origin;
  const customer = (email: string) => JSON.stringify({ customerName: "Cross Site", email, phone: "8015551212", birthDay: "1950-01-01" });
  const post = (path: string, headers: Record<string, string>, body?: string) => fetch(app.url + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const data = redisFor(t);
  for (const [what, headers] of [
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["Origin: null", { origin: "null" }],
    ["another port of the same host", { origin: "http://127.0.0.1:1" }],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site", origin }],
  ] as const) {
    const email = uniqueEmail("csrf");
    forgetCustomerAfter(t, email);
    const reply = await post("/customer", { cookie, ...headers }, customer(email));
    assert.equal(reply.status, 403, what);
    assert.equal(((await reply.json()) as { code: string }).code, "STEDI_CROSS_SITE_REQUEST", what);
    assert.equal(await data.hexists("CustomerByEmail", email), 0);
    assert.equal((await post("/logout", { cookie, ...headers })).status, 403, `logout, ${what}`);
    assert.equal((await post("/login", headers, JSON.stringify({ userName: "x", password: "y" }))).status, 403, `login, ${what}`);
  }
  assert.equal((await app.call("GET", "/simulation")).status, 200, "the session survived the forged logouts");
  // The app's own pages: same origin, as a browser marks them.
  const email = uniqueEmail("csrf");
  forgetCustomerAfter(t, email);
  assert.equal((await post("/customer", { cookie, origin, "sec-fetch-site": "same-origin" }, customer(email))).status, 201);
  // API clients: the session header cannot be sent cross-site without CORS, which the app does not allow.
  const apiEmail = uniqueEmail("csrf");
  forgetCustomerAfter(t, apiEmail);
  assert.equal((await post("/customer", { "suresteps.session.token": app.token, origin: "https://evil.example" }, customer(apiEmail))).status, 201);
  assert.equal((await fetch(`${app.url}/risk/recent`, { headers: { cookie, "sec-fetch-site": "cross-site" } })).status, 200, "reading is not changing state");
});
