//! Every SARIF gord writes validates against the official SARIF 2.1.0 JSON
//! schema (Microsoft's `sarif-2.1.0-rtm.5.json`, installed from npm into
//! tests/schemas by scripts/install-deps), so code-scanning tools accept it:
//! check, ssh lint, lint, remote check, procs, attach --dry-run, preload and
//! debug core.

use crate::common;

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

/// Runs `gord ARGS -f sarif` in `dir` and returns its stdout as JSON, after
/// checking the exit code says it ran (0 or 1).
fn sarif_of(dir: &Path, args: &[&str]) -> Value {
    sarif_with_env(dir, args, &[])
}

fn sarif_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Value {
    let out = Command::new(common::gord())
        .args(args)
        .args(["-f", "sarif"])
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

fn assert_schema_valid(what: &str, doc: &Value) {
    let errors: Vec<String> = validator()
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: invalid SARIF:\n{}",
        errors.join("\n")
    );
}

/// Valid SARIF with at least one result.
fn assert_valid(what: &str, doc: &Value) {
    assert_schema_valid(what, doc);
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
        &["ssh", "lint", "-F", example.to_str().unwrap()],
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
    // The run names the ssh whose rules were followed, as the JSON does.
    let followed = sarif_of(
        &common::repo_root(),
        &[
            "ssh",
            "lint",
            "-F",
            example.to_str().unwrap(),
            "--ssh-version",
            "10.0p2-apple",
        ],
    );
    assert_valid("gord ssh lint --ssh-version", &followed);
    let ssh = &followed["runs"][0]["properties"]["ssh"];
    assert_eq!(ssh["rules"], "10.0p2-apple");
    assert_eq!(ssh["source"], "versionArgument");
    assert_eq!(
        ssh["summary"],
        "Apple's OpenSSH 10.0p2 (from --ssh-version)"
    );
}

#[test]
fn lint_sarif_is_valid() {
    let dir = common::repo_root().join("tests/fixtures/lint");
    let report = common::repo_root().join("tests/fixtures/lint-recorded/v1.64.8.json");
    let doc = sarif_of(&dir, &["lint", "--from-json", report.to_str().unwrap()]);
    assert_valid("gord lint", &doc);
}

