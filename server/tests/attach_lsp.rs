//! The debugger through `gord serve`: `gord/procs`, `gord/attach` and
//! `gord/detach` over the real stdio, against the HTTP fixture in
//! tests/fixtures/debug built three ways with the real Go and debugged with
//! the real dlv. A small DAP client (and Delve's JSON-RPC API) stands in for
//! the editor: it stops at a breakpoint in the handler, reads a local
//! variable, detaches, and the server keeps answering.

use crate::common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use common::debug_fixture::{
    builds, dlv_dir, http_get, path_with, process_exists, status_field, tracer_of, wait_until,
    Target,
};
use common::editor::{frames_of, Editor};
use common::str_of;
use serde_json::{json, Value};

/// The line of the fixture's handler marked `BREAKPOINT`.
fn breakpoint_line() -> u64 {
    let source =
        std::fs::read_to_string(common::debug_fixture::fixture_dir().join("main.go")).unwrap();
    source
        .lines()
        .position(|l| l.contains("BREAKPOINT"))
        .unwrap() as u64
        + 1
}

/// The dlv processes whose parent is `parent` (the sidecar under test).
fn dlv_children(parent: u32) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            status_field(*pid, "Name:").as_deref() == Some("dlv")
                && status_field(*pid, "PPid:") == Some(parent.to_string())
                && process_exists(*pid)
        })
        .collect()
}

/// The local addresses `pid` listens on (TCP, v4 and v6), from its socket
/// inodes and /proc/net/tcp{,6}.
fn listening_addresses(pid: u32) -> Vec<String> {
    let inodes: HashSet<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter_map(|target| {
            let text = target.to_string_lossy().into_owned();
            Some(
                text.strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .to_string(),
            )
        })
        .collect();
    let mut found = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(table).unwrap_or_default();
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // local_address, st (0A = LISTEN), inode.
            if fields.len() > 9 && fields[3] == "0A" && inodes.contains(fields[9]) {
                found.push(decode_proc_net_address(fields[1]));
            }
        }
    }
    found
}

