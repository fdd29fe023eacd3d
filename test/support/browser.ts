/**
 * A headless Chromium for the browser tests, driven by playwright-core: Debian's `chromium`
 * (installed with apt-get when missing and running as root — `npx playwright install` cannot work on
 * this closed network), with the flags that keep it from hanging on background network calls.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { TestContext } from "node:test";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Installs Debian's chromium if it is missing; explains what to do when it cannot. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} is missing: install it with \`sudo apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  process.stderr.write("[test] installing Debian's chromium for the browser tests (apt-get)…\n");
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing; set CHROMIUM_PATH`);
  return CHROMIUM;
}

/** A browser with its own new, empty profile (playwright makes one per launch), closed after the test. */
export async function launchBrowser(t: TestContext): Promise<Browser> {
  const executablePath = ensureChromium();
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    timeout: 60_000,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  t.after(() => browser.close());
  return browser;
}
