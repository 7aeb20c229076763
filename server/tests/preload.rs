//! `gord preload` and the GO020–GO022 checks as a user runs them: the real
//! binary, the real Go toolchain and the real gopls, on a go.work fixture
//! whose dependencies come from a `file://` module proxy the test writes.
//! Nothing leaves the machine: GOPROXY is that file:// URL, `off`, or a
//! loopback address; GOSUMDB is off. Every test has its own GOMODCACHE,
//! GOCACHE and GOPLSCACHE. The editor's `gord/preload` request is driven over
//! `gord serve`'s real stdio.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::editor::Editor;
use common::lsp::assert_cancelled;
use common::{command_line, copy_tree, gord, processes_with, repo_root, str_of, wait, Run};
use serde_json::{json, Value};

const ALL_MODULES: [&str; 3] = [
    "corp.example/auth@v0.2.0",
    "example.com/greet@v1.0.0",
    "example.com/quote@v1.1.0",
];

fn fixture() -> PathBuf {
    repo_root().join("tests/fixtures/preload")
}

/// Writes a module proxy (the GOPROXY protocol's file layout) for every
/// `<module>@<version>` directory of proxy-src except `leave_out`, zipping
/// with the system `zip` as go expects: every entry under `<module>@<version>/`.
fn write_proxy(dir: &Path, leave_out: &[&str]) {
    let src = fixture().join("proxy-src");
    for id in ALL_MODULES.iter().filter(|id| !leave_out.contains(id)) {
        let (module, version) = id.split_once('@').unwrap();
        let at_v = dir.join(module).join("@v");
        std::fs::create_dir_all(&at_v).unwrap();
        std::fs::write(at_v.join("list"), format!("{version}\n")).unwrap();
        std::fs::write(
            at_v.join(format!("{version}.info")),
            format!(r#"{{"Version":"{version}","Time":"2024-01-01T00:00:00Z"}}"#),
        )
        .unwrap();
        std::fs::copy(
            src.join(id).join("go.mod"),
            at_v.join(format!("{version}.mod")),
        )
        .unwrap();
        let zip = at_v.join(format!("{version}.zip"));
        let status = Command::new("zip")
            .args(["-q", "-r", "-D", "-X"])
            .arg(&zip)
            .arg(id)
            .current_dir(&src)
            .status()
            .expect("the tests need the `zip` program");
        assert!(status.success());
    }
}

/// A workspace copy, a proxy and fresh caches, all in one temporary directory.
struct Sandbox {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Sandbox {
    fn new(leave_out: &[&str]) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixture().join("workspace"), &dir.path().join("ws"));
        write_proxy(&dir.path().join("proxy"), leave_out);
        let p = |name: &str| dir.path().join(name).display().to_string();
        let env = vec![
            ("GOPROXY".into(), format!("file://{}", p("proxy"))),
            ("GOSUMDB".into(), "off".into()),
            ("GONOSUMCHECK".into(), "1".into()),
            ("GOFLAGS".into(), "-mod=mod".into()),
            ("GOMODCACHE".into(), p("gomodcache")),
            ("GOCACHE".into(), p("gocache")),
            ("GOPLSCACHE".into(), p("goplscache")),
            ("GOTOOLCHAIN".into(), "local".into()),
            ("GOENV".into(), "off".into()),
            ("GOTELEMETRY".into(), "off".into()),
            // The private module comes through the proxy all the same.
            ("GOPRIVATE".into(), "corp.example".into()),
            ("GONOPROXY".into(), "none".into()),
            ("NETRC".into(), p("netrc")),
        ];
        Sandbox { dir, env }
    }

    fn ws(&self) -> String {
        self.dir.path().join("ws").display().to_string()
    }

    fn set(&mut self, key: &str, value: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), value.into()));
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(gord());
        command.args(args).current_dir(self.dir.path());
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command
    }

    fn run(&self, args: &[&str]) -> Run {
        Run::of(&mut self.command(args))
    }

    fn preload_json(&self, extra: &[&str]) -> (Run, Value) {
        let ws = self.ws();
        let mut args = vec!["preload", "--workspace", ws.as_str(), "--format", "json"];
        args.extend(extra);
        let out = self.run(&args);
        let report = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}), exit {}:\n{}\n{}",
                out.code, out.stdout, out.stderr
            )
        });
        (out, report)
    }
}

