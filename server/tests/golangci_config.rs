//! golangci-lint configs against the installed golangci-lint's major, with
//! the real v2 (and v1, installed beside it as golangci-lint-v1): `gord
//! check` reports GO050–GO053 on the right lines of YAML, TOML and JSON
//! configs; the editor's quick fixes (edits and `golangci-lint migrate`)
//! are applied through `textDocument/codeAction` until golangci-lint itself
//! accepts the file.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::editor::Editor;
use common::lsp::{apply_action as apply, code_actions, uri};
use common::{go_tools_dir, tools_path, Run};
use serde_json::{json, Value};

/// A module with `config` written as `name` in its root.
fn workspace(name: &str, config: &str) -> (tempfile::TempDir, PathBuf) {
    let ws = common::temp_tree(&[
        ("go.mod", "module example.com/cfg\n\ngo 1.22\n"),
        ("x.go", "package cfg\n"),
        (name, config),
    ]);
    let file = ws.path().join(name);
    (ws, file)
}

/// A directory whose golangci-lint is the pinned v1, to put first on PATH
/// (gord's lint takes golangci-lint from PATH before Go's install directory).
fn v1_first() -> tempfile::TempDir {
    let v1 = go_tools_dir().join("golangci-lint-v1");
    assert!(
        v1.is_file(),
        "the tests need golangci-lint-v1 in {} (scripts/install-deps installs it)",
        go_tools_dir().display()
    );
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(v1, dir.path().join("golangci-lint")).unwrap();
    dir
}

fn env(home: &Path, first: Option<&Path>) -> Vec<(String, String)> {
    let go_env = |key: &str| {
        let out = Command::new("go").args(["env", key]).output().unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    vec![
        ("HOME".into(), home.display().to_string()),
        ("PATH".into(), tools_path(first, go_tools_dir())),
        ("GOPATH".into(), go_env("GOPATH")),
        ("GOCACHE".into(), go_env("GOCACHE")),
        ("GOMODCACHE".into(), go_env("GOMODCACHE")),
        ("GOTOOLCHAIN".into(), "local".into()),
        // The install checks (GO010-GO013) must not reach a module proxy.
        ("GOPROXY".into(), "off".into()),
        ("NO_COLOR".into(), "1".into()),
    ]
}

fn check(ws: &Path, first: Option<&Path>) -> (Run, Value) {
    let home = tempfile::tempdir().unwrap();
    let mut command = Command::new(common::gord());
    command.args(["check", "-f", "json", "-w"]).arg(ws);
    command.env_clear();
    for (key, value) in env(home.path(), first) {
        command.env(key, value);
    }
    let run = Run::of(&mut command);
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (run, report)
}

fn findings<'r>(report: &'r Value, prefix: &str) -> Vec<&'r Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"].as_str().is_some_and(|c| c.starts_with(prefix)))
        // The check's own summary is a finding on the workspace.
        .filter(|f| f["subject"]["kind"] == "file")
        .collect()
}

fn line_of(finding: &Value) -> u64 {
    finding["subject"]["range"]["start"]["line"]
        .as_u64()
        .unwrap()
}

