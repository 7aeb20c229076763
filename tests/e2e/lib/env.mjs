// Where things are: the repository, the pinned code-server, the VSIX, the
// browser, and the artefacts directory. Nothing here starts a process.

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_ROOT = path.resolve(E2E_DIR, "..", "..");

/** The example workspace the scenarios open (copied to a temp dir first). */
export const EXAMPLE_WORKSPACE = path.join(REPO_ROOT, "examples", "hello-remote");

/** The VSIX `npm run package` builds; scripts/test's e2e stage runs it first. */
export const VSIX = path.join(REPO_ROOT, "gord-linux-x64.vsix");

/** The UI part's VSIX (extension-ui), which `npm run package` builds beside it. */
export const UI_VSIX = path.join(REPO_ROOT, "gord-ui-linux-x64.vsix");

/** Debian's Chromium (scripts/install-deps); GORD_E2E_CHROMIUM overrides it. */
export const CHROMIUM = process.env.GORD_E2E_CHROMIUM ?? "/usr/bin/chromium";

/** Screenshots and logs of every run; gitignored. */
export const ARTIFACTS_DIR = path.join(E2E_DIR, "artifacts");

/** The folder under ARTIFACTS_DIR of ui-alone.test.mjs (each test file clears only its own). */
export const UI_ALONE_ARTIFACTS = "ui-alone";

/** The value of KEY=value in versions.env (parsed, never sourced, like scripts/lib.sh does). */
export function pinnedVersion(key) {
  const text = readFileSync(path.join(REPO_ROOT, "versions.env"), "utf8");
  for (const line of text.split("\n")) {
    if (line.startsWith(`${key}=`)) {
      return line.slice(key.length + 1).trim();
    }
  }
  throw new Error(`versions.env has no ${key}= line`);
}

/**
 * code-server's entry point, where scripts/install-deps puts it: the same
 * path as `code_server_dir` in scripts/lib.sh (keep the two in step).
 */
export function codeServerEntry() {
  const version = pinnedVersion("CODE_SERVER_VERSION");
  const cache = process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache");
  const entry = path.join(cache, "gord", `code-server-${version}`, "node_modules", "code-server", "out", "node", "entry.js");
  if (!existsSync(entry)) {
    throw new Error(`code-server ${version} is not installed at ${entry}: run scripts/install-deps`);
  }
  return entry;
}

/** Fails early, with the command to run, when a prerequisite is missing. */
export function checkPrerequisites() {
  for (const vsix of [VSIX, UI_VSIX]) {
    if (!existsSync(vsix)) {
      throw new Error(`${vsix} is missing: run \`npm run package\` first`);
    }
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/install-deps (Debian package chromium)`);
  }
  codeServerEntry();
}

/** The artefacts directory for this run, created if needed. */
export function artifactsDir() {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return ARTIFACTS_DIR;
}
