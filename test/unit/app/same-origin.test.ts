import { test } from "node:test";
import assert from "node:assert/strict";
import { isLoopbackHost } from "../../../src/app/options.js";
import { crossSiteReason } from "../../../src/app/plugins/same-origin.js";

const request = (method: string, headers: Record<string, string>) => ({ method, headers, protocol: "http" as const, host: "127.0.0.1:4567" });

test("a state-changing request without the session header must come from the app's own origin", () => {
  assert.equal(crossSiteReason(request("POST", {})), undefined, "no browser headers: an API client");
  assert.equal(crossSiteReason(request("POST", { origin: "http://127.0.0.1:4567", "sec-fetch-site": "same-origin" })), undefined);
  assert.equal(crossSiteReason(request("POST", { "sec-fetch-site": "none" })), undefined, "typed by the user");
  assert.match(crossSiteReason(request("POST", { origin: "http://127.0.0.1:4568" })) ?? "", /Origin/);
  assert.match(crossSiteReason(request("DELETE", { origin: "https://127.0.0.1:4567" })) ?? "", /Origin/, "another scheme is another origin");
  assert.match(crossSiteReason(request("POST", { "sec-fetch-site": "same-site", origin: "http://127.0.0.1:4567" })) ?? "", /Sec-Fetch-Site/);
  assert.equal(crossSiteReason(request("GET", { "sec-fetch-site": "cross-site" })), undefined, "reading changes nothing");
  assert.equal(crossSiteReason(request("POST", { "suresteps.session.token": "t", origin: "https://evil.example" })), undefined, "the header cannot come from another site");
});

test("loopback addresses are the ones only this machine reaches", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"]) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ["0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "example.com", "127.0.0.1.example.com"]) assert.equal(isLoopbackHost(host), false, host);
});
