//! `gord serve` driven over its real stdio, as an editor drives it:
//! Content-Length framing, initialize, notifications, requests, shutdown, exit.

use crate::common;

use std::time::{Duration, Instant};

use common::editor::{is_notification, Editor};
use common::lsp::hover;
use common::{assert_contains_all, str_of, wait, workspace_requiring};
use serde_json::{json, Value};

#[test]
fn an_editor_session_from_initialize_to_exit() {
    let ws = workspace_requiring("1.99");
    let go_mod_uri = format!("file://{}/go.mod", ws.path().display());
    let mut editor = Editor::start(&[("GOTOOLCHAIN", "local")]);

    // initialize: capabilities, server info, and a bad setting reported, not fatal.
    let response = editor.initialize(
        ws.path(),
        json!({ "trusted": true, "settings": { "checks": { "timeoutSeconds": "soon" } } }),
    );
    let result = &response["result"];
    assert_eq!(result["serverInfo"]["name"], "gord");
    assert_eq!(result["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        result["capabilities"]["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    assert_eq!(
        result["capabilities"]["experimental"]["gord"]["protocolVersion"],
        2
    );
    let warning = editor.wait_for(is_notification("window/showMessage"));
    assert_eq!(warning["params"]["type"], 2, "a warning");
    let text = str_of(&warning["params"]["message"]);
    assert!(
        text.contains("gord.checks.timeoutSeconds: expected a number of seconds, got a string"),
        "{text}"
    );

    // initialized starts the first health run: status running, diagnostics, status idle.
    editor.notify("initialized", json!({}));
    let running = editor.wait_for(is_notification("gord/status"));
    assert_eq!(running["params"]["state"], "running");
    let published = editor.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == go_mod_uri.as_str()
    });
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["code"], "GO006");
    assert_eq!(diagnostic["source"], "gord");
    assert_eq!(diagnostic["severity"], 1);
    assert_eq!(
        diagnostic["range"],
        json!({ "start": { "line": 2, "character": 3 }, "end": { "line": 2, "character": 7 } })
    );
    assert!(str_of(&diagnostic["message"]).starts_with("go.mod requires go >= 1.99 (running go "));
    let idle = editor.wait_for(is_notification("gord/status"));
    assert_eq!(idle["params"]["state"], "idle");
    assert_eq!(idle["params"]["summary"]["status"], "error");
    assert_eq!(
        idle["params"]["checks"].as_array().unwrap().len(),
        common::ALL_CHECK_IDS.len()
    );

    // gord/version and gord/health.
    let version = editor.request("gord/version", None);
    assert_eq!(
        version["result"],
        json!({ "name": "gord", "version": env!("CARGO_PKG_VERSION"), "protocolVersion": 2 })
    );
    let health = editor.request("gord/health", Some(json!({})));
    let checks = health["result"]["checks"].as_array().unwrap();
    assert_eq!(checks.len(), common::ALL_CHECK_IDS.len());
    assert_eq!(checks[0]["id"], "GO001");
    assert_eq!(checks[0]["status"], "ok");
    let go006 = checks.iter().find(|c| c["id"] == "GO006").unwrap();
    assert_eq!(go006["status"], "error");
    assert_eq!(
        health["result"]["workspace"],
        ws.path().canonicalize().unwrap().display().to_string()
    );

    // gord/report renders the same report as Markdown.
    let report = editor.request("gord/report", Some(json!({ "refresh": false })));
    let markdown = str_of(&report["result"]["markdown"]);
    assert!(markdown.starts_with("# Go Remote Doctor report"));
    assert!(markdown.contains("### ❌ GO006 — Workspace Go version"));

    // The diagnostic's quick fix runs its argv through the extension's command.
    let actions = editor.request(
        "textDocument/codeAction",
        Some(json!({
            "textDocument": { "uri": go_mod_uri },
            "range": diagnostic["range"],
            "context": { "diagnostics": [diagnostic] }
        })),
    );
    let action = &actions["result"][0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["command"]["command"], "gord.runFixCommand");
    assert_eq!(
        action["command"]["arguments"],
        json!([["go", "env", "-w", "GOTOOLCHAIN=auto"]])
    );

    // An unknown method is an error response, and the server keeps serving.
    let unknown = editor.request("gord/doesNotExist", Some(json!({})));
    assert_eq!(unknown["error"]["code"], -32601);

    // A changed setting with one bad key: reported, the good key applies, a new run follows.
    editor.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "gord": { "go": { "minimumVersion": "2.0" }, "trace": { "server": "loud" } } } }),
    );
    let warning = editor.wait_for(is_notification("window/showMessage"));
    assert!(str_of(&warning["params"]["message"]).contains("gord.trace.server"));
    editor.wait_for(|m| m["method"] == "gord/status" && m["params"]["state"] == "running");
    let rerun = editor.wait_for(|m| m["method"] == "gord/status" && m["params"]["state"] == "idle");
    // The rerun publishes go.mod's diagnostics again: the same one problem.
    let republished = editor.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == go_mod_uri.as_str()
    });
    assert_eq!(
        republished["params"]["diagnostics"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let go002 = common::entry(&rerun["params"]["checks"], "id", "GO002").clone();
    assert_eq!(
        go002["status"], "warning",
        "the minimum 2.0 applied: {go002}"
    );

    // shutdown then exit: a null result, then the process ends by itself.
    let shutdown = editor.request("shutdown", None);
    assert_eq!(shutdown["result"], Value::Null);
    editor.notify("exit", Value::Null);
    let status = wait::for_exit(&mut editor.child, Duration::from_secs(5));
    assert!(status.success(), "{status:?}");
}

#[test]
fn fixed_problems_clear_their_diagnostics_on_the_next_run() {
    let ws = workspace_requiring("1.99");
    let go_mod = ws.path().join("go.mod");
    let go_mod_uri = format!("file://{}", go_mod.display());
    let mut editor = Editor::start(&[("GOTOOLCHAIN", "local")]);
    // Each run's start and end: not what this test is about.
    editor.ignore(&["gord/status"]);
    editor.initialize(ws.path(), json!({}));
    editor.notify("initialized", json!({}));
    let first = editor.wait_for(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(first["params"]["diagnostics"].as_array().unwrap().len(), 1);

    std::fs::write(&go_mod, "module example.com/future\n\ngo 1.21\n").unwrap();
    let refreshed = editor.request("gord/health", Some(json!({ "refresh": true })));
    let go006 = common::entry(&refreshed["result"]["checks"], "id", "GO006").clone();
    assert_eq!(go006["status"], "ok");
    let cleared = editor.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == go_mod_uri.as_str()
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
}

#[test]
fn requests_are_answered_while_a_slow_health_run_is_under_way() {
    // Fake: a go that takes 3 s to answer, which a real toolchain does not do on demand.
    let slow = common::fake_go("sleep 3; echo 'go version go1.26.0 linux/amd64'");
    let path = format!("{}:/usr/bin:/bin", slow.path().display());
    let ws = tempfile::tempdir().unwrap();
    let mut editor = Editor::start(&[("PATH", path.as_str())]);
    // The slow run ends when it ends, maybe after the test: its end is not looked at.
    editor.ignore(&["gord/status"]);
    editor.initialize(ws.path(), json!({}));
    editor.notify("initialized", json!({}));
    editor.wait_for(|m| m["method"] == "gord/status" && m["params"]["state"] == "running");
    let started = Instant::now();
    let version = editor.request("gord/version", None);
    assert_eq!(version["result"]["name"], "gord");
    wait::assert_took_less(started, Duration::from_secs(2));
}

#[test]
fn an_untrusted_workspace_cannot_substitute_its_own_go() {
    let ws = tempfile::tempdir().unwrap();
    let planted = ws.path().join("bin");
    std::fs::create_dir(&planted).unwrap();
    let marker = ws.path().join("planted-go-ran");
    let script = format!(
        "#!/bin/sh\n/usr/bin/touch '{}'\necho 'go version go1.99.0 linux/amd64'\n",
        marker.display()
    );
    let fake = planted.join("go");
    std::fs::write(&fake, script).unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", planted.display(), common::real_go_dir().display());

    for (trusted, planted_runs) in [(false, false), (true, true)] {
        let _ = std::fs::remove_file(&marker);
        let mut editor = Editor::start(&[("PATH", path.as_str())]);
        editor.initialize(ws.path(), json!({ "trusted": trusted }));
        let health = editor.request("gord/health", Some(json!({ "refresh": true })));
        // The run announces its start and its end (which may follow the answer).
        editor.wait_for(|m| m["method"] == "gord/status" && m["params"]["state"] == "running");
        editor.wait_for(|m| m["method"] == "gord/status" && m["params"]["state"] == "idle");
        let go001 = &health["result"]["checks"][0];
        assert_eq!(go001["id"], "GO001");
        assert_eq!(marker.exists(), planted_runs, "trusted={trusted}: {go001}");
        let from_workspace = str_of(&go001["message"]).contains(&planted.display().to_string());
        assert_eq!(from_workspace, planted_runs, "trusted={trusted}: {go001}");
    }
}

/// Applies LSP text edits (one line each, as gord's SSH fixes are) to `text`.
fn apply_line_edits(text: &str, edits: &[Value]) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| {
        std::cmp::Reverse((
            e["range"]["start"]["line"].as_u64(),
            e["range"]["start"]["character"].as_u64(),
        ))
    });
    for edit in edits {
        let line = edit["range"]["start"]["line"].as_u64().unwrap() as usize;
        assert_eq!(
            edit["range"]["end"]["line"], edit["range"]["start"]["line"],
            "single-line edits only here"
        );
        let start = edit["range"]["start"]["character"].as_u64().unwrap() as usize;
        let end = edit["range"]["end"]["character"].as_u64().unwrap() as usize;
        let original = &lines[line];
        lines[line] = format!(
            "{}{}{}",
            &original[..start],
            str_of(&edit["newText"]),
            &original[end..]
        );
    }
    lines.join("\n")
}

