// The extension's commands. Each one that needs the sidecar asks the host for a
// running client; when there is none, the host explains that and the command
// does nothing more.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { attachDelve } from "./attach";
import { errorMessage } from "./bootstrap";
import * as os from "node:os";
import {
  Health,
  LintWorkspace,
  Preload,
  RemoteCheck,
  RemoteHosts,
  isArgv,
  requestOutcome,
  type SendRequest,
} from "./protocol";
import { UI_COMMANDS } from "./parts";
import { hostPickItems } from "./remotePick";
import { runHealthCheck, showReport } from "./report";
import { requestWithProgress } from "./serverProgress";
import { CREATE_SETTINGS_COMMAND, createSettingsFile } from "./settingsFile";
import type { CommandHost } from "./commandHost";

export function registerCommands(host: CommandHost): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("gord.runHealthCheck", () =>
      withSidecar(host, "Health check", (send) =>
        // Both machines' checks, then the one report.
        runHealthCheck(host.report, send, host.parts?.runUiChecks()),
      ),
    ),
    vscode.commands.registerCommand("gord.showReport", () =>
      withSidecar(host, "Showing the report", async (send) => {
        await host.parts?.refresh();
        await showReport(host.report, send);
      }),
    ),
    vscode.commands.registerCommand("gord.lintWorkspace", () =>
      withClient(host, "Linting the workspace", (client) => lintWorkspace(host, client)),
    ),
    vscode.commands.registerCommand("gord.preload", () =>
      withClient(host, "Preloading the Go caches", (client) => preload(host, client)),
    ),
    vscode.commands.registerCommand("gord.checkRemoteHost", () =>
      host.parts?.uiDoctor === true
        ? // From the computer Remote-SSH connects from, with its ssh and config.
          vscode.commands.executeCommand(UI_COMMANDS.checkRemoteHost)
        : withClient(host, "Checking remote hosts", (client) => checkRemoteHost(host, client)),
    ),
    vscode.commands.registerCommand("gord.attachDelve", () =>
      withSidecar(host, "Attaching Delve", (send) => attachDelve(host, send)),
    ),
    vscode.commands.registerCommand("gord.restartServer", () => host.restart()),
    vscode.commands.registerCommand("gord.showLogs", () => host.log.show()),
    vscode.commands.registerCommand("gord.runFixCommand", (argv: unknown) => runFixCommand(host, argv)),
    vscode.commands.registerCommand(CREATE_SETTINGS_COMMAND, (params: unknown) =>
      withClient(host, "Creating your VS Code settings", (client) => createSettingsFile(client, params)),
    ),
  ];
}

/**
 * `gord.lintWorkspace`: the sidecar lints every module, showing its own
 * cancellable progress notification; the results land in the Problems panel.
 */
async function lintWorkspace(host: CommandHost, client: LanguageClient): Promise<void> {
  const result = await requestWithProgress(client, "Go Remote Doctor: linting the workspace", LintWorkspace, {});
  const summary = `Lint: ${result.issues} issue${result.issues === 1 ? "" : "s"} in ${result.files} file${result.files === 1 ? "" : "s"}, ${result.modules} module${result.modules === 1 ? "" : "s"} (${result.linter}, ${(result.durationMs / 1000).toFixed(1)} s).`;
  host.log.info(summary);
  if (result.failures.length > 0) {
    host.showError(`Go Remote Doctor: ${summary} The linter failed: ${result.failures.join("; ")}`);
    return;
  }
  const choice = await vscode.window.showInformationMessage(`Go Remote Doctor: ${summary}`, "Open Problems");
  if (choice === "Open Problems") {
    await vscode.commands.executeCommand("workbench.actions.view.problems");
  }
}

/**
 * `gord.preload`: the sidecar downloads the modules, warms gopls' and the build
 * cache and proves the workspace loads offline, showing its own cancellable
 * progress notification; the full report opens on request.
 */
