//! Lint in the editor, through `gord serve`'s real stdio with the real
//! golangci-lint (the pinned v2 the test setup installs) on the fixture module
//! in tests/fixtures/lint: exact diagnostics on save, the package only, quick
//! fixes through textDocument/codeAction, bursts of saves, the linter's own
//! failures, and the cancellable workspace run.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::editor::{is_notification, Editor};
use common::lsp::{assert_cancelled, code_actions, uri};
use common::{copy_tree, golangci_dir, str_of, tools_path, wait};
use serde_json::{json, Value};
use tower_lsp_server::ls_types::{Range, TextEdit};

/// A copy of the lint fixture module, so tests may edit it.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&common::repo_root().join("tests/fixtures/lint"), dir.path());
    dir
}

fn start(ws: &Path, settings: Value, path: &str) -> Editor {
    let mut editor = Editor::start(&[("PATH", path), ("GORD_LOG", "debug")]);
    // The health run `initialized` starts, and each lint run's start and
    // end: the tests wait on the ones they are about.
    editor.ignore(&["gord/status", "gord/lint/status"]);
    editor.initialize(ws, json!({ "trusted": true, "settings": settings }));
    editor.notify("initialized", json!({}));
    editor
}

fn open(editor: &mut Editor, path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    editor.open(&uri(path), "go", 1, &text);
}

fn save(editor: &mut Editor, path: &Path) {
    editor.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri(path) } }),
    );
}

/// Forgets publications already received for `path`, so the next wait sees
/// only what comes after.
fn forget_diagnostics(editor: &mut Editor, path: &Path) {
    let wanted = uri(path);
    editor.take_all(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == wanted
    });
}

/// The next lint publication for `path` (one whose diagnostics, if any, come
/// from the linter).
fn next_lint_diagnostics(editor: &mut Editor, path: &Path) -> Vec<Value> {
    editor.wait_diagnostics(&uri(path), |d| {
        d.iter().all(|d| d["source"] == "golangci-lint")
    })
}

/// Waits for the end of a lint run (the idle lint status).
fn wait_lint_idle(editor: &mut Editor) -> Value {
    editor.wait_for(|m| is_notification("gord/lint/status")(m) && m["params"]["state"] == "idle")
}

/// (line, start char, end char, code, severity) of each diagnostic.
fn brief(diagnostics: &[Value]) -> Vec<(u64, u64, u64, String, u64)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["character"].as_u64().unwrap(),
                d["range"]["end"]["character"].as_u64().unwrap(),
                str_of(&d["code"]).to_string(),
                d["severity"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn opening_a_file_publishes_exact_diagnostics_for_its_package_only() {
    let ws = fixture();
    let file = ws.path().join("issues/issues.go");
    let (mut editor, diagnostics) = opened(ws.path(), &file);
    const ERROR: u64 = 1;
    const WARNING: u64 = 2;
    let mut got = brief(&diagnostics);
    // gofmt's range is its whole fix: checked on its own below.
    let gofmt: Vec<_> = got.iter().filter(|d| d.3 == "gofmt").cloned().collect();
    got.retain(|d| d.3 != "gofmt");
    assert_eq!(
        got,
        [
            // `os.Remove("x")`: errcheck points at the call's parenthesis;
            // the range covers the arguments. An error by the config's rule.
            (10, 10, 15, "errcheck".to_string(), ERROR),
            // `x := 1`: the variable.
            (15, 1, 2, "ineffassign".to_string(), WARNING),
            // `\t\ts := "日本語😀"; fmt.Printf("%d\n", s)`: golangci-lint
            // says byte columns 36 and 37; in UTF-16 units the format string
            // starts at 27 (2 tabs, `s := "`, 3 CJK units, 2 for the emoji,
            // `"; fmt.Printf(`), and `%` is at 28.
            (22, 27, 33, "staticcheck".to_string(), WARNING),
            (22, 28, 29, "govet".to_string(), WARNING),
            (25, 5, 17, "unused".to_string(), WARNING),
        ]
    );
    assert_eq!(gofmt.len(), 1);
    assert_eq!(
        (gofmt[0].0, gofmt[0].1),
        (22, 0),
        "gofmt starts at the badly indented line"
    );
    let errcheck = &diagnostics[diagnostics
        .iter()
        .position(|d| d["code"] == "errcheck")
        .unwrap()];
    assert_eq!(errcheck["source"], "golangci-lint");
    assert_eq!(
        errcheck["message"],
        "Error return value of `os.Remove` is not checked"
    );
    assert_eq!(
        errcheck["codeDescription"]["href"],
        "https://golangci-lint.run/usage/linters/#errcheck"
    );
    // sub/ is another package: linting issues/ says nothing about it.
    let status = wait_lint_idle(&mut editor);
    assert!(str_of(&status["params"]["scope"]).starts_with("./issues in "));
    let sub = uri(&ws.path().join("issues/sub/sub.go"));
    assert!(editor
        .take_all(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == sub)
        .is_empty());
}

/// An editor on the fixture copy `ws` (default settings) with `file` open,
/// and the file's first lint diagnostics.
fn opened(ws: &Path, file: &Path) -> (Editor, Vec<Value>) {
    let mut editor = start(ws, json!({}), &tools_path(None, golangci_dir()));
    open(&mut editor, file);
    let diagnostics = next_lint_diagnostics(&mut editor, file);
    (editor, diagnostics)
}

/// The diagnostic whose code is `code`.
fn by_code(diagnostics: &[Value], code: &str) -> Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} among {diagnostics:#?}"))
        .clone()
}