#[test]
fn an_ssh_config_is_diagnosed_as_typed_and_its_quick_fix_clears_the_problem() {
    let home = tempfile::tempdir().unwrap();
    let dot_ssh = home.path().join(".ssh");
    std::fs::create_dir(&dot_ssh).unwrap();
    let config = dot_ssh.join("config");
    let text = "Host devbox\n  HostName 127.0.0.1\n  ServerAliveInterva 30\n";
    std::fs::write(&config, text).unwrap();
    let uri = format!("file://{}", config.display());
    let mut editor = Editor::start(&[]);
    // The health run `initialized` starts is not what this test is about.
    editor.ignore(&["gord/status"]);
    editor.initialize(home.path(), json!({}));
    editor.notify("initialized", json!({}));
    editor.open(&uri, "ssh_config", 1, text);
    let published = editor.wait_diagnostics(&uri, |d| d.iter().any(|d| d["code"] == "SSH001"));
    let typo = common::entry(&json!(published), "code", "SSH001").clone();
    assert_eq!(
        typo["range"],
        json!({ "start": { "line": 2, "character": 2 }, "end": { "line": 2, "character": 20 } })
    );
    assert_eq!(typo["severity"], 1);

    // The quick fix is a workspace edit on this file.
    let actions = editor.request(
        "textDocument/codeAction",
        Some(json!({ "textDocument": { "uri": uri }, "range": typo["range"], "context": { "diagnostics": [typo] } })),
    );
    let action = &actions["result"][0];
    assert_eq!(action["title"], "Change to ServerAliveInterval");
    let edits = action["edit"]["changes"][uri.as_str()].as_array().unwrap();
    let fixed = apply_line_edits(text, edits);
    assert_eq!(
        fixed,
        "Host devbox\n  HostName 127.0.0.1\n  ServerAliveInterval 30\n"
    );

    // The editor applies it; the next diagnostics no longer carry SSH001.
    editor.change(&uri, 2, &fixed);
    let after = editor.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri.as_str()
            && !m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["code"] == "SSH001"))
    });
    assert!(after["params"]["diagnostics"].is_array());

    // Hover on the Host line shows the effective configuration.
    assert_contains_all(
        &hover(&mut editor, &uri, 0, 6),
        &[
            "Effective configuration for `devbox`",
            "| hostname | `127.0.0.1` | line 2 |",
            "| serveraliveinterval | `30` | line 3 |",
        ],
    );

    // Closing the file clears what the live lint published.
    editor.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    let cleared = editor.wait_diagnostics(&uri, |d| d.is_empty());
    assert!(cleared.is_empty(), "{cleared:#?}");
}

