//! Hostile input: edits (issue #13, items 3 and 4). `gord ssh fix` on
//! configs laid out to trip it (an `Include` glob over the edited file's
//! directory, a read-only file, a hard link), checked with the real
//! `ssh -G` (never connecting); and stale quick fixes in the sidecar.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::common::gord;

/// `gord ssh fix ARGS` with backups under `state` (XDG_STATE_HOME).
fn fix(args: &[&str], state: &Path) -> (i32, String, String) {
    let out = Command::new(gord())
        .args(["ssh", "fix"])
        .args(args)
        .env("XDG_STATE_HOME", state)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `ssh -G -F config host`: the oracle; only ever -G, which never connects.
fn ssh_g(config: &Path, host: &str) -> (bool, String) {
    let out = Command::new("/usr/bin/ssh")
        .arg("-G")
        .arg("-F")
        .arg(config)
        .arg(host)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn backups(state: &Path) -> Vec<PathBuf> {
    let dir = state.join("gord").join("backups");
    if !dir.exists() {
        return Vec::new();
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    found.sort();
    found
}

fn write_mode(path: &Path, text: &str, mode: u32) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_backup_is_never_where_an_include_glob_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let included = dir.path().join("config.d");
    std::fs::create_dir(&included).unwrap();
    let main = dir.path().join("main");
    write_mode(&main, &format!("Include {}/*\n", included.display()), 0o600);
    let work = included.join("work");
    write_mode(
        &work,
        "Host work\n  HostName 127.0.0.1\n  Hostnme typo\n",
        0o600,
    );
    let (ok, out) = ssh_g(&main, "work");
    assert!(!ok, "the broken config must fail first: {out}");

    let main_arg = main.display().to_string();
    let (code, _, stderr) = fix(&["--config", &main_arg], &state);
    assert_eq!(code, 0, "{stderr}");
    let (ok, out) = ssh_g(&main, "work");
    assert!(ok, "ssh must read the fixed file and no backup: {out}");
    assert!(out.contains("hostname 127.0.0.1"), "{out}");
    assert_eq!(names_in(&included), ["work"], "nothing next to the file");
    let first = backups(&state);
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(
        stderr.contains(&first[0].display().to_string()),
        "the message says where the backup is: {stderr}"
    );
    let backup_dir = state.join("gord").join("backups");
    assert_eq!(
        std::fs::metadata(&backup_dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let name = first[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.contains("config.d%2Fwork"),
        "the name identifies the file: {name}"
    );

    // A second broken line, a second fix: still one file in config.d, and
    // the first backup is kept as it was.
    let before = std::fs::read_to_string(&work).unwrap();
    std::fs::write(&work, format!("{before}  Usr bob\n")).unwrap();
    let (code, _, stderr) = fix(&["--config", &main_arg], &state);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(names_in(&included), ["work"]);
    let second = backups(&state);
    assert_eq!(second.len(), 2, "{second:?}");
    assert!(second
        .iter()
        .all(|b| !b.to_string_lossy().contains(".gord-bak.gord-bak")));
    assert_eq!(
        std::fs::read_to_string(&first[0]).unwrap(),
        "Host work\n  HostName 127.0.0.1\n  Hostnme typo\n"
    );
    let (ok, out) = ssh_g(&main, "work");
    assert!(ok, "{out}");
    assert!(out.contains("user bob"), "{out}");
}

#[test]
fn a_read_only_config_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let config = dir.path().join("config");
    let original = "Host ro\n  HostName 127.0.0.1\n  Hostnme typo\n";
    write_mode(&config, original, 0o400);
    let arg = config.display().to_string();

    let (code, _, stderr) = fix(&["--config", &arg], &state);
    assert_ne!(code, 0, "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
    assert!(stderr.contains("--force"), "the error says how: {stderr}");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), original);
    assert_eq!(
        std::fs::metadata(&config).unwrap().permissions().mode() & 0o777,
        0o400
    );
    assert!(backups(&state).is_empty());
    assert_eq!(names_in(dir.path()), ["config"]);

    let (code, _, stderr) = fix(&["--config", &arg, "--force"], &state);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        original.replace("Hostnme", "HostName")
    );
    assert_eq!(
        std::fs::metadata(&config).unwrap().permissions().mode() & 0o777,
        0o400,
        "forced, the mode is still kept"
    );
    assert_eq!(backups(&state).len(), 1);
    let (ok, out) = ssh_g(&config, "ro");
    assert!(ok, "{out}");
}

#[test]
fn a_hard_linked_config_keeps_its_inode_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let config = dir.path().join("config");
    let dotfiles = dir.path().join("dotfiles-ssh-config");
    write_mode(
        &config,
        "Host hl\n  HostName 127.0.0.1\n  Hostnme typo\n",
        0o600,
    );
    std::fs::hard_link(&config, &dotfiles).unwrap();
    let inode = std::fs::metadata(&config).unwrap().ino();

    let (code, _, stderr) = fix(&["--config", &config.display().to_string()], &state);
    assert_eq!(code, 0, "{stderr}");
    let after = std::fs::metadata(&config).unwrap();
    assert_eq!(after.ino(), inode, "same inode");
    assert_eq!(after.nlink(), 2, "still two links");
    assert_eq!(
        std::fs::read_to_string(&dotfiles).unwrap(),
        "Host hl\n  HostName 127.0.0.1\n  HostName typo\n",
        "the other link sees the fix"
    );
    assert!(stderr.contains("in place"), "{stderr}");
    assert_eq!(backups(&state).len(), 1);
    let (ok, out) = ssh_g(&dotfiles, "hl");
    assert!(ok, "{out}");
}

