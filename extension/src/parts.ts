// The protocol between the two parts of gord: the UI part (gord-ui, which runs
// on the user's own computer in every window, or beside the workspace part
// where there is no local extension host) and the workspace part (gord, beside
// the code). They talk through commands across extension hosts
// (`vscode.commands.executeCommand`), so every message is plain JSON: these
// shapes, each with a `protocol` number, checked on arrival.
//
// Pure module: no 'vscode' (unit tests load it under plain Node).

import type { HealthReport, StatusCheck, Summary } from "./protocol";
import type { IdleView, StatusOwner, StatusView } from "./statusFormat";

/**
 * The version of this protocol. Raise it when a shape changes incompatibly:
 * a peer of another number is judged too old or too new (`judgePeer`) and
 * left out. Additions an older peer can ignore keep it, so that an older
 * and a newer part still work together: `gord.ui.bye` and the UI part's own
 * status item came without a raise (an older UI part has no `bye`, the call
 * fails and is ignored; an older workspace part never says it, and its
 * hello hands the status item over all the same).
 */
export const PARTS_PROTOCOL = 1;
/** The oldest peer protocol this part still understands. */
export const PARTS_OLDEST = 1;

export const WORKSPACE_EXTENSION_ID = "gord-dev.gord";
export const UI_EXTENSION_ID = "gord-dev.gord-ui";

/** The UI part's commands (hidden from the palette); the workspace part calls them. */
export const UI_COMMANDS = {
  /** Hello → Hello: the handshake. Activates the UI part. */
  hello: "gord.ui.hello",
  /** () → Section: the UI part's last report. */
  section: "gord.ui.section",
  /** () → Section: runs the UI part's checks now. */
  runHealthCheck: "gord.ui.runHealthCheck",
  /** PartAction → boolean: a click in the UI part's section of the report. */
  reportAction: "gord.ui.reportAction",
  /** () → void: Check Remote Host, from the computer Remote-SSH connects from. */
  checkRemoteHost: "gord.ui.checkRemoteHost",
  /**
   * () → void: the workspace part is going away (deactivated): the status
   * item and the report are the UI part's again. Best effort; an older UI
   * part has no such command.
   */
  bye: "gord.ui.bye",
} as const;

/**
 * The UI part's own palette commands and status item, for when it is alone
 * (no workspace part in this window): shown in the palette only while the
 * context key `UI_ALONE_CONTEXT` is set.
 */
export const UI_STATUS: StatusOwner = {
  name: "Go Remote Doctor (this computer)",
  runHealthCheck: "gord.ui.palette.runHealthCheck",
  showReport: "gord.ui.palette.showReport",
  showLogs: "gord.ui.palette.showLogs",
  restartServer: "gord.ui.palette.restartServer",
};
export const UI_ALONE_CONTEXT = "gord.ui.alone";

/**
 * How long the UI part waits, from its activation, for a workspace part's
 * hello before it shows its own status item. The workspace part greets as
 * it activates (a Go workspace activates it at start-up, before the UI
 * part's `onStartupFinished`), so this is only the margin of a slow start.
 */
export const UI_ALONE_AFTER_MS = 5_000;

/** The workspace part's command the UI part calls. */
export const WORKSPACE_COMMANDS = {
  /** Section → void: the UI part's report changed. */
  uiChanged: "gord.workspace.uiChanged",
} as const;

/** Which extension host a part runs in: the user's computer ("ui") or beside the code ("workspace"). */
export type Host = "ui" | "workspace";

/** The handshake, both ways. */
export interface Hello {
  protocol: number;
  part: "ui" | "workspace";
  /** The extension's version (package.json), for the user. */
  version: string;
  /** Where the sender runs (`ExtensionContext.extension.extensionKind`). */
  host: Host;
}

