import { test } from "node:test";
import assert from "node:assert/strict";
import { buildApp, finishedTest, redisFor, unique, uniqueEmail } from "./harness.js";

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
