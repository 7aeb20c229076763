//! Hostile input: children (issue #13, items 5 and 6). A SIGKILL of the
//! sidecar or of `gord attach` must leave no child running and no target
//! traced; the editor going away must end in-flight work at once; a
//! cancelled lint must leave no zombie; a go.mod `toolchain` line must not
//! make gord's children download another Go.
//!
//! Every child gord starts carries the test's marker in its environment
//! (inherited from the sidecar), so /proc finds them wherever they were
//! reparented.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::common::debug_fixture::{status_field, Target};
use super::common::editor::Editor;
use super::common::{
    command_line, debug_fixture, first_line, go_tools_dir, gord, peak_rss_kib, processes_with,
    tools_path, wait, RSS_BUDGET_KIB,
};

// ---------------------------------------------------------------- processes

/// Waits until a marked process named `comm` with `arg` in its command line runs.
fn wait_for_process(marker: &str, comm: &str, arg: &str) {
    let deadline = Instant::now() + Duration::from_secs(90);
    while !processes_with(marker)
        .iter()
        .any(|(pid, c)| c == comm && command_line(*pid).contains(arg))
    {
        assert!(
            Instant::now() < deadline,
            "no {comm} started; running: {:?}",
            processes_with(marker)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Asserts that no marked process other than `except` is left within `grace`.
fn assert_none_left(marker: &str, except: Option<u32>, grace: Duration) {
    wait::until_empty(grace, "left behind", || {
        let mut left = processes_with(marker);
        left.retain(|(pid, _)| Some(*pid) != except);
        left
    });
}

fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let close = text.rfind(')')?;
    Some(
        text[close + 1..]
            .split_whitespace()
            .map(str::to_string)
            .collect(),
    )
}

/// Zombie children of `parent`.
fn zombies_of(parent: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        // Fields after the command: state (3), ppid (4).
        if let Some(fields) = stat_fields(pid) {
            if fields.first().map(String::as_str) == Some("Z")
                && fields.get(1).and_then(|p| p.parse().ok()) == Some(parent)
            {
                found.push(pid);
            }
        }
    }
    found
}

fn start_ticks(pid: u32) -> u64 {
    stat_fields(pid).unwrap()[22 - 3].parse().unwrap()
}

fn running(pid: u32) -> bool {
    status_field(pid, "State:").is_some_and(|s| !s.starts_with('Z'))
}

fn wait_gone(pid: u32, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while running(pid) {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

/// Waits for `child` to exit by itself; false if it still runs after `within`.
fn exits_within(child: &mut Child, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ------------------------------------------------------------ go workspaces

/// A proxy on loopback that accepts connections and never answers: a go
/// command that needs a module waits on it for as long as it lives.
fn hanging_proxy() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// A proxy on loopback that answers 404 to everything and counts the
/// requests naming `go1.99.0` (a toolchain download).
struct LoggingProxy {
    url: String,
    toolchain_requests: Arc<AtomicUsize>,
}

impl LoggingProxy {
    fn start() -> LoggingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let count = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&count);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let counter = Arc::clone(&counter);
                std::thread::spawn(move || serve_404(stream, &counter));
            }
        });
        LoggingProxy {
            url,
            toolchain_requests: count,
        }
    }

    fn count(&self) -> usize {
        self.toolchain_requests.load(Ordering::SeqCst)
    }
}

fn serve_404(stream: TcpStream, counter: &AtomicUsize) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            if header == "\r\n" {
                break;
            }
        }
        if request_line.contains("go1.99.0") {
            counter.fetch_add(1, Ordering::SeqCst);
        }
        let body = "not found";
        let reply = format!(
            "HTTP/1.1 404 Not Found\r\nContent-Length: {}\r\nContent-Type: text/plain\r\n\r\n{body}",
            body.len()
        );
        if (&stream).write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

