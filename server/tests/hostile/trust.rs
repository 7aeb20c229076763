//! Hostile input: Restricted Mode (issue #13, item 2). A repository that
//! carries its own `go`, `dlv`, `gopls`, `golangci-lint` and `staticcheck`
//! in `bin/`, with that directory on PATH ahead of the real tools (and as
//! GOBIN), must never get one of them run by an untrusted sidecar: not when
//! the workspace is opened through a symlinked path, not as the second
//! folder of a multi-root workspace, not when added later, and not when the
//! client's trust flag is anything but the JSON boolean `true`. Nor may the
//! programs the real `go` looks up on PATH by itself (`go env` runs `gcc`;
//! a fetch runs `git` or `ssh`) come from there: gord's children get a PATH
//! of the allowed directories only.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Value};

use super::common::editor::Editor;
use super::common::{peak_rss_kib, real_go_dir, RSS_BUDGET_KIB};

/// The programs the hostile repository plants: gord's tools, and what
/// `go` runs from PATH on its own.
const PLANTED: [&str; 10] = [
    "go",
    "dlv",
    "gopls",
    "golangci-lint",
    "staticcheck",
    "gcc",
    "cc",
    "git",
    "ssh",
    "pkg-config",
];

/// Longer than the save debounce plus a linter start.
const LINT_SETTLE: Duration = Duration::from_millis(1500);

/// A hostile workspace and, outside it, the log its fake tools write to.
struct Scene {
    /// Holds the workspace (under `data/`), a symlink to it and the log.
    top: tempfile::TempDir,
    /// The workspace by its real path.
    ws: PathBuf,
    log: PathBuf,
}

impl Scene {
    fn new() -> Scene {
        let top = tempfile::tempdir().unwrap();
        let top_real = top.path().canonicalize().unwrap();
        let ws = top_real.join("data").join("ws");
        let bin = ws.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::write(ws.join("go.mod"), "module example.com/hostile\n\ngo 1.21\n").unwrap();
        std::fs::write(
            ws.join("main.go"),
            "package main\n\nfunc main() {\n\tprintln(\"hi\")\n}\n",
        )
        .unwrap();
        let log = top_real.join("planted-tools.log");
        // Fake by design: these stand for a hostile repository's own
        // toolchain. They only log that they ran (outside the workspace)
        // and exit, so the test can prove they never ran.
        for name in PLANTED {
            let script = format!(
                "#!/bin/sh\nprintf '%s %s\\n' {name} \"$*\" >> '{}'\nexit 0\n",
                log.display()
            );
            let path = bin.join(name);
            std::fs::write(&path, script).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Scene { top, ws, log }
    }

    /// A symlink to the workspace's parent, as `/home` → `/data/home` on
    /// many remotes; the workspace through it.
    fn symlinked_ws(&self) -> PathBuf {
        let link = self.top.path().join("home");
        std::os::unix::fs::symlink(self.ws.parent().unwrap(), &link).unwrap();
        link.join("ws")
    }

    /// Another folder, harmless, for multi-root workspaces.
    fn other_folder(&self) -> PathBuf {
        let other = self.top.path().canonicalize().unwrap().join("other");
        std::fs::create_dir_all(&other).unwrap();
        other
    }

    /// PATH with the planted `bin/` first (by its real name), then the real
    /// toolchain.
    fn path_env(&self) -> String {
        format!(
            "{}:{}:/usr/bin:/bin",
            self.ws.join("bin").display(),
            real_go_dir().display()
        )
    }

    fn start(&self) -> Editor {
        let path = self.path_env();
        let gobin = self.ws.join("bin");
        let mut editor = Editor::start(&[
            ("PATH", path.as_str()),
            ("GOBIN", gobin.to_str().unwrap()),
            ("GOTOOLCHAIN", "local"),
        ]);
        // These tests watch which programs run: the runs' status and the
        // progress of preload and workspace lint (trusted only) go unread.
        editor.ignore(&["gord/status", "gord/lint/status", "$/progress"]);
        editor
    }

    fn ran(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn forget_runs(&self) {
        let _ = std::fs::remove_file(&self.log);
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn initialize(editor: &mut Editor, folders: &[&Path], options: Value) {
    let folders: Vec<Value> = folders
        .iter()
        .enumerate()
        .map(|(i, f)| json!({ "uri": uri(f), "name": format!("f{i}") }))
        .collect();
    let response = editor.request(
        "initialize",
        Some(json!({
            "processId": std::process::id(),
            "rootUri": folders[0]["uri"],
            "workspaceFolders": folders,
            "capabilities": {},
            "initializationOptions": options,
        })),
    );
    let folders_capability = &response["result"]["capabilities"]["workspace"]["workspaceFolders"];
    assert_eq!(folders_capability["supported"], true, "{response:#}");
    assert_eq!(
        folders_capability["changeNotifications"], true,
        "{response:#}"
    );
}

/// Everything that may look for or run a program: the health run, the
/// process list (which finds dlv), a Go file opened and saved (lint on
/// open and save), preload and a workspace lint. `health_runs` is how many
/// health runs to wait for (the refresh here, plus the one `initialized`
/// started, if it was sent). Returns the dlv `gord/procs` chose, if any.
fn drive(editor: &mut Editor, ws: &Path, health_runs: usize) -> Option<String> {
    let health = editor.request("gord/health", Some(json!({ "refresh": true })));
    assert!(health["result"]["checks"].is_array(), "{health:#}");
    let procs = editor.request("gord/procs", Some(json!({ "goOnly": true })));
    let dlv = procs["result"]["dlv"]["path"].as_str().map(str::to_string);
    let file = ws.join("main.go");
    editor.open(
        &uri(&file),
        "go",
        1,
        &std::fs::read_to_string(&file).unwrap(),
    );
    editor.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri(&file) } }),
    );
    // With tokens of their own, so the server never waits for the editor
    // to create one.
    editor.request("gord/preload", Some(json!({ "workDoneToken": "preload" })));
    editor.request(
        "gord/lint/workspace",
        Some(json!({ "workDoneToken": "lint" })),
    );
    for _ in 0..health_runs {
        editor.wait_for(|m| m["method"] == "gord/status" && m["params"]["state"] == "idle");
    }
    std::thread::sleep(LINT_SETTLE);
    dlv
}

