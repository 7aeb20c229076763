//! GO030–GO035 as a user meets them: VS Code settings files on a machine with
//! the real gopls and golangci-lint, reported by `gord check` and as
//! diagnostics in the editor, fixed through `textDocument/codeAction` until
//! the tool itself takes the result.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::editor::Editor;
use common::lsp::{apply_json_edits as apply, code_actions, uri};
use common::{go_tools_dir, gord, tools_path, Run};
use serde_json::{json, Value};

/// The remote machine's settings, as copied from a blog post for v1.
const MACHINE: &str = r#"// settings copied from an old article
{
  "go.lintTool": "golangci-lint",
  "go.lintFlags": [
    "--fast",
    "--timeout=5m"
  ],
  "gopls": {
    "ui.semanticTokens": true,
    "memoryLimit": "2GiB", // gopls never had this
    "ui.noSemanticString": true,
  },
}
"#;

/// A home with the machine settings, and a Go module as the workspace.
struct Machine {
    home: tempfile::TempDir,
    workspace: tempfile::TempDir,
}

impl Machine {
    fn new() -> Machine {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join(".vscode-server/data/Machine");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("settings.json"), MACHINE).unwrap();
        let workspace = tempfile::tempdir().unwrap();
        std::fs::write(
            workspace.path().join("go.mod"),
            "module example.com/settings\n\ngo 1.22\n",
        )
        .unwrap();
        std::fs::write(
            workspace.path().join("main.go"),
            "package main\n\nfunc main() {}\n",
        )
        .unwrap();
        Machine { home, workspace }
    }

    fn settings(&self) -> PathBuf {
        self.home
            .path()
            .join(".vscode-server/data/Machine/settings.json")
    }

    /// The environment gord runs in: this home, the real tools, the real
    /// caches (a fresh cache would make golangci-lint slow, not different).
    fn env(&self) -> Vec<(String, String)> {
        let go_env = |key: &str| {
            let out = Command::new("go").args(["env", key]).output().unwrap();
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        };
        vec![
            ("HOME".into(), self.home.path().display().to_string()),
            ("PATH".into(), tools_path(None, go_tools_dir())),
            ("GOPATH".into(), go_env("GOPATH")),
            ("GOCACHE".into(), go_env("GOCACHE")),
            ("GOMODCACHE".into(), go_env("GOMODCACHE")),
            ("GOTOOLCHAIN".into(), "local".into()),
        ]
    }
}

