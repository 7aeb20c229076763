//! `gord ssh lint --ssh-version 9.5p1-windows` on Linux: the config is read
//! as Win32-OpenSSH reads it (backslashes in Include, `~\` in paths,
//! ControlMaster), whatever machine gord runs on.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{gord, Run};

fn lint(config: &Path, version: &str) -> (Run, serde_json::Value) {
    let run = Run::of(Command::new(gord()).args([
        "ssh",
        "lint",
        "-F",
        config.to_str().unwrap(),
        "--ssh-version",
        version,
        "-f",
        "json",
    ]));
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (run, json)
}

/// (code, file name, 1-based line) of each finding.
fn codes(json: &serde_json::Value) -> Vec<(String, String, u64)> {
    let findings = json["findings"].as_array().unwrap();
    findings
        .iter()
        .map(|f| {
            let path = f["subject"]["path"].as_str().unwrap_or("");
            let name = Path::new(path)
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            let line = f["subject"]["range"]["start"]["line"]
                .as_u64()
                .map_or(0, |l| l + 1);
            (f["code"].as_str().unwrap_or("").to_string(), name, line)
        })
        .collect()
}

#[test]
fn a_windows_ssh_reads_backslash_includes_and_refuses_what_win32_openssh_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let conf_d = dir.path().join("conf.d");
    std::fs::create_dir(&conf_d).unwrap();
    std::fs::write(conf_d.join("work.conf"), "Host work\n  Bogus yes\n").unwrap();
    // An absolute Linux directory written with Windows separators after it.
    let text = format!(
        "Include {}\\conf.d\\*.conf\nHost *\n  ControlMaster auto\n  ControlPath ~/.ssh/cm-%C\n  IdentityFile ~\\.ssh\\id_ed25519\n",
        dir.path().display()
    );
    let config = dir.path().join("config");
    std::fs::write(&config, text).unwrap();

    let (run, json) = lint(&config, "9.5p1-windows");
    assert_eq!(run.code, 1, "{}", run.stdout);
    let found = codes(&json);
    for expected in [
        ("SSH001", "work.conf", 2),
        ("SSH008", "config", 3),
        ("SSH045", "config", 5),
    ] {
        let expected = (expected.0.to_string(), expected.1.to_string(), expected.2);
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    assert!(!found.iter().any(|f| f.0 == "SSH021"), "{found:?}");

    // The same file for ssh on Linux: the Include names nothing there, and
    // ControlMaster and `~\` are fine.
    let (_, json) = lint(&config, "9.5p1");
    let found = codes(&json);
    assert!(found.iter().any(|f| f.0 == "SSH021"), "{found:?}");
    for code in ["SSH001", "SSH008", "SSH045"] {
        assert!(!found.iter().any(|f| f.0 == code), "{code} in {found:?}");
    }
}
