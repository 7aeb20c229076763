// Builds the platform VSIXs: for each target, the release sidecar for that
// platform, then one VSIX per extension in EXTENSIONS, each carrying that
// sidecar as bin/gord (bin/gord.exe on Windows, mode 755).
//
//   npm run package                               every target in TARGETS
//   npm run package -- linux-arm64 win32-x64      only those (vsce target names)
//   npm run package -- --skip-cargo linux-x64     package the sidecars already built
//
// Cross builds need the tools scripts/install-deps installs (`scripts/install-deps cross`):
// cargo-zigbuild and zig in a venv under ~/.cache/gord, Debian's musl-tools and mingw-w64, and the
// rustup targets. Each target is built once into cargo's own target directory
// (target/<triple>/release/), so a second run only packages.
//
// Every child process gets argv (no shell) and no standard input, so a prompt fails instead of hanging.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

import { crc32 } from "node:zlib";

import { zipEntries } from "./zipModes.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

// The six platforms: the vsce target, the Rust target, how it is built.
//   zigbuild: `cargo zigbuild`, zig as C compiler and linker. `glibc` pins the glibc the binary links
//     against (the triple gets a `.2.28` suffix): VS Code's server runs on glibc 2.28 and later, and a
//     native Debian 12 build would need 2.34. macOS: MACOSX_DEPLOYMENT_TARGET, else zig stamps its
//     own (newer) minimum on the binary.
//   cargo: plain `cargo build`; the `cc` crate finds Debian's x86_64-linux-musl-gcc and
//     x86_64-w64-mingw32-gcc by itself. musl: no linker setting, so rustc links a static-pie.
const TARGETS = [
  { vsce: "linux-x64", triple: "x86_64-unknown-linux-gnu", tool: "zigbuild", glibc: "2.28" },
  { vsce: "linux-arm64", triple: "aarch64-unknown-linux-gnu", tool: "zigbuild", glibc: "2.28" },
  { vsce: "alpine-x64", triple: "x86_64-unknown-linux-musl", tool: "cargo" },
  { vsce: "win32-x64", triple: "x86_64-pc-windows-gnu", tool: "cargo", exe: "gord.exe" },
  {
    vsce: "darwin-x64",
    triple: "x86_64-apple-darwin",
    tool: "zigbuild",
    env: { MACOSX_DEPLOYMENT_TARGET: "11.0" },
  },
  {
    vsce: "darwin-arm64",
    triple: "aarch64-apple-darwin",
    tool: "zigbuild",
    env: { MACOSX_DEPLOYMENT_TARGET: "11.0" },
  },
];

// The extensions packaged per target, each with the same sidecar; the VSIX is
// <name>-<vsce target>.vsix at the root, with the sidecar at extension/<bin>/gord(.exe).
//   `dir` holds its package.json (relative to the repository), `bin` the folder the sidecar goes to
//   (relative to `dir`), `readme` the marketplace README (relative to `dir`);
//   or `script`: a packaging script of its own, given --target, --binary and --production
//   (the UI part, extension-ui/, whose script copies in the files it shares).
const EXTENSIONS = [
  { name: "gord", dir: ".", bin: "bin", readme: path.join("extension", "README.md") },
  { name: "gord-ui", bin: "bin", script: path.join("extension", "scripts", "package-ui.mjs") },
];

// The marketplace README's screenshots are served from the repository, so the VSIX stays small.
const imagesUrl = "https://github.com/gord-dev/gord/raw/HEAD/extension/";

