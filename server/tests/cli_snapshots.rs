//! What `gord` prints, as a user sees it: stdout, stderr and the exit code of
//! each command together, on the repository's fixtures. The snapshots live in
//! `snapshots/`; a changed output fails here until it is reviewed
//! (`cargo insta review`, or `INSTA_UPDATE=always` and a look at the diff).
//!
//! Every run has a clean environment (a private HOME, no colour, no logs), and
//! what depends on the machine (the repository's place, temporary
//! directories, a free port, timings) is replaced by a `[NAME]` before the
//! comparison.

use crate::common;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One run of gord: how it ended and what it printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self
            .code
            .map_or_else(|| "killed by a signal".into(), |c| c.to_string());
        write!(
            f,
            "exit code: {code}\n--- stdout\n{}--- stderr\n{}",
            self.stdout, self.stderr
        )
    }
}

/// gord with only what the test gives it: HOME, a PATH, no colour or logs.
struct Gord {
    home: tempfile::TempDir,
    dir: PathBuf,
    path: String,
    masks: Vec<(String, &'static str)>,
}

fn repo() -> PathBuf {
    common::repo_root().canonicalize().unwrap()
}

impl Gord {
    /// In the repository's root, with no `go` on PATH.
    fn new() -> Gord {
        let home = tempfile::tempdir().unwrap();
        let masks = vec![
            (home.path().display().to_string(), "[HOME]"),
            (repo().display().to_string(), "[REPO]"),
        ];
        Gord {
            home,
            dir: repo(),
            path: String::from("/usr/bin:/bin"),
            masks,
        }
    }

    fn in_dir(mut self, dir: &Path) -> Gord {
        self.dir = dir.to_path_buf();
        self
    }

    fn without_any_tool(mut self) -> Gord {
        self.path = String::from("/nonexistent");
        self
    }