// ---- Item 4: stale quick fixes, through the sidecar's real stdio ----

use serde_json::{json, Value};
use tower_lsp_server::ls_types::{Range, TextEdit};

use super::common::editor::Editor;
use super::common::lsp::{code_action, code_actions, uri};
use super::common::{copy_tree, golangci_dir, str_of, tools_path};

/// A sidecar whose client says what VS Code's (vscode-languageclient 9)
/// does: versioned edits, file watchers registered dynamically, relative
/// patterns. HOME is `home`, so no real ~/.ssh/config is read.
fn editor_on(root: &Path, home: &Path, path: &str) -> Editor {
    editor_with(root, home, path, json!({}))
}

/// [`editor_on`] with `text_document` as the client's textDocument capabilities.
fn editor_with(root: &Path, home: &Path, path: &str, text_document: Value) -> Editor {
    let home = home.display().to_string();
    let mut editor = Editor::start(&[("HOME", &home), ("PATH", path)]);
    // The health run `initialized` starts is not what these tests are about,
    // nor is every lint publication: each edit re-lints after a pause, and a
    // test waits for the publications it names (a last one may come late).
    editor.ignore(&["gord/status", "textDocument/publishDiagnostics"]);
    let root_uri = uri(root);
    let response = editor.request(
        "initialize",
        Some(json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "workspaceFolders": [{ "uri": root_uri, "name": "ws" }],
            "capabilities": {
                "workspace": {
                    "workspaceEdit": { "documentChanges": true },
                    "didChangeWatchedFiles": {
                        "dynamicRegistration": true,
                        "relativePatternSupport": true
                    }
                },
                "textDocument": text_document,
            },
            "initializationOptions": { "trusted": true },
        })),
    );
    assert!(response.get("error").is_none(), "{response}");
    editor.notify("initialized", json!({}));
    editor
}

/// Waits for a publication for `path` with an SSH001 diagnostic on `line`
/// (and none on another line): the lint of the current text.
fn ssh001_on(editor: &mut Editor, path: &Path, line: u64) -> Value {
    let diagnostics = editor.wait_diagnostics(&uri(path), |d| {
        let lines: Vec<u64> = d
            .iter()
            .filter(|d| d["code"] == "SSH001")
            .map(|d| d["range"]["start"]["line"].as_u64().unwrap())
            .collect();
        lines == [line]
    });
    diagnostics
        .into_iter()
        .find(|d| d["code"] == "SSH001")
        .unwrap()
}

