//! `gord check` and `gord --version` as a user runs them: the real binary, real
//! Go toolchain, every output format and every exit code.

use crate::common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{fake_go, gord, real_go_dir, repo_root, str_of, wait, workspace_requiring, Run};
use serde_json::Value;

fn run(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(gord());
    command.args(args).current_dir(repo_root());
    for (key, value) in env {
        command.env(key, value);
    }
    Run::of(&mut command)
}

fn json_report(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    common::entry(&report["checks"], "id", id)
}

#[test]
fn in_a_remote_like_window_the_report_judges_this_machine_with_the_remote_rules() {
    let home = tempfile::tempdir().unwrap();
    let home_text = home.path().to_str().unwrap();
    // No trace of a VS Code server: a local window, nothing to judge.
    let out = run(&["check", "-f", "json"], &[("HOME", home_text)]);
    let report = json_report(&out.stdout);
    assert_eq!(check(&report, "RMT020")["status"], "skipped");
    // ~/.vscode-server exists, and ~/.bashrc execs zsh for every shell.
    std::fs::create_dir(home.path().join(".vscode-server")).unwrap();
    std::fs::write(home.path().join(".bashrc"), "alias ll='ls -l'\nexec zsh\n").unwrap();
    let out = run(&["check", "-f", "json"], &[("HOME", home_text)]);
    let report = json_report(&out.stdout);
    let rmt020 = check(&report, "RMT020");
    assert_eq!(rmt020["area"], "remote", "{rmt020:#}");
    assert_eq!(rmt020["status"], "error", "{rmt020:#}");
    let detail = str_of(&rmt020["detail"]);
    assert!(detail.contains(".vscode-server exists"), "{detail}");
    assert!(detail.contains("kernel "), "{detail}");
    assert!(
        str_of(&rmt020["message"])
            .starts_with("RMT023: ~/.bashrc:2 on this machine runs `exec zsh`"),
        "{rmt020:#}"
    );
    assert!(
        detail.contains("\nRMT023 ~/.bashrc:2 on this machine"),
        "{detail}"
    );
    assert!(str_of(&rmt020["fix"]["title"]).contains("if [[ $- == *i* ]]; then exec zsh; fi"));
    // The text report shows it under its own area.
    let out = run(&["check"], &[("HOME", home_text), ("NO_COLOR", "1")]);
    assert!(out.stdout.contains("Remote hosts"), "{}", out.stdout);
    assert!(
        out.stdout.contains("RMT020 This machine's server"),
        "{}",
        out.stdout
    );
}

#[test]
fn json_on_the_example_workspace_lists_every_check_with_its_status() {
    let out = run(
        &[
            "check",
            "--workspace",
            "examples/hello-remote",
            "--format",
            "json",
        ],
        &[],
    );
    assert!(
        out.code == 0 || out.code == 1,
        "exit {}: {}",
        out.code,
        out.stderr
    );
    let report = json_report(&out.stdout);
    let ids: Vec<&str> = common::field_strs(&report["checks"], "id");
    assert_eq!(ids, common::ALL_CHECK_IDS);
    for check in report["checks"].as_array().unwrap() {
        let status = str_of(&check["status"]);
        assert!(
            ["ok", "warning", "error", "skipped"].contains(&status),
            "{check}"
        );
        assert!(!str_of(&check["message"]).is_empty(), "{check}");
        assert_eq!(
            check["doc"],
            format!("docs/rules/{}.md", str_of(&check["id"]))
        );
    }
    assert!(str_of(&report["workspace"]).ends_with("examples/hello-remote"));
    assert_eq!(
        check(&report, "GO001")["status"],
        "ok",
        "this machine has go"
    );
    assert_eq!(
        check(&report, "GO006")["status"],
        "ok",
        "the example needs go 1.22"
    );
    let exit_matches = (report["summary"]["status"] == "ok") == (out.code == 0);
    assert!(
        exit_matches,
        "exit {} for summary {}",
        out.code, report["summary"]
    );
}

