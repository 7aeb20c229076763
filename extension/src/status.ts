// The one status-bar item, fed by the sidecar's `gord/status` notification.
// The workspace part shows it; the UI part shows one of its own only while no
// workspace part is there (see parts.ts, `UiOwnership`), so a window never
// shows two.

import * as vscode from "vscode";
import { mergeStatusView, type Section } from "./parts";
import type { StatusNotification } from "./protocol";
import {
  WORKSPACE_STATUS,
  accessibleLabel,
  formatStatus,
  tooltipCommands,
  type IdleView,
  type StatusOwner,
  type StatusView,
} from "./statusFormat";

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private view: StatusView = { kind: "starting" };
  private lastIdle: IdleView | undefined;
  private ui: { section: Section | undefined; machines: 1 | 2 } | undefined;

  /**
   * `id`: the item's id (each part's own); `owner`: its name and commands.
   * Hidden until `setVisible(true)`.
   */
  constructor(
    id = "gord.status",
    private readonly owner: StatusOwner = WORKSPACE_STATUS,
  ) {
    this.item = vscode.window.createStatusBarItem(id, vscode.StatusBarAlignment.Left, 10);
    this.item.name = owner.name;
    this.item.command = owner.runHealthCheck;
    this.render();
  }

  setVisible(visible: boolean): void {
    if (visible) {
      this.item.show();
    } else {
      this.item.hide();
    }
  }

  /** The sidecar is being located or (re)started. */
  starting(): void {
    this.set({ kind: "starting" });
  }

  /** The sidecar runs; shows the last report if there is one. */
  ready(): void {
    this.set(this.lastIdle ?? { kind: "ready" });
  }

  stopped(reason?: string): void {
    this.set(reason === undefined ? { kind: "stopped" } : { kind: "stopped", reason });
  }

  /** Handles a `gord/status` notification. */
  update(params: StatusNotification): void {
    if (params.state === "running") {
      this.set(this.lastIdle === undefined ? { kind: "running" } : { kind: "running", last: this.lastIdle });
    } else if (params.state === "idle") {
      this.lastIdle = { kind: "idle", summary: params.summary, checks: params.checks ?? [] };
      this.set(this.lastIdle);
    }
  }

  /** The UI part's share, merged into this one item (undefined: one part alone). */
  setUiSection(section: Section | undefined, machines: 1 | 2): void {
    this.ui = { section, machines };
    this.render();
  }

  clearUiSection(): void {
    this.ui = undefined;
    this.render();
  }

  dispose(): void {
    this.item.dispose();
  }

  private set(view: StatusView): void {
    this.view = view;
    this.render();
  }

  private render(): void {
    const view = this.ui === undefined ? this.view : mergeStatusView(this.view, this.ui.section, this.ui.machines);
    const presentation = formatStatus(view, this.owner);
    this.item.text = presentation.text;
    this.item.accessibilityInformation = { label: accessibleLabel(presentation.text, this.owner), role: "button" };
    const tooltip = new vscode.MarkdownString(presentation.tooltip.join("\n"), true);
    tooltip.isTrusted = { enabledCommands: tooltipCommands(this.owner) };
    this.item.tooltip = tooltip;
    this.item.backgroundColor =
      presentation.severity === "error" ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
  }
}
