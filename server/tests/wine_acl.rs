//! The Windows sidecar under Wine judges real files' ACLs as Win32-OpenSSH
//! does (SSH043). Wine reports a DACL made from the Unix mode (SYSTEM, the
//! owner, and Everyone from the "other" bits) and a file of another Unix
//! user as owned by ANONYMOUS LOGON; it does not keep ACLs set through
//! `SetFileSecurityW`, and its icacls is a stub. So the test sets ACLs by
//! mode and owner.
//!
//! Needs the Windows sidecar (`cargo build -p gord --target
//! x86_64-pc-windows-gnu`, or GORD_WINDOWS_EXE), Wine and mingw-w64 (for the
//! test-only bcryptprimitives.dll Wine 8 lacks):
//! `cargo test -p gord --test integration wine_acl:: -- --ignored`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const INSTALL: &str =
    "install them with scripts/install-deps, or: apt-get install wine wine64 gcc-mingw-w64-x86-64";

fn windows_gord() -> PathBuf {
    if let Some(exe) = std::env::var_os("GORD_WINDOWS_EXE") {
        return PathBuf::from(exe);
    }
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let exe = target.join("x86_64-pc-windows-gnu/debug/gord.exe");
    assert!(
        exe.exists(),
        "{} is missing: cargo build -p gord --target x86_64-pc-windows-gnu",
        exe.display()
    );
    exe
}

/// A private Wine prefix with the test-only `ProcessPrng` shim (Rust's
/// std imports it from bcryptprimitives.dll, which Wine 8 does not have).
fn wine_prefix(dir: &Path) -> PathBuf {
    let prefix = dir.join("wine");
    let boot = Command::new("wineboot")
        .arg("-i")
        .env("WINEPREFIX", &prefix)
        .env("WINEDEBUG", "-all")
        .output()
        .unwrap_or_else(|e| panic!("wineboot: {e}; {INSTALL}"));
    assert!(boot.status.success(), "wineboot failed; {INSTALL}");
    let source = dir.join("bcp.c");
    std::fs::write(
        &source,
        "#include <windows.h>\n#include <bcrypt.h>\nBOOL WINAPI ProcessPrng(PBYTE p, SIZE_T n) { return BCryptGenRandom(NULL, p, (ULONG)n, BCRYPT_USE_SYSTEM_PREFERRED_RNG) == 0; }\n",
    )
    .unwrap();
    let def = dir.join("bcp.def");
    std::fs::write(&def, "LIBRARY bcryptprimitives\nEXPORTS\nProcessPrng\n").unwrap();
    let dll = prefix.join("drive_c/windows/system32/bcryptprimitives.dll");
    let built = Command::new("x86_64-w64-mingw32-gcc")
        .args(["-O2", "-shared", "-o"])
        .arg(&dll)
        .arg(&source)
        .arg(&def)
        .arg("-lbcrypt")
        .output()
        .unwrap_or_else(|e| panic!("x86_64-w64-mingw32-gcc: {e}; {INSTALL}"));
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    prefix
}

/// `Z:` is the Unix root in Wine.
fn z(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

fn write(path: &Path, text: &str, mode: u32) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
#[ignore = "needs the Windows sidecar, Wine and mingw-w64: run with --ignored"]
fn the_windows_sidecar_refuses_what_win32_openssh_refuses_by_acl() {
    let exe = windows_gord();
    let dir = tempfile::tempdir().unwrap();
    let prefix = wine_prefix(dir.path());
    let root = dir.path().join("ssh files");
    std::fs::create_dir_all(root.join("conf.d")).unwrap();
    std::fs::create_dir_all(root.join("keys")).unwrap();
    // Everyone may write it: ssh refuses the config.
    write(&root.join("conf.d/open.conf"), "Host open\n", 0o666);
    write(&root.join("conf.d/private.conf"), "Host private\n", 0o600);
    // Everyone may read it: fine for a config, not for a key.
    write(&root.join("conf.d/readable.conf"), "Host readable\n", 0o644);
    write(&root.join("keys/readable"), "key", 0o644);
    write(&root.join("keys/private"), "key", 0o600);
    let config = root.join("config");
    let text = format!(
        "Include \"{}\\conf.d\\*.conf\"\nHost a\n  IdentityFile \"{}\"\n  IdentityFile \"{}\"\n",
        z(&root),
        z(&root.join("keys/readable")),
        z(&root.join("keys/private")).replace('\\', "/"),
    );
    write(&config, &text, 0o600);

    let out = Command::new("wine")
        .arg(&exe)
        .args(["ssh", "lint", "-F", &z(&config), "-f", "json"])
        .env("WINEPREFIX", &prefix)
        .env("WINEDEBUG", "-all")
        .output()
        .unwrap_or_else(|e| panic!("wine: {e}; {INSTALL}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
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
        write(&other, "Host other\n", 0o600);
        std::os::unix::fs::chown(&other, Some(65534), None).unwrap();
        let out = Command::new("wine")
            .arg(&exe)
            .args(["ssh", "lint", "-F", &z(&config)])
            .env("WINEPREFIX", &prefix)
            .env("WINEDEBUG", "-all")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("its owner is NT AUTHORITY\\ANONYMOUS LOGON (S-1-5-7)"),
            "{stdout}"
        );
    }
}