/// Drives everything and asserts that no planted program ran and that
/// `gord/procs` did not pick the planted dlv.
fn assert_nothing_planted_runs(
    scene: &Scene,
    editor: &mut Editor,
    ws: &Path,
    health_runs: usize,
    case: &str,
) {
    let dlv = drive(editor, ws, health_runs);
    let ran = scene.ran();
    assert!(
        ran.is_empty(),
        "{case}: the workspace's own programs ran:\n{ran}"
    );
    if let Some(dlv) = dlv {
        let dlv = Path::new(&dlv).canonicalize().unwrap();
        assert!(
            !dlv.starts_with(&scene.ws),
            "{case}: gord/procs picked the workspace's dlv: {}",
            dlv.display()
        );
    }
    let rss = peak_rss_kib(editor.child.id());
    eprintln!("{case}: sidecar peak RSS {rss} KiB");
    assert!(rss < RSS_BUDGET_KIB, "{case}: peak RSS {rss} KiB");
}

#[test]
fn a_workspace_opened_through_a_symlink_runs_none_of_its_programs() {
    let scene = Scene::new();
    let linked = scene.symlinked_ws();
    let mut editor = scene.start();
    initialize(&mut editor, &[&linked], json!({ "trusted": false }));
    editor.notify("initialized", json!({}));
    assert_nothing_planted_runs(&scene, &mut editor, &linked, 2, "symlinked workspace");
}

#[test]
fn the_second_folder_of_a_multi_root_workspace_runs_none_of_its_programs() {
    let scene = Scene::new();
    let other = scene.other_folder();
    let mut editor = scene.start();
    initialize(
        &mut editor,
        &[&other, &scene.ws],
        json!({ "trusted": false }),
    );
    editor.notify("initialized", json!({}));
    assert_nothing_planted_runs(&scene, &mut editor, &scene.ws, 2, "second folder");
}

#[test]
fn a_folder_added_later_runs_none_of_its_programs() {
    let scene = Scene::new();
    let other = scene.other_folder();
    let mut editor = scene.start();
    initialize(&mut editor, &[&other], json!({ "trusted": false }));
    // Before the hostile folder is part of the workspace, its bin/ is just a
    // directory on PATH: its go runs, which proves the scene can catch a run.
    editor.request("gord/health", Some(json!({ "refresh": true })));
    editor.wait_for(|m| m["method"] == "gord/status" && m["params"]["state"] == "idle");
    assert!(
        scene.ran().contains("go "),
        "the planted go should run while it is outside the workspace"
    );
    scene.forget_runs();
    // Added through its symlinked name, to need both halves of the fix.
    let linked = scene.symlinked_ws();
    editor.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": [{ "uri": uri(&linked), "name": "ws" }], "removed": [] } }),
    );
    assert_nothing_planted_runs(&scene, &mut editor, &linked, 1, "folder added later");
}

#[test]
fn a_trust_flag_other_than_json_true_is_restricted_mode() {
    let scene = Scene::new();
    for (case, options) in [
        ("omitted", json!({})),
        ("\"false\"", json!({ "trusted": "false" })),
        ("\"true\"", json!({ "trusted": "true" })),
        ("0", json!({ "trusted": 0 })),
        ("1", json!({ "trusted": 1 })),
        ("null", json!({ "trusted": null })),
        ("no options", Value::Null),
    ] {
        let mut editor = scene.start();
        initialize(&mut editor, &[&scene.ws], options);
        editor.notify("initialized", json!({}));
        assert_nothing_planted_runs(&scene, &mut editor, &scene.ws, 2, case);
    }
}

/// The control: with `trusted: true` the same scene does run the planted
/// tools, so the assertions above can fail.
#[test]
fn a_trusted_workspace_does_run_its_programs_so_the_tests_can_fail() {
    let scene = Scene::new();
    let mut editor = scene.start();
    initialize(&mut editor, &[&scene.ws], json!({ "trusted": true }));
    editor.notify("initialized", json!({}));
    let dlv = drive(&mut editor, &scene.ws, 2);
    let ran = scene.ran();
    for name in ["go", "dlv"] {
        assert!(
            ran.lines().any(|l| l.starts_with(&format!("{name} "))),
            "{name} did not run when trusted:\n{ran}"
        );
    }
    assert_eq!(
        dlv.map(PathBuf::from),
        Some(scene.ws.join("bin").join("dlv"))
    );
}