/// Asserts that `action` edits `path` at `version` only, and that the client
/// applies it there, on `text`, giving `expected`.
fn assert_applies_at(action: &Value, path: &Path, version: i32, text: &str, expected: &str) {
    assert_eq!(versions_for(action, path), [json!(version)]);
    assert_eq!(
        apply_as_client(action, path, version, text).as_deref(),
        Some(expected)
    );
}

/// What VS Code does with a code action's edit on `path`, whose open
/// document is at `version` with `text`: a `TextDocumentEdit` whose version
/// differs is refused (None); unversioned `changes` are applied as they are.
fn apply_as_client(action: &Value, path: &Path, version: i32, text: &str) -> Option<String> {
    let edit = &action["edit"];
    let mut edits: Vec<TextEdit> = Vec::new();
    if let Some(changes) = edit["changes"].as_object() {
        for (target, list) in changes {
            if target == &uri(path) {
                edits.extend(serde_json::from_value::<Vec<TextEdit>>(list.clone()).unwrap());
            }
        }
    }
    if let Some(operations) = edit["documentChanges"].as_array() {
        for op in operations {
            if op["textDocument"]["uri"] != uri(path) {
                continue;
            }
            if !op["textDocument"]["version"].is_null() && op["textDocument"]["version"] != version
            {
                return None;
            }
            edits.extend(serde_json::from_value::<Vec<TextEdit>>(op["edits"].clone()).unwrap());
        }
    }
    let pairs: Vec<(gord::finding::Range, String)> = edits
        .into_iter()
        .map(|e| (to_finding_range(e.range), e.new_text))
        .collect();
    Some(gord::edit::apply_edits(text, &pairs).unwrap())
}

/// The version every `TextDocumentEdit` of the action's edit carries for `path`.
fn versions_for(action: &Value, path: &Path) -> Vec<Value> {
    assert!(
        action["edit"]["changes"].is_null(),
        "unversioned changes: {action:#}"
    );
    action["edit"]["documentChanges"]
        .as_array()
        .unwrap_or_else(|| panic!("no documentChanges: {action:#}"))
        .iter()
        .filter(|op| op["textDocument"]["uri"] == uri(path))
        .map(|op| op["textDocument"]["version"].clone())
        .collect()
}

/// An ssh config with a typo on its second line, as first opened.
const TYPO_V1: &str = "Host work\n  Hostnme 127.0.0.1\n";

/// An editor (with `text_document` capabilities) on a directory whose
/// `work.ssh_config` holds [`TYPO_V1`] on disk and is open at version 1:
/// the directory, the config and the editor.
fn editing_the_typo(text_document: Value) -> (tempfile::TempDir, PathBuf, Editor) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("work.ssh_config");
    write_mode(&config, TYPO_V1, 0o600);
    let mut editor = editor_with(dir.path(), dir.path(), "/usr/bin:/bin", text_document);
    editor.open(&uri(&config), "ssh_config", 1, TYPO_V1);
    (dir, config, editor)
}

#[test]
fn a_stale_ssh_fix_never_turns_host_into_hohostname() {
    let (_dir, config, mut editor) = editing_the_typo(json!({}));
    let v1 = TYPO_V1;
    let old = ssh001_on(&mut editor, &config, 1);

    let fix = code_action(&mut editor, &config, &old, "Change to HostName");
    assert_applies_at(&fix, &config, 1, v1, "Host work\n  HostName 127.0.0.1\n");

    // One line inserted above: the fix computed on version 1 carries
    // version 1, which the client refuses on version 2.
    let v2 = format!("# added\n{v1}");
    editor.change(&uri(&config), 2, &v2);
    assert_eq!(apply_as_client(&fix, &config, 2, &v2), None);

    // Asked again with the stale diagnostic (range on `Host work` now):
    // whatever comes back must never land on the wrong line.
    for action in code_actions(&mut editor, &config, &old) {
        if action["edit"].is_null() {
            continue;
        }
        assert!(!versions_for(&action, &config).is_empty());
        if let Some(result) = apply_as_client(&action, &config, 2, &v2) {
            assert!(!result.contains("HoHostName"), "{result}");
            assert_eq!(
                result,
                format!("# added\n{v1}").replace("Hostnme", "HostName")
            );
        }
    }

    // The fresh diagnostic gets a fresh fix, versioned 2.
    let fresh = ssh001_on(&mut editor, &config, 2);
    let fix = code_action(&mut editor, &config, &fresh, "Change to HostName");
    assert_applies_at(
        &fix,
        &config,
        2,
        &v2,
        "# added\nHost work\n  HostName 127.0.0.1\n",
    );
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        v1,
        "never written"
    );
}

