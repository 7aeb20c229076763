// A remote host's settings fix when the VS Code user settings.json does not
// exist yet: a workspace edit cannot create it as the sidecar does (atomic,
// parent directories made, VS Code's modes), so the quick fix is the command
// `gord.createSettingsFile` and the report's button comes here too; both send
// the fix's edits back to the part's own sidecar as `gord/settings/create`.

import * as path from "node:path";
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { SettingsCreate, type SettingsCreateParams } from "./protocol";

/** The command the sidecar names in its quick fix (the workspace part's). */
export const CREATE_SETTINGS_COMMAND = "gord.createSettingsFile";
/** The UI part's own (its code actions are pointed at it, like its fix command). */
export const UI_CREATE_SETTINGS_COMMAND = "gord.ui.createSettingsFile";

/** `value` as the command's argument (it comes from a code action: checked). */
export function asCreateParams(value: unknown): SettingsCreateParams | undefined {
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const { path, edits } = value as { path?: unknown; edits?: unknown };
  if (typeof path !== "string" || !Array.isArray(edits)) {
    return undefined;
  }
  const ok = edits.every(
    (e: unknown) => typeof e === "object" && e !== null && typeof (e as { newText?: unknown }).newText === "string",
  );
  return ok ? { path, edits: edits as SettingsCreateParams["edits"] } : undefined;
}

/** Has the sidecar create the file, then opens it. */
export async function createSettingsFile(client: LanguageClient, value: unknown): Promise<boolean> {
  const params = asCreateParams(value);
  if (params === undefined) {
    throw new Error(`expected { path, edits }, got ${JSON.stringify(value)}`);
  }
  const created = await client.sendRequest(SettingsCreate, params);
  await vscode.window.showTextDocument(vscode.Uri.file(created.path), { preview: true });
  return true;
}

/**
 * The creation a report fix's edit stands for: one file, a settings.json,
 * that is missing. Undefined for every other edit (applied as it is).
 */
export async function missingSettingsFile(edit: unknown): Promise<SettingsCreateParams | undefined> {
  const changes = (edit as { changes?: Record<string, unknown> } | undefined)?.changes ?? {};
  const entries = Object.entries(changes);
  const only = entries.length === 1 ? entries[0] : undefined;
  if (!only?.[0].endsWith("/settings.json")) {
    return undefined;
  }
  const [target, edits] = only;
  const uri = vscode.Uri.parse(target);
  try {
    await vscode.workspace.fs.stat(uri);
    return undefined;
  } catch (err) {
    if (err instanceof vscode.FileSystemError && err.code === "FileNotFound") {
      return asCreateParams({ path: uri.fsPath, edits });
    }
    return undefined;
  }
}

/** Which VS Code this is, for the sidecar (`initializationOptions`). */
export interface EditorInfo {
  /** `vscode.env.appName`: "Visual Studio Code", "VSCodium", "Code - OSS"... */
  appName: string;
  /** Its `User` directory, where its user settings.json is: only on this computer's extension host. */
  userSettingsDir?: string;
}

/**
 * The editor running this extension. Global storage is
 * `<user data>/User/globalStorage/<publisher.name>`, so its grandparent is the
 * `User` directory of this very install (Insiders, VSCodium, a portable one);
 * in a remote extension host it is the server's own data instead, so only a
 * local one says.
 */
export function editorOf(context: vscode.ExtensionContext): EditorInfo {
  const storage = context.globalStorageUri;
  const local = context.extension.extensionKind === vscode.ExtensionKind.UI || vscode.env.remoteName === undefined;
  const userSettingsDir = local && storage.scheme === "file" ? path.dirname(path.dirname(storage.fsPath)) : undefined;
  return { appName: vscode.env.appName, ...(userSettingsDir === undefined ? {} : { userSettingsDir }) };
}
