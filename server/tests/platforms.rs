//! The release sidecars of the six platform VSIXs, as `npm run package` builds
//! them into `target/<triple>/release/`: their format, architecture and the
//! oldest system each needs, read from the binaries; the linux-arm64 one run
//! under qemu-user, the alpine one run here as a static binary, the win32 one
//! run under Wine. Nothing here runs the darwin ones: they are checked for
//! format, architecture and minimum macOS only.
//!
//! `scripts/test platforms` builds the sidecars first. A sidecar, Wine or
//! qemu missing fails the test in CI (`CI` set) and is a recorded skip on a
//! developer's machine, each time saying how to get it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use object::read::elf::{ElfFile64, FileHeader as _, ProgramHeader as _};
use object::read::macho::MachOFile64;
use object::{Architecture, BinaryFormat, Endianness, Object as _};
use serde_json::{json, Value};

use crate::common::{self, editor::Editor};

/// One platform VSIX's sidecar, as extension/scripts/package.mjs builds it.
struct Platform {
    vsce: &'static str,
    triple: &'static str,
    exe: &'static str,
}

const LINUX_X64: Platform = Platform {
    vsce: "linux-x64",
    triple: "x86_64-unknown-linux-gnu",
    exe: "gord",
};
const LINUX_ARM64: Platform = Platform {
    vsce: "linux-arm64",
    triple: "aarch64-unknown-linux-gnu",
    exe: "gord",
};
const ALPINE_X64: Platform = Platform {
    vsce: "alpine-x64",
    triple: "x86_64-unknown-linux-musl",
    exe: "gord",
};
const WIN32_X64: Platform = Platform {
    vsce: "win32-x64",
    triple: "x86_64-pc-windows-gnu",
    exe: "gord.exe",
};
const DARWIN_X64: Platform = Platform {
    vsce: "darwin-x64",
    triple: "x86_64-apple-darwin",
    exe: "gord",
};
const DARWIN_ARM64: Platform = Platform {
    vsce: "darwin-arm64",
    triple: "aarch64-apple-darwin",
    exe: "gord",
};

/// The oldest glibc VS Code's server runs on; a Linux sidecar must not need a newer one.
const GLIBC_FLOOR: [u32; 2] = [2, 28];
/// The oldest macOS the darwin sidecars are built for (MACOSX_DEPLOYMENT_TARGET).
const MACOS_FLOOR: [u32; 2] = [11, 0];

const INSTALL_CROSS: &str = "run `scripts/install-deps cross` (or: apt-get install qemu-user libc6-arm64-cross wine wine64 gcc-mingw-w64-x86-64)";

/// A platform test that cannot run here: a failure in CI, where
/// `scripts/install-deps` and the package step provide everything, else a
/// recorded skip. Returns so the caller can `return` right after.
fn unavailable(test: &str, reason: &str) {
    if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
        panic!("{test}: {reason} (CI must provide it)");
    }
    common::skip(test, reason);
}

/// The built sidecar of `platform`, or None (after [`unavailable`]) when it
/// was not built.
fn sidecar(test: &str, platform: &Platform) -> Option<PathBuf> {
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                common::repo_root().join(dir)
            }
        })
        .unwrap_or_else(|| common::repo_root().join("target"));
    let path = target_dir
        .join(platform.triple)
        .join("release")
        .join(platform.exe);
    if path.is_file() {
        Some(path)
    } else {
        unavailable(
            test,
            &format!(
                "{} is not built: run `npm run package -- {}` (after `scripts/install-deps cross`)",
                path.display(),
                platform.vsce
            ),
        );
        None
    }
}

/// `program` found in a PATH directory, as a shell would.
fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// What the ELF loader needs: machine, type, interpreter, needed libraries
/// and the symbol versions required of them.
struct ElfFacts {
    machine: object::elf::Machine,
    kind: object::elf::FileType,
    interpreter: Option<String>,
    needed: Vec<String>,
    versions: Vec<String>,
}

