import { test } from "node:test";
import assert from "node:assert/strict";

// The login page's own module (plain browser JS), imported as the page does.
const modulePath: string = "../../../src/app/public/js/safe-next.js";
const { sameOriginPath } = (await import(modulePath)) as { sameOriginPath: (next: string, origin: string) => string };

const ORIGIN = "http://127.0.0.1:4567";

test("?next= keeps same-origin paths with their query and hash", () => {
  assert.equal(sameOriginPath("/graph.html", ORIGIN), "/graph.html");
  assert.equal(sameOriginPath("/timer.html?email=a%40b.c#top", ORIGIN), "/timer.html?email=a%40b.c#top");
});

test("?next= refuses every way out to another site (open redirect), decoded as the page decodes it", () => {
  const decoded = (raw: string): string => new URLSearchParams(`next=${raw}`).get("next") ?? "";
  for (const raw of ["//evil.example", "/\\evil.example", "/%5Cevil.example", "/%2F%2Fevil.example", "https://evil.example", "javascript:alert(1)", "/\t/evil.example", "", "graph.html"]) {
    assert.equal(sameOriginPath(decoded(raw), ORIGIN), "/find.html", raw);
  }
});
