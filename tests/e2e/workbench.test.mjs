// gord in a real VS Code: code-server with the real VSIX (and so the real
// release sidecar), in Debian's headless Chromium, on the example workspace.
// Each scenario asserts what a user sees and leaves a screenshot in
// tests/e2e/artifacts/.
//
//   npm run package && node --test tests/e2e/
//
// Needs what scripts/install-deps installs (code-server, chromium,
// playwright-core). Everything the tests start is stopped in `after`, which
// also fails the run if any process was left behind.

import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { createInterface } from "node:readline";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Browser } from "./lib/browser.mjs";
import { CodeServer } from "./lib/codeServer.mjs";
import { REPO_ROOT, UI_ALONE_ARTIFACTS, artifactsDir, checkPrerequisites } from "./lib/env.mjs";
import { isAlive, reapLeftovers, sleep, waitFor } from "./lib/procs.mjs";
import {
  CATEGORY,
  EXTENSION_ID,
  closePalette,
  editorTabs,
  frameWith,
  framesText,
  goToPosition,
  openPalette,
  paletteLabels,
  pickQuickPickRow,
  quickOpen,
  quickPickRows,
  readActivationTime,
  readOutputPanel,
  readStatusItem,
  recordStatusHistory,
  runCommand,
  runScenario,
  showHover,
  showsHealth,
  startQuickPickCommand,
  statusHistory,
  statusItemLocator,
  visibleWithin,
  waitForHealth,
} from "./lib/workbench.mjs";

/** The palette commands package.json contributes; gord.runFixCommand is hidden from the palette. */
const PALETTE_COMMANDS = [
  "Attach Delve to Process...",
  "Check Remote Host...",
  "Lint Workspace",
  "Preload Go Caches",
  "Restart Server",
  "Run Health Check",
  "Show Logs",
  "Show Report",
].map((t) => `${CATEGORY}: ${t}`);
const ATTACH_COMMAND = `${CATEGORY}: Attach Delve to Process...`;
const ATTACH_PICK_TITLE = "Attach Delve to Process";
const HIDDEN_COMMAND = `${CATEGORY}: Run Fix Command`;
const REPORT_TAB = /Go Remote Doctor Report/;

/** Lines of the sidecar's log (stderr, in the Go Remote Doctor channel). */
const INITIALIZE = /INFO initialize\b/g;
const RUN_FINISHED = /INFO health run finished\b/g;

let server;
let silentProxy;
let browser;
let page;
let artifacts;
const metrics = {};

/** A TCP server on 127.0.0.1 that accepts and never answers. */
function startSilentProxy() {
  const sockets = new Set();
  const listener = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    listener.listen(0, "127.0.0.1", () =>
      resolve({
        port: listener.address().port,
        close() {
          for (const socket of sockets) {
            socket.destroy();
          }
          listener.close();
        },
      }),
    );
  });
}

/** How often `pattern` occurs in the Go Remote Doctor channel's log file. */
function countInGordLog(pattern) {
  return (server.readGordLog().match(pattern) ?? []).length;
}

/** Runs a scenario; saves `<name>.png` when it passes, `FAILED-<name>.png` when it does not. */
function scenario(name, body) {
  return runScenario(() => page, artifacts, name, body);
}

/**
 * Asserts that the status item went through the spinner (`$(sync~spin)`:
 * sidecar starting or checks running) since `since`, and ended on health.
 */
async function assertSpinnerThenHealth(since, what) {
  // A restarted sidecar may start a second run just after its first result
  // (e.g. when the workspace's settings arrive): wait for the last one to end.
  const seen = await waitFor("the status item to settle on a health result", async () => {
    const history = await statusHistory(page, since);
    return showsHealth(history.at(-1)) ? history : undefined;
  }).catch(() => statusHistory(page, since));
  const shown = JSON.stringify(seen.map((e) => `${e.icon} ${e.text}`));
  assert.ok(seen.some((e) => e.icon === "sync"), `the status item showed the spinner while ${what}: ${shown}`);
  assert.ok(showsHealth(seen.at(-1)), `the status item ended on a health result: ${shown}`);
}

/** Milliseconds between two log timestamps, or undefined. */
function msBetween(from, to) {
  return from !== undefined && to !== undefined ? to.getTime() - from.getTime() : undefined;
}