fn elf_facts(data: &[u8]) -> ElfFacts {
    let file = ElfFile64::<Endianness>::parse(data).expect("an ELF64 file");
    let endian = file.endian();
    let header = file.elf_header();
    let interpreter = file
        .elf_program_headers()
        .iter()
        .find_map(|ph| ph.interpreter(endian, data).expect("a readable PT_INTERP"))
        .map(|name| String::from_utf8_lossy(name).into_owned());
    let dynamic = file.elf_dynamic_table().expect("a readable dynamic table");
    let needed = dynamic
        .iter()
        .filter(|d| d.tag == object::elf::DT_NEEDED)
        .map(|d| String::from_utf8_lossy(dynamic.string(d).expect("a NEEDED name")).into_owned())
        .collect();
    let mut versions = Vec::new();
    let sections = file.elf_section_table();
    if let Some((mut needs, link)) = sections.gnu_verneed(endian, data).expect("verneed") {
        let strings = sections
            .strings(endian, data, link)
            .expect("verneed strings");
        while let Some((_need, mut auxes)) = needs.next().expect("a verneed entry") {
            while let Some(aux) = auxes.next().expect("a vernaux entry") {
                let name = aux.name(endian, strings).expect("a version name");
                versions.push(String::from_utf8_lossy(name).into_owned());
            }
        }
    }
    ElfFacts {
        machine: header.e_machine(endian),
        kind: header.e_type(endian),
        interpreter,
        needed,
        versions,
    }
}

/// "2.28" of "GLIBC_2.28" as [2, 28]; "GLIBC_2.2.5" as [2, 2, 5].
fn glibc_version(name: &str) -> Option<Vec<u32>> {
    name.strip_prefix("GLIBC_")?
        .split('.')
        .map(|part| part.parse().ok())
        .collect()
}

#[test]
fn glibc_versions_read_from_symbol_version_names_compare_as_numbers() {
    assert_eq!(glibc_version("GLIBC_2.28"), Some(vec![2, 28]));
    assert_eq!(glibc_version("GLIBC_2.2.5"), Some(vec![2, 2, 5]));
    assert_eq!(glibc_version("GLIBC_PRIVATE"), None);
    assert_eq!(glibc_version("GCC_3.0"), None);
    assert!(glibc_version("GLIBC_2.34").unwrap().as_slice() > GLIBC_FLOOR.as_slice());
    assert!(glibc_version("GLIBC_2.3.4").unwrap().as_slice() <= GLIBC_FLOOR.as_slice());
}

/// Libraries no sidecar may need at run time: OpenSSL and zlib are linked in
/// statically, and libgcc_s is not on every system.
const BUNDLED_LIBRARIES: [&str; 5] = ["libssl", "libcrypto", "libz", "libgcc_s", "libstdc++"];

#[test]
fn linux_sidecars_need_glibc_2_28_at_most() {
    let test = "platforms::linux_sidecars_need_glibc_2_28_at_most";
    for platform in [&LINUX_X64, &LINUX_ARM64] {
        let Some(path) = sidecar(test, platform) else {
            return;
        };
        let facts = elf_facts(&std::fs::read(&path).unwrap());
        let glibc: Vec<(&String, Option<Vec<u32>>)> = facts
            .versions
            .iter()
            .filter(|v| v.starts_with("GLIBC_"))
            .map(|v| (v, glibc_version(v)))
            .collect();
        assert!(
            !glibc.is_empty(),
            "{}: no GLIBC_ version needed at all: {:?}",
            platform.vsce,
            facts.versions
        );
        let unreadable: Vec<&String> = glibc
            .iter()
            .filter(|(_, n)| n.is_none())
            .map(|(v, _)| *v)
            .collect();
        assert!(
            unreadable.is_empty(),
            "{}: needs {unreadable:?}",
            platform.vsce
        );
        let (highest, number) = glibc
            .iter()
            .filter_map(|(v, n)| n.as_ref().map(|n| (*v, n)))
            .max_by(|a, b| a.1.cmp(b.1))
            .unwrap();
        println!(
            "{}: highest glibc symbol version {highest}; needs {:?}",
            platform.vsce, facts.needed
        );
        assert!(
            number.as_slice() <= GLIBC_FLOOR.as_slice(),
            "{}: needs {highest}, newer than glibc 2.28 (VS Code's server runs on 2.28): build it with cargo zigbuild --target {}.2.28",
            platform.vsce,
            platform.triple
        );
        for library in &facts.needed {
            assert!(
                !BUNDLED_LIBRARIES.iter().any(|b| library.starts_with(b)),
                "{}: needs {library} at run time: {:?}",
                platform.vsce,
                facts.needed
            );
        }
    }
}

