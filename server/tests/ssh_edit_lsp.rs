//! Editing an ssh config through `gord serve` over stdio: completion by the
//! release followed, keyword hover, the outline and formatting, and the
//! formatter registered for SSH configs only.

use crate::common;

use common::editor::Editor;
use common::lsp::{apply_json_edits, hover};
use serde_json::{json, Value};

/// A config with CRLF endings, comments and mixed indentation (4 spaces
/// mostly).
const CONFIG: &str = "# my hosts\r\nInclude conf.d/*\r\nHost db db-*\r\n    HostName db.example\r\n  User dba\r\n    Port 2222\r\n\t# keep me\r\n    StrictHostKeyChecking ask\r\n\r\nMatch host x\r\nUser m   # trailing\r\n";

const FORMATTED: &str = "# my hosts\r\nInclude conf.d/*\r\nHost db db-*\r\n    HostName db.example\r\n    User dba\r\n    Port 2222\r\n\t# keep me\r\n    StrictHostKeyChecking ask\r\n\r\nMatch host x\r\n    User m   # trailing\r\n";

fn editing(home: &std::path::Path) -> (String, Editor) {
    let config = home.join("work.ssh_config");
    std::fs::write(&config, CONFIG).unwrap();
    let uri = common::lsp::uri(&config);
    let mut editor = Editor::start(&[]);
    // The live lint of the open config is not what these tests are about.
    editor.ignore(&["textDocument/publishDiagnostics"]);
    let init = editor.initialize(home, json!({}));
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["documentSymbolProvider"], true);
    assert_eq!(capabilities["documentFormattingProvider"], true);
    assert_eq!(capabilities["documentRangeFormattingProvider"], true);
    assert_eq!(
        capabilities["completionProvider"]["triggerCharacters"],
        json!([" ", "=", ",", "+", "^", "!"])
    );
    editor.open(&uri, "ssh_config", 1, CONFIG);
    (uri, editor)
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

fn labels(response: &Value) -> Vec<String> {
    response["result"]["items"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|i| common::str_of(&i["label"]).to_string())
        .collect()
}

fn formatting(editor: &mut Editor, uri: &str, range: Option<Value>) -> Value {
    let options = json!({ "tabSize": 2, "insertSpaces": true });
    let response = match range {
        None => editor.request(
            "textDocument/formatting",
            Some(json!({ "textDocument": { "uri": uri }, "options": options })),
        ),
        Some(range) => editor.request(
            "textDocument/rangeFormatting",
            Some(json!({ "textDocument": { "uri": uri }, "range": range, "options": options })),
        ),
    };
    response["result"].clone()
}

