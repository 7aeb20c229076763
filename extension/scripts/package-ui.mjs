// Builds the UI part's platform VSIX gord-ui-<target>.vsix from extension-ui/:
//   1. bundles extension-ui/dist/ui.js (extension/esbuild.mjs builds both parts);
//   2. copies in what the UI part shares with the workspace part: the sidecar
//      (bin/gord, or bin/gord.exe for win32-*), the rule pages (docs/rules), the
//      ssh_config language configuration, the icon, LICENSE and CHANGELOG.md;
//   3. vsce package --target <target> in extension-ui/.
//
//   node extension/scripts/package-ui.mjs [--target linux-x64] [--binary PATH] [--production]
//
// The sidecar is the same binary as the workspace part's VSIX of that target
// (default: bin/gord, which package.mjs has just built). Every child process
// gets argv (no shell) and no standard input.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const ui = path.join(root, "extension-ui");

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const target = option("--target", "linux-x64");
const windows = target.startsWith("win32-");
const exe = windows ? "gord.exe" : "gord";
const binary = path.resolve(root, option("--binary", path.join("bin", exe)));
const vsix = `gord-ui-${target}.vsix`;

function run(command, args, cwd) {
  console.log(`$ ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
  if (result.error) {
    fail(`${command}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    fail(`${command} exited with ${result.status ?? `signal ${result.signal}`}`);
  }
}

function fail(message) {
  console.error(`package-ui: ${message}`);
  process.exit(1);
}

if (!existsSync(binary)) {
  fail(`${path.relative(root, binary)} is missing: build the sidecar for ${target} first (npm run package does)`);
}
run(process.execPath, [path.join(root, "extension", "esbuild.mjs"), ...(process.argv.includes("--production") ? ["--production"] : [])], root);

// A clean copy of the shared files, so nothing of another target is left.
for (const dir of ["bin", "docs", "language", "media"]) {
  rmSync(path.join(ui, dir), { recursive: true, force: true });
}
mkdirSync(path.join(ui, "bin"), { recursive: true });
copyFileSync(binary, path.join(ui, "bin", exe));
if (!windows) {
  chmodSync(path.join(ui, "bin", exe), 0o755);
}
cpSync(path.join(root, "docs", "rules"), path.join(ui, "docs", "rules"), { recursive: true });
cpSync(path.join(root, "extension", "language"), path.join(ui, "language"), { recursive: true });
mkdirSync(path.join(ui, "media"), { recursive: true });
copyFileSync(path.join(root, "extension", "media", "icon.png"), path.join(ui, "media", "icon.png"));
for (const file of ["LICENSE", "CHANGELOG.md"]) {
  copyFileSync(path.join(root, file), path.join(ui, file));
}

const vsce = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "vsce.cmd" : "vsce");
run(vsce, ["package", "--target", target, "--no-dependencies", "-o", path.join(root, vsix)], ui);
const size = statSync(path.join(root, vsix)).size;
console.log(`package-ui: ${vsix}, ${(size / 1024 / 1024).toFixed(1)} MiB`);