/// A Go workspace on disk and the environment of the gord under test.
struct Sandbox {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Sandbox {
    /// `go_mod_tail` follows the module and go lines; `main` is main.go.
    fn new(go_mod_tail: &str, main: &str, proxy: &str, marker: &str) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("ws");
        std::fs::create_dir(&ws).unwrap();
        std::fs::write(
            ws.join("go.mod"),
            format!("module example.com/hostile\n\ngo 1.21\n{go_mod_tail}"),
        )
        .unwrap();
        std::fs::write(ws.join("main.go"), main).unwrap();
        let p = |name: &str| dir.path().join(name).display().to_string();
        let env = vec![
            ("PATH".into(), tools_path(None, go_tools_dir())),
            ("GOPROXY".into(), proxy.to_string()),
            ("GONOPROXY".into(), String::new()),
            ("GOPRIVATE".into(), String::new()),
            ("GOSUMDB".into(), "off".into()),
            ("GOFLAGS".into(), "-mod=mod".into()),
            ("GOMODCACHE".into(), p("gomodcache")),
            ("GOCACHE".into(), p("gocache")),
            ("GOLANGCI_LINT_CACHE".into(), p("lintcache")),
            ("GOPLSCACHE".into(), p("goplscache")),
            // The user lets the workspace choose: gord must not.
            ("GOTOOLCHAIN".into(), "auto".into()),
            ("GOENV".into(), "off".into()),
            ("GOTELEMETRY".into(), "off".into()),
            ("GORD_STATE_DIR".into(), p("state")),
            ("GORD_TEST_MARKER".into(), marker.to_string()),
        ];
        Sandbox { dir, env }
    }

    /// A workspace whose one dependency comes from `proxy` (which hangs).
    fn needing_a_module(proxy: &str, marker: &str) -> Sandbox {
        Sandbox::new(
            "\nrequire example.com/dep v1.0.0\n",
            "package main\n\nimport \"example.com/dep\"\n\nfunc main() { dep.Run() }\n",
            proxy,
            marker,
        )
    }

    fn ws(&self) -> PathBuf {
        self.dir.path().join("ws")
    }

    fn env(&self) -> Vec<(&str, &str)> {
        self.env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(gord());
        command.args(args).current_dir(self.ws());
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command
    }

    fn editor(&self, settings: Value) -> Editor {
        let mut editor = Editor::start(&self.env());
        // These tests watch processes: the health run's and the lint runs'
        // start and end are not looked at.
        editor.ignore(&["gord/status", "gord/lint/status"]);
        editor.initialize(
            &self.ws(),
            json!({ "trusted": true, "settings": { "gord": settings } }),
        );
        editor.notify("initialized", json!({}));
        editor
    }
}

fn no_lint_on_open() -> Value {
    json!({ "lint": { "onOpen": false } })
}

fn marker(name: &str) -> String {
    format!("children-{}-{name}", std::process::id())
}

/// Sends `method` as a request and answers the progress-token request;
/// returns the request id and the token.
fn start_with_progress(editor: &mut Editor, id: i64, method: &str) -> Value {
    editor.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": {} }));
    editor.accept_progress()
}

/// A request with progress, to its response and the end of its progress.
fn request_with_progress(editor: &mut Editor, id: i64, method: &str) -> Value {
    let token = start_with_progress(editor, id, method);
    let response = editor.response_to(id);
    editor.wait_progress_end(&token);
    response
}

/// The sidecar's peak RSS so far stays under the suite's budget.
fn assert_rss_budget(editor: &Editor, during: &str) {
    let peak = peak_rss_kib(editor.child.id());
    eprintln!("sidecar peak RSS during {during}: {peak} KiB");
    assert!(peak < RSS_BUDGET_KIB, "{during}: {peak} KiB");
}

// ------------------------------------------------------- kill -9 mid-work

/// `gord serve` is SIGKILLed while `method` runs `comm`: nothing it started
/// may be left.
fn kill_9_mid(method: &str, comm: &str) {
    let marker = marker(&format!("kill9-{}", method.replace('/', "-")));
    let sandbox = Sandbox::needing_a_module(&hanging_proxy(), &marker);
    let mut editor = sandbox.editor(no_lint_on_open());
    // The sidecar is killed mid-run: its progress never ends.
    editor.ignore(&["$/progress"]);
    start_with_progress(&mut editor, 9001, method);
    wait_for_process(&marker, comm, " list ");
    let running_before = processes_with(&marker);
    assert_rss_budget(&editor, method);
    editor.child.kill().unwrap();
    editor.child.wait().unwrap();
    assert_none_left(&marker, None, Duration::from_secs(10));
    eprintln!("killed the sidecar with {running_before:?} running: none left");
}

