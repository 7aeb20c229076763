//! Dev containers and cgo with the real go: `gord check` judges a
//! workspace's devcontainer.json (GO040–GO045) in every format, the editor
//! gets the findings as diagnostics on the right line and applies a quick
//! fix until the next run has nothing to say; CGO_ENABLED=1 with no C
//! compiler on PATH is GO047. No docker here: nothing needs it.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::editor::Editor;
use common::lsp::{apply_action as apply, code_actions, uri};
use common::Run;
use serde_json::{json, Value};

/// A module requiring go 1.23.0 with `devcontainer` as its
/// .devcontainer/devcontainer.json.
fn workspace(devcontainer: &str) -> (tempfile::TempDir, PathBuf) {
    let ws = common::workspace_requiring("1.23.0");
    let folder = ws.path().join(".devcontainer");
    std::fs::create_dir(&folder).unwrap();
    let file = folder.join("devcontainer.json");
    std::fs::write(&file, devcontainer).unwrap();
    (ws, file)
}

/// `gord check` on `ws` with the real go on PATH.
fn check(ws: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(common::gord());
    command
        .args(["check", "-w"])
        .arg(ws)
        .args(args)
        .env("GOTOOLCHAIN", "local")
        // Nothing leaves the machine: with the tools missing, GO010-GO013
        // would look their modules up on the proxy before offering installs.
        .env("GOPROXY", "off")
        .env("NO_COLOR", "1");
    for (key, value) in env {
        command.env(key, value);
    }
    Run::of(&mut command)
}

fn findings_of(run: &Run, code: &str) -> Vec<Value> {
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code && f["subject"]["kind"] == "file")
        .cloned()
        .collect()
}

/// JSONC as people write it: comments, a trailing comma, a key twice.
const OLD_IMAGE: &str = r#"// Go in a container
{
	"name": "dc",
	"image": "golang:1.20", /* replaced below */
	"image": "golang:1.21-bookworm", // pinned
	"postCreateCommand": "make tools",
}
"#;

