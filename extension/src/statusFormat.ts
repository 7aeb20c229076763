// What the status-bar item says: the pure half of status.ts.
//
// Pure module: no 'vscode'. It returns plain text (with `$(codicon)` icons) and
// Markdown tooltip lines; status.ts puts them on the StatusBarItem.

import type { CheckStatus, StatusCheck, Summary } from "./protocol";

export type StatusView =
  /** The sidecar is being located or started. */
  | { kind: "starting" }
  /** The sidecar is not running (never started, stopped, or crashed too often). */
  | { kind: "stopped"; reason?: string }
  /** The sidecar runs but has sent no report yet. */
  | { kind: "ready" }
  /** A health run is in progress; `last` is the previous result, if any. */
  | { kind: "running"; last?: IdleView }
  /** The last health run's result. */
  | IdleView;

export interface IdleView {
  kind: "idle";
  summary: Summary;
  checks: StatusCheck[];
}

export type Severity = "none" | "ok" | "warning" | "error";

export interface StatusPresentation {
  /** Status-bar text, with codicons. */
  text: string;
  /** Markdown lines of the tooltip, to join with "\n". */
  tooltip: string[];
  /** The worst status shown; status.ts picks a background colour from it. */
  severity: Severity;
}

/** Who shows the item: its name in the tooltip and the commands it links to. */
export interface StatusOwner {
  name: string;
  runHealthCheck: string;
  showReport: string;
  showLogs: string;
  restartServer: string;
}

/** The workspace part's item (and the one item of the two parts together). */
export const WORKSPACE_STATUS: StatusOwner = {
  name: "Go Remote Doctor",
  runHealthCheck: "gord.runHealthCheck",
  showReport: "gord.showReport",
  showLogs: "gord.showLogs",
  restartServer: "gord.restartServer",
};

/** Commands the tooltip links to; status.ts trusts exactly these. */
export function tooltipCommands(owner: StatusOwner): string[] {
  return [owner.runHealthCheck, owner.showReport, owner.showLogs, owner.restartServer];
}

const ICONS: Record<CheckStatus, string> = {
  ok: "$(pass)",
  warning: "$(warning)",
  error: "$(error)",
  skipped: "$(debug-step-over)",
};

export function formatStatus(view: StatusView, owner: StatusOwner = WORKSPACE_STATUS): StatusPresentation {
  const present = (text: string, headline: string, body: string[], serverUp: boolean, severity: Severity) =>
    presentFor(owner, text, headline, body, serverUp, severity);
  switch (view.kind) {
    case "starting":
      return present("$(sync~spin) gord", "starting the gord sidecar…", [], false, "none");
    case "stopped":
      return present(
        "$(circle-slash) gord",
        "server stopped",
        view.reason !== undefined ? ["", escapeMarkdown(view.reason)] : [],
        false,
        "error",
      );
    case "ready":
      return present("$(circle-outline) gord", "no health report yet", [], true, "none");
    case "running":
      return present(
        "$(sync~spin) gord",
        "running health checks…",
        view.last !== undefined ? ["", "Last run:", ...checkLines(view.last.checks)] : [],
        true,
        "none",
      );
    case "idle":
      return formatIdle(view, owner);
  }
}

/**
 * The item's text, and a tooltip of the headline, then `body`, then the
 * command links (those that need the server only when it is up).
 */
function presentFor(
  owner: StatusOwner,
  text: string,
  headline: string,
  body: string[],
  serverUp: boolean,
  severity: Severity,
): StatusPresentation {
  return {
    text,
    tooltip: [`**${owner.name}**: ${headline}`, ...body, "", links(owner, serverUp)],
    severity,
  };
}

function formatIdle(view: IdleView, owner: StatusOwner): StatusPresentation {
  const { summary } = view;
  const counts: string[] = [];
  if (summary.error > 0) {
    counts.push(plural(summary.error, "error"));
  }
  if (summary.warning > 0) {
    counts.push(plural(summary.warning, "warning"));
  }
  const severity: Severity = summary.error > 0 ? "error" : summary.warning > 0 ? "warning" : "ok";
  const icon = severity === "error" ? "$(error)" : severity === "warning" ? "$(warning)" : "$(pass)";
  const text = counts.length === 0 ? `${icon} gord` : `${icon} gord: ${counts.join(", ")}`;
  const totals = [
    `${summary.ok} ok`,
    plural(summary.warning, "warning"),
    plural(summary.error, "error"),
    `${summary.skipped} skipped`,
  ].join(", ");
  return presentFor(owner, text, totals, ["", ...checkLines(view.checks)], true, severity);
}

function checkLines(checks: readonly StatusCheck[]): string[] {
  if (checks.length === 0) {
    return ["No checks ran."];
  }
  return checks.map((check) => {
    const icon = ICONS[check.status] ?? "$(question)";
    const message = check.message.trim() === "" ? "" : ` — ${escapeMarkdown(check.message)}`;
    return `- ${icon} \`${check.id.replace(/`/g, "")}\` ${escapeMarkdown(check.title)}${message}`;
  });
}

function links(owner: StatusOwner, serverUp: boolean): string {
  const items = serverUp
    ? [`[Run Health Check](command:${owner.runHealthCheck})`, `[Show Report](command:${owner.showReport})`]
    : [];
  items.push(`[Show Logs](command:${owner.showLogs})`, `[Restart](command:${owner.restartServer})`);
  return items.join(" · ");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * Escapes Markdown syntax and `$(icon)` syntax so text from the sidecar shows
 * literally; newlines become spaces (one list item per check).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s*\r?\n\s*/g, " ")
    .replace(/[\\`*_{}[\]()#+\-.!|<>$~]/g, "\\$&");
}

/** What a screen reader says for the status item: its text without codicons. */
export function accessibleLabel(text: string, owner: StatusOwner = WORKSPACE_STATUS): string {
  const words = text.replace(/\$\([^)]*\)\s*/g, "").trim();
  return `${owner.name}, ${words}`;
}
