// The UI part of gord (extension gord-ui): it runs on the user's own computer
// in every window (`extensionKind: ["ui", "workspace"]`; beside the workspace
// part where there is no local extension host, as in code-server) and starts
// its own sidecar with `part: "ui"`: the SSH config doctor on this machine's
// SSH configs (diagnostics, quick fixes, hover, completion, outline,
// formatting), the Remote-SSH settings and the ssh Remote-SSH will run
// (SSH040-SSH052), and Check Remote Host, from where Remote-SSH connects.
// The workspace part owns the one status item and the one report; this part
// answers its commands (parts.ts) and tells it when its own report changed.

import * as vscode from "vscode";
import { State, type LanguageClient, type WorkspaceEdit as LspWorkspaceEdit } from "vscode-languageclient/node";
import { errorMessage, findServer } from "../bootstrap";
import { UI_FIX_COMMAND, createClient } from "../client";
import { Coalescer } from "../coalesce";
import type { CommandHost } from "../commandHost";
import { checkRemoteHost, runFixCommand, withClient } from "../commands";
import { CrashPolicy } from "../crashPolicy";
import {
  PARTS_PROTOCOL,
  UI_COMMANDS,
  WORKSPACE_COMMANDS,
  extensionVersion,
  judgePeer,
  parsePartAction,
  type Hello,
  type Section,
} from "../parts";
import { Health, Status, type StatusNotification } from "../protocol";
import { ReportView, showReport } from "../report";

let part: UiPart | undefined;

export function activate(context: vscode.ExtensionContext): void {
  part = new UiPart(context);
  context.subscriptions.push(part, ...part.registerCommands());
  void part.restart();
}

export async function deactivate(): Promise<void> {
  await part?.stopClient();
  part = undefined;
}

class UiPart implements CommandHost, vscode.Disposable {
  readonly log = vscode.window.createOutputChannel("Go Remote Doctor (this computer)", { log: true });
  readonly report: ReportView;
  readonly extensionUri: vscode.Uri;
  private readonly host: "ui" | "workspace";
  private readonly version: string;
  private readonly crashPolicy = new CrashPolicy();
  private readonly restarter = new Coalescer(() => this.restartNow());
  private client: LanguageClient | undefined;
  private clientDisposables: vscode.Disposable[] = [];
  private section: Section = { protocol: PARTS_PROTOCOL, state: "starting" };
  /** Whether a workspace part said hello: it then owns the status item and the report. */
  private greeted = false;

  constructor(context: vscode.ExtensionContext) {
    this.extensionUri = context.extensionUri;
    this.report = new ReportView(this.extensionUri, UI_FIX_COMMAND);
    this.host = context.extension.extensionKind === vscode.ExtensionKind.UI ? "ui" : "workspace";
    this.version = extensionVersion(context.extension.packageJSON);
  }