function run(command, args, env = {}) {
  // PATH is the caller's with the venv in front: not worth a line of its own.
  const shown = Object.entries(env)
    .filter(([k]) => k !== "PATH")
    .map(([k, v]) => `${k}=${v} `);
  console.log(`$ ${shown.join("")}${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...env },
  });
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

function parseArgs(argv) {
  const skipCargo = argv.includes("--skip-cargo");
  const names = argv.filter((a) => a !== "--skip-cargo");
  for (const name of names) {
    if (name.startsWith("-")) {
      fail(`unknown option ${name} (options: --skip-cargo)`);
    }
    if (!TARGETS.some((t) => t.vsce === name)) {
      fail(`unknown target ${name} (targets: ${TARGETS.map((t) => t.vsce).join(", ")})`);
    }
  }
  const targets = names.length === 0 ? TARGETS : TARGETS.filter((t) => names.includes(t.vsce));
  return { skipCargo, targets };
}

// cargo-zigbuild comes from the venv scripts/install-deps makes (xbuild_venv_dir in scripts/lib.sh).
function pathWithXbuildVenv() {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  const bin = path.join(cache, "gord", "xbuild-venv", "bin");
  const current = process.env.PATH ?? "";
  return existsSync(bin) && !current.split(path.delimiter).includes(bin)
    ? `${bin}${path.delimiter}${current}`
    : current;
}

function targetDir() {
  return process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, "target");
}

/** Where cargo leaves the target's release sidecar (the `.2.28` suffix is not part of the directory). */
function builtSidecar(target, dir = targetDir()) {
  return path.join(dir, target.triple, "release", target.exe ?? "gord");
}

function buildSidecar(target, env) {
  const locked = existsSync(path.join(root, "Cargo.lock")) ? ["--locked"] : [];
  const triple = target.glibc ? `${target.triple}.${target.glibc}` : target.triple;
  const subcommand = target.tool === "zigbuild" ? "zigbuild" : "build";
  // <TRIPLE>_OPENSSL_NO_VENDOR=0: each sidecar carries its own static OpenSSL, built from source
  // for its target (.cargo/config.toml has builds for this machine use the system's).
  const noVendor = `${target.triple.toUpperCase().replaceAll("-", "_")}_OPENSSL_NO_VENDOR`;
  run("cargo", [subcommand, "--release", "-p", "gord", ...locked, "--target", triple], {
    ...env,
    [noVendor]: "0",
    ...target.env,
  });
}

function packageExtension(extension, target, sidecar) {
  if (extension.script) {
    run(process.execPath, [
      path.join(root, extension.script),
      "--target",
      target.vsce,
      "--binary",
      sidecar,
      "--production",
    ]);
    const vsix = path.join(root, `${extension.name}-${target.vsce}.vsix`);
    checkSidecarEntry(vsix, `extension/${path.posix.join(extension.bin, target.exe ?? "gord")}`, sidecar);
    return vsix;
  }
  const dir = path.join(root, extension.dir);
  for (const required of [extension.readme, "LICENSE", "CHANGELOG.md"]) {
    if (!existsSync(path.join(dir, required))) {
      fail(`${path.join(extension.dir, required)} is missing; vsce needs it`);
    }
  }
  // Only this target's sidecar: a gord.exe left from a Windows build must not ride along in the
  // linux VSIX, nor a gord in the Windows one.
  const binDir = path.join(dir, extension.bin);
  rmSync(path.join(binDir, "gord"), { force: true });
  rmSync(path.join(binDir, "gord.exe"), { force: true });
  mkdirSync(binDir, { recursive: true });
  const bundled = path.join(binDir, target.exe ?? "gord");
  copyFileSync(sidecar, bundled);
  chmodSync(bundled, 0o755);

  const vsix = path.join(root, `${extension.name}-${target.vsce}.vsix`);
  const vsce = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "vsce.cmd" : "vsce");
  const result = spawnSync(
    vsce,
    [
      "package",
      "--target",
      target.vsce,
      "--no-dependencies",
      "--readme-path",
      extension.readme,
      "--baseImagesUrl",
      imagesUrl,
      "-o",
      vsix,
    ],
    { cwd: dir, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (result.error || result.status !== 0) {
    fail(`vsce package --target ${target.vsce} (${extension.name}) failed: ${result.error?.message ?? `exit ${result.status}`}`);
  }
  checkSidecarEntry(vsix, `extension/${path.posix.join(extension.bin, target.exe ?? "gord")}`, sidecar);
  return vsix;
}

// The VSIX must carry this target's sidecar (same size and CRC-32: not another run's bin/gord)
// with its executable bit: VS Code keeps the mode a zip entry records when it installs the
// extension, and a sidecar without it does not start.
function checkSidecarEntry(vsix, entry, sidecar) {
  const entries = zipEntries(readFileSync(vsix));
  const modes = new Map([...entries].map(([name, e]) => [name, e.mode]));
  const found = entries.get(entry);
  if (found === undefined) {
    fail(`${path.basename(vsix)} has no ${entry}`);
  }
  const built = readFileSync(sidecar);
  if (found.size !== built.length || found.crc32 !== crc32(built)) {
    fail(`${path.basename(vsix)}: ${entry} is not ${path.relative(root, sidecar)} (another package run at the same time?)`);
  }
  const mode = found.mode;
  if ((mode & 0o111) === 0) {
    fail(`${path.basename(vsix)}: ${entry} has mode ${mode.toString(8)}, not executable`);
  }
  const strays = [...modes.keys()].filter((name) => /^extension\/bin\/gord(\.exe)?$/.test(name) && name !== entry);
  if (strays.length > 0) {
    fail(`${path.basename(vsix)} also carries ${strays.join(", ")}`);
  }
}

function mib(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function main() {
  const { skipCargo, targets } = parseArgs(process.argv.slice(2));
  const env = { PATH: pathWithXbuildVenv() };
  if (!skipCargo && targets.some((t) => t.tool === "zigbuild")) {
    const probe = spawnSync("cargo-zigbuild", ["--help"], { stdio: "ignore", env: { ...process.env, ...env } });
    if (probe.error) {
      fail("cargo-zigbuild is not installed: run `scripts/install-deps cross` (zig and cargo-zigbuild into ~/.cache/gord/xbuild-venv)");
    }
  }
  const made = [];
  for (const target of targets) {
    const sidecar = builtSidecar(target);
    if (!skipCargo) {
      buildSidecar(target, env);
    }
    if (!existsSync(sidecar)) {
      fail(`${path.relative(root, sidecar)} is missing (run without --skip-cargo)`);
    }
    for (const extension of EXTENSIONS) {
      const vsix = packageExtension(extension, target, sidecar);
      made.push({ vsix, sidecar });
    }
    // scripts/test starts the end-to-end tests once the linux-x64 VSIXs are made, while the
    // other targets still build.
    console.log(`package: ${target.vsce} done`);
  }
  console.log("");
  for (const { vsix, sidecar } of made) {
    console.log(
      `package: ${path.basename(vsix)}, ${mib(statSync(vsix).size)} (sidecar ${mib(statSync(sidecar).size)})`,
    );
  }
}

main();
