//! `gord lint` at the edges seen on real modules, with the real
//! golangci-lint: a fix on a CRLF line, a range over several lines, a
//! formatter's half of an import reorder, and `--from-json` given the
//! linter's default output, SARIF, `{}` or files it cannot read.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::temp_tree;
use serde_json::Value;

fn go_env(name: &str) -> String {
    let out = Command::new("go").args(["env", name]).output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// PATH with the real go and the pinned golangci-lint (`scripts/install-deps`).
fn path() -> String {
    format!(
        "{}:{}/bin:/usr/bin:/bin",
        common::real_go_dir().display(),
        go_env("GOPATH")
    )
}

fn gord_lint(dir: &Path, args: &[&str]) -> Output {
    Command::new(common::gord())
        .arg("lint")
        .args(args)
        .current_dir(dir)
        .env("PATH", path())
        .output()
        .unwrap()
}

/// The real golangci-lint, run in `dir` with `args`.
fn golangci_lint(dir: &Path, args: &[&str]) -> Output {
    Command::new(PathBuf::from(go_env("GOPATH")).join("bin/golangci-lint"))
        .args(args)
        .current_dir(dir)
        .env("PATH", path())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A module with `config` as its `.golangci.yml` and `a.go`.
fn module(config: &str, source: &str) -> tempfile::TempDir {
    temp_tree(&[
        ("go.mod", "module example.com/edge\n\ngo 1.22\n"),
        (".golangci.yml", config),
        ("a.go", source),
    ])
}

/// `gord lint -f json ./...` in `dir`: its issues.
fn issues(dir: &Path) -> Vec<Value> {
    let out = gord_lint(dir, &["-f", "json", "./..."]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["issues"].as_array().unwrap().clone()
}

fn range(v: &Value) -> (u64, u64, u64, u64) {
    let r = &v["range"];
    let n = |v: &Value| v.as_u64().unwrap();
    (
        n(&r["start"]["line"]),
        n(&r["start"]["character"]),
        n(&r["end"]["line"]),
        n(&r["end"]["character"]),
    )
}

fn position(v: &Value) -> gord::finding::Position {
    let n = |v: &Value| u32::try_from(v.as_u64().unwrap()).unwrap();
    gord::finding::Position::new(n(&v["line"]), n(&v["character"]))
}

/// `file`'s text with a fix's LSP edits applied, as the editor applies them.
fn applied(file: &Path, fix: &Value) -> String {
    let edits: Vec<_> = fix["edits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let range = gord::finding::Range::new(
                position(&e["range"]["start"]),
                position(&e["range"]["end"]),
            );
            (range, e["newText"].as_str().unwrap().to_string())
        })
        .collect();
    gord::edit::apply_edits(&std::fs::read_to_string(file).unwrap(), &edits).unwrap()
}

const GODOT: &str = "version: \"2\"\nlinters:\n  default: none\n  enable:\n    - godot\n";
const CRLF: &str = "package edge\r\n\r\n// Add adds two numbers\r\nfunc Add(a, b int) int {\r\n\treturn a + b\r\n}\r\n";

#[test]
fn a_godot_fix_on_a_crlf_line_writes_what_golangci_lints_edit_writes() {
    let ws = module(GODOT, CRLF);
    let found = issues(ws.path());
    assert_eq!(found.len(), 1, "{found:#?}");
    let fix = &found[0]["fixes"][0];
    assert_eq!(
        fix["title"],
        "Replace with `// Add adds two numbers.` (godot)"
    );
    let ours = applied(&ws.path().join("a.go"), fix);
    assert!(!ours.contains("\r\r"), "{ours:?}");
    // golangci-lint's own edit, its bytes applied to the file's bytes
    // (`run --fix` would rewrite every line ending as well).
    let out = golangci_lint(
        ws.path(),
        &[
            "run",
            "--output.json.path=stdout",
            "--show-stats=false",
            "./...",
        ],
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let edit = &doc["Issues"][0]["SuggestedFixes"][0]["TextEdits"][0];
    let at = |key: &str| usize::try_from(edit[key].as_u64().unwrap()).unwrap();
    let new_text = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        edit["NewText"].as_str().unwrap(),
    )
    .unwrap();
    let mut theirs = CRLF.as_bytes().to_vec();
    theirs.splice(at("Pos")..at("End"), new_text);
    assert_eq!(ours, text(&theirs));
    assert!(ours.contains("// Add adds two numbers.\r\nfunc"));
}

#[test]
fn a_range_over_several_lines_starts_at_the_reported_column() {
    let config = "version: \"2\"\nlinters:\n  default: none\n  enable:\n    - revive\n  settings:\n    revive:\n      rules:\n        - name: empty-block\n";
    let ws = module(
        config,
        "package edge\n\n// C counts.\nfunc C(x int) {\n\tif x > 0 {\n\t}\n}\n",
    );
    let found = issues(ws.path());
    assert_eq!(found.len(), 1, "{found:#?}");
    // Column 11 of line 5 (the `{`), LineRange 5..6.
    assert_eq!(found[0]["reported"]["column"], 11, "{:#}", found[0]);
    assert_eq!(range(&found[0]), (4, 10, 5, 2));
}

#[test]
fn a_formatters_half_of_an_import_reorder_is_not_a_quick_fix() {
    let config = "version: \"2\"\nlinters:\n  default: none\nformatters:\n  enable:\n    - gci\n    - gofmt\n    - goimports\n";
    let ws = module(
        config,
        "package edge\n\nimport (\n\t\"strings\"\n\t\"fmt\"\n\t\"os\"\n)\n\n// Hello says hi.\nfunc Hello() {\n\tfmt.Println(strings.ToUpper(\"hi\"), os.Args)\n}\n",
    );
    let found = issues(ws.path());
    let linters: Vec<&str> = found
        .iter()
        .map(|i| i["linter"].as_str().unwrap())
        .collect();
    assert_eq!(linters, ["gci", "gofmt", "goimports"], "{found:#?}");
    for issue in &found {
        assert_eq!(issue["fixes"], Value::Array(Vec::new()), "{issue:#}");
        assert_eq!(range(issue).0, 3, "still reported on `\"strings\"`");
    }
}

#[test]
fn from_json_reads_the_default_output_with_its_statistics() {
    let ws = module(GODOT, CRLF);
    let out = golangci_lint(ws.path(), &["run", "--output.json.path=stdout", "./..."]);
    let report = text(&out.stdout);
    assert!(report.contains("\n1 issues:\n* godot: 1"), "{report}");
    std::fs::write(ws.path().join("report.txt"), &report).unwrap();
    let out = gord_lint(ws.path(), &["--from-json", "report.txt", "-f", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["issues"][0]["linter"], "godot");
    assert_eq!(
        doc["issues"][0]["fixes"][0]["edits"][0]["newText"],
        "// Add adds two numbers."
    );
}

#[test]
fn from_json_refuses_sarif_and_an_empty_object_saying_why() {
    let ws = module(GODOT, CRLF);
    let out = golangci_lint(
        ws.path(),
        &["run", "--output.sarif.path=report.sarif", "./..."],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    std::fs::write(ws.path().join("empty.json"), "{}\n").unwrap();
    for (file, why) in [
        ("report.sarif", "it is SARIF, not golangci-lint's JSON"),
        ("empty.json", "it has no \"Issues\" list"),
    ] {
        let out = gord_lint(ws.path(), &["--from-json", file]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert_eq!(text(&out.stdout), "", "{file}: no report");
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with(&format!(
                "gord: error: {file} is not a golangci-lint JSON report: {why}"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn from_json_says_when_the_reports_files_cannot_be_read() {
    let ws = module(GODOT, CRLF);
    let out = golangci_lint(
        ws.path(),
        &[
            "run",
            "--output.json.path=stdout",
            "--show-stats=false",
            "./...",
        ],
    );
    let report = ws.path().join("report.json");
    std::fs::write(&report, &out.stdout).unwrap();
    // Elsewhere, the report's relative `a.go` names nothing.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = gord_lint(elsewhere.path(), &["--from-json", report.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let gone = elsewhere.path().join("a.go");
    assert_eq!(
        text(&out.stderr),
        format!(
            "gord: warning: cannot read 1 of the files the report names ({}); the 1 issue there is placed at the reported line and column, without fixes. Relative file names are taken from the current directory: run gord where the report was made\n",
            gone.display()
        )
    );
    assert!(text(&out.stdout).contains("(0 with a suggested fix)"));
    // Where it was made, nothing to say.
    let out = gord_lint(ws.path(), &["--from-json", "report.json"]);
    assert_eq!(text(&out.stderr), "");
}

/// The real golangci-lint behind a shim in `dir` that appends its arguments
/// to `dir/calls` and runs it.
fn logging_golangci_lint(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let real = PathBuf::from(go_env("GOPATH")).join("bin/golangci-lint");
    let shim = dir.join("golangci-lint");
    std::fs::write(
        &shim,
        format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            dir.join("calls").display(),
            real.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).unwrap();
    shim
}

#[test]
fn the_cli_asks_golangci_lint_its_version_and_flags_once_per_binary() {
    let ws = module(GODOT, CRLF);
    let bin = tempfile::tempdir().unwrap();
    let shim = logging_golangci_lint(bin.path());
    let cache = tempfile::tempdir().unwrap();
    let lint = || {
        let out = Command::new(common::gord())
            .args(["lint", "./..."])
            .current_dir(ws.path())
            .env("PATH", format!("{}:{}", bin.path().display(), path()))
            .env("XDG_CACHE_HOME", cache.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    };
    let probes = || {
        std::fs::read_to_string(bin.path().join("calls"))
            .unwrap()
            .lines()
            .filter(|l| *l == "--version" || *l == "run --help")
            .count()
    };
    lint();
    assert_eq!(probes(), 2, "the first run asks");
    assert!(cache
        .path()
        .join("gord/golangci-lint-probes.json")
        .is_file());
    lint();
    lint();
    assert_eq!(probes(), 2, "later runs take the kept answer");
    // The same path, another binary (an upgrade in place): asked again.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(&shim)
        .unwrap()
        .set_modified(later)
        .unwrap();
    lint();
    assert_eq!(probes(), 4);
}
