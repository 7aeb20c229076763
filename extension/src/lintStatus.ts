// The lint hint in the status bar, fed by `gord/lint/status`: a spinner while
// a run is under way, a warning while the last run failed, hidden otherwise.

import * as vscode from "vscode";
import { formatLintStatus } from "./lintStatusFormat";
import type { LintStatusNotification } from "./protocol";

export class LintStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem("gord.lintStatus", vscode.StatusBarAlignment.Left, 9);
    this.item.name = "Go Remote Doctor: Lint";
    this.item.command = "gord.showLogs";
  }

  update(params: LintStatusNotification): void {
    const view = formatLintStatus(params);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.accessibilityInformation = { label: view.text.replace(/\$\([^)]*\)\s*/g, ""), role: "button" };
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
    if (view.visible) {
      this.item.show();
    } else {
      this.item.hide();
    }
  }

  /** The sidecar stopped: no run is under way any more. */
  clear(): void {
    this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
