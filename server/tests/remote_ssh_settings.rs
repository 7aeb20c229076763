//! SSH040–SSH042 as a Remote-SSH user meets them: the user's settings.json
//! names a config file and platforms, `gord check` reports each on its key,
//! the editor shows them as diagnostics, and the quick fix, applied through
//! `textDocument/codeAction`, leaves a setting the real ssh takes.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::editor::Editor;
use common::lsp::{apply_json_edits, code_actions, uri};
use common::{gord, Run};
use serde_json::{json, Value};

/// Settings synced from another laptop: a config that is not on this one,
/// a platform spelt as Remote-SSH does not spell it, a host since renamed.
const USER_SETTINGS: &str = r#"{
  // Remote-SSH
  "remote.SSH.configFile": "~/.ssh/work_config",
  "remote.SSH.remotePlatform": {
    "devbox": "Linux",
    "old-box": "linux",
    "me@build7.corp": "linux"
  },
}
"#;

struct Laptop {
    home: tempfile::TempDir,
    workspace: tempfile::TempDir,
}

impl Laptop {
    fn new() -> Laptop {
        Laptop::with(USER_SETTINGS)
    }

    /// A laptop whose user settings.json is `settings`.
    fn with(settings: &str) -> Laptop {
        let home = tempfile::tempdir().unwrap();
        let user = home.path().join(".config/Code/User");
        std::fs::create_dir_all(&user).unwrap();
        std::fs::write(user.join("settings.json"), settings).unwrap();
        std::fs::create_dir_all(home.path().join(".ssh")).unwrap();
        Laptop {
            home,
            workspace: tempfile::tempdir().unwrap(),
        }
    }

    fn settings(&self) -> PathBuf {
        self.home.path().join(".config/Code/User/settings.json")
    }

    fn work_config(&self) -> PathBuf {
        self.home.path().join(".ssh/work_config")
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("HOME", self.home.path().display().to_string()),
            (
                "XDG_CONFIG_HOME",
                self.home.path().join(".config").display().to_string(),
            ),
        ]
    }

    /// SSH040's findings in `gord check`'s JSON report.
    fn ssh040(&self) -> Value {
        self.check("SSH040")
    }

    /// The check `id` of `gord check`'s JSON report.
    fn check(&self, id: &str) -> Value {
        let mut command = Command::new(gord());
        command.args([
            "check",
            "--workspace",
            self.workspace.path().to_str().unwrap(),
            "--format",
            "json",
        ]);
        for (k, v) in self.env() {
            command.env(k, v);
        }
        let run = Run::of(&mut command);
        let report: Value =
            serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
        common::entry(&report["checks"], "id", id).clone()
    }
}

