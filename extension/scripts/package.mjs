// Builds the platform VSIX gord-linux-x64.vsix:
//   1. the release sidecar: cargo build --release -p gord (--locked when Cargo.lock exists);
//   2. copies it to bin/gord (mode 755);
//   3. vsce package, whose vscode:prepublish step bundles dist/extension.js (minified);
//   4. the UI part's VSIX gord-ui-linux-x64.vsix with the same bin/gord (package-ui.mjs).
//
//   node extension/scripts/package.mjs               all of the above
//   node extension/scripts/package.mjs --skip-cargo  package the bin/gord already there
//
// Every child process gets argv (no shell) and no standard input, so a prompt fails instead of hanging.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const skipCargo = process.argv.includes("--skip-cargo");
const target = "linux-x64";
const vsix = `gord-${target}.vsix`;
const binary = path.join(root, "bin", "gord");

function run(command, args) {
  console.log(`$ ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (result.error) {
    fail(`${command}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    fail(`${command} exited with ${result.status ?? `signal ${result.signal}`}`);
  }
}

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

// The marketplace README is the user's guide (extension/README.md); its
// screenshots are served from the repository, so the VSIX stays small.
const readme = path.join("extension", "README.md");
const imagesUrl = "https://github.com/gord-dev/gord/raw/HEAD/extension/";

for (const required of [readme, "LICENSE", "CHANGELOG.md"]) {
  if (!existsSync(path.join(root, required))) {
    fail(`${required} is missing; vsce needs it`);
  }
}

if (!skipCargo) {
  const locked = existsSync(path.join(root, "Cargo.lock")) ? ["--locked"] : [];
  run("cargo", ["build", "--release", "-p", "gord", ...locked]);
  const built = path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, "target"), "release", "gord");
  mkdirSync(path.dirname(binary), { recursive: true });
  copyFileSync(built, binary);
}
if (!existsSync(binary)) {
  fail(`${path.relative(root, binary)} is missing (run without --skip-cargo)`);
}
chmodSync(binary, 0o755);

const vsce = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "vsce.cmd" : "vsce");
run(vsce, [
  "package",
  "--target",
  target,
  "--no-dependencies",
  "--readme-path",
  readme,
  "--baseImagesUrl",
  imagesUrl,
  "-o",
  vsix,
]);
const size = statSync(path.join(root, vsix)).size;
console.log(`package: ${vsix}, ${(size / 1024 / 1024).toFixed(1)} MiB`);

// The UI part (extension-ui/): its own VSIX of the same target, with the same sidecar.
run(process.execPath, [path.join(root, "extension", "scripts", "package-ui.mjs"), "--target", target, "--production"]);