#[test]
fn linux_sidecars_are_elf_for_their_architecture_and_alpine_s_is_static_pie() {
    let test =
        "platforms::linux_sidecars_are_elf_for_their_architecture_and_alpine_s_is_static_pie";
    for (platform, machine, interpreter) in [
        (
            &LINUX_X64,
            object::elf::EM_X86_64,
            Some("/lib64/ld-linux-x86-64.so.2"),
        ),
        (
            &LINUX_ARM64,
            object::elf::EM_AARCH64,
            Some("/lib/ld-linux-aarch64.so.1"),
        ),
        (&ALPINE_X64, object::elf::EM_X86_64, None),
    ] {
        let Some(path) = sidecar(test, platform) else {
            return;
        };
        let facts = elf_facts(&std::fs::read(&path).unwrap());
        assert_eq!(facts.machine, machine, "{}: e_machine", platform.vsce);
        assert_eq!(
            facts.interpreter.as_deref(),
            interpreter,
            "{}: PT_INTERP",
            platform.vsce
        );
        // Position-independent (ET_DYN), the alpine one too: static-pie.
        assert_eq!(facts.kind, object::elf::ET_DYN, "{}: e_type", platform.vsce);
        if interpreter.is_none() {
            assert!(
                facts.needed.is_empty(),
                "alpine-x64 needs {:?}",
                facts.needed
            );
            assert!(
                facts.versions.is_empty(),
                "alpine-x64 needs {:?}",
                facts.versions
            );
        }
        println!(
            "{}: ELF {:?}, interpreter {}, {} needed libraries",
            platform.vsce,
            object::File::parse(&*std::fs::read(&path).unwrap())
                .unwrap()
                .architecture(),
            facts.interpreter.as_deref().unwrap_or("none (static-pie)"),
            facts.needed.len()
        );
    }
}

/// DLLs a Windows sidecar may import: Windows' own. A MinGW runtime DLL
/// (libgcc_s_seh, libwinpthread) or an OpenSSL/zlib DLL would not be on the
/// user's machine.
const WINDOWS_DLLS: [&str; 10] = [
    "advapi32.dll",
    "bcrypt.dll",
    "bcryptprimitives.dll",
    "crypt32.dll",
    "kernel32.dll",
    "ntdll.dll",
    "msvcrt.dll",
    "user32.dll",
    "userenv.dll",
    "ws2_32.dll",
];

#[test]
fn the_windows_sidecar_is_pe_x86_64_importing_only_windows_own_dlls() {
    let test = "platforms::the_windows_sidecar_is_pe_x86_64_importing_only_windows_own_dlls";
    let Some(path) = sidecar(test, &WIN32_X64) else {
        return;
    };
    let data = std::fs::read(&path).unwrap();
    let file = object::File::parse(&*data).unwrap();
    assert_eq!(file.format(), BinaryFormat::Pe);
    assert_eq!(file.architecture(), Architecture::X86_64);
    let mut dlls: Vec<String> = file
        .imports()
        .unwrap()
        .map(|import| String::from_utf8_lossy(import.unwrap().library()).to_ascii_lowercase())
        .collect();
    dlls.sort();
    dlls.dedup();
    let foreign: Vec<&String> = dlls
        .iter()
        .filter(|dll| !WINDOWS_DLLS.contains(&dll.as_str()) && !dll.starts_with("api-ms-win-"))
        .collect();
    assert!(
        foreign.is_empty(),
        "win32-x64 imports DLLs Windows does not ship: {foreign:?}"
    );
    println!("win32-x64: PE x86_64, imports {dlls:?}");
}

#[test]
fn the_darwin_sidecars_are_mach_o_for_their_architecture_and_macos_11() {
    let test = "platforms::the_darwin_sidecars_are_mach_o_for_their_architecture_and_macos_11";
    for (platform, architecture) in [
        (&DARWIN_X64, Architecture::X86_64),
        (&DARWIN_ARM64, Architecture::Aarch64),
    ] {
        let Some(path) = sidecar(test, platform) else {
            return;
        };
        let data = std::fs::read(&path).unwrap();
        let file = MachOFile64::<Endianness>::parse(&*data).expect("a 64-bit Mach-O file");
        assert_eq!(file.architecture(), architecture, "{}", platform.vsce);
        let endian = file.endian();
        let (build, _tools) = file
            .build_version()
            .unwrap()
            .unwrap_or_else(|| panic!("{}: no LC_BUILD_VERSION", platform.vsce));
        assert_eq!(
            build.platform.get(endian),
            object::macho::PLATFORM_MACOS,
            "{}",
            platform.vsce
        );
        let minos = build.minos.get(endian).0;
        let minos = [minos >> 16, (minos >> 8) & 0xff];
        assert!(
            minos.as_slice() <= MACOS_FLOOR.as_slice(),
            "{}: minos {}.{}, newer than macOS 11.0 (set MACOSX_DEPLOYMENT_TARGET)",
            platform.vsce,
            minos[0],
            minos[1]
        );
        // Apple Silicon runs no unsigned code: the linker's ad-hoc signature must be there.
        let mut commands = file.macho_load_commands().unwrap();
        let mut signed = false;
        while let Some(command) = commands.next().unwrap() {
            signed |= command.cmd() == object::macho::LC_CODE_SIGNATURE;
        }
        if architecture == Architecture::Aarch64 {
            assert!(
                signed,
                "darwin-arm64 has no LC_CODE_SIGNATURE: macOS on arm64 refuses it"
            );
        }
        println!(
            "{}: Mach-O {architecture:?}, minos {}.{}{} (format only: nothing here runs macOS binaries)",
            platform.vsce,
            minos[0],
            minos[1],
            if signed { ", ad-hoc signed" } else { "" }
        );
    }
}