/// Each finding as (code, 0-based line).
fn codes_and_lines(check: &Value) -> Vec<(String, u64)> {
    check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            // The check's own rule leads no message; the others lead with theirs.
            let message = f["message"].as_str().unwrap();
            let code = message.split(':').next().unwrap();
            let code = if code.starts_with("SSH0") {
                code
            } else {
                "SSH040"
            };
            (
                code.to_string(),
                f["location"]["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// `ssh -G` with the config Remote-SSH would pass: what the real client
/// says about it.
fn ssh_g(config: &Path, host: &str) -> Run {
    Run::of(
        Command::new("ssh")
            .arg("-G")
            .arg("-F")
            .arg(config)
            .arg(host),
    )
}

#[test]
fn gord_check_reports_remote_ssh_settings_on_their_keys_in_the_real_ssh_words() {
    let laptop = Laptop::new();
    // The config is missing: SSH040 quotes ssh's own refusal; the platform
    // entries are judged by value only, since there are no hosts to compare.
    let missing = ssh_g(&laptop.work_config(), "devbox");
    assert_ne!(missing.code, 0);
    let check = laptop.ssh040();
    assert_eq!(check["status"], "error", "{check}");
    assert_eq!(
        codes_and_lines(&check),
        [("SSH040".into(), 2), ("SSH041".into(), 4)]
    );
    let message = check["findings"][0]["message"].as_str().unwrap();
    let refusal = format!(
        "Can't open user config file {}: No such file or directory",
        laptop.work_config().display()
    );
    assert!(
        missing.stderr.contains(&refusal),
        "ssh said: {}",
        missing.stderr
    );
    assert!(message.contains(&refusal), "{message}");

    // With the config in place, the renamed host is a note; the one matched
    // by a wildcard Host line (user@ aside) is not.
    std::fs::write(
        laptop.work_config(),
        "Host devbox\n  HostName 127.0.0.1\nHost build*.corp\n  User me\n",
    )
    .unwrap();
    let check = laptop.ssh040();
    assert_eq!(
        codes_and_lines(&check),
        [("SSH041".into(), 4), ("SSH042".into(), 5)]
    );
    // A note: the wire's status for an info.
    assert_eq!(check["findings"][1]["status"], "ok", "{check}");
}

#[test]
fn the_editor_shows_them_and_the_quick_fix_removes_a_config_file_ssh_cannot_open() {
    let laptop = Laptop::new();
    let env = laptop.env();
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut editor = Editor::start(&pairs);
    editor.ignore(&["gord/status"]);
    editor.initialize(laptop.workspace.path(), json!({ "trusted": true }));
    editor.notify("initialized", json!({}));
    let settings = laptop.settings();
    let settings_uri = uri(&settings);
    let published = editor.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == settings_uri.as_str()
    });
    editor.take_all(|m| m["method"] == "textDocument/publishDiagnostics");
    let diagnostics = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .clone();
    let of = |code: &str| {
        diagnostics
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {diagnostics:?}"))
            .clone()
    };
    let config_file = of("SSH040");
    assert_eq!(
        config_file["range"]["start"],
        json!({ "line": 2, "character": 27 })
    );

    let actions = code_actions(&mut editor, &settings, &config_file);
    let remove = actions
        .iter()
        .find(|a| {
            a["title"] == "Remove remote.SSH.configFile (Remote-SSH then reads ~/.ssh/config)"
        })
        .unwrap_or_else(|| panic!("no removal among {actions:?}"));
    let fixed = apply_json_edits(
        USER_SETTINGS,
        remove["edit"]["changes"][settings_uri.as_str()]
            .as_array()
            .unwrap(),
    );
    assert!(
        fixed.starts_with("{\n  // Remote-SSH\n  \"remote.SSH.remotePlatform\": {"),
        "{fixed}"
    );

    let platform = of("SSH041");
    let actions = code_actions(&mut editor, &settings, &platform);
    let set = actions
        .iter()
        .find(|a| a["title"] == "Set \"devbox\" to \"linux\"")
        .unwrap_or_else(|| panic!("no spelling fix among {actions:?}"));
    let both = apply_json_edits(
        &fixed,
        // The platform fix was computed on the text before the removal: it
        // is on the line below the removed one there, so shift it up.
        &set["edit"]["changes"][settings_uri.as_str()]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let mut e = e.clone();
                for end in ["start", "end"] {
                    let line = e["range"][end]["line"].as_u64().unwrap();
                    e["range"][end]["line"] = json!(line - 1);
                }
                e
            })
            .collect::<Vec<_>>(),
    );
    assert!(both.contains("\"devbox\": \"linux\","), "{both}");
    std::fs::write(&settings, &both).unwrap();

    // Remote-SSH now hands ssh the default config, which ssh reads; saving
    // the settings reruns the report and only the note about old-box is left.
    let home_config = laptop.home.path().join(".ssh/config");
    std::fs::write(&home_config, "Host devbox\n  HostName 127.0.0.1\n").unwrap();
    let taken = ssh_g(&home_config, "devbox");
    assert_eq!(taken.code, 0, "{}", taken.stderr);
    editor.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": settings_uri } }),
    );
    let republished = editor.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == settings_uri.as_str()
            && !m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["code"] == "SSH040"))
    });
    let codes: Vec<&str> = republished["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["SSH042", "SSH042"],
        "old-box and build7.corp: ~/.ssh/config names neither"
    );
    editor.take_all(|m| m["method"] == "textDocument/publishDiagnostics");
    editor.finish();
}