/// Applies a code action's edits to the files on disk and tells the server,
/// as VS Code does when the user picks it and saves.
fn apply_action(editor: &mut Editor, action: &Value) -> Vec<PathBuf> {
    let mut touched = Vec::new();
    let mut apply = |uri_text: &str, edits: &Value| {
        let path = PathBuf::from(uri_text.strip_prefix("file://").unwrap());
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let edits: Vec<TextEdit> = serde_json::from_value(edits.clone()).unwrap();
        let pairs: Vec<(gord::finding::Range, String)> = edits
            .into_iter()
            .map(|e| (to_finding_range(e.range), e.new_text))
            .collect();
        let new = gord::edit::apply_edits(&text, &pairs).unwrap();
        std::fs::write(&path, new).unwrap();
        touched.push(path);
    };
    let edit = &action["edit"];
    if let Some(changes) = edit["changes"].as_object() {
        for (uri_text, edits) in changes {
            apply(uri_text, edits);
        }
    }
    if let Some(operations) = edit["documentChanges"].as_array() {
        for op in operations {
            if op["kind"] == "create" {
                let path = PathBuf::from(str_of(&op["uri"]).strip_prefix("file://").unwrap());
                assert!(
                    !path.exists(),
                    "a create must not clobber {}",
                    path.display()
                );
                std::fs::write(&path, "").unwrap();
            } else {
                apply(str_of(&op["textDocument"]["uri"]), &op["edits"]);
            }
        }
    }
    for path in &touched {
        // Each change is newer than the last: an older one would be ignored.
        let version = NEXT_VERSION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        editor.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri(path), "version": version },
                    "contentChanges": [{ "text": std::fs::read_to_string(path).unwrap() }] }),
        );
    }
    touched
}

/// Picks the code action offered for `diagnostic` whose title `titled`
/// accepts and applies it, forgetting the publications before it so the next
/// wait sees what follows; the files it touched.
fn pick_action(
    editor: &mut Editor,
    file: &Path,
    diagnostic: &Value,
    titled: impl Fn(&str) -> bool,
) -> Vec<PathBuf> {
    let actions = code_actions(editor, file, diagnostic);
    let action = actions
        .iter()
        .find(|a| a["title"].as_str().is_some_and(&titled))
        .unwrap_or_else(|| panic!("{actions:#?}"));
    forget_diagnostics(editor, file);
    apply_action(editor, action)
}

