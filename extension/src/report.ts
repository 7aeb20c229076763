// The health report view: the HTML that `gord/report` returns, in a webview
// whose buttons run each fix (as argv, through gord.runFixCommand), open the
// rule page, or jump to a finding.

import * as vscode from "vscode";
import {
  Health,
  Report,
  type FleetReport,
  type Fix,
  type HealthParams,
  type HealthReport,
  type Location,
  type ReportResult,
  type SendRequest,
} from "./protocol";
import { PARTS_PROTOCOL, UI_COMMANDS, mergeReport, type PartAction, type Section } from "./parts";
import { reportPage, resolveAction, type ReportMessage } from "./reportPage";

/** Applies a fix's LSP WorkspaceEdit (the language client converts it). */
export type ApplyLspEdit = (edit: unknown) => Promise<boolean>;

export const REPORT_TITLE = "Go Remote Doctor Report";

export class ReportView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private fragment = "<h1>Go Remote Doctor</h1><p>No report yet: run <strong>Go Remote Doctor: Run Health Check</strong>.</p>";
  private report: HealthReport | undefined;
  private fleet: FleetReport | undefined;
  /** Set by the session when a client runs, to apply edit-only fixes. */
  applyEdit: ApplyLspEdit | undefined;
  /** The other part's share, when the UI part runs the SSH checks (see parts.ts). */
  private split: { ui: Section | undefined; machines: 1 | 2; remoteName: string | undefined } | undefined;

  /**
   * `fixCommand`: the command that runs a fix's argv on this part's machine;
   * `icon`: the page's icon, under the extension's root (gord-ui has it at media/).
   */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly fixCommand = "gord.runFixCommand",
    private readonly icon: readonly string[] = ["extension", "media", "icon.png"],
  ) {}

  /** The UI part's section (undefined: it has none yet), merged into the page from now on. */
  setUiSection(ui: Section | undefined, machines: 1 | 2, remoteName: string | undefined): void {
    this.split = { ui, machines, remoteName };
    this.render();
  }

  /** Back to one part: the UI part is gone. */
  clearUiSection(): void {
    this.split = undefined;
    this.render();
  }

  private page(): string {
    if (this.split === undefined) {
      return this.fragment;
    }
    return mergeReport(this.fragment, this.split.ui, this.split.machines, this.split.remoteName);
  }

  /** The fragment the open view shows, so an update that changes nothing does not reload it. */
  private shown: string | undefined;

  private render(): void {
    if (this.panel === undefined) {
      return;
    }
    // Reloading a webview takes the focus (a palette opening at that moment
    // closes): only when what it shows changed, as when the other part's
    // section moves from running to idle with the same report.
    const page = this.page();
    if (page !== this.shown) {
      this.shown = page;
      this.panel.webview.html = reportPage(page, nonce());
    }
  }

  /** The sidecar's HTML fragment of the last report (the UI part sends it to the workspace part). */
  get fragmentHtml(): string {
    return this.fragment;
  }

  /** Whether the view is open, so it is worth refreshing. */
  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Replaces the content; an open view updates itself. */
  update(result: ReportResult): void {
    this.fragment = result.html;
    this.report = result.report;
    this.fleet = result.fleet;
    this.render();
  }

  /** Fetches the last report (`gord/report`) and updates the view. */
  async refresh(send: SendRequest, params: HealthParams = {}): Promise<HealthReport> {
    const result = await send(Report, params);
    this.update(result);
    return result.report;
  }

  /** Shows the view, creating it when it is not open. */
  reveal(): void {
    if (this.panel !== undefined) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel("gord.report", REPORT_TITLE, vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, ...this.icon);
    this.shown = this.page();
    panel.webview.html = reportPage(this.shown, nonce());
    panel.webview.onDidReceiveMessage((message: ReportMessage) => this.onMessage(message));
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.shown = undefined;
    });
    this.panel = panel;
  }

  dispose(): void {
    this.panel?.dispose();
  }

  /** A click in the page (or relayed by the workspace part, for the UI part). */
  async onMessage(message: ReportMessage): Promise<void> {
    if (message.part === "ui" && this.split !== undefined) {
      // The UI part's findings: only it holds their fixes, on its machine.
      const relayed: PartAction = { protocol: PARTS_PROTOCOL };
      for (const key of ["action", "check", "host", "finding"] as const) {
        const value = message[key];
        if (typeof value === "string") {
          relayed[key] = value;
        }
      }
      await vscode.commands.executeCommand(UI_COMMANDS.reportAction, relayed);
      return;
    }
    const action = resolveAction(this.report, message, this.fleet);
    if (action === undefined) {
      return;
    }
    switch (action.kind) {
      case "fix":
        await this.runFix(action.fix);
        break;
      case "doc":
        await vscode.commands.executeCommand("markdown.showPreview", vscode.Uri.joinPath(this.extensionUri, action.doc));
        break;
      case "open":
        await openLocation(action.location);
        break;
    }
  }

  /** Applies a fix's edit and runs its command (on this part's machine). */
  async runFix(fix: Fix): Promise<void> {
    if (fix.edit !== undefined && this.applyEdit !== undefined) {
      const applied = await this.applyEdit(fix.edit);
      if (!applied) {
        void vscode.window.showWarningMessage(`Go Remote Doctor: "${fix.title}" could not be applied (the file changed?).`);
      }
    }
    if (fix.command !== undefined) {
      await vscode.commands.executeCommand(this.fixCommand, fix.command);
    }
  }
}

export async function openLocation(location: Location): Promise<void> {
  const { start, end } = location.range;
  await vscode.window.showTextDocument(vscode.Uri.parse(location.uri), {
    selection: new vscode.Range(start.line, start.character, end.line, end.character),
  });
}

function nonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64").replace(/[^A-Za-z0-9]/g, "");
}

/** `gord.showReport`: the last report (the sidecar runs the checks if there is none yet). */
export async function showReport(view: ReportView, send: SendRequest): Promise<void> {
  await view.refresh(send);
  view.reveal();
}

/**
 * `gord.runHealthCheck`: runs every check now, then shows the report.
 * `alongside`: the other part's checks, run at the same time; the report
 * waits for them too, so it opens once, with both.
 */
export async function runHealthCheck(
  view: ReportView,
  send: SendRequest,
  alongside: Promise<unknown> = Promise.resolve(),
): Promise<HealthReport> {
  const [report] = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: "Go Remote Doctor: running health checks" },
    () => Promise.all([send(Health, { refresh: true }), alongside]),
  );
  await showReport(view, send);
  return report;
}
