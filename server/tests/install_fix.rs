//! The `go install` fixes of GO010–GO013 are offered only when they can
//! succeed (#16 item 4), judged with the real go command against a module
//! proxy the test serves on 127.0.0.1 (common::module_proxy): staticcheck's
//! module at its pinned version needs a Go newer than this machine's, an
//! older release builds. Every offered install is then run as the editor
//! would run it, against the same proxy.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::editor::Editor;
use common::module_proxy::ModuleProxy;
use common::{real_go_dir, str_of, Run};
use serde_json::{json, Value};

/// staticcheck's module, its main package and its pinned version.
const MODULE: &str = "honnef.co/go/tools";
const MAIN: &str = "cmd/staticcheck";

fn pinned_version() -> String {
    let text = std::fs::read_to_string(common::repo_root().join("versions.env")).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("GO_TOOL_staticcheck=honnef.co/go/tools/cmd/staticcheck@"))
        .expect("staticcheck pinned in versions.env")
        .to_string()
}

fn real_go_env(key: &str) -> String {
    let out = Command::new(real_go_dir().join("go"))
        .args(["env", key])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A home with its own GOPATH, GOBIN, module cache and go env file; the
/// machine's build cache (content-addressed, so sharing it is safe).
struct Machine {
    home: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Machine {
    fn new(proxy: &str, gotoolchain: Option<&str>) -> Machine {
        let home = tempfile::tempdir().unwrap();
        let p = |name: &str| home.path().join(name).display().to_string();
        let mut env = vec![
            (
                "PATH".into(),
                format!("{}:/usr/bin:/bin", real_go_dir().display()),
            ),
            ("HOME".into(), p("")),
            ("GOPATH".into(), p("gopath")),
            ("GOBIN".into(), p("bin")),
            ("GOMODCACHE".into(), p("gomodcache")),
            ("GOCACHE".into(), real_go_env("GOCACHE")),
            ("GOENV".into(), p("goenv")),
            ("GOPROXY".into(), proxy.to_string()),
            ("GOSUMDB".into(), "off".into()),
            ("GONOSUMDB".into(), String::new()),
            ("GOPRIVATE".into(), String::new()),
            ("GOFLAGS".into(), "-mod=mod".into()),
            ("GOTELEMETRY".into(), "off".into()),
        ];
        match gotoolchain {
            Some(value) => env.push(("GOTOOLCHAIN".into(), value.into())),
            // Only in the go env file, where `go env -w` changes it.
            None => {
                env.push(("GOTOOLCHAIN".into(), String::new()));
                std::fs::write(home.path().join("goenv"), "GOTOOLCHAIN=local\n").unwrap();
            }
        }
        Machine { home, env }
    }

    fn set(&mut self, key: &str, value: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), value.into()));
    }

    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command.env_clear().current_dir(self.home.path());
        for (key, value) in &self.env {
            if !value.is_empty() {
                command.env(key, value);
            }
        }
        command
    }

    /// GO013 of `gord check`.
    fn go013(&self) -> Value {
        let out = Run::of(self.command(common::gord()).args(["check", "-f", "json"]));
        let report: Value = serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", out.stdout, out.stderr));
        common::entry(&report["checks"], "id", "GO013").clone()
    }

    /// Runs a fix's argv as the editor's terminal would, with this machine's
    /// environment.
    fn run_fix(&self, check: &Value) -> Run {
        let argv: Vec<&str> = check["fix"]["command"]
            .as_array()
            .unwrap_or_else(|| panic!("no command to run: {check:#}"))
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert_eq!(argv[0], "go");
        Run::of(self.command(real_go_dir().join("go")).args(&argv[1..]))
    }

    fn bin(&self) -> PathBuf {
        self.home.path().join("bin")
    }
}

fn command_of(check: &Value) -> Vec<&str> {
    check["fix"]["command"]
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap()).collect())
        .unwrap_or_default()
}

/// A proxy where the pinned staticcheck needs go 1.99.0, v0.0.2 needs
/// 1.98.0 and v0.0.1 builds with any Go since 1.21 (when `builds_older`).
fn proxy_with_a_too_new_pin(builds_older: bool) -> ModuleProxy {
    let proxy = ModuleProxy::start();
    if builds_older {
        proxy.add_program(MODULE, "v0.0.1", "1.21", MAIN);
    }
    proxy.add_program(MODULE, "v0.0.2", "1.98.0", MAIN);
    proxy.add_program(MODULE, &pinned_version(), "1.99.0", MAIN);
    proxy
}

fn assert_installed(machine: &Machine, version: &str) {
    let out = Run::of(&mut Command::new(machine.bin().join("staticcheck")));
    assert_eq!(out.stdout.trim(), format!("{MODULE} {version}"));
}