#[test]
fn gord_check_reports_the_devcontainer_findings_on_their_lines_in_every_format() {
    let (ws, file) = workspace(OLD_IMAGE);
    let json = check(ws.path(), &["-f", "json"], &[]);
    assert_eq!(json.code, 1, "an error fails the run: {}", json.stderr);
    let go041 = findings_of(&json, "GO041");
    assert_eq!(go041.len(), 1, "{}", json.stdout);
    let go041 = &go041[0];
    assert_eq!(go041["severity"], "error");
    assert_eq!(go041["subject"]["path"], file.display().to_string());
    assert_eq!(
        go041["subject"]["range"],
        json!({ "start": { "line": 4, "character": 10 }, "end": { "line": 4, "character": 32 } }),
        "the last of the duplicate keys, as the Dev Containers CLI reads it"
    );
    assert_eq!(go041["doc"], "docs/rules/GO041.md");
    assert_eq!(go041["fixes"][0]["edits"][0]["newText"], "1.23");
    for code in ["GO042", "GO043", "GO044", "GO045"] {
        assert_eq!(findings_of(&json, code).len(), 1, "{code}: {}", json.stdout);
    }

    let text = check(ws.path(), &[], &[]);
    assert!(
        text.stdout.contains(
            ".devcontainer/devcontainer.json:5:11 error: GO041: the image golang:1.21-bookworm has go 1.21, but go.mod requires go >= 1.23.0"
        ),
        "{}",
        text.stdout
    );
    let sarif: Value =
        serde_json::from_str(&check(ws.path(), &["-f", "sarif"], &[]).stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let rule_ids: Vec<&str> = results
        .iter()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    for code in ["GO041", "GO042", "GO043", "GO044", "GO045"] {
        assert!(rule_ids.contains(&code), "{code} in {rule_ids:?}");
    }
}

#[test]
fn a_devcontainer_json_that_is_not_json_is_one_clear_finding_and_nothing_is_edited() {
    let (ws, file) = workspace("{ \"image\": golang:1.23 }\n");
    let json = check(ws.path(), &["-f", "json"], &[]);
    let go040 = findings_of(&json, "GO040");
    assert_eq!(go040.len(), 1, "{}", json.stdout);
    assert_eq!(go040[0]["severity"], "error");
    assert!(go040[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("not JSON with comments"));
    assert!(go040[0].get("fixes").is_none());
    assert!(findings_of(&json, "GO041").is_empty());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "{ \"image\": golang:1.23 }\n"
    );
}

#[test]
fn a_dockerfile_named_by_the_devcontainer_json_is_read_for_its_go() {
    let (ws, _) = workspace(r#"{ "build": { "dockerfile": "Dockerfile" } }"#);
    let dockerfile = ws.path().join(".devcontainer/Dockerfile");
    std::fs::write(
        &dockerfile,
        "ARG BASE=x\nFROM golang:1.22.5-alpine AS dev\nRUN apk add git\n",
    )
    .unwrap();
    let json = check(ws.path(), &["-f", "json"], &[]);
    let go041 = findings_of(&json, "GO041");
    assert_eq!(go041.len(), 1, "{}", json.stdout);
    assert_eq!(
        go041[0]["subject"]["path"],
        dockerfile.display().to_string()
    );
    assert_eq!(go041[0]["subject"]["range"]["start"]["line"], 1);
    assert_eq!(go041[0]["fixes"][0]["edits"][0]["newText"], "1.23.0");

    std::fs::write(&dockerfile, "ARG GO\nFROM golang:${GO}\n").unwrap();
    let json = check(ws.path(), &["-f", "json"], &[]);
    let go040 = findings_of(&json, "GO040");
    assert_eq!(go040.len(), 1, "{}", json.stdout);
    assert_eq!(go040[0]["severity"], "info");
    assert!(go040[0]["message"]
        .as_str()
        .unwrap()
        .contains("could not be determined"));
}

#[test]
fn the_editor_shows_each_devcontainer_finding_and_its_quick_fixes_clear_them() {
    let (ws, file) = workspace(OLD_IMAGE);
    let file_uri = uri(&file);
    let mut editor = Editor::start(&[("GOTOOLCHAIN", "local")]);
    editor.ignore(&["gord/status", "window/showMessage"]);
    editor.initialize(ws.path(), json!({ "trusted": true }));
    editor.notify("initialized", json!({}));
    let published = editor.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == file_uri.as_str()
    });
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    let codes: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["GO041", "GO042", "GO044", "GO043", "GO045"]);
    let go041 = &diagnostics[0];
    assert_eq!(go041["source"], "gord");
    assert_eq!(go041["range"]["start"]["line"], 4);

    // Every finding's first quick fix, each computed on the text as it is
    // now: applied one after another, each on a fresh run's diagnostics.
    let mut diagnostics = diagnostics.clone();
    for _ in 0..5 {
        let Some(d) = diagnostics.first() else { break };
        let actions = code_actions(&mut editor, &file, d);
        assert_eq!(actions[0]["kind"], "quickfix", "{d}");
        apply(&actions[0], &file);
        // The old diagnostics no longer match the text: no edit from them.
        let stale = code_actions(&mut editor, &file, d);
        assert!(
            stale.iter().all(|a| a.get("edit").is_none()),
            "a fix offered on changed text: {stale:#?}"
        );
        let refreshed = editor.request("gord/health", Some(json!({ "refresh": true })));
        assert!(refreshed["result"]["checks"].is_array());
        let republished = editor.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == file_uri.as_str()
        });
        diagnostics = republished["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .clone();
    }
    assert_eq!(diagnostics, Vec::<Value>::new());
    let fixed = std::fs::read_to_string(&file).unwrap();
    // Comments and the trailing comma stay; the file is still JSONC the
    // check reads, and it now has everything.
    assert!(fixed.starts_with("// Go in a container\n{\n"), "{fixed}");
    assert!(fixed.contains("\"image\": \"golang:1.23-bookworm\", // pinned"));
    assert!(fixed.contains("\"postCreateCommand\": \"make tools && go mod download\",\n}"));
    let json = check(ws.path(), &["-f", "json"], &[]);
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    let left: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["code"]
                .as_str()
                .is_some_and(|c| c.starts_with("GO04") && c != "GO046" && c != "GO047")
        })
        .collect();
    assert!(left.is_empty(), "{left:#?}\n{fixed}");
}

