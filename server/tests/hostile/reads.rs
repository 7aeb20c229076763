//! Hostile input: reads. A repository, a config or a report that points gord
//! at a device, at its own stdin, out of the workspace, or at far too much
//! data: each must end in a clear error, quickly, under the memory budget.
//! Every gord started here runs under an address-space limit, so a
//! regression fails the test instead of taking the machine's memory.

use std::os::unix::fs::symlink;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::common::editor::{is_notification, Editor};
use super::common::{drain, gord, peak_rss_kib, temp_tree, wait, RSS_BUDGET_KIB};

/// The address space any gord here may map: far above the budget (tokio and
/// malloc reserve more than they touch), far below what hurts the machine.
const ADDRESS_SPACE_LIMIT: u64 = 4 << 30;

/// How long a CLI run may take before it counts as hung.
const CLI_DEADLINE: Duration = Duration::from_secs(60);

fn rlimit() -> libc::rlimit {
    libc::rlimit {
        rlim_cur: ADDRESS_SPACE_LIMIT,
        rlim_max: ADDRESS_SPACE_LIMIT,
    }
}

/// A finished CLI run: its output, its own peak RSS in KiB, its wall time.
struct Run {
    output: Output,
    peak_kib: u64,
    took: Duration,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    fn all(&self) -> String {
        format!("{}{}", self.stdout(), self.stderr())
    }
    fn assert_bounded(&self, what: &str) {
        eprintln!(
            "{what}: peak RSS {} KiB, {:.2} s, {} bytes of output",
            self.peak_kib,
            self.took.as_secs_f64(),
            self.output.stdout.len() + self.output.stderr.len()
        );
        assert!(
            self.peak_kib < RSS_BUDGET_KIB,
            "{what}: peak RSS {} KiB is over the budget",
            self.peak_kib
        );
        assert!(
            self.output.status.signal().is_none(),
            "{what}: killed by a signal ({:?})",
            self.output.status
        );
    }
}

