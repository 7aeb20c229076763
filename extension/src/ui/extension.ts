// The UI part of gord (extension gord-ui): it runs on the user's own computer
// in every window (`extensionKind: ["ui", "workspace"]`; beside the workspace
// part where there is no local extension host, as in code-server) and starts
// its own sidecar with `part: "ui"`: the SSH config doctor on this machine's
// SSH configs (diagnostics, quick fixes, hover, completion, outline,
// formatting), the Remote-SSH settings and the ssh Remote-SSH will run
// (SSH040-SSH052), and Check Remote Host, from where Remote-SSH connects. A
// workspace part, when there is one, owns the one status item and the one
// report; this part answers its commands (parts.ts) and tells it when its own
// report changed. Alone (no workspace part greeted it: not installed,
// disabled, not a Go window), it shows its own status item and report, and
// hands them over when a workspace part greets it later (`UiOwnership`).

import * as vscode from "vscode";
import { State, type LanguageClient } from "vscode-languageclient/node";
import { errorMessage, findServer } from "../bootstrap";
import { UI_FIX_COMMAND, createClient } from "../client";
import { UI_CREATE_SETTINGS_COMMAND, createSettingsFile } from "../settingsFile";
import { checkRemoteHost, runFixCommand, withClient } from "../commands";
import {
  PARTS_PROTOCOL,
  UI_ALONE_AFTER_MS,
  UI_ALONE_CONTEXT,
  UI_COMMANDS,
  UI_OWNERSHIP_AT_START,
  UI_STATUS,
  WORKSPACE_COMMANDS,
  extensionVersion,
  judgePeer,
  onAloneTimer,
  onBye,
  onHello,
  parsePartAction,
  uiShowsStatus,
  type Hello,
  type Section,
  type UiOwnership,
} from "../parts";
import { Health, Status, type SendRequest, type StatusNotification } from "../protocol";
import { ReportView, runHealthCheck, showReport } from "../report";
import { SidecarSession } from "../sidecarSession";
import { StatusItem } from "../status";

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

class UiPart extends SidecarSession {
  readonly report: ReportView;
  private readonly host: "ui" | "workspace";
  private readonly version: string;
  private section: Section = { protocol: PARTS_PROTOCOL, state: "starting" };
  /** Who shows the status item and the report: this part only while no workspace part is there. */
  private ownership: UiOwnership = UI_OWNERSHIP_AT_START;
  /** This part's own status item, hidden unless it is alone. */
  private readonly status = new StatusItem("gord.ui.status", UI_STATUS);
  private readonly aloneTimer: NodeJS.Timeout;

  constructor(context: vscode.ExtensionContext) {
    super(context, "Go Remote Doctor (this computer)");
    this.report = new ReportView(this.extensionUri, UI_FIX_COMMAND, ["media", "icon.png"]);
    this.host = context.extension.extensionKind === vscode.ExtensionKind.UI ? "ui" : "workspace";
    this.version = extensionVersion(context.extension.packageJSON);
    this.aloneTimer = setTimeout(() => this.own(onAloneTimer(this.ownership)), UI_ALONE_AFTER_MS);
  }

