//! Remote checks in the editor: `gord serve` over its real stdio against real
//! sshd daemons on loopback (tests/rig): the config's hosts for the quick
//! pick, a check with progress whose findings land on the right Host lines,
//! a cancel that leaves no ssh behind, and no check for an untrusted workspace.

use crate::common;
use crate::rig;

use std::time::{Duration, Instant};

use common::editor::Editor;
use common::{str_of, wait};
use rig::{processes_mentioning, Rig};
use serde_json::{json, Value};

/// sshd's non-login PATH for the rig's root sessions: Go and its tools on it.
const GO_PATH_ENV: &str = "SetEnv PATH=/usr/local/go/bin:/root/go/bin:/usr/local/bin:/usr/bin:/bin";

fn start(trusted: bool) -> (Editor, tempfile::TempDir) {
    let ws = tempfile::tempdir().unwrap();
    let mut editor = Editor::start(&[("GORD_LOG", "debug")]);
    // The health run `initialized` starts is not what these tests are about.
    editor.ignore(&["gord/status"]);
    editor.initialize(ws.path(), json!({ "trusted": trusted }));
    editor.notify("initialized", json!({}));
    (editor, ws)
}

fn with_key(rig: &Rig) -> Vec<String> {
    rig.root_with_key()
}

fn strs(lines: &[String]) -> Vec<&str> {
    lines.iter().map(String::as_str).collect()
}

/// The 0-based line of `Host alias` in the rig's config.
fn host_line(rig: &Rig, alias: &str) -> u64 {
    let text = std::fs::read_to_string(&rig.config).unwrap();
    text.lines()
        .position(|l| l == format!("Host {alias}"))
        .unwrap() as u64
}

#[test]
fn the_hosts_of_the_config_are_listed_with_their_host_lines() {
    let mut rig = Rig::new();
    rig.host("alpha", 1, &[]);
    rig.host("beta", 2, &[]);
    let (mut editor, _ws) = start(false);
    let response = editor.request(
        "gord/remote/hosts",
        Some(json!({ "config": rig.config.display().to_string() })),
    );
    let file = rig.config.display().to_string();
    assert_eq!(
        response["result"],
        json!({
            "config": file,
            "hosts": [
                { "host": "alpha", "file": file, "line": 0 },
                { "host": "beta", "file": file, "line": host_line(&rig, "beta") },
            ]
        })
    );
}

