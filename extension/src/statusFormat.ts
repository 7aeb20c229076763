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

/** Commands the tooltip links to; status.ts trusts exactly these. */
export const TOOLTIP_COMMANDS = [
  "gord.runHealthCheck",
  "gord.showReport",
  "gord.showLogs",
  "gord.restartServer",
] as const;

const ICONS: Record<CheckStatus, string> = {
  ok: "$(pass)",
  warning: "$(warning)",
  error: "$(error)",
  skipped: "$(debug-step-over)",
};

export function formatStatus(view: StatusView): StatusPresentation {
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
      return formatIdle(view);
  }
}

/**
 * The item's text, and a tooltip of the headline, then `body`, then the
 * command links (those that need the server only when it is up).
 */
function present(
  text: string,
  headline: string,
  body: string[],
  serverUp: boolean,
  severity: Severity,
): StatusPresentation {
  return {
    text,
    tooltip: [`**Go Remote Doctor**: ${headline}`, ...body, "", links(serverUp)],
    severity,
  };
}

function formatIdle(view: IdleView): StatusPresentation {
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
  return present(text, totals, ["", ...checkLines(view.checks)], true, severity);
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

function links(serverUp: boolean): string {
  const items = serverUp
    ? ["[Run Health Check](command:gord.runHealthCheck)", "[Show Report](command:gord.showReport)"]
    : [];
  items.push("[Show Logs](command:gord.showLogs)", "[Restart](command:gord.restartServer)");
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
export function accessibleLabel(text: string): string {
  const words = text.replace(/\$\([^)]*\)\s*/g, "").trim();
  return `Go Remote Doctor, ${words}`;
}
