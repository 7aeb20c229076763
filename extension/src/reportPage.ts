// The report view's page around the sidecar's HTML fragment, and what a click
// in it asks for. Pure module: it must not import 'vscode' (unit tests load it
// under plain Node).

import type { CheckResult, FleetReport, Fix, HealthReport, Location } from "./protocol";

/** What the page posts when a `[data-action]` element is clicked. */
export interface ReportMessage {
  action?: unknown;
  check?: unknown;
  /** A remote host's index in the fleet (its findings' actions name no check). */
  host?: unknown;
  finding?: unknown;
  /** Which part's section the click was in (`data-part`): "ui" or "workspace"; none in a one-part report. */
  part?: unknown;
}

/** What the extension should do for a click, resolved against the report it holds. */
export type ReportAction =
  | { kind: "fix"; fix: Fix }
  | { kind: "doc"; doc: string; id: string }
  | { kind: "open"; location: Location };

/**
 * Resolves a click. Only ids and indexes come from the page; the fix itself
 * comes from the report, so the page cannot make the extension run anything
 * the sidecar did not offer.
 */
export function resolveAction(
  report: HealthReport | undefined,
  message: ReportMessage,
  fleet?: FleetReport,
): ReportAction | undefined {
  if (message.host !== undefined) {
    return resolveRemoteAction(fleet, message);
  }
  if (report === undefined || typeof message.check !== "string") {
    return undefined;
  }
  const check: CheckResult | undefined = report.checks.find((c) => c.id === message.check);
  if (check === undefined) {
    return undefined;
  }
  let index: number | undefined;
  if (message.finding !== undefined) {
    if (typeof message.finding !== "string" || !/^\d+$/.test(message.finding)) {
      return undefined;
    }
    index = Number(message.finding);
  }
  const finding = index === undefined ? undefined : check.findings?.[index];
  switch (message.action) {
    case "fix": {
      const fix = index === undefined ? check.fix : finding?.fix;
      return fix === undefined ? undefined : { kind: "fix", fix };
    }
    case "doc":
      return { kind: "doc", doc: check.doc, id: check.id };
    case "open":
      return finding === undefined ? undefined : { kind: "open", location: finding.location };
    default:
      return undefined;
  }
}

/** An index the page sent, or undefined when it is not one. */
function indexOf(value: unknown): number | undefined {
  return typeof value === "string" && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** A click on a remote host's finding: its fix, or its rule's page. */
function resolveRemoteAction(fleet: FleetReport | undefined, message: ReportMessage): ReportAction | undefined {
  const hostIndex = indexOf(message.host);
  const findingIndex = indexOf(message.finding);
  if (fleet === undefined || hostIndex === undefined || findingIndex === undefined) {
    return undefined;
  }
  const finding = fleet.hosts[hostIndex]?.findings[findingIndex];
  if (finding === undefined) {
    return undefined;
  }
  switch (message.action) {
    case "fix":
      return finding.fix === undefined ? undefined : { kind: "fix", fix: finding.fix };
    case "doc":
      return { kind: "doc", doc: `docs/rules/${finding.code}.md`, id: finding.code };
    default:
      return undefined;
  }
}

/** The page: a strict CSP (only our nonce'd style and script), the fragment, the click relay. */
export function reportPage(fragment: string, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Go Remote Doctor Report</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1.5em 2em; line-height: 1.5; max-width: 60em; }
  h1 { font-size: 1.6em; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: .3em; }
  h2 { font-size: 1.3em; margin-top: 1.6em; border-bottom: 1px solid var(--vscode-panel-border); }
  h3 { font-size: 1.05em; margin: 1.2em 0 .3em; }
  table.overview, table.fleet { border-collapse: collapse; margin: 1em 0; }
  table.overview th, table.overview td, table.fleet th, table.fleet td { text-align: left; padding: .25em 1.2em .25em .4em; border-bottom: 1px solid var(--vscode-panel-border); }
  a { color: var(--vscode-textLink-foreground); }
  code, pre { font-family: var(--vscode-editor-font-family); }
  pre { background: var(--vscode-textCodeBlock-background); padding: .5em .8em; overflow-x: auto; }
  button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: .3em .9em; cursor: pointer; font-family: inherit; }
  button:hover { background: var(--vscode-button-hoverBackground); }
  section.check.ok p, section.check.skipped p { color: var(--vscode-descriptionForeground); }
  ul.findings { padding-left: 1.2em; }
  h1.machine { font-size: 1.9em; margin-top: 1.4em; }
</style>
</head>
<body>
${fragment}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target.closest("[data-action]") : null;
    if (!target) { return; }
    event.preventDefault();
    const part = target.closest("[data-part]");
    vscode.postMessage({ action: target.dataset.action, check: target.dataset.check, host: target.dataset.host, finding: target.dataset.finding, part: part instanceof HTMLElement ? part.dataset.part : undefined });
  });
</script>
</body>
</html>`;
}