#[test]
fn text_output_is_grouped_and_uncoloured_when_piped() {
    let out = run(&["check", "-w", "examples/hello-remote"], &[]);
    assert!(
        out.stdout.starts_with("Go Remote Doctor "),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("\nGo toolchain\n"));
    assert!(out.stdout.contains(" GO001 Go toolchain on PATH — go1."));
    assert!(out
        .stdout
        .contains(&format!("{} checks: ", common::ALL_CHECK_IDS.len())));
    assert!(out.stdout.contains("\nSSH config\n"));
    assert!(!out.stdout.contains('\x1b'), "colour in a pipe");
    let coloured = run(
        &["check", "-w", "examples/hello-remote", "--color", "always"],
        &[],
    );
    assert!(coloured.stdout.contains("\x1b[32m✓\x1b[0m"));
}

#[test]
fn markdown_output_is_the_report_document() {
    let out = run(
        &["check", "-w", "examples/hello-remote", "-f", "markdown"],
        &[],
    );
    assert!(out.stdout.starts_with("# Go Remote Doctor report\n"));
    assert!(out.stdout.contains("| Go toolchain |"));
    assert!(out.stdout.contains("### ✅ GO001 — Go toolchain on PATH"));
}

#[test]
fn exit_code_is_1_when_a_finding_reaches_fail_on_and_0_below_it() {
    let ws = workspace_requiring("1.99");
    let ws_path = ws.path().to_str().unwrap();
    let local = [("GOTOOLCHAIN", "local")];
    let out = run(
        &["check", "-w", ws_path, "--fail-on", "error", "-f", "json"],
        &local,
    );
    assert_eq!(out.code, 1, "{}", out.stdout);
    let report = json_report(&out.stdout);
    let go006 = check(&report, "GO006");
    assert_eq!(go006["status"], "error");
    assert!(str_of(&go006["message"]).starts_with("go.mod requires go >= 1.99 (running go "));
    assert_eq!(
        go006["findings"][0]["location"]["range"]["start"]["line"],
        2
    );

    // The same workspace with toolchain switching allowed is only a warning.
    let auto = [("GOTOOLCHAIN", "auto")];
    let out = run(
        &["check", "-w", ws_path, "--fail-on", "error", "-f", "json"],
        &auto,
    );
    let report = json_report(&out.stdout);
    assert_eq!(check(&report, "GO006")["status"], "warning");
    let worst_is_warning = report["summary"]["error"] == 0;
    if worst_is_warning {
        assert_eq!(out.code, 0, "warnings do not fail with --fail-on error");
        let strict = run(&["check", "-w", ws_path, "-f", "json"], &auto);
        assert_eq!(
            strict.code, 1,
            "warnings fail with the default --fail-on warning"
        );
    }
}

#[test]
fn exit_code_is_2_when_gord_itself_cannot_run() {
    let out = run(
        &["check", "--workspace", "/nonexistent/gord-workspace"],
        &[],
    );
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr.trim(),
        "gord: error: the workspace /nonexistent/gord-workspace does not exist or is not a directory"
    );
    assert!(out.stdout.is_empty());

    let out = run(&["check", "--format", "yaml"], &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("invalid value 'yaml' for '--format <FORMAT>'"),
        "{}",
        out.stderr
    );

    let out = run(&["check", "--min-go-version", "one"], &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`one` is not a Go version"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_missing_go_is_an_error_finding_and_the_other_checks_still_report() {
    let empty = tempfile::tempdir().unwrap();
    let out = run(
        &["check", "-f", "json"],
        &[("PATH", empty.path().to_str().unwrap())],
    );
    assert_eq!(out.code, 1);
    let report = json_report(&out.stdout);
    assert_eq!(
        report["checks"].as_array().unwrap().len(),
        common::ALL_CHECK_IDS.len()
    );
    let go001 = check(&report, "GO001");
    assert_eq!(go001["status"], "error");
    assert!(str_of(&go001["message"]).starts_with("go is not on PATH"));
    assert!(str_of(&go001["fix"]["title"]).contains("Install Go"));
    assert_eq!(check(&report, "GO002")["status"], "skipped");
    assert_eq!(
        check(&report, "GO010")["status"],
        "warning",
        "gopls cannot be found either"
    );
}

#[test]
fn a_hanging_go_is_stopped_and_reported_without_stalling_the_run() {
    let hang = fake_go("sleep 60");
    let path = format!("{}:/usr/bin:/bin", hang.path().display());
    let started = Instant::now();
    // The check kills go at 80% of --timeout, before the run stops the check
    // itself at 100%: 5 s leaves a second between the two on a loaded
    // machine (with 2 s, 0.4 s was once too little).
    let out = run(
        &["check", "-f", "json", "--timeout", "5"],
        &[("PATH", &path)],
    );
    wait::assert_took_less(started, Duration::from_secs(15));
    assert_eq!(out.code, 1);
    let report = json_report(&out.stdout);
    let go001 = check(&report, "GO001");
    assert_eq!(go001["status"], "error");
    assert!(
        str_of(&go001["message"]).contains("did not finish within 4 s and was killed"),
        "{go001}"
    );
    assert_eq!(check(&report, "GO003")["status"], "error");
}