#[test]
fn kill_9_of_the_sidecar_during_a_workspace_lint_leaves_no_linter_or_go() {
    // golangci-lint's own `go list` waits on the proxy: a grandchild.
    kill_9_mid("gord/lint/workspace", "go");
}

#[test]
fn kill_9_of_the_sidecar_during_preload_leaves_no_go() {
    kill_9_mid("gord/preload", "go");
}

// ------------------------------------------------------------- stdin's end

fn stdin_closed_mid(method: &str) {
    let marker = marker(&format!("eof-{}", method.replace('/', "-")));
    let sandbox = Sandbox::needing_a_module(&hanging_proxy(), &marker);
    let mut editor = sandbox.editor(no_lint_on_open());
    // The sidecar ends mid-run: its progress never ends.
    editor.ignore(&["$/progress"]);
    start_with_progress(&mut editor, 9002, method);
    wait_for_process(&marker, "go", " list ");
    assert_rss_budget(&editor, method);
    let closed = Instant::now();
    editor.close_stdin();
    assert!(
        exits_within(&mut editor.child, Duration::from_secs(5)),
        "the sidecar still runs 5 s after stdin closed with {method} in flight"
    );
    eprintln!(
        "{method}: the sidecar exited {} ms after stdin closed",
        closed.elapsed().as_millis()
    );
    assert_none_left(&marker, None, Duration::from_secs(5));
}

#[test]
fn stdin_closed_with_a_workspace_lint_in_flight_ends_the_sidecar_and_its_children() {
    stdin_closed_mid("gord/lint/workspace");
}

#[test]
fn stdin_closed_with_a_preload_in_flight_ends_the_sidecar_and_its_children() {
    stdin_closed_mid("gord/preload");
}

// --------------------------------------------------------- no zombies

fn cancel_leaves_no_zombie(name: &str, cancel: impl Fn(&mut Editor, i64, &Value)) {
    let marker = marker(name);
    let sandbox = Sandbox::needing_a_module(&hanging_proxy(), &marker);
    let mut editor = sandbox.editor(no_lint_on_open());
    let server = editor.child.id();
    for round in 0..2 {
        let id = 9100 + round;
        let token = start_with_progress(&mut editor, id, "gord/lint/workspace");
        wait_for_process(&marker, "go", " list ");
        cancel(&mut editor, id, &token);
        let response = editor.response_to(id);
        assert_eq!(response["error"]["code"], -32800, "{response:#}");
        editor.wait_progress_end(&token);
        assert_none_left(&marker, Some(server), Duration::from_secs(5));
    }
    assert_rss_budget(&editor, "cancelled lints");
    // Reaping follows the kill within moments; a zombie that stays is a leak.
    wait::until_empty(
        Duration::from_secs(3),
        "zombie children of the sidecar",
        || zombies_of(server),
    );
}

#[test]
fn cancelling_a_workspace_lint_by_its_progress_leaves_no_zombie() {
    cancel_leaves_no_zombie("zombie-progress", |editor, _, token| {
        editor.cancel_progress(token);
    });
}

#[test]
fn cancelling_a_workspace_lint_by_cancel_request_leaves_no_zombie() {
    cancel_leaves_no_zombie("zombie-request", |editor, id, _| {
        editor.notify("$/cancelRequest", json!({ "id": id }));
    });
}

// ------------------------------------------------------------------- dlv