fn pairs(env: &[(String, String)]) -> Vec<(&str, &str)> {
    env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// `golangci-lint run` with the `go.lintFlags` of `settings`, in `module`:
/// what the Go extension runs on save (its own output flags aside).
fn lint_as_the_go_extension(settings: &str, module: &Path, env: &[(String, String)]) -> Run {
    let doc = gord::goenv::vscode::document::Document::parse(settings).expect("settings parse");
    let mut args = vec![String::from("run")];
    if let Some(member) = doc.get("go.lintFlags") {
        let gord::goenv::vscode::document::Value::Array(items) = &member.value else {
            panic!("go.lintFlags is not an array")
        };
        args.extend(
            items
                .iter()
                .filter_map(|i| i.value.as_str().map(String::from)),
        );
    }
    let mut command = Command::new(go_tools_dir().join("golangci-lint"));
    command.args(&args).current_dir(module);
    for (k, v) in env {
        command.env(k, v);
    }
    Run::of(&mut command)
}

#[test]
fn gord_check_reports_each_setting_on_its_key_with_the_tools_own_verdict() {
    let machine = Machine::new();
    let env = machine.env();
    let mut command = Command::new(gord());
    command.args([
        "check",
        "--workspace",
        machine.workspace.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    for (k, v) in &env {
        command.env(k, v);
    }
    let run = Run::of(&mut command);
    let report: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
    let go030 = common::entry(&report["checks"], "id", "GO030");
    assert_eq!(go030["status"], "error", "{go030}");
    // On the wire (docs/json-schema.md) a located finding leads with its
    // code and sits at a location.
    let findings = go030["findings"].as_array().unwrap();
    let seen: Vec<(&str, u64)> = findings
        .iter()
        .map(|f| {
            let message = f["message"].as_str().unwrap();
            (
                message.split(':').next().unwrap(),
                f["location"]["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // gord and the Go extension both lint on save (line 3); --fast on line
    // 5; the unknown and the deprecated gopls keys on lines 10 and 11.
    assert_eq!(
        seen,
        [("GO033", 2), ("GO031", 4), ("GO034", 9), ("GO034", 10)],
        "{go030}"
    );
    assert!(findings[1]["message"]
        .as_str()
        .unwrap()
        .contains("has no flag --fast"));
    assert!(findings[2]["message"]
        .as_str()
        .unwrap()
        .contains("\"memoryLimit\""));
    assert_eq!(findings[2]["location"]["uri"], uri(&machine.settings()));
}

#[test]
fn a_quick_fix_in_the_editor_removes_the_flag_and_golangci_lint_then_runs() {
    let machine = Machine::new();
    let env = machine.env();
    let settings = machine.settings();
    // The setting as it is breaks golangci-lint, in the linter's own words.
    let before = lint_as_the_go_extension(MACHINE, machine.workspace.path(), &env);
    assert_ne!(before.code, 0);
    assert!(
        before.stderr.contains("unknown flag: --fast"),
        "{}",
        before.stderr
    );

    let mut editor = Editor::start(&pairs(&env));
    editor.ignore(&["gord/status"]);
    editor.initialize(machine.workspace.path(), json!({ "trusted": true }));
    editor.notify("initialized", json!({}));
    let settings_uri = uri(&settings);
    let published = editor.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == settings_uri.as_str()
    });
    // Other files' diagnostics (none expected, but a machine may have some).
    editor.take_all(|m| m["method"] == "textDocument/publishDiagnostics");
    let diagnostics = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .clone();
    let fast = diagnostics
        .iter()
        .find(|d| d["code"] == "GO031")
        .unwrap_or_else(|| panic!("no GO031 in {diagnostics:?}"))
        .clone();
    assert_eq!(fast["range"]["start"], json!({ "line": 4, "character": 4 }));
    assert_eq!(fast["source"], "gord");

    let actions = code_actions(&mut editor, &settings, &fast);
    let remove = actions
        .iter()
        .find(|a| a["title"] == "Remove \"--fast\" from go.lintFlags")
        .unwrap_or_else(|| panic!("no removal among {actions:?}"));
    let edits = remove["edit"]["changes"][settings_uri.as_str()]
        .as_array()
        .unwrap();
    let fixed = apply(MACHINE, edits);
    assert!(
        fixed.contains("\"go.lintFlags\": [\n    \"--timeout=5m\"\n  ],"),
        "{fixed}"
    );
    std::fs::write(&settings, &fixed).unwrap();

    // golangci-lint takes the flags now.
    let after = lint_as_the_go_extension(&fixed, machine.workspace.path(), &env);
    assert_eq!(after.code, 0, "{}{}", after.stdout, after.stderr);

    // A fix from the report before the change is refused: its text is gone.
    let memory = diagnostics
        .iter()
        .find(|d| d["code"] == "GO034" && d["message"].as_str().unwrap().contains("memoryLimit"))
        .unwrap()
        .clone();
    let stale = code_actions(&mut editor, &settings, &memory);
    assert!(
        stale.iter().all(|a| a.get("edit").is_none()),
        "the file changed since the report: no edit from it ({stale:?})"
    );

    // Saving the settings runs the report again: GO031 is gone, and the
    // unknown gopls key is fixed the same way.
    editor.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": settings_uri } }),
    );
    let republished = editor.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == settings_uri.as_str()
            && !m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["code"] == "GO031"))
    });
    let memory = republished["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("memoryLimit"))
        .unwrap()
        .clone();
    assert_eq!(
        memory["range"]["start"]["line"], 8,
        "one line up after the removal"
    );
    let actions = code_actions(&mut editor, &settings, &memory);
    let remove = actions
        .iter()
        .find(|a| a["title"] == "Remove the gopls setting \"memoryLimit\"")
        .unwrap_or_else(|| panic!("{actions:?}"));
    let edits = remove["edit"]["changes"][settings_uri.as_str()]
        .as_array()
        .unwrap();
    let without = apply(&fixed, edits);
    let doc = gord::goenv::vscode::document::Document::parse(&without).expect("still parses");
    let gord::goenv::vscode::document::Value::Object(gopls) = &doc.get("gopls").unwrap().value
    else {
        panic!("gopls is an object")
    };
    let keys: Vec<&str> = gopls.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(keys, ["ui.semanticTokens", "ui.noSemanticString"]);
    assert!(without.contains("// settings copied from an old article"));
    editor.take_all(|m| m["method"] == "textDocument/publishDiagnostics");
    editor.finish();
}

#[test]
fn go010_reports_the_gopls_the_go_extension_starts() {
    let machine = Machine::new();
    // The user pins a gopls by path, as the Go extension's docs suggest.
    let pinned_dir = tempfile::tempdir().unwrap();
    let pinned = pinned_dir.path().join("gopls-pinned");
    std::os::unix::fs::symlink(go_tools_dir().join("gopls"), &pinned).unwrap();
    std::fs::write(
        machine.settings(),
        format!(
            "{{\n  \"go.alternateTools\": {{ \"gopls\": \"{}\" }}\n}}\n",
            pinned.display()
        ),
    )
    .unwrap();
    let env = machine.env();
    let mut command = Command::new(gord());
    command.args(["check", "--format", "json"]);
    for (k, v) in &env {
        command.env(k, v);
    }
    let run = Run::of(&mut command);
    let report: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
    let go010 = common::entry(&report["checks"], "id", "GO010");
    let message = go010["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("at {}", pinned.display())),
        "{message}"
    );
    assert!(
        message.ends_with(&format!(
            "the Go extension starts this one (go.alternateTools), not {}",
            go_tools_dir().join("gopls").display()
        )),
        "{message}"
    );
    // GO030 has nothing to say about a path that exists.
    let go030 = common::entry(&report["checks"], "id", "GO030");
    assert_eq!(go030["status"], "ok", "{go030}");
}