#[test]
fn a_go_env_that_prints_garbage_is_a_clear_error() {
    let garbage = fake_go(
        r#"case "$1" in
  version) echo "go version go1.26.0 linux/amd64" ;;
  env) echo "this is not json {" ;;
  *) exit 1 ;;
esac"#,
    );
    let path = format!("{}:/usr/bin:/bin", garbage.path().display());
    let out = run(&["check", "-f", "json"], &[("PATH", &path)]);
    let report = json_report(&out.stdout);
    assert_eq!(check(&report, "GO001")["status"], "ok");
    assert_eq!(check(&report, "GO002")["status"], "ok");
    let go003 = check(&report, "GO003");
    assert_eq!(go003["status"], "error");
    assert_eq!(
        go003["message"],
        "`go env -json` printed something that is not a JSON object: this is not json {"
    );
    assert_eq!(check(&report, "GO004")["status"], "skipped");
}

#[test]
fn a_go_that_another_go_shadows_is_listed() {
    let shadowing = fake_go("echo 'go version go1.20.1 linux/amd64'");
    let path = format!("{}:{}", shadowing.path().display(), real_go_dir().display());
    let out = run(&["check", "-f", "json"], &[("PATH", &path)]);
    let report = json_report(&out.stdout);
    let go001 = check(&report, "GO001");
    assert_eq!(go001["status"], "warning");
    assert!(str_of(&go001["message"]).starts_with("go1.20.1 at "));
    assert!(str_of(&go001["detail"]).contains("shadowed: "));
    let go002 = check(&report, "GO002");
    assert_eq!(
        go002["status"], "warning",
        "1.20.1 is below the default minimum 1.21"
    );
}

#[test]
fn the_health_report_includes_the_users_ssh_config_with_located_findings() {
    let home = tempfile::tempdir().unwrap();
    let dot_ssh = home.path().join(".ssh");
    std::fs::create_dir(&dot_ssh).unwrap();
    std::fs::write(
        dot_ssh.join("config"),
        "Host devbox\n  HostName 127.0.0.1\n  Hostnme typo\n",
    )
    .unwrap();
    let out = run(
        &["check", "-f", "json"],
        &[("HOME", home.path().to_str().unwrap())],
    );
    let report = json_report(&out.stdout);
    let ssh = check(&report, "SSH000");
    assert_eq!(ssh["area"], "ssh");
    assert_eq!(ssh["status"], "error");
    let typo = ssh["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| str_of(&f["message"]).starts_with("SSH001: "))
        .unwrap_or_else(|| panic!("{ssh}"));
    assert_eq!(typo["location"]["range"]["start"]["line"], 2);
    assert!(str_of(&typo["location"]["uri"]).ends_with("/.ssh/config"));

    let empty = tempfile::tempdir().unwrap();
    let out = run(
        &["check", "-f", "json"],
        &[("HOME", empty.path().to_str().unwrap())],
    );
    let ssh = check(&json_report(&out.stdout), "SSH000").clone();
    assert_eq!(ssh["status"], "skipped");
    assert!(str_of(&ssh["message"]).starts_with("no SSH config at "));
}

#[test]
fn version_flag_prints_name_and_version() {
    let out = run(&["--version"], &[]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout.trim(),
        format!("gord {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn help_describes_every_subcommand() {
    let out = run(&["--help"], &[]);
    assert_eq!(out.code, 0);
    for word in ["check", "serve", "Exit codes: 0"] {
        assert!(out.stdout.contains(word), "{word} missing from --help");
    }
}

#[test]
fn a_closed_stdout_pipe_is_not_a_crash() {
    let mut child = Command::new(gord())
        .args(["check", "-w", "examples/hello-remote"])
        .current_dir(repo_root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let (status, stderr) = common::wait_with_stderr(&mut child);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        status.code() == Some(0) || status.code() == Some(1),
        "{status:?} {stderr}"
    );
}