/// `0100007F:1F90` → `127.0.0.1:8080`; IPv6 in four little-endian words.
fn decode_proc_net_address(text: &str) -> String {
    let (ip, port) = text.split_once(':').unwrap();
    let port = u16::from_str_radix(port, 16).unwrap();
    let bytes: Vec<u8> = (0..ip.len() / 2)
        .map(|i| u8::from_str_radix(&ip[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let ip: std::net::IpAddr = if bytes.len() == 4 {
        std::net::Ipv4Addr::new(bytes[3], bytes[2], bytes[1], bytes[0]).into()
    } else {
        let mut octets = [0u8; 16];
        for word in 0..4 {
            for b in 0..4 {
                octets[word * 4 + b] = bytes[word * 4 + 3 - b];
            }
        }
        std::net::Ipv6Addr::from(octets).into()
    };
    SocketAddr::new(ip, port).to_string()
}

fn assert_listens_on_loopback_only(dlv_pid: u32) {
    let addresses = listening_addresses(dlv_pid);
    assert!(!addresses.is_empty(), "dlv {dlv_pid} listens nowhere");
    for addr in &addresses {
        let addr: SocketAddr = addr.parse().unwrap();
        assert!(
            addr.ip().is_loopback(),
            "dlv listens on {addr}: {addresses:?}"
        );
    }
}

/// A `gord serve` initialised on the fixture directory.
fn editor(path: &str) -> Editor {
    let mut editor = Editor::start(&[("PATH", path), ("GORD_LOG", "debug")]);
    // The health run `initialized` starts is not what these tests are about.
    editor.ignore(&["gord/status"]);
    editor.initialize(
        &common::debug_fixture::fixture_dir(),
        json!({ "trusted": true }),
    );
    editor.notify("initialized", json!({}));
    editor
}

fn result(response: Value) -> Value {
    assert!(response.get("error").is_none(), "{response:#}");
    response["result"].clone()
}

fn entry(list: &Value, pid: u32) -> &Value {
    common::entry(&list["processes"], "pid", pid)
}

fn codes(entry: &Value) -> Vec<String> {
    entry["preflight"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| str_of(&f["code"]).to_string())
        .collect()
}

/// A DAP client for the test: Content-Length framing, events kept until asked for.
struct Dap {
    stream: TcpStream,
    incoming: Receiver<Value>,
    events: Vec<Value>,
    seq: i64,
}

impl Dap {
    fn connect(host: &str, port: u16) -> Dap {
        let stream = TcpStream::connect((host, port)).unwrap();
        let incoming = frames_of(stream.try_clone().unwrap());
        Dap {
            stream,
            incoming,
            events: Vec::new(),
            seq: 0,
        }
    }

    /// Sends a request and waits for its response; its body.
    fn request(&mut self, command: &str, arguments: Value) -> Value {
        self.seq += 1;
        let seq = self.seq;
        let body =
            json!({"seq": seq, "type": "request", "command": command, "arguments": arguments})
                .to_string();
        write!(self.stream, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        loop {
            let message = self.next();
            if message["type"] == "response" && message["request_seq"] == seq {
                assert_eq!(message["success"], true, "{command}: {message:#}");
                return message["body"].clone();
            }
            if message["type"] == "event" {
                self.events.push(message);
            }
        }
    }

    fn wait_event(&mut self, name: &str) -> Value {
        if let Some(i) = self.events.iter().position(|e| e["event"] == name) {
            return self.events.remove(i);
        }
        loop {
            let message = self.next();
            if message["type"] == "event" && message["event"] == name {
                return message;
            }
        }
    }

    fn next(&mut self) -> Value {
        self.incoming
            .recv_timeout(Duration::from_secs(30))
            .expect("dlv dap went quiet")
    }
}

#[test]
fn procs_lists_go_programs_first_and_classifies_debug_default_and_stripped_builds() {
    let b = builds();
    let (debug, default, stripped) = (
        Target::start(&b.no_opt),
        Target::start(&b.normal),
        Target::start(&b.no_dwarf),
    );
    let mut editor = editor(&std::env::var("PATH").unwrap_or_default());
    let list = result(editor.request("gord/procs", Some(json!({}))));

    let debug_entry = entry(&list, debug.pid());
    assert_eq!(debug_entry["binary"]["dwarf"], true);
    assert_eq!(debug_entry["preflight"]["blocked"], false);
    assert!(
        !codes(debug_entry)
            .iter()
            .any(|c| c == "DBG006" || c == "DBG007"),
        "{debug_entry:#}"
    );
    let default_entry = entry(&list, default.pid());
    assert_eq!(codes(default_entry), ["DBG007"], "optimised build");
    assert_eq!(default_entry["preflight"]["blocked"], false);
    assert_eq!(
        default_entry["preflight"]["findings"][0]["severity"],
        "warning"
    );
    let stripped_entry = entry(&list, stripped.pid());
    assert_eq!(codes(stripped_entry), ["DBG006"], "no DWARF");
    assert_eq!(stripped_entry["preflight"]["blocked"], true);
    assert!(
        str_of(&stripped_entry["preflight"]["findings"][0]["delveError"])
            .starts_with("Warning: no debug info found")
    );

    // Go programs first, the debuggable before the blocked; then the rest.
    let processes = list["processes"].as_array().unwrap();
    let is_go = |p: &Value| p["binary"]["go"].is_object();
    let first_other = processes.iter().position(|p| !is_go(p)).unwrap();
    assert!(processes[first_other..].iter().all(|p| !is_go(p)));
    let go = &processes[..first_other];
    let first_blocked = go
        .iter()
        .position(|p| p["preflight"]["blocked"] == true)
        .unwrap_or(go.len());
    assert!(go[first_blocked..]
        .iter()
        .all(|p| p["preflight"]["blocked"] == true));

    let go_only = result(editor.request("gord/procs", Some(json!({"goOnly": true}))));
    assert!(go_only["processes"].as_array().unwrap().iter().all(is_go));
}

#[test]
fn attach_with_dlv_dap_stops_at_a_breakpoint_reads_a_local_and_detach_leaves_the_server_answering()
{
    let Some(dlv_dir) = dlv_dir("attach_lsp") else {
        return;
    };
    let target = Target::start(&builds().no_opt);
    let pid = target.pid();
    let mut editor = editor(&path_with(&dlv_dir));

    let requested = Instant::now();
    let attached =
        result(editor.request("gord/attach", Some(json!({"pid": pid, "server": "dap"}))));
    let config = &attached["configuration"];
    assert_eq!(config["type"], "gord-dlv");
    assert_eq!(config["request"], "attach");
    assert_eq!(config["mode"], "local");
    assert_eq!(config["processId"], pid);
    assert_eq!(config["gordSessionId"], attached["sessionId"]);
    assert_eq!(attached["host"], "127.0.0.1");
    let dlv_pid = attached["dlvPid"].as_u64().unwrap() as u32;
    assert_listens_on_loopback_only(dlv_pid);

    // What VS Code does with gord's debug type: DAP straight to dlv dap.
    let port = attached["port"].as_u64().unwrap() as u16;
    let mut dap = Dap::connect("127.0.0.1", port);
    let capabilities = dap.request(
        "initialize",
        json!({"clientID": "gord-test", "adapterID": "gord-dlv", "pathFormat": "path",
               "linesStartAt1": true, "columnsStartAt1": true}),
    );
    eprintln!(
        "gord/attach request -> DAP initialize response: {} ms",
        requested.elapsed().as_millis()
    );
    assert_eq!(capabilities["supportsConfigurationDoneRequest"], true);
    dap.request("attach", json!({"mode": "local", "processId": pid}));
    dap.wait_event("initialized");
    let source = common::debug_fixture::fixture_dir().join("main.go");
    let line = breakpoint_line();
    let set = dap.request(
        "setBreakpoints",
        json!({"source": {"path": source}, "breakpoints": [{"line": line}]}),
    );
    assert_eq!(set["breakpoints"][0]["verified"], true, "{set:#}");
    dap.request("configurationDone", json!({}));
    assert_eq!(tracer_of(pid), dlv_pid, "dlv is tracing the target");

    let addr = target.addr;
    let pending = std::thread::spawn(move || http_get(addr, "/bp"));
    let stopped = dap.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint", "{stopped:#}");
    let thread = stopped["body"]["threadId"].clone();
    let stack = dap.request("stackTrace", json!({"threadId": thread, "levels": 5}));
    let top = &stack["stackFrames"][0];
    assert_eq!(top["name"], "main.handler", "{stack:#}");
    assert_eq!(top["line"], line);
    let scopes = dap.request("scopes", json!({"frameId": top["id"]}));
    let locals = common::entry(&scopes["scopes"], "name", "Locals").clone();
    let variables = dap.request(
        "variables",
        json!({"variablesReference": locals["variablesReference"]}),
    );
    let greeting = common::entry(&variables["variables"], "name", "greeting");
    assert_eq!(greeting["value"], "\"gord fixture: visit 1 to /bp\"");

    dap.request("continue", json!({"threadId": thread}));
    let body = pending.join().unwrap().unwrap();
    assert_eq!(body.trim(), "gord fixture: visit 1 to /bp");
    dap.request("disconnect", json!({"terminateDebuggee": false}));

    let detached = result(editor.request(
        "gord/detach",
        Some(json!({"sessionId": attached["sessionId"]})),
    ));
    assert_eq!(detached["detached"], true);
    assert_eq!(detached["pid"], pid);
    wait_until("dlv to exit", || !process_exists(dlv_pid));
    assert_eq!(tracer_of(pid), 0);
    assert_eq!(
        target.get("/after").unwrap().trim(),
        "gord fixture: visit 2 to /after",
        "the server keeps answering"
    );
    let again = result(editor.request(
        "gord/detach",
        Some(json!({"sessionId": attached["sessionId"]})),
    ));
    assert_eq!(again, json!({"detached": false}));
}

/// One JSON-RPC 2 call to a headless dlv (Go's net/rpc JSON codec: one line each way).
fn rpc(stream: &mut BufReader<TcpStream>, id: u64, method: &str, params: Value) -> Value {
    let request = json!({"method": method, "params": [params], "id": id});
    writeln!(stream.get_mut(), "{request}").unwrap();
    let mut line = String::new();
    stream.read_line(&mut line).unwrap();
    let reply: Value = serde_json::from_str(&line).unwrap();
    assert!(reply["error"].is_null(), "{method}: {reply}");
    reply["result"].clone()
}

#[test]
fn attach_headless_answers_json_rpc_stops_at_the_breakpoint_and_detach_by_port_leaves_it_running() {
    let Some(dlv_dir) = dlv_dir("attach_lsp") else {
        return;
    };
    let target = Target::start(&builds().no_opt);
    let pid = target.pid();
    let mut editor = editor(&path_with(&dlv_dir));
    let attached = result(editor.request("gord/attach", Some(json!({"pid": pid}))));
    assert_eq!(attached["server"], "headless");
    let config = &attached["configuration"];
    assert_eq!(
        (
            config["type"].as_str(),
            config["request"].as_str(),
            config["mode"].as_str()
        ),
        (Some("go"), Some("attach"), Some("remote")),
        "vscode-go's remote attach"
    );
    assert_eq!(config["port"], attached["port"]);
    let dlv_pid = attached["dlvPid"].as_u64().unwrap() as u32;
    assert_listens_on_loopback_only(dlv_pid);
    assert_eq!(
        tracer_of(pid),
        dlv_pid,
        "a headless server attaches at once"
    );

    let port = attached["port"].as_u64().unwrap() as u16;
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // A hang becomes a failure, not a stuck test run.
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut conn = BufReader::new(stream);
    let version = rpc(&mut conn, 1, "RPCServer.GetVersion", json!({}));
    assert_eq!(version["APIVersion"], 2);
    // --continue: the service runs on while nobody is connected (dlv may
    // take a moment to resume it after attaching).
    let mut id = 10;
    let mut running = |conn: &mut BufReader<TcpStream>| {
        id += 1;
        let state = rpc(conn, id, "RPCServer.State", json!({"NonBlocking": true}));
        state["State"]["Running"] == true
    };
    wait_until("dlv to resume the target", || running(&mut conn));
    // Halt it, and wait until it has stopped, to set the breakpoint.
    rpc(&mut conn, 2, "RPCServer.Command", json!({"name": "halt"}));
    wait_until("the target to halt", || !running(&mut conn));
    let file = common::debug_fixture::fixture_dir()
        .join("main.go")
        .display()
        .to_string();
    let created = rpc(
        &mut conn,
        3,
        "RPCServer.CreateBreakpoint",
        json!({"Breakpoint": {"file": file, "line": breakpoint_line()}}),
    );
    assert_eq!(
        created["Breakpoint"]["line"],
        breakpoint_line(),
        "{created:#}"
    );
    let addr = target.addr;
    let pending = std::thread::spawn(move || http_get(addr, "/rpc"));
    let state = rpc(
        &mut conn,
        4,
        "RPCServer.Command",
        json!({"name": "continue"}),
    );
    assert_eq!(
        state["State"]["currentThread"]["function"]["name"], "main.handler",
        "{state:#}"
    );
    let goroutine = state["State"]["currentThread"]["goroutineID"].clone();
    let locals = rpc(
        &mut conn,
        5,
        "RPCServer.ListLocalVars",
        json!({"Scope": {"GoroutineID": goroutine, "Frame": 0},
               "Cfg": {"FollowPointers": true, "MaxStringLen": 64, "MaxArrayValues": 8, "MaxStructFields": -1, "MaxVariableRecurse": 1}}),
    );
    let greeting = common::entry(&locals["Variables"], "name", "greeting");
    assert_eq!(greeting["value"], "gord fixture: visit 1 to /rpc");
    drop(conn);

    // The breakpoint is still set and the target halted: detach must remove
    // it and let the request finish.
    let detached = result(editor.request("gord/detach", Some(json!({"port": port}))));
    assert_eq!(detached["detached"], true);
    assert_eq!(detached["stop"]["exitedCleanly"], true, "{detached:#}");
    let body = pending.join().unwrap().unwrap();
    assert_eq!(body.trim(), "gord fixture: visit 1 to /rpc");
    wait_until("dlv to exit", || !process_exists(dlv_pid));
    assert_eq!(tracer_of(pid), 0);
    assert_eq!(
        target.get("/").unwrap().trim(),
        "gord fixture: visit 2 to /"
    );
}

#[test]
fn a_process_already_being_debugged_is_refused_with_dbg003_naming_the_tracer() {
    let Some(dlv_dir) = dlv_dir("attach_lsp") else {
        return;
    };
    let target = Target::start(&builds().no_opt);
    let pid = target.pid();
    let mut editor = editor(&path_with(&dlv_dir));
    let first = result(editor.request("gord/attach", Some(json!({"pid": pid}))));
    let dlv_pid = first["dlvPid"].as_u64().unwrap();

    let second = editor.request("gord/attach", Some(json!({"pid": pid})));
    let error = &second["error"];
    assert_eq!(error["code"], -32001, "{second:#}");
    let finding = &error["data"]["preflight"]["findings"][0];
    assert_eq!(finding["code"], "DBG003");
    let message = str_of(&finding["message"]);
    assert!(message.contains(&format!("pid {dlv_pid}")), "{message}");
    assert!(
        message.contains("dlv attach"),
        "names the tracer's command: {message}"
    );
    assert!(str_of(&error["message"]).contains("DBG003"));

    let out = Command::new(common::gord())
        .args(["attach", &pid.to_string(), "--dry-run"])
        .env("PATH", path_with(&dlv_dir))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("error[DBG003]"), "{stdout}");
    assert!(
        stdout.contains(&format!("already being debugged by pid {dlv_pid}")),
        "{stdout}"
    );
    // The target runs (--continue): dlv must be halted to detach, and the
    // detach must not have to fall back to killing dlv.
    let detached = result(editor.request(
        "gord/detach",
        Some(json!({"sessionId": first["sessionId"]})),
    ));
    assert_eq!(detached["stop"]["exitedCleanly"], true, "{detached:#}");
    assert!(detached["stop"].get("problem").is_none(), "{detached:#}");
    assert_eq!(tracer_of(pid), 0);
    assert!(target
        .get("/")
        .unwrap()
        .starts_with("gord fixture: visit 1"));
}

#[test]
fn a_build_without_dwarf_is_refused_with_dbg006_and_nothing_is_started() {
    let target = Target::start(&builds().no_dwarf);
    let mut editor = editor(&std::env::var("PATH").unwrap_or_default());
    let refused = editor.request(
        "gord/attach",
        Some(json!({"pid": target.pid(), "server": "dap"})),
    );
    assert_eq!(refused["error"]["code"], -32001, "{refused:#}");
    assert_eq!(
        refused["error"]["data"]["preflight"]["findings"][0]["code"],
        "DBG006"
    );
    assert_eq!(
        refused["error"]["data"]["preflight"]["findings"][0]["doc"],
        "docs/rules/DBG006.md"
    );
    assert_eq!(tracer_of(target.pid()), 0);
    assert_eq!(dlv_children(editor.child.id()), Vec::<u32>::new());
}

/// The uid and gid of the test user, created if needed; None when not root.
fn test_user() -> Option<(u32, u32)> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        common::skip(
            "attach_lsp other-user tests",
            "they need root (to create and become a user)",
        );
        return None;
    }
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, "gordtest"]).output().ok()?;
        String::from_utf8(out.stdout).ok()?.trim().parse().ok()
    };
    if id("-u").is_none() {
        let status = Command::new("useradd")
            .args(["--system", "--no-create-home", "gordtest"])
            .status();
        if !status.is_ok_and(|s| s.success()) && id("-u").is_none() {
            common::skip("attach_lsp other-user tests", "useradd gordtest failed");
            return None;
        }
    }
    Some((id("-u")?, id("-g")?))
}

