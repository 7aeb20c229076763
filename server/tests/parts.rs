//! The two parts of the extension each start a sidecar and ask for their
//! share of the health checks with `initializationOptions.part`: the UI
//! part (on the user's own computer) the SSH area, the workspace part the
//! rest. Together they run every check once; without the option a sidecar
//! runs them all, as one part alone in a window does.

use crate::common;

use common::editor::Editor;
use serde_json::{json, Value};

const UI_CHECKS: [&str; 3] = ["SSH000", "SSH040", "SSH050"];

/// The check ids of a first health run of a sidecar started with `options`.
fn checks_of(options: Value) -> Vec<String> {
    let home = tempfile::tempdir().unwrap();
    let workspace = tempfile::tempdir().unwrap();
    let home_path = home.path().display().to_string();
    let mut editor = Editor::start(&[("HOME", home_path.as_str())]);
    editor.ignore(&[
        "gord/status",
        "textDocument/publishDiagnostics",
        "window/showMessage",
    ]);
    editor.initialize(workspace.path(), options);
    editor.notify("initialized", json!({}));
    let health = editor.request("gord/health", Some(json!({})));
    let ids = health["result"]["checks"]
        .as_array()
        .unwrap_or_else(|| panic!("no checks in {health}"))
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    editor.finish();
    ids
}

#[test]
fn the_ui_part_runs_the_ssh_checks_and_the_workspace_part_the_rest_once_each() {
    let ui = checks_of(json!({ "trusted": true, "part": "ui" }));
    assert_eq!(ui, UI_CHECKS);
    let workspace = checks_of(json!({ "trusted": true, "part": "workspace" }));
    let rest: Vec<&str> = common::ALL_CHECK_IDS
        .iter()
        .copied()
        .filter(|id| !UI_CHECKS.contains(id))
        .collect();
    assert_eq!(workspace, rest);
}

#[test]
fn a_sidecar_told_no_part_or_an_unknown_one_runs_every_check() {
    for options in [
        json!({ "trusted": true }),
        json!({ "trusted": true, "part": "laptop" }),
    ] {
        assert_eq!(checks_of(options), common::ALL_CHECK_IDS, "every check");
    }
}
