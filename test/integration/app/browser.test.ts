import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { launchBrowser } from "../../support/browser.js";
import { buildApp, forgetCustomerAfter, produce, uniqueEmail, uniqueTopic } from "./harness.js";

// Screenshots land here for a human (or a reviewer) to look at.
const SHOTS = ".stedi/screenshots";

test("in a browser: log in, create a customer, take tests by clicking Add Step, see steps and risk score; names render as text", { timeout: 120_000 }, async (t) => {
  const app = await buildApp(t, {}, { demoUser: { userName: `demo-${Date.now()}`, password: "demo-password-1" } });
  const browser = await launchBrowser(t);
  await mkdir(SHOTS, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
  page.setDefaultTimeout(15_000);

  // A login link crafted to send the browser elsewhere afterwards (open redirect) is not followed.
  await page.goto(`${app.url}/index.html?next=/%5Cevil.example`);
  // The demo user is shown and pre-filled; logging in lands on the find-customer page.
  await page.locator("#demo:not([hidden])").waitFor();
  const demoUser = await page.locator("#demo-user").textContent();
  assert.match(demoUser ?? "", /^demo-/);
  await page.fill("#password", "demo-password-1");
  await page.click("button[type=submit]");
  await page.waitForURL(/find\.html/);
  assert.equal(new URL(page.url()).origin, new URL(app.url).origin, "?next= stays on the app's origin");

  const email = uniqueEmail("browser");
  forgetCustomerAfter(t, email);
  const hostileName = `<img src=x onerror="window.pwned=1">Bobby <b>Tables</b>`;
  await page.goto(`${app.url}/customer.html`);
  await page.fill("#customerName", hostileName);
  await page.fill("#email", email);
  await page.fill("#phone", "8015551212");
  await page.fill("#birthDay", "1955-04-05");
  await page.click("button[type=submit]");
  await page.waitForURL(/timer\.html\?email=/);
  // The name is shown exactly as typed — as text, not markup.
  await page.locator("#customer-name", { hasText: "Bobby" }).waitFor();
  assert.equal(await page.locator("#customer-name").textContent(), hostileName);
  assert.equal(await page.locator("#customer-name img").count(), 0);

  for (let testNumber = 1; testNumber <= 4; testNumber++) {
    await page.click("#start");
    for (let step = 0; step < 30; step++) {
      if (step === 15 && testNumber === 1) await page.keyboard.press("y"); // the y key adds a step too
      else await page.click("#add-step");
    }
    await page.locator("#message", { hasText: `Test ${testNumber} saved` }).waitFor();
    assert.equal(await page.locator("#step-count").textContent(), "30");
    assert.equal(await page.locator("#add-step").isDisabled(), true, "the test ended at 30 steps");
  }
  const score = await page.locator("#risk-score").textContent();
  assert.match(score ?? "", /^-?\d+(\.\d+)?$/, `a risk score is shown after the 4th test, not "${score}"`);
  await page.screenshot({ path: `${SHOTS}/timer.png`, fullPage: true });

  await page.goto(`${app.url}/find.html?email=${encodeURIComponent(email)}`);
  await page.locator("#found:not([hidden])").waitFor();
  assert.equal(await page.locator("#found-name").textContent(), hostileName);
  assert.equal(await page.locator("#found-tests").textContent(), "4");
  assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined, "no injected script ran");
  await page.screenshot({ path: `${SHOTS}/find.png`, fullPage: true });
});