fn as_user(uid: u32, gid: u32, program: &Path) -> Command {
    let mut command = Command::new("setpriv");
    command
        .arg(format!("--reuid={uid}"))
        .arg(format!("--regid={gid}"))
        .arg("--clear-groups")
        .arg(program);
    command
}

#[test]
fn another_users_process_is_dbg002_for_them_but_root_may_attach() {
    let Some((uid, gid)) = test_user() else {
        return;
    };
    let b = builds();

    // The test user's server, seen by root (CAP_SYS_PTRACE): attachable.
    let theirs = Target::start_with(as_user(uid, gid, &b.no_opt));
    assert_eq!(
        status_field(theirs.pid(), "Uid:")
            .unwrap()
            .split_whitespace()
            .next(),
        Some(uid.to_string().as_str())
    );
    let mut editor = editor(&std::env::var("PATH").unwrap_or_default());
    let list = result(editor.request("gord/procs", Some(json!({"goOnly": true}))));
    let seen = entry(&list, theirs.pid());
    assert_eq!(seen["user"], "gordtest");
    assert!(!codes(seen).contains(&"DBG002".to_string()), "{seen:#}");

    // Root's server, seen by the test user: DBG002, quoting Delve.
    let root_owned = Target::start(&b.no_opt);
    let out = as_user(uid, gid, Path::new(common::gord()))
        .args(["attach", &root_owned.pid().to_string(), "--dry-run"])
        .env("HOME", "/tmp")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("error[DBG002]"), "{stdout}");
    assert!(
        stdout.contains("current user does not own the process"),
        "{stdout}"
    );
}

