// What a user does in the VS Code workbench, and what they see: the status
// bar, the command palette, the Output panel, editor tabs and webviews.
// Selectors are the workbench's own DOM (Code 1.100, code-server 4.100.x).
// The functions given to page.evaluate() run in the page, with its globals.
/* global document, window, MutationObserver, HTMLSelectElement */

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./env.mjs";
import { waitFor } from "./procs.mjs";

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));

/** `<publisher>.<name>`, as the workbench and its logs name the extension. */
export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

/** The palette category of every gord command ("Go Remote Doctor"). */
export const CATEGORY = manifest.displayName;

/**
 * The status-bar item's DOM id: `<publisher>.<name>.<item id>`, the item id
 * being the one extension/src/status.ts passes to createStatusBarItem.
 */
export const STATUS_ITEM_ID = `${EXTENSION_ID}.gord.status`;

/**
 * The texts statusFormat.ts shows after a health run: `gord`, `gord: N
 * warnings`, `gord: N errors` or `gord: N errors, M warnings` (1 error, 1
 * warning), each with the icon of the worst status.
 */
const HEALTH_TEXT = /^gord(: (\d+ errors?(, \d+ warnings?)?|\d+ warnings?))?$/;
const HEALTH_ICONS = ["pass", "warning", "error"];

/** The UI part's own status item (shown only while it is alone): gord-ui's item `gord.ui.status`. */
export const UI_STATUS_ITEM_ID = "gord-dev.gord-ui.gord.ui.status";

/**
 * Reads the status item (`id`: the workspace part's unless told): { text,
 * icon, ariaLabel }, or undefined while it is not in the status bar.
 */
export async function readStatusItem(page, id = STATUS_ITEM_ID) {
  return page.evaluate((id) => {
    const item = document.getElementById(id);
    const label = item?.querySelector(".statusbar-item-label");
    if (!item || !label) {
      return undefined;
    }
    const icon = label.querySelector(".codicon");
    const iconName = icon ? [...icon.classList].find((c) => c.startsWith("codicon-") && c !== "codicon-modifier-spin") : undefined;
    return {
      text: label.textContent.trim(),
      icon: iconName?.slice("codicon-".length),
      ariaLabel: label.getAttribute("aria-label") ?? item.getAttribute("aria-label") ?? "",
    };
  }, id);
}

/** True when the item shows the result of a health run (not starting, running or stopped). */
export function showsHealth(status) {
  return status !== undefined && HEALTH_ICONS.includes(status.icon) && HEALTH_TEXT.test(status.text);
}

