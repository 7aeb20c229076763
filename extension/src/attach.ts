// "Attach Delve to Process...": a quick pick of `gord/procs`, then
// `gord/attach` and a debug session. The sidecar finds the processes, runs the
// preflight and starts dlv on loopback; this file only shows and connects.
//
// With vscode-go installed, its `go` debug type connects to a headless dlv
// (`mode: remote`). Without it, gord's own `gord-dlv` type connects VS Code
// straight to `dlv dap` (DebugAdapterServer). Either way, the session's end
// sends `gord/detach`: dlv goes, the target keeps running.

import * as vscode from "vscode";
import { ResponseError } from "vscode-languageclient/node";
import { pickRows, parseProcessId, refusalText, worstFinding, type PickRow } from "./attachFormat";
import { errorMessage } from "./bootstrap";
import type { CommandHost } from "./commandHost";
import {
  ATTACH_REFUSED,
  Attach,
  Detach,
  Procs,
  type AttachParams,
  type AttachResult,
  type Preflight,
  type ProcessEntry,
  type SendRequest,
} from "./protocol";

export const DEBUG_TYPE = "gord-dlv";
const VSCODE_GO = "golang.go";

interface ProcessPick extends vscode.QuickPickItem {
  entry?: ProcessEntry;
}

function toQuickPickItem(row: PickRow): ProcessPick {
  if (row.separator === true) {
    return { label: row.label, kind: vscode.QuickPickItemKind.Separator };
  }
  return { label: row.label, description: row.description, detail: row.detail, entry: row.entry };
}

