// gord-ui alone: code-server with only the UI part's VSIX installed (no gord,
// the workspace part), on the example workspace. No workspace part greets the
// UI part, so it must show a status item of its own with this computer's
// health, offer its commands in the palette, and show its report by itself.
// Screenshots and logs go to tests/e2e/artifacts/ui-alone/.
//
//   npm run package -- linux-x64 && node --test tests/e2e/ui-alone.test.mjs

import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Browser } from "./lib/browser.mjs";
import { CodeServer } from "./lib/codeServer.mjs";
import { REPO_ROOT, UI_ALONE_ARTIFACTS, UI_VSIX, artifactsDir, checkPrerequisites } from "./lib/env.mjs";
import { reapLeftovers, waitFor } from "./lib/procs.mjs";
import {
  STATUS_ITEM_ID,
  UI_STATUS_ITEM_ID,
  closePalette,
  editorTabs,
  frameWith,
  openPalette,
  paletteLabels,
  readStatusItem,
  runCommand,
  runScenario,
  showsHealth,
  waitForHealth,
} from "./lib/workbench.mjs";

const uiManifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "extension-ui", "package.json"), "utf8"));
/** The UI part's palette category: "Go Remote Doctor (this computer)". */
const UI_CATEGORY = uiManifest.displayName;

let server;
let browser;
let page;
let artifacts;

/** Runs a scenario; saves `<name>.png` when it passes, `FAILED-<name>.png` when it does not. */
function scenario(name, body) {
  return runScenario(() => page, artifacts, name, body);
}

describe("gord-ui alone in code-server", { timeout: 300_000 }, () => {
  before(async () => {
    checkPrerequisites();
    artifacts = path.join(artifactsDir(), UI_ALONE_ARTIFACTS);
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
    console.log(`e2e artefacts (screenshots, logs): ${artifacts}`);
    server = await CodeServer.start({ logFile: path.join(artifacts, "code-server.log"), vsixes: [UI_VSIX] });
    browser = await Browser.launch();
    page = browser.page;
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") {
        appendFileSync(path.join(artifacts, "browser-console.log"), `[${message.type()}] ${message.text()}\n`);
      }
    });
    await page.goto(server.workspaceUrl);
    await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  }, { timeout: 180_000 });

  after(async () => {
    if (server) {
      writeFileSync(path.join(artifacts, "ui-channel.log"), server.readUiLog());
    }
    const profile = browser?.profileDir;
    await browser?.close();
    const leftovers = (await server?.stop()) ?? [];
    if (profile) {
      leftovers.push(...(await reapLeftovers((p) => p.cmdline.includes(profile))));
    }
    assert.deepEqual(
      leftovers.map((p) => `${p.pid} ${p.cmdline}`),
      [],
      "processes left behind after stopping code-server and Chromium (now killed)",
    );
  });

  it("(v) the UI part alone shows its own status item, palette commands and report of this computer", async () => {
    await scenario("v-ui-alone", async () => {
      // Its own item, with this computer's health, once no workspace part greeted it.
      const status = await waitForHealth(page, 120_000, UI_STATUS_ITEM_ID);
      assert.match(status.ariaLabel, /^Go Remote Doctor \(this computer\), /, JSON.stringify(status));
      assert.equal(await readStatusItem(page, STATUS_ITEM_ID), undefined, "no workspace part, so no item of its");
      assert.equal(server.sidecars().length, 0, `no workspace sidecar: ${JSON.stringify(server.sidecars())}`);
      assert.equal(server.uiSidecars().length, 1, `the UI part's own sidecar: ${JSON.stringify(server.uiSidecars())}`);
      assert.match(server.readUiLog(), /no workspace part: this part shows its own status and report/);
      assert.match(server.readUiLog(), /INFO initialize\b.*part=Ui/);

      // Its commands are in the palette while it is alone.
      await openPalette(page, `${UI_CATEGORY}: `);
      const labels = await paletteLabels(page, `${UI_CATEGORY}: `);
      await closePalette(page);
      for (const title of ["Run Health Check", "Show Report", "Check Remote Host...", "Restart Server", "Show Logs"]) {
        assert.ok(labels.includes(`${UI_CATEGORY}: ${title}`), `${title} in ${JSON.stringify(labels)}`);
      }

      // Its report works by itself: this computer's SSH checks, none of the workspace's.
      await runCommand(page, "View: Close All Editors");
      await runCommand(page, `${UI_CATEGORY}: Show Report`);
      await waitFor("the report's tab", async () => (await editorTabs(page)).some((t) => /Go Remote Doctor Report/.test(t)));
      const frame = await waitFor("the report with SSH050", () => frameWith(page, '[data-check="SSH050"]'));
      const text = await frame.locator("body").innerText();
      assert.match(text, /SSH050 — What Remote-SSH will run/);
      assert.doesNotMatch(text, /GO001/, "the Go checks are the workspace part's");
      assert.ok(showsHealth(await readStatusItem(page, UI_STATUS_ITEM_ID)), "the item still shows health");
    });
  });
});