/// Runs `gord args` under the address-space limit with a stdin pipe kept
/// open and silent (so `/proc/self/fd/0` is a pipe that never ends), and
/// fails if it does not finish within [`CLI_DEADLINE`].
// The child is reaped by wait4 (for its rusage), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn run_gord(args: &[&str], cwd: &Path) -> Run {
    let mut command = Command::new(gord());
    command
        .args(args)
        .current_dir(cwd)
        .env("GOTOOLCHAIN", "local")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe; the closure touches nothing else.
    unsafe {
        command.pre_exec(|| {
            if libc::setrlimit(libc::RLIMIT_AS, &rlimit()) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let started = Instant::now();
    let mut child = command.spawn().unwrap();
    let stdin = child.stdin.take();
    let out_reader = drain(child.stdout.take().unwrap());
    let err_reader = drain(child.stderr.take().unwrap());
    let pid = child.id() as i32;
    let mut raw_status = 0;
    // SAFETY: rusage is plain data.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // gord's own high-water mark, read while it runs (monotonic, so only
    // growth in the last poll interval can be missed).
    let mut polled_kib = 0;
    loop {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            if let Some(kib) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            {
                polled_kib = polled_kib.max(kib);
            }
        }
        // SAFETY: polls our own child; the out-pointers are valid.
        let got = unsafe { libc::wait4(pid, &mut raw_status, libc::WNOHANG, &mut usage) };
        assert!(got >= 0, "wait4 failed");
        if got == pid {
            break;
        }
        if started.elapsed() > CLI_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("gord {args:?} hung for {CLI_DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let took = started.elapsed();
    drop(stdin);
    // wait4's figure is an upper bound: Linux keeps the high-water mark of
    // the memory a process had before exec, and the child of a fork starts
    // as a copy of this test process (over 100 MiB while other tests hold
    // their 50 MB inputs). Below the budget it settles the question; above
    // it, gord's own polled mark decides.
    let rusage_kib = usage.ru_maxrss as u64;
    let peak_kib = if rusage_kib < RSS_BUDGET_KIB {
        rusage_kib
    } else {
        polled_kib
    };
    Run {
        output: Output {
            status: std::process::ExitStatus::from_raw(raw_status),
            stdout: out_reader.join().unwrap(),
            stderr: err_reader.join().unwrap(),
        },
        peak_kib,
        took,
    }
}

/// The sidecar, under the address-space limit (set on the running process:
/// nothing hostile reaches it before `initialize`).
fn sidecar() -> Editor {
    let mut editor = Editor::start(&[("GOTOOLCHAIN", "local")]);
    // These tests watch the sidecar's bounds: the health run's status goes unread.
    editor.ignore(&["gord/status"]);
    // SAFETY: sets a limit on our own child; `rlimit()` is a valid value.
    let set = unsafe {
        libc::prlimit(
            editor.child.id() as libc::pid_t,
            libc::RLIMIT_AS,
            &rlimit(),
            std::ptr::null_mut(),
        )
    };
    assert_eq!(set, 0, "prlimit failed");
    editor
}

fn assert_sidecar_bounded(editor: &mut Editor, what: &str) {
    // Still answering, and never over the budget.
    let version = editor.request("gord/version", None);
    assert_eq!(version["result"]["name"], "gord", "{what}: {version}");
    let peak = peak_rss_kib(editor.child.id());
    eprintln!("{what}: sidecar peak RSS {peak} KiB");
    assert!(
        peak < RSS_BUDGET_KIB,
        "{what}: sidecar peak RSS {peak} KiB is over the budget"
    );
}

/// A workspace with a sane go.mod and `sub/go.mod` a symlink to `target`.
fn workspace_with_sub_gomod(target: &Path) -> tempfile::TempDir {
    let ws = temp_tree(&[("go.mod", "module example.com/ws\n\ngo 1.21\n")]);
    std::fs::create_dir(ws.path().join("sub")).unwrap();
    symlink(target, ws.path().join("sub/go.mod")).unwrap();
    ws
}

fn go006(checks: &Value) -> Value {
    checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "GO006")
        .cloned()
        .unwrap_or_else(|| panic!("no GO006 in {checks:#}"))
}

fn check_json(ws: &Path) -> (Run, Value) {
    let run = run_gord(
        &[
            "check",
            "--workspace",
            ws.to_str().unwrap(),
            "--format",
            "json",
        ],
        ws,
    );
    let report: Value = serde_json::from_slice(&run.output.stdout)
        .unwrap_or_else(|e| panic!("gord check --format json: {e}\n{}", run.all()));
    (run, report)
}

/// GO006 names sub/go.mod and says why it was not read: /dev/zero lies out
/// of the workspace (and is no regular file either).
fn assert_refused_dev_zero(go006: &Value) {
    let message = go006["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("sub/go.mod leads out of the workspace")
            && message.contains("(to /dev/zero)"),
        "{go006:#}"
    );
}

#[test]
fn gord_check_refuses_a_gomod_that_is_dev_zero() {
    let ws = workspace_with_sub_gomod(Path::new("/dev/zero"));
    let (run, report) = check_json(ws.path());
    run.assert_bounded("gord check, sub/go.mod -> /dev/zero");
    let go006 = go006(&report["checks"]);
    assert_refused_dev_zero(&go006);
}

#[test]
fn the_sidecar_health_run_refuses_a_gomod_that_is_dev_zero() {
    let ws = workspace_with_sub_gomod(Path::new("/dev/zero"));
    let mut editor = sidecar();
    editor.initialize(ws.path(), json!({ "trusted": true }));
    editor.notify("initialized", json!({}));
    let health = editor.request("gord/health", Some(json!({})));
    let go006 = go006(&health["result"]["checks"]);
    assert_refused_dev_zero(&go006);
    assert_sidecar_bounded(&mut editor, "sidecar health, sub/go.mod -> /dev/zero");
}

#[test]
fn a_gomod_that_is_the_sidecars_stdin_never_blocks_it() {
    let ws = workspace_with_sub_gomod(Path::new("/proc/self/fd/0"));
    let mut editor = sidecar();
    editor.initialize(ws.path(), json!({ "trusted": true }));
    // The first health run starts here and reads the module files.
    editor.notify("initialized", json!({}));
    // Requests keep being answered while (and after) it runs.
    let version = editor.request("gord/version", None);
    assert_eq!(version["result"]["name"], "gord");
    let idle =
        editor.wait_for(|m| is_notification("gord/status")(m) && m["params"]["state"] == "idle");
    assert!(idle["params"]["checks"]
        .as_array()
        .is_some_and(|c| !c.is_empty()));
    let health = editor.request("gord/health", Some(json!({ "refresh": true })));
    let go006 = go006(&health["result"]["checks"]);
    let text = go006.to_string();
    assert!(
        text.contains("sub/go.mod is a FIFO or pipe, not a regular file"),
        "{go006:#}"
    );
    assert_sidecar_bounded(&mut editor, "sidecar, sub/go.mod -> /proc/self/fd/0");
}

#[test]
fn a_gomod_symlink_out_of_the_workspace_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("go.mod");
    std::fs::write(&target, "module example.com/elsewhere\n\ngo 1.99\n").unwrap();
    let ws = workspace_with_sub_gomod(&target);
    let (run, report) = check_json(ws.path());
    run.assert_bounded("gord check, sub/go.mod -> outside");
    let go006 = go006(&report["checks"]);
    let text = go006.to_string();
    assert!(text.contains("leads out of the workspace"), "{go006:#}");
    // Its `go 1.99` line was never read.
    assert!(!text.contains("1.99"), "{go006:#}");
}

/// `dir/ssh_config` with `text`.
fn ssh_config_in_workspace(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let ws = tempfile::tempdir().unwrap();
    let config = ws.path().join("ssh_config");
    std::fs::write(&config, text).unwrap();
    (ws, config)
}

/// Opens `config` in the sidecar and returns its diagnostics.
fn open_ssh_config(editor: &mut Editor, ws: &Path, config: &Path, text: &str) -> Vec<Value> {
    editor.initialize(ws, json!({ "trusted": false }));
    editor.notify("initialized", json!({}));
    let uri = format!("file://{}", config.display());
    editor.open(&uri, "ssh_config", 1, text);
    editor.wait_diagnostics(&uri, |_| true)
}

fn messages(diagnostics: &[Value]) -> String {
    diagnostics
        .iter()
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

const INCLUDE_STDIN: &str = "Include /proc/self/fd/0\nHost a\n  HostName 127.0.0.1\n";

#[test]
fn an_ssh_config_including_stdin_in_the_editor() {
    let (ws, config) = ssh_config_in_workspace(INCLUDE_STDIN);
    let mut editor = sidecar();
    let diagnostics = open_ssh_config(&mut editor, ws.path(), &config, INCLUDE_STDIN);
    let text = messages(&diagnostics);
    assert!(
        text.contains("/proc/self/fd/0 is a FIFO or pipe, not a regular file"),
        "{text}"
    );
    assert_sidecar_bounded(&mut editor, "editor, Include /proc/self/fd/0");
}

#[test]
fn an_ssh_config_including_stdin_in_ssh_lint() {
    let (ws, config) = ssh_config_in_workspace(INCLUDE_STDIN);
    let run = run_gord(
        &["ssh", "lint", "--config", config.to_str().unwrap()],
        ws.path(),
    );
    run.assert_bounded("gord ssh lint, Include /proc/self/fd/0");
    assert!(
        run.stdout()
            .contains("/proc/self/fd/0 is a FIFO or pipe, not a regular file"),
        "{}",
        run.all()
    );
}

#[test]
fn a_lint_report_naming_dev_zero() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    std::fs::write(
        &report,
        r#"{"Issues":[{"FromLinter":"errcheck","Text":"hostile","Pos":{"Filename":"/dev/zero","Line":3,"Column":2}}]}"#,
    )
    .unwrap();
    let run = run_gord(
        &[
            "lint",
            "--from-json",
            report.to_str().unwrap(),
            "--format",
            "json",
        ],
        dir.path(),
    );
    run.assert_bounded("gord lint --from-json, a report naming /dev/zero");
    // The issue is kept at its reported line; the device is never read.
    assert!(run.stdout().contains("hostile"), "{}", run.all());
}

#[test]
fn a_lint_report_that_is_dev_zero() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_gord(&["lint", "--from-json", "/dev/zero"], dir.path());
    run.assert_bounded("gord lint --from-json /dev/zero");
    assert!(!run.output.status.success());
    assert!(
        run.stderr()
            .contains("/dev/zero is a character device, not a regular file"),
        "{}",
        run.all()
    );
}