/// An executable shell script `dir/name` printing `banner` for `-V`, as
/// another ssh client would.
fn client(dir: &Path, name: &str, banner: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\necho '{banner}' >&2\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn a_remote_ssh_path_that_is_gone_or_not_openssh_is_reported_on_its_value_before_connecting() {
    let gone = Laptop::with("{\n  \"remote.SSH.path\": \"~/bin/ssh-gone\"\n}\n");
    let check = gone.check("SSH050");
    assert_eq!(check["status"], "error", "{check}");
    let finding = &check["findings"][0];
    let expected = format!(
        "remote.SSH.path is {}, which does not exist",
        gone.home.path().join("bin/ssh-gone").display()
    );
    assert!(
        finding["message"].as_str().unwrap().starts_with(&expected),
        "{finding}"
    );
    assert_eq!(
        finding["location"]["range"]["start"],
        json!({ "line": 1, "character": 21 })
    );

    let other = tempfile::tempdir().unwrap();
    let dbclient = client(other.path(), "dbclient", "Dropbear v2022.83");
    let dropbear = Laptop::with(&format!(
        "{{\"remote.SSH.path\": \"{}\", \"remote.SSH.connectTimeout\": 45}}",
        dbclient.display()
    ));
    let check = dropbear.check("SSH050");
    assert_eq!(check["status"], "error", "{check}");
    let message = check["findings"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("SSH051: "), "{message}");
    assert!(
        message.contains("-V printed \"Dropbear v2022.83\""),
        "{message}"
    );

    // An OpenSSH client: the summary names it, the config and the timeout.
    let ssh = client(
        other.path(),
        "ssh",
        "OpenSSH_9.6p1 Ubuntu-3ubuntu13, OpenSSL 3.0.13 30 Jan 2024",
    );
    let fine = Laptop::with(&format!(
        "{{\"remote.SSH.path\": \"{}\", \"remote.SSH.connectTimeout\": 45, \"remote.SSH.configFile\": \"~/.ssh/work\"}}",
        ssh.display()
    ));
    let check = fine.check("SSH050");
    assert_eq!(check["status"], "ok", "{check}");
    assert_eq!(
        check["message"],
        format!(
            "ssh: {} (Debian's OpenSSH 9.6p1, from remote.SSH.path); config: {}; connect timeout: 45 s \
             (remote.SSH.connectTimeout)",
            ssh.display(),
            fine.home.path().join(".ssh/work").display()
        )
    );
}

#[test]
fn ssh000_lints_the_config_remote_ssh_uses_not_always_the_default_one() {
    let laptop = Laptop::with(r#"{"remote.SSH.configFile": "~/.ssh/work"}"#);
    std::fs::write(
        laptop.home.path().join(".ssh/config"),
        "Host fine\n  User me\n",
    )
    .unwrap();
    // An option ssh itself refuses, in the file Remote-SSH hands it.
    std::fs::write(
        laptop.home.path().join(".ssh/work"),
        "Host devbox\n  Hostname\n",
    )
    .unwrap();
    let check = laptop.check("SSH000");
    assert_eq!(check["status"], "error", "{check}");
    assert!(
        check["message"]
            .as_str()
            .unwrap()
            .contains(&laptop.home.path().join(".ssh/work").display().to_string()),
        "{check}"
    );
}

#[test]
fn the_editor_offers_to_remove_a_remote_ssh_path_that_does_not_exist() {
    let text = "{\n  \"remote.SSH.path\": \"/nonexistent/gord/ssh\",\n  \"editor.tabSize\": 4\n}\n";
    let laptop = Laptop::with(text);
    let env = laptop.env();
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut editor = Editor::start(&pairs);
    editor.ignore(&["gord/status"]);
    editor.initialize(laptop.workspace.path(), json!({ "trusted": true }));
    editor.notify("initialized", json!({}));
    let settings = laptop.settings();
    let settings_uri = uri(&settings);
    let published = editor.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == settings_uri.as_str()
    });
    editor.take_all(|m| m["method"] == "textDocument/publishDiagnostics");
    let diagnostic = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "SSH050")
        .unwrap_or_else(|| panic!("no SSH050 in {published}"))
        .clone();
    let actions = code_actions(&mut editor, &settings, &diagnostic);
    let remove = actions
        .iter()
        .find(|a| a["title"] == "Remove remote.SSH.path (Remote-SSH then runs the ssh on PATH)")
        .unwrap_or_else(|| panic!("no removal among {actions:?}"));
    let fixed = apply_json_edits(
        text,
        remove["edit"]["changes"][settings_uri.as_str()]
            .as_array()
            .unwrap(),
    );
    assert_eq!(fixed, "{\n  \"editor.tabSize\": 4\n}\n");
    editor.finish();
}