    /// Shows `text` as `[name]` in the output.
    fn masking(mut self, text: impl Into<String>, name: &'static str) -> Gord {
        self.masks.insert(0, (text.into(), name));
        self
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(common::gord())
            .args(args)
            .current_dir(&self.dir)
            .env_clear()
            .env("HOME", self.home.path())
            .env("PATH", &self.path)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let mask = |bytes: &[u8]| {
            let mut text = String::from_utf8_lossy(bytes).into_owned();
            for (from, to) in &self.masks {
                text = text.replace(from.as_str(), to);
            }
            text
        };
        Run {
            code: out.status.code(),
            stdout: mask(&out.stdout),
            stderr: mask(&out.stderr),
        }
    }
}

/// Replaces what follows `before` up to `after` with `[name]`, on every line.
fn mask_between(text: &str, before: &str, after: &str, name: &str) -> String {
    text.lines()
        .map(|line| match line.find(before) {
            Some(start) => {
                let from = start + before.len();
                match line[from..].find(after) {
                    Some(len) => format!("{}[{name}]{}", &line[..from], &line[from + len..]),
                    None => line.to_string(),
                }
            }
            None => line.to_string(),
        })
        .map(|line| line + "\n")
        .collect()
}

/// The example ssh config with its ControlPath sockets under /tmp instead of
/// ~/.ssh: their findings depend on the passwd home directory (whether
/// ~/.ssh exists, how long the socket path gets), which differs from machine
/// to machine; under /tmp the same mistakes (no %C, a path too long, a
/// directory that does not exist) are found everywhere alike.
fn example_ssh_config() -> (tempfile::TempDir, PathBuf) {
    let text =
        std::fs::read_to_string(repo().join("examples/hello-remote/ssh_config.example")).unwrap();
    let moved: String = text
        .lines()
        .map(
            |line| match line.trim_start().strip_prefix("ControlPath ~/.ssh/") {
                Some(rest) => format!("    ControlPath /tmp/{rest}\n"),
                None => format!("{line}\n"),
            },
        )
        .collect();
    assert_eq!(moved.matches("ControlPath /tmp/").count(), 2, "{moved}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ssh_config");
    std::fs::write(&path, moved).unwrap();
    (dir, path)
}

fn recorded_lint_report() -> String {
    repo()
        .join("tests/fixtures/lint-recorded/v1.64.8.json")
        .display()
        .to_string()
}

fn lint_fixture() -> PathBuf {
    repo().join("tests/fixtures/lint")
}

/// `gord lint --from-json` of the recorded report, with `options`, run in
/// the lint fixture the report is about.
fn lint_recorded(options: &[&str]) -> Run {
    let report = recorded_lint_report();
    Gord::new()
        .in_dir(&lint_fixture())
        .run(&[&["lint", "--from-json", report.as_str()], options].concat())
}

// --- gord ssh lint ---------------------------------------------------------

#[test]
fn ssh_lint_lists_each_finding_of_the_example_config_with_its_fix_and_exits_1() {
    let (dir, config) = example_ssh_config();
    let gord = Gord::new().masking(dir.path().display().to_string(), "[DIR]");
    let config = config.to_str().unwrap();
    let run = gord.run(&["ssh", "lint", "-F", config, "--ssh-version", "9.2p1-debian"]);
    insta::assert_snapshot!(run);
}

/// A config copied from a Mac, linted as macOS's ssh (Apple's 9.9p2) and as
/// Debian's: Apple's keywords, launchd's socket, a 105-byte forward socket
/// (over macOS's 104, under Linux's 108).
const MAC_CONFIG: &str = "# Copied from a Mac
IdentityAgent /private/tmp/com.apple.launchd.AbCdEf1234/Listeners
Host token
  PKCS11Provider /usr/local/lib/opensc-pkcs11.so
Host db
  LocalForward /tmp/sockets/dbtool/forwarded-postgres-connections/production-cluster-eu-west-1/%n-port-5432-primary.sock localhost:5432
Host *
  UseKeychain yes
  AddKeysToAgent yes
  ServerAliveInterval 15
  ConnectTimeout 10
";

fn mac_lint(version: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(&config, MAC_CONFIG).unwrap();
    let gord = Gord::new().masking(dir.path().display().to_string(), "[DIR]");
    gord.run(&[
        "ssh",
        "lint",
        "-F",
        config.to_str().unwrap(),
        "--ssh-version",
        version,
    ])
}

#[test]
fn ssh_lint_of_a_mac_config_as_apple_s_ssh() {
    insta::assert_snapshot!(mac_lint("9.9p2-apple"));
}

#[test]
fn ssh_lint_of_a_mac_config_as_debian_s_ssh() {
    insta::assert_snapshot!(mac_lint("9.6p1-debian"));
}

#[test]
fn ssh_lint_json_carries_every_finding_with_its_range_and_fix() {
    let (dir, config) = example_ssh_config();
    let gord = Gord::new().masking(dir.path().display().to_string(), "[DIR]");
    let config = config.to_str().unwrap();
    let run = gord.run(&[
        "ssh",
        "lint",
        "-F",
        config,
        "-f",
        "json",
        "--ssh-version",
        "9.2p1-debian",
    ]);
    insta::assert_snapshot!(run);
}

#[test]
fn ssh_lint_fail_on_never_prints_the_same_findings_and_exits_0() {
    let (dir, config) = example_ssh_config();
    let gord = Gord::new().masking(dir.path().display().to_string(), "[DIR]");
    let strict = gord.run(&["ssh", "lint", "-F", config.to_str().unwrap()]);
    let never = gord.run(&[
        "ssh",
        "lint",
        "-F",
        config.to_str().unwrap(),
        "--fail-on",
        "never",
    ]);
    assert_eq!((strict.code, never.code), (Some(1), Some(0)));
    assert_eq!(never.stdout, strict.stdout);
}

#[test]
fn ssh_lint_of_a_missing_config_says_so_and_exits_2() {
    let run = Gord::new().run(&["ssh", "lint", "-F", "/nonexistent/ssh_config"]);
    insta::assert_snapshot!(run);
}

// --- gord lint --from-json -------------------------------------------------

#[test]
fn lint_from_json_places_a_recorded_reports_issues_with_their_fixes_and_exits_1() {
    let run = lint_recorded(&[]);
    insta::assert_snapshot!(run);
}

#[test]
fn lint_from_json_as_sarif_names_a_rule_per_linter_with_exact_regions() {
    let run = lint_recorded(&["--format", "sarif"]);
    insta::assert_snapshot!(run);
}

#[test]
fn lint_fail_on_error_ignores_warnings_and_exits_0() {
    let run = lint_recorded(&["--fail-on", "error"]);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(run
        .stdout
        .ends_with("8 issues (4 with a suggested fix) from golangci-lint (report)\n"));
}

#[test]
fn lint_from_a_report_that_does_not_exist_says_so_and_exits_2() {
    let run = Gord::new().run(&["lint", "--from-json", "/nonexistent/report.json"]);
    insta::assert_snapshot!(run);
}

// --- gord remote check -----------------------------------------------------

#[test]
fn remote_check_of_a_closed_port_is_connection_refused_with_a_fix_and_exits_1() {
    let (dir, config, port) = common::closed_host_config();
    let gord = Gord::new()
        .masking(dir.path().display().to_string(), "[DIR]")
        .masking(format!("port {port}"), "port [PORT]")
        .masking(format!("127.0.0.1:{port}"), "127.0.0.1:[PORT]");
    let run = gord.run(&["remote", "check", "-F", config.to_str().unwrap(), "closed"]);
    let stdout = mask_between(&run.stdout, "checked in ", " s:", "SECONDS");
    insta::assert_snapshot!(Run { stdout, ..run });
}

#[test]
fn remote_check_refuses_a_host_name_that_looks_like_an_option_and_exits_2() {
    let run = Gord::new().run(&["remote", "check", "--", "-oProxyCommand=touch /tmp/x"]);
    insta::assert_snapshot!(run);
}

// --- gord check ------------------------------------------------------------

/// `gord check` on a machine without go: what it reports does not depend on
/// which Go this machine has; only the timing is masked.
fn check_without_go(args: &[&str]) -> Run {
    let run = Gord::new().without_any_tool().run(args);
    let stdout = mask_between(&run.stdout, " skipped (", " s)", "SECONDS");
    // Whether gord runs inside a container is this machine's, not the
    // report's: the line says so here and not on a CI runner.
    let container = "GO046 Container window — ";
    let stdout = stdout
        .lines()
        .map(|line| match line.find(container) {
            Some(at) => format!("{}[CONTAINER]\n", &line[..at + container.len()]),
            None => format!("{line}\n"),
        })
        .collect();
    Run { stdout, ..run }
}

#[test]
fn check_without_go_reports_go001_as_an_error_skips_what_needs_go_and_exits_1() {
    insta::assert_snapshot!(check_without_go(&["check"]));
}

#[test]
fn check_fail_on_never_prints_the_same_report_and_exits_0() {
    let strict = check_without_go(&["check"]);
    let never = check_without_go(&["check", "--fail-on", "never"]);
    assert_eq!((strict.code, never.code), (Some(1), Some(0)));
    assert_eq!(never.stdout, strict.stdout);
}

#[test]
fn check_of_a_workspace_that_does_not_exist_says_so_and_exits_2() {
    insta::assert_snapshot!(Gord::new().run(&["check", "-w", "/nonexistent/ws"]));
}

// --- the formats a command does not write ----------------------------------

/// A live attach has no report to write as SARIF: only the dry run's
/// preflight is one. Refused before anything starts, exit 2.
#[test]
fn attach_sarif_without_dry_run_is_a_usage_error_and_exits_2() {
    insta::assert_snapshot!(Gord::new().run(&["attach", "1", "--format", "sarif"]));
}

#[test]
fn lint_format_markdown_is_a_usage_error_naming_the_formats_lint_writes() {
    insta::assert_snapshot!(Gord::new().run(&["lint", "--format", "markdown"]));
}

// --- gord debug core, gord attach, gord preload: their errors --------------

#[test]
fn debug_core_of_a_file_that_is_not_elf_says_so_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a program\n").unwrap();
    let gord = Gord::new().masking(dir.path().display().to_string(), "[DIR]");
    let text = text.to_str().unwrap();
    insta::assert_snapshot!(gord.run(&["debug", "core", text, text]));
}

