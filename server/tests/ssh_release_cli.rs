//! `gord ssh lint` and `gord ssh resolve` follow the user's ssh: `--ssh
//! PROGRAM` (its `-V`), `--ssh-version VERSION`, else ssh on PATH.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{gord, Run};

/// A config using keywords and criteria of 9.4 and later.
const NEWER: &str = "Host a.test\n  Tag work\nMatch tagged work\n  Port 2222\n";

fn file(dir: &Path, name: &str, text: &str, mode: u32) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

fn run(args: &[&str]) -> Run {
    Run::of(Command::new(gord()).args(args))
}

/// `gord ssh resolve -F CONFIG FLAG VALUE a.test`.
fn resolve_a(config: &str, flag: &str, value: &str) -> Run {
    run(&["ssh", "resolve", "-F", config, flag, value, "a.test"])
}

#[test]
fn ssh_version_chooses_the_release_whose_keywords_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let config = file(dir.path(), "config", NEWER, 0o600);
    let config = config.to_str().unwrap();

    let old = run(&["ssh", "lint", "-F", config, "--ssh-version", "9.2p1-debian"]);
    assert_eq!(old.code, 1, "{}", old.stdout);
    assert!(
        old.stdout
            .contains("error[SSH001] your Debian's OpenSSH 9.2p1 does not know Tag (added in 9.4)"),
        "{}",
        old.stdout
    );
    assert!(old.stdout.contains("error[SSH033]"), "{}", old.stdout);
    assert!(old
        .stdout
        .ends_with("rules of: Debian's OpenSSH 9.2p1 (from --ssh-version)\n"));

    let new = run(&[
        "ssh",
        "lint",
        "-F",
        config,
        "--ssh-version",
        "10.5p1",
        "-f",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&new.stdout).unwrap();
    assert_eq!(json["ssh"]["rules"], "10.5p1");
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        !codes
            .iter()
            .any(|c| ["SSH001", "SSH025", "SSH033"].contains(c)),
        "{codes:?}"
    );

    let resolved = resolve_a(config, "--ssh-version", "10.5p1");
    assert_eq!(resolved.code, 0, "{}", resolved.stderr);
    assert!(
        resolved.stdout.contains("\nport 2222\n"),
        "{}",
        resolved.stdout
    );
    let refused = resolve_a(config, "--ssh-version", "9.2p1");
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("Bad configuration option: tag"));

    let bad = run(&["ssh", "lint", "-F", config, "--ssh-version", "latest"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("not an OpenSSH version"),
        "{}",
        bad.stderr
    );
}

#[test]
fn ssh_program_is_asked_its_version_and_a_broken_one_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let config = file(dir.path(), "config", NEWER, 0o600);
    let config = config.to_str().unwrap();
    let ten = file(
        dir.path(),
        "ssh-10",
        "#!/bin/sh\necho 'OpenSSH_10.0p2 Debian-7, OpenSSL 3.5.1 1 Jul 2025' >&2\n",
        0o755,
    );
    let lint = run(&["ssh", "lint", "-F", config, "--ssh", ten.to_str().unwrap()]);
    assert!(!lint.stdout.contains("SSH001"), "{}", lint.stdout);
    assert!(
        lint.stdout.ends_with(&format!(
            "rules of: Debian's OpenSSH 10.0p2 ({}, from --ssh)\n",
            ten.display()
        )),
        "{}",
        lint.stdout
    );

    let plink = file(
        dir.path(),
        "plink",
        "#!/bin/sh\necho 'plink: Release 0.78'\n",
        0o755,
    );
    let lint = run(&[
        "ssh",
        "lint",
        "-F",
        config,
        "--ssh",
        plink.to_str().unwrap(),
    ]);
    assert!(
        lint.stdout.contains(&format!(
            "warning[SSH032] {} is not OpenSSH (-V printed \"plink: Release 0.78\"): gord follows the newest OpenSSH it knows, 10.5p1",
            plink.display()
        )),
        "{}",
        lint.stdout
    );

    let missing = resolve_a(config, "--ssh", "/nonexistent/ssh");
    assert_eq!(missing.code, 0, "{}", missing.stderr);
    assert!(
        missing
            .stderr
            .contains("gord: /nonexistent/ssh (from --ssh) does not exist or is not executable"),
        "{}",
        missing.stderr
    );
}

/// `%C` hashes the ProxyJump host from 9.6 (ssh_connection_hash gained it),
/// and `%j` exists from 9.6: resolved by the listing of each release.
#[test]
fn control_path_hash_includes_the_jump_host_from_9_6() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Host a.test\n  ProxyJump j@jump.test:2222\n  ControlPath /tmp/cm-%C\n";
    let config = file(dir.path(), "config", text, 0o600);
    let config = config.to_str().unwrap();
    let local = gord::ssh::config::local::LocalFacts::current();
    let hash = |jump: &str| {
        gord::ssh::config::tokens::connection_hash(
            &local.hostname,
            "a.test",
            "22",
            &local.user,
            jump,
        )
    };
    for (version, jump) in [
        ("9.5p1", ""),
        ("9.6p1", "jump.test"),
        ("10.5p1", "jump.test"),
    ] {
        let out = resolve_a(config, "--ssh-version", version);
        assert_eq!(out.code, 0, "{version}: {}", out.stderr);
        let want = format!("controlpath /tmp/cm-{}", hash(jump));
        assert!(
            out.stdout.lines().any(|l| l == want),
            "{version}: expected `{want}` in\n{}",
            out.stdout
        );
    }

    let token = file(
        dir.path(),
        "token",
        "Host a.test\n  ControlPath /tmp/%j\n",
        0o600,
    );
    let token = token.to_str().unwrap();
    assert_ne!(resolve_a(token, "--ssh-version", "9.5p1").code, 0);
    let newer = resolve_a(token, "--ssh-version", "9.6p1");
    assert!(
        newer.stdout.contains("controlpath /tmp/\n"),
        "{}",
        newer.stdout
    );
}