/// Saves `file` and returns the diagnostics of the lint that follows,
/// asserting that none of them is a `code` any more.
fn relint_without(editor: &mut Editor, file: &Path, code: &str) -> Vec<Value> {
    save(editor, file);
    let after = next_lint_diagnostics(editor, file);
    assert!(!after.iter().any(|d| d["code"] == code), "{after:#?}");
    after
}

/// The version of the next change `apply_action` sends (documents open at 1).
static NEXT_VERSION: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(2);

fn golangci_lint_exit(ws: &Path, package: &str) -> (i32, String) {
    let out = std::process::Command::new(golangci_dir().join("golangci-lint"))
        .args(["run", package])
        .current_dir(ws)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn every_suggested_fix_applied_through_code_actions_leaves_the_package_lint_clean() {
    let ws = fixture();
    let file = ws.path().join("fixable/fixable.go");
    let mut editor = start(ws.path(), json!({}), &tools_path(None, golangci_dir()));
    open(&mut editor, &file);
    let mut diagnostics = next_lint_diagnostics(&mut editor, &file);
    let mut titles = Vec::new();
    assert_eq!(diagnostics.len(), 3, "{diagnostics:#?}");
    for _round in 0..5 {
        let Some(diagnostic) = diagnostics.first().cloned() else {
            break;
        };
        let actions = code_actions(&mut editor, &file, &diagnostic);
        let preferred = actions
            .iter()
            .find(|a| a["isPreferred"] == true)
            .unwrap_or_else(|| panic!("no preferred fix for {diagnostic:#?}: {actions:#?}"));
        assert_eq!(preferred["kind"], "quickfix");
        titles.push(str_of(&preferred["title"]).to_string());
        forget_diagnostics(&mut editor, &file);
        apply_action(&mut editor, preferred);
        save(&mut editor, &file);
        diagnostics = next_lint_diagnostics(&mut editor, &file);
    }
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert_eq!(
        titles,
        [
            "Replace with `Receive` (misspell)",
            "Replace with `Receive` (misspell)",
            "Format with gofmt",
        ]
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("func Receive() int {\n\treturn 1\n}"),
        "{text}"
    );
    assert_eq!(
        golangci_lint_exit(ws.path(), "./fixable").0,
        0,
        "golangci-lint agrees"
    );
}

#[test]
fn a_fix_is_not_offered_once_the_file_has_changed_since_it_was_linted() {
    let ws = fixture();
    let file = ws.path().join("fixable/fixable.go");
    let (mut editor, diagnostics) = opened(ws.path(), &file);
    let misspell = by_code(&diagnostics, "misspell");
    editor.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri(&file), "version": 2 },
                "contentChanges": [{ "text": format!("// a new first line\n{}", std::fs::read_to_string(&file).unwrap()) }] }),
    );
    let actions = code_actions(&mut editor, &file, &misspell);
    assert!(
        actions.iter().all(|a| a["isPreferred"] != true),
        "the byte offsets no longer fit: {actions:#?}"
    );
}

#[test]
fn ignoring_a_linter_on_a_line_adds_a_nolint_directive_golangci_lint_honours() {
    let ws = fixture();
    let file = ws.path().join("issues/issues.go");
    let (mut editor, diagnostics) = opened(ws.path(), &file);
    let errcheck = by_code(&diagnostics, "errcheck");
    pick_action(&mut editor, &file, &errcheck, |t| {
        t.starts_with("Ignore errcheck on this line")
    });
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("\tos.Remove(\"x\") //nolint:errcheck //"),
        "{text}"
    );
    let after = relint_without(&mut editor, &file, "errcheck");
    assert_eq!(after.len(), diagnostics.len() - 1);
}