#[test]
fn attach_refuses_a_listen_address_off_loopback_and_exits_2() {
    let run = Gord::new().run(&["attach", "1", "--dry-run", "--listen", "10.0.0.1:4000"]);
    insta::assert_snapshot!(run);
}

#[test]
fn preload_of_a_workspace_that_does_not_exist_says_so_and_exits_2() {
    insta::assert_snapshot!(Gord::new().run(&["preload", "-w", "/nonexistent/ws"]));
}

// --- --help ------------------------------------------------------------------

/// Every command's help, one snapshot each: the flags, their defaults (the
/// `--fail-on` default differs by command) and the formats each writes.
#[test]
fn help_of_every_command_names_its_flags_formats_and_defaults() {
    let commands: &[&[&str]] = &[
        &[],
        &["check"],
        &["serve"],
        &["ssh"],
        &["ssh", "lint"],
        &["ssh", "fix"],
        &["ssh", "resolve"],
        &["remote", "check"],
        &["lint"],
        &["procs"],
        &["attach"],
        &["debug", "core"],
        &["preload"],
    ];
    let gord = Gord::new();
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let name = if command.is_empty() {
            String::from("help_gord")
        } else {
            format!("help_{}", command.join("_"))
        };
        insta::assert_snapshot!(name, gord.run(&args));
    }
}