  registerCommands(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(UI_COMMANDS.hello, (value: unknown) => this.hello(value)),
      vscode.commands.registerCommand(UI_COMMANDS.section, () => this.section),
      vscode.commands.registerCommand(UI_COMMANDS.runHealthCheck, () => this.runChecks()),
      vscode.commands.registerCommand(UI_COMMANDS.reportAction, (value: unknown) => this.reportAction(value)),
      vscode.commands.registerCommand(UI_COMMANDS.checkRemoteHost, () =>
        withClient(this, "Checking remote hosts", (client) =>
          checkRemoteHost(this, client, async (send) => {
            await this.refreshSection(send);
            // The fleet is part of this machine's section: show the one report.
            await (this.greeted ? vscode.commands.executeCommand("gord.showReport") : showReport(this.report, send));
          }),
        ),
      ),
      vscode.commands.registerCommand(UI_FIX_COMMAND, (argv: unknown) => runFixCommand(this, argv)),
    ];
  }

  restart(): Promise<void> {
    return this.restarter.request();
  }

  currentClient(): LanguageClient | undefined {
    return this.client?.isRunning() === true ? this.client : undefined;
  }

  async runningClient(): Promise<LanguageClient | undefined> {
    await this.restarter.pending?.catch(() => undefined);
    const client = this.currentClient();
    if (client === undefined) {
      this.showError("Go Remote Doctor: the gord sidecar on this computer is not running.");
    }
    return client;
  }

  showError(message: string): void {
    void vscode.window.showErrorMessage(message, "Show Logs").then((choice) => {
      if (choice === "Show Logs") {
        this.log.show();
      }
    });
  }

  async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.clientDisposables) {
      d.dispose();
    }
    this.clientDisposables = [];
    try {
      await client?.dispose();
    } catch (err) {
      this.log.warn(`stopping the sidecar: ${errorMessage(err)}`);
    }
  }

  dispose(): void {
    this.report.dispose();
    this.log.dispose();
  }

  /** The handshake: who this part is, for a workspace part that speaks this protocol. */
  private hello(value: unknown): Hello {
    const peer = judgePeer(value);
    if (peer.kind === "ok" && peer.hello.part === "workspace") {
      this.greeted = true;
      this.log.info(`the workspace part ${peer.hello.version} (${peer.hello.host} host) owns the status and the report`);
    } else {
      this.log.warn(`a hello this part cannot take: ${JSON.stringify(value)?.slice(0, 200)} (${peer.kind})`);
    }
    return { protocol: PARTS_PROTOCOL, part: "ui", version: this.version, host: this.host };
  }

  private async restartNow(): Promise<void> {
    this.setSection({ protocol: PARTS_PROTOCOL, state: "starting" });
    await this.stopClient();
    this.crashPolicy.reset();
    let client: LanguageClient;
    try {
      const server = await findServer(this.extensionUri.fsPath, this.log);
      client = createClient(
        server,
        this.log,
        this.crashPolicy,
        {
          onRestarting: () => this.setSection({ protocol: PARTS_PROTOCOL, state: "starting" }),
          onGaveUp: () => this.stopped("It crashed 5 times in 3 minutes and was not restarted."),
        },
        "ui",
      );
    } catch (err) {
      this.stopped(errorMessage(err));
      this.log.error(errorMessage(err));
      return;
    }
    this.client = client;
    this.report.applyEdit = async (edit) =>
      vscode.workspace.applyEdit(await client.protocol2CodeConverter.asWorkspaceEdit(edit as LspWorkspaceEdit));
    this.clientDisposables.push(
      client.onNotification(Status, (params) => this.onStatus(client, params)),
      client.onDidChangeState((e) => {
        if (e.newState === State.Stopped && this.client === client) {
          this.stopped();
        }
      }),
    );
    try {
      await client.start();
    } catch (err) {
      this.stopped(errorMessage(err));
      this.log.error(`starting the sidecar failed: ${errorMessage(err)}`);
    }
  }

  private stopped(reason?: string): void {
    this.setSection(
      reason === undefined
        ? { protocol: PARTS_PROTOCOL, state: "stopped" }
        : { protocol: PARTS_PROTOCOL, state: "stopped", reason },
    );
  }

  private onStatus(client: LanguageClient, params: StatusNotification): void {
    if (params.state === "running") {
      this.setSection({ ...this.section, state: "running" });
      return;
    }
    void this.refreshSection((type, p) => client.sendRequest(type, p)).catch((err: unknown) =>
      this.log.warn(`reading this computer's report: ${errorMessage(err)}`),
    );
  }

  /** Runs this machine's checks now; the section comes back to the caller (the workspace part). */
  private async runChecks(): Promise<Section> {
    const client = this.currentClient();
    if (client !== undefined) {
      await client.sendRequest(Health, { refresh: true });
      await this.refreshSection((type, p) => client.sendRequest(type, p));
    }
    return this.section;
  }

  private async refreshSection(send: Parameters<ReportView["refresh"]>[0]): Promise<void> {
    const report = await this.report.refresh(send);
    this.setSection({
      protocol: PARTS_PROTOCOL,
      state: "idle",
      summary: report.summary,
      checks: report.checks.map((c) => ({ id: c.id, title: c.title, status: c.status, message: c.message })),
      html: this.report.fragmentHtml,
      report,
    });
  }

  private setSection(section: Section): void {
    this.section = section;
    if (this.greeted) {
      void Promise.resolve(vscode.commands.executeCommand(WORKSPACE_COMMANDS.uiChanged, section)).catch((err: unknown) =>
        this.log.warn(`telling the workspace part: ${errorMessage(err)}`),
      );
    }
  }

  /** A click in this part's section of the workspace part's report. */
  private async reportAction(value: unknown): Promise<boolean> {
    const action = parsePartAction(value);
    if (action === undefined) {
      return false;
    }
    await this.report.onMessage(action);
    return true;
  }
}