/// The real v2 golangci-lint on `file`: `config verify` for the format,
/// `linters` for the names (v2 refuses unknown linters and formatters
/// there, not in its schema check).
fn v2_accepts(file: &Path) -> Result<(), String> {
    let golangci = go_tools_dir().join("golangci-lint");
    for args in [["config", "verify"].as_slice(), ["linters"].as_slice()] {
        let out = Command::new(&golangci)
            .args(args)
            .arg("--config")
            .arg(file)
            .current_dir(file.parent().unwrap())
            .env("GOTOOLCHAIN", "local")
            .output()
            .unwrap();
        if !out.status.success() {
            return Err(format!(
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    Ok(())
}

const V1_WITH_COMMENT: &str =
    "# lint settings\nlinters:\n  enable:\n    - errcheck\n    - gosimple\n";

#[test]
fn a_v1_config_under_v2_is_go050_on_the_first_line_quoting_golangci_lint() {
    let (ws, file) = workspace(".golangci.yml", V1_WITH_COMMENT);
    assert!(v2_accepts(&file).is_err(), "v2 refuses a v1 config");
    let (run, report) = check(ws.path(), None);
    assert_eq!(run.code, 1, "an error fails the run: {}", run.stderr);
    let go050 = findings(&report, "GO050");
    assert_eq!(go050.len(), 1, "{:#?}", report["findings"]);
    let go050 = go050[0];
    assert_eq!(go050["severity"], "error");
    assert_eq!(go050["subject"]["path"], file.display().to_string());
    assert_eq!(line_of(go050), 0);
    assert!(
        go050["message"]
            .as_str()
            .unwrap()
            .contains("can't load config: unsupported version of the configuration: \"\""),
        "v2's own words: {go050:#}"
    );
    assert_eq!(go050["doc"], "docs/rules/GO050.md");
    // gosimple is a v1 name too: flagged on its own line.
    let go051 = findings(&report, "GO051");
    assert_eq!(go051.len(), 1);
    assert_eq!(line_of(go051[0]), 4);
    assert_eq!(go051[0]["fixes"][0]["edits"][0]["newText"], "staticcheck");
    // The check's line in the report names the config.
    let check = common::entry(&report["checks"], "id", "GO050");
    assert_eq!(check["status"], "error");
}

#[test]
fn toml_and_json_configs_get_the_same_findings() {
    let (ws, file) = workspace(
        ".golangci.toml",
        "version = \"2\"\n\n[linters]\nenable = [\"errcheck\", \"tenv\", \"gofumpt\"]\n",
    );
    let (_, report) = check(ws.path(), None);
    let go051 = findings(&report, "GO051");
    assert_eq!(go051.len(), 1, "{:#?}", report["findings"]);
    assert_eq!(line_of(go051[0]), 3);
    assert_eq!(go051[0]["subject"]["path"], file.display().to_string());
    assert!(go051[0]["message"].as_str().unwrap().contains("usetesting"));
    assert_eq!(findings(&report, "GO052").len(), 1);
    assert!(findings(&report, "GO050").is_empty());
    assert!(v2_accepts(&file).is_err());
    fix_until_clean(ws.path(), &file);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "version = \"2\"\n\n[linters]\nenable = [\"errcheck\", \"usetesting\"]\n\n[formatters]\nenable = [\"gofumpt\"]\n"
    );
    v2_accepts(&file).unwrap();

    let (ws, file) = workspace(
        ".golangci.json",
        "{\n  \"linters\": {\"enable\": [\"errcheck\", \"gofmt\", \"stylecheck\"]}\n}\n",
    );
    let (_, report) = check(ws.path(), None);
    let go050 = findings(&report, "GO050");
    assert_eq!(go050.len(), 1, "{:#?}", report["findings"]);
    assert_eq!(findings(&report, "GO051").len(), 1);
    assert_eq!(findings(&report, "GO052").len(), 1);
    fix_until_clean(ws.path(), &file);
    v2_accepts(&file).unwrap();
}

/// Applies the first edit fix of the first GO05x finding of `gord check`
/// on `file`, again and again, until there is none left.
fn fix_until_clean(ws: &Path, file: &Path) {
    for _ in 0..6 {
        let (_, report) = check(ws, None);
        let found = findings(&report, "GO05");
        let Some(fix) = found.iter().find_map(|f| {
            f["fixes"]
                .as_array()?
                .iter()
                .find(|x| x.get("edits").is_some())
                .cloned()
        }) else {
            assert!(found.is_empty(), "findings without an edit: {found:#?}");
            return;
        };
        let pairs: Vec<(gord::finding::Range, String)> =
            serde_json::from_value::<Vec<gord::finding::Edit>>(fix["edits"].clone())
                .unwrap()
                .into_iter()
                .map(|e| (e.range, e.new_text))
                .collect();
        let text = std::fs::read_to_string(file).unwrap();
        std::fs::write(file, gord::edit::apply_edits(&text, &pairs).unwrap()).unwrap();
    }
    panic!(
        "still findings after 6 fixes: {}",
        std::fs::read_to_string(file).unwrap()
    );
}

#[test]
fn an_anchor_is_a_clear_finding_and_no_edit() {
    let text = "base: &names\n  - errcheck\nlinters:\n  enable: *names\n";
    let (ws, file) = workspace(".golangci.yml", text);
    let (_, report) = check(ws.path(), None);
    assert_eq!(
        findings(&report, "GO053").len(),
        1,
        "{:#?}",
        report["findings"]
    );
    let go050 = findings(&report, "GO050");
    assert_eq!(go050.len(), 1);
    let fixes = go050[0]["fixes"].as_array().unwrap();
    assert!(fixes.iter().all(|f| f.get("edits").is_none()), "{fixes:#?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn a_v2_config_under_v1_is_go050_quoting_v1() {
    let v1 = v1_first();
    let (ws, _) = workspace(
        ".golangci.yml",
        "version: \"2\"\nlinters:\n  default: none\n  enable:\n    - errcheck\n",
    );
    let (_, report) = check(ws.path(), Some(v1.path()));
    let go050 = findings(&report, "GO050");
    assert_eq!(go050.len(), 1, "{:#?}", report["findings"]);
    let message = go050[0]["message"].as_str().unwrap();
    assert!(message.contains("1.64.8"), "{message}");
    assert!(
        message.contains("you are using a configuration file for golangci-lint v2 with golangci-lint v1: please use golangci-lint v2"),
        "{message}"
    );
    let argv = &go050[0]["fixes"][0]["command"];
    assert_eq!(argv[0], "go");
    assert!(argv[2]
        .as_str()
        .unwrap()
        .starts_with("github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2."));
    // And a v1 config under v1 is fine.
    let (ws, _) = workspace(".golangci.yml", V1_WITH_COMMENT);
    let (_, report) = check(ws.path(), Some(v1.path()));
    assert!(
        findings(&report, "GO05").is_empty(),
        "{:#?}",
        report["findings"]
    );
}

/// An editor on `ws`, with the first diagnostics published for `file`.
fn editor_on(ws: &Path, file: &Path, home: &Path) -> (Editor, Vec<Value>) {
    let env = env(home, None);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut editor = Editor::start(&pairs);
    editor.ignore(&["gord/status", "window/showMessage"]);
    editor.initialize(ws, json!({ "trusted": true }));
    editor.notify("initialized", json!({}));
    let file_uri = uri(file);
    let published = editor.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == file_uri.as_str()
    });
    let diagnostics = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .clone();
    (editor, diagnostics)
}

fn refresh(editor: &mut Editor, file: &Path) -> Vec<Value> {
    let file_uri = uri(file);
    let refreshed = editor.request("gord/health", Some(json!({ "refresh": true })));
    assert!(refreshed["result"]["checks"].is_array());
    let republished = editor.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == file_uri.as_str()
    });
    republished["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn the_editors_quick_fixes_make_a_config_golangci_lint_v2_accepts() {
    // A v1 config with a renamed linter and a formatter among the linters:
    // the version line, then each name's fix, each on the text as it is.
    let text =
        "# keep me\nlinters:\n  enable:\n    - errcheck\n    - gosimple # simplify\n    - gofmt\n";
    let (ws, file) = workspace(".golangci.yml", text);
    let home = tempfile::tempdir().unwrap();
    let (mut editor, mut diagnostics) = editor_on(ws.path(), &file, home.path());
    let codes: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["GO050", "GO051", "GO052"], "{diagnostics:#?}");
    assert_eq!(diagnostics[1]["range"]["start"]["line"], 4);
    assert_eq!(diagnostics[2]["range"]["start"]["line"], 5);
    // With a formatter listed, adding the version alone would not do:
    // GO050 offers migrate only.
    let go050 = code_actions(&mut editor, &file, &diagnostics[0]);
    assert!(go050.iter().all(|a| a.get("edit").is_none()), "{go050:#?}");
    for _ in 0..2 {
        let Some(d) = diagnostics.iter().find(|d| d["code"] != "GO050") else {
            break;
        };
        let actions = code_actions(&mut editor, &file, d);
        let with_edit = actions
            .iter()
            .find(|a| a.get("edit").is_some())
            .unwrap_or_else(|| panic!("no edit for {d:#}: {actions:#?}"));
        apply(with_edit, &file);
        diagnostics = refresh(&mut editor, &file);
    }
    // Now only the version is missing, and one edit adds it.
    let codes: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["GO050"], "{diagnostics:#?}");
    let actions = code_actions(&mut editor, &file, &diagnostics[0]);
    let add = actions
        .iter()
        .find(|a| a.get("edit").is_some())
        .unwrap_or_else(|| panic!("{actions:#?}"));
    assert_eq!(add["kind"], "quickfix");
    assert_eq!(add["isPreferred"], true, "the first fix: {add:#}");
    assert!(add["title"]
        .as_str()
        .unwrap()
        .starts_with("Add `version: \"2\"`"));
    apply(add, &file);
    assert_eq!(refresh(&mut editor, &file), Vec::<Value>::new());
    let fixed = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        fixed,
        "# keep me\nversion: \"2\"\nlinters:\n  enable:\n    - errcheck\n    - staticcheck # simplify\nformatters:\n  enable:\n    - gofmt\n"
    );
    v2_accepts(&file).unwrap();
}

