// The `gord/*` part of the protocol between the extension and `gord serve`:
// each request and notification declared once, as a typed request object
// (vscode-languageserver-protocol's RequestType / NotificationType) that
// carries its method name, params and result types. Every other module
// sends and listens through these, never through a bare method string.
//
// Mirrors `server/src/lsp/ext.rs`; `docs/protocol.md` describes both, and a
// unit test checks that the method names here match the doc's headings.
// All fields are camelCase; optional fields are omitted, never `null`.
//
// Pure module: it must not import 'vscode' (unit tests load it under plain Node).

import {
  LSPErrorCodes,
  NotificationType,
  RequestType,
  RequestType0,
  WorkDoneProgressCancelNotification,
} from "vscode-languageserver-protocol";

/** The protocol version this extension speaks (`experimental.gord.protocolVersion`). */
export const PROTOCOL_VERSION = 2;

export type CheckStatus = "ok" | "warning" | "error" | "skipped";

export type CheckArea = "go" | "ssh" | "remote" | "cache" | "debug" | "lint";

/** An LSP position: zero-based line and UTF-16 character offset. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Location {
  uri: string;
  range: Range;
}

/**
 * A fix for a check or a finding: a command to run, an edit to apply, or both.
 * `edit` is an LSP `WorkspaceEdit`, kept opaque here: the language client
 * converts it when it arrives inside a code action.
 */
export interface Fix {
  title: string;
  /** argv, never a shell string: `command[0]` is the program. */
  command?: string[];
  edit?: unknown;
}

/** A problem at a place; the sidecar publishes each one as an LSP diagnostic. */
export interface Finding {
  message: string;
  status: CheckStatus;
  location: Location;
  fix?: Fix;
}

export interface CheckResult {
  /** Stable id such as `GO010`, never reused. */
  id: string;
  title: string;
  area: CheckArea;
  status: CheckStatus;
  /** Always present when `status` is `skipped`: why. */
  message: string;
  detail?: string;
  durationMs: number;
  /** The rule's page, relative to the repo/extension root, e.g. `docs/rules/GO010.md`. */
  doc: string;
  findings?: Finding[];
  fix?: Fix;
}

export interface Summary {
  /** The overall verdict: the worst status among the checks, skipped ones counting as ok. */
  status: "ok" | "warning" | "error";
  ok: number;
  warning: number;
  error: number;
  skipped: number;
}

export interface HealthReport {
  version: string;
  /** Omitted when there is no workspace. */
  workspace?: string;
  durationMs: number;
  summary: Summary;
  /** Catalogue order, every check exactly once. */
  checks: CheckResult[];
}

/** Params of `gord/health` and `gord/report`. */
export interface HealthParams {
  refresh?: boolean;
}

/** Result of `gord/version`. */
export interface VersionResult {
  name: string;
  version: string;
  protocolVersion: number;
}

/** Result of `gord/report`. */
export interface ReportResult {
  markdown: string;
  /**
   * The same report as an HTML fragment (no script, no style). Actions are
   * `data-action` ("fix" | "doc" | "open") with `data-check` and, for a
   * finding, `data-finding` (its index): the view looks them up in `report`.
   */
  html: string;
  report: HealthReport;
  /**
   * The hosts of the remote checks so far, each as last checked; omitted
   * before the first. In `html`, a remote finding's actions carry
   * `data-host` and `data-finding` (indexes into `fleet.hosts` and its findings).
   */
  fleet?: FleetReport;
}

/** One check as `gord/status` carries it. */
export interface StatusCheck {
  id: string;
  title: string;
  status: CheckStatus;
  message: string;
}

/** Params of the `gord/status` notification. */
export type StatusNotification =
  | { state: "running" }
  /** `checks` is omitted when there are none. */
  | { state: "idle"; summary: Summary; checks?: StatusCheck[] };

/** Params of the `gord/lint/status` notification: a lint run started or ended. */
export interface LintStatusNotification {
  state: "running" | "idle";
  /** What runs: `./pkg in /path/to/module`, or `the workspace`. */
  scope: string;
  /** `golangci-lint 2.15.0`, `go vet`. */
  linter: string;
  /** Issues found (idle only). */
  issues: number;
  /** The linter's own failures (idle only); omitted when there are none. */
  failures?: string[];
}

/** A request that reports work-done progress on the client's own token. */
export interface WithWorkDoneToken {
  workDoneToken?: string;
}

/** Params of `gord/lint/workspace`. */
export type LintWorkspaceParams = WithWorkDoneToken;

/** Result of `gord/lint/workspace`. A cancelled run answers RequestCancelled instead. */
export interface LintWorkspaceResult {
  linter: string;
  modules: number;
  issues: number;
  files: number;
  failures: string[];
  durationMs: number;
}

/** Params of `gord/preload`. */
export interface PreloadParams extends WithWorkDoneToken {
  /** Download nothing and start no gopls: only prove the workspace loads offline. */
  offlineCheckOnly?: boolean;
}

