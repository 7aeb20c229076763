// What the two parts' sessions share (extension.ts, the workspace part, and
// ui/extension.ts, the UI part): a log channel, one coalesced (re)start path
// for the sidecar, the running client, and its stop.

import * as vscode from "vscode";
import type { LanguageClient, WorkspaceEdit as LspWorkspaceEdit } from "vscode-languageclient/node";
import { errorMessage } from "./bootstrap";
import { Coalescer } from "./coalesce";
import type { CommandHost } from "./commandHost";
import { CrashPolicy } from "./crashPolicy";
import type { ReportView } from "./report";
import { createSettingsFile, editorOf, missingSettingsFile, type EditorInfo } from "./settingsFile";

export abstract class SidecarSession implements CommandHost, vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
  /** Which VS Code this is and where its user settings are, for the sidecar's settings fixes. */
  readonly editor: EditorInfo;
  abstract readonly report: ReportView;
  protected readonly crashPolicy = new CrashPolicy();
  protected client: LanguageClient | undefined;
  protected clientDisposables: vscode.Disposable[] = [];
  private readonly restarter = new Coalescer(() => this.restartNow());

  constructor(context: vscode.ExtensionContext, logName: string) {
    this.log = vscode.window.createOutputChannel(logName, { log: true });
    this.extensionUri = context.extensionUri;
    this.editor = editorOf(context);
  }

  /** (Re)starts the sidecar: one runs, at most one waits. */
  restart(): Promise<void> {
    return this.restarter.request();
  }

  currentClient(): LanguageClient | undefined {
    return this.client?.isRunning() === true ? this.client : undefined;
  }

  abstract runningClient(): Promise<LanguageClient | undefined>;

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
    if (client === undefined) {
      return;
    }
    try {
      await client.dispose();
    } catch (err) {
      this.log.warn(`stopping the sidecar: ${errorMessage(err)}`);
    }
  }

  dispose(): void {
    this.report.dispose();
    this.log.dispose();
  }

  /** Waits for a (re)start in progress, if any. */
  protected async settled(): Promise<void> {
    await this.restarter.pending?.catch(() => undefined);
  }

  /** From now on `client` is the sidecar: the report applies its edits, `disposables` go with it. */
  protected use(client: LanguageClient, ...disposables: vscode.Disposable[]): void {
    this.client = client;
    this.report.applyEdit = async (edit) => {
      // A settings fix on a settings.json not there yet: the sidecar creates it.
      const create = await missingSettingsFile(edit);
      if (create !== undefined) {
        return createSettingsFile(client, create).catch(() => false);
      }
      return vscode.workspace.applyEdit(await client.protocol2CodeConverter.asWorkspaceEdit(edit as LspWorkspaceEdit));
    };
    this.clientDisposables.push(...disposables);
  }

  /** One (re)start: stop the old client, find the binary, start a new client. Run only through `restart`. */
  protected abstract restartNow(): Promise<void>;
}