fn attach_two(editor: &mut Editor, a: &Target, b: &Target) -> Vec<u32> {
    [a.pid(), b.pid()]
        .into_iter()
        .zip(["headless", "dap"])
        .map(|(pid, server)| {
            let attached =
                result(editor.request("gord/attach", Some(json!({"pid": pid, "server": server}))));
            attached["dlvPid"].as_u64().unwrap() as u32
        })
        .collect()
}

/// A sidecar (dlv on its PATH) attached to two started fixtures, a headless
/// dlv on the first and a DAP one on the second; None when dlv is missing.
fn sidecar_attached_to_two(second: &Path) -> Option<(Editor, [Target; 2], Vec<u32>)> {
    let dlv_dir = dlv_dir("attach_lsp")?;
    let targets = [Target::start(&builds().no_opt), Target::start(second)];
    let mut editor = editor(&path_with(&dlv_dir));
    let dlvs = attach_two(&mut editor, &targets[0], &targets[1]);
    Some((editor, targets, dlvs))
}

/// Waits for the sidecar to exit, then checks that none of its dlvs outlived
/// it and that the targets run on, untraced.
fn assert_dlvs_went_with_the_sidecar(
    editor: &mut Editor,
    why: &str,
    dlvs: &[u32],
    targets: &[Target],
) {
    wait_until(&format!("gord to exit {why}"), || {
        editor.child.try_wait().unwrap().is_some()
    });
    for pid in dlvs {
        assert!(!process_exists(*pid), "dlv {pid} outlived the sidecar");
    }
    for target in targets {
        assert_eq!(tracer_of(target.pid()), 0);
        assert!(target.get("/").unwrap().starts_with("gord fixture: visit"));
    }
}