#[test]
fn an_included_50_mb_ssh_config() {
    let (ws, config) = ssh_config_in_workspace("");
    let big = ws.path().join("big.conf");
    // Comments, as a real (if absurd) config would be; sparse zeros would
    // count as binary.
    std::fs::write(&big, "# padding\n".repeat(5 * 1024 * 1024)).unwrap();
    let text = format!("Include {}\nHost a\n  HostName 127.0.0.1\n", big.display());
    std::fs::write(&config, &text).unwrap();
    let run = run_gord(
        &["ssh", "lint", "--config", config.to_str().unwrap()],
        ws.path(),
    );
    run.assert_bounded("gord ssh lint, an included 50 MB config");
    assert!(
        run.stdout().contains("is larger than 4 MiB"),
        "{}",
        run.all()
    );

    let mut editor = sidecar();
    let diagnostics = open_ssh_config(&mut editor, ws.path(), &config, &text);
    let shown = messages(&diagnostics);
    assert!(shown.contains("is larger than 4 MiB"), "{shown}");
    assert_sidecar_bounded(&mut editor, "editor, an included 50 MB config");
}

/// 2.6 MB of bytes from a fixed generator: random enough to be garbage,
/// the same on every run.
fn garbage() -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..2_600_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

#[test]
fn binary_garbage_as_an_ssh_config() {
    let ws = tempfile::tempdir().unwrap();
    let config = ws.path().join("ssh_config");
    let bytes = garbage();
    std::fs::write(&config, &bytes).unwrap();
    let run = run_gord(
        &[
            "ssh",
            "lint",
            "--config",
            config.to_str().unwrap(),
            "--format",
            "json",
        ],
        ws.path(),
    );
    run.assert_bounded("gord ssh lint, 2.6 MB of garbage");
    assert!(run.stdout().contains("not a text file"), "{}", run.stderr());
    assert!(
        run.output.stdout.len() < 64 * 1024,
        "{} bytes of output for one bad file",
        run.output.stdout.len()
    );

    // `gord ssh resolve` prints ssh's errors, the first hundred of them.
    let run = run_gord(
        &["ssh", "resolve", "--config", config.to_str().unwrap(), "h"],
        ws.path(),
    );
    run.assert_bounded("gord ssh resolve, 2.6 MB of garbage");
    assert!(
        run.stderr().contains("more errors not shown"),
        "{}",
        run.stderr()
    );
    assert!(
        run.output.stderr.len() < 64 * 1024,
        "{} bytes of errors",
        run.output.stderr.len()
    );

    // The editor sends what it decoded (lossily, as VS Code does).
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut editor = sidecar();
    let diagnostics = open_ssh_config(&mut editor, ws.path(), &config, &text);
    let shown = messages(&diagnostics);
    // One clear finding: not text, or (decoded, it grew past 4 MiB) too large.
    assert!(
        shown.contains("not a text file")
            || shown.contains("gord checks SSH configs of up to 4 MiB"),
        "{shown}"
    );
    assert!(
        diagnostics.len() <= 201,
        "{} diagnostics",
        diagnostics.len()
    );
    assert_sidecar_bounded(&mut editor, "editor, 2.6 MB of garbage");
}