#[test]
fn disabling_a_linter_in_the_config_silences_it_on_the_next_run() {
    let ws = fixture();
    let file = ws.path().join("issues/issues.go");
    let (mut editor, diagnostics) = opened(ws.path(), &file);
    let unused = by_code(&diagnostics, "unused");
    let touched = pick_action(&mut editor, &file, &unused, |t| {
        t == "Disable unused in .golangci.yml"
    });
    assert_eq!(touched, [ws.path().join(".golangci.yml")]);
    let config = std::fs::read_to_string(ws.path().join(".golangci.yml")).unwrap();
    assert!(!config.contains("- unused"), "{config}");
    assert!(
        config.contains("- misspell"),
        "the other linters stay: {config}"
    );
    let after = relint_without(&mut editor, &file, "unused");
    assert!(after.iter().any(|d| d["code"] == "errcheck"));
}

#[test]
fn disabling_a_linter_in_a_toml_config_silences_it_and_keeps_the_comments() {
    let ws = fixture();
    std::fs::remove_file(ws.path().join(".golangci.yml")).unwrap();
    let toml = ws.path().join(".golangci.toml");
    std::fs::write(
        &toml,
        "# The lint fixture's config, as TOML.\nversion = \"2\"\n\n[linters]\ndefault = \"none\"\n\
         enable = [\n  \"errcheck\", # errors\n  \"govet\",\n  \"staticcheck\",\n  \"ineffassign\",\n  \"unused\",\n  \"misspell\",\n]\n\n\
         [formatters]\nenable = [\"gofmt\"]\n",
    )
    .unwrap();
    let file = ws.path().join("issues/issues.go");
    let (mut editor, diagnostics) = opened(ws.path(), &file);
    let unused = by_code(&diagnostics, "unused");
    let touched = pick_action(&mut editor, &file, &unused, |t| {
        t == "Disable unused in .golangci.toml"
    });
    assert_eq!(touched, std::slice::from_ref(&toml));
    let config = std::fs::read_to_string(&toml).unwrap();
    assert!(
        config.contains("  \"ineffassign\",\n  \"misspell\",\n]") && !config.contains("unused"),
        "{config}"
    );
    assert!(config.contains("\"errcheck\", # errors"), "{config}");
    let after = relint_without(&mut editor, &file, "unused");
    assert!(after.iter().any(|d| d["code"] == "errcheck"));
}

#[test]
fn a_new_config_is_created_when_the_project_has_none() {
    let ws = fixture();
    std::fs::remove_file(ws.path().join(".golangci.yml")).unwrap();
    let file = ws.path().join("issues/issues.go");
    let (mut editor, diagnostics) = opened(ws.path(), &file);
    let errcheck = by_code(&diagnostics, "errcheck");
    pick_action(&mut editor, &file, &errcheck, |t| {
        t == "Disable errcheck in a new .golangci.yml"
    });
    let after = relint_without(&mut editor, &file, "errcheck");
    assert!(!after.is_empty(), "the default linters still run");
}