async function preload(host: CommandHost, client: LanguageClient): Promise<void> {
  let result;
  try {
    result = await requestWithProgress(client, "Go Remote Doctor: preloading Go caches", Preload, {});
  } catch (err) {
    if (requestOutcome(err).kind !== "cancelled") {
      throw err;
    }
    // Not an error: the confirmation that nothing of it is left running.
    host.log.info("preload cancelled");
    void vscode.window.showInformationMessage(
      "Go Remote Doctor: preload cancelled. Every go and gopls process it started was stopped.",
    );
    return;
  }
  host.log.info(result.text.trimEnd());
  const { modules, offline, durationMs } = result.report;
  const seconds = (durationMs / 1000).toFixed(1);
  const summary = offline.ready
    ? `Go caches warm (${modules.total} module${modules.total === 1 ? "" : "s"}, ${seconds} s): the workspace loads offline.`
    : `Preload finished in ${seconds} s, but ${offline.needsNetwork.length} module(s) still need the network: ${offline.needsNetwork.join(", ")}.`;
  const show = offline.ready
    ? await vscode.window.showInformationMessage(`Go Remote Doctor: ${summary}`, "Show Details")
    : await vscode.window.showWarningMessage(`Go Remote Doctor: ${summary}`, "Show Details");
  if (show === "Show Details") {
    const doc = await vscode.workspace.openTextDocument({ content: result.text, language: "plaintext" });
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}

/** Like withSidecar, for actions that need the client itself (progress). */
export async function withClient(host: CommandHost, what: string, action: (client: LanguageClient) => Promise<unknown>): Promise<void> {
  const client = await host.runningClient();
  if (client === undefined) {
    return;
  }
  try {
    await action(client);
  } catch (err) {
    reportFailure(host, what, err);
  }
}

/**
 * A request that was cancelled (by the user, or replaced by a newer one) is
 * logged and nothing more; any other failure, RequestFailed included, is
 * shown with the sidecar's message.
 */
function reportFailure(host: CommandHost, what: string, err: unknown): void {
  const outcome = requestOutcome(err);
  if (outcome.kind === "cancelled") {
    host.log.info(`${what}: cancelled`);
    return;
  }
  host.log.error(`${what} failed: ${outcome.message}`);
  host.showError(`Go Remote Doctor: ${what.toLowerCase()} failed: ${outcome.message}`);
}

/**
 * `gord.checkRemoteHost`: pick a host of ~/.ssh/config (or all of them); the
 * sidecar checks them, showing its own cancellable progress notification,
 * puts the findings on the Host lines, and the report shows the fleet.
 */
export async function checkRemoteHost(
  host: CommandHost,
  client: LanguageClient,
  show: (send: SendRequest) => Promise<void> = (send) => showReport(host.report, send),
): Promise<void> {
  const send: SendRequest = (type, params) => client.sendRequest(type, params);
  const configured = vscode.workspace.getConfiguration("gord").get<string>("ssh.configFile", "").trim();
  const configFile = configured.startsWith("~/") ? `${os.homedir()}${configured.slice(1)}` : configured;
  const withConfig = configFile === "" ? {} : { config: configFile };
  const { config, hosts } = await send(RemoteHosts, withConfig);
  if (hosts.length === 0) {
    void vscode.window.showInformationMessage(`Go Remote Doctor: ${config} names no host to check.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(hostPickItems(hosts, os.homedir()), {
    title: "Go Remote Doctor: Check Remote Host",
    placeHolder: `A host of ${config}`,
    matchOnDescription: true,
  });
  if (picked === undefined) {
    return;
  }
  // A cancel rejects with RequestCancelled, which withClient keeps quiet.
  const fleet = await requestWithProgress(client, "Go Remote Doctor: checking remote hosts", RemoteCheck, {
    hosts: picked.hosts,
    ...withConfig,
  });
  host.log.info(`remote check: ${fleet.hosts.map((h) => `${h.host} ${h.status}`).join(", ")}`);
  await show(send);
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
  const send: SendRequest = (type, params) => client.sendRequest(type, params);
  try {
    await action(send);
  } catch (err) {
    reportFailure(host, what, err);
  }
}

/**
 * `gord.runFixCommand(argv)`: runs a fix's command in a new terminal whose
 * program is argv[0] and arguments the rest (no shell, so nothing is
 * re-parsed). Code actions from the sidecar call it with the fix's argv.
 */
export async function runFixCommand(host: CommandHost, argv: unknown): Promise<void> {
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
        ?.sendRequest(Health, { refresh: true }).catch((err: unknown) => {
        host.log.warn(`refreshing the checks after the fix failed: ${errorMessage(err)}`);
      });
    }
  });
}

function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