/// The example ssh config (examples/hello-remote) with its ControlPath
/// sockets moved under /tmp, as the CLI snapshots do: under ~/.ssh their
/// findings would depend on the home directory, which differs between Linux
/// and Wine's Windows.
fn example_ssh_config(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(
        common::repo_root().join("examples/hello-remote/ssh_config.example"),
    )
    .unwrap();
    let moved: String = text
        .lines()
        .map(
            |line| match line.trim_start().strip_prefix("ControlPath ~/.ssh/") {
                Some(rest) => format!("    ControlPath /tmp/{rest}\n"),
                None => format!("{line}\n"),
            },
        )
        .collect();
    let path = dir.join("ssh_config");
    std::fs::write(&path, moved).unwrap();
    path
}

/// The findings of a `gord ssh lint --format json` report, each reduced to
/// what a user reads: code, severity, message, line and column.
fn findings_of(report: &str, rename: impl Fn(&str) -> String) -> Vec<Value> {
    let report: Value = serde_json::from_str(report).unwrap_or_else(|e| panic!("{e}: {report}"));
    report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings in {report:#}"))
        .iter()
        .map(|f| {
            json!({
                "code": f["code"],
                "severity": f["severity"],
                "message": rename(common::str_of(&f["message"])),
                "file": rename(common::str_of(&f["subject"]["path"])),
                "start": f["subject"]["range"]["start"],
            })
        })
        .collect()
}

/// `gord ssh lint` on `config` by the sidecar `program` run through
/// `runner` (qemu, wine or nothing), following OpenSSH 9.2p1 as Debian
/// builds it: the same release on every platform, whatever ssh each finds.
fn ssh_lint_json(runner: &[&str], program: &Path, config: &str, env: &[(&str, &str)]) -> Output {
    let (first, rest) = match runner.split_first() {
        Some((first, rest)) => (PathBuf::from(first), rest),
        None => (program.to_path_buf(), &[][..]),
    };
    let mut command = Command::new(first);
    command.args(rest);
    if !runner.is_empty() {
        command.arg(program);
    }
    command
        .args([
            "ssh",
            "lint",
            "--ssh-version",
            "9.2p1-debian",
            "--format",
            "json",
            "--fail-on",
            "never",
            "-F",
            config,
        ])
        .envs(env.iter().copied())
        .stdin(Stdio::null());
    command.output().unwrap()
}

/// The findings the native build of this source reports on `config`.
fn native_findings(config: &Path) -> Vec<Value> {
    let output = ssh_lint_json(
        &[],
        Path::new(common::gord()),
        &config.display().to_string(),
        &[],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    findings_of(&String::from_utf8_lossy(&output.stdout), str::to_string)
}

/// `--version` of a sidecar run through `runner`: `gord <version>`.
fn assert_version(runner: &[&str], program: &Path, env: &[(&str, &str)]) {
    let mut command = match runner.split_first() {
        Some((first, rest)) => {
            let mut command = Command::new(first);
            command.args(rest).arg(program);
            command
        }
        None => Command::new(program),
    };
    let output = command
        .arg("--version")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "--version: {:?} {stdout} {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(stdout.trim(), format!("gord {}", env!("CARGO_PKG_VERSION")));
}

/// An LSP session over the sidecar's stdio on the example config: initialize,
/// open it, and the diagnostics it publishes, reduced to code, severity,
/// message and range.
fn lsp_diagnostics(command: Command, root_uri: &str, config_uri: &str, text: &str) -> Vec<Value> {
    let mut editor = Editor::start_command(command);
    editor.ignore(&[
        "window/logMessage",
        "gord/status",
        "window/workDoneProgress/create",
        "$/progress",
    ]);
    let init = editor.request(
        "initialize",
        Some(json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "workspaceFolders": [{ "uri": root_uri, "name": "ws" }],
            "capabilities": {},
            "initializationOptions": {},
        })),
    );
    assert!(init["result"]["capabilities"].is_object(), "{init:#}");
    editor.notify("initialized", json!({}));
    editor.open(config_uri, "ssh_config", 1, text);
    let published = editor.wait_diagnostics(config_uri, |d| !d.is_empty());
    let shutdown = editor.request("shutdown", None);
    assert!(shutdown.get("error").is_none(), "{shutdown:#}");
    editor.notify("exit", json!(null));
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while editor.child.try_wait().unwrap().is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not exit after `exit`"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    editor.take_all(|_| true);
    editor.finish();
    let mut reduced: Vec<Value> = published
        .iter()
        .map(|d| json!({ "code": d["code"], "severity": d["severity"], "message": d["message"], "range": d["range"] }))
        .collect();
    reduced.sort_by_key(|d| d.to_string());
    reduced
}