#[test]
fn remote_check_sarif_is_valid() {
    // A host on a loopback port nothing listens on: the check fails fast
    // with findings, and nothing leaves the machine.
    let (dir, config, _) = common::closed_host_config();
    let doc = sarif_of(
        dir.path(),
        &["remote", "check", "-F", config.to_str().unwrap(), "closed"],
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
        &["check", "-w", ws.path().to_str().unwrap()],
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
    // The run names the ssh SSH050 found Remote-SSH runs, as the text and
    // JSON reports do (whether or not this machine has one).
    let ssh = &doc["runs"][0]["properties"]["ssh"];
    assert!(
        ssh["summary"]
            .as_str()
            .is_some_and(|s| s.contains("OpenSSH")),
        "{ssh}"
    );
    assert!(
        ssh["rules"].as_str().is_some_and(|r| !r.is_empty()),
        "{ssh}"
    );
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

/// Valid SARIF whether or not it has results: a command that found nothing
/// still writes its one run, with gord as the tool.
fn assert_valid_log(what: &str, doc: &Value) {
    assert_schema_valid(what, doc);
    assert_eq!(doc["runs"].as_array().map(Vec::len), Some(1), "{what}");
    assert_eq!(doc["runs"][0]["tool"]["driver"]["name"], "gord", "{what}");
}

/// A process that is not a Go program, killed when dropped.
struct Sleeper(std::process::Child);

impl Sleeper {
    fn start() -> Sleeper {
        Sleeper(Command::new("sleep").arg("60").spawn().unwrap())
    }
}

impl Drop for Sleeper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn procs_sarif_is_valid() {
    let _sleeper = Sleeper::start();
    let doc = sarif_of(&common::repo_root(), &["procs"]);
    assert_valid_log("gord procs", &doc);
    // Whatever the machine runs, each result is about a process.
    for result in doc["runs"][0]["results"].as_array().unwrap() {
        assert_eq!(
            result["locations"][0]["logicalLocations"][0]["kind"], "process",
            "{result}"
        );
    }
}

#[test]
fn attach_dry_run_sarif_is_valid_with_its_findings_on_the_process() {
    let sleeper = Sleeper::start();
    let pid = sleeper.0.id().to_string();
    let doc = sarif_of(&common::repo_root(), &["attach", &pid, "--dry-run"]);
    assert_valid("gord attach --dry-run", &doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let not_go = results
        .iter()
        .find(|r| r["ruleId"] == "DBG008")
        .unwrap_or_else(|| panic!("sleep is not a Go program: {results:?}"));
    let place = &not_go["locations"][0]["logicalLocations"][0];
    assert_eq!(place["kind"], "process");
    assert_eq!(place["fullyQualifiedName"], format!("pid/{pid}"));
}

/// A one-package module without dependencies: nothing to download, so the
/// offline check is all a preload has to do.
fn tiny_workspace() -> tempfile::TempDir {
    common::temp_tree(&[
        ("go.mod", "module example.com/tiny\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
    ])
}

#[test]
fn preload_sarif_is_valid_for_a_ready_workspace_and_one_that_needs_the_network() {
    let ws = tiny_workspace();
    let env = [("GOTOOLCHAIN", "local"), ("GOFLAGS", "-mod=mod")];
    let run = |ws: &Path| {
        let args = [
            "preload",
            "-w",
            ws.to_str().unwrap(),
            "--offline-check-only",
        ];
        sarif_with_env(ws, &args, &env)
    };
    let ready = run(ws.path());
    assert_valid_log("gord preload (ready)", &ready);
    assert_eq!(ready["runs"][0]["results"], serde_json::json!([]));

    // A dependency that is in no cache here and cannot be fetched offline.
    let online = common::temp_tree(&[
        (
            "go.mod",
            "module example.com/tiny\n\ngo 1.21\n\nrequire example.invalid/gone v1.0.0\n",
        ),
        (
            "main.go",
            "package main\n\nimport _ \"example.invalid/gone\"\n\nfunc main() {}\n",
        ),
    ]);
    let doc = run(online.path());
    assert_valid("gord preload (needs the network)", &doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .all(|r| r["ruleId"] == "GO021" || r["ruleId"] == "GO023"),
        "{results:?}"
    );
    let module = results
        .iter()
        .find(|r| r["ruleId"] == "GO021")
        .unwrap_or_else(|| panic!("no module needing the network in {results:?}"));
    assert_eq!(
        module["locations"][0]["logicalLocations"][0],
        serde_json::json!({"name": "example.invalid/gone@v1.0.0", "kind": "module"})
    );
}

/// A core dump of the debug fixture, written by gdb's gcore.
#[test]
fn debug_core_sarif_is_valid_with_a_mismatch_on_the_core_file() {
    let normal = common::debug_fixture::build("sarif-fixtures", "normal", &[]);
    let other = common::debug_fixture::build("sarif-fixtures", "no-opt", &["-gcflags=all=-N -l"]);
    let mut target = Command::new(&normal)
        .current_dir(common::debug_fixture::fixture_dir())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Its first line says it is ready.
    common::first_line(&mut target);
    let dir = tempfile::tempdir().unwrap();
    let gcore = Command::new("gcore")
        .arg("-o")
        .arg(dir.path().join("core"))
        .arg(target.id().to_string())
        .output();
    let core = dir.path().join(format!("core.{}", target.id()));
    let _ = target.kill();
    let _ = target.wait();
    match gcore {
        Ok(out) => assert!(
            out.status.success(),
            "gcore failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => {
            common::skip(
                "sarif_schema debug core",
                "gcore (gdb) is not installed (scripts/install-deps installs it)",
            );
            return;
        }
    }
    // `gord debug core <executable> <the core> -f sarif`.
    let debug_core = |executable: &Path| {
        let (executable, core) = (executable.to_str().unwrap(), core.to_str().unwrap());
        sarif_of(dir.path(), &["debug", "core", executable, core])
    };
    let matched = debug_core(&normal);
    assert_valid_log("gord debug core (a match)", &matched);
    assert_eq!(matched["runs"][0]["results"], serde_json::json!([]));

    let doc = debug_core(&other);
    assert_valid("gord debug core (a mismatch)", &doc);
    let result = &doc["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "DBG010");
    assert_eq!(result["level"], "error");
    assert!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|uri| uri.ends_with(&format!("core.{}", target.id())))
    );
}
