// Where to look for the gord sidecar: the pure half of bootstrap.ts.
//
// Pure module: no 'vscode', no file system, no processes. It turns the inputs
// (environment, setting values, trust, paths) into an ordered plan; bootstrap.ts
// checks the files and runs `gord --version`.

import * as path from "node:path";

/** The values of `gord.server.path` as `WorkspaceConfiguration.inspect()` reports them. */
export interface SettingValues {
  globalValue?: string | undefined;
  workspaceValue?: string | undefined;
  workspaceFolderValue?: string | undefined;
}

export interface LocateInputs {
  /** `GORD_SERVER_PATH` from the extension host's environment. */
  envPath: string | undefined;
  /** `gord.server.path`, per scope. */
  setting: SettingValues;
  /** `vscode.workspace.isTrusted`. */
  trusted: boolean;
  /** The extension's install directory (holds `bin/gord` in a platform VSIX). */
  extensionPath: string;
  /** The user's home directory, for `~`. */
  home: string;
  /** `PATH` from the extension host's environment. */
  pathEnv: string | undefined;
  /** The first workspace folder, against which a relative setting resolves (trusted only). */
  workspaceFolder?: string | undefined;
  /**
   * Every workspace folder (all of `vscode.workspace.workspaceFolders`). In an
   * untrusted workspace no PATH directory inside any of them is searched.
   */
  workspaceFolders?: readonly string[] | undefined;
  /**
   * The canonical path of an existing path (`fs.realpathSync`), undefined when
   * it cannot be resolved. Injected so this module stays pure.
   */
  realpath?: ((p: string) => string | undefined) | undefined;
  /** The binary's file name; `gord` (`gord.exe` on Windows). */
  exeName?: string;
}

export type Source = "env" | "setting" | "bundled" | "path";

/**
 * One place to look. Paths are tried in order; the first that exists, is
 * executable and answers `--version` wins.
 *
 * An explicit group (the environment variable or the setting) is what the user
 * asked for: when none of its paths works, bootstrap stops with an error naming
 * it instead of quietly starting some other gord.
 */
export interface CandidateGroup {
  source: Source;
  explicit: boolean;
  /** For logs and errors, e.g. "gord.server.path (user settings)". */
  label: string;
  paths: string[];
  /** Why `paths` is empty, when it is (an explicit value that cannot be used). */
  problem?: string;
}

export interface LocatePlan {
  groups: CandidateGroup[];
  /** Things worth a log line, e.g. a workspace value ignored in Restricted Mode. */
  notes: string[];
}

export const ENV_VAR = "GORD_SERVER_PATH";
export const SETTING = "gord.server.path";

/**
 * The order in which to look for the sidecar:
 *
 * 1. `GORD_SERVER_PATH` (developer override), when set and non-empty;
 * 2. the `gord.server.path` setting, when non-empty: the workspace folder
 *    value, else the workspace value, else the user value. In an untrusted
 *    workspace only the user (global) value counts;
 * 3. the bundled binary `<extensionPath>/bin/gord`;
 * 4. `gord` in each absolute directory of `PATH`, in order; in an untrusted
 *    workspace only directories outside every workspace folder (compared
 *    canonically, see outsideWorkspace).
 *
 * Only the first of 1 and 2 that is set takes part: an explicit choice is never
 * second-guessed. `~` and `~/…` expand to the home directory. A bare name such
 * as `gord-dev` in 1 or 2 is looked up on `PATH`.
 */
export function planCandidates(inputs: LocateInputs): LocatePlan {
  const exeName = inputs.exeName ?? "gord";
  const notes: string[] = [];
  const groups: CandidateGroup[] = [];

  const envValue = nonEmpty(inputs.envPath);
  const setting = pickSetting(inputs.setting, inputs.trusted, notes);
  const allowDir = inputs.trusted
    ? undefined
    : outsideWorkspace(inputs.workspaceFolders ?? [], inputs.realpath ?? ((p) => path.resolve(p)));

  if (envValue !== undefined) {
    groups.push(explicitGroup("env", `${ENV_VAR}=${envValue}`, envValue, inputs, true, allowDir));
    if (setting !== undefined) {
      notes.push(`${SETTING} (${setting.scope}) is set but ${ENV_VAR} wins`);
    }
  } else if (setting !== undefined) {
    groups.push(
      explicitGroup(
        "setting",
        `${SETTING} (${setting.scope}) = ${setting.value}`,
        setting.value,
        inputs,
        // A relative value only resolves against a trusted workspace folder.
        inputs.trusted,
        allowDir,
      ),
    );
  }

  groups.push({
    source: "bundled",
    explicit: false,
    label: "the binary bundled with the extension",
    paths: [path.join(inputs.extensionPath, "bin", exeName)],
  });
  groups.push({
    source: "path",
    explicit: false,
    label: `${exeName} on PATH`,
    paths: searchPath(exeName, inputs.pathEnv, allowDir),
  });
  return { groups, notes };
}