/// The target runs, nobody traces it, and it answers through the line
/// that had a breakpoint (a breakpoint left in would kill it: SIGTRAP).
fn assert_unharmed(target: &mut Target) {
    assert_eq!(
        status_field(target.pid(), "TracerPid:").as_deref(),
        Some("0"),
        "the target is still traced"
    );
    let body = target.get("/after").expect("the target answers HTTP");
    assert!(body.contains("gord fixture: visit"), "{body}");
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        target.child.try_wait().unwrap().is_none(),
        "the target died: {:?}",
        target.child.try_wait()
    );
}

fn debug_build() -> &'static Path {
    static BUILD: OnceLock<PathBuf> = OnceLock::new();
    BUILD.get_or_init(|| debug_fixture::build("children-fixture", "debug", &["-gcflags=all=-N -l"]))
}

/// One JSON-RPC call to dlv on a fresh connection.
fn dlv_rpc(port: u16, method: &str, params: Value) -> Value {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // dlv answers once it has read the target's DWARF; beside the suite's
    // other dlv and go builds on two cores that took over 30 s once.
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let request = json!({ "method": method, "params": [params], "id": 1 });
    (&stream)
        .write_all(format!("{request}\n").as_bytes())
        .unwrap();
    let mut line = String::new();
    BufReader::new(&stream)
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("{method}: dlv did not answer: {e}"));
    let reply: Value = serde_json::from_str(&line).unwrap();
    assert!(reply["error"].is_null(), "{method}: {reply}");
    reply["result"].clone()
}

/// Puts a breakpoint on the handler's marked line and lets the target run
/// on; the returned connection carries the pending `continue`.
fn arm_breakpoint(port: u16) -> TcpStream {
    // `--continue` resumes the target a moment after the attach; a halt
    // sent before that would wait for a stop that never comes.
    let deadline = Instant::now() + Duration::from_secs(20);
    while dlv_rpc(port, "RPCServer.State", json!({ "NonBlocking": true }))["State"]["Running"]
        != true
    {
        assert!(Instant::now() < deadline, "dlv never resumed the target");
        std::thread::sleep(Duration::from_millis(50));
    }
    dlv_rpc(port, "RPCServer.Command", json!({ "name": "halt" }));
    let file = debug_fixture::fixture_dir().join("main.go");
    let line = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .position(|l| l.contains("BREAKPOINT"))
        .unwrap()
        + 1;
    dlv_rpc(
        port,
        "RPCServer.CreateBreakpoint",
        json!({ "Breakpoint": { "file": file.display().to_string(), "line": line } }),
    );
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let request =
        json!({ "method": "RPCServer.Command", "params": [{ "name": "continue" }], "id": 2 });
    (&stream)
        .write_all(format!("{request}\n").as_bytes())
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    stream
}

fn dlv_available() -> bool {
    let there = go_tools_dir().join("dlv").is_file();
    if !there {
        crate::common::skip(
            "hostile::children dlv tests",
            "dlv is not installed (scripts/install-deps installs it)",
        );
    }
    there
}