#[test]
fn an_include_fan_out_of_2000_files() {
    let ws = tempfile::tempdir().unwrap();
    let dir = ws.path().join("d");
    std::fs::create_dir(&dir).unwrap();
    let line = format!("Include {}/*\n", dir.display());
    for i in 0..2000 {
        std::fs::write(dir.join(format!("f{i:04}")), &line).unwrap();
    }
    let config = ws.path().join("ssh_config");
    let text = format!("{line}Host a\n  HostName 127.0.0.1\n");
    std::fs::write(&config, &text).unwrap();
    let run = run_gord(
        &["ssh", "lint", "--config", config.to_str().unwrap()],
        ws.path(),
    );
    run.assert_bounded("gord ssh lint, an Include fan-out of 2,000 files");
    assert!(run.took < Duration::from_secs(15), "took {:?}", run.took);
    assert!(
        run.stdout()
            .contains("Too many recursive configuration includes"),
        "{}",
        run.all()
    );

    let mut editor = sidecar();
    // Each included file gets its own (empty or not) publication.
    editor.ignore(&["textDocument/publishDiagnostics"]);
    let started = Instant::now();
    let diagnostics = open_ssh_config(&mut editor, ws.path(), &config, &text);
    eprintln!("editor, fan-out: diagnostics in {:?}", started.elapsed());
    wait::assert_took_less(started, Duration::from_secs(15));
    let _ = diagnostics;
    assert_sidecar_bounded(&mut editor, "editor, an Include fan-out of 2,000 files");
}