// --- exit codes: one contract for every reporting command ------------------

/// Every reporting command takes `--format` and `--fail-on`, and ends 0 when
/// no finding reaches `--fail-on`, 1 when one does, 2 when the arguments ask
/// for what it does not do or gord failed, whatever `--fail-on` says.
#[test]
fn every_reporting_command_takes_format_and_fail_on_and_exits_0_1_or_2() {
    let (_ssh_dir, ssh) = example_ssh_config();
    let ssh = ssh.to_str().unwrap().to_string();
    let (_closed_dir, closed, _) = common::closed_host_config();
    let closed = closed.to_str().unwrap().to_string();
    let report = recorded_lint_report();
    let lint_dir = lint_fixture();
    let empty = tempfile::tempdir().unwrap();
    let empty_config = empty.path().join("ssh_config");
    std::fs::write(&empty_config, "").unwrap();
    let empty_config = empty_config.to_str().unwrap().to_string();
    let not_elf = empty.path().join("notes.txt");
    std::fs::write(&not_elf, "text\n").unwrap();
    let not_elf = not_elf.to_str().unwrap().to_string();

    let gord = Gord::new().without_any_tool();
    let in_lint = Gord::new().in_dir(&lint_dir);
    #[rustfmt::skip]
    let cases: Vec<(&Gord, Vec<&str>, i32)> = vec![
        // gord check, without go: GO001 is an error, GO010-GO013 warnings.
        (&gord, vec!["check"], 1),
        (&gord, vec!["check", "-f", "json", "--fail-on", "error"], 1),
        (&gord, vec!["check", "-f", "markdown", "--fail-on", "never"], 0),
        (&gord, vec!["check", "-f", "sarif"], 1),
        (&gord, vec!["check", "--fail-on", "sometimes"], 2),
        // gord ssh lint: the example has errors, warnings and info.
        (&gord, vec!["ssh", "lint", "-F", &ssh], 1),
        (&gord, vec!["ssh", "lint", "-F", &ssh, "-f", "sarif", "--fail-on", "error"], 1),
        (&gord, vec!["ssh", "lint", "-F", &ssh, "-f", "json", "--fail-on", "never"], 0),
        (&gord, vec!["ssh", "lint", "-F", &empty_config, "--fail-on", "info"], 0),
        (&gord, vec!["ssh", "lint", "-F", "/nonexistent/config", "--fail-on", "never"], 2),
        // gord lint: every issue of the recorded report is a warning.
        (&in_lint, vec!["lint", "--from-json", &report], 1),
        (&in_lint, vec!["lint", "--from-json", &report, "-f", "sarif", "--fail-on", "warning"], 1),
        (&in_lint, vec!["lint", "--from-json", &report, "-f", "json", "--fail-on", "error"], 0),
        (&in_lint, vec!["lint", "--from-json", "/nonexistent.json", "--fail-on", "never"], 2),
        // gord remote check: a refused connection is an error.
        (&gord, vec!["remote", "check", "-F", &closed, "closed"], 1),
        (&gord, vec!["remote", "check", "-F", &closed, "closed", "-f", "sarif", "--fail-on", "error"], 1),
        (&gord, vec!["remote", "check", "-F", &closed, "closed", "-f", "json", "--fail-on", "never"], 0),
        // gord procs: a listing, not a verdict, unless --fail-on asks.
        (&gord, vec!["procs"], 0),
        (&gord, vec!["procs", "--go", "-f", "json", "--fail-on", "never"], 0),
        (&gord, vec!["procs", "-f", "sarif"], 0),
        (&gord, vec!["procs", "-f", "markdown"], 2),
        // gord attach --dry-run, gord debug core, gord preload: their failures.
        (&gord, vec!["attach", "1", "--dry-run", "--listen", "10.0.0.1:1", "--fail-on", "never"], 2),
        (&gord, vec!["attach", "1", "-f", "sarif"], 2),
        (&gord, vec!["debug", "core", &not_elf, &not_elf, "-f", "json", "--fail-on", "never"], 2),
        (&gord, vec!["debug", "core", &not_elf, &not_elf, "-f", "sarif"], 2),
        (&gord, vec!["preload", "-w", "/nonexistent/ws", "-f", "json", "--fail-on", "never"], 2),
        (&gord, vec!["preload", "-w", "/nonexistent/ws", "-f", "sarif"], 2),
    ];
    for (gord, args, expected) in cases {
        let run = gord.run(&args);
        assert_eq!(run.code, Some(expected), "gord {}\n{run}", args.join(" "));
    }
}