/// vscode-languageclient 9 drops a code action's TextDocumentEdit version
/// (it checks versions only for workspace/applyEdit), and it resolves edits
/// lazily: the sidecar computes the edit when the user picks the fix and
/// refuses it if the document moved on since the fix was offered.
#[test]
fn a_fix_picked_after_the_text_moved_is_refused_at_resolve() {
    let (_dir, config, mut editor) = editing_the_typo(json!({ "codeAction": {
        "dataSupport": true,
        "resolveSupport": { "properties": ["edit"] }
    }}));
    let v1 = TYPO_V1;
    let diagnostic = ssh001_on(&mut editor, &config, 1);
    let fix = code_action(&mut editor, &config, &diagnostic, "Change to HostName");
    assert!(fix["edit"].is_null(), "the edit waits for resolve: {fix:#}");

    // Picked at once: resolved on version 1, versioned 1.
    let resolved = editor.request("codeAction/resolve", Some(fix.clone()))["result"].clone();
    assert_applies_at(
        &resolved,
        &config,
        1,
        v1,
        "Host work\n  HostName 127.0.0.1\n",
    );

    // Picked after a line was inserted above: no edit at all.
    let v2 = format!("# added\n{v1}");
    editor.change(&uri(&config), 2, &v2);
    let late = editor.request("codeAction/resolve", Some(fix))["result"].clone();
    assert!(late["edit"].is_null(), "{late:#}");
    let told = editor.wait_for(|m| m["method"] == "window/showMessage");
    assert!(
        str_of(&told["params"]["message"]).contains("changed since this fix was offered"),
        "{told:#}"
    );
}

#[test]
fn an_included_files_diagnostics_follow_its_changes_on_disk_and_in_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("main.ssh_config");
    let included = dir.path().join("included");
    let main_text = format!(
        "Include {}\nHost a\n  HostName 127.0.0.1\n",
        included.display()
    );
    write_mode(&main, &main_text, 0o600);
    write_mode(&included, "Host work\n  Hostnme x\n", 0o600);
    let mut editor = editor_on(dir.path(), dir.path(), "/usr/bin:/bin");
    editor.open(&uri(&main), "ssh_config", 1, &main_text);

    // Under the included file's own URI.
    let old = ssh001_on(&mut editor, &included, 1);
    // The sidecar asks the client to watch the included file, by name
    // relative to its directory (it is outside any workspace folder in life).
    let request = editor.wait_for(|m| m["method"] == "client/registerCapability");
    let registration = &request["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let watcher = &registration["registerOptions"]["watchers"][0]["globPattern"];
    assert_eq!(watcher["baseUri"], uri(dir.path()), "{request:#}");
    assert_eq!(watcher["pattern"], "included", "{request:#}");
    editor.send(json!({ "jsonrpc": "2.0", "id": request["id"], "result": null }));

    // Changed on disk: a line above the typo.
    std::fs::write(&included, "# first\nHost work\n  Hostnme x\n").unwrap();
    editor.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&included), "type": 2 }] }),
    );
    let moved = ssh001_on(&mut editor, &included, 2);
    // The included file is not open: the stale diagnostic's fix is
    // recomputed from the disk and, no longer matching, not offered.
    let stale = code_actions(&mut editor, &included, &old);
    assert!(
        stale.iter().all(|a| a["edit"].is_null()),
        "a fix for text that moved: {stale:#?}"
    );
    // The current one's is, computed from the disk: version null.
    let fix = code_action(&mut editor, &included, &moved, "Change to HostName");
    assert_eq!(versions_for(&fix, &included), [Value::Null]);
    let on_disk = std::fs::read_to_string(&included).unwrap();
    assert_eq!(
        apply_as_client(&fix, &included, 0, &on_disk).unwrap(),
        "# first\nHost work\n  HostName x\n"
    );

    // Opened and edited in the editor (as plain text: only the including
    // config lints it), without saving.
    let on_disk = std::fs::read_to_string(&included).unwrap();
    editor.open(&uri(&included), "plaintext", 1, &on_disk);
    editor.change(&uri(&included), 2, "# one\n# two\nHost work\n  Hostnme x\n");
    let current = ssh001_on(&mut editor, &included, 3);
    let fix = code_action(&mut editor, &included, &current, "Change to HostName");
    assert_eq!(versions_for(&fix, &included), [json!(2)]);
    let peak = super::common::peak_rss_kib(editor.child.id());
    eprintln!("sidecar peak RSS: {peak} KiB");
    assert!(peak < super::common::RSS_BUDGET_KIB, "{peak} KiB");
}