/** Result of `gord/preload` (the sidecar's PreloadReport, in part). A cancelled preload answers RequestCancelled instead. */
export interface PreloadResult {
  /** The report as `gord preload` prints it. */
  text: string;
  report: {
    workspace: string;
    durationMs: number;
    modules: { total: number; downloaded: number; cached: number; failed: { module: string; error: string }[] };
    offline: { ready: boolean; needsNetwork: string[]; errors: string[] };
  };
}

/** Params of `gord/remote/hosts`. */
export interface RemoteHostsParams {
  /** The ssh config to read; default `~/.ssh/config`. */
  config?: string;
}

/** A host a config names literally, at the `Host` line that first names it. */
export interface RemoteHost {
  host: string;
  file: string;
  /** 0-based, as LSP counts lines. */
  line: number;
}

/** Result of `gord/remote/hosts`. */
export interface RemoteHostsResult {
  /** The config file read. */
  config: string;
  hosts: RemoteHost[];
}

/** Params of `gord/remote/check`. */
export interface RemoteCheckParams extends WithWorkDoneToken {
  hosts: string[] | "all";
  config?: string;
  /** Bounds each network step and ssh run (1..600, default 10). */
  timeoutSeconds?: number;
}

export type Verdict = "yes" | "no" | "unknown";

/** The fleet table's row for one host. */
export interface HostSummary {
  reachable: Verdict;
  auth: Verdict;
  goReady: Verdict;
  vscodeServerReady: Verdict;
  latencyMs?: number;
  firstProblem?: string;
}

/** One finding about one host; `code` is `RMT001`…, with a page in docs/rules. */
export interface RemoteFinding {
  code: string;
  status: CheckStatus;
  message: string;
  detail?: string;
  /** The first fix (the report's button). */
  fix?: Fix;
  /** Every fix, the first one included. */
  fixes?: Fix[];
}

/** Everything learnt about one host (the probe's and ssh's facts are kept opaque here). */
export interface HostReport {
  host: string;
  findings: RemoteFinding[];
  summary: HostSummary;
  status: CheckStatus;
  durationMs: number;
  target?: unknown;
  probe?: unknown;
  control?: unknown;
  forwarding?: unknown;
  remote?: unknown;
  remoteError?: string;
}

/** Result of `gord/remote/check`: the hosts in the order asked. */
export interface FleetReport {
  version: string;
  hosts: HostReport[];
  durationMs: number;
}

/** Params of `gord/procs`. */
export interface ProcsParams {
  /** Only Go programs. */
  goOnly?: boolean;
}

export type DebugSeverity = "info" | "warning" | "error";

/** A preflight finding (DBG001–DBG009). */
export interface DebugFinding {
  code: string;
  severity: DebugSeverity;
  title: string;
  message: string;
  /** What Delve itself would print. */
  delveError?: string;
  fix?: Fix;
  /** The rule's page, relative to the extension root, e.g. `docs/rules/DBG006.md`. */
  doc: string;
}

export interface Preflight {
  pid: number;
  /** An error finding: attaching would fail or be pointless. */
  blocked: boolean;
  findings: DebugFinding[];
}

export interface GoBuild {
  goVersion: string;
  mainModule?: { path: string; version?: string };
}

/** One process with its preflight verdict. */
export interface ProcessEntry {
  pid: number;
  ppid?: number;
  uid?: number;
  user: string;
  name: string;
  command: string[];
  startedUnix?: number;
  exe?: string;
  exeError?: string;
  binary?: { go?: GoBuild; dwarf: boolean };
  tracerPid: number;
  tracerCommand?: string;
  preflight: Preflight;
  /** Go programs only: optimised unless built with -gcflags=all=-N -l. */
  optimised?: boolean;
  /** `ok`, `ok (CODE title)` or the blocking finding's `CODE title`. */
  verdict: string;
}

/** Result of `gord/procs`: Go programs first. */
export interface ProcsResult {
  me: { uid: number; capSysPtrace: boolean; ptraceScope?: number };
  dlv: { path?: string; version?: string; searched: string[]; error?: string };
  processes: ProcessEntry[];
}

export type DlvServerKind = "headless" | "dap";

/** Params of `gord/attach`. */
export interface AttachParams {
  pid: number;
  /** Default `headless`. */
  server?: DlvServerKind;
}

/** A debug configuration as launch.json holds it (opaque beyond these). */
export interface DebugConfigurationJson {
  name: string;
  type: string;
  request: string;
  [key: string]: unknown;
}

/** Result of `gord/attach`. */
export interface AttachResult {
  sessionId: string;
  server: DlvServerKind;
  host: string;
  port: number;
  dlvPid?: number;
  /** The configuration to start; it carries `gordSessionId`. */
  configuration: DebugConfigurationJson;
  configurations: { vscodeGo: DebugConfigurationJson; gord: DebugConfigurationJson };
  preflight: Preflight;
}

/** The JSON-RPC error code of an attach the preflight refused; `data` is `{ preflight }`. */
export const ATTACH_REFUSED = -32001;