/// A PATH directory holding only the real go, no C compiler.
fn only_go() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(common::real_go_dir().join("go"), dir.path().join("go")).unwrap();
    dir
}

fn go047(run: &Run) -> Value {
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "GO047")
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn cgo_switched_on_without_a_c_compiler_on_path_is_an_error_with_its_fix() {
    let ws = common::workspace_requiring("1.22");
    let bin = only_go();
    let path = bin.path().display().to_string();
    let home = tempfile::tempdir().unwrap();
    let home = home.path().display().to_string();
    let env = [("PATH", path.as_str()), ("HOME", home.as_str())];

    // Go itself turns cgo off when it finds no compiler: nothing to say.
    let quiet = check(ws.path(), &["-f", "json"], &env);
    assert_eq!(go047(&quiet), Value::Null, "{}", quiet.stdout);

    let on = [env[0], env[1], ("CGO_ENABLED", "1")];
    let loud = check(ws.path(), &["-f", "json"], &on);
    let finding = go047(&loud);
    assert_eq!(finding["severity"], "error", "{}", loud.stdout);
    assert!(finding["message"].as_str().unwrap().contains(
        "cgo: C compiler \"gcc\" not found: exec: \"gcc\": executable file not found in $PATH"
    ));
    assert!(finding["fixes"][0]["title"]
        .as_str()
        .unwrap()
        .starts_with("Install a C compiler"));
    assert!(finding["detail"]
        .as_str()
        .unwrap()
        .contains("from the environment"));

    // The real go agrees: building anything that needs cgo fails so.
    std::fs::write(
        ws.path().join("main.go"),
        "package main\n\n// int two() { return 2; }\nimport \"C\"\n\nfunc main() { println(C.two()) }\n",
    )
    .unwrap();
    let gocache = tempfile::tempdir().unwrap();
    let build = Command::new(bin.path().join("go"))
        .args(["build", "-o", "/dev/null", "."])
        .current_dir(ws.path())
        .env_clear()
        .env("PATH", &path)
        .env("HOME", &home)
        .env("GOCACHE", gocache.path())
        .env("GOTOOLCHAIN", "local")
        .env("CGO_ENABLED", "1")
        .output()
        .unwrap();
    assert!(!build.status.success());
    assert!(String::from_utf8_lossy(&build.stderr).contains("cgo: C compiler \"gcc\" not found"));
}

#[test]
fn with_a_c_compiler_on_path_cgo_is_fine() {
    let Some(gcc) = ["/usr/bin/gcc", "/usr/local/bin/gcc"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
    else {
        return common::skip::skip(
            "with_a_c_compiler_on_path_cgo_is_fine",
            "no gcc on this machine",
        );
    };
    let ws = common::workspace_requiring("1.22");
    let bin = only_go();
    std::os::unix::fs::symlink(&gcc, bin.path().join("gcc")).unwrap();
    let path = bin.path().display().to_string();
    let env = [("PATH", path.as_str()), ("CGO_ENABLED", "1")];
    let run = check(ws.path(), &["-f", "json"], &env);
    assert_eq!(go047(&run), Value::Null, "{}", run.stdout);
    let text = check(ws.path(), &[], &env);
    assert!(
        text.stdout
            .contains("GO047 cgo and the C compiler — CGO_ENABLED=1, C compiler gcc at "),
        "{}",
        text.stdout
    );
}
