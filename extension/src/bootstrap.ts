// Finds the gord sidecar binary. Nothing else.
//
// The order is planCandidates()'s (locate.ts): GORD_SERVER_PATH, then the
// gord.server.path setting, then the bundled bin/gord, then gord on PATH. Each
// path is checked (a regular file, executable) and proven with `gord --version`.

import { execFile } from "node:child_process";
import { constants as fsConstants, promises as fs, realpathSync } from "node:fs";
import * as os from "node:os";
import * as vscode from "vscode";
import { ENV_VAR, SETTING, parseVersionOutput, planCandidates, type CandidateGroup } from "./locate";

export interface Server {
  path: string;
  version: string;
  /** Which rule chose it, for the log. */
  source: string;
}

/** Raised when no usable sidecar was found; the message says what was tried and what to do. */
export class BootstrapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BootstrapError";
  }
}

const VERSION_TIMEOUT_MS = 5_000;

export async function findServer(extensionPath: string, log: vscode.LogOutputChannel): Promise<Server> {
  const inspected = vscode.workspace.getConfiguration("gord").inspect<string>("server.path");
  const plan = planCandidates({
    envPath: process.env[ENV_VAR],
    setting: {
      globalValue: inspected?.globalValue,
      workspaceValue: inspected?.workspaceValue,
      workspaceFolderValue: inspected?.workspaceFolderValue,
    },
    trusted: vscode.workspace.isTrusted,
    extensionPath,
    home: os.homedir(),
    pathEnv: process.env["PATH"],
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    realpath,
    exeName: process.platform === "win32" ? "gord.exe" : "gord",
  });
  for (const note of plan.notes) {
    log.info(`bootstrap: ${note}`);
  }

  const tried: string[] = [];
  for (const group of plan.groups) {
    const found = await tryGroup(group, log);
    if (found.ok) {
      log.info(`bootstrap: using ${found.server.path} (gord ${found.server.version}), from ${group.label}`);
      return found.server;
    }
    if (group.explicit) {
      throw new BootstrapError(
        `Go Remote Doctor: ${group.label} does not point at a working gord binary: ${found.why}. ` +
          (group.source === "env"
            ? `Fix or unset ${ENV_VAR}.`
            : `Fix ${SETTING}, or clear it to use the bundled binary.`),
      );
    }
    tried.push(`${group.label} (${found.why})`);
  }
  throw new BootstrapError(
    `Go Remote Doctor could not find the gord sidecar. Tried: ${tried.join("; ")}. ` +
      `Set ${SETTING} to a gord binary, or install the Go Remote Doctor VSIX built for linux-x64, which bundles it.`,
  );
}

/** The canonical path of `p`, or undefined when it does not resolve. */
function realpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

type Attempt = { ok: true; server: Server } | { ok: false; why: string };

async function tryGroup(group: CandidateGroup, log: vscode.LogOutputChannel): Promise<Attempt> {
  if (group.paths.length === 0) {
    const why = group.problem ?? "nothing to try";
    log.debug(`bootstrap: ${group.label}: ${why}`);
    return { ok: false, why };
  }
  const reasons: string[] = [];
  let missing = 0;
  for (const candidate of group.paths) {
    const problem = await checkExecutable(candidate);
    if (problem !== undefined) {
      log.debug(`bootstrap: ${group.label}: ${candidate} ${problem}`);
      if (problem === "not found") {
        missing += 1;
      } else {
        reasons.push(`${candidate} ${problem}`);
      }
      continue;
    }
    try {
      const version = await probeVersion(candidate);
      return { ok: true, server: { path: candidate, version, source: group.source } };
    } catch (err) {
      const why = `\`${candidate} --version\` failed: ${errorMessage(err)}`;
      log.warn(`bootstrap: ${group.label}: ${why}`);
      reasons.push(why);
    }
  }
  if (missing > 0) {
    // For PATH, "not found" in every directory is one reason, not dozens.
    reasons.unshift(group.paths.length === 1 ? `${group.paths[0] ?? ""} not found` : "not found");
  }
  return { ok: false, why: reasons.join("; ") };
}

/** undefined when `file` is an executable regular file, else why not. */
async function checkExecutable(file: string): Promise<string | undefined> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    return "not found";
  }
  if (!stat.isFile()) {
    return "is not a file";
  }
  try {
    await fs.access(file, fsConstants.X_OK);
  } catch {
    return "is not executable (chmod +x it)";
  }
  return undefined;
}

/** Runs `file --version` (argv, no shell) and returns gord's version. */
function probeVersion(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      ["--version"],
      { timeout: VERSION_TIMEOUT_MS, windowsHide: true, maxBuffer: 64 * 1024 },
      (error, stdout) => {
        if (error) {
          reject(error.killed ? new Error(`no answer within ${VERSION_TIMEOUT_MS / 1000} s`) : error);
          return;
        }
        const version = parseVersionOutput(stdout);
        if (version === undefined) {
          reject(new Error(`unexpected output ${JSON.stringify(stdout.trim().slice(0, 80))}, not gord's`));
          return;
        }
        resolve(version);
      },
    );
  });
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