/** The `gord.attachDelve` command. */
export async function attachDelve(host: CommandHost, send: SendRequest): Promise<void> {
  const items: Promise<ProcessPick[]> = send(Procs, {}).then((result) =>
    pickRows(result).map(toQuickPickItem),
  );
  const picked = await vscode.window.showQuickPick<ProcessPick>(
    items,
    {
      title: "Attach Delve to Process",
      placeHolder: "Pick a process (Go programs first); type to filter by name, pid or command",
      matchOnDescription: true,
      matchOnDetail: true,
    },
  );
  const entry = picked?.entry;
  if (entry === undefined) {
    return;
  }
  if (entry.preflight.blocked) {
    await showRefusal(host, entry.name, entry.preflight);
    return;
  }
  // vscode-go's debug type when it is there (headless dlv, which it knows
  // how to reach); gord's own otherwise (dlv dap).
  const useVscodeGo = vscode.extensions.getExtension(VSCODE_GO) !== undefined;
  const params: AttachParams = { pid: entry.pid, server: useVscodeGo ? "headless" : "dap" };
  let result: AttachResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Attaching Delve to ${entry.name} (pid ${entry.pid})…` },
      () => send(Attach, params),
    );
  } catch (err) {
    const preflight = refusedPreflight(err);
    if (preflight !== undefined) {
      await showRefusal(host, entry.name, preflight);
      return;
    }
    throw err;
  }
  host.log.info(
    `dlv (${result.server}) listens at ${result.host}:${result.port} for pid ${entry.pid}; starting a ${result.configuration.type} session`,
  );
  const folder = vscode.workspace.workspaceFolders?.[0];
  const started = await vscode.debug.startDebugging(folder, result.configuration);
  if (!started) {
    host.log.warn(`the debug session for pid ${entry.pid} did not start; stopping dlv`);
    await send(Detach, { sessionId: result.sessionId });
  }
}

/** The preflight of a `gord/attach` the sidecar refused, if `err` is that. */
function refusedPreflight(err: unknown): Preflight | undefined {
  if (err instanceof ResponseError && err.code === ATTACH_REFUSED) {
    const data = err.data as { preflight?: Preflight } | undefined;
    return data?.preflight;
  }
  return undefined;
}

/** Why the process cannot be debugged, with its fix: the rule page, and the fix's command when there is one. */
async function showRefusal(host: CommandHost, name: string, preflight: Preflight): Promise<void> {
  const worst = worstFinding(preflight);
  const text = refusalText(preflight);
  host.log.warn(`cannot attach to ${name} (pid ${preflight.pid}):\n${text}`);
  const actions = ["Show how to fix"];
  const argv = worst?.fix?.command;
  if (argv !== undefined) {
    actions.push(worst?.fix?.title ?? "Run the fix");
  }
  const choice = await vscode.window.showErrorMessage(
    `Go Remote Doctor: cannot debug ${name} (pid ${preflight.pid}). ${text}`,
    ...actions,
  );
  if (choice === "Show how to fix" && worst !== undefined) {
    const page = vscode.Uri.joinPath(host.extensionUri, worst.doc);
    await vscode.commands.executeCommand("markdown.showPreview", page);
  } else if (choice !== undefined && argv !== undefined) {
    await vscode.commands.executeCommand("gord.runFixCommand", argv);
  }
}

/**
 * gord's debug type: VS Code speaks DAP straight to the dlv the sidecar
 * started. A launch.json `gord-dlv` attach with a `processId` and no `port`
 * asks the sidecar for a `dlv dap` first. Every session the sidecar started
 * is detached when it ends.
 */
export class DebugAttach implements vscode.DebugAdapterDescriptorFactory, vscode.DebugConfigurationProvider, vscode.Disposable {
  /** gord session ids of launch.json sessions, by VS Code session id. */
  private readonly launched = new Map<string, string>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly host: CommandHost) {
    this.disposables = [
      vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, this),
      vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, this),
      vscode.debug.onDidTerminateDebugSession((session) => this.onTerminated(session)),
    ];
  }

  /** launch.json: `processId` may be a string; dlv dap attaches locally unless told otherwise. */
  resolveDebugConfiguration(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | undefined {
    if (config.request !== "attach") {
      void vscode.window.showErrorMessage(`Go Remote Doctor: the ${DEBUG_TYPE} debug type only attaches ("request": "attach").`);
      return undefined;
    }
    const pid = parseProcessId(config["processId"]);
    if (pid === undefined && typeof config["port"] !== "number") {
      void vscode.window.showErrorMessage(`Go Remote Doctor: a ${DEBUG_TYPE} configuration needs a "processId".`);
      return undefined;
    }
    const mode: unknown = config["mode"];
    return { ...config, processId: pid, mode: typeof mode === "string" ? mode : "local" };
  }

  async createDebugAdapterDescriptor(session: vscode.DebugSession): Promise<vscode.DebugAdapterDescriptor> {
    const config = session.configuration;
    const host: unknown = config["host"];
    const port: unknown = config["port"];
    if (typeof port === "number") {
      return new vscode.DebugAdapterServer(port, typeof host === "string" ? host : "127.0.0.1");
    }
    const pid = parseProcessId(config["processId"]);
    const client = await this.host.runningClient();
    if (pid === undefined || client === undefined) {
      throw new Error("gord cannot start dlv: no processId, or the sidecar is not running");
    }
    try {
      const result = await client.sendRequest(Attach, { pid, server: "dap" });
      this.launched.set(session.id, result.sessionId);
      return new vscode.DebugAdapterServer(result.port, result.host);
    } catch (err) {
      const preflight = refusedPreflight(err);
      throw new Error(preflight !== undefined ? refusalText(preflight) : errorMessage(err));
    }
  }

  private onTerminated(session: vscode.DebugSession): void {
    const fromConfig: unknown = session.configuration["gordSessionId"];
    const sessionId = typeof fromConfig === "string" ? fromConfig : this.launched.get(session.id);
    this.launched.delete(session.id);
    if (sessionId === undefined) {
      return;
    }
    const client = this.host.currentClient();
    if (client === undefined) {
      return; // the sidecar is gone, and its dlv servers went with it
    }
    client.sendRequest(Detach, { sessionId }).then(
      (r) => this.host.log.info(`debug session ended: ${r.detached ? `detached from pid ${r.pid ?? "?"} (${r.stop?.method ?? ""}); it keeps running` : "dlv had already stopped"}`),
      (err: unknown) => this.host.log.warn(`gord/detach: ${errorMessage(err)}`),
    );
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}
