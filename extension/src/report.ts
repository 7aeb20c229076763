// The health report view: the Markdown that `gord/report` returns, shown as a
// read-only virtual document (`gord-report:`) in the Markdown preview.

import * as vscode from "vscode";
import {
  HEALTH_METHOD,
  REPORT_METHOD,
  type HealthParams,
  type HealthReport,
  type ReportResult,
} from "./protocol";

export const REPORT_SCHEME = "gord-report";

/** Sends one request to the sidecar. */
export type SendRequest = <R>(method: string, params: unknown) => Promise<R>;

export class ReportView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  readonly uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: "/Go Remote Doctor Report.md" });
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private markdown = "# Go Remote Doctor\n\nNo report yet: run **Go Remote Doctor: Run Health Check**.\n";
  private shown = false;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this);
  }

  provideTextDocumentContent(): string {
    return this.markdown;
  }

  /** Whether the report was shown and its document is still open, so it is worth refreshing. */
  get isOpen(): boolean {
    return this.shown && vscode.workspace.textDocuments.some((doc) => doc.uri.toString() === this.uri.toString());
  }

  /** Replaces the text; an open preview updates itself. */
  update(markdown: string): void {
    this.markdown = markdown;
    this.changed.fire(this.uri);
  }

  /** Fetches the last report (`gord/report`) and updates the view. */
  async refresh(send: SendRequest, params: HealthParams = {}): Promise<HealthReport> {
    const result = await send<ReportResult>(REPORT_METHOD, params);
    this.update(result.markdown);
    return result.report;
  }

  /** Opens the report in the Markdown preview, or as text when the preview is unavailable. */
  async reveal(): Promise<void> {
    this.shown = true;
    try {
      await vscode.commands.executeCommand("markdown.showPreview", this.uri);
    } catch {
      const doc = await vscode.workspace.openTextDocument(this.uri);
      await vscode.window.showTextDocument(doc, { preview: true });
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

/** `gord.showReport`: the last report (the sidecar runs the checks if there is none yet). */
export async function showReport(view: ReportView, send: SendRequest): Promise<void> {
  await view.refresh(send);
  await view.reveal();
}

/** `gord.runHealthCheck`: runs every check now, then shows the report. */
export async function runHealthCheck(view: ReportView, send: SendRequest): Promise<HealthReport> {
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: "Go Remote Doctor: running health checks" },
    () => send<HealthReport>(HEALTH_METHOD, { refresh: true } satisfies HealthParams),
  );
  await showReport(view, send);
  return report;
}
