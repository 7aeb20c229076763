//! Hostile input: output (issue #13, items 7 and 10). File names, go.mod
//! lines, ssh config lines and linter messages that try to break out of the
//! Markdown people paste into CI summaries, to drive the terminal (OSC 52
//! clipboard writes, OSC 0 title changes, CSI, bidi overrides), or to get
//! their secrets copied into findings, diffs and reports; and a gord whose
//! stderr or stdout is gone.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use pulldown_cmark::{Event, Options, Parser, Tag};
use serde_json::{json, Value};

use super::common::editor::Editor;
use super::common::{gord, peak_rss_kib, str_of, temp_tree, RSS_BUDGET_KIB};

/// A directory name that closes a code span/fence and opens HTML, an
/// autolink, a link and an image.
const MARKDOWN_NAME: &str =
    "x\n```\n<img src=x onerror=alert(1)>\n<http:127.0.0.1>\n[link](http:127.0.0.1)\n![i](i.png)\n```\n";

/// Writes the clipboard (OSC 52), sets the title (OSC 0), clears the screen
/// (CSI), a C1 CSI, and bidi overrides/isolates.
const TERMINAL_ATTACK: &str = "\x1b]52;c;aGk=\x07\x1b]0;pwned\x07\x1b[2J\u{9b}31m\u{202e}\u{2066}";

/// Secrets in an ssh config, each unique so a leak names its source.
const SSH_SECRETS: [&str; 6] = [
    "hunter2",
    "tok-setenv-1",
    "tok-bearer-2",
    "pw-url-3",
    "hunter5",
    "tok-remote-6",
];

/// The characters no output may carry raw, JSON and SARIF included: C0 but
/// `\n`/`\t`, DEL, C1, bidi.
fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Every hostile character in `bytes`, with where it is.
fn raw_controls(bytes: &[u8]) -> Vec<(usize, char)> {
    String::from_utf8_lossy(bytes)
        .char_indices()
        .filter(|(_, c)| is_hostile(*c))
        .collect()
}