/// `gord check` on a module whose golangci-lint config `name` holds
/// `bytes`: the run, the GO050 check, and the GO05x findings on the file.
fn golangci_config_check(name: &str, bytes: &[u8]) -> (Run, Value, Vec<Value>) {
    let ws = temp_tree(&[("go.mod", "module example.com/h\n\ngo 1.22\n")]);
    std::fs::write(ws.path().join(name), bytes).unwrap();
    let (run, report) = check_json(ws.path());
    let go050 = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "GO050")
        .cloned()
        .unwrap_or_else(|| panic!("no GO050 in {report:#}"));
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["subject"]["kind"] == "file"
                && f["code"].as_str().is_some_and(|c| c.starts_with("GO05"))
        })
        .cloned()
        .collect();
    (run, go050, findings)
}

#[test]
fn binary_garbage_as_a_golangci_config_is_one_clear_warning() {
    // Just under the 1 MiB gord reads of a config.
    let (run, go050, findings) = golangci_config_check(".golangci.yml", &garbage()[..1000 * 1024]);
    run.assert_bounded("gord check, 1000 KiB of garbage as .golangci.yml");
    assert_eq!(go050["status"], "warning", "{go050:#}");
    assert!(
        go050["message"]
            .as_str()
            .unwrap_or_default()
            .contains("is not UTF-8 text"),
        "{go050:#}"
    );
    assert!(findings.is_empty(), "nothing placed in it: {findings:#?}");
}

#[test]
fn a_golangci_json_nested_500_000_deep_is_refused_not_recursed() {
    let mut deep = "{\"linters\":".to_string().into_bytes();
    deep.extend("[".repeat(500_000).into_bytes());
    deep.extend("]".repeat(500_000).into_bytes());
    deep.push(b'}');
    let (run, go050, findings) = golangci_config_check(".golangci.json", &deep);
    run.assert_bounded("gord check, a .golangci.json nested 500,000 deep");
    assert!(findings.iter().any(|f| f["code"] == "GO053"), "{go050:#}");
}

#[test]
fn a_50_mb_golangci_config_is_not_read() {
    let (run, go050, findings) = golangci_config_check(".golangci.toml", &vec![b'#'; 50 << 20]);
    run.assert_bounded("gord check, a 50 MB .golangci.toml");
    assert!(findings.is_empty(), "{findings:#?}");
    assert!(
        go050["message"]
            .as_str()
            .unwrap_or_default()
            .contains("larger than"),
        "{go050:#}"
    );
}