/** The UI part's share of the report and status. */
export interface Section {
  protocol: number;
  /** Its sidecar's state: `idle` carries the last report. */
  state: "starting" | "running" | "idle" | "stopped";
  /** Why it stopped, for `stopped`. */
  reason?: string;
  summary?: Summary;
  checks?: StatusCheck[];
  /** The sidecar's HTML fragment of its report (`gord/report`). */
  html?: string;
  report?: HealthReport;
}

/** A click in the UI part's section, relayed as the page posted it (ids and indexes only). */
export interface PartAction {
  protocol: number;
  action?: string;
  check?: string;
  host?: string;
  finding?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSummary(value: unknown): value is Summary {
  return (
    isObject(value) &&
    (value["status"] === "ok" || value["status"] === "warning" || value["status"] === "error") &&
    ["ok", "warning", "error", "skipped"].every((k) => typeof value[k] === "number")
  );
}

function isStatusCheck(value: unknown): value is StatusCheck {
  return (
    isObject(value) &&
    typeof value["id"] === "string" &&
    typeof value["title"] === "string" &&
    typeof value["message"] === "string" &&
    ["ok", "warning", "error", "skipped"].includes(value["status"] as string)
  );
}

/** A Hello from the other part, or undefined when `value` is not one. */
export function parseHello(value: unknown): Hello | undefined {
  if (
    !isObject(value) ||
    typeof value["protocol"] !== "number" ||
    !Number.isInteger(value["protocol"]) ||
    (value["part"] !== "ui" && value["part"] !== "workspace") ||
    typeof value["version"] !== "string" ||
    (value["host"] !== "ui" && value["host"] !== "workspace")
  ) {
    return undefined;
  }
  return { protocol: value["protocol"], part: value["part"], version: value["version"], host: value["host"] };
}

/** A Section from the UI part, or undefined when `value` is not one (a field of the wrong shape is dropped). */
export function parseSection(value: unknown): Section | undefined {
  if (!isObject(value) || typeof value["protocol"] !== "number") {
    return undefined;
  }
  const state = value["state"];
  if (state !== "starting" && state !== "running" && state !== "idle" && state !== "stopped") {
    return undefined;
  }
  const section: Section = { protocol: value["protocol"], state };
  if (typeof value["reason"] === "string") {
    section.reason = value["reason"];
  }
  if (isSummary(value["summary"])) {
    section.summary = value["summary"];
  }
  const checks = value["checks"];
  if (Array.isArray(checks) && checks.every(isStatusCheck)) {
    section.checks = checks;
  }
  if (typeof value["html"] === "string") {
    section.html = value["html"];
  }
  const report = value["report"];
  if (isObject(report) && Array.isArray(report["checks"]) && isSummary(report["summary"])) {
    section.report = report as unknown as HealthReport;
  }
  return section;
}

/** A relayed click, or undefined. */
export function parsePartAction(value: unknown): PartAction | undefined {
  if (!isObject(value) || typeof value["protocol"] !== "number") {
    return undefined;
  }
  const action: PartAction = { protocol: value["protocol"] };
  for (const key of ["action", "check", "host", "finding"] as const) {
    const field = value[key];
    if (typeof field === "string") {
      action[key] = field;
    }
  }
  return action;
}

/** What one part makes of the other's answer to the handshake. */
export type Peer =
  | { kind: "ok"; hello: Hello }
  /** Not installed, disabled, or it did not answer. */
  | { kind: "missing"; why: string }
  /** It speaks an older protocol than this part understands (or answered something else). */
  | { kind: "tooOld"; protocol?: number }
  /** It speaks a newer protocol than this part knows. */
  | { kind: "tooNew"; protocol: number };

/**
 * Judges the answer to a Hello. `failure` is the error of the command call
 * (the command does not exist: the other part is missing).
 */
export function judgePeer(answer: unknown, failure?: string): Peer {
  if (failure !== undefined) {
    return { kind: "missing", why: failure };
  }
  if (answer === undefined || answer === null) {
    return { kind: "missing", why: "no answer" };
  }
  const hello = parseHello(answer);
  if (hello === undefined) {
    const protocol = isObject(answer) && typeof answer["protocol"] === "number" ? answer["protocol"] : undefined;
    if (protocol !== undefined && protocol > PARTS_PROTOCOL) {
      return { kind: "tooNew", protocol };
    }
    return protocol === undefined ? { kind: "tooOld" } : { kind: "tooOld", protocol };
  }
  if (hello.protocol < PARTS_OLDEST) {
    return { kind: "tooOld", protocol: hello.protocol };
  }
  if (hello.protocol > PARTS_PROTOCOL) {
    return { kind: "tooNew", protocol: hello.protocol };
  }
  return { kind: "ok", hello };
}

/**
 * The one plain message a part shows when the other is missing or cannot be
 * talked to; undefined when all is well. `self` is the part that tells.
 */
export function peerNotice(peer: Peer, self: "ui" | "workspace"): string | undefined {
  const other = self === "workspace" ? "Go Remote Doctor (this computer)" : "Go Remote Doctor";
  const consequence =
    self === "workspace"
      ? "so the SSH config doctor and Check Remote Host run beside the code, not on the computer Remote-SSH connects from"
      : "so its report and status show only this computer's checks";
  switch (peer.kind) {
    case "ok":
      return undefined;
    case "missing":
      return `Go Remote Doctor: the extension "${other}" is not installed or not enabled, ${consequence}. Install it to check the computer Remote-SSH connects from.`;
    case "tooOld":
      return `Go Remote Doctor: the extension "${other}" is too old to work with this one (its protocol ${peer.protocol ?? "unknown"}, this one ${PARTS_PROTOCOL}), ${consequence}. Update both extensions.`;
    case "tooNew":
      return `Go Remote Doctor: the extension "${other}" is newer than this one (its protocol ${peer.protocol}, this one ${PARTS_PROTOCOL}), ${consequence}. Update both extensions.`;
  }
}

/**
 * Who owns the one status item and the one report, as the UI part sees it:
 * `pending` from its activation until a workspace part greets it or
 * `UI_ALONE_AFTER_MS` pass; `ui` when no workspace part came (not
 * installed, disabled, not a Go window) or it said bye; `workspace` once a
 * workspace part greeted it. `linked`: that hello was of a protocol this
 * part speaks, so the UI part sends it its section.
 */
export interface UiOwnership {
  owner: "pending" | "ui" | "workspace";
  linked: boolean;
}

export const UI_OWNERSHIP_AT_START: UiOwnership = { owner: "pending", linked: false };

/**
 * A hello arrived. Any workspace part hands over, whatever its protocol:
 * one that cannot talk to this part shows a status item of its own all the
 * same, and a window must never show two. A hello that says it is from a UI
 * part changes nothing.
 */
export function onHello(state: UiOwnership, peer: Peer): UiOwnership {
  if (peer.kind === "missing" || (peer.kind === "ok" && peer.hello.part !== "workspace")) {
    return state;
  }
  return { owner: "workspace", linked: peer.kind === "ok" };
}

/** The wait for a hello is over: alone unless a workspace part greeted meanwhile. */
export function onAloneTimer(state: UiOwnership): UiOwnership {
  return state.owner === "pending" ? { owner: "ui", linked: false } : state;
}

/** The workspace part said bye: the status item and the report are the UI part's. */
export function onBye(): UiOwnership {
  return { owner: "ui", linked: false };
}

/** Whether the UI part shows its own status item (and its palette commands). */
export function uiShowsStatus(state: UiOwnership): boolean {
  return state.owner === "ui";
}

/** Who runs the SSH doctor: the UI part when it answered, else the workspace part, as before the split. */
export function sshDoctor(peer: Peer): "ui" | "workspace" {
  return peer.kind === "ok" ? "ui" : "workspace";
}

/**
 * One machine or two: two when the window is remote and the UI part runs in
 * the local extension host; one in a local window, and where the UI part fell
 * back to the workspace's host (code-server, a browser).
 */
export function machines(remoteName: string | undefined, uiHost: Host | undefined): 1 | 2 {
  return remoteName !== undefined && remoteName !== "" && uiHost === "ui" ? 2 : 1;
}

/** The report's name of each machine in a two-machine window. */
export const THIS_COMPUTER = "This computer";
export function remoteLabel(remoteName: string | undefined): string {
  return remoteName === undefined || remoteName === "" ? "The remote" : `The remote (${remoteName})`;
}

/** The two summaries as one: counts add up, the worse status wins. */
export function mergeSummary(a: Summary, b: Summary | undefined): Summary {
  if (b === undefined) {
    return a;
  }
  const rank = { ok: 0, warning: 1, error: 2 } as const;
  return {
    status: rank[b.status] > rank[a.status] ? b.status : a.status,
    ok: a.ok + b.ok,
    warning: a.warning + b.warning,
    error: a.error + b.error,
    skipped: a.skipped + b.skipped,
  };
}

/**
 * The one status item's view from the workspace part's view and the UI part's
 * section. In a two-machine window each check's title says which machine it
 * is about. A UI part that is not idle leaves the workspace view as it is.
 */
export function mergeStatusView(view: StatusView, ui: Section | undefined, count: 1 | 2): StatusView {
  const uiIdle = ui?.state === "idle" && ui.summary !== undefined ? ui : undefined;
  if (uiIdle === undefined) {
    return view;
  }
  const label = (c: StatusCheck, machine: string): StatusCheck =>
    count === 2 ? { ...c, title: `${machine}: ${c.title}` } : c;
  const merge = (idle: IdleView): IdleView => ({
    kind: "idle",
    summary: mergeSummary(idle.summary, uiIdle.summary),
    checks: [
      ...(uiIdle.checks ?? []).map((c) => label(c, THIS_COMPUTER)),
      ...idle.checks.map((c) => label(c, "The remote")),
    ],
  });
  switch (view.kind) {
    case "idle":
      return merge(view);
    case "running":
      return view.last === undefined ? view : { kind: "running", last: merge(view.last) };
    case "starting":
    case "ready":
    case "stopped":
      return view;
  }
}

/** The `version` of an extension's package.json (`Extension.packageJSON`), or "". */
export function extensionVersion(packageJson: unknown): string {
  return isObject(packageJson) && typeof packageJson["version"] === "string" ? packageJson["version"] : "";
}

/** Text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The report's fragment from the two parts' fragments. Each part's HTML sits
 * in a `<section data-part>` so a click in it goes to the part that can act
 * on it. Two machines: a heading per machine, this computer first (it is
 * where a connection starts). One machine: no machine headings; the parts'
 * checks do not overlap (each sidecar runs its share), so nothing is shown
 * twice.
 */
export function mergeReport(
  workspaceHtml: string,
  ui: Section | undefined,
  count: 1 | 2,
  remoteName: string | undefined,
): string {
  const uiBody =
    ui === undefined
      ? undefined
      : ui.html ??
        `<p>${escapeHtml(
          ui.state === "stopped"
            ? `The sidecar on this computer is not running${ui.reason === undefined ? "" : `: ${ui.reason}`}.`
            : "The checks of this computer are still running.",
        )}</p>`;
  if (count === 1) {
    return uiBody === undefined
      ? `<section data-part="workspace">${workspaceHtml}</section>`
      : `<section data-part="workspace">${workspaceHtml}</section>\n<section data-part="ui">${uiBody}</section>`;
  }
  const uiPart =
    uiBody ??
    `<p>${escapeHtml("No report from this computer: Go Remote Doctor (this computer) did not answer.")}</p>`;
  return (
    `<h1 class="machine">${escapeHtml(THIS_COMPUTER)}</h1>\n<section data-part="ui">${uiPart}</section>\n` +
    `<h1 class="machine">${escapeHtml(remoteLabel(remoteName))}</h1>\n<section data-part="workspace">${workspaceHtml}</section>`
  );
}