#[test]
fn shutdown_and_exit_stop_every_dlv_the_sidecar_started_and_the_targets_keep_running() {
    let Some((mut editor, targets, dlvs)) = sidecar_attached_to_two(&builds().normal) else {
        return;
    };
    assert!(dlvs.iter().all(|p| process_exists(*p)));
    let mut children = dlv_children(editor.child.id());
    children.sort_unstable();
    let mut expected = dlvs.clone();
    expected.sort_unstable();
    assert_eq!(children, expected, "the sidecar is dlv's parent");

    result(editor.request("shutdown", None));
    // Stopped during shutdown, before its answer.
    assert!(
        dlvs.iter().all(|p| !process_exists(*p)),
        "dlv left after shutdown"
    );
    editor.notify("exit", json!(null));
    assert_dlvs_went_with_the_sidecar(&mut editor, "after exit", &dlvs, &targets);
}

#[test]
fn closing_the_sidecars_stdin_stops_its_dlv_too() {
    let Some((mut editor, targets, dlvs)) = sidecar_attached_to_two(&builds().no_opt) else {
        return;
    };
    // The editor went away without a word: its end of the pipe closes.
    editor.close_stdin();
    assert_dlvs_went_with_the_sidecar(&mut editor, "after stdin closed", &dlvs, &targets);
}