/** `~` or `~/rest` (also `~\rest`) → home joined with rest; anything else unchanged. */
export function expandTilde(value: string, home: string): string {
  if (value === "~") {
    return home;
  }
  if (value.startsWith("~/") || value.startsWith("~\\")) {
    return path.join(home, value.slice(2));
  }
  return value;
}

/**
 * `<dir>/<exeName>` for each absolute, non-empty directory of `pathEnv` that
 * `allowDir` (when given) accepts, without repeats.
 */
export function searchPath(
  exeName: string,
  pathEnv: string | undefined,
  allowDir?: (dir: string) => boolean,
): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const dir of (pathEnv ?? "").split(path.delimiter)) {
    // Relative entries (including "" and ".") would let the current directory pick the binary.
    if (dir === "" || !path.isAbsolute(dir)) {
      continue;
    }
    if (allowDir !== undefined && !allowDir(dir)) {
      continue;
    }
    const candidate = path.join(dir, exeName);
    if (!seen.has(candidate)) {
      seen.add(candidate);
      result.push(candidate);
    }
  }
  return result;
}

/**
 * Restricted Mode's rule for PATH directories, the sidecar's own: a directory
 * is allowed only when it resolves (`realpath`) and its canonical path is
 * inside no workspace folder, each folder taken both as given and canonical,
 * so a folder opened through a symlink (`/home` → `/data/home`) is caught
 * under either name.
 */
export function outsideWorkspace(
  folders: readonly string[],
  realpath: (p: string) => string | undefined,
): (dir: string) => boolean {
  const forms = new Set<string>();
  for (const folder of folders) {
    forms.add(path.resolve(folder));
    const real = realpath(folder);
    if (real !== undefined) {
      forms.add(real);
    }
  }
  return (dir) => {
    const real = realpath(dir);
    if (real === undefined) {
      return false;
    }
    return ![...forms].some((folder) => isInside(real, folder) || isInside(path.resolve(dir), folder));
  };
}

/** Whether `child` is `parent` or below it (whole path components, not a name prefix). */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * The version in `gord --version` output (`gord 0.1.0`), or undefined when the
 * output is not gord's.
 */
export function parseVersionOutput(stdout: string): string | undefined {
  const match = /^gord\s+v?(\d+\.\d+\.\d+\S*)/m.exec(stdout.trim());
  return match?.[1];
}

interface ChosenSetting {
  value: string;
  scope: string;
}

function pickSetting(values: SettingValues, trusted: boolean, notes: string[]): ChosenSetting | undefined {
  const folder = nonEmpty(values.workspaceFolderValue);
  const workspace = nonEmpty(values.workspaceValue);
  const global = nonEmpty(values.globalValue);
  if (!trusted) {
    if (folder !== undefined || workspace !== undefined) {
      notes.push(`ignoring the workspace's ${SETTING} (${folder ?? workspace ?? ""}): the workspace is not trusted`);
    }
    return global === undefined ? undefined : { value: global, scope: "user settings" };
  }
  if (folder !== undefined) {
    return { value: folder, scope: "folder settings" };
  }
  if (workspace !== undefined) {
    return { value: workspace, scope: "workspace settings" };
  }
  return global === undefined ? undefined : { value: global, scope: "user settings" };
}

function explicitGroup(
  source: Source,
  label: string,
  rawValue: string,
  inputs: LocateInputs,
  mayUseWorkspace: boolean,
  allowDir: ((dir: string) => boolean) | undefined,
): CandidateGroup {
  const value = expandTilde(rawValue, inputs.home);
  if (!value.includes("/") && !value.includes("\\")) {
    // A bare program name: look it up on PATH.
    const paths = searchPath(value, inputs.pathEnv, allowDir);
    return paths.length > 0
      ? { source, explicit: true, label, paths }
      : { source, explicit: true, label, paths, problem: `PATH has no absolute directories to look for ${value} in` };
  }
  if (path.isAbsolute(value)) {
    return { source, explicit: true, label, paths: [path.normalize(value)] };
  }
  if (mayUseWorkspace && inputs.workspaceFolder !== undefined) {
    return { source, explicit: true, label, paths: [path.resolve(inputs.workspaceFolder, value)] };
  }
  return {
    source,
    explicit: true,
    label,
    paths: [],
    problem: `${value} is a relative path; use an absolute path (or ~/…)`,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}
