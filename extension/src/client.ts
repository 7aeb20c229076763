// The language client that runs `gord serve` over stdio.

import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  type CloseHandlerResult,
  type DocumentSelector,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type Message,
  type ServerOptions,
} from "vscode-languageclient/node";
import type { Server } from "./bootstrap";
import type { CrashPolicy } from "./crashPolicy";
import type { InitializationOptions } from "./protocol";
import { CREATE_SETTINGS_COMMAND, UI_CREATE_SETTINGS_COMMAND, type EditorInfo } from "./settingsFile";

export const CLIENT_ID = "gord";
export const CLIENT_NAME = "Go Remote Doctor";

export interface ClientHooks {
  /** The sidecar crashed too often and will not be restarted. */
  onGaveUp(): void;
  /** The sidecar crashed and is being restarted. */
  onRestarting(): void;
}

/** Which part of gord a client serves (see parts.ts); undefined: the whole of it, as one part alone. */
export type ClientPart = "ui" | "workspace" | undefined;

export function createClient(
  server: Server,
  channel: vscode.LogOutputChannel,
  crashPolicy: CrashPolicy,
  hooks: ClientHooks,
  part: ClientPart = undefined,
  editor: EditorInfo | undefined = undefined,
): LanguageClient {
  const serverOptions: ServerOptions = {
    command: server.path,
    args: ["serve"],
    // No `transport`: an Executable then speaks stdio all the same, whereas
    // `TransportKind.stdio` would append `--stdio`, which `gord serve` rejects.
    // The whole environment: for an Executable the client passes `env` to
    // spawn as is (it merges only for a Node module), so `{ RUST_BACKTRACE }`
    // alone would start gord without PATH or HOME.
    options: { env: { ...process.env, RUST_BACKTRACE: "1" } },
  };
  const initializationOptions: InitializationOptions = {
    settings: syncedSettings(),
    trusted: vscode.workspace.isTrusted,
    ...(part === undefined ? {} : { part }),
    ...(editor ?? {}),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(part),
    // Remote-SSH's `remote.SSH.path` (the ssh whose release the SSH rules follow) and
    // `remote.SSH.connectTimeout` (the remote check's connect budget).
    // go and gopls too: the health report checks them in settings.json, so their changes rerun it.
    synchronize: { configurationSection: ["gord", "remote.SSH", "go", "gopls"] },
    initializationOptions,
    outputChannel: channel,
    traceOutputChannel: channel,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: new SidecarErrorHandler(crashPolicy, channel, hooks),
    // The UI part's fix commands run on its own machine: the sidecar names
    // gord.runFixCommand, which in a remote window is the workspace part's.
    ...(part === "ui" ? { middleware: { provideCodeActions: uiCodeActions } } : {}),
  };
  return part === "ui"
    ? new LanguageClient(UI_CLIENT_ID, UI_CLIENT_NAME, serverOptions, clientOptions)
    : new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

export const UI_CLIENT_ID = "gord-ui";
export const UI_CLIENT_NAME = "Go Remote Doctor (this computer)";

/**
 * The documents a part's sidecar takes. `file` is the scheme of the documents
 * of the machine the part runs on (in a remote window, the remote's files are
 * `vscode-remote:` to the UI part), so each sidecar sees its own machine's.
 * The UI part: SSH configs and settings files (SSH040-SSH052's quick fixes);
 * the workspace part beside it: everything else; one part alone: all of it.
 */
function documentSelector(part: ClientPart): DocumentSelector {
  const ssh = { scheme: "file", language: "ssh_config" };
  // VS Code settings files: GO030-GO035 and SSH040-SSH052 quick fixes are asked for here,
  // and saving one runs the health report again.
  const settings = { scheme: "file", pattern: "**/settings.json" };
  if (part === "ui") {
    return [ssh, settings];
  }
  return [
    { scheme: "file", language: "go" },
    { scheme: "file", language: "go.mod" },
    ...(part === "workspace" ? [] : [ssh]),
    // So the sidecar computes "Disable <linter> in .golangci.yml" from the
    // open buffer (and versions the edit), not from an older file on disk.
    // Also GO050-GO053's quick fixes, and a save reruns the report.
    { scheme: "file", pattern: "**/.golangci.{yml,yaml,toml,json}" },
    settings,
    // Dev container files (GO040-GO045): their quick fixes, and a save reruns the report.
    { scheme: "file", pattern: "**/{.devcontainer.json,.devcontainer/**}" },
  ];
}

/**
 * What `didChangeConfiguration` sends too: `{ gord: {...}, remote: { SSH: { path, connectTimeout } } }`
 * (the `remote` part only with what Remote-SSH's settings set: `remote.SSH.path`, the ssh
 * to follow; `remote.SSH.connectTimeout`, the remote check's connect budget).
 */
export function syncedSettings(): Record<string, unknown> {
  const remoteSsh = vscode.workspace.getConfiguration("remote.SSH");
  const path = remoteSsh.get<unknown>("path");
  const connectTimeout = remoteSsh.get<unknown>("connectTimeout");
  const ssh: { path?: string; connectTimeout?: number } = {};
  if (typeof path === "string" && path.trim() !== "") {
    ssh.path = path;
  }
  if (typeof connectTimeout === "number" && Number.isFinite(connectTimeout) && connectTimeout > 0) {
    ssh.connectTimeout = connectTimeout;
  }
  return Object.keys(ssh).length > 0 ? { gord: gordSettings(), remote: { SSH: ssh } } : { gord: gordSettings() };
}

/** The `gord` settings section as a plain JSON object. */
export function gordSettings(): Record<string, unknown> {
  const section: unknown = vscode.workspace.getConfiguration().get("gord");
  if (typeof section !== "object" || section === null) {
    return {};
  }
  // WorkspaceConfiguration values are proxies; a JSON round trip makes a plain copy.
  return JSON.parse(JSON.stringify(section)) as Record<string, unknown>;
}

/**
 * Restarts the sidecar when its connection closes, unless CrashPolicy says it
 * crashed too often; then stops and lets the extension tell the user.
 */
class SidecarErrorHandler implements ErrorHandler {
  constructor(
    private readonly policy: CrashPolicy,
    private readonly log: vscode.LogOutputChannel,
    private readonly hooks: ClientHooks,
  ) {}

  error(error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
    this.log.error(`connection to the gord sidecar: ${error.message} (error ${count ?? 1} in a row)`);
    // A few read/write errors in a row can be transient; more mean the pipe is gone.
    return { action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const decision = this.policy.recordCrash(Date.now());
    if (decision === "restart") {
      this.log.warn(
        `the gord sidecar exited unexpectedly (${this.policy.recentCrashes} of ${this.policy.maxCrashes} ` +
          `allowed in ${this.policy.windowMs / 60_000} minutes); restarting it`,
      );
      this.hooks.onRestarting();
      return { action: CloseAction.Restart, handled: true };
    }
    this.log.error(
      `the gord sidecar crashed ${this.policy.maxCrashes} times in ${this.policy.windowMs / 60_000} minutes; not restarting it`,
    );
    this.hooks.onGaveUp();
    return { action: CloseAction.DoNotRestart, handled: true };
  }
}

/** The UI part's fix command (hidden from the palette). */
export const UI_FIX_COMMAND = "gord.ui.runFixCommand";

/** Code actions whose command is gord.runFixCommand or gord.createSettingsFile, pointed at the UI part's own. */
const uiCodeActions: NonNullable<NonNullable<LanguageClientOptions["middleware"]>["provideCodeActions"]> = async (
  document,
  range,
  context,
  token,
  next,
) => {
  const actions = await next(document, range, context, token);
  const ui: Record<string, string> = {
    "gord.runFixCommand": UI_FIX_COMMAND,
    [CREATE_SETTINGS_COMMAND]: UI_CREATE_SETTINGS_COMMAND,
  };
  for (const action of actions ?? []) {
    if (action instanceof vscode.CodeAction) {
      const own = action.command === undefined ? undefined : ui[action.command.command];
      if (action.command !== undefined && own !== undefined) {
        action.command = { ...action.command, command: own };
      }
    } else {
      action.command = ui[action.command] ?? action.command;
    }
  }
  return actions;
};