/** Waits until the status item (`id`: the workspace part's unless told) shows a health result; returns it. */
export async function waitForHealth(page, timeoutMs = 60_000, id = STATUS_ITEM_ID) {
  let last;
  try {
    return await waitFor(
      `the status item ${id} to show health`,
      async () => {
        last = await readStatusItem(page, id);
        return showsHealth(last) ? last : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } catch (err) {
    err.message += ` (last seen: ${JSON.stringify(last)})`;
    throw err;
  }
}

/**
 * Starts recording every change of the status item (text and icon), with the
 * time, in the page: states too short-lived to catch by polling (the spinner
 * while the sidecar restarts or the checks run) show up in statusHistory().
 */
export async function recordStatusHistory(page) {
  await page.evaluate((id) => {
    if (window.__gordStatusHistory) {
      return;
    }
    const history = (window.__gordStatusHistory = []);
    const record = () => {
      const label = document.getElementById(id)?.querySelector(".statusbar-item-label");
      const icon = label?.querySelector(".codicon");
      const entry = {
        text: label?.textContent.trim(),
        icon: icon ? [...icon.classList].find((c) => c.startsWith("codicon-") && c !== "codicon-modifier-spin")?.slice(8) : undefined,
      };
      const last = history.at(-1);
      if (!last || last.text !== entry.text || last.icon !== entry.icon) {
        history.push({ ...entry, at: Date.now() });
      }
    };
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  }, STATUS_ITEM_ID);
}

/** The status item's states recorded since `since` (ms since the epoch). */
export async function statusHistory(page, since = 0) {
  return page.evaluate((from) => (window.__gordStatusHistory ?? []).filter((e) => e.at >= from), since);
}

export function statusItemLocator(page) {
  return page.locator(`[id="${STATUS_ITEM_ID}"] .statusbar-item-label`);
}

/** Opens the command palette (F1) and types `text` after the `>` prefix. */
export async function openPalette(page, text) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input.input");
  await input.waitFor({ state: "visible" });
  await input.fill(`>${text}`);
}

/** The labels of the palette's rows now shown (fresh list, waits for it to settle). */
export async function paletteLabels(page, prefix) {
  // The list filters as one types; wait until the rows start with the prefix.
  return waitFor(`palette rows starting with "${prefix}"`, async () => {
    const labels = await page
      .locator(".quick-input-widget .quick-input-list .monaco-list-row")
      .evaluateAll((rows) => rows.map((r) => r.querySelector(".label-name")?.textContent ?? r.getAttribute("aria-label") ?? ""));
    const matching = labels.filter((l) => l.startsWith(prefix));
    return matching.length > 0 ? matching : undefined;
  });
}

export async function closePalette(page) {
  await page.keyboard.press("Escape");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
}

/**
 * Runs a command the way a user does: F1, type its full title, pick the row
 * whose label is exactly that title. With `opensQuickPick`, the command's own
 * quick pick is left open for the caller.
 */
export async function runCommand(page, title, { opensQuickPick = false } = {}) {
  await openPalette(page, title);
  const row = page
    .locator(".quick-input-widget .quick-input-list .monaco-list-row")
    .filter({ has: page.locator(".label-name", { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
  await row.first().waitFor({ state: "visible" });
  if (opensQuickPick) {
    // The command's own list replaces the palette's row as soon as it runs.
    await row.first().click();
  } else {
    // Some pages (the walkthrough) keep re-laying out the workbench, and the
    // row never counts as stable for a normal click: then click it anyway.
    await row
      .first()
      .click({ timeout: 5_000 })
      .catch(() => row.first().click({ force: true }));
  }
  // A command that asks for a choice keeps the quick input open with its own list.
  if (!opensQuickPick) {
    await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
  }
}

/**
 * Starts a command from the palette without waiting for the palette to
 * close: for commands that open a quick pick of their own in its place.
 * Waits for that quick pick's title.
 */
export async function startQuickPickCommand(page, title, pickTitle) {
  await openPalette(page, title);
  const row = page
    .locator(".quick-input-widget .quick-input-list .monaco-list-row")
    .filter({ has: page.locator(".label-name", { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
  await row.first().waitFor({ state: "visible" });
  await row.first().click();
  await page.locator(".quick-input-widget .quick-input-title", { hasText: pickTitle }).waitFor({ state: "visible" });
}

/**
 * The quick pick's rows now shown, in order: { text, icons, separator }.
 * `icons` are the codicon names in the row (e.g. "check" for `$(check)`).
 */
export async function quickPickRows(page) {
  return page.locator(".quick-input-widget .quick-input-list .monaco-list-row").evaluateAll((rows) =>
    rows
      .filter((r) => r.getClientRects().length > 0)
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((r) => ({
        text: r.innerText.replace(/\u00a0/g, " ").replace(/\s+/g, " ").trim(),
        icons: [...r.querySelectorAll(".codicon")].flatMap((i) => [...i.classList].filter((c) => c.startsWith("codicon-")).map((c) => c.slice(8))),
        separator: r.querySelector(".quick-input-list-separator-as-item, .quick-input-list-separator") !== null && r.querySelector(".label-description") === null,
      })),
  );
}

/** Picks the quick pick row whose text matches `pattern` (a click: Enter takes the active row, maybe another). */
export async function pickQuickPickRow(page, pattern) {
  const row = page.locator(".quick-input-widget .quick-input-list .monaco-list-row").filter({ hasText: pattern });
  await row.first().click();
}

/**
 * Whether `locator` becomes visible within `timeoutMs`: true or false, never
 * a timeout error.
 */
export async function visibleWithin(locator, timeoutMs) {
  return locator
    .waitFor({ state: "visible", timeout: timeoutMs })
    .then(() => true)
    .catch(() => false);
}

/**
 * Opens a workspace file by name with Quick Open (Ctrl+P), picking the row
 * that names it (not whatever row comes first while the search runs), and
 * waits for its tab.
 */
export async function quickOpen(page, fileName) {
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input.input");
  await input.waitFor({ state: "visible" });
  const row = page
    .locator(".quick-input-widget .quick-input-list .monaco-list-row")
    .filter({ has: page.locator(".label-name", { hasText: fileName }) });
  // A file created a moment ago may not be in the file search yet: type the
  // name again until it is.
  const searchDeadline = Date.now() + 30_000;
  for (;;) {
    await input.fill(fileName);
    if (await visibleWithin(row.first(), 3_000)) {
      break;
    }
    if (Date.now() > searchDeadline) {
      throw new Error(`Quick Open never listed ${fileName}`);
    }
    await input.fill("");
  }
  await row.first().click();
  await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
  const deadline = Date.now() + 30_000;
  while (!(await editorTabs(page)).some((t) => t.includes(fileName))) {
    if (Date.now() > deadline) {
      throw new Error(`no tab for ${fileName} after Quick Open`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Labels of the open editor tabs. */
export async function editorTabs(page) {
  return page.locator(".tabs-container .tab").evaluateAll((tabs) => tabs.map((t) => t.getAttribute("aria-label") ?? ""));
}

/** Text of every frame (webviews are nested iframes) whose text matches `pattern`. */
export async function framesText(page, pattern) {
  const texts = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) {
      continue;
    }
    const text = await frame.locator("body").innerText({ timeout: 1_000 }).catch(() => "");
    if (pattern.test(text)) {
      texts.push(text);
    }
  }
  return texts;
}

/** The first webview frame holding an element that matches `selector`, or undefined. */
export async function frameWith(page, selector) {
  for (const frame of page.frames()) {
    if (frame !== page.mainFrame() && (await frame.locator(selector).count().catch(() => 0)) > 0) {
      return frame;
    }
  }
  return undefined;
}

/** The Output panel: the selected channel's name and the lines it shows. */
export async function readOutputPanel(page) {
  return page.evaluate(() => {
    const view = document.querySelector(".part.panel .output-view, .part.panel .output");
    const select = document.querySelector(".part.panel .monaco-select-box");
    const channel = select instanceof HTMLSelectElement ? select.selectedOptions[0]?.textContent ?? "" : select?.getAttribute("title") ?? "";
    const lines = [...(view?.querySelectorAll(".view-line") ?? [])].map((l) => l.textContent.replace(/\u00a0/g, " "));
    return { visible: view !== null && view.getClientRects().length > 0, channel, lines };
  });
}

/** "Startup Activation: 31ms" for gord in Developer: Show Running Extensions, if shown. */
export async function readActivationTime(page) {
  await runCommand(page, "Developer: Show Running Extensions");
  const row = page.locator(`.monaco-list-row[aria-label="${manifest.name}"] .activation-time`);
  try {
    await row.waitFor({ state: "visible", timeout: 15_000 });
    return (await row.innerText()).trim();
  } catch {
    return undefined;
  }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Runs one scenario of a suite: saves `<name>.png` in `artifacts` when it
 * passes, `FAILED-<name>.png` when it does not. `currentPage` is asked at
 * each screenshot, as a scenario may open a new page.
 */
export async function runScenario(currentPage, artifacts, name, body) {
  try {
    await body();
  } catch (err) {
    await currentPage()
      ?.screenshot({ path: path.join(artifacts, `FAILED-${name}.png`) })
      .catch(() => undefined);
    throw err;
  }
  await currentPage().screenshot({ path: path.join(artifacts, `${name}.png`) });
}

/**
 * Puts the cursor at `line`:`column` (1-based) of the active editor, as a
 * user does with Go to Line (Ctrl+G and `:LINE:COLUMN`).
 */
export async function goToPosition(page, line, column) {
  await page.keyboard.press("Control+G");
  await page.locator(".quick-input-widget input.input").fill(`:${line}:${column}`);
  await page.keyboard.press("Enter");
}

/**
 * Shows the editor's hover at the cursor (Show or Focus Hover) and waits for
 * the visible one whose text matches `pattern`; returns that text. Several
 * hover widgets exist (status bar, editor): only a visible editor one counts.
 */
export async function showHover(page, what, pattern) {
  await runCommand(page, "Show or Focus Hover");
  return waitFor(what, async () => {
    const hovers = await page.locator(".monaco-editor .monaco-hover").evaluateAll((all) =>
      all.filter((h) => h.getClientRects().length > 0).map((h) => h.innerText),
    );
    return hovers.find((t) => pattern.test(t));
  });
}