#[test]
fn with_gotoolchain_local_the_newest_release_that_builds_is_offered_and_installs() {
    let proxy = proxy_with_a_too_new_pin(true);
    let machine = Machine::new(&proxy.url, Some("local"));
    let go013 = machine.go013();
    assert_eq!(go013["status"], "warning", "{go013:#}");
    let message = str_of(&go013["message"]);
    let pinned = pinned_version();
    assert!(
        message.contains(&format!(
            "{MODULE}@{pinned} requires go >= 1.99.0 (running go "
        )),
        "{message}"
    );
    assert!(
        message.contains("GOTOOLCHAIN=local forbids switching"),
        "{message}"
    );
    assert!(
        message.contains("v0.0.1 is the newest release that builds"),
        "{message}"
    );
    assert_eq!(
        command_of(&go013),
        ["go", "install", "honnef.co/go/tools/cmd/staticcheck@v0.0.1"]
    );

    // The plain install would fail, just as gord said; the offered one works.
    let plain = Run::of(
        machine
            .command(real_go_dir().join("go"))
            .args(["install", &format!("{MODULE}/{MAIN}@{pinned}")]),
    );
    assert_ne!(plain.code, 0);
    assert!(
        plain.stderr.contains("requires go >= 1.99.0"),
        "{}",
        plain.stderr
    );
    let fixed = machine.run_fix(&go013);
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
    assert_installed(&machine, "v0.0.1");
}

#[test]
fn when_no_release_builds_the_gotoolchain_setting_is_offered_and_then_the_plain_install() {
    let proxy = proxy_with_a_too_new_pin(false);
    proxy.list_toolchains(&["go1.99.0", "go1.99.2"]);
    let machine = Machine::new(&proxy.file_url(), None);
    let go013 = machine.go013();
    let message = str_of(&go013["message"]);
    assert!(
        message.contains("GOTOOLCHAIN=local forbids switching"),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "no release before {} builds with go {} either (1 looked at)",
            pinned_version(),
            real_go_env("GOVERSION").trim_start_matches("go")
        )),
        "{message}"
    );
    assert_eq!(
        command_of(&go013),
        ["go", "env", "-w", "GOTOOLCHAIN=auto"],
        "{go013:#}"
    );
    assert!(str_of(&go013["fix"]["title"]).starts_with("Let go download go1.99.2 for it"));

    let applied = machine.run_fix(&go013);
    assert_eq!(applied.code, 0, "{}", applied.stderr);
    let after = machine.go013();
    assert_eq!(
        command_of(&after),
        [
            "go".to_string(),
            "install".into(),
            format!("{MODULE}/{MAIN}@{}", pinned_version())
        ]
    );
    assert!(
        str_of(&after["message"]).contains("first downloads go1.99.2 (GOTOOLCHAIN=auto)"),
        "{after:#}"
    );
    // The go command switches to the toolchain gord named; the test proxy
    // lists it but holds no zip, so the download is as far as it gets.
    let switched = machine.run_fix(&after);
    assert_ne!(switched.code, 0);
    assert!(
        switched
            .stderr
            .contains("requires go >= 1.99.0; switching to go1.99.2"),
        "{}",
        switched.stderr
    );
}

#[test]
fn with_gotoolchain_auto_and_no_toolchain_to_download_the_older_release_is_offered() {
    let proxy = proxy_with_a_too_new_pin(true);
    // Listed, but over HTTP with GOSUMDB=off the go command cannot verify it.
    proxy.list_toolchains(&["go1.99.0"]);
    let machine = Machine::new(&proxy.url, Some("auto"));
    let go013 = machine.go013();
    let message = str_of(&go013["message"]);
    assert!(
        message.contains("no go 1.99.0 or newer toolchain can be downloaded for this platform (GOTOOLCHAIN=auto): "),
        "{message}"
    );
    assert!(
        message.contains("checksum database disabled by GOSUMDB=off"),
        "{message}"
    );
    assert_eq!(
        command_of(&go013),
        ["go", "install", "honnef.co/go/tools/cmd/staticcheck@v0.0.1"]
    );
}

#[test]
fn a_pinned_version_that_builds_keeps_the_plain_install_and_it_installs() {
    let proxy = ModuleProxy::start();
    let pinned = pinned_version();
    proxy.add_program(MODULE, &pinned, "1.21", MAIN);
    let machine = Machine::new(&proxy.url, Some("local"));
    let go013 = machine.go013();
    assert_eq!(
        str_of(&go013["message"]),
        format!(
            "staticcheck is not installed: not on PATH, nor in {}",
            machine.bin().display()
        )
    );
    assert_eq!(
        command_of(&go013),
        [
            "go".to_string(),
            "install".into(),
            format!("{MODULE}/{MAIN}@{pinned}")
        ]
    );
    let fixed = machine.run_fix(&go013);
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
    assert_installed(&machine, &pinned);
}