/// A server on a fresh home whose ssh config `text`, saved there, is open
/// at `version`: the home, the config's URI and the editor.
fn editing_ssh_config(text: &str, version: i32) -> (tempfile::TempDir, String, Editor) {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("work.ssh_config");
    std::fs::write(&config, text).unwrap();
    let uri = format!("file://{}", config.display());
    let mut editor = Editor::start(&[]);
    editor.initialize(home.path(), json!({}));
    editor.open(&uri, "ssh_config", version, text);
    (home, uri, editor)
}

#[test]
fn go_to_definition_follows_a_proxyjump_alias_to_its_host_block() {
    let (_home, uri, mut editor) = editing_ssh_config(
        "Host bastion\n  HostName 127.0.0.1\nHost app\n  ProxyJump bastion\n",
        1,
    );
    let location = editor.request(
        "textDocument/definition",
        Some(json!({ "textDocument": { "uri": uri }, "position": { "line": 3, "character": 14 } })),
    );
    assert_eq!(location["result"]["uri"], uri.as_str());
    assert_eq!(location["result"]["range"]["start"]["line"], 0);
    // The open config is linted too (no keep-alives, no ConnectTimeout).
    let published = editor.wait_diagnostics(&uri, |_| true);
    let codes: Vec<&Value> = published.iter().map(|d| &d["code"]).collect();
    assert!(codes.contains(&&json!("SSH019")), "{codes:?}");
}

#[test]
fn a_did_change_older_than_or_as_old_as_the_open_text_is_ignored() {
    let (_home, uri, mut editor) = editing_ssh_config("Host devbox\n  HostName 127.0.0.1\n", 5);
    // Late arrivals: an older version, then the same version again.
    for (version, late) in [
        (4, "Host older\n  HostName 10.0.0.4\n"),
        (5, "Host same\n  HostName 10.0.0.5\n"),
    ] {
        editor.change(&uri, version, late);
    }
    assert_contains_all(
        &hover(&mut editor, &uri, 0, 6),
        &[
            "Effective configuration for `devbox`",
            "| hostname | `127.0.0.1` | line 2 |",
        ],
    );
    // Only the opened text is linted: one publication, of version 5.
    editor.wait_diagnostics(&uri, |_| true);

    // A newer version applies.
    editor.change(&uri, 6, "Host newer\n  HostName 10.0.0.6\n");
    let value = hover(&mut editor, &uri, 0, 6);
    assert!(
        value.contains("| hostname | `10.0.0.6` | line 2 |"),
        "{value}"
    );
    editor.wait_diagnostics(&uri, |_| true);
}