fn step<'a>(report: &'a Value, name: &str) -> &'a Value {
    common::entry(&report["steps"], "step", name)
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[test]
fn preload_downloads_every_module_with_n_of_n_progress_and_a_second_run_skips() {
    let sandbox = Sandbox::new(&[]);
    let (out, report) = sandbox.preload_json(&[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    // Piped stderr: plain progress lines, one per module, counting to 3 of 3.
    let progress: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains(" of 3: "))
        .collect();
    assert_eq!(progress.len(), 3, "{}", out.stderr);
    assert!(
        progress[2].starts_with("  module 3 of 3: "),
        "{}",
        out.stderr
    );
    assert!(progress.iter().all(|l| l.ends_with(" downloaded")));
    assert_eq!(report["modules"]["total"], 3);
    assert_eq!(report["modules"]["downloaded"], 3);
    assert_eq!(report["offline"]["ready"], true, "{report}");
    assert_eq!(report["roots"][0]["kind"], "work");
    assert_eq!(report["roots"][0]["modules"].as_array().unwrap().len(), 2);
    assert!(report["build"]["compiled"].as_u64().unwrap() > 0);
    assert_eq!(step(&report, "gopls")["status"], "done", "{report}");

    // gord names the directory gopls really used: the only one it created.
    let gopls_root = sandbox.dir.path().join("goplscache/gopls");
    let created: Vec<PathBuf> = std::fs::read_dir(&gopls_root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(created.len(), 1, "{created:?}");
    let located = str_of(&report["goplsCache"]["dir"]["path"]);
    assert_eq!(Path::new(located), created[0]);
    assert!(report["goplsCache"]["dir"]["bytes"].as_u64().unwrap() > 0);
    let cache_names: Vec<&str> = common::field_strs(&report["caches"], "name");
    assert_eq!(cache_names, ["GOMODCACHE", "GOCACHE"]);

    // The second run finds everything cached and says so.
    let started = Instant::now();
    let (again, report) = sandbox.preload_json(&[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(report["modules"]["cached"], 3);
    assert_eq!(report["modules"]["downloaded"], 0);
    let download = step(&report, "download");
    assert_eq!(download["status"], "skipped");
    assert_eq!(download["message"], "all 3 module(s) already in GOMODCACHE");
    let build = step(&report, "build");
    assert_eq!(build["status"], "skipped", "{build}");
    assert!(str_of(&build["message"]).contains("already in the build cache"));
    assert_eq!(report["build"]["compiled"], 0);
    assert!(again.stderr.contains("module 3 of 3: ") && again.stderr.contains("already cached"));
    wait::assert_took_less(started, Duration::from_secs(30));
}

#[test]
fn offline_check_names_the_missing_module_and_passes_after_preload() {
    let mut sandbox = Sandbox::new(&["example.com/quote@v1.1.0"]);
    // Nothing cached: every module needs the network, and gord check agrees.
    let (out, report) = sandbox.preload_json(&["--offline-check-only"]);
    assert_eq!(out.code, 1);
    assert_eq!(report["offline"]["ready"], false);
    assert_eq!(strings(&report["offline"]["needsNetwork"]), ALL_MODULES);
    assert!(
        report.get("gopls").unwrap().as_array().unwrap().is_empty(),
        "no gopls in a check"
    );
    let ws = sandbox.ws();
    let check = sandbox.run(&["check", "-w", &ws, "-f", "json"]);
    let checks: Value = serde_json::from_str(&check.stdout).unwrap();
    let go021 = common::entry(&checks["checks"], "id", "GO021");
    assert_eq!(go021["status"], "warning");
    assert!(str_of(&go021["message"])
        .starts_with("3 of 3 required module(s) are not in the module cache"));
    assert_eq!(
        go021["fix"]["command"],
        serde_json::json!(["gord", "preload", "--workspace", ws])
    );

    // The proxy lacks one module: preload fetches the rest, and names it.
    let (out, report) = sandbox.preload_json(&[]);
    assert_eq!(out.code, 1);
    assert_eq!(
        report["modules"]["failed"][0]["module"],
        "example.com/quote@v1.1.0"
    );
    assert_eq!(report["offline"]["ready"], false);
    assert_eq!(
        strings(&report["offline"]["needsNetwork"]),
        ["example.com/quote@v1.1.0"]
    );
    let text = sandbox.run(&["preload", "-w", &ws, "--offline-check-only"]);
    assert!(
        text.stdout
            .contains("  needs the network: example.com/quote@v1.1.0\n"),
        "{}",
        text.stdout
    );

    // With the module published, preload completes and the offline proof passes.
    write_proxy(&sandbox.dir.path().join("proxy"), &[]);
    let (out, report) = sandbox.preload_json(&[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        (
            report["modules"]["cached"].as_u64(),
            report["modules"]["downloaded"].as_u64()
        ),
        (Some(2), Some(1))
    );
    sandbox.set("GOPROXY", "off");
    let (out, report) = sandbox.preload_json(&["--offline-check-only"]);
    assert_eq!(out.code, 0, "{report}");
    assert_eq!(report["offline"]["ready"], true);
    assert!(report["offline"]["needsNetwork"]
        .as_array()
        .unwrap()
        .is_empty());
    let check = sandbox.run(&["check", "-w", &ws, "-f", "json"]);
    let checks: Value = serde_json::from_str(&check.stdout).unwrap();
    let status = |id: &str| common::entry(&checks["checks"], "id", id)["status"].clone();
    assert_eq!(status("GO021"), "ok");
    assert_eq!(status("GO020"), "ok", "{checks}");
}

/// Starts `gord preload` in `sandbox`, waits until a process named `comm`
/// whose command line contains `arg` runs under it, sends SIGTERM, and
/// checks that gord exits with 130 and leaves no process behind.
fn cancel_while_running(sandbox: &Sandbox, comm: &str, arg: &str) {
    let marker = format!("{}-{comm}-{arg}", std::process::id());
    let ws = sandbox.ws();
    let mut child = sandbox
        .command(&["preload", "--workspace", &ws])
        .env("GORD_TEST_MARKER", &marker)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_process(&marker, comm, arg);
    std::thread::sleep(Duration::from_millis(100));
    let before = processes_with(&marker);
    // SAFETY: kill has no memory-safety preconditions.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let (status, stderr) = common::wait_with_stderr(&mut child);
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("preload cancelled"), "{stderr}");
    // Killed children may linger as zombies for a moment; their environ is gone.
    wait::until_empty(
        Duration::from_secs(2),
        &format!("left behind (running before the cancel: {before:?})"),
        || processes_with(&marker),
    );
}

#[test]
fn cancelling_while_go_waits_on_the_network_stops_every_go_process() {
    // A proxy on loopback that accepts connections and never answers: go
    // waits on it for as long as it is allowed to.
    let sandbox = sandbox_with_a_silent_proxy();
    // The module-graph step (`go list -m`), past gord's own `go env`.
    cancel_while_running(&sandbox, "go", "list");
}

#[test]
fn cancelling_during_the_gopls_session_stops_gopls_and_its_children() {
    cancel_while_running(&Sandbox::new(&[]), "gopls", "serve");
}

#[test]
fn credentials_in_goproxy_and_netrc_passwords_are_flagged_and_never_printed() {
    let mut sandbox = Sandbox::new(&[]);
    // Port 9 on loopback: nothing listens, and nothing is fetched anyway.
    sandbox.set("GOPROXY", "https://user:s3cr3t-token@127.0.0.1:9/proxy");
    let netrc = sandbox.dir.path().join("netrc");
    std::fs::write(
        &netrc,
        "machine 127.0.0.1 login bot password hunter2-pass\n",
    )
    .unwrap();
    std::fs::set_permissions(&netrc, std::fs::Permissions::from_mode(0o644)).unwrap();
    let ws = sandbox.ws();
    let runs = [
        sandbox.run(&["preload", "-w", &ws, "--offline-check-only"]),
        sandbox.run(&["preload", "-w", &ws, "--offline-check-only", "-f", "json"]),
        sandbox.run(&["check", "-w", &ws]),
        sandbox.run(&["check", "-w", &ws, "-f", "json"]),
        sandbox.run(&["check", "-w", &ws, "-f", "markdown"]),
    ];
    for run in &runs {
        for secret in ["s3cr3t-token", "hunter2-pass", "//user"] {
            assert!(
                !run.stdout.contains(secret) && !run.stderr.contains(secret),
                "{secret} printed:\n{}\n{}",
                run.stdout,
                run.stderr
            );
        }
    }
    let report: Value = serde_json::from_str(&runs[1].stdout).unwrap();
    assert_eq!(report["private"]["credentialsInGoproxy"], true);
    assert_eq!(
        report["private"]["goproxy"],
        "https://***@127.0.0.1:9/proxy"
    );
    let problems = strings(&report["private"]["problems"]);
    assert!(problems[0]
        .starts_with("GOPROXY carries credentials in its URL (https://***@127.0.0.1:9/proxy)"));
    assert!(
        problems[1].contains("is readable by other users (mode 644)"),
        "{problems:?}"
    );
    let checks: Value = serde_json::from_str(&runs[3].stdout).unwrap();
    let go022 = common::entry(&checks["checks"], "id", "GO022");
    assert_eq!(go022["status"], "warning");
    assert!(
        runs[2]
            .stdout
            .contains("GO022 Private modules and proxy credentials — GOPROXY carries credentials"),
        "{}",
        runs[2].stdout
    );
    // GOPRIVATE's glob covers the private module, matched per path prefix.
    assert!(str_of(&go022["detail"])
        .contains("private: corp.example/auth (via GOPROXY, no checksum database)"));
}

/// An editor session on the sandbox's workspace: `gord serve` with the
/// sandbox's environment (and `extra`), initialized and trusted.
fn editor_on(sandbox: &Sandbox, extra: &[(&str, &str)]) -> Editor {
    let mut env: Vec<(&str, &str)> = sandbox
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    env.extend_from_slice(extra);
    let mut editor = Editor::start(&env);
    // The health runs (at `initialized`, and after each preload) are not
    // what these tests are about: their status and diagnostics go unread.
    editor.ignore(&["gord/status", "textDocument/publishDiagnostics"]);
    editor.initialize(
        Path::new(&sandbox.ws()),
        json!({ "trusted": true, "settings": { "gord": { "lint": { "onOpen": false } } } }),
    );
    editor.notify("initialized", json!({}));
    editor
}

/// Sends `gord/preload` with id `id` and answers the server's progress-token
/// request; returns the token.
fn start_preload(editor: &mut Editor, id: i64) -> Value {
    editor.send(json!({ "jsonrpc": "2.0", "id": id, "method": "gord/preload", "params": {} }));
    editor.accept_progress()
}

#[test]
fn the_editor_request_reports_module_n_of_n_on_the_clients_own_token_and_ends_warm() {
    let sandbox = Sandbox::new(&[]);
    let mut editor = editor_on(&sandbox, &[]);
    let id = 7002;
    let token = json!("client-token-1");
    editor.send(
        json!({ "jsonrpc": "2.0", "id": id, "method": "gord/preload",
                        "params": { "workDoneToken": token } }),
    );
    let response = editor.wait_for_within(Duration::from_secs(300), |m| {
        m["id"] == id && m.get("method").is_none()
    });
    let result = &response["result"];
    assert_eq!(result["report"]["modules"]["total"], 3, "{response:#}");
    assert_eq!(result["report"]["offline"]["ready"], true);
    assert!(str_of(&result["text"]).starts_with("gord preload: "));
    let progress = editor.wait_progress_end(&token);
    let progress: Vec<&Value> = progress.iter().map(|m| &m["params"]["value"]).collect();
    assert_eq!(progress.first().unwrap()["kind"], "begin");
    assert_eq!(progress.first().unwrap()["cancellable"], true);
    assert_eq!(progress.last().unwrap()["kind"], "end");
    let messages: Vec<&str> = progress
        .iter()
        .filter_map(|v| v["message"].as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.starts_with("module 3 of 3: ")),
        "{messages:#?}"
    );
    assert!(
        editor
            .take_all(|m| m["method"] == "window/workDoneProgress/create")
            .is_empty(),
        "a client token needs no create"
    );
}

/// A sandbox whose module proxy accepts connections and never answers, so
/// a preload waits on it until it is stopped.
fn sandbox_with_a_silent_proxy() -> Sandbox {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let mut sandbox = Sandbox::new(&[]);
    sandbox.set("GOPROXY", &format!("http://127.0.0.1:{port}"));
    sandbox.set("GONOPROXY", "");
    sandbox.set("GOPRIVATE", "");
    sandbox
}

/// Waits (up to a minute) until a process named `comm` whose command line
/// contains `arg` carries `marker`.
fn wait_for_process(marker: &str, comm: &str, arg: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !processes_with(marker)
        .iter()
        .any(|(pid, name)| name == comm && command_line(*pid).contains(arg))
    {
        assert!(Instant::now() < deadline, "no {comm} {arg} process started");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Waits until a `go list` of the preload runs.
fn wait_for_go_list(marker: &str) {
    wait_for_process(marker, "go", "list");
}

/// Waits until no process but the server carries `marker`.
fn assert_nothing_left(editor: &Editor, marker: &str) {
    let server = editor.child.id();
    wait::until_empty(Duration::from_secs(2), "left behind", || {
        let mut left = processes_with(marker);
        left.retain(|(pid, _)| *pid != server);
        left
    });
}

#[test]
fn cancelling_the_editor_request_stops_every_go_process_at_once() {
    let sandbox = sandbox_with_a_silent_proxy();
    let marker = format!("{}-lsp-cancel", std::process::id());
    let mut editor = editor_on(&sandbox, &[("GORD_TEST_MARKER", &marker)]);
    let id = 7001;
    let token = start_preload(&mut editor, id);
    wait_for_go_list(&marker);
    let cancelled_at = Instant::now();
    editor.cancel_progress(&token);
    assert_cancelled(&editor.response_to(id), "gord/preload");
    wait::assert_took_less(cancelled_at, Duration::from_secs(5));
    assert_nothing_left(&editor, &marker);
    let progress = editor.wait_progress_end(&token);
    assert_eq!(
        progress.last().unwrap()["params"]["value"]["message"],
        "cancelled"
    );
}

#[test]
fn a_newer_preload_supersedes_the_running_one() {
    let sandbox = sandbox_with_a_silent_proxy();
    let marker = format!("{}-lsp-supersede", std::process::id());
    let mut editor = editor_on(&sandbox, &[("GORD_TEST_MARKER", &marker)]);
    let first = start_preload(&mut editor, 7001);
    wait_for_go_list(&marker);
    let second = start_preload(&mut editor, 7002);
    let replaced = editor.response_to(7001);
    assert_eq!(replaced["error"]["code"], -32800, "{replaced:#}");
    assert_eq!(
        replaced["error"]["message"],
        "gord/preload cancelled: a newer gord/preload request replaced it"
    );
    editor.wait_progress_end(&first);
    // The newer one runs until it is cancelled in its turn.
    wait_for_go_list(&marker);
    editor.cancel_progress(&second);
    let response = editor.response_to(7002);
    assert_eq!(response["error"]["code"], -32800, "{response:#}");
    editor.wait_progress_end(&second);
    assert_nothing_left(&editor, &marker);
}

#[test]
fn an_untrusted_workspace_is_not_preloaded() {
    let sandbox = Sandbox::new(&[]);
    let env: Vec<(&str, &str)> = sandbox
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut editor = Editor::start(&env);
    // The health run `initialized` starts is not what this test is about.
    editor.ignore(&["gord/status", "textDocument/publishDiagnostics"]);
    editor.initialize(Path::new(&sandbox.ws()), json!({ "trusted": false }));
    editor.notify("initialized", json!({}));
    let response = editor.request("gord/preload", Some(json!({})));
    assert_eq!(
        response["error"]["code"], -32803,
        "RequestFailed: {response:#}"
    );
    assert!(
        str_of(&response["error"]["message"]).contains("not trusted"),
        "{response:#}"
    );
    assert!(!sandbox.dir.path().join("gomodcache").exists());
}