#[test]
fn offline_no_install_is_offered_and_the_report_says_why() {
    let closed = format!("http://127.0.0.1:{}", common::free_port());
    let served = proxy_with_a_too_new_pin(true);
    for (proxy, goflags, why) in [
        (
            "off",
            "-mod=mod",
            "GOPROXY=off stops the go command from downloading modules",
        ),
        (closed.as_str(), "-mod=mod", "connection refused"),
        (
            served.url.as_str(),
            "-mod=vendor",
            "cannot query module due to -mod=vendor",
        ),
    ] {
        let mut machine = Machine::new(proxy, Some("local"));
        machine.set("GOFLAGS", goflags);
        let go013 = machine.go013();
        let message = str_of(&go013["message"]);
        assert!(
            message.contains("`go install` cannot download"),
            "{message}"
        );
        assert!(message.contains(why), "GOPROXY={proxy}: {message}");
        assert_eq!(go013["fix"]["command"], Value::Null, "{go013:#}");
        assert!(str_of(&go013["fix"]["title"]).starts_with(
            "Once the go command can download modules (GOPROXY, GOFLAGS, network access), run: go install"
        ));
        assert!(!Path::new(&machine.bin()).join("staticcheck").exists());
    }
}

#[test]
fn the_editors_health_report_offers_the_same_install_as_gord_check() {
    let proxy = proxy_with_a_too_new_pin(true);
    let machine = Machine::new(&proxy.url, Some("local"));
    let env: Vec<(&str, &str)> = machine
        .env
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut editor = Editor::start(&env);
    editor.initialize(machine.home.path(), json!({ "trusted": true }));
    let health = editor.request("gord/health", Some(json!({ "refresh": true })));
    // The run announces its start and its end (which may follow the answer).
    editor.wait_for(|m| m["method"] == "gord/status" && m["params"]["state"] == "running");
    editor.wait_for(|m| m["method"] == "gord/status" && m["params"]["state"] == "idle");
    let go013 = common::entry(&health["result"]["checks"], "id", "GO013");
    assert_eq!(
        command_of(go013),
        ["go", "install", "honnef.co/go/tools/cmd/staticcheck@v0.0.1"],
        "{go013:#}"
    );
    assert!(
        str_of(&go013["message"]).contains("GOTOOLCHAIN=local forbids switching"),
        "{go013:#}"
    );
    let fixed = machine.run_fix(go013);
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
    assert_installed(&machine, "v0.0.1");
}

/// `gord check`'s GO013 with a fake go whose `go list` runs `list_body`
/// (`go version` and `go env -json` answer as a go 1.26.8 would), within
/// a check time limit of `timeout` seconds.
fn go013_with_a_go_list_that(list_body: &str, timeout: &str) -> (Value, std::time::Duration) {
    let fake = common::fake_go(&format!(
        "case \"$1\" in\n\
         version) [ \"$2\" = -m ] && exit 1; echo 'go version go1.26.8 linux/amd64' ;;\n\
         env) echo '{{\"GOPATH\":\"/nonexistent/gopath\",\"GOTOOLCHAIN\":\"local\"}}' ;;\n\
         list) {list_body} ;;\n\
         esac"
    ));
    let home = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let out = Run::of(
        Command::new(common::gord())
            .args(["check", "-f", "json", "--timeout", timeout])
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", fake.path().display()))
            .env("HOME", home.path()),
    );
    let took = started.elapsed();
    let report: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", out.stdout, out.stderr));
    (
        common::entry(&report["checks"], "id", "GO013").clone(),
        took,
    )
}

#[test]
fn a_go_list_that_prints_garbage_is_a_reason_not_a_fix() {
    let (go013, _) = go013_with_a_go_list_that("echo 'this is not { json'", "20");
    assert_eq!(go013["status"], "warning", "{go013:#}");
    assert!(
        str_of(&go013["message"]).contains(
            "`go install` cannot download honnef.co/go/tools/cmd/staticcheck@v0.8.2: \
             `go list -m -json` printed something that is not a module: this is not { json"
        ),
        "{go013:#}"
    );
    assert_eq!(go013["fix"]["command"], Value::Null);
}

#[test]
fn a_go_list_that_hangs_is_stopped_within_the_checks_time() {
    let (go013, took) = go013_with_a_go_list_that("sleep 60", "5");
    // Well under the 60 s the fake sleeps; the killing after 0.8 s is
    // asserted by the message, not by the clock (which a loaded machine
    // stretches).
    assert!(took < std::time::Duration::from_secs(30), "took {took:?}");
    assert!(
        str_of(&go013["message"]).contains("did not finish within 0.8 s and was killed"),
        "{go013:#}"
    );
    assert_eq!(go013["fix"]["command"], Value::Null);
}