/// The environment of a Linux `gord serve` in these tests: HOME is `dir`,
/// and PATH an empty directory, so no ssh is found there. A sidecar under
/// Wine finds none either (Windows' PATH has no ssh), and without one gord
/// follows the newest OpenSSH it knows, on every platform alike.
fn linux_serve_env(dir: &Path) -> [(&'static str, PathBuf); 2] {
    let empty = dir.join("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    [("HOME", dir.to_path_buf()), ("PATH", empty)]
}

/// The LSP diagnostics the native build publishes for the example config.
fn native_lsp_diagnostics(dir: &Path, config: &Path) -> Vec<Value> {
    let mut command = Command::new(common::gord());
    command.arg("serve").envs(linux_serve_env(dir));
    let text = std::fs::read_to_string(config).unwrap();
    lsp_diagnostics(
        command,
        &format!("file://{}", dir.display()),
        &format!("file://{}", config.display()),
        &text,
    )
}

const QEMU_SYSROOT: &str = "/usr/aarch64-linux-gnu";

#[test]
fn the_linux_arm64_sidecar_runs_under_qemu_user() {
    let test = "platforms::the_linux_arm64_sidecar_runs_under_qemu_user";
    let Some(program) = sidecar(test, &LINUX_ARM64) else {
        return;
    };
    let Some(qemu) = on_path("qemu-aarch64") else {
        return unavailable(
            test,
            &format!("qemu-aarch64 is not installed: {INSTALL_CROSS}"),
        );
    };
    if !Path::new(QEMU_SYSROOT)
        .join("lib/ld-linux-aarch64.so.1")
        .exists()
    {
        return unavailable(
            test,
            &format!("{QEMU_SYSROOT} has no arm64 glibc: {INSTALL_CROSS}"),
        );
    }
    let qemu = qemu.display().to_string();
    let runner = [qemu.as_str(), "-L", QEMU_SYSROOT];
    assert_version(&runner, &program, &[]);

    let dir = tempfile::tempdir().unwrap();
    let config = example_ssh_config(dir.path());
    let output = ssh_lint_json(&runner, &program, &config.display().to_string(), &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let findings = findings_of(&String::from_utf8_lossy(&output.stdout), str::to_string);
    assert!(!findings.is_empty());
    assert_eq!(
        findings,
        native_findings(&config),
        "linux-arm64 under qemu vs this machine's build"
    );

    let mut command = Command::new(&qemu);
    command
        .args(["-L", QEMU_SYSROOT])
        .arg(&program)
        .arg("serve")
        .envs(linux_serve_env(dir.path()));
    let text = std::fs::read_to_string(&config).unwrap();
    let diagnostics = lsp_diagnostics(
        command,
        &format!("file://{}", dir.path().display()),
        &format!("file://{}", config.display()),
        &text,
    );
    assert_eq!(
        diagnostics,
        native_lsp_diagnostics(dir.path(), &config),
        "LSP: linux-arm64 under qemu vs this machine's build"
    );
    println!("linux-arm64 under qemu-user: --version, ssh lint ({} findings) and an LSP session ({} diagnostics) as here", findings.len(), diagnostics.len());
}

#[test]
fn the_alpine_sidecar_runs_here_as_a_static_binary() {
    let test = "platforms::the_alpine_sidecar_runs_here_as_a_static_binary";
    let Some(program) = sidecar(test, &ALPINE_X64) else {
        return;
    };
    assert_version(&[], &program, &[]);
    let dir = tempfile::tempdir().unwrap();
    let config = example_ssh_config(dir.path());
    let output = ssh_lint_json(&[], &program, &config.display().to_string(), &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let findings = findings_of(&String::from_utf8_lossy(&output.stdout), str::to_string);
    assert_eq!(
        findings,
        native_findings(&config),
        "alpine-x64 vs this machine's build"
    );
    println!(
        "alpine-x64: --version and ssh lint ({} findings) as here",
        findings.len()
    );
}

/// A private Wine prefix in a temporary directory, made ready to run the
/// win32-x64 sidecar; its wineserver is stopped when dropped.
struct WinePrefix {
    dir: tempfile::TempDir,
    wine: PathBuf,
}

/// Wine 8 (Debian 12) has no bcryptprimitives.dll, whose ProcessPrng Rust's
/// std on Windows imports (real Windows 10 and later has it): a stand-in
/// over BCryptGenRandom, built here for the test prefix only and never
/// shipped.
const PROCESS_PRNG_SHIM: &str = "#include <windows.h>\n#include <bcrypt.h>\n\
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {\n\
  return BCryptGenRandom(NULL, data, (ULONG)len, BCRYPT_USE_SYSTEM_PREFERRED_RNG) == 0;\n}\n";

impl WinePrefix {
    /// None (after [`unavailable`]) when Wine or mingw-w64 is missing.
    fn new(test: &str) -> Option<WinePrefix> {
        let Some(wine) = on_path("wine") else {
            unavailable(test, &format!("wine is not installed: {INSTALL_CROSS}"));
            return None;
        };
        let Some(gcc) = on_path("x86_64-w64-mingw32-gcc") else {
            unavailable(test, &format!("x86_64-w64-mingw32-gcc (for the test's bcryptprimitives.dll) is not installed: {INSTALL_CROSS}"));
            return None;
        };
        let prefix = WinePrefix {
            dir: tempfile::tempdir().unwrap(),
            wine,
        };
        let boot = prefix
            .command()
            .args(["wineboot", "--init"])
            .output()
            .unwrap();
        assert!(boot.status.success(), "wineboot: {boot:?}");
        let system32 = prefix.dir.path().join("prefix/drive_c/windows/system32");
        assert!(system32.is_dir(), "wineboot made no {}", system32.display());
        let src = prefix.dir.path().join("shim");
        std::fs::create_dir(&src).unwrap();
        std::fs::write(src.join("bcp.c"), PROCESS_PRNG_SHIM).unwrap();
        std::fs::write(
            src.join("bcp.def"),
            "LIBRARY bcryptprimitives\nEXPORTS\nProcessPrng\n",
        )
        .unwrap();
        let built = Command::new(gcc)
            .current_dir(&src)
            .args(["-O2", "-shared", "-o"])
            .arg(system32.join("bcryptprimitives.dll"))
            .args(["bcp.c", "bcp.def", "-lbcrypt"])
            .output()
            .unwrap();
        assert!(
            built.status.success(),
            "the ProcessPrng shim: {}",
            String::from_utf8_lossy(&built.stderr)
        );
        Some(prefix)
    }

    fn env(&self) -> [(&'static str, String); 3] {
        [
            (
                "WINEPREFIX",
                self.dir.path().join("prefix").display().to_string(),
            ),
            // No "wine32 is missing" hint and no debug channels on stderr.
            ("WINEDEBUG", "-all".to_string()),
            // No Mono or Gecko installer: the sidecar needs neither.
            ("WINEDLLOVERRIDES", "mscoree,mshtml=".to_string()),
        ]
    }

    /// `wine` in this prefix, with no display.
    fn command(&self) -> Command {
        let mut command = Command::new(&self.wine);
        command
            .envs(self.env())
            .env_remove("DISPLAY")
            .stdin(Stdio::null());
        command
    }
}

impl Drop for WinePrefix {
    fn drop(&mut self) {
        // The prefix's wineserver lingers a few seconds after its last process.
        let _ = Command::new("wineserver")
            .arg("-k")
            .envs(self.env())
            .status();
    }
}

/// Where Windows and Linux rightly differ on the example config: SSH008
/// (ControlMaster, which Win32-OpenSSH does not implement) fires on Windows
/// only, at each `ControlMaster auto` line; SSH031 (the ControlPath's
/// directory is missing) only where connection sharing works. Everything
/// else must be equal, in order.
fn assert_same_but_platform_rules(windows: &[Value], linux: &[Value], config: &str, what: &str) {
    let line_of = |v: &Value| {
        v.get("start")
            .unwrap_or(&v["range"]["start"])
            .get("line")
            .and_then(Value::as_u64)
            .unwrap_or_else(|| panic!("no line in {v}"))
    };
    let split = |list: &[Value], code: &str| -> (Vec<Value>, Vec<u64>) {
        let (only, rest): (Vec<&Value>, Vec<&Value>) = list.iter().partition(|v| v["code"] == code);
        (
            rest.into_iter().cloned().collect(),
            only.into_iter().map(line_of).collect(),
        )
    };
    let (windows_rest, ssh008) = split(windows, "SSH008");
    let (linux_rest, ssh031) = split(linux, "SSH031");
    assert_eq!(windows_rest, linux_rest, "{what}");
    let control_master: Vec<u64> = config
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim_start().starts_with("ControlMaster auto"))
        .map(|(n, _)| n as u64)
        .collect();
    assert!(
        !control_master.is_empty(),
        "the example has no ControlMaster auto line"
    );
    let mut ssh008 = ssh008;
    ssh008.sort_unstable();
    assert_eq!(
        ssh008, control_master,
        "{what}: SSH008 on Windows at each ControlMaster auto line"
    );
    assert!(
        !ssh031.is_empty(),
        "{what}: Linux reports the missing socket directory (SSH031)"
    );
    assert!(
        !linux.iter().any(|v| v["code"] == "SSH008")
            && !windows.iter().any(|v| v["code"] == "SSH031"),
        "{what}: SSH008 is Windows' and SSH031 Linux's"
    );
}

/// The Windows spelling of a path on this machine: Wine's drive Z: is `/`.
fn windows_path(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

#[test]
fn the_win32_sidecar_under_wine_finds_what_the_linux_one_finds() {
    let test = "platforms::the_win32_sidecar_under_wine_finds_what_the_linux_one_finds";
    let Some(program) = sidecar(test, &WIN32_X64) else {
        return;
    };
    let Some(prefix) = WinePrefix::new(test) else {
        return;
    };
    let mut version = prefix.command();
    let output = version.arg(&program).arg("--version").output().unwrap();
    assert!(
        output.status.success(),
        "wine gord.exe --version: {output:?}"
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!("gord {}", env!("CARGO_PKG_VERSION"))
    );

    // The CLI, on the config named by its Windows path.
    let dir = tempfile::tempdir().unwrap();
    let config = example_ssh_config(dir.path());
    let windows_config = windows_path(&config);
    let linux_config = config.display().to_string();
    let output = prefix
        .command()
        .arg(&program)
        .args([
            "ssh",
            "lint",
            "--ssh-version",
            "9.2p1-debian",
            "--format",
            "json",
            "--fail-on",
            "never",
            "-F",
            &windows_config,
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        report.contains(&windows_config.replace('\\', "\\\\")),
        "the report names the Windows path: {report}"
    );
    let findings = findings_of(&report, |s| s.replace(&windows_config, &linux_config));
    assert!(!findings.is_empty());
    let text = std::fs::read_to_string(&config).unwrap();
    assert_same_but_platform_rules(
        &findings,
        &native_findings(&config),
        &text,
        "win32-x64 under Wine (Windows path mapped back) vs this machine's build",
    );

    // An LSP session over stdio, with Windows file URIs.
    let mut serve = prefix.command();
    serve.arg(&program).arg("serve");
    let diagnostics = lsp_diagnostics(
        serve,
        &format!("file:///{}", windows_path(dir.path()).replace('\\', "/")),
        &format!("file:///{}", windows_config.replace('\\', "/")),
        &text,
    );
    // Messages name the config by its path: the Windows one, mapped back.
    let diagnostics: Vec<Value> = diagnostics
        .into_iter()
        .map(|mut diagnostic| {
            if let Some(message) = diagnostic["message"].as_str() {
                let mapped = message.replace(&windows_config, &linux_config);
                diagnostic["message"] = Value::String(mapped);
            }
            diagnostic
        })
        .collect();
    assert_same_but_platform_rules(
        &diagnostics,
        &native_lsp_diagnostics(dir.path(), &config),
        &text,
        "LSP: win32-x64 under Wine vs this machine's build",
    );
    println!(
        "win32-x64 under Wine: --version, ssh lint on {windows_config} ({} findings) and an LSP session ({} diagnostics) as here",
        findings.len(),
        diagnostics.len()
    );
}

#[test]
fn the_linux_x64_sidecar_runs_here_and_finds_what_this_build_finds() {
    let test = "platforms::the_linux_x64_sidecar_runs_here_and_finds_what_this_build_finds";
    let Some(program) = sidecar(test, &LINUX_X64) else {
        return;
    };
    assert_version(&[], &program, &[]);
    let dir = tempfile::tempdir().unwrap();
    let config = example_ssh_config(dir.path());
    let output = ssh_lint_json(&[], &program, &config.display().to_string(), &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let findings = findings_of(&String::from_utf8_lossy(&output.stdout), str::to_string);
    assert!(!findings.is_empty());
    assert_eq!(
        findings,
        native_findings(&config),
        "linux-x64 (glibc 2.28 build) vs this machine's build"
    );

    let mut command = Command::new(&program);
    command.arg("serve").envs(linux_serve_env(dir.path()));
    let text = std::fs::read_to_string(&config).unwrap();
    let diagnostics = lsp_diagnostics(
        command,
        &format!("file://{}", dir.path().display()),
        &format!("file://{}", config.display()),
        &text,
    );
    assert_eq!(
        diagnostics,
        native_lsp_diagnostics(dir.path(), &config),
        "LSP: linux-x64 vs this machine's build"
    );
    println!(
        "linux-x64: --version, ssh lint ({} findings) and an LSP session ({} diagnostics) as this machine's build",
        findings.len(),
        diagnostics.len()
    );
}

/// Writes `text` to `path` with Unix `mode`: under Wine the mode is the ACL
/// (SYSTEM, the owner, and Everyone from the "other" bits).
fn write_with_mode(path: &Path, text: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The win32 sidecar judges real files' ACLs as Win32-OpenSSH does (SSH043).
/// Wine reports a DACL made from the Unix mode and a file of another Unix
/// user as owned by ANONYMOUS LOGON; it does not keep ACLs set through
/// `SetFileSecurityW`, and its icacls is a stub, so the test sets ACLs by
/// mode and owner (the other cases are the unit tests' of ssh/windows/acl.rs).
#[test]
fn the_win32_sidecar_under_wine_refuses_what_win32_openssh_refuses_by_acl() {
    let test = "platforms::the_win32_sidecar_under_wine_refuses_what_win32_openssh_refuses_by_acl";
    let Some(program) = sidecar(test, &WIN32_X64) else {
        return;
    };
    let Some(prefix) = WinePrefix::new(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ssh files");
    std::fs::create_dir_all(root.join("conf.d")).unwrap();
    std::fs::create_dir_all(root.join("keys")).unwrap();
    // Everyone may write it: ssh refuses the config.
    write_with_mode(&root.join("conf.d/open.conf"), "Host open\n", 0o666);
    write_with_mode(&root.join("conf.d/private.conf"), "Host private\n", 0o600);
    // Everyone may read it: fine for a config, not for a key.
    write_with_mode(&root.join("conf.d/readable.conf"), "Host readable\n", 0o644);
    write_with_mode(&root.join("keys/readable"), "key", 0o644);
    write_with_mode(&root.join("keys/private"), "key", 0o600);
    let config = root.join("config");
    let text = format!(
        "Include \"{}\\conf.d\\*.conf\"\nHost a\n  IdentityFile \"{}\"\n  IdentityFile \"{}\"\n",
        windows_path(&root),
        windows_path(&root.join("keys/readable")),
        windows_path(&root.join("keys/private")).replace('\\', "/"),
    );
    write_with_mode(&config, &text, 0o600);

    let output = prefix
        .command()
        .arg(&program)
        .args(["ssh", "lint", "-F", &windows_path(&config), "-f", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    let acl: Vec<(u64, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SSH043")
        .map(|f| {
            (
                f["subject"]["range"]["start"]["line"]
                    .as_u64()
                    .unwrap_or(99),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(acl.len(), 2, "{acl:#?}\n{stdout}");
    assert_eq!(acl[0].0, 0);
    assert!(acl[0].1.contains("open.conf\""), "{}", acl[0].1);
    assert!(acl[0].1.contains("Everyone (S-1-1-0) has"), "{}", acl[0].1);
    assert_eq!(acl[1].0, 2);
    assert!(acl[1].1.contains("are too open."), "{}", acl[1].1);
    assert!(acl[1].1.contains("readable"), "{}", acl[1].1);

    // A file of another Unix user: Wine names its owner ANONYMOUS LOGON,
    // which ssh refuses. Only root can give a file away.
    if rustix::process::geteuid().is_root() {
        let other = root.join("conf.d/other.conf");
        write_with_mode(&other, "Host other\n", 0o600);
        std::os::unix::fs::chown(&other, Some(65534), None).unwrap();
        let output = prefix
            .command()
            .arg(&program)
            .args(["ssh", "lint", "-F", &windows_path(&config)])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("its owner is NT AUTHORITY\\ANONYMOUS LOGON (S-1-5-7)"),
            "{stdout}"
        );
    }
}
