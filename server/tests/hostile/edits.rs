//! Hostile input: edits (issue #13, items 3 and 4). `gord ssh fix` on
//! configs laid out to trip it (an `Include` glob over the edited file's
//! directory, a read-only file, a hard link), checked with the real
//! `ssh -G` (never connecting); and stale quick fixes in the sidecar.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::common::gord;

/// `gord ssh fix ARGS` with backups under `state` (XDG_STATE_HOME).
fn fix(args: &[&str], state: &Path) -> (i32, String, String) {
    let out = Command::new(gord())
        .args(["ssh", "fix"])
        .args(args)
        .env("XDG_STATE_HOME", state)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `ssh -G -F config host`: the oracle; only ever -G, which never connects.
fn ssh_g(config: &Path, host: &str) -> (bool, String) {
    let out = Command::new("/usr/bin/ssh")
        .arg("-G")
        .arg("-F")
        .arg(config)
        .arg(host)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn backups(state: &Path) -> Vec<PathBuf> {
    let dir = state.join("gord").join("backups");
    if !dir.exists() {
        return Vec::new();
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    found.sort();
    found
}

fn write_mode(path: &Path, text: &str, mode: u32) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_backup_is_never_where_an_include_glob_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let included = dir.path().join("config.d");
    std::fs::create_dir(&included).unwrap();
    let main = dir.path().join("main");
    write_mode(&main, &format!("Include {}/*\n", included.display()), 0o600);
    let work = included.join("work");
    write_mode(
        &work,
        "Host work\n  HostName 127.0.0.1\n  Hostnme typo\n",
        0o600,
    );
    let (ok, out) = ssh_g(&main, "work");
    assert!(!ok, "the broken config must fail first: {out}");

    let main_arg = main.display().to_string();
    let (code, _, stderr) = fix(&["--config", &main_arg], &state);
    assert_eq!(code, 0, "{stderr}");
    let (ok, out) = ssh_g(&main, "work");
    assert!(ok, "ssh must read the fixed file and no backup: {out}");
    assert!(out.contains("hostname 127.0.0.1"), "{out}");
    assert_eq!(names_in(&included), ["work"], "nothing next to the file");
    let first = backups(&state);
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(
        stderr.contains(&first[0].display().to_string()),
        "the message says where the backup is: {stderr}"
    );
    let backup_dir = state.join("gord").join("backups");
    assert_eq!(
        std::fs::metadata(&backup_dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let name = first[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.contains("config.d%2Fwork"),
        "the name identifies the file: {name}"
    );

    // A second broken line, a second fix: still one file in config.d, and
    // the first backup is kept as it was.
    let before = std::fs::read_to_string(&work).unwrap();
    std::fs::write(&work, format!("{before}  Usr bob\n")).unwrap();
    let (code, _, stderr) = fix(&["--config", &main_arg], &state);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(names_in(&included), ["work"]);
    let second = backups(&state);
    assert_eq!(second.len(), 2, "{second:?}");
    assert!(second
        .iter()
        .all(|b| !b.to_string_lossy().contains(".gord-bak.gord-bak")));
    assert_eq!(
        std::fs::read_to_string(&first[0]).unwrap(),
        "Host work\n  HostName 127.0.0.1\n  Hostnme typo\n"
    );
    let (ok, out) = ssh_g(&main, "work");
    assert!(ok, "{out}");
    assert!(out.contains("user bob"), "{out}");
}

#[test]
fn a_read_only_config_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let config = dir.path().join("config");
    let original = "Host ro\n  HostName 127.0.0.1\n  Hostnme typo\n";
    write_mode(&config, original, 0o400);
    let arg = config.display().to_string();

    let (code, _, stderr) = fix(&["--config", &arg], &state);
    assert_ne!(code, 0, "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
    assert!(stderr.contains("--force"), "the error says how: {stderr}");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), original);
    assert_eq!(
        std::fs::metadata(&config).unwrap().permissions().mode() & 0o777,
        0o400
    );
    assert!(backups(&state).is_empty());
    assert_eq!(names_in(dir.path()), ["config"]);

    let (code, _, stderr) = fix(&["--config", &arg, "--force"], &state);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        original.replace("Hostnme", "HostName")
    );
    assert_eq!(
        std::fs::metadata(&config).unwrap().permissions().mode() & 0o777,
        0o400,
        "forced, the mode is still kept"
    );
    assert_eq!(backups(&state).len(), 1);
    let (ok, out) = ssh_g(&config, "ro");
    assert!(ok, "{out}");
}

#[test]
fn a_hard_linked_config_keeps_its_inode_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let config = dir.path().join("config");
    let dotfiles = dir.path().join("dotfiles-ssh-config");
    write_mode(
        &config,
        "Host hl\n  HostName 127.0.0.1\n  Hostnme typo\n",
        0o600,
    );
    std::fs::hard_link(&config, &dotfiles).unwrap();
    let inode = std::fs::metadata(&config).unwrap().ino();

    let (code, _, stderr) = fix(&["--config", &config.display().to_string()], &state);
    assert_eq!(code, 0, "{stderr}");
    let after = std::fs::metadata(&config).unwrap();
    assert_eq!(after.ino(), inode, "same inode");
    assert_eq!(after.nlink(), 2, "still two links");
    assert_eq!(
        std::fs::read_to_string(&dotfiles).unwrap(),
        "Host hl\n  HostName 127.0.0.1\n  HostName typo\n",
        "the other link sees the fix"
    );
    assert!(stderr.contains("in place"), "{stderr}");
    assert_eq!(backups(&state).len(), 1);
    let (ok, out) = ssh_g(&dotfiles, "hl");
    assert!(ok, "{out}");
}