#[test]
fn a_check_reports_progress_and_puts_each_hosts_findings_on_its_host_line() {
    let mut rig = Rig::new();
    let healthy = rig.start_sshd("healthy", &[GO_PATH_ENV, "AllowTcpForwarding yes"]);
    rig.trust_sshd(healthy);
    let moved = rig.start_sshd("moved", &[]);
    // known_hosts holds another key for the moved host's port.
    rig.trust_an_old_key(moved);
    let key = with_key(&rig);
    rig.host("healthy", healthy, &strs(&key));
    rig.host("moved", moved, &strs(&key));

    let (mut editor, _ws) = start(true);
    let id = 7001;
    editor.send(
        json!({ "jsonrpc": "2.0", "id": id, "method": "gord/remote/check", "params": {
        "hosts": "all", "config": rig.config.display().to_string(), "timeoutSeconds": 5 } }),
    );
    let token = editor.accept_progress();
    let response = editor.response_to(id);
    let fleet = &response["result"];
    assert_eq!(fleet["hosts"][0]["host"], "healthy", "{response:#}");
    assert_eq!(fleet["hosts"][0]["summary"]["reachable"], "yes");
    assert_eq!(fleet["hosts"][0]["summary"]["auth"], "yes", "{fleet:#}");
    assert_eq!(fleet["hosts"][1]["host"], "moved");
    assert_eq!(fleet["hosts"][1]["findings"][0]["code"], "RMT006");

    let progress: Vec<Value> = editor
        .wait_progress_end(&token)
        .iter()
        .map(|m| m["params"]["value"].clone())
        .collect();
    assert_eq!(progress.first().unwrap()["kind"], "begin");
    assert_eq!(progress.first().unwrap()["cancellable"], true);
    assert_eq!(progress.last().unwrap()["kind"], "end");
    let reports: Vec<&str> = progress
        .iter()
        .filter(|p| p["kind"] == "report")
        .map(|p| str_of(&p["message"]))
        .collect();
    assert_eq!(reports.len(), 2, "{progress:#?}");
    assert!(
        reports.contains(&"2 of 2: moved — error") || reports.contains(&"1 of 2: moved — error"),
        "{reports:?}"
    );

    let uri = format!("file://{}", rig.config.display());
    let diagnostics = editor.wait_diagnostics(&uri, |_| true);
    let changed = diagnostics
        .iter()
        .find(|d| d["code"] == "RMT006")
        .unwrap_or_else(|| panic!("{diagnostics:#?}"));
    let line = host_line(&rig, "moved");
    assert_eq!(line, 8);
    assert_eq!(
        changed["range"]["start"],
        json!({ "line": line, "character": 5 })
    );
    assert_eq!(
        changed["range"]["end"],
        json!({ "line": line, "character": 10 })
    );
    assert_eq!(changed["source"], "gord");
    assert_eq!(changed["severity"], 1);
    assert!(str_of(&changed["message"]).starts_with("moved: "));
    assert!(str_of(&changed["codeDescription"]["href"]).ends_with("docs/rules/RMT006.md"));
    // Every diagnostic of the healthy host sits on its own Host line.
    for d in diagnostics
        .iter()
        .filter(|d| str_of(&d["message"]).starts_with("healthy: "))
    {
        assert_eq!(d["range"]["start"]["line"], 0, "{d:#}");
    }

    // The report shows the hosts as an area of their own.
    let report = editor.request("gord/report", Some(json!({})));
    let html = str_of(&report["result"]["html"]);
    assert!(html.contains("<h2 id=\"area-remote-hosts\">Remote hosts</h2>"));
    assert!(html.contains("<code>moved</code>"));
    assert_eq!(report["result"]["fleet"]["hosts"][1]["host"], "moved");
    assert!(str_of(&report["result"]["markdown"]).contains("| `moved` |"));
}

#[test]
fn cancelling_a_check_returns_at_once_and_leaves_no_ssh_behind() {
    cancel_during_a_check(|editor, _, token| {
        editor.cancel_progress(token);
    });
}

#[test]
fn cancelling_the_request_itself_also_leaves_no_ssh_behind() {
    cancel_during_a_check(|editor, id, _| {
        editor.notify("$/cancelRequest", json!({ "id": id }));
    });
}

