// Entry point: the output channel, the status item and the commands first, then
// the sidecar (bootstrap → client). One coalesced restart path starts it, at
// activation and on "Restart Server" alike.

import * as vscode from "vscode";
import { State, type LanguageClient } from "vscode-languageclient/node";
import { DebugAttach } from "./attach";
import { BootstrapError, errorMessage, findServer } from "./bootstrap";
import { createClient } from "./client";
import { registerCommands } from "./commands";
import { LintStatusItem } from "./lintStatus";
import { PartsLink } from "./partsLink";
import { LintStatus, PROTOCOL_VERSION, Status, type StatusNotification } from "./protocol";
import { ReportView } from "./report";
import { SidecarSession } from "./sidecarSession";
import { StatusItem } from "./status";

/** How long `initialize` may take before a start counts as failed (a hung start must not block restarts). */
const START_TIMEOUT_MS = 30_000;

let session: Session | undefined;

export function activate(context: vscode.ExtensionContext): void {
  session = new Session(context);
  context.subscriptions.push(session, ...registerCommands(session), new DebugAttach(session));
  void session.restart();
}

export async function deactivate(): Promise<void> {
  // The UI part shows its own status item again (best effort: the window may be closing).
  await session?.parts.bye();
  await session?.stopClient();
  session = undefined;
}

class Session extends SidecarSession {
  readonly report: ReportView;
  /** The link to the UI part, which runs the SSH checks on the user's computer when it is there. */
  readonly parts: PartsLink;
  /** Shown once the handshake is over: a UI part alone hides its own item when greeted. */
  private readonly status = new StatusItem();
  private readonly lintStatus = new LintStatusItem();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(context: vscode.ExtensionContext) {
    super(context, "Go Remote Doctor");
    this.report = new ReportView(this.extensionUri);
    this.parts = new PartsLink(context, this.log, [this.status, this.report]);
    this.disposables.push(
      this.parts,
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.log.info("the workspace is now trusted: restarting the sidecar with the workspace's settings");
        void this.restart();
      }),
    );
  }

  async runningClient(): Promise<LanguageClient | undefined> {
    // A (re)start in progress: wait for it rather than report the server as down.
    await this.settled();
    if (this.client?.state === State.Starting) {
      await withTimeout(this.client.start(), START_TIMEOUT_MS, "start").catch(() => undefined);
    }
    const client = this.currentClient();
    if (client === undefined) {
      void this.offerRestart("The gord sidecar is not running, so Go Remote Doctor cannot do that now.", "warning");
    }
    return client;
  }

  override dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
    this.status.dispose();
    this.lintStatus.dispose();
    super.dispose();
  }

  protected async restartNow(): Promise<void> {
    this.status.starting();
    await this.stopClient();
    this.crashPolicy.reset();

    // Who runs the SSH checks: the UI part, when it answers; else this part, as before the split.
    // The UI part hides a status item of its own before it answers: only then this one shows.
    await this.parts.greet();
    this.status.setVisible(true);
    let client: LanguageClient;
    try {
      const server = await findServer(this.extensionUri.fsPath, this.log);
      client = createClient(server, this.log, this.crashPolicy, {
        onRestarting: () => this.status.starting(),
        onGaveUp: () => {
          this.status.stopped("It crashed 5 times in 3 minutes and was not restarted.");
          void this.offerRestart("The gord sidecar crashed 5 times in 3 minutes and was not restarted.", "error");
        },
      }, this.parts.uiDoctor ? "workspace" : undefined, this.editor);
    } catch (err) {
      this.status.stopped(errorMessage(err));
      this.log.error(errorMessage(err));
      if (err instanceof BootstrapError) {
        void vscode.window.showErrorMessage(errorMessage(err), "Open Settings", "Show Logs").then((choice) => {
          if (choice === "Open Settings") {
            void vscode.commands.executeCommand("workbench.action.openSettings", "gord.server.path");
          } else if (choice === "Show Logs") {
            this.log.show();
          }
        });
      } else {
        this.showError(`Go Remote Doctor: ${errorMessage(err)}`);
      }
      return;
    }

    this.use(
      client,
      client.onNotification(Status, (params) => this.onStatus(client, params)),
      client.onNotification(LintStatus, (params) => this.lintStatus.update(params)),
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) {
          this.status.ready();
        } else if (e.newState === State.Stopped && this.client === client) {
          this.status.stopped();
          this.lintStatus.clear();
        }
      }),
    );
    try {
      await withTimeout(client.start(), START_TIMEOUT_MS, "`initialize`");
    } catch (err) {
      this.status.stopped(errorMessage(err));
      this.log.error(`starting the sidecar failed: ${errorMessage(err)}`);
      this.showError(`Go Remote Doctor: starting the gord sidecar failed: ${errorMessage(err)}`);
      return;
    }
    this.checkProtocolVersion(client);
  }

  private onStatus(client: LanguageClient, params: StatusNotification): void {
    this.status.update(params);
    // Keep an open report in step with the latest run.
    if (params.state === "idle" && this.report.isOpen) {
      this.report
        .refresh((type, p) => client.sendRequest(type, p))
        .catch((err: unknown) => this.log.warn(`refreshing the report: ${errorMessage(err)}`));
    }
  }

  private checkProtocolVersion(client: LanguageClient): void {
    const experimental: unknown = client.initializeResult?.capabilities.experimental;
    const advertised =
      typeof experimental === "object" && experimental !== null
        ? (experimental as { gord?: { protocolVersion?: unknown } }).gord?.protocolVersion
        : undefined;
    if (advertised === undefined) {
      this.log.warn("the sidecar does not advertise experimental.gord.protocolVersion");
    } else if (advertised !== PROTOCOL_VERSION) {
      const message =
        `The gord sidecar speaks protocol version ${JSON.stringify(advertised)}, this extension ${PROTOCOL_VERSION}: ` +
        "some features may not work. Use the gord binary that comes with this extension.";
      this.log.warn(message);
      void vscode.window.showWarningMessage(`Go Remote Doctor: ${message}`);
    }
  }

  private onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration("gord.server.path")) {
      return;
    }
    void vscode.window
      .showInformationMessage("gord.server.path changed. Restart the gord sidecar to use it?", "Restart")
      .then((choice) => {
        if (choice === "Restart") {
          void this.restart();
        }
      });
  }

  private async offerRestart(message: string, level: "warning" | "error"): Promise<void> {
    const choice =
      level === "error"
        ? await vscode.window.showErrorMessage(message, "Restart", "Show Logs")
        : await vscode.window.showWarningMessage(message, "Restart", "Show Logs");
    if (choice === "Restart") {
      await this.restart();
    } else if (choice === "Show Logs") {
      this.log.show();
    }
  }
}

/** `promise`, or a rejection naming `what` after `ms` milliseconds. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