/// `gord attach --dry-run` on a live process: the preflight is the report, a
/// blocking (error) finding makes it 1 by default, and `--fail-on never`
/// makes it 0 with the same output.
#[test]
fn attach_dry_run_exits_1_on_a_blocking_preflight_finding_unless_fail_on_never() {
    let mut child = Command::new("sleep").arg("30").spawn().unwrap();
    let pid = child.id().to_string();
    let gord = Gord::new().without_any_tool();
    let dry_run = |options: &[&str]| {
        gord.run(
            &[
                &["attach", pid.as_str(), "--dry-run", "-f", "json"],
                options,
            ]
            .concat(),
        )
    };
    let default = dry_run(&[]);
    let never = dry_run(&["--fail-on", "never"]);
    let warning = dry_run(&["--fail-on", "warning"]);
    child.kill().unwrap();
    child.wait().unwrap();
    let report: serde_json::Value = serde_json::from_str(&default.stdout).expect(&default.stderr);
    let severities: Vec<&str> = common::field_strs(&report["preflight"]["findings"], "severity");
    // Without dlv on PATH (the test's PATH has none) the preflight blocks.
    assert!(severities.contains(&"error"), "{report:#}");
    assert_eq!(report["preflight"]["blocked"], true);
    assert_eq!(default.code, Some(1), "{default}");
    assert_eq!(warning.code, Some(1), "{warning}");
    assert_eq!(never.code, Some(0), "{never}");
    assert_eq!(never.stdout, default.stdout);
}