#[test]
fn a_sigterm_to_the_sidecar_stops_its_dlv_before_it_exits() {
    let Some((mut editor, targets, dlvs)) = sidecar_attached_to_two(&builds().no_opt) else {
        return;
    };
    // dlv runs in a process group of its own: the signal reaches gord alone.
    // SAFETY: kill has no memory-safety preconditions.
    let sent = unsafe { libc::kill(editor.child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(sent, 0);
    assert_dlvs_went_with_the_sidecar(&mut editor, "after SIGTERM", &dlvs, &targets);
}

#[test]
fn an_untrusted_workspace_never_supplies_dlv() {
    use std::os::unix::fs::PermissionsExt;
    let Some(dlv_dir) = dlv_dir("attach_lsp") else {
        return;
    };
    let ws = tempfile::tempdir().unwrap();
    let ws_path = ws.path().canonicalize().unwrap();
    let bin = ws_path.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let marker = ws_path.join("workspace-dlv-ran");
    let fake = bin.join("dlv");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\ntouch '{}'\necho 'Version: 1.27.2'\n",
            marker.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    // The workspace's own bin first on PATH, as a hostile .envrc might make it.
    let path = format!("{}:{}", bin.display(), path_with(&dlv_dir));
    let procs_dlv = |trusted: bool| {
        let mut editor = Editor::start(&[("PATH", path.as_str())]);
        editor.ignore(&["gord/status"]);
        editor.initialize(&ws_path, json!({ "trusted": trusted }));
        editor.notify("initialized", json!({}));
        let list = result(editor.request("gord/procs", Some(json!({"goOnly": true}))));
        list["dlv"]["path"].as_str().map(PathBuf::from)
    };

    let untrusted = procs_dlv(false).expect("the real dlv is found");
    assert!(!untrusted.starts_with(&ws_path), "{}", untrusted.display());
    assert!(!marker.exists(), "the workspace's dlv ran");
    // Trusted, the same PATH does pick it: the check above means something.
    assert_eq!(procs_dlv(true), Some(fake));
}