test("in a browser: a record published to the risk topic appears on an open graph page without reload", { timeout: 120_000 }, async (t) => {
  const topic = await uniqueTopic(t, "browser-risk");
  await produce(topic, [{ key: "Early.Bird@test.com", value: '{"customer":"Early.Bird@test.com","score":"3.25","email":"Early.Bird@test.com","birthYear":"1959"}' }]);
  const app = await buildApp(t, { KAFKA_RISK_TOPIC: topic }, { riskFeed: true });
  const browser = await launchBrowser(t);
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  await context.addCookies([{ name: "stedi_session", value: app.token, url: app.url }]);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${app.url}/graph.html`);
  // History on load …
  await page.locator("#latest td", { hasText: "Early.Bird@test.com" }).waitFor();
  let reloaded = false;
  page.on("load", () => (reloaded = true));
  // … then a live record, without reload.
  await produce(topic, [{ key: "Live.Wire@test.com", value: '{"customer":"Live.Wire@test.com","score":"-4.5","email":"Live.Wire@test.com","birthYear":"1944"}' }]);
  await page.locator("#latest td", { hasText: "Live.Wire@test.com" }).waitFor();
  assert.equal(reloaded, false);
  const plotted = await page.evaluate(() => {
    const chart = (window as unknown as { Chart: { getChart(id: string): { data: { datasets: { data: { x: number; y: number }[] }[] } } } }).Chart.getChart("chart");
    return chart.data.datasets.map((set) => set.data.map((p) => [p.x, p.y]));
  });
  assert.deepEqual(plotted, [[[1959, 3.25]], [[1944, -4.5]]]);
  await page.screenshot({ path: `${SHOTS}/graph.png`, fullPage: true });
});

test("in a browser: an open graph page keeps plotting across an app restart, without reload and without old points coming back", { timeout: 120_000 }, async (t) => {
  const topic = await uniqueTopic(t, "browser-restart");
  const point = (email: string, score: string, birthYear: string) => ({ key: email, value: JSON.stringify({ customer: email, score, email, birthYear }) });
  const first = await buildApp(t, { KAFKA_RISK_TOPIC: topic }, { riskFeed: true, riskHistorySize: 2 });
  const port = new URL(first.url).port;
  const browser = await launchBrowser(t);
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  await context.addCookies([{ name: "stedi_session", value: first.token, url: first.url }]);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${first.url}/graph.html`);
  // More live records than the history window before the restart: the old per-process ids of the
  // first app then ran ahead of the second's, and the page ignored every new point as older.
  await page.locator("#status", { hasText: "Live: 0 records received" }).waitFor();
  const earlier = [1, 2, 3, 4].map((n) => point(`Earlier.${n}@test.com`, "0.5", "1940"));
  await produce(topic, [...earlier, point("Before.Restart@test.com", "1.5", "1950")]);
  await page.locator("#latest td", { hasText: "Before.Restart@test.com" }).waitFor();
  let reloaded = false;
  page.on("load", () => (reloaded = true));
  const plotted = () =>
    page.evaluate(() => {
      const chart = (window as unknown as { Chart: { getChart(id: string): { data: { datasets: { data: { x: number; y: number }[] }[] } } } }).Chart.getChart("chart");
      return chart.data.datasets.flatMap((set) => set.data.map((p) => [p.x, p.y]));
    });

  // The app process goes away and a new one takes its port; the page's EventSource reconnects.
  await first.close();
  await buildApp(t, { KAFKA_RISK_TOPIC: topic, STEDI_PORT: port }, { riskFeed: true, riskHistorySize: 2 });
  await produce(topic, [point("After.Restart@test.com", "-2.5", "1960")]);
  await page.locator("#latest td", { hasText: "After.Restart@test.com" }).waitFor();
  // A later score of the first customer replaces their point: the chart keeps changing.
  await produce(topic, [point("Before.Restart@test.com", "4.5", "1950")]);
  await page.waitForFunction(() => document.querySelector("#latest")?.textContent?.includes("4.5"));
  assert.deepEqual((await plotted()).sort(), [[1940, 0.5], [1940, 0.5], [1940, 0.5], [1940, 0.5], [1950, 4.5], [1960, -2.5]]);
  assert.match((await page.locator("#status").textContent()) ?? "", /Live: 7 records received, 6 customers plotted/, "nothing old was received again");
  assert.equal(reloaded, false);
});
