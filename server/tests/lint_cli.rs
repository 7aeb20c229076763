//! `gord lint` on the fixture module with the real golangci-lint: text,
//! JSON and SARIF, exit codes, the linter's own failures, and the go vet
//! fallback when golangci-lint is not installed.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{str_of, temp_tree};
use serde_json::Value;

fn fixture() -> PathBuf {
    common::repo_root()
        .join("tests/fixtures/lint")
        .canonicalize()
        .unwrap()
}

fn go_env(name: &str) -> String {
    let out = Command::new("go").args(["env", name]).output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn gord_lint(dir: &Path, args: &[&str], env: &[(&str, String)]) -> Output {
    let mut command = Command::new(common::gord());
    command.arg("lint").args(args).current_dir(dir);
    let path = format!(
        "{}:{}/bin:/usr/bin:/bin",
        common::real_go_dir().display(),
        go_env("GOPATH")
    );
    command.env("PATH", path);
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

/// `golangci-lint 2.15.0`: the pinned version, as gord names it.
fn linter_name() -> String {
    let pinned = gord::goenv::tools::pinned("golangci-lint").unwrap();
    format!("golangci-lint {}", pinned.version.trim_start_matches('v'))
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn text_output_lists_each_issue_in_reading_order_with_its_fix() {
    let ws = fixture();
    let out = gord_lint(&ws, &["./fixable"], &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = ws.join("fixable/fixable.go");
    let f = file.display();
    assert_eq!(
        stdout(&out),
        format!(
            "{f}:4:4: warning: `Recieve` is a misspelling of `Receive` (misspell)\n    fix: Replace with `Receive` (misspell)\n\
             {f}:5:6: warning: `Recieve` is a misspelling of `Receive` (misspell)\n    fix: Replace with `Receive` (misspell)\n\
             {f}:6:1: warning: File is not properly formatted (gofmt)\n    fix: Format with gofmt\n\
             3 issues (3 with a suggested fix) from {}\n",
            linter_name()
        )
    );
}

#[test]
fn a_directory_means_that_package_and_dots_mean_the_tree() {
    let ws = fixture();
    let package =
        serde_json::from_str::<Value>(&stdout(&gord_lint(&ws, &["issues", "-f", "json"], &[])))
            .unwrap();
    let files: Vec<&str> = common::field_strs(&package["issues"], "file");
    assert!(
        files.iter().all(|f| f.ends_with("issues/issues.go")),
        "{files:?}"
    );
    let tree =
        serde_json::from_str::<Value>(&stdout(&gord_lint(&ws, &["issues/...", "-f", "json"], &[])))
            .unwrap();
    assert!(tree["issues"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| str_of(&i["file"]).ends_with("issues/sub/sub.go")));
}

#[test]
fn json_output_carries_ranges_severities_doc_links_and_fix_edits() {
    let ws = fixture();
    let out = gord_lint(&ws, &["./issues", "--format", "json"], &[]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["tool"], "golangci-lint");
    let errcheck = common::entry(&doc["issues"], "linter", "errcheck");
    assert_eq!(errcheck["severity"], "error", "the config's severity rule");
    assert_eq!(errcheck["range"]["start"]["line"], 10);
    assert_eq!(errcheck["reported"]["start"]["column"], 11);
    assert_eq!(
        errcheck["docUrl"],
        "https://golangci-lint.run/usage/linters/#errcheck"
    );
    let gofmt = common::entry(&doc["issues"], "linter", "gofmt");
    assert_eq!(gofmt["fixes"][0]["title"], "Format with gofmt");
    assert!(str_of(&gofmt["fixes"][0]["edits"][0]["newText"]).contains("\tfmt.Printf"));
}

#[test]
fn sarif_output_is_sarif_2_1_0_with_a_rule_per_linter() {
    let ws = fixture();
    let out = gord_lint(&ws, &["./issues", "--format", "sarif"], &[]);
    let sarif: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "golangci-lint");
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);
    let govet = results.iter().find(|r| r["ruleId"] == "govet").unwrap();
    let region = &govet["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(23), Some(29))
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "unused"
        && r["helpUri"] == "https://golangci-lint.run/usage/linters/#unused"));
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn a_clean_package_exits_zero() {
    let out = gord_lint(&fixture(), &["./clean"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        format!("0 issues (0 with a suggested fix) from {}\n", linter_name())
    );
}

#[test]
fn a_broken_config_is_the_linters_failure_exit_two_not_findings() {
    let ws = temp_tree(&[
        ("go.mod", "module example.com/x\n\ngo 1.22\n"),
        ("x.go", "package x\n"),
        (".golangci.yml", "version: \"2\"\nlinters: [\n"),
    ]);
    let out = gord_lint(ws.path(), &["."], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("gord: golangci-lint failed: can't load config"),
        "{stderr}"
    );
}

#[test]
fn code_that_does_not_compile_is_reported_as_such() {
    let ws = temp_tree(&[
        ("go.mod", "module example.com/x\n\ngo 1.22\n"),
        ("x.go", "package x\n\nfunc F() int { return \"s\" }\n"),
    ]);
    let out = gord_lint(ws.path(), &["."], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the code does not compile"), "{stderr}");
    assert!(stderr.contains("x.go:3:23"), "{stderr}");
}

#[test]
fn without_golangci_lint_go_vet_lints_with_the_same_mapping() {
    let home = tempfile::tempdir().unwrap();
    let ws = fixture();
    // No golangci-lint on PATH nor in this GOPATH; the real build cache.
    let out = gord_lint(
        &ws,
        &["./issues", "-f", "json"],
        &[
            (
                "PATH",
                format!("{}:/usr/bin:/bin", common::real_go_dir().display()),
            ),
            ("HOME", home.path().display().to_string()),
            ("GOPATH", home.path().join("gopath").display().to_string()),
            ("GOMODCACHE", go_env("GOMODCACHE")),
            ("GOCACHE", go_env("GOCACHE")),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("golangci-lint is not installed, so go vet lints instead"),
        "{stderr}"
    );
    assert!(
        stderr.contains("go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v"),
        "{stderr}"
    );
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["tool"], "go-vet");
    let issues = doc["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 1, "{issues:#?}");
    assert_eq!(issues[0]["linter"], "printf");
    // go vet gives an exact end: `%d` after tabs, CJK and an emoji.
    assert_eq!(issues[0]["range"]["start"]["character"], 28);
    assert_eq!(issues[0]["range"]["end"]["character"], 30);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_path_that_does_not_exist_is_a_clear_error() {
    let out = gord_lint(&fixture(), &["./nowhere"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("gord: error: ./nowhere: No such file or directory"),
        "{stderr}"
    );
}

/// `gord lint --from-json` on a report recorded from an older golangci-lint,
/// run where the report was made.
fn from_recorded(report: &str) -> Value {
    let ws = fixture();
    let report = common::repo_root()
        .join("tests/fixtures/lint-recorded")
        .join(report);
    let out = gord_lint(
        &ws,
        &["--from-json", report.to_str().unwrap(), "-f", "json"],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn find<'a>(doc: &'a Value, linter: &str, line: u64) -> &'a Value {
    doc["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["linter"] == linter && i["range"]["start"]["line"] == line)
        .unwrap_or_else(|| panic!("no {linter} on line {line}: {doc:#}"))
}

fn range(v: &Value) -> (u64, u64, u64, u64) {
    let r = &v["range"];
    (
        r["start"]["line"].as_u64().unwrap(),
        r["start"]["character"].as_u64().unwrap(),
        r["end"]["line"].as_u64().unwrap(),
        r["end"]["character"].as_u64().unwrap(),
    )
}

#[test]
fn a_recorded_v1_59_report_with_replacements_maps_to_exact_ranges_and_fixes() {
    let doc = from_recorded("v1.59.1.json");
    // misspell's Inline replacement: StartCol 3, Length 7 on line 4.
    let misspell = find(&doc, "misspell", 3);
    assert_eq!(range(misspell), (3, 3, 3, 10));
    assert_eq!(
        misspell["fixes"][0]["title"],
        "Replace with `Receive` (misspell)"
    );
    assert_eq!(range(&misspell["fixes"][0]["edits"][0]), (3, 3, 3, 10));
    // gofmt: Column 0 is the whole line; NewLines replace it, line ending kept.
    let gofmt = find(&doc, "gofmt", 5);
    assert_eq!(range(gofmt), (5, 0, 5, 10), "`  return 1` is 10 characters");
    let edit = &gofmt["fixes"][0]["edits"][0];
    assert_eq!(range(edit), (5, 0, 6, 0));
    assert_eq!(edit["newText"], "\treturn 1\n");
    // Two lines in: the CJK line of issues.go, replaced by two.
    let wide = find(&doc, "gofmt", 22);
    assert_eq!(
        wide["fixes"][0]["edits"][0]["newText"],
        "\ts := \"日本語😀\"\n\tfmt.Printf(\"%d\\n\", s)\n"
    );
}

#[test]
fn a_recorded_v1_64_report_with_suggested_fixes_maps_like_v2() {
    let doc = from_recorded("v1.64.8.json");
    let misspell = find(&doc, "misspell", 4);
    assert_eq!(range(misspell), (4, 5, 4, 12));
    assert_eq!(
        misspell["fixes"][0]["title"],
        "Replace with `Receive` (misspell)"
    );
    // v1.64's govet points at the call, `fmt`: 1-based byte column 25 after
    // the tabs, CJK and emoji, which is UTF-16 character 16.
    let govet = find(&doc, "govet", 22);
    assert_eq!(range(govet).1, 16);
    assert_eq!(range(govet).3, 19, "the identifier `fmt`");
}

#[test]
fn the_health_check_says_how_to_install_golangci_lint_and_what_lint_does_without_it() {
    let home = tempfile::tempdir().unwrap();
    // The install is offered once gord has seen, on the module proxy, that
    // the pinned version builds with this Go: a proxy on 127.0.0.1 says so.
    let proxy = common::module_proxy::ModuleProxy::start();
    let pinned = std::fs::read_to_string(common::repo_root().join("versions.env")).unwrap();
    let version = pinned
        .lines()
        .find_map(|l| {
            l.strip_prefix(
                "GO_TOOL_golangci-lint=github.com/golangci/golangci-lint/v2/cmd/golangci-lint@",
            )
        })
        .unwrap();
    proxy.add_program(
        "github.com/golangci/golangci-lint/v2",
        version,
        "1.21",
        "cmd/golangci-lint",
    );
    let out = Command::new(common::gord())
        .args(["check", "--format", "json"])
        .env(
            "PATH",
            format!("{}:/usr/bin:/bin", common::real_go_dir().display()),
        )
        .env("HOME", home.path())
        .env("GOPATH", home.path().join("gopath"))
        .env("GOPROXY", &proxy.url)
        .env("GOSUMDB", "off")
        .env("GOFLAGS", "-mod=mod")
        .env("GOTOOLCHAIN", "local")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let go012 = common::entry(&report["checks"], "id", "GO012");
    assert_eq!(go012["status"], "warning");
    assert!(
        str_of(&go012["message"]).contains("Lint on save falls back to go vet"),
        "{go012:#}"
    );
    assert_eq!(go012["fix"]["command"][0], "go");
    assert_eq!(go012["fix"]["command"][1], "install");
    assert_eq!(
        go012["fix"]["command"][2],
        format!("github.com/golangci/golangci-lint/v2/cmd/golangci-lint@{version}")
    );
}