fn assert_escaped(what: &str, out: &Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let found = raw_controls(bytes);
        assert!(
            found.is_empty(),
            "{what} {stream} carries raw control characters {found:?}:\n{}",
            String::from_utf8_lossy(bytes)
        );
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A workspace whose module files sit in directories with hostile names and
/// whose go.mod has a hostile `toolchain` line.
fn hostile_workspace() -> tempfile::TempDir {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    std::fs::write(
        root.join("go.mod"),
        "module example.com/hostile\n\ngo 1.21\n",
    )
    .unwrap();
    for (dir, body) in [
        (MARKDOWN_NAME.to_string(), String::from("go 1.99")),
        (format!("ctl{TERMINAL_ATTACK}"), String::from("go 1.99")),
        (
            String::from("gomod"),
            format!(
                "go 1.21\ntoolchain <img src=y onerror=alert(2)>[l](http://127.0.0.1/){TERMINAL_ATTACK}"
            ),
        ),
    ] {
        let dir = root.join(dir);
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(
            dir.join("go.mod"),
            format!("module example.com/sub\n\n{body}\n"),
        )
        .unwrap();
    }
    ws
}

fn check(ws: &Path, format: &str, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(gord());
    command
        .args(["check", "-w"])
        .arg(ws)
        .args(["-f", format, "--timeout", "20"])
        .env("GOTOOLCHAIN", "local")
        .env_remove("GOFLAGS")
        .stdin(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

#[test]
fn a_markdown_report_cannot_be_made_to_render_html_links_or_images() {
    let ws = hostile_workspace();
    let out = check(ws.path(), "markdown", &[]);
    let md = text(&out.stdout);
    assert!(md.starts_with("# Go Remote Doctor report"), "{md}");

    let mut texts = String::new();
    for event in Parser::new_ext(&md, Options::all()) {
        match event {
            // The one HTML gord writes itself: the collapsible details.
            Event::Html(html) | Event::InlineHtml(html) => assert!(
                ["<details><summary>Details</summary>", "</details>"]
                    .iter()
                    .any(|ours| html.trim() == *ours),
                "HTML from hostile text: {html:?}\n{md}"
            ),
            Event::Start(Tag::Image { dest_url, .. }) => {
                panic!("an image from hostile text: {dest_url}\n{md}")
            }
            // Rule pages on disk are the only links gord writes.
            Event::Start(Tag::Link { dest_url, .. }) => assert!(
                dest_url.starts_with("file://") && dest_url.ends_with(".md"),
                "a link from hostile text: {dest_url}\n{md}"
            ),
            Event::Text(t) | Event::Code(t) => texts.push_str(&t),
            _ => {}
        }
    }
    // The attack was rendered, as text: the test saw it.
    for shown in [
        "<img src=x onerror=alert(1)>",
        "<img src=y onerror=alert(2)>",
        "[link](http:127.0.0.1)",
    ] {
        assert!(texts.contains(shown), "{shown} is not shown as text:\n{md}");
    }
    assert_escaped("gord check -f markdown", &out);
}

#[test]
fn file_names_and_go_mod_lines_never_drive_the_terminal() {
    let ws = hostile_workspace();
    for format in ["text", "markdown"] {
        let out = check(ws.path(), format, &[]);
        assert!(!out.stdout.is_empty());
        assert_escaped(&format!("gord check -f {format}"), &out);
        // Escaped visibly, not dropped.
        let shown = text(&out.stdout);
        assert!(shown.contains("\\x1b]52;c;aGk="), "{shown}");
    }
    let out = check(ws.path(), "json", &[]);
    assert_escaped("gord check -f json", &out);
    let report: Value = serde_json::from_slice(&out.stdout).expect("the JSON stays valid");
    assert!(report["checks"].is_array());
    let out = check(ws.path(), "sarif", &[]);
    assert_escaped("gord check -f sarif", &out);
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("the SARIF stays valid");
    assert!(sarif["runs"][0]["results"].is_array());
}

#[test]
fn goflags_linker_secrets_are_never_printed_by_check() {
    let ws = temp_tree(&[("go.mod", "module example.com/x\n\ngo 1.21\n")]);
    for goflags in [
        "-ldflags=-X=main.token=s3cr3t",
        "'-ldflags=-X main.token=s3cr3t'",
    ] {
        let mut shown_somewhere = false;
        for format in ["text", "json", "markdown", "sarif"] {
            let out = check(ws.path(), format, &[("GOFLAGS", goflags)]);
            let all = text(&out.stdout) + &text(&out.stderr);
            assert!(
                !all.contains("s3cr3t"),
                "GOFLAGS={goflags} printed by gord check -f {format}:\n{all}"
            );
            shown_somewhere |= all.contains("main.token=***");
        }
        assert!(
            shown_somewhere,
            "GOFLAGS={goflags} is not in any report at all"
        );
    }
}

/// An ssh config with a secret on every line that can hold one, control
/// characters in a keyword, and a safe fix next to the secrets so the diff
/// quotes them as context.
fn hostile_ssh_config(dir: &Path) -> PathBuf {
    let config = dir.join("config");
    let text = format!(
        "Host work\n\
         \x20 ProxyCommand sshpass -p hunter2 ssh -W %h:%p jump\n\
         \x20 SetEnv API_TOKEN=tok-setenv-1\n\
         \x20 Hostnme work.example\n\
         \x20 LocalCommand curl -H \"Authorization: Bearer tok-bearer-2\" http://127.0.0.1/\n\
         \x20 RemoteCommand curl https://admin:pw-url-3@127.0.0.1/ -H 'Authorization: tok-remote-6' %q\n\
         \x20 PermitLocalCommand yes\n\
         \x20 Hostnme{TERMINAL_ATTACK} x\n\
         Match exec \"sshpass -p hunter5 true\"\n\
         \x20 User x\n"
    );
    std::fs::write(&config, text).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    config
}

fn assert_no_ssh_secret(what: &str, shown: &str) {
    for secret in SSH_SECRETS {
        assert!(
            !shown.contains(secret),
            "{secret} leaked into {what}:\n{shown}"
        );
    }
}

fn gord_ssh(home: &Path, args: &[&str]) -> Output {
    Command::new(gord())
        .arg("ssh")
        .args(args)
        .env("HOME", home)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn ssh_lint_and_fix_redact_secrets_and_escape_control_characters() {
    let home = tempfile::tempdir().unwrap();
    let config = hostile_ssh_config(home.path());
    let config_arg = config.to_str().unwrap();
    for format in ["text", "json", "sarif"] {
        let out = gord_ssh(home.path(), &["lint", "-F", config_arg, "-f", format]);
        let shown = text(&out.stdout) + &text(&out.stderr);
        assert!(shown.contains("SSH023"), "{shown}");
        assert_no_ssh_secret(&format!("gord ssh lint -f {format}"), &shown);
        assert_escaped(&format!("gord ssh lint -f {format}"), &out);
        if format != "text" {
            let _: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
        }
    }

    let before = std::fs::read(&config).unwrap();
    let out = gord_ssh(home.path(), &["fix", "-F", config_arg, "--dry-run"]);
    let diff = text(&out.stdout);
    assert!(diff.contains("+  HostName work.example"), "no diff: {diff}");
    assert!(diff.contains("sshpass -p ***"), "{diff}");
    assert_no_ssh_secret("gord ssh fix --dry-run", &diff);
    assert_escaped("gord ssh fix --dry-run", &out);

    // The real fix writes the real text: only what is shown is redacted.
    let out = gord_ssh(home.path(), &["fix", "-F", config_arg]);
    assert_no_ssh_secret("gord ssh fix", &(text(&out.stdout) + &text(&out.stderr)));
    assert_escaped("gord ssh fix", &out);
    let after = text(&std::fs::read(&config).unwrap());
    assert_ne!(before, after.as_bytes());
    for secret in SSH_SECRETS {
        assert!(after.contains(secret), "the fix lost {secret}:\n{after}");
    }
}

#[test]
fn ssh_secrets_stay_out_of_the_sidecars_diagnostics_hover_and_code_actions() {
    let home = tempfile::tempdir().unwrap();
    let config = hostile_ssh_config(home.path());
    let text = std::fs::read_to_string(&config).unwrap();
    let uri = format!("file://{}", config.display());
    let mut editor = Editor::start(&[("HOME", home.path().to_str().unwrap())]);
    // The health run `initialized` starts is not what this test is about.
    editor.ignore(&["gord/status"]);
    editor.initialize(home.path(), json!({}));
    editor.notify("initialized", json!({}));
    editor.open(&uri, "ssh_config", 1, &text);
    let diagnostics = editor.wait_diagnostics(&uri, |d| d.iter().any(|d| d["code"] == "SSH023"));
    assert_no_ssh_secret("the diagnostics", &json!(diagnostics).to_string());
    for d in &diagnostics {
        let message = str_of(&d["message"]);
        assert!(
            !message.chars().any(is_hostile),
            "raw control characters in a diagnostic: {message:?}"
        );
    }

    let actions = editor.request(
        "textDocument/codeAction",
        Some(json!({
            "textDocument": { "uri": uri },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 10, "character": 0 } },
            "context": { "diagnostics": diagnostics },
        })),
    );
    let titles: Vec<String> = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(!titles.is_empty(), "no code action at all: {actions}");
    for title in &titles {
        assert_no_ssh_secret("a code action title", title);
        assert!(!title.chars().any(is_hostile), "{title:?}");
    }

    // Hover shows the effective configuration of a config ssh accepts.
    let valid = home.path().join("valid");
    let valid_text: String = text
        .lines()
        .take_while(|l| !l.starts_with("Match"))
        .filter(|l| !l.contains("Hostnme"))
        .map(|l| format!("{}\n", l.replace(" %q", "")))
        .collect();
    std::fs::write(&valid, &valid_text).unwrap();
    let valid_uri = format!("file://{}", valid.display());
    editor.open(&valid_uri, "ssh_config", 1, &valid_text);
    // Its diagnostics (it still has warnings) must keep the secrets out too.
    let valid_diagnostics = editor.wait_diagnostics(&valid_uri, |_| true);
    assert_no_ssh_secret(
        "the diagnostics of the valid config",
        &json!(valid_diagnostics).to_string(),
    );
    let hover = editor.request(
        "textDocument/hover",
        Some(json!({ "textDocument": { "uri": valid_uri }, "position": { "line": 0, "character": 6 } })),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(shown.contains("proxycommand"), "{hover}");
    assert_no_ssh_secret("the hover", shown);

    let rss = peak_rss_kib(editor.child.id());
    println!("sidecar peak RSS on the hostile ssh config: {rss} KiB");
    assert!(rss < RSS_BUDGET_KIB, "sidecar peak RSS {rss} KiB");
}

/// A golangci-lint report (the recorded JSON format, see
/// tests/fixtures/lint-recorded) whose message is an attack.
fn hostile_lint_report(dir: &Path) -> PathBuf {
    std::fs::write(dir.join("a.go"), "package a\n\nfunc f() {}\n").unwrap();
    let report = json!({
        "Issues": [{
            "FromLinter": format!("govet{TERMINAL_ATTACK}"),
            "Text": format!("<img src=x onerror=alert(1)> {TERMINAL_ATTACK} done"),
            "Severity": "",
            "SourceLines": ["func f() {}"],
            "Pos": { "Filename": "a.go", "Offset": 11, "Line": 3, "Column": 1 },
        }],
        "Report": { "Linters": [] },
    });
    let path = dir.join("report.json");
    std::fs::write(&path, report.to_string()).unwrap();
    path
}

#[test]
fn linter_messages_from_a_report_never_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let report = hostile_lint_report(dir.path());
    for format in ["text", "sarif", "json"] {
        let out = Command::new(gord())
            .args(["lint", "--from-json"])
            .arg(&report)
            .args(["-f", format])
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("onerror"),
            "{}",
            text(&out.stdout)
        );
        assert_escaped(&format!("gord lint --from-json -f {format}"), &out);
        if format != "text" {
            let _: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
        }
    }
}

/// A pipe whose reading end is already closed: every write gets EPIPE.
fn closed_pipe() -> Stdio {
    use std::os::fd::{FromRawFd, OwnedFd};
    let mut fds = [0; 2];
    // SAFETY: pipe(2) fills both descriptors on success; we own them after.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    let (reader, writer) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(reader);
    Stdio::from(writer)
}

/// /dev/full, open for writing: every write fails as on a full disk.
fn dev_full() -> Stdio {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    Stdio::from(full)
}

#[test]
fn a_gone_stderr_or_stdout_is_no_panic() {
    let ws = temp_tree(&[("go.mod", "module example.com/x\n\ngo 1.21\n")]);
    let missing = ws.path().join("missing");
    // `gord check` of a workspace that is not there, an error to report on
    // `stderr`.
    let check_missing = |stderr: Stdio| {
        Command::new(gord())
            .args(["check", "-w"])
            .arg(&missing)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .status()
            .unwrap()
    };
    // `gord check` of the workspace, a report to print on `stdout`.
    let check_ws = |stdout: Stdio| {
        Command::new(gord())
            .args(["check", "-w"])
            .arg(ws.path())
            .env("GOTOOLCHAIN", "local")
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(Stdio::piped())
            .output()
            .unwrap()
    };

    // stderr a closed pipe, with an error to report on it.
    let status = check_missing(closed_pipe());
    assert_eq!(status.code(), Some(2), "stderr closed pipe: {status}");

    // stderr on a full disk.
    let status = check_missing(dev_full());
    assert_eq!(status.code(), Some(2), "stderr on /dev/full: {status}");

    // stderr closed outright (`2>&-`).
    let out = Command::new("sh")
        .arg("-c")
        .arg("\"$0\" check -w \"$1\" 2>&-; echo \"status $?\"")
        .arg(gord())
        .arg(&missing)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout), "status 2\n", "{}", text(&out.stderr));

    // stdout a closed pipe (`gord check | head -0`): the report is dropped
    // quietly and the exit code still says what the check found.
    let out = check_ws(closed_pipe());
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: {stderr}",
        out.status
    );

    // stdout on a full disk: an error, said on stderr, exit 2.
    let out = check_ws(dev_full());
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
}