  registerCommands(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(UI_COMMANDS.hello, (value: unknown) => this.hello(value)),
      vscode.commands.registerCommand(UI_COMMANDS.bye, () => {
        this.log.info("the workspace part is going away: this part shows its own status and report");
        this.own(onBye());
      }),
      // Alone: the palette's and the status item's commands (parts.ts, UI_STATUS).
      vscode.commands.registerCommand(UI_STATUS.runHealthCheck, () =>
        withClient(this, "Health check", (client) => runHealthCheck(this.report, sender(client))),
      ),
      vscode.commands.registerCommand(UI_STATUS.showReport, () =>
        withClient(this, "Showing the report", (client) => showReport(this.report, sender(client))),
      ),
      vscode.commands.registerCommand(UI_STATUS.showLogs, () => this.log.show()),
      vscode.commands.registerCommand(UI_STATUS.restartServer, () => this.restart()),
      vscode.commands.registerCommand(UI_COMMANDS.section, () => this.section),
      vscode.commands.registerCommand(UI_COMMANDS.runHealthCheck, () => this.runChecks()),
      vscode.commands.registerCommand(UI_COMMANDS.reportAction, (value: unknown) => this.reportAction(value)),
      vscode.commands.registerCommand(UI_COMMANDS.checkRemoteHost, () =>
        withClient(this, "Checking remote hosts", (client) =>
          checkRemoteHost(this, client, async (send) => {
            await this.refreshSection(send);
            // The fleet is part of this machine's section: show the one report.
            await (this.ownership.linked ? vscode.commands.executeCommand("gord.showReport") : showReport(this.report, send));
          }),
        ),
      ),
      vscode.commands.registerCommand(UI_FIX_COMMAND, (argv: unknown) => runFixCommand(this, argv)),
      vscode.commands.registerCommand(UI_CREATE_SETTINGS_COMMAND, (params: unknown) =>
        withClient(this, "Creating your VS Code settings", (client) => createSettingsFile(client, params)),
      ),
    ];
  }

  async runningClient(): Promise<LanguageClient | undefined> {
    await this.settled();
    const client = this.currentClient();
    if (client === undefined) {
      this.showError("Go Remote Doctor: the gord sidecar on this computer is not running.");
    }
    return client;
  }

  override dispose(): void {
    clearTimeout(this.aloneTimer);
    this.status.dispose();
    super.dispose();
  }

  /**
   * The handshake: who this part is. Any workspace part takes the status
   * item over (this part hides its own before it answers, and the workspace
   * part shows its item only after the answer); one that speaks this
   * protocol also gets this part's section.
   */
  private hello(value: unknown): Hello {
    const peer = judgePeer(value);
    if (peer.kind === "ok" && peer.hello.part === "workspace") {
      this.log.info(`the workspace part ${peer.hello.version} (${peer.hello.host} host) owns the status and the report`);
    } else {
      this.log.warn(`a hello this part cannot take: ${JSON.stringify(value)?.slice(0, 200)} (${peer.kind})`);
    }
    this.own(onHello(this.ownership, peer));
    return { protocol: PARTS_PROTOCOL, part: "ui", version: this.version, host: this.host };
  }

  /** Moves to `next`: this part's status item and palette commands show only when it is alone. */
  private own(next: UiOwnership): void {
    const wasAlone = uiShowsStatus(this.ownership);
    this.ownership = next;
    const alone = uiShowsStatus(next);
    this.status.setVisible(alone);
    if (alone !== wasAlone) {
      this.log.info(alone ? "no workspace part: this part shows its own status and report" : "handed the status over");
      void vscode.commands.executeCommand("setContext", UI_ALONE_CONTEXT, alone);
    }
  }

  protected async restartNow(): Promise<void> {
    this.setSection({ protocol: PARTS_PROTOCOL, state: "starting" });
    this.status.starting();
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
          onRestarting: () => {
            this.setSection({ protocol: PARTS_PROTOCOL, state: "starting" });
            this.status.starting();
          },
          onGaveUp: () => this.stopped("It crashed 5 times in 3 minutes and was not restarted."),
        },
        "ui",
        this.editor,
      );
    } catch (err) {
      this.stopped(errorMessage(err));
      this.log.error(errorMessage(err));
      return;
    }
    this.use(
      client,
      client.onNotification(Status, (params) => this.onStatus(client, params)),
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) {
          this.status.ready();
        } else if (e.newState === State.Stopped && this.client === client) {
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
    this.status.stopped(reason);
  }

  private onStatus(client: LanguageClient, params: StatusNotification): void {
    this.status.update(params);
    if (params.state === "running") {
      this.setSection({ ...this.section, state: "running" });
      return;
    }
    void this.refreshSection(sender(client)).catch((err: unknown) =>
      this.log.warn(`reading this computer's report: ${errorMessage(err)}`),
    );
  }

  /** Runs this machine's checks now; the section comes back to the caller (the workspace part). */
  private async runChecks(): Promise<Section> {
    const client = this.currentClient();
    if (client !== undefined) {
      await client.sendRequest(Health, { refresh: true });
      await this.refreshSection(sender(client));
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
    if (this.ownership.linked) {
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

function sender(client: LanguageClient): SendRequest {
  return (type, params) => client.sendRequest(type, params);
}