/// A directory whose `golangci-lint` counts its lint runs (not `run --help`)
/// into `count_file` and then runs the real one: the count is the observation, the linting
/// is real.
fn counting_golangci(count_file: &Path) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("golangci-lint");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nif [ \"$1\" = run ] && [ \"$2\" != --help ]; then echo run >> '{}'; fi\nexec '{}' \"$@\"\n",
            count_file.display(),
            golangci_dir().join("golangci-lint").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

#[test]
fn a_storm_of_twenty_saves_runs_the_linter_at_most_twice() {
    let ws = fixture();
    let file = ws.path().join("issues/issues.go");
    let count = ws.path().join("runs.txt");
    let wrapper = counting_golangci(&count);
    let mut editor = start(
        ws.path(),
        json!({ "gord": { "lint": { "onOpen": false } } }),
        &tools_path(Some(wrapper.path()), golangci_dir()),
    );
    open(&mut editor, &file);
    // Back to back, as "save all" or format-on-save sends them: no gap
    // between two saves comes near the debounce, however loaded the machine.
    for _ in 0..20 {
        save(&mut editor, &file);
    }
    let diagnostics = next_lint_diagnostics(&mut editor, &file);
    assert!(!diagnostics.is_empty());
    // Anything still queued would have started by now.
    std::thread::sleep(Duration::from_secs(2));
    let runs = std::fs::read_to_string(&count).unwrap().lines().count();
    assert!((1..=2).contains(&runs), "{runs} runs");
    // A second run, if the storm made one, publishes again when it ends,
    // which may be after this test.
    editor.ignore(&["textDocument/publishDiagnostics"]);
}

#[test]
fn the_linters_own_failure_is_shown_once_and_is_not_a_finding() {
    let ws = fixture();
    std::fs::write(
        ws.path().join(".golangci.yml"),
        "version: \"2\"\nlinters:\n  enable: [nosuchlinter]\n",
    )
    .unwrap();
    let file = ws.path().join("clean/clean.go");
    let mut editor = start(ws.path(), json!({}), &tools_path(None, golangci_dir()));
    open(&mut editor, &file);
    let status = wait_lint_idle(&mut editor);
    let failures = status["params"]["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{status:#}");
    assert!(str_of(&failures[0]).contains("unknown linters: 'nosuchlinter'"));
    let shown = editor.wait_for(is_notification("window/showMessage"));
    assert!(str_of(&shown["params"]["message"]).contains("nosuchlinter"));
    save(&mut editor, &file);
    wait_lint_idle(&mut editor);
    assert!(
        editor
            .take_all(|m| is_notification("window/showMessage")(m)
                && m["params"]["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("nosuchlinter"))
            .is_empty(),
        "shown once, not on every save"
    );
}

#[test]
fn the_workspace_lint_reports_progress_and_every_package() {
    let ws = fixture();
    let mut editor = start(
        ws.path(),
        json!({ "gord": { "lint": { "onOpen": false } } }),
        &tools_path(None, golangci_dir()),
    );
    let id = 4242;
    editor
        .send(json!({ "jsonrpc": "2.0", "id": id, "method": "gord/lint/workspace", "params": {} }));
    let token = editor.accept_progress();
    let result = editor.response_to(id);
    let result = &result["result"];
    assert_eq!(result["modules"], 1, "{result:#}");
    // issues/ (6), issues/sub (1), fixable/ (3).
    assert_eq!(result["issues"], 10, "{result:#}");
    assert_eq!(result["files"], 3);
    let progress = editor.wait_progress_end(&token);
    let kinds: Vec<&str> = progress
        .iter()
        .map(|m| str_of(&m["params"]["value"]["kind"]))
        .collect();
    assert_eq!(kinds.first(), Some(&"begin"));
    assert_eq!(kinds.last(), Some(&"end"));
    assert_eq!(progress[0]["params"]["value"]["cancellable"], true);
    // Every file with issues gets its diagnostics, the sub-package's too.
    for file in [
        "issues/issues.go",
        "issues/sub/sub.go",
        "fixable/fixable.go",
    ] {
        let file = uri(&ws.path().join(file));
        let published = editor.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == file.as_str()
        });
        assert_ne!(published["params"]["diagnostics"], json!([]), "{file}");
    }
}

/// Processes whose environment holds `marker`.
fn processes_with_env(marker: &str) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .map(|env| String::from_utf8_lossy(&env).contains(marker))
                .unwrap_or(false)
        })
        .collect()
}

