//! Every SARIF gord writes validates against the official SARIF 2.1.0 JSON
//! schema (Microsoft's `sarif-2.1.0-rtm.5.json`, installed from npm into
//! tests/schemas by scripts/install-deps), so code-scanning tools accept it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn schema_path() -> PathBuf {
    common::repo_root()
        .join("tests/schemas/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json")
}

fn validator() -> jsonschema::Validator {
    let path = schema_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (scripts/install-deps installs it: npm ci in tests/schemas)",
            path.display()
        )
    });
    // The official schema's `language` patterns (of `run` and
    // `toolComponent`) have a stray `]` that the validator's meta-schema
    // check refuses as a regex; put the pattern they mean instead.
    const STRAY: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert_eq!(
        text.matches(STRAY).count(),
        2,
        "the schema changed: review this fix-up"
    );
    let text = text.replace(STRAY, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft4::new(&schema).unwrap()
}

/// Runs gord with `args` in `dir` and returns its stdout as JSON, after
/// checking the exit code says it ran (0 or 1).
fn sarif_of(dir: &Path, args: &[&str]) -> Value {
    sarif_with_env(dir, args, &[])
}

fn sarif_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Value {
    let out = Command::new(common::gord())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "gord {args:?}: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("gord {args:?} printed no JSON: {e}"))
}

fn assert_valid(what: &str, doc: &Value) {
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: invalid SARIF:\n{}",
        errors.join("\n")
    );
    let results = doc["runs"][0]["results"].as_array().map_or(0, Vec::len);
    assert!(results > 0, "{what}: a SARIF with no result proves little");
    // Every rule's help link that points at a file points at a rule page
    // that exists.
    for rule in doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        let Some(uri) = rule["helpUri"].as_str() else {
            continue;
        };
        if let Some(path) = uri.strip_prefix("file://") {
            assert!(Path::new(path).is_file(), "{what}: {uri} is not a file");
        }
    }
}

#[test]
fn the_schema_rejects_what_is_not_sarif() {
    // Proves the validator is live: a log without its version is refused.
    let bad = serde_json::json!({"runs": [{"tool": {"driver": {"name": "gord"}}, "results": []}]});
    assert!(!validator().is_valid(&bad));
}

#[test]
fn ssh_lint_sarif_is_valid() {
    let example = common::repo_root().join("examples/hello-remote/ssh_config.example");
    let doc = sarif_of(
        &common::repo_root(),
        &[
            "ssh",
            "lint",
            "-F",
            example.to_str().unwrap(),
            "-f",
            "sarif",
        ],
    );
    assert_valid("gord ssh lint", &doc);
    // The example's typo comes with its edit as a SARIF fix.
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(
                |r| r["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]
                    ["text"]
                    .is_string()
            ),
        "no SARIF fix in {results:?}"
    );
}

#[test]
fn lint_sarif_is_valid() {
    let dir = common::repo_root().join("tests/fixtures/lint");
    let report = common::repo_root().join("tests/fixtures/lint-recorded/v1.64.8.json");
    let doc = sarif_of(
        &dir,
        &[
            "lint",
            "--from-json",
            report.to_str().unwrap(),
            "-f",
            "sarif",
        ],
    );
    assert_valid("gord lint", &doc);
}

#[test]
fn remote_check_sarif_is_valid() {
    // A host on a loopback port nothing listens on: the check fails fast
    // with findings, and nothing leaves the machine.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        format!("Host closed\n    HostName 127.0.0.1\n    Port {port}\n    ConnectTimeout 2\n"),
    )
    .unwrap();
    let doc = sarif_of(
        dir.path(),
        &[
            "remote",
            "check",
            "-F",
            config.to_str().unwrap(),
            "-f",
            "sarif",
            "closed",
        ],
    );
    assert_valid("gord remote check", &doc);
}

#[test]
fn check_sarif_is_valid_with_located_and_whole_check_results() {
    // A go.mod that needs a newer Go than the one here: GO006 fails with a
    // finding on the go line.
    let ws = common::workspace_requiring("1.99");
    let doc = sarif_with_env(
        ws.path(),
        &["check", "-w", ws.path().to_str().unwrap(), "-f", "sarif"],
        &[("GOTOOLCHAIN", "local")],
    );
    assert_valid("gord check", &doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let go006: Vec<&Value> = results.iter().filter(|r| r["ruleId"] == "GO006").collect();
    assert_eq!(
        go006.len(),
        2,
        "the finding on go.mod and the check itself: {go006:?}"
    );
    let on_file = &go006[0]["locations"][0]["physicalLocation"];
    assert!(
        on_file["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|uri| uri.ends_with("/go.mod")),
        "{on_file}"
    );
    assert_eq!(on_file["region"]["startLine"], 3);
    assert_eq!(go006[1]["properties"]["subject"], "workspace");
    assert_eq!(go006[1]["level"], "error");
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(
        rules.iter().any(|r| r["id"] == "GO006"
            && r["helpUri"]
                .as_str()
                .is_some_and(|u| u.ends_with("docs/rules/GO006.md"))),
        "{rules:?}"
    );
}
