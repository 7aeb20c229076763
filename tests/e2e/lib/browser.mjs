// Debian's Chromium, headless, driven by playwright-core, with a fresh
// profile and no network but loopback.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM } from "./env.mjs";

/**
 * Flags from shared/notes/editor-e2e.md, plus a resolver that knows no host at
 * all. (No --disable-features: it would replace the list playwright passes.)
 */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // Every host name fails to resolve; the workbench is reached by IP literal.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
];

export class Browser {
  /** @type {import("playwright-core").BrowserContext} */
  context;
  /** @type {import("playwright-core").Page} */
  page;

  /** The profile goes with the process, however it ends (Chromium itself is playwright's to kill). */
  #removeProfile = () => rmSync(this.profileDir, { recursive: true, force: true });

  constructor(profileDir) {
    this.profileDir = profileDir;
    process.on("exit", this.#removeProfile);
  }

  /** Launches Chromium with one page of the given viewport. */
  static async launch({ width = 1400, height = 900 } = {}) {
    const browser = new Browser(mkdtempSync(path.join(tmpdir(), "gord-e2e-chromium-")));
    try {
      browser.context = await chromium.launchPersistentContext(browser.profileDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width, height },
        timeout: 60_000,
      });
      // Belt and braces: the page may load only from 127.0.0.1.
      await browser.context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort("blockedbyclient"));
      browser.page = browser.context.pages()[0] ?? (await browser.context.newPage());
    } catch (err) {
      await browser.close();
      throw err;
    }
    return browser;
  }

  /** The PID of Chromium's main process, for the leftover check. */
  get pid() {
    return this.context?.browser?.()?.process?.()?.pid;
  }

  async close() {
    try {
      await this.context?.close();
    } finally {
      process.removeListener("exit", this.#removeProfile);
      rmSync(this.profileDir, { recursive: true, force: true, maxRetries: 3 });
    }
  }
}