#[test]
fn cancelling_the_workspace_lint_kills_the_linter_at_once() {
    let ws = fixture();
    // A cold golangci-lint cache makes the real run slow enough to cancel.
    let cache = tempfile::tempdir().unwrap();
    let marker = cache.path().display().to_string();
    let mut editor = Editor::start(&[
        ("PATH", &tools_path(None, golangci_dir())),
        ("GOLANGCI_LINT_CACHE", &marker),
    ]);
    editor.ignore(&["gord/status", "gord/lint/status"]);
    editor.initialize(
        ws.path(),
        json!({ "trusted": true, "settings": { "gord": { "lint": { "onOpen": false } } } }),
    );
    editor.notify("initialized", json!({}));
    let id = 4343;
    editor
        .send(json!({ "jsonrpc": "2.0", "id": id, "method": "gord/lint/workspace", "params": {} }));
    let token = editor.accept_progress();
    // Wait until the linter is running, then cancel.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !processes_with_env(&marker).iter().any(|pid| {
        std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .unwrap_or_default()
            .starts_with("golangci")
    }) {
        assert!(Instant::now() < deadline, "golangci-lint never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    editor.cancel_progress(&token);
    assert_cancelled(&editor.response_to(id), "gord/lint/workspace");
    let progress = editor.wait_progress_end(&token);
    assert_eq!(progress[0]["params"]["value"]["kind"], "begin");
    assert_eq!(
        progress.last().unwrap()["params"]["value"]["message"],
        "cancelled"
    );
    // The server itself carries the marker too; nothing else may.
    let server = editor.child.id();
    wait::until_empty(Duration::from_secs(2), "left behind", || {
        let mut left = processes_with_env(&marker);
        left.retain(|p| *p != server);
        left
    });
}

#[test]
fn an_untrusted_workspace_is_never_linted() {
    let ws = fixture();
    let count = ws.path().join("runs.txt");
    let wrapper = counting_golangci(&count);
    let mut editor = Editor::start(&[("PATH", &tools_path(Some(wrapper.path()), golangci_dir()))]);
    // The health run `initialized` starts is not what this test is about.
    editor.ignore(&["gord/status"]);
    editor.initialize(ws.path(), json!({ "trusted": false }));
    editor.notify("initialized", json!({}));
    let file = ws.path().join("issues/issues.go");
    open(&mut editor, &file);
    save(&mut editor, &file);
    let response = editor.request("gord/lint/workspace", Some(json!({})));
    assert!(
        str_of(&response["error"]["message"]).contains("not trusted"),
        "{response:#}"
    );
    assert_eq!(
        response["error"]["code"], -32803,
        "RequestFailed: {response:#}"
    );
    std::thread::sleep(LINT_SETTLE);
    assert!(
        !count.exists(),
        "golangci-lint ran in an untrusted workspace"
    );
}

/// Longer than the save debounce plus a linter start.
const LINT_SETTLE: Duration = Duration::from_secs(1);

/// An LSP range as the library's own (the same numbers).
fn to_finding_range(r: Range) -> gord::finding::Range {
    use gord::finding::Position;
    gord::finding::Range::new(
        Position::new(r.start.line, r.start.character),
        Position::new(r.end.line, r.end.character),
    )
}

#[test]
fn godots_quick_fix_on_a_crlf_file_keeps_its_line_endings_and_satisfies_golangci_lint() {
    let ws = common::temp_tree(&[
        ("go.mod", "module example.com/crlf\n\ngo 1.22\n"),
        (
            ".golangci.yml",
            "version: \"2\"\nlinters:\n  default: none\n  enable:\n    - godot\n",
        ),
        (
            "a.go",
            "package crlf\r\n\r\n// Add adds two numbers\r\nfunc Add(a, b int) int {\r\n\treturn a + b\r\n}\r\n",
        ),
    ]);
    let file = ws.path().join("a.go");
    let (mut editor, diagnostics) = opened(ws.path(), &file);
    let godot = by_code(&diagnostics, "godot");
    pick_action(&mut editor, &file, &godot, |t| t.contains("(godot)"));
    relint_without(&mut editor, &file, "godot");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "package crlf\r\n\r\n// Add adds two numbers.\r\nfunc Add(a, b int) int {\r\n\treturn a + b\r\n}\r\n",
        "the period goes before the \\r\\n, not a \\r\\r\\n"
    );
    assert_eq!(golangci_lint_exit(ws.path(), "./...").0, 0);
}