#[test]
fn completion_offers_what_the_followed_release_knows_with_the_default_marked() {
    let home = tempfile::tempdir().unwrap();
    let (uri, mut editor) = editing(home.path());
    // An untrusted workspace runs no ssh: the rules of OpenSSH 9.2p1.
    let keywords = editor.request("textDocument/completion", Some(at(&uri, 10, 1)));
    let names = labels(&keywords);
    assert!(
        names.contains(&"EnableEscapeCommandline".to_string()),
        "{names:?}"
    );
    assert!(!names.contains(&"Tag".to_string()), "Tag came in 9.4");
    let user = &keywords["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "User")
        .unwrap()
        .clone();
    assert_eq!(
        user["textEdit"]["range"],
        json!({ "start": { "line": 10, "character": 0 }, "end": { "line": 10, "character": 4 } })
    );

    let values = editor.request("textDocument/completion", Some(at(&uri, 7, 26)));
    assert_eq!(labels(&values), ["yes", "no", "ask", "off", "accept-new"]);
    let ask = &values["result"]["items"][2];
    assert_eq!(ask["preselect"], true);
    assert_eq!(ask["detail"], "default");

    // Free text gets nothing.
    let free = editor.request("textDocument/completion", Some(at(&uri, 3, 14)));
    assert_eq!(free["result"], Value::Null);
}

/// The config of the completion tests below: a Match line and algorithm
/// lists, under the 9.2p1 rules an untrusted workspace follows.
const LISTS: &str = "Match user me !lo\nHost *\n  Ciphers aes128-ctr,aes2\n  KexAlgorithms +\n  MACs -hmac-sha1,\n  PubkeyAcceptedKeyTypes ^ssh-ed\n";

fn items_at(editor: &mut Editor, uri: &str, line: u32, character: u32) -> Vec<Value> {
    let response = editor.request("textDocument/completion", Some(at(uri, line, character)));
    response["result"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn names(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| common::str_of(&i["label"])).collect()
}

#[test]
fn completion_offers_the_match_criteria_of_the_followed_release() {
    let home = tempfile::tempdir().unwrap();
    let (uri, mut editor) = editing(home.path());
    editor.change(&uri, 2, LISTS);
    // After `user me`, at the negated criterion being typed.
    let criteria = items_at(&mut editor, &uri, 0, 17);
    assert_eq!(
        names(&criteria),
        [
            "canonical",
            "final",
            "exec",
            "host",
            "originalhost",
            "localuser"
        ],
        "9.2p1 has no tagged, localnetwork, version, sessiontype nor command"
    );
    let local = &criteria[5];
    assert_eq!(local["kind"], 14, "a keyword");
    assert_eq!(
        local["textEdit"]["range"],
        json!({ "start": { "line": 0, "character": 15 }, "end": { "line": 0, "character": 17 } }),
        "the ! stays"
    );
    assert!(common::str_of(&local["detail"]).starts_with("Matches your local user name"));
    // In the argument of `user`: the local user.
    let argument = items_at(&mut editor, &uri, 0, 12);
    let me = gord::ssh::config::local::LocalFacts::current().user;
    assert_eq!(names(&argument), [me.as_str()]);
    assert_eq!(
        argument[0]["textEdit"]["range"],
        json!({ "start": { "line": 0, "character": 11 }, "end": { "line": 0, "character": 13 } })
    );
    // In the argument of `host`: the config's Host aliases, after a comma
    // those not yet in the list.
    editor.change(
        &uri,
        3,
        &format!("{LISTS}Host db web-1 *.test\n  Tag work\nMatch host db,x tagged \n"),
    );
    assert_eq!(names(&items_at(&mut editor, &uri, 8, 11)), ["db", "web-1"]);
    assert_eq!(names(&items_at(&mut editor, &uri, 8, 14)), ["web-1"]);
    assert_eq!(names(&items_at(&mut editor, &uri, 8, 23)), ["work"]);
}

#[test]
fn completion_offers_the_algorithms_of_the_followed_release_not_yet_in_the_list() {
    let home = tempfile::tempdir().unwrap();
    let (uri, mut editor) = editing(home.path());
    editor.change(&uri, 2, LISTS);
    let ciphers = items_at(&mut editor, &uri, 2, 25);
    let offered = names(&ciphers);
    assert_eq!(
        offered[..5],
        [
            "chacha20-poly1305@openssh.com",
            "aes192-ctr",
            "aes256-ctr",
            "aes128-gcm@openssh.com",
            "aes256-gcm@openssh.com"
        ],
        "9.2p1's default order, without aes128-ctr"
    );
    assert_eq!(offered.len(), 9);
    assert_eq!(ciphers[0]["detail"], "in the default list");
    assert_eq!(ciphers[5]["detail"], "not in the default list");
    assert!(
        common::str_of(&ciphers[0]["documentation"]["value"]).starts_with(
            "The default under OpenSSH 9.2p1: `chacha20-poly1305@openssh.com`, `aes128-ctr`"
        )
    );
    assert_eq!(
        ciphers[0]["textEdit"]["range"],
        json!({ "start": { "line": 2, "character": 21 }, "end": { "line": 2, "character": 25 } })
    );

    // `+` offers what 9.2p1's default lacks: no ML-KEM (9.9), group1 is there.
    let kex = items_at(&mut editor, &uri, 3, 17);
    let kex = names(&kex);
    assert!(kex.contains(&"diffie-hellman-group1-sha1"), "{kex:?}");
    assert!(
        !kex.contains(&"curve25519-sha256"),
        "already a default: {kex:?}"
    );
    assert!(!kex.iter().any(|n| n.starts_with("mlkem")), "{kex:?}");

    // `-` offers the default's names but the one already removed.
    let macs = items_at(&mut editor, &uri, 4, 18);
    let macs = names(&macs);
    assert_eq!(macs.len(), 9, "{macs:?}");
    assert!(!macs.contains(&"hmac-sha1"));

    // The old name of PubkeyAcceptedAlgorithms completes the same list.
    let keys = items_at(&mut editor, &uri, 5, 32);
    assert!(names(&keys).contains(&"ssh-ed25519"));
    assert!(names(&keys).contains(&"ssh-dss"), "9.2p1 still has DSA");
}

#[test]
fn hover_on_a_keyword_documents_it_and_a_host_line_keeps_its_effective_configuration() {
    let home = tempfile::tempdir().unwrap();
    let (uri, mut editor) = editing(home.path());
    let keyword = hover(&mut editor, &uri, 5, 5);
    assert!(
        keyword.starts_with("**Port**\n\nThe TCP port of the remote ssh server."),
        "{keyword}"
    );
    assert!(keyword.contains("Default: `22`."), "{keyword}");
    assert!(keyword.contains("Rules of: OpenSSH 9.2p1"), "{keyword}");
    let host = hover(&mut editor, &uri, 2, 6);
    assert!(
        host.starts_with("**Effective configuration for `db`**"),
        "{host}"
    );
}

#[test]
fn the_outline_has_the_include_and_each_block_with_its_keyword_lines() {
    let home = tempfile::tempdir().unwrap();
    let (uri, mut editor) = editing(home.path());
    let response = editor.request(
        "textDocument/documentSymbol",
        Some(json!({ "textDocument": { "uri": uri } })),
    );
    let symbols = response["result"].as_array().unwrap();
    let names: Vec<&str> = symbols.iter().map(|s| common::str_of(&s["name"])).collect();
    assert_eq!(names, ["Include", "db db-*", "host x"]);
    let host = &symbols[1];
    assert_eq!(host["detail"], "Host");
    assert_eq!(
        host["range"],
        json!({ "start": { "line": 2, "character": 0 }, "end": { "line": 7, "character": 29 } })
    );
    assert_eq!(
        host["selectionRange"],
        json!({ "start": { "line": 2, "character": 5 }, "end": { "line": 2, "character": 12 } })
    );
    let children: Vec<&str> = host["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| common::str_of(&c["name"]))
        .collect();
    assert_eq!(
        children,
        ["HostName", "User", "Port", "StrictHostKeyChecking"]
    );
    assert_eq!(symbols[2]["children"][0]["detail"], "m   # trailing");
}

#[test]
fn formatting_reindents_block_bodies_only_and_a_formatted_file_gets_no_edits() {
    let home = tempfile::tempdir().unwrap();
    let (uri, mut editor) = editing(home.path());
    let edits = formatting(&mut editor, &uri, None);
    let edits = edits.as_array().unwrap();
    assert_eq!(edits.len(), 2, "{edits:#?}");
    assert_eq!(apply_json_edits(CONFIG, edits), FORMATTED);

    // Only the lines of the Match block.
    let range =
        json!({ "start": { "line": 9, "character": 0 }, "end": { "line": 10, "character": 3 } });
    let partial = formatting(&mut editor, &uri, Some(range));
    assert_eq!(partial.as_array().unwrap().len(), 1);
    assert_eq!(partial[0]["range"]["start"]["line"], 10);

    editor.change(&uri, 2, FORMATTED);
    assert_eq!(formatting(&mut editor, &uri, None), json!([]));

    // Other documents are not gord's to format.
    let settings = home.path().join("settings.json");
    std::fs::write(&settings, "{}").unwrap();
    let settings_uri = common::lsp::uri(&settings);
    editor.open(&settings_uri, "json", 1, "{}");
    assert_eq!(formatting(&mut editor, &settings_uri, None), Value::Null);
}

/// Initializes with `capabilities` and `options`; the server's capabilities.
fn capabilities_for(
    editor: &mut Editor,
    root: &std::path::Path,
    capabilities: Value,
    options: Value,
) -> Value {
    let uri = common::lsp::uri(root);
    let response = editor.request(
        "initialize",
        Some(json!({
            "processId": std::process::id(),
            "rootUri": uri,
            "capabilities": capabilities,
            "initializationOptions": options,
        })),
    );
    response["result"]["capabilities"].clone()
}

#[test]
fn a_client_that_registers_capabilities_gets_the_formatter_for_ssh_configs_only() {
    let home = tempfile::tempdir().unwrap();
    let mut editor = Editor::start(&[]);
    editor.ignore(&["gord/status", "textDocument/publishDiagnostics"]);
    let dynamic = json!({ "textDocument": {
        "formatting": { "dynamicRegistration": true },
        "rangeFormatting": { "dynamicRegistration": true },
    } });
    let capabilities = capabilities_for(&mut editor, home.path(), dynamic, json!({ "part": "ui" }));
    assert_eq!(capabilities.get("documentFormattingProvider"), None);
    assert_eq!(capabilities["documentSymbolProvider"], true);
    editor.notify("initialized", json!({}));
    let request = editor.wait_for(|m| m["method"] == "client/registerCapability");
    let registrations = request["params"]["registrations"].as_array().unwrap();
    let methods: Vec<&str> = registrations
        .iter()
        .map(|r| common::str_of(&r["method"]))
        .collect();
    assert_eq!(
        methods,
        ["textDocument/formatting", "textDocument/rangeFormatting"]
    );
    for r in registrations {
        assert_eq!(
            r["registerOptions"]["documentSelector"],
            json!([{ "language": "ssh_config", "scheme": "file" }])
        );
    }
    editor.send(json!({ "jsonrpc": "2.0", "id": request["id"], "result": null }));
}

#[test]
fn the_workspace_part_leaves_ssh_configs_to_the_ui_part() {
    let home = tempfile::tempdir().unwrap();
    let mut editor = Editor::start(&[]);
    let capabilities = capabilities_for(
        &mut editor,
        home.path(),
        json!({}),
        json!({ "part": "workspace" }),
    );
    for provider in [
        "completionProvider",
        "documentSymbolProvider",
        "documentFormattingProvider",
        "documentRangeFormattingProvider",
    ] {
        assert_eq!(capabilities.get(provider), None, "{provider}");
    }
}

#[test]
fn hostile_documents_get_answers_in_time_and_formatting_still_only_reindents() {
    let home = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..2000 {
        text.push_str(&format!(
            "Host h{i}\nHostName 10.0.{}.{}\n\t User u\n# c\r\n",
            i / 256,
            i % 256
        ));
    }
    text.push_str(&"x".repeat(1 << 20));
    text.push_str("\n\0Host\0 \u{202e}evil\r\r\nHost 𝄞\n  Port 1\n\"unterminated\n\r");
    let config = home.path().join("hostile.ssh_config");
    std::fs::write(&config, &text).unwrap();
    let uri = common::lsp::uri(&config);
    let mut editor = Editor::start(&[]);
    editor.ignore(&["textDocument/publishDiagnostics"]);
    editor.initialize(home.path(), json!({}));
    editor.open(&uri, "ssh_config", 1, &text);

    let started = std::time::Instant::now();
    let edits = formatting(&mut editor, &uri, None);
    let formatted = apply_json_edits(&text, edits.as_array().unwrap());
    assert!(gord::ssh::edit::format::same_but_indentation(
        &text, &formatted
    ));
    // The unit is the one the file mostly uses (a tab and a space).
    assert!(formatted.starts_with("Host h0\n\t HostName 10.0.0.0\n\t User u\n# c\r\n"));
    assert!(formatted.contains("\nHost 𝄞\n\t Port 1\n\"unterminated\n\r"));
    editor.change(&uri, 2, &formatted);
    assert_eq!(formatting(&mut editor, &uri, None), json!([]));

    let symbols = editor.request(
        "textDocument/documentSymbol",
        Some(json!({ "textDocument": { "uri": uri } })),
    );
    assert!(symbols["result"].as_array().unwrap().len() > 2000);
    let last_line = u32::try_from(formatted.split('\n').count()).unwrap();
    // Past the last line, past the end of a line, inside a surrogate pair.
    for (line, character) in [(last_line + 5, 0), (0, 999), (last_line - 4, 6)] {
        let response = editor.request("textDocument/completion", Some(at(&uri, line, character)));
        assert!(response.get("error").is_none(), "{response}");
        assert_eq!(response["result"], Value::Null, "{line}:{character}");
        let hovered = editor.request("textDocument/hover", Some(at(&uri, line, character)));
        assert!(hovered.get("error").is_none(), "{hovered}");
    }
    // A guard against slow answers piling up, not a speed test (bench/
    // measures speed; a hang fails at the editor's 30 s wait for an answer).
    // One run took 20.3 s in a debug build on a loaded 2-core CI machine.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(90),
        "{:?}",
        started.elapsed()
    );
}