/// From 9.8 a default build has no DSA: `ssh-dss` in a key type list is
/// refused with the client's words (recorded: 9.9p2 and later).
#[test]
fn ssh_dss_is_refused_from_9_8() {
    let dir = tempfile::tempdir().unwrap();
    let config = file(
        dir.path(),
        "config",
        "Host a.test\n  HostKeyAlgorithms +ssh-dss\n",
        0o600,
    );
    let config = config.to_str().unwrap();
    assert_eq!(resolve_a(config, "--ssh-version", "9.7p1").code, 0);
    let refused = resolve_a(config, "--ssh-version", "9.8p1");
    assert_ne!(refused.code, 0);
    assert!(
        refused.stderr.contains("line 2: Bad key types '+ssh-dss'."),
        "{}",
        refused.stderr
    );
}

/// macOS's ssh (Apple's build, `OpenSSH_9.9p2, LibreSSL 3.3.6`) accepts its
/// own flags and `ssh -G` prints two of them; any other ssh stops on them,
/// and lint offers the IgnoreUnknown line that lets both read the file.
#[test]
fn apple_s_build_accepts_and_prints_its_own_keywords() {
    let dir = tempfile::tempdir().unwrap();
    let config = file(
        dir.path(),
        "config",
        "Host a.test\n  UseKeychain yes\n  AppleMultipath yes\n",
        0o600,
    );
    let config = config.to_str().unwrap();
    let mac = file(
        dir.path(),
        "ssh-mac",
        "#!/bin/sh\necho 'OpenSSH_9.9p2, LibreSSL 3.3.6' >&2\n",
        0o755,
    );
    for (flag, value) in [
        ("--ssh-version", "9.9p2-apple"),
        ("--ssh", mac.to_str().unwrap()),
    ] {
        let resolved = resolve_a(config, flag, value);
        assert_eq!(resolved.code, 0, "{}", resolved.stderr);
        let out = &resolved.stdout;
        assert!(
            out.contains(
                "\nnohostauthenticationforlocalhost no\nnohostauthenticationforproxycommand no\n"
            ),
            "{out}"
        );
        assert!(
            out.contains("\nenableescapecommandline no\napplemultipath yes\n"),
            "{out}"
        );
        assert!(!out.contains("usekeychain"), "{out}");
    }

    let linux = resolve_a(config, "--ssh-version", "9.9p2");
    assert_eq!(linux.code, 2);
    assert!(
        linux
            .stderr
            .contains("line 2: Bad configuration option: usekeychain"),
        "{}",
        linux.stderr
    );
    assert!(!linux.stdout.contains("applemultipath"));

    let lint = run(&["ssh", "lint", "-F", config, "--ssh-version", "9.6p1-debian"]);
    assert!(
        lint.stdout.contains(
            "error[SSH001] UseKeychain is a keyword of Apple's OpenSSH only: your Debian's OpenSSH 9.6p1 does not know it"
        ),
        "{}",
        lint.stdout
    );
    assert!(
        lint.stdout
            .contains("fix: Add \"IgnoreUnknown UseKeychain\" at the top of the config"),
        "{}",
        lint.stdout
    );
}

/// A LocalForward socket path that fits Linux's 108-byte `sun_path` but not
/// macOS's 104: flagged when the user's ssh is Apple's, on its line.
#[test]
fn a_forward_socket_too_long_for_macos_is_flagged_for_apple_s_ssh() {
    let dir = tempfile::tempdir().unwrap();
    let socket = "/Users/me/Library/Containers/com.example.dbtool/Data/tmp/sockets/forwarded-postgres-conn-%n-port-5432.sock";
    let config = file(
        dir.path(),
        "config",
        &format!("Host db\n  HostName db.example.com\n  LocalForward {socket} localhost:5432\n"),
        0o600,
    );
    let config = config.to_str().unwrap();
    let mac = run(&["ssh", "lint", "-F", config, "--ssh-version", "9.9p2-apple"]);
    let expanded = socket.replace("%n", "db");
    let expected = format!(
        "{config}:3:16: error[SSH047] For db this LocalForward listens on a socket path of 106 bytes ({expanded}): ssh logs \"Local listening path too long: {expanded}\" and does not forward it"
    );
    assert!(mac.stdout.contains(&expected), "{}", mac.stdout);
    assert!(mac.stdout.contains("104 bytes with its final NUL on macOS"));
    let linux = run(&["ssh", "lint", "-F", config, "--ssh-version", "9.2p1-debian"]);
    assert!(!linux.stdout.contains("SSH047"), "{}", linux.stdout);
}