/// Checks a silent host and one behind it with a long timeout, cancels with
/// `cancel(editor, request id, progress token)` once `ssh -W` runs.
fn cancel_during_a_check(cancel: impl Fn(&mut Editor, i64, &Value)) {
    let mut rig = Rig::new();
    let hole = rig.black_hole();
    let key = with_key(&rig);
    rig.host("silent", hole, &strs(&key));
    // Reached through the silent one: the system ssh runs `ssh -W` for it.
    let mut behind = key.clone();
    behind.push(String::from("ProxyJump silent"));
    rig.host("behind", 22, &strs(&behind));
    let dir = rig.dir.path().display().to_string();

    let (mut editor, _ws) = start(true);
    let id = 7002;
    editor.send(
        json!({ "jsonrpc": "2.0", "id": id, "method": "gord/remote/check", "params": {
        "hosts": ["silent", "behind"], "config": rig.config.display().to_string(),
        "timeoutSeconds": 120 } }),
    );
    let token = editor.accept_progress();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !processes_mentioning(&dir)
        .iter()
        .any(|p| p.contains("ssh") && p.contains("-W"))
    {
        assert!(Instant::now() < deadline, "ssh -W never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    let cancelled = Instant::now();
    cancel(&mut editor, id, &token);
    let response = editor.response_to(id);
    wait::assert_took_less(cancelled, Duration::from_secs(2));
    assert_eq!(response["error"]["code"], -32800, "{response:#}");
    wait::until_empty(Duration::from_secs(2), "left behind", || {
        processes_mentioning(&dir)
    });
    let progress = editor.wait_progress_end(&token);
    assert_eq!(progress[0]["params"]["value"]["kind"], "begin");
    let end = progress.last().unwrap();
    assert_eq!(end["params"]["value"]["message"], "cancelled");
}

#[test]
fn an_untrusted_workspace_is_refused_and_nothing_connects() {
    let mut rig = Rig::new();
    let port = rig.start_sshd("quiet", &[]);
    rig.trust_sshd(port);
    let key = with_key(&rig);
    rig.host("quiet", port, &strs(&key));
    // The rig's own readiness probe connected once already; sshd may log it
    // a little later on a loaded machine.
    let mut before = 0;
    wait::until_empty(
        Duration::from_secs(10),
        "the readiness probe in sshd's log",
        || {
            before = rig.sshd_log(port).matches("Connection from").count();
            if before == 0 {
                vec!["none yet"]
            } else {
                vec![]
            }
        },
    );
    let (mut editor, _ws) = start(false);
    let response = editor.request(
        "gord/remote/check",
        Some(json!({ "hosts": "all", "config": rig.config.display().to_string() })),
    );
    let message = response["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("not trusted"), "{response:#}");
    assert_eq!(
        response["error"]["code"], -32803,
        "RequestFailed: {response:#}"
    );
    std::thread::sleep(Duration::from_millis(300));
    let log = rig.sshd_log(port);
    assert_eq!(log.matches("Connection from").count(), before, "{log}");
}

/// An editor (initialized with `options`) that checked the rig's host
/// `nolocks` (whose flock fails), with `settings` in the user settings file
/// `path` (None: no file), and the diagnostic RMT030 left on its Host line:
/// the editor, the config's URI, the diagnostic, the report's RMT030 fix.
fn checked_nolocks(
    rig: &mut Rig,
    user: &str,
    (path, settings): (&std::path::Path, Option<&str>),
    options: Value,
) -> (Editor, tempfile::TempDir, String, Value, Value) {
    rig.flock_failing_host("nolocks", user);
    if let Some(text) = settings {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let ws = tempfile::tempdir().unwrap();
    let config_home = rig.path("config").display().to_string();
    let mut editor = Editor::start(&[("XDG_CONFIG_HOME", &config_home)]);
    editor.ignore(&["gord/status", "$/progress"]);
    editor.initialize(ws.path(), options);
    editor.notify("initialized", json!({}));
    let id = 7301;
    editor.send(
        json!({ "jsonrpc": "2.0", "id": id, "method": "gord/remote/check", "params": {
        "hosts": ["nolocks"], "config": rig.config.display().to_string(), "timeoutSeconds": 5 } }),
    );
    editor.accept_progress();
    let response = editor.response_to(id);
    let fix = common::entry(
        &response["result"]["hosts"][0]["findings"],
        "code",
        "RMT030",
    )["fix"]
        .clone();
    let uri = format!("file://{}", rig.config.display());
    let diagnostics = editor.wait_diagnostics(&uri, |d| d.iter().any(|d| d["code"] == "RMT030"));
    let rmt030 = diagnostics
        .iter()
        .find(|d| d["code"] == "RMT030")
        .unwrap()
        .clone();
    (editor, ws, uri, rmt030, fix)
}

/// The quick fixes offered for `diagnostic` whose title says they set settings.
fn settings_actions(editor: &mut Editor, uri: &str, diagnostic: &Value) -> Vec<Value> {
    let actions = editor.request(
        "textDocument/codeAction",
        Some(json!({
            "textDocument": { "uri": uri },
            "range": diagnostic["range"],
            "context": { "diagnostics": [diagnostic] },
        })),
    );
    actions["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|a| str_of(&a["title"]).starts_with("Set "))
        .collect()
}

#[test]
fn a_hosts_settings_fix_is_a_quick_fix_on_its_host_line_that_edits_the_users_settings() {
    if !rig::is_root() {
        common::skip::skip(
            "remote_lsp settings quick fix",
            "creating the rig's login users needs root",
        );
        return;
    }
    let mut rig = Rig::new();
    let before = "{\n  // mine\n  \"editor.tabSize\": 2\n}\n";
    let settings = rig.user_settings();
    let (mut editor, _ws, uri, rmt030, fix) = checked_nolocks(
        &mut rig,
        "gordlspnolocks",
        (&settings, Some(before)),
        json!({ "trusted": true }),
    );
    // The report's fix (the fleet's first fix) is the same edit.
    assert!(
        str_of(&fix["title"]).starts_with("Set `\"remote.SSH.useFlock\": false`"),
        "{fix:#}"
    );
    let actions = settings_actions(&mut editor, &uri, &rmt030);
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let settings_uri = format!("file://{}", settings.display());
    let edits = actions[0]["edit"]["changes"][&settings_uri]
        .as_array()
        .unwrap_or_else(|| panic!("{:#}", actions[0]));
    let edits: Vec<(gord::finding::Range, String)> = edits
        .iter()
        .map(|e| {
            (
                serde_json::from_value(e["range"].clone()).unwrap(),
                str_of(&e["newText"]).to_string(),
            )
        })
        .collect();
    assert_eq!(
        gord::edit::apply_edits(before, &edits).unwrap(),
        "{\n  // mine\n  \"editor.tabSize\": 2,\n  \"remote.SSH.useFlock\": false,\n  \"remote.SSH.lockfilesInTmp\": true\n}\n"
    );
    // Once the file changed, its ranges may point anywhere: no such fix.
    std::fs::write(&settings, "{}\n").unwrap();
    assert!(settings_actions(&mut editor, &uri, &rmt030).is_empty());
}

#[test]
fn with_no_settings_file_the_quick_fix_has_the_sidecar_create_it_as_vs_code_would() {
    if !rig::is_root() {
        common::skip::skip(
            "remote_lsp settings file creation",
            "creating the rig's login users needs root",
        );
        return;
    }
    let mut rig = Rig::new();
    // The editor in use is VSCodium: its settings, not VS Code's.
    let settings = rig.path("config/VSCodium/User/settings.json");
    let (mut editor, _ws, uri, rmt030, _) = checked_nolocks(
        &mut rig,
        "gordlspnewset",
        (&settings, None),
        json!({ "trusted": true, "appName": "VSCodium" }),
    );
    assert!(!settings.parent().unwrap().exists());
    let actions = settings_actions(&mut editor, &uri, &rmt030);
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let command = &actions[0]["command"];
    assert_eq!(
        command["command"], "gord.createSettingsFile",
        "{actions:#?}"
    );
    assert_eq!(actions[0]["edit"], Value::Null);
    // What the extension's command does: the argument back to the sidecar.
    let params = command["arguments"][0].clone();
    let created = editor.request("gord/settings/create", Some(params.clone()));
    assert_eq!(
        created["result"]["path"],
        settings.display().to_string(),
        "{created:#}"
    );
    assert_eq!(
        std::fs::read_to_string(&settings).unwrap(),
        "{\n    \"remote.SSH.useFlock\": false,\n    \"remote.SSH.lockfilesInTmp\": true\n}\n"
    );
    // The modes a file and a directory made the ordinary way get here.
    let plain = tempfile::tempdir().unwrap();
    let plain_dir = plain.path().join("d");
    std::fs::create_dir(&plain_dir).unwrap();
    std::fs::write(plain_dir.join("f"), "").unwrap();
    let mode = |p: &std::path::Path| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
    };
    assert_eq!(mode(&settings), mode(&plain_dir.join("f")));
    assert_eq!(mode(settings.parent().unwrap()), mode(&plain_dir));
    let names: Vec<_> = std::fs::read_dir(settings.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["settings.json"], "no temporary file left");
    // It exists now: a second creation is refused and leaves it alone.
    let again = editor.request("gord/settings/create", Some(params));
    assert_eq!(again["error"]["code"], -32803, "{again:#}");
    // And the quick fix is now an edit of that file... computed on the
    // missing file, so it is not offered until the host is checked again.
    assert!(settings_actions(&mut editor, &uri, &rmt030).is_empty());
}