fn session_records(state: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(state.join("dlv-sessions"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

#[test]
fn kill_9_of_the_sidecar_with_dlv_attached_leaves_the_target_running_untraced() {
    if !dlv_available() {
        return;
    }
    let mut target = Target::start(debug_build());
    let marker = marker("dlv-serve");
    let sandbox = Sandbox::new("", "package main\n\nfunc main() {}\n", "off", &marker);
    let state = sandbox.dir.path().join("state");
    let mut editor = Editor::start(&sandbox.env());
    editor.ignore(&["gord/status"]);
    editor.initialize(&debug_fixture::fixture_dir(), json!({ "trusted": true }));
    editor.notify("initialized", json!({}));
    let attached = editor.request("gord/attach", Some(json!({ "pid": target.pid() })));
    assert!(attached.get("error").is_none(), "{attached:#}");
    let dlv = attached["result"]["dlvPid"].as_u64().unwrap() as u32;
    let port = attached["result"]["port"].as_u64().unwrap() as u16;
    let _continue = arm_breakpoint(port);
    assert_eq!(session_records(&state).len(), 1, "the session is recorded");

    editor.child.kill().unwrap();
    editor.child.wait().unwrap();
    assert!(
        wait_gone(dlv, Duration::from_secs(10)),
        "dlv still runs 10 s after the sidecar was killed"
    );
    assert_unharmed(&mut target);

    // The next sidecar clears the dead owner's record.
    let mut next = Editor::start(&sandbox.env());
    next.ignore(&["gord/status"]);
    next.initialize(&debug_fixture::fixture_dir(), json!({ "trusted": true }));
    let deadline = Instant::now() + Duration::from_secs(10);
    while !session_records(&state).is_empty() {
        assert!(Instant::now() < deadline, "the stale record stays");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn kill_9_of_gord_attach_leaves_the_target_running_untraced() {
    if !dlv_available() {
        return;
    }
    let mut target = Target::start(debug_build());
    let state = tempfile::tempdir().unwrap();
    let mut attach = Command::new(gord())
        .args(["attach", &target.pid().to_string(), "--format", "json"])
        .env("PATH", tools_path(None, go_tools_dir()))
        .env("GORD_STATE_DIR", state.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let line = first_line(&mut attach);
    let started: Value = serde_json::from_str(&line).unwrap();
    let dlv = started["server"]["dlvPid"].as_u64().unwrap() as u32;
    let port = started["server"]["port"].as_u64().unwrap() as u16;
    let _continue = arm_breakpoint(port);

    attach.kill().unwrap();
    attach.wait().unwrap();
    assert!(
        wait_gone(dlv, Duration::from_secs(10)),
        "dlv still runs 10 s after gord attach was killed"
    );
    assert_unharmed(&mut target);
}

#[test]
fn a_dlv_session_left_by_a_dead_owner_is_detached_at_the_next_start() {
    // A dlv whose owner died without its parent-death signal doing the work
    // (a dlv that ignored it, or one started by an older gord): started here
    // by the test, with a record naming a dead owner.
    if !dlv_available() {
        return;
    }
    let mut target = Target::start(debug_build());
    let mut dlv = Command::new(go_tools_dir().join("dlv"))
        .args([
            "attach",
            &target.pid().to_string(),
            "--headless",
            "--listen=127.0.0.1:0",
            "--api-version=2",
            "--accept-multiclient",
            "--continue",
        ])
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(dlv.stdout.take().unwrap());
    let addr: SocketAddr = loop {
        let mut line = String::new();
        assert!(lines.read_line(&mut line).unwrap() > 0, "dlv did not start");
        if let Some(addr) = line.trim().strip_prefix("API server listening at: ") {
            break addr.parse().unwrap();
        }
    };
    // Wait until dlv answers (it attaches after printing the line).
    dlv_rpc(addr.port(), "RPCServer.GetVersion", json!({}));
    let _continue = arm_breakpoint(addr.port());
    let mut dead = Command::new("/bin/true").spawn().unwrap();
    let dead_pid = dead.id();
    dead.wait().unwrap();

    let state = tempfile::tempdir().unwrap();
    let sessions = state.path().join("dlv-sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let record = json!({
        "dlvPid": dlv.id(), "dlvStart": start_ticks(dlv.id()), "addr": addr.to_string(),
        "kind": "headless", "targetPid": target.pid(), "ownerPid": dead_pid, "ownerStart": 1,
    });
    std::fs::write(
        sessions.join(format!("{}.json", dlv.id())),
        record.to_string(),
    )
    .unwrap();
    let tracer: u32 = status_field(target.pid(), "TracerPid:")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        status_field(tracer, "Tgid:").as_deref(),
        Some(dlv.id().to_string().as_str()),
        "dlv traces the target"
    );

    let _editor = Editor::start(&[
        ("PATH", &tools_path(None, go_tools_dir())),
        ("GORD_STATE_DIR", &state.path().display().to_string()),
    ]);
    assert!(
        exits_within(&mut dlv, Duration::from_secs(20)),
        "the next sidecar did not end the orphaned dlv"
    );
    assert_unharmed(&mut target);
    assert!(session_records(state.path()).is_empty());
}

// -------------------------------------------------------------- toolchain

/// A workspace whose go.mod names a toolchain no one has.
fn toolchain_sandbox(proxy: &LoggingProxy, name: &str) -> Sandbox {
    Sandbox::new(
        "\ntoolchain go1.99.0\n",
        "package main\n\nfunc main() {}\n",
        &proxy.url,
        &marker(name),
    )
}

#[test]
fn a_toolchain_line_makes_no_download_through_lint_and_preload() {
    let proxy = LoggingProxy::start();
    let sandbox = toolchain_sandbox(&proxy, "toolchain");
    let ws = sandbox.ws().display().to_string();

    let lint = sandbox.command(&["lint"]).output().unwrap();
    assert_eq!(proxy.count(), 0, "gord lint: {lint:?}");
    assert!(
        !String::from_utf8_lossy(&lint.stderr).contains("go1.99.0"),
        "{lint:?}"
    );

    let preload = sandbox
        .command(&["preload", "--workspace", &ws])
        .output()
        .unwrap();
    assert_eq!(proxy.count(), 0, "gord preload: {preload:?}");

    let mut editor = sandbox.editor(no_lint_on_open());
    // What the lint finds (go cannot load the module) is not this test's subject.
    editor.ignore(&["textDocument/publishDiagnostics", "window/showMessage"]);
    let linted = request_with_progress(&mut editor, 9201, "gord/lint/workspace");
    assert!(linted.get("error").is_none(), "{linted:#}");
    assert_eq!(proxy.count(), 0, "gord/lint/workspace: {linted:#}");
    let preloaded = request_with_progress(&mut editor, 9202, "gord/preload");
    assert!(preloaded.get("error").is_none(), "{preloaded:#}");
    assert_eq!(proxy.count(), 0, "gord/preload: {preloaded:#}");
    assert_rss_budget(&editor, "lint and preload of a toolchain line");
}

#[test]
fn with_the_opt_in_go_does_fetch_the_toolchain_line() {
    // The control: the proxy and the workspace are able to show a download.
    let proxy = LoggingProxy::start();
    let sandbox = toolchain_sandbox(&proxy, "toolchain-opt-in");
    let lint = sandbox
        .command(&["lint", "--allow-toolchain-switch"])
        .output()
        .unwrap();
    assert!(proxy.count() > 0, "no toolchain request: {lint:?}");

    let proxy = LoggingProxy::start();
    let sandbox = toolchain_sandbox(&proxy, "toolchain-opt-in-lsp");
    let mut editor = sandbox
        .editor(json!({ "lint": { "onOpen": false }, "go": { "allowToolchainSwitch": true } }));
    // What the lint finds is not this test's subject.
    editor.ignore(&["textDocument/publishDiagnostics", "window/showMessage"]);
    let _ = request_with_progress(&mut editor, 9203, "gord/lint/workspace");
    assert!(proxy.count() > 0, "no toolchain request through the editor");
}

// ------------------------------------------------- this machine's script

#[test]
fn a_login_profile_that_floods_and_never_returns_costs_this_machines_check_its_bound() {
    // RMT020 runs the remote script here; its login-shell step reads
    // ~/.profile, which prints forever. `timeout 10` ends that step, the
    // rest of the script reports, and nothing is left running.
    let marker = marker("profile-flood");
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".vscode-server")).unwrap();
    std::fs::write(
        home.path().join(".profile"),
        "while :; do echo flood flood flood; done\n",
    )
    .unwrap();
    let started = Instant::now();
    let out = Command::new(gord())
        .args(["check", "-f", "json", "--timeout", "30"])
        .env("HOME", home.path())
        .env("SHELL", "/bin/bash")
        .env("GORD_TEST_MARKER", &marker)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let took = started.elapsed();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rmt020 = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "RMT020")
        .unwrap();
    assert!(
        rmt020["detail"].as_str().unwrap().contains("kernel "),
        "the facts after the login shell were still read: {rmt020:#}"
    );
    // The step's 10 s, and the rest; far below the check's 30 s.
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert!(
        took >= Duration::from_secs(9),
        "the flood ran {took:?}: was it started?"
    );
    assert_none_left(&marker, None, Duration::from_secs(5));
}