#[test]
fn golangci_config_and_nolint_fixes_are_versioned() {
    let ws = tempfile::tempdir().unwrap();
    copy_tree(
        &super::common::repo_root().join("tests/fixtures/lint"),
        ws.path(),
    );
    let file = ws.path().join("issues/issues.go");
    let config = ws.path().join(".golangci.yml");
    let go_text = std::fs::read_to_string(&file).unwrap();
    let config_text = std::fs::read_to_string(&config).unwrap();
    // The real HOME: golangci-lint's and go's caches are warm there.
    let home = PathBuf::from(std::env::var_os("HOME").unwrap());
    let mut editor = editor_on(ws.path(), &home, &tools_path(None, golangci_dir()));
    // The lint run's start and end: the test waits on its diagnostics.
    editor.ignore(&["gord/lint/status"]);
    editor.open(&uri(&file), "go", 3, &go_text);
    let unused = editor
        .wait_diagnostics(&uri(&file), |d| d.iter().any(|d| d["code"] == "unused"))
        .into_iter()
        .find(|d| d["code"] == "unused")
        .unwrap();

    // The config is not open: computed from the disk now, version null.
    let actions = code_actions(&mut editor, &file, &unused);
    let disable = |actions: &[Value]| {
        actions
            .iter()
            .find(|a| a["title"] == "Disable unused in .golangci.yml")
            .unwrap_or_else(|| panic!("{actions:#?}"))
            .clone()
    };
    assert_eq!(versions_for(&disable(&actions), &config), [Value::Null]);
    let nolint = actions
        .iter()
        .find(|a| str_of(&a["title"]).starts_with("Ignore unused"))
        .unwrap_or_else(|| panic!("{actions:#?}"));
    assert_eq!(versions_for(nolint, &file), [json!(3)]);

    // Open in the editor: the edit carries the buffer's version, and the
    // client refuses it once the buffer has moved on.
    editor.open(&uri(&config), "yaml", 5, &config_text);
    let actions = code_actions(&mut editor, &file, &unused);
    let fix = disable(&actions);
    assert_eq!(versions_for(&fix, &config), [json!(5)]);
    assert!(apply_as_client(&fix, &config, 5, &config_text).is_some());
    let moved = format!("# a comment\n{config_text}");
    editor.change(&uri(&config), 6, &moved);
    assert_eq!(apply_as_client(&fix, &config, 6, &moved), None);

    // The Go file changed since the lint: no //nolint on a line that moved.
    editor.change(&uri(&file), 4, &format!("// moved\n{go_text}"));
    let actions = code_actions(&mut editor, &file, &unused);
    assert!(
        !actions
            .iter()
            .any(|a| str_of(&a["title"]).starts_with("Ignore unused")),
        "{actions:#?}"
    );
    let peak = super::common::peak_rss_kib(editor.child.id());
    eprintln!("sidecar peak RSS: {peak} KiB");
    assert!(peak < super::common::RSS_BUDGET_KIB, "{peak} KiB");
}

/// An LSP range as the library's own (the same numbers).
fn to_finding_range(r: Range) -> gord::finding::Range {
    use gord::finding::Position;
    gord::finding::Range::new(
        Position::new(r.start.line, r.start.character),
        Position::new(r.end.line, r.end.character),
    )
}