/** Params of `gord/detach`: the session, or dlv's port. */
export interface DetachParams {
  sessionId?: string;
  port?: number;
}

/** Result of `gord/detach`. */
export interface DetachResult {
  detached: boolean;
  pid?: number;
  stop?: { method: string; exitedCleanly: boolean; problem?: string };
}

/** One edit of `gord/settings/create`, on the empty text. */
export interface SettingsEdit {
  range: Range;
  newText: string;
}

/** Params of `gord/settings/create`: the user settings.json to create and the fix's edits. */
export interface SettingsCreateParams {
  path: string;
  edits: SettingsEdit[];
}

/** Result of `gord/settings/create`. */
export interface SettingsCreateResult {
  path: string;
}

/** Requests (client → server), in the order `docs/protocol.md` lists them. */
export const Version = new RequestType0<VersionResult, void>("gord/version");
export const Health = new RequestType<HealthParams, HealthReport, void>("gord/health");
export const Report = new RequestType<HealthParams, ReportResult, void>("gord/report");
export const LintWorkspace = new RequestType<LintWorkspaceParams, LintWorkspaceResult, void>("gord/lint/workspace");
export const Preload = new RequestType<PreloadParams, PreloadResult, void>("gord/preload");
export const RemoteHosts = new RequestType<RemoteHostsParams, RemoteHostsResult, void>("gord/remote/hosts");
export const RemoteCheck = new RequestType<RemoteCheckParams, FleetReport, void>("gord/remote/check");
export const Procs = new RequestType<ProcsParams, ProcsResult, void>("gord/procs");
export const Attach = new RequestType<AttachParams, AttachResult, void>("gord/attach");
export const Detach = new RequestType<DetachParams, DetachResult, void>("gord/detach");
export const SettingsCreate = new RequestType<SettingsCreateParams, SettingsCreateResult, void>("gord/settings/create");

/** Notifications (server → client). */
export const Status = new NotificationType<StatusNotification>("gord/status");
export const LintStatus = new NotificationType<LintStatusNotification>("gord/lint/status");

/** The user's Cancel for work-done progress (LSP's own notification, which the client sends). */
export const CancelProgress = WorkDoneProgressCancelNotification.type;

/** Every `gord/*` request and notification, requests first, in the order `docs/protocol.md` lists them. */
export const ALL_METHODS: readonly string[] = [
  Version,
  Health,
  Report,
  LintWorkspace,
  Preload,
  RemoteHosts,
  RemoteCheck,
  Procs,
  Attach,
  Detach,
  SettingsCreate,
  Status,
  LintStatus,
].map((type) => type.method);

/** LSP's RequestCancelled: the user cancelled the request, or a newer one replaced it. */
export const REQUEST_CANCELLED: number = LSPErrorCodes.RequestCancelled;
/** LSP's RequestFailed: the request was valid; the server could not do it (its message says why). */
export const REQUEST_FAILED: number = LSPErrorCodes.RequestFailed;

/** What a failed request means for the user. */
export type RequestOutcome =
  /** Cancelled by the user or replaced by a newer request: nothing to report. */
  | { kind: "cancelled" }
  /** The server could not do it, or something else went wrong: show `message`. */
  | { kind: "failed"; message: string };

/** Sorts a request's rejection: RequestCancelled is quiet, anything else is a failure with its message. */
export function requestOutcome(err: unknown): RequestOutcome {
  if (typeof err === "object" && err !== null) {
    const { code, message } = err as { code?: unknown; message?: unknown };
    if (code === REQUEST_CANCELLED) {
      return { kind: "cancelled" };
    }
    if (typeof message === "string" && message !== "") {
      return { kind: "failed", message };
    }
  }
  return { kind: "failed", message: err instanceof Error ? err.message : String(err) };
}

/** Sends one typed request to the sidecar. */
export type SendRequest = <P, R>(type: RequestType<P, R, void>, params: P) => Promise<R>;

/** `initializationOptions` sent with `initialize`. */
export interface InitializationOptions {
  /** The settings, as in `workspace/didChangeConfiguration`: `{ gord: {...} }`, with Remote-SSH's `remote.SSH.path` beside it when set. */
  settings?: Record<string, unknown>;
  /**
   * `vscode.workspace.isTrusted`. Only `true` grants trust: anything else,
   * omitted included, is Restricted Mode.
   */
  trusted?: boolean;
  /**
   * Which share of the health checks the sidecar runs: "ui" the SSH area (the
   * UI part, on the user's computer), "workspace" the rest (the workspace part
   * beside a UI part). Omitted: every check.
   */
  part?: "ui" | "workspace";
  /** `vscode.env.appName`: which VS Code (for the settings fixes' settings.json). */
  appName?: string;
  /** That VS Code's `User` directory, when the extension host runs on this computer. */
  userSettingsDir?: string;
}

/** Whether `value` is an argv: a non-empty array of strings whose program is non-empty. */
export function isArgv(value: unknown): value is [string, ...string[]] {
  return Array.isArray(value) && value.every((arg) => typeof arg === "string") && (value[0] ?? "") !== "";
}