#[test]
fn the_migrate_quick_fix_runs_golangci_lint_migrate_and_v2_accepts_the_result() {
    // A valid v1 config (migrate checks it against v1's schema first).
    let text = "# old\nissues:\n  exclude-dirs:\n    - gen\nlinters-settings:\n  lll:\n    line-length: 100\nlinters:\n  disable-all: true\n  enable:\n    - lll\n    - gosimple\n";
    let (ws, file) = workspace(".golangci.yml", text);
    let home = tempfile::tempdir().unwrap();
    let (mut editor, diagnostics) = editor_on(ws.path(), &file, home.path());
    let go050 = diagnostics
        .iter()
        .find(|d| d["code"] == "GO050")
        .unwrap_or_else(|| panic!("{diagnostics:#?}"));
    let actions = code_actions(&mut editor, &file, go050);
    let migrate = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.contains("golangci-lint migrate"))
        })
        .unwrap_or_else(|| panic!("{actions:#?}"));
    let title = migrate["title"].as_str().unwrap();
    assert!(
        title.contains("drops comments") && title.contains(".golangci.bck.yml"),
        "{title}"
    );
    assert_eq!(migrate["command"]["command"], "gord.runFixCommand");
    // What the extension does with it: run the argv.
    let argv: Vec<String> = migrate["command"]["arguments"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    assert_eq!(argv[1..3], ["migrate", "--config"]);
    let out = Command::new(&argv[0])
        .args(&argv[1..])
        .current_dir(ws.path())
        .env("GOTOOLCHAIN", "local")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(ws.path().join(".golangci.bck.yml")).unwrap(),
        text,
        "migrate keeps the old file"
    );
    v2_accepts(&file).unwrap();
    let left = refresh(&mut editor, &file);
    assert!(
        left.iter()
            .all(|d| !d["code"].as_str().unwrap_or_default().starts_with("GO05")),
        "{left:#?}"
    );
}

#[test]
fn in_an_untrusted_workspace_the_config_is_judged_from_its_text_alone() {
    let (ws, file) = workspace(".golangci.yml", V1_WITH_COMMENT);
    let home = tempfile::tempdir().unwrap();
    let env = env(home.path(), None);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut editor = Editor::start(&pairs);
    editor.ignore(&["gord/status", "window/showMessage"]);
    editor.initialize(ws.path(), json!({ "trusted": false }));
    editor.notify("initialized", json!({}));
    let file_uri = uri(&file);
    let published = editor.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == file_uri.as_str()
    });
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    let go050 = diagnostics
        .iter()
        .find(|d| d["code"] == "GO050")
        .unwrap_or_else(|| panic!("{diagnostics:#?}"));
    let message = go050["message"].as_str().unwrap();
    assert!(message.contains("no `version: \"2\"`"), "{message}");
    assert!(
        !message.contains("can't load config"),
        "golangci-lint was not run on an untrusted config: {message}"
    );
}
