// The extension's commands. Each one that needs the sidecar asks the host for a
// running client; when there is none, the host explains that and the command
// does nothing more.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { attachDelve } from "./attach";
import { errorMessage } from "./bootstrap";
import { HEALTH_METHOD, LINT_WORKSPACE_METHOD, isArgv, type LintWorkspaceResult } from "./protocol";
import { runHealthCheck, showReport, type ReportView, type SendRequest } from "./report";

export interface CommandHost {
  readonly log: vscode.LogOutputChannel;
  readonly report: ReportView;
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

export function registerCommands(host: CommandHost): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("gord.runHealthCheck", () =>
      withSidecar(host, "Health check", (send) => runHealthCheck(host.report, send)),
    ),
    vscode.commands.registerCommand("gord.showReport", () =>
      withSidecar(host, "Showing the report", (send) => showReport(host.report, send)),
    ),
    vscode.commands.registerCommand("gord.lintWorkspace", () =>
      withSidecar(host, "Linting the workspace", (send) => lintWorkspace(host, send)),
    ),
    vscode.commands.registerCommand("gord.attachDelve", () =>
      withSidecar(host, "Attaching Delve", (send) => attachDelve(host, send)),
    ),
    vscode.commands.registerCommand("gord.restartServer", () => host.restart()),
    vscode.commands.registerCommand("gord.showLogs", () => host.log.show()),
    vscode.commands.registerCommand("gord.runFixCommand", (argv: unknown) => runFixCommand(host, argv)),
  ];
}

/**
 * `gord.lintWorkspace`: the sidecar lints every module, showing its own
 * cancellable progress notification; the results land in the Problems panel.
 */
async function lintWorkspace(host: CommandHost, send: SendRequest): Promise<void> {
  const result = await send<LintWorkspaceResult>(LINT_WORKSPACE_METHOD, {});
  const summary = result.cancelled
    ? `Lint cancelled (${result.linter}).`
    : `Lint: ${result.issues} issue${result.issues === 1 ? "" : "s"} in ${result.files} file${result.files === 1 ? "" : "s"}, ${result.modules} module${result.modules === 1 ? "" : "s"} (${result.linter}, ${(result.durationMs / 1000).toFixed(1)} s).`;
  host.log.info(summary);
  if (result.failures.length > 0) {
    host.showError(`Go Remote Doctor: ${summary} The linter failed: ${result.failures.join("; ")}`);
    return;
  }
  if (result.cancelled) {
    return;
  }
  const choice = await vscode.window.showInformationMessage(`Go Remote Doctor: ${summary}`, "Open Problems");
  if (choice === "Open Problems") {
    await vscode.commands.executeCommand("workbench.actions.view.problems");
  }
}

async function withSidecar(
  host: CommandHost,
  what: string,
  action: (send: SendRequest) => Promise<unknown>,
): Promise<void> {
  const client = await host.runningClient();
  if (client === undefined) {
    return;
  }
  const send: SendRequest = (method, params) => client.sendRequest(method, params);
  try {
    await action(send);
  } catch (err) {
    host.log.error(`${what} failed: ${errorMessage(err)}`);
    host.showError(`Go Remote Doctor: ${what.toLowerCase()} failed: ${errorMessage(err)}`);
  }
}

/**
 * `gord.runFixCommand(argv)`: runs a fix's command in a new terminal whose
 * program is argv[0] and arguments the rest (no shell, so nothing is
 * re-parsed). Code actions from the sidecar call it with the fix's argv.
 */
async function runFixCommand(host: CommandHost, argv: unknown): Promise<void> {
  if (!isArgv(argv)) {
    host.log.error(`gord.runFixCommand: expected a non-empty array of strings, got ${JSON.stringify(argv)}`);
    void vscode.window.showErrorMessage(
      "Go Remote Doctor: this fix has no valid command to run (expected a non-empty list of strings).",
    );
    return;
  }
  const display = argv.map(quoteForDisplay).join(" ");
  if (!vscode.workspace.isTrusted) {
    const choice = await vscode.window.showWarningMessage(
      `This workspace is not trusted. Run the fix command \`${display}\`?`,
      { modal: true },
      "Run",
    );
    if (choice !== "Run") {
      return;
    }
  }
  host.log.info(`running fix: ${display}`);
  const [program, ...args] = argv;
  const options: vscode.TerminalOptions = {
    name: `gord: ${display.length > 40 ? `${display.slice(0, 39)}…` : display}`,
    shellPath: program,
    shellArgs: args,
  };
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder !== undefined) {
    options.cwd = folder.uri;
  }
  const terminal = vscode.window.createTerminal(options);
  terminal.show();
  const closed = vscode.window.onDidCloseTerminal((t) => {
    if (t !== terminal) {
      return;
    }
    closed.dispose();
    const code = t.exitStatus?.code;
    host.log.info(`fix \`${display}\` ended${code === undefined ? "" : ` with exit code ${code}`}`);
    if (code === 0) {
      // The fix may have changed what the checks see: refresh them quietly.
      host
        .currentClient()
        ?.sendRequest(HEALTH_METHOD, { refresh: true }).catch((err: unknown) => {
        host.log.warn(`refreshing the checks after the fix failed: ${errorMessage(err)}`);
      });
    }
  });
}

function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