describe("gord in code-server", { timeout: 420_000 }, () => {
  before(async () => {
    checkPrerequisites();
    artifacts = artifactsDir();
    for (const old of readdirSync(artifacts)) {
      // ui-alone.test.mjs keeps its own artefacts in a folder of its own.
      if (old !== UI_ALONE_ARTIFACTS) {
        rmSync(path.join(artifacts, old), { recursive: true, force: true });
      }
    }
    console.log(`e2e artefacts (screenshots, logs): ${artifacts}`);

    // A module proxy on loopback that accepts connections and never answers:
    // a module only it could serve keeps a preload busy until it is cancelled.
    silentProxy = await startSilentProxy();
    server = await CodeServer.start({
      logFile: path.join(artifacts, "code-server.log"),
      goProxy: `http://127.0.0.1:${silentProxy.port}`,
    });
    browser = await Browser.launch();
    page = browser.page;
    // The workbench's console (errors and warnings), for when something fails.
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") {
        appendFileSync(path.join(artifacts, "browser-console.log"), `[${message.type()}] ${message.text()}\n`);
      }
    });

    await scenario("startup", async () => {
      // Time to health: from opening the workspace to the status item showing a result.
      const opened = Date.now();
      await page.goto(server.workspaceUrl);
      await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
      metrics.workbenchMs = Date.now() - opened;
      await recordStatusHistory(page);
      await waitForHealth(page, 120_000);
      metrics.timeToHealthMs = Date.now() - opened;
    });
  }, { timeout: 240_000 });

  after(async () => {
    // Logs first, while the temp dir exists.
    if (server) {
      writeFileSync(path.join(artifacts, "gord-channel.log"), server.readGordLog());
      writeFileSync(path.join(artifacts, "remoteexthost.log"), server.readExtHostLog());
    }
    silentProxy?.close();
    const profile = browser?.profileDir;
    await browser?.close();
    const leftovers = (await server?.stop()) ?? [];
    if (profile) {
      leftovers.push(...(await reapLeftovers((p) => p.cmdline.includes(profile))));
    }
    printMetrics();
    assert.deepEqual(
      leftovers.map((p) => `${p.pid} ${p.cmdline}`),
      [],
      "processes left behind after stopping code-server and Chromium (now killed)",
    );
  });

  it("(a) the status item shows the workspace's health; clicking it runs the checks and opens the report", async () => {
    await scenario("a-status-and-report", async () => {
      const status = await readStatusItem(page);
      assert.ok(showsHealth(status), `status item shows a health result: ${JSON.stringify(status)}`);
      assert.ok(status.ariaLabel.includes(status.text), `its accessible name includes "${status.text}"`);

      const runsBefore = countInGordLog(RUN_FINISHED);
      const clicked = Date.now();
      await statusItemLocator(page).click();

      await waitFor("the report's tab", async () => (await editorTabs(page)).some((t) => REPORT_TAB.test(t)));
      const [report] = await waitFor("the report in the Markdown preview", () =>
        framesText(page, /Go Remote Doctor report[\s\S]*GO001/).then((texts) => (texts.length ? texts : undefined)),
      );
      assert.match(report, /Go Remote Doctor report/);
      assert.match(report, /GO001/);
      await waitFor("the click's health run", () => countInGordLog(RUN_FINISHED) > runsBefore);
      await waitForHealth(page);
      await assertSpinnerThenHealth(clicked, "the checks ran");
    });
  });

  it("(b) every gord command is in the palette under its category, and runs", async () => {
    await scenario("b-palette", async () => {
      await openPalette(page, `${CATEGORY}:`);
      const labels = await paletteLabels(page, `${CATEGORY}:`);
      assert.deepEqual([...labels].sort(), PALETTE_COMMANDS, "the palette lists exactly these gord commands");
      assert.ok(!labels.includes(HIDDEN_COMMAND), `${HIDDEN_COMMAND} is hidden`);
    });
    await closePalette(page);

    await scenario("b-run-health-check", async () => {
      await runCommand(page, "View: Close All Editors");
      const runsBefore = countInGordLog(RUN_FINISHED);
      await runCommand(page, `${CATEGORY}: Run Health Check`);
      await waitFor("a new health run", () => countInGordLog(RUN_FINISHED) > runsBefore);
      await waitFor("the report's tab", async () => (await editorTabs(page)).some((t) => REPORT_TAB.test(t)));
      await waitForHealth(page);
    });

    await scenario("b-show-report", async () => {
      await runCommand(page, "View: Close All Editors");
      await runCommand(page, `${CATEGORY}: Show Report`);
      await waitFor("the report's tab", async () => (await editorTabs(page)).some((t) => REPORT_TAB.test(t)));
      await waitFor("the report in the Markdown preview", () =>
        framesText(page, /Go Remote Doctor report[\s\S]*GO001/).then((texts) => texts.length > 0),
      );
    });

    await scenario("b-show-logs", async () => {
      await runCommand(page, `${CATEGORY}: Show Logs`);
      const output = await waitFor("the Go Remote Doctor channel with sidecar log lines", async () => {
        const panel = await readOutputPanel(page);
        return panel.visible &&
          panel.channel.includes(CATEGORY) &&
          panel.lines.some((l) => /\binitialize\b|health run finished/.test(l))
          ? panel
          : undefined;
      });
      assert.equal(output.channel.trim(), CATEGORY);
    });

    await scenario("b-lint-workspace", async () => {
      await runCommand(page, `${CATEGORY}: Lint Workspace`);
      const toast = await waitFor("the lint summary notification", async () => {
        const texts = await page.locator(".notifications-toasts .notification-list-item-message").allInnerTexts();
        return texts.find((t) => /Go Remote Doctor: Lint: \d+ issues? in \d+ files?, 1 module \(golangci-lint /.test(t));
      }, { timeoutMs: 120_000 });
      assert.match(toast, /golangci-lint \d+\.\d+/);
      await page.keyboard.press("Escape");
    });

    await scenario("b-check-remote-host-pick", async () => {
      await runCommand(page, `${CATEGORY}: Check Remote Host...`, { opensQuickPick: true });
      const labels = await waitFor("the host quick pick", async () => {
        const texts = await page.locator(".quick-input-widget .quick-input-list .monaco-list-row .label-name").allInnerTexts();
        // The palette's own row may linger for a frame before the pick replaces it.
        return texts.includes("closed") && !texts.some((t) => t.startsWith(CATEGORY)) ? texts : undefined;
      });
      assert.deepEqual(labels, ["closed"], "the hosts of gord.ssh.configFile, nothing else");
      await page.keyboard.press("Escape");
      await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
    });

    await scenario("b-attach-delve", async () => {
      await startQuickPickCommand(page, ATTACH_COMMAND, ATTACH_PICK_TITLE);
      const rows = await waitFor("processes in the quick pick", async () => {
        const shown = await quickPickRows(page);
        return shown.some((r) => / pid \d+/.test(r.text)) ? shown : undefined;
      });
      assert.ok(rows.length > 0);
      await closePalette(page);
    });

    await scenario("b-restart-server", async () => {
      const before = server.sidecars().map((p) => p.pid);
      assert.equal(before.length, 1, `one gord serve runs: ${JSON.stringify(server.sidecars())}`);
      const initsBefore = countInGordLog(INITIALIZE);
      const restarted = Date.now();
      await runCommand(page, `${CATEGORY}: Restart Server`);
      const after = await waitFor("a new gord serve process", () => {
        const now = server.sidecars().map((p) => p.pid);
        return now.length === 1 && !before.includes(now[0]) ? now : undefined;
      });
      await waitFor("the new sidecar's initialize", () => countInGordLog(INITIALIZE) > initsBefore);
      await waitForHealth(page);
      await assertSpinnerThenHealth(restarted, "the sidecar restarted");
      assert.notEqual(after[0], before[0]);
    });
  });

  it("(c) an SSH config shows its problems as you open it; the quick fix clears one; hover shows the effective config", async () => {
    const config = path.join(server.workspace, "work.ssh_config");
    writeFileSync(config, "Host devbox\n  HostName 127.0.0.1\n  Hostnme typo\n  ServerAliveInterval 15\n  ConnectTimeout 10\n");
    await scenario("c-ssh-problems", async () => {
      await runCommand(page, "View: Close All Editors");
      await quickOpen(page, "work.ssh_config");
      await page.keyboard.press("Control+Shift+M");
      await waitFor("SSH001 in the Problems panel", async () => {
        const text = await page.locator(".markers-panel").innerText({ timeout: 1_000 }).catch(() => "");
        return /Unknown keyword "Hostnme"/.test(text) && /SSH001/.test(text);
      });
    });

    await scenario("c-ssh-quick-fix", async () => {
      // Cursor on the typo, then the preferred quick fix, as the light bulb offers it.
      await page.locator(".monaco-editor .view-lines").first().click();
      await goToPosition(page, 3, 3);
      await runCommand(page, "Auto Fix...");
      await waitFor("the keyword corrected in the editor", async () => {
        const text = await page.locator(".monaco-editor .view-lines").first().innerText();
        return /HostName typo/.test(text.replace(/\u00a0/g, " "));
      });
      await waitFor("SSH001 gone from the Problems panel", async () => {
        const text = await page.locator(".markers-panel").innerText({ timeout: 1_000 }).catch(() => "");
        return !/SSH001/.test(text);
      });
    });

    await scenario("c-ssh-hover", async () => {
      await goToPosition(page, 1, 7);
      const hover = await showHover(page, "the hover with the effective configuration", /Effective configuration for/);
      assert.match(hover, /devbox/);
      assert.match(hover, /127\.0\.0\.1/);
    });
  });

  it("(o) an SSH config's outline lists its Host blocks, and Format Document re-indents their bodies only", async () => {
    const config = path.join(server.workspace, "outline.ssh_config");
    // Block lines indented two ways (two spaces first), one not at all; a comment stays where it is.
    writeFileSync(config, "# hosts\nHost db\nHostName 127.0.0.1\n  User dba\n      # kept as is\nHost web\n\tPort 2222\n");
    await scenario("o-ssh-outline", async () => {
      await runCommand(page, "View: Close All Editors");
      await quickOpen(page, "outline.ssh_config");
      await page.locator(".monaco-editor .view-lines").first().click();
      await page.keyboard.press("Control+Shift+O");
      const symbols = await waitFor("the Host blocks in Go to Symbol", async () => {
        // Each row: the symbol's name, then its container (a keyword line's Host block).
        const rows = (await page.locator(".quick-input-widget .quick-input-list .monaco-list-row").allInnerTexts()).map(
          (t) => t.replace(/\s+/g, " ").trim(),
        );
        const starts = (name) => rows.some((r) => r === name || r.startsWith(`${name} symbols`));
        return starts("db") && starts("web") ? rows : undefined;
      });
      assert.ok(
        symbols.some((r) => /^HostName ?db$/.test(r)),
        `the keyword lines are in the outline, under their block: ${JSON.stringify(symbols)}`,
      );
      await page.keyboard.press("Escape");
    });

    await scenario("o-ssh-format", async () => {
      await runCommand(page, "Format Document");
      await page.keyboard.press("Control+S");
      const expected = "# hosts\nHost db\n  HostName 127.0.0.1\n  User dba\n      # kept as is\nHost web\n  Port 2222\n";
      await waitFor("the formatted config saved", () => readFileSync(config, "utf8") === expected);
    });
  });

  it("(k) an SSH config is judged and completed by the user's own ssh: a keyword its release lacks is a problem naming both releases, the hover names the ssh followed, completion offers keywords and values with the default marked", async () => {
    // The sidecar follows the ssh on PATH, as the test does: its `-V` says
    // which release the expectations are for.
    const banner = spawnSync("ssh", ["-V"], { encoding: "utf8" }).stderr.trim();
    const release = /^OpenSSH_(?:for_Windows_)?(\d+)\.(\d+)(p\d+)?/.exec(banner);
    assert.ok(release, `the machine's ssh is OpenSSH: ${banner}`);
    const shortRelease = `${release[1]}.${release[2]}${release[3] ?? ""}`;
    const knowsTag = Number(release[1]) * 100 + Number(release[2]) >= 904;

    const config = path.join(server.workspace, "release.ssh_config");
    writeFileSync(config, "Host devbox\n  HostName 127.0.0.1\n  Tag work\n");
    const markers = () => page.locator(".markers-panel").innerText({ timeout: 1_000 }).catch(() => "");
    await scenario("k-ssh-release-problem", async () => {
      await runCommand(page, "View: Close All Editors");
      await quickOpen(page, "release.ssh_config");
      await page.keyboard.press("Control+Shift+M");
      if (knowsTag) {
        // Nothing to judge by this release: the file is checked, and clean.
        await waitFor("the config checked", async () => /No problems have been detected/.test(await markers()));
      } else {
        const text = await waitFor("SSH001 naming the release that added Tag", async () => {
          const t = await markers();
          return /does not know Tag \(added in 9\.4\)/.test(t) ? t : undefined;
        });
        assert.match(text, new RegExp(`OpenSSH ${shortRelease.replace(".", "\\.")} does not know Tag`));
      }
    });

    await scenario("k-ssh-keyword-hover", async () => {
      await page.locator(".monaco-editor .view-lines").first().click();
      await goToPosition(page, 3, 4);
      const hover = await showHover(page, "the keyword's documentation in the hover", /Rules of:/);
      // The problem's own hover may come first in the same widget.
      assert.match(hover, /(^|\n)Tag\s*\n\s*A name for this configuration/, `the hover documents the keyword: ${hover}`);
      assert.match(hover, new RegExp(`Rules of: .*OpenSSH ${shortRelease.replace(".", "\\.")}`), "it names the release followed");
      if (!knowsTag) {
        assert.match(hover, /does not know it \(added in 9\.4\)/);
      }
      await page.keyboard.press("Escape");
    });

    // The suggest widget's rows now shown, top to bottom, as one line each.
    const suggestions = () =>
      page.locator(".editor-widget.suggest-widget .monaco-list-row").evaluateAll((rows) =>
        rows
          .filter((r) => r.getClientRects().length > 0)
          .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
          .map((r) => r.innerText.replace(/\s+/g, " ").trim()),
      );
    // The focused row of the suggest widget and the details pane's text, if shown.
    const focusedSuggestion = () =>
      page.evaluate(() => {
        const visible = (e) => e.getClientRects().length > 0;
        const flat = (e) => (e ? e.innerText.replace(/\s+/g, " ").trim() : "");
        const row = [...document.querySelectorAll(".editor-widget.suggest-widget .monaco-list-row.focused")].find(visible);
        const details = [...document.querySelectorAll(".suggest-details")].find(visible);
        return row ? { row: flat(row), details: flat(details) } : undefined;
      });
    await scenario("k-ssh-completion", async () => {
      await page.keyboard.press("Control+End");
      await page.keyboard.type("  StrictHost");
      await page.keyboard.press("Control+Space");
      await waitFor("StrictHostKeyChecking offered", async () =>
        (await suggestions()).some((r) => r.startsWith("StrictHostKeyChecking")),
      );
      await page.keyboard.press("Enter");
      await page.keyboard.type(" ");
      await page.keyboard.press("Control+Space");
      const values = await waitFor("StrictHostKeyChecking's values offered", async () => {
        const rows = await suggestions();
        return rows.some((r) => r.startsWith("accept-new")) ? rows : undefined;
      });
      // The default is preselected, and its detail says so: inline in the
      // focused row, or in the details pane when the user (or an earlier
      // Ctrl+Space on an open list) has it open. It can come a frame late.
      let focused;
      await waitFor("the default value focused and marked", async () => {
        focused = await focusedSuggestion();
        return focused && /^ask\b/.test(focused.row) && /\bdefault\b/.test(`${focused.row} ${focused.details}`);
      }).catch((e) => assert.fail(`${e.message}: focused ${JSON.stringify(focused)}, rows ${JSON.stringify(values)}`));
      await page.keyboard.type("accept-n");
      await page.keyboard.press("Enter");
      await page.keyboard.press("Control+S");
      await waitFor("the completed line saved", () =>
        readFileSync(config, "utf8").endsWith("  Tag work\n  StrictHostKeyChecking accept-new"),
      );
      // The half-typed line's problem ("no argument after keyword") goes with it.
      await waitFor("only the release's problem left", async () => {
        const t = await markers();
        return !/SSH024/.test(t) && /SSH001/.test(t) !== knowsTag;
      });
    });
  });

  it("(d) a Go file with lint issues: after save, golangci-lint's findings are in the Problems panel; a quick fix applies", async () => {
    // A package with an unchecked error and a misspelling, under a config
    // that enables errcheck and misspell. Lint on open is off here, so what
    // appears comes from the save.
    const ws = server.workspace;
    writeFileSync(
      path.join(ws, ".golangci.yml"),
      'version: "2"\nlinters:\n  default: none\n  enable: [errcheck, misspell]\n',
    );
    // A settings change reaches the sidecar as didChangeConfiguration, which
    // reruns the checks: that run is the sign the setting arrived.
    const runsBefore = countInGordLog(RUN_FINISHED);
    mkdirSync(path.join(ws, ".vscode"), { recursive: true });
    writeFileSync(path.join(ws, ".vscode", "settings.json"), JSON.stringify({ "gord.lint.onOpen": false }, null, 2));
    await waitFor("the sidecar to get gord.lint.onOpen", () => countInGordLog(RUN_FINISHED) > runsBefore);
    mkdirSync(path.join(ws, "lintdemo"), { recursive: true });
    const file = path.join(ws, "lintdemo", "lintdemo.go");
    writeFileSync(
      file,
      'package lintdemo\n\nimport "os"\n\n// Cleanup will recieve nothing back.\nfunc Cleanup() {\n\tos.Remove("scratch")\n}\n',
    );
    const problems = () => page.locator(".markers-panel").innerText({ timeout: 1_000 }).catch(() => "");

    await scenario("d-lint-on-save", async () => {
      await runCommand(page, "File: Save All Files");
      await runCommand(page, "View: Close All Editors");
      await quickOpen(page, "lintdemo.go");
      await page.keyboard.press("Control+Shift+M");
      await sleep(1_500);
      assert.doesNotMatch(await problems(), /errcheck/, "nothing is linted on open when gord.lint.onOpen is off");
      // An edit and a save: a space typed and taken back leaves the text as it was.
      await page.locator(".monaco-editor .view-lines").first().click();
      await page.keyboard.press("Control+End");
      await page.keyboard.type(" ");
      await page.keyboard.press("Backspace");
      const saved = Date.now();
      await page.keyboard.press("Control+S");
      const text = await waitFor("golangci-lint's findings in the Problems panel", async () => {
        const t = await problems();
        return /errcheck/.test(t) && /misspell/.test(t) ? t : undefined;
      }, { timeoutMs: 60_000 });
      metrics.saveToLintMs = Date.now() - saved;
      assert.match(text, /Error return value of `os.Remove` is not checked/);
      assert.match(text, /`recieve` is a misspelling of `receive`/);
      assert.match(text, /golangci-lint/);
    });

    await scenario("d-lint-quick-fix", async () => {
      // Cursor on the misspelt word (line 5, column 18), then the preferred fix.
      await page.locator(".monaco-editor .view-lines").first().click();
      await goToPosition(page, 5, 18);
      await runCommand(page, "Auto Fix...");
      await waitFor("the word corrected in the editor", async () => {
        const text = await page.locator(".monaco-editor .view-lines").first().innerText();
        return /will receive nothing/.test(text.replace(/\u00a0/g, " "));
      });
      await page.keyboard.press("Control+S");
      await waitFor("misspell gone from the Problems panel, errcheck still there", async () => {
        const t = await problems();
        return !/misspell/.test(t) && /errcheck/.test(t);
      }, { timeoutMs: 60_000 });
    });
  });

  it("(s) a settings.json flag the installed golangci-lint does not take is a problem on its key; the quick fix removes it", async () => {
    // golangci-lint v2 dropped --fast: the Go extension's lint on save fails with it.
    const settings = path.join(server.workspace, ".vscode", "settings.json");
    const before = readFileSync(settings, "utf8");
    const runsBefore = countInGordLog(RUN_FINISHED);
    writeFileSync(
      settings,
      '{\n  "gord.lint.onOpen": false,\n  "go.lintTool": "golangci-lint",\n  "go.lintFlags": ["--fast"]\n}\n',
    );
    await waitFor("the checks rerun with the new settings", () => countInGordLog(RUN_FINISHED) > runsBefore);
    const problems = () => page.locator(".markers-panel").innerText({ timeout: 1_000 }).catch(() => "");

    await scenario("s-settings-problem", async () => {
      await runCommand(page, "View: Close All Editors");
      await quickOpen(page, "settings.json");
      await page.keyboard.press("Control+Shift+M");
      const text = await waitFor("GO031 in the Problems panel", async () => {
        const t = await problems();
        return /GO031/.test(t) ? t : undefined;
      }, { timeoutMs: 60_000 });
      assert.match(text, /has no flag --fast/);
    });

    await scenario("s-settings-quick-fix", async () => {
      // Cursor inside "--fast" (line 4), then the preferred quick fix.
      await page.locator(".monaco-editor .view-lines").first().click();
      await goToPosition(page, 4, 23);
      await runCommand(page, "Auto Fix...");
      await waitFor("--fast removed in the editor", async () => {
        const text = (await page.locator(".monaco-editor .view-lines").first().innerText()).replace(/\u00a0/g, " ");
        return /"go\.lintFlags": \[\]/.test(text);
      });
      await page.keyboard.press("Control+S");
      await waitFor("GO031 gone from the Problems panel", async () => !/GO031/.test(await problems()), {
        timeoutMs: 60_000,
      });
      assert.match(readFileSync(settings, "utf8"), /"go\.lintFlags": \[\]/);
    });
    // The later scenarios expect the settings (d) left.
    const restored = countInGordLog(RUN_FINISHED);
    writeFileSync(settings, before);
    await waitFor("the checks rerun with the settings restored", () => countInGordLog(RUN_FINISHED) > restored);
  });

  it("(e) Preload shows its progress in a notification; Cancel stops it, and a full run reports warm caches", async () => {
    // A second module that requires a module only the silent proxy could
    // serve: the preload waits on it until Cancel.
    const slow = path.join(server.workspace, "slowdep");
    mkdirSync(slow, { recursive: true });
    writeFileSync(path.join(slow, "go.mod"), "module example.com/slowdep\n\ngo 1.22\n\nrequire example.com/never v1.0.0\n");
    const toasts = () => page.locator(".notifications-toasts .notification-toast");
    await scenario("e-preload-progress", async () => {
      await runCommand(page, "View: Close All Editors");
      await runCommand(page, `${CATEGORY}: Preload Go Caches`);
      const toast = toasts().filter({ hasText: "preloading Go caches" });
      await toast.first().waitFor({ state: "visible", timeout: 30_000 });
      await waitFor("a go process of the preload", () => server.goProcesses().length > 0);
      const cancel = toast.first().locator(".monaco-button", { hasText: "Cancel" });
      await cancel.waitFor({ state: "visible" });
      await page.screenshot({ path: path.join(artifacts, "e-preload-notification.png") });
      const cancelled = Date.now();
      await cancel.click();
      await waitFor("the cancelled message", async () =>
        (await toasts().allInnerTexts()).some((t) => /preload cancelled/.test(t)),
      );
      await waitFor("every go and gopls process of the preload gone", () => server.goProcesses().length === 0, {
        timeoutMs: 5_000,
      });
      metrics.preloadCancelMs = Date.now() - cancelled;
    });
    rmSync(slow, { recursive: true, force: true });
    await scenario("e-preload-complete", async () => {
      await page.keyboard.press("Escape");
      await runCommand(page, `${CATEGORY}: Preload Go Caches`);
      const done = await waitFor("the preload's summary", async () =>
        (await toasts().allInnerTexts()).find((t) => /Go caches warm \(\d+ modules?, [\d.]+ s\): the workspace loads offline/.test(t)),
        { timeoutMs: 120_000 },
      );
      assert.match(done, /Show Details/);
    });
  });

  it("(f) Attach Delve to Process: the fixture server, Go first with its verdict; a breakpoint in its handler stops it; stopping the session leaves it running", async () => {
    // The debug fixture, copied into the workspace so the editor has its
    // source, built for debugging and started on loopback.
    const dir = path.join(server.workspace, "attachdemo");
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(REPO_ROOT, "tests/fixtures/debug/go.mod"), path.join(dir, "go.mod"));
    copyFileSync(path.join(REPO_ROOT, "tests/fixtures/debug/main.go"), path.join(dir, "attachdemo.go"));
    const binary = path.join(server.root, "attachdemo");
    execFileSync("go", ["build", "-buildvcs=false", "-gcflags=all=-N -l", "-o", binary, "."], { cwd: dir, stdio: "inherit" });
    // And a copy without DWARF, which the preflight blocks (DBG006).
    const stripped = path.join(server.root, "stripped-demo");
    execFileSync("go", ["build", "-buildvcs=false", "-ldflags=-w -s", "-o", stripped, "."], { cwd: dir, stdio: "inherit" });
    const source = readFileSync(path.join(dir, "attachdemo.go"), "utf8").split("\n");
    const breakpointLine = source.findIndex((l) => l.includes("BREAKPOINT")) + 1;
    const fixture = spawn(binary, [], { cwd: dir, stdio: ["ignore", "pipe", "ignore"] });
    const blocked = spawn(stripped, [], { cwd: dir, stdio: "ignore" });
    try {
      const [first] = await Promise.race([
        new Promise((resolve) => createInterface({ input: fixture.stdout }).once("line", (l) => resolve([l]))),
        sleep(20_000).then(() => [undefined]),
      ]);
      const address = /^listening (127\.0\.0\.1:\d+)$/.exec(first ?? "")?.[1];
      assert.ok(address, `the fixture prints where it listens: ${first}`);
      const get = (p) => fetch(`http://${address}${p}`).then((r) => r.text());
      assert.match(await get("/before"), /gord fixture: visit 1 to \/before/);
      const pid = fixture.pid;

      await scenario("f-blocked-no-dwarf", async () => {
        await runCommand(page, "View: Close All Editors");
        await startQuickPickCommand(page, ATTACH_COMMAND, ATTACH_PICK_TITLE);
        await page.locator(".quick-input-widget input.input").fill(String(blocked.pid));
        const row = await waitFor("the stripped build's row", async () =>
          (await quickPickRows(page)).find((r) => r.text.includes(`stripped-demo pid ${blocked.pid}`)),
        );
        assert.match(row.text, /no DWARF debug info/);
        assert.ok(row.icons.includes("error"), `with an error icon: ${JSON.stringify(row)}`);
        await pickQuickPickRow(page, new RegExp(`stripped-demo\\s+pid ${blocked.pid}(?!\\d)`));
        const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "cannot debug stripped-demo" });
        await toast.waitFor({ state: "visible" });
        assert.match(await toast.innerText(), /DBG006 no DWARF debug info/);
        await toast.locator(".monaco-button", { hasText: "Show how to fix" }).click();
        await waitFor("the DBG006 rule page's tab", async () => (await editorTabs(page)).some((t) => /DBG006/.test(t)));
        await waitFor("the rule page in the Markdown preview", () =>
          framesText(page, /DBG006[\s\S]*DWARF/).then((texts) => texts.length > 0),
        );
        assert.equal(tracerOf(blocked.pid), 0, "nothing attached to the blocked process");
      });

      await scenario("f-breakpoint-set", async () => {
        await runCommand(page, "View: Close All Editors");
        await runCommand(page, "View: Show Run and Debug");
        await quickOpen(page, "attachdemo.go");
        await page.locator(".monaco-editor .view-lines").first().click();
        await page.keyboard.press("Control+G");
        await page.locator(".quick-input-widget input.input").fill(`:${breakpointLine}`);
        await page.keyboard.press("Enter");
        await page.keyboard.press("F9");
        await page.locator(".monaco-editor .codicon-debug-breakpoint").first().waitFor({ state: "visible" });
      });

      let rows;
      await scenario("f-attach-quick-pick", async () => {
        await startQuickPickCommand(page, ATTACH_COMMAND, ATTACH_PICK_TITLE);
        rows = await waitFor("processes in the quick pick", async () => {
          const shown = await quickPickRows(page);
          return shown.some((r) => / pid \d+/.test(r.text)) ? shown : undefined;
        });
        const firstProcess = rows.find((r) => / pid \d+/.test(r.text));
        assert.match(firstProcess.text, /go1\.\d+/, `Go programs come first: ${JSON.stringify(rows)}`);
        assert.ok(rows.some((r) => /Go programs/.test(r.text)), `the Go group is headed: ${JSON.stringify(rows)}`);
        // Type the pid to find the fixture among the rest.
        await page.locator(".quick-input-widget input.input").fill(String(pid));
        const row = await waitFor("the fixture's row", async () =>
          (await quickPickRows(page)).find((r) => r.text.includes(`attachdemo pid ${pid}`)),
        );
        assert.match(row.text, /go1\.[\d.]+ · example\.com\/gordfixture · /);
        assert.match(row.text, /ready/, `the debug build is ready to attach: ${row.text}`);
        assert.ok(row.icons.includes("check"), `with a check mark: ${JSON.stringify(row)}`);
      });

      const attached = Date.now();
      let pending;
      await scenario("f-attach-breakpoint", async () => {
        await pickQuickPickRow(page, new RegExp(`attachdemo\\s+pid ${pid}(?!\\d)`));
        await page.locator(".debug-toolbar").waitFor({ state: "visible", timeout: 30_000 });
        await waitFor("dlv traced by the fixture", () => tracerOf(pid) !== 0, { timeoutMs: 30_000 });
        metrics.attachMs = Date.now() - attached;
        // The request stops in the handler until the debugger lets it go.
        pending = get("/e2e").catch((err) => `failed: ${err.message}`);
        await page.locator(".debug-toolbar .codicon-debug-continue").waitFor({ state: "visible", timeout: 30_000 });
        const callStack = await waitFor("the call stack to show the handler", async () => {
          const text = await page.locator(".debug-call-stack").innerText({ timeout: 1_000 }).catch(() => "");
          return /handler/.test(text) ? text : undefined;
        });
        assert.match(callStack, /main\.handler/);
        const variables = await waitFor("the handler's locals in the Variables view", async () => {
          const text = await page.locator(".debug-variables").innerText({ timeout: 1_000 }).catch(() => "");
          return /greeting/.test(text) && /visit 2 to/.test(text) ? text : undefined;
        });
        assert.match(variables, /greeting[\s\S]*"gord fixture: visit 2 to \/e2e"/);
        await page.locator(".monaco-editor .debug-top-stack-frame-line").first().waitFor({ state: "visible" });
        assert.ok(
          server.descendants().some((p) => /\bdlv dap\b/.test(p.cmdline)),
          "gord's own debug type runs dlv dap under the sidecar",
        );
      });

      await scenario("f-detached", async () => {
        await page.keyboard.press("Shift+F5");
        await page.locator(".debug-toolbar").waitFor({ state: "hidden", timeout: 30_000 });
        assert.match(await pending, /gord fixture: visit 2 to \/e2e/, "the stopped request completes after the detach");
        await waitFor("no dlv left under code-server", () => !server.descendants().some((p) => /\bdlv\b/.test(p.cmdline)));
        await waitFor("the fixture untraced", () => tracerOf(pid) === 0);
        assert.ok(isAlive(pid), "the fixture keeps running");
        assert.match(await get("/after"), /gord fixture: visit 3 to \/after/);
        await waitFor("the extension to log the detach", () => /debug session ended: detached from pid/.test(server.readGordLog()));
      });
    } finally {
      fixture.kill("SIGKILL");
      blocked.kill("SIGKILL");
    }
  });

  it("(g) a sidecar killed from outside is restarted and the status item recovers", async () => {
    await scenario("g-sidecar-killed", async () => {
      const victims = server.sidecars();
      assert.equal(victims.length, 1, `one gord serve runs under this code-server: ${JSON.stringify(victims)}`);
      const victim = victims[0].pid;
      const killed = Date.now();
      process.kill(victim, "SIGKILL");

      const replacement = await waitFor("a new gord serve process", () => {
        const now = server.sidecars().map((p) => p.pid);
        return now.length === 1 && now[0] !== victim ? now[0] : undefined;
      });
      await waitFor("the extension to log the crash", () => /exited unexpectedly/.test(server.readGordLog()));
      const status = await waitForHealth(page);
      metrics.recoveryMs = Date.now() - killed;
      // The item showed the sidecar down (or starting) before it recovered.
      // The restart's spinner and its first result can reach the workbench
      // in one batch of extension-host messages, so the spinner alone is
      // not always drawn (CI once recorded only stopped, then pass).
      const seen = await statusHistory(page, killed);
      const shown = JSON.stringify(seen.map((e) => `${e.icon} ${e.text}`));
      assert.ok(seen.some((e) => e.icon === "circle-slash" || e.icon === "sync"), `the item showed the sidecar down or starting: ${shown}`);
      assert.ok(showsHealth(seen.at(-1)), `the item ended on a health result: ${shown}`);
      assert.notEqual(replacement, victim);
      assert.ok(showsHealth(status));
    });
  });

  it("(r) the report shows an overview per area, and each fix as a button that runs it", async () => {
    // A go.mod asking for a Go this machine does not have: GO006 fails, and
    // its fix is `go env -w GOTOOLCHAIN=auto` (written to the editor's own
    // GOENV file, so the machine's go env is untouched).
    const goMod = path.join(server.workspace, "go.mod");
    const original = readFileSync(goMod, "utf8");
    writeFileSync(goMod, original.replace(/^go .*$/m, "go 1.99"));
    try {
      await scenario("r-report-fix-button", async () => {
        await runCommand(page, "View: Close All Editors");
        await runCommand(page, `${CATEGORY}: Run Health Check`);
        const frame = await waitFor("the GO006 fix button in the report", () =>
          frameWith(page, 'button[data-action="fix"][data-check="GO006"]:not([data-finding])'),
        );
        const overview = await frame.locator("table.overview tbody tr").allInnerTexts();
        assert.ok(overview.length >= 2, `one overview row per area: ${JSON.stringify(overview)}`);
        assert.ok(overview.some((row) => /Go toolchain\s+❌ \d+ to fix/.test(row)), JSON.stringify(overview));
        const button = frame.locator('button[data-action="fix"][data-check="GO006"]:not([data-finding])');
        assert.equal((await button.innerText()).trim(), "Run: go env -w GOTOOLCHAIN=auto");
        const runsBefore = countInGordLog(RUN_FINISHED);
        await button.click();
        await waitFor("the fix to have run (GOTOOLCHAIN=auto in the editor's go env file)", () =>
          existsSync(server.goEnvFile) && /GOTOOLCHAIN=auto/.test(readFileSync(server.goEnvFile, "utf8")),
        );
        // The fix runs the checks again, and their end refreshes the open report.
        await waitFor("the health run the fix started", () => countInGordLog(RUN_FINISHED) > runsBefore);
      });
      await scenario("r-report-rule-page", async () => {
        // The refresh after the fix's health run reloads the report's frame:
        // a click that lands on the frame being replaced is lost with it, so
        // find the link again and click again until the rule page opens.
        const link = 'a[data-action="doc"][data-check="GO006"]';
        const pageOpen = async () => (await editorTabs(page)).some((t) => /GO006\.md/.test(t));
        for (let attempt = 1; !(await pageOpen()); attempt++) {
          assert.ok(attempt <= 4, "GO006's rule page did not open after 4 clicks on its link");
          const frame = await waitFor("GO006's rule link in the report", () => frameWith(page, link));
          const clicked = await frame
            .locator(link)
            .click({ timeout: 5_000 })
            .then(() => true)
            .catch(() => false);
          if (clicked) {
            await waitFor("GO006's rule page", pageOpen, { timeoutMs: 15_000 }).catch(() => undefined);
          }
        }
      });
    } finally {
      writeFileSync(goMod, original);
      rmSync(server.goEnvFile, { force: true });
    }
  });

  it("(h) Check Remote Host checks the picked host and the report shows its row with the first problem", async () => {
    await scenario("h-check-remote-host", async () => {
      await runCommand(page, "View: Close All Editors");
      // The terminal (r)'s fix ran in, or the debug view of (f), may hold the
      // focus and close a quick pick as it opens: try again, as a user would.
      const row = page
        .locator(".quick-input-widget .quick-input-list .monaco-list-row")
        .filter({ has: page.locator(".label-name", { hasText: /^closed$/ }) });
      for (let attempt = 1; ; attempt++) {
        await runCommand(page, `${CATEGORY}: Check Remote Host...`, { opensQuickPick: true });
        if (await visibleWithin(row.first(), 10_000)) {
          break;
        }
        assert.ok(attempt < 3, "the host quick pick never showed");
        await page.keyboard.press("Escape");
      }
      await row.first().click();
      const frame = await waitFor("the Remote hosts table in the report", () => frameWith(page, "table.fleet tbody tr"));
      const rows = await frame.locator("table.fleet tbody tr").allInnerTexts();
      assert.equal(rows.length, 1, JSON.stringify(rows));
      assert.match(rows[0], /closed\s+❌ no[\s\S]*RMT003/, "the host is unreachable, and says why first");
      assert.match(rows[0], new RegExp(`port ${server.closedPort}: Connection refused`));
      // Focus back to the workbench: the next scenarios start from the palette.
      await page.keyboard.press("Escape");
      await runCommand(page, "View: Close All Editors");
    });
  });

  it("(w) the Getting Started walkthrough shows every step package.json declares", async () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
    const walkthrough = manifest.contributes.walkthroughs[0];
    const steps = walkthrough.steps.map((step) => step.title);
    await scenario("w-walkthrough", async () => {
      await runCommand(page, "View: Close All Editors");
      await runCommand(page, "Welcome: Open Walkthrough...", { opensQuickPick: true });
      const row = page
        .locator(".quick-input-widget .quick-input-list .monaco-list-row")
        .filter({ hasText: walkthrough.title });
      await row.first().waitFor({ state: "visible" });
      await row.first().click();
      const text = await waitFor("the walkthrough with its steps", async () => {
        const shown = await page.locator(".gettingStartedContainer").innerText({ timeout: 1_000 }).catch(() => "");
        return steps.every((title) => shown.includes(title)) ? shown : undefined;
      });
      assert.match(text, new RegExp(walkthrough.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    });
    // The walkthrough page takes the focus from the palette: close its tab with
    // the mouse, as a user would.
    const tab = page.locator(".tabs-container .tab", { hasText: "Walkthrough" });
    await tab.first().hover();
    await tab.first().locator(".tab-actions .action-label").first().click();
    await waitFor("the walkthrough's tab closed", async () => !(await editorTabs(page)).some((t) => /Walkthrough/.test(t)));
  });

  it("(u) both parts: the UI part runs beside the workspace part with a sidecar of its own for the SSH checks, and the one report shows both sections without a check twice", async () => {
    // code-server has no local extension host: gord-ui (extensionKind ui, workspace)
    // falls back to the workspace's host, so this is also the one-machine layout
    // of a local window.
    await scenario("u-two-parts", async () => {
      assert.equal(server.sidecars().length, 1, `the workspace part's sidecar: ${JSON.stringify(server.sidecars())}`);
      assert.equal(server.uiSidecars().length, 1, `the UI part's own sidecar: ${JSON.stringify(server.uiSidecars())}`);
      await waitFor("the handshake in both logs", () =>
        /the UI part \S+ answered from the workspace host: it runs the SSH checks/.test(server.readGordLog()) &&
        /the workspace part \S+ \(workspace host\) owns the status and the report/.test(server.readUiLog()),
      );
      // Each sidecar was told its share.
      assert.match(server.readGordLog(), /INFO initialize\b.*part=Workspace/);
      assert.match(server.readUiLog(), /INFO initialize\b.*part=Ui/);

      await runCommand(page, "View: Close All Editors");
      await runCommand(page, `${CATEGORY}: Run Health Check`);
      const frame = await waitFor("the UI part's section in the report", () =>
        frameWith(page, 'section[data-part="ui"] [data-check="SSH050"]'),
      );
      const ui = await frame.locator('section[data-part="ui"]').innerText();
      const workspace = await frame.locator('section[data-part="workspace"]').innerText();
      assert.match(ui, /SSH000/);
      assert.match(ui, /SSH050 — What Remote-SSH will run/);
      assert.doesNotMatch(ui, /GO001/);
      assert.match(workspace, /GO001/);
      assert.doesNotMatch(workspace, /SSH0\d\d/, "the workspace part runs no SSH check beside the UI part");
      // One machine: no "This computer" / "The remote" headings.
      assert.equal(await frame.locator("h1.machine").count(), 0);

      // The one status item counts both parts' checks.
      const status = await readStatusItem(page);
      assert.ok(showsHealth(status), JSON.stringify(status));
    });
  });

  it("(m) reports the extension's activation time and the time to health", async () => {
    // The workbench's own figure ("Developer: Show Running Extensions").
    await scenario("m-running-extensions", async () => {
      metrics.runningExtensions = await readActivationTime(page);
    });
    // From the logs: activation (extension host) to the sidecar's first finished run.
    const activation = new RegExp(`^(\\S+ \\S+) \\[info\\] ExtensionService#_doActivateExtension ${EXTENSION_ID.replace(".", "\\.")},`, "m");
    const activated = activation.exec(server.readExtHostLog());
    const firstRun = /(\d{4}-\d\d-\d\dT\S+Z)\s+INFO health run finished/.exec(server.readGordLog());
    // The extension host logs local time; the sidecar's tracing logs UTC.
    const activatedAt = activated ? new Date(activated[1].replace(" ", "T")) : undefined;
    const firstRunAt = firstRun ? new Date(firstRun[1]) : undefined;
    metrics.activationToFirstHealthMs = msBetween(activatedAt, firstRunAt);
    assert.ok(metrics.timeToHealthMs > 0);
  });
});

/** The pid tracing `pid` (0 when none), from /proc. */
function tracerOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^TracerPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
}

function printMetrics() {
  const fmt = (ms) => (ms === undefined ? "n/a" : `${(ms / 1000).toFixed(2)} s`);
  const lines = [
    `workspace opened -> workbench shown:          ${fmt(metrics.workbenchMs)}`,
    `workspace opened -> status bar shows health:  ${fmt(metrics.timeToHealthMs)}`,
    `extension activation (Running Extensions):    ${metrics.runningExtensions ?? "n/a"}`,
    `activation -> first health run finished:      ${fmt(metrics.activationToFirstHealthMs)}`,
    `sidecar killed -> status shows health again:  ${fmt(metrics.recoveryMs)}`,
    `Go file saved -> lint findings in Problems:   ${fmt(metrics.saveToLintMs)}`,
    `preload Cancel -> no go process left:         ${fmt(metrics.preloadCancelMs)}`,
    `process picked -> dlv attached (session up):  ${fmt(metrics.attachMs)}`,
  ];
  console.log(["e2e timings:", ...lines.map((l) => `  ${l}`)].join("\n"));
}
