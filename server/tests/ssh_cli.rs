//! `gord ssh lint`, `gord ssh fix` and `gord ssh resolve` as a user runs them.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use common::{gord, wait, Run};

fn run(args: &[&str]) -> (i32, String, String) {
    parts(Run::of(Command::new(gord()).args(args)))
}

/// `gord ssh fix` with its backups kept under `state` (XDG_STATE_HOME).
fn run_fix(args: &[&str], state: &std::path::Path) -> (i32, String, String) {
    parts(Run::of(
        Command::new(gord()).args(args).env("XDG_STATE_HOME", state),
    ))
}

fn parts(run: Run) -> (i32, String, String) {
    (run.code, run.stdout, run.stderr)
}

fn config_file(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let path = path.display().to_string();
    (dir, path)
}

#[test]
fn lint_reports_findings_in_every_format_with_exit_codes() {
    let (_dir, path) = config_file("Host devbox\n  HostName 127.0.0.1\n  Hostnme typo\n");
    let (code, text, _) = run(&["ssh", "lint", "--config", &path]);
    assert_eq!(code, 1);
    assert!(
        text.contains(&format!(
            "{path}:3:3: error[SSH001] Unknown keyword \"Hostnme\""
        )),
        "{text}"
    );

    let (_, json, _) = run(&["ssh", "lint", "--config", &path, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let typo = common::entry(&json["findings"], "code", "SSH001");
    assert_eq!(typo["severity"], "error");
    assert_eq!(typo["range"]["start"]["line"], 2);

    let (_, sarif, _) = run(&["ssh", "lint", "--config", &path, "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["ruleId"] == "SSH001"));

    let (code, _, stderr) = run(&["ssh", "lint", "--config", "/nonexistent/ssh/config"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot read /nonexistent/ssh/config"),
        "{stderr}"
    );
}

#[test]
fn fix_shows_a_diff_writes_atomically_and_keeps_a_backup() {
    let original = "Host devbox\r\n  HostName 127.0.0.1\r\n  Hostnme typo\r\n";
    let (dir, path) = config_file(original);
    let (code, diff, _) = run(&["ssh", "fix", "--config", &path, "--dry-run"]);
    assert_eq!(code, 0);
    assert!(diff.contains("-  Hostnme typo"), "{diff}");
    assert!(diff.contains("+  HostName typo"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        original,
        "--dry-run writes nothing"
    );

    let state = dir.path().join("state");
    let (code, _, stderr) = run_fix(&["ssh", "fix", "--config", &path], &state);
    assert_eq!(code, 0, "{stderr}");
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        fixed,
        original.replace("Hostnme", "HostName"),
        "only the keyword's bytes change, CRLF kept"
    );
    let backups: Vec<_> = std::fs::read_dir(state.join("gord").join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let backup = &backups[0];
    assert_eq!(std::fs::read_to_string(backup).unwrap(), original);
    assert!(
        stderr.contains(&format!(
            "backup of the previous version: {}",
            backup.display()
        )),
        "the message says where the backup is: {stderr}"
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode, 0o600,
        "ssh refuses a config others can write; the mode is kept"
    );
    assert!(stderr.contains("wrote "), "{stderr}");

    let (_, again, _) = run(&["ssh", "fix", "--config", &path, "--dry-run"]);
    assert!(!again.contains("SSH001"), "{again}");
}

#[test]
fn resolve_prints_ssh_g_lines_and_refuses_a_broken_config() {
    let (_dir, path) =
        config_file("Host *\n  User everyone\nHost db\n  HostName DB.example.com\n  Port 5432\n");
    let (code, out, _) = run(&["ssh", "resolve", "db", "--config", &path]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        &lines[..4],
        [
            "host db",
            "user everyone",
            "hostname db.example.com",
            "port 5432"
        ]
    );

    let (_dir, broken) = config_file("Host db\n  Port abc\n");
    let (code, _, stderr) = run(&["ssh", "resolve", "db", "--config", &broken]);
    assert_eq!(code, 2);
    assert!(stderr.contains("line 2: Bad port 'abc'."), "{stderr}");
}

#[test]
fn bad_input_is_a_clear_error_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage");
    let bytes: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&garbage, bytes).unwrap();
    let garbage = garbage.display().to_string();
    let (code, _, stderr) = run(&["ssh", "lint", "--config", &garbage]);
    assert!(code == 0 || code == 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let (code, _, stderr) = run(&["ssh", "resolve", "x", "--config", &garbage]);
    assert!(code == 0 || code == 2);
    assert!(!stderr.contains("panicked"), "{stderr}");

    let looping = dir.path().join("loop");
    std::fs::write(&looping, format!("Include {}\n", looping.display())).unwrap();
    let (code, _, stderr) = run(&[
        "ssh",
        "resolve",
        "x",
        "--config",
        &looping.display().to_string(),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("Too many recursive configuration includes"),
        "{stderr}"
    );

    let (code, _, stderr) = run(&["ssh", "lint", "--config", &dir.path().display().to_string()]);
    assert_eq!(code, 2, "a directory is not a config: {stderr}");
}

#[test]
fn resolve_all_lists_every_named_host_in_one_run() {
    let (_dir, path) = config_file(
        "Host a b\n  Port 2201\nHost *.corp !x\n  User c\nHost c\n  HostName 127.0.0.1\n",
    );
    let (code, out, _) = run(&["ssh", "resolve", "--all", "--config", &path]);
    assert_eq!(code, 0);
    let hosts: Vec<&str> = out.lines().filter(|l| l.starts_with("host ")).collect();
    assert_eq!(
        hosts,
        ["host a", "host b", "host c"],
        "wildcard and negated patterns name no host"
    );
    assert!(out.contains("hostname 127.0.0.1"));
    let (code, _, stderr) = run(&["ssh", "resolve", "--config", &path]);
    assert_eq!(code, 2, "a host or --all is required: {stderr}");
}

#[test]
fn a_huge_file_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge");
    let line = "Host h\n  User u\n";
    std::fs::write(&path, line.repeat(50 * 1024 * 1024 / line.len())).unwrap();
    let started = std::time::Instant::now();
    let (code, _, stderr) = run(&["ssh", "lint", "--config", &path.display().to_string()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("gord checks SSH configs of up to 4 MiB"),
        "{stderr}"
    );
    wait::assert_took_less(started, std::time::Duration::from_secs(10));
}
