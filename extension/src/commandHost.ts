// What the palette commands need from the extension: kept apart from
// commands.ts so modules that commands.ts imports (attach.ts) can take it
// without an import cycle.

import type * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import type { PartsLink } from "./partsLink";
import type { ReportView } from "./report";

export interface CommandHost {
  readonly log: vscode.LogOutputChannel;
  readonly report: ReportView;
  /** The link to the UI part (the workspace part only). */
  readonly parts?: PartsLink;
  /** The extension's root (the rule pages are under docs/rules). */
  readonly extensionUri: vscode.Uri;
  /** The running client; undefined (after telling the user why) when the sidecar is down. */
  runningClient(): Promise<LanguageClient | undefined>;
  /** The client if it is running now, without asking or explaining anything. */
  currentClient(): LanguageClient | undefined;
  /** (Re)starts the sidecar; coalesced. */
  restart(): Promise<void>;
  /** Shows an error with a "Show Logs" button. */
  showError(message: string): void;
}
