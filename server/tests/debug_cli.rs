//! `gord procs`, `gord attach` and `gord debug core` against real Go programs
//! built here with the real toolchain, real dlv and real core dumps.

use crate::common;

use std::io::Read;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::debug_fixture::{
    builds, dlv_dir, path_with, process_exists, tracer_of, wait_until, Target,
};
use common::{first_line, gord, repo_root};
use gord::debug::buildinfo::read_binary;
use gord::debug::client::DapClient;
use gord::debug::launch::{DlvServer, LaunchOptions, ServerKind};
use serde_json::Value;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(gord())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `gord attach PID --dry-run MORE...`.
fn attach_dry_run(pid: u32, more: &[&str]) -> (i32, String, String) {
    let pid = pid.to_string();
    let mut args = vec!["attach", pid.as_str(), "--dry-run"];
    args.extend_from_slice(more);
    run(&args)
}

#[test]
fn a_binary_built_with_ldflags_w_has_no_dwarf() {
    let file = std::fs::File::open(&builds().no_dwarf).unwrap();
    let info = read_binary(&file).unwrap();
    assert!(!info.dwarf);
    let go = info.go.expect("still a Go program");
    assert_eq!(go.setting("-ldflags"), Some("-w -s"));
}

#[test]
fn a_normal_build_has_dwarf_build_ids_and_is_optimised() {
    let file = std::fs::File::open(&builds().normal).unwrap();
    let info = read_binary(&file).unwrap();
    assert!(info.dwarf);
    let go = info.go.unwrap();
    assert!(go.go_version.starts_with("go1."), "{}", go.go_version);
    assert_eq!(go.path.as_deref(), Some("example.com/gordfixture"));
    assert_eq!(
        go.main_module.as_ref().unwrap().path,
        "example.com/gordfixture"
    );
    assert!(go.optimised());
    assert!(info.go_build_id.is_some_and(|id| id.contains('/')));
}

#[test]
fn a_binary_built_with_gcflags_n_l_is_not_optimised() {
    let file = std::fs::File::open(&builds().no_opt).unwrap();
    let go = read_binary(&file).unwrap().go.unwrap();
    assert_eq!(go.setting("-gcflags"), Some("all=-N -l"));
    assert!(!go.optimised());
}

#[test]
fn every_truncation_of_a_real_binary_parses_without_panicking() {
    let bytes = std::fs::read(&builds().trimpath).unwrap();
    assert!(read_binary(bytes.as_slice())
        .unwrap()
        .go
        .unwrap()
        .trimpath());
    // Cut inside the headers, the section table and the build info.
    let section_table = u64::from_le_bytes(bytes[40..48].try_into().unwrap()) as usize;
    let mut cuts: Vec<usize> = (0..256).collect();
    cuts.extend((section_table..section_table + 2600).step_by(7));
    cuts.extend([bytes.len() - 1, bytes.len() / 2]);
    for cut in cuts.into_iter().filter(|c| *c <= bytes.len()) {
        let _ = read_binary(&bytes[..cut]);
    }
    let mut corrupted = bytes.clone();
    for i in (0..4096).step_by(3) {
        corrupted[section_table + i] ^= 0xa5;
    }
    let _ = read_binary(corrupted.as_slice());
}

#[test]
fn procs_lists_the_go_fixtures_with_dwarf_optimisation_and_verdict() {
    let b = builds();
    let (normal, no_dwarf, no_opt) = (
        Target::start(&b.normal),
        Target::start(&b.no_dwarf),
        Target::start(&b.no_opt),
    );
    let (code, stdout, stderr) = run(&["procs", "--go", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let list: Value = serde_json::from_str(&stdout).unwrap();
    let entry = |pid: u32| common::entry(&list["processes"], "pid", pid).clone();
    let n = entry(normal.pid());
    assert_eq!(n["binary"]["dwarf"], true);
    assert_eq!(
        n["binary"]["go"]["mainModule"]["path"],
        "example.com/gordfixture"
    );
    assert_eq!(n["preflight"]["findings"][0]["code"], "DBG007");
    assert_eq!(entry(no_dwarf.pid())["preflight"]["blocked"], true);
    assert_eq!(
        entry(no_dwarf.pid())["preflight"]["findings"][0]["code"],
        "DBG006"
    );
    assert_eq!(
        entry(no_opt.pid())["preflight"]["findings"],
        Value::Array(vec![])
    );
    assert!(n["startedUnix"].as_u64().unwrap() > 1_600_000_000);
    // The JSON carries the table's OPTIMISED and VERDICT columns.
    assert_eq!(n["optimised"], true);
    assert_eq!(entry(no_opt.pid())["optimised"], false);
    assert_eq!(entry(no_opt.pid())["verdict"], "ok");
    assert_eq!(
        entry(no_dwarf.pid())["verdict"],
        "DBG006 no DWARF debug info"
    );
    assert!(list["processes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["binary"]["go"].is_object()));

    let (code, table, _) = run(&["procs", "--go"]);
    assert_eq!(code, 0);
    let row = table
        .lines()
        .find(|l| l.starts_with(&format!("{} ", no_dwarf.pid())))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains("DBG006 no DWARF debug info"), "{row}");
    assert!(table.lines().next().unwrap().starts_with("PID"), "{table}");
    assert!(!table.contains('\x1b'), "no colour in a pipe");

    // With colour the header is bold and each verdict takes its worst finding's colour.
    let (_, coloured, _) = run(&["procs", "--go", "--color", "always"]);
    assert!(coloured.starts_with("\x1b[1mPID\x1b[0m  "), "{coloured}");
    assert!(
        coloured.contains("\x1b[31mDBG006 no DWARF debug info\x1b[0m"),
        "{coloured}"
    );
    assert!(coloured.contains("\x1b[32mok\x1b[0m"), "{coloured}");
}

#[test]
fn attach_dry_run_blocks_a_binary_without_dwarf_with_exit_1() {
    let target = Target::start(&builds().no_dwarf);
    let (code, stdout, _) = attach_dry_run(target.pid(), &[]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("error[DBG006]"), "{stdout}");
    assert!(
        stdout.contains("Delve would say: Warning: no debug info found"),
        "{stdout}"
    );
    assert!(!stdout.contains('\x1b'), "no colour in a pipe");
    let (_, coloured, _) = attach_dry_run(target.pid(), &["--color", "always"]);
    assert!(
        coloured.contains("\x1b[31merror\x1b[0m[DBG006]"),
        "{coloured}"
    );
    assert!(
        coloured.contains(": \x1b[31mcannot be debugged as it is\x1b[0m\n"),
        "{coloured}"
    );
    assert_eq!(tracer_of(target.pid()), 0, "a dry run attaches nothing");
}

#[test]
fn attach_dry_run_of_a_trimpath_build_maps_the_module_to_its_source() {
    let target = Target::start(&builds().trimpath);
    let (code, stdout, stderr) = attach_dry_run(target.pid(), &["--format", "json"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["schemaVersion"], 1);
    assert_eq!(json["command"], "attach");
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(
        findings.len(),
        json["preflight"]["findings"].as_array().unwrap().len()
    );
    for finding in findings {
        assert_eq!(
            finding["subject"],
            serde_json::json!({"kind": "process", "pid": target.pid(), "name": json["process"]["name"]})
        );
    }
    // The fixture runs in its source directory, which holds its go.mod.
    let source = common::debug_fixture::fixture_dir().canonicalize().unwrap();
    assert_eq!(
        json["configurations"]["vscodeGo"]["substitutePath"][0],
        serde_json::json!({"from": source.display().to_string(), "to": "example.com/gordfixture"})
    );
}

#[test]
fn attach_headless_listens_on_loopback_and_detach_leaves_the_target_running() {
    let Some(dlv_dir) = dlv_dir("debug_cli") else {
        return;
    };
    let mut target = Target::start(&builds().no_opt);
    let pid = target.pid();
    let mut attach = Command::new(gord())
        .args(["attach", &pid.to_string(), "--format", "json"])
        .env("PATH", path_with(&dlv_dir))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let line = first_line(&mut attach);
    let started: Value = serde_json::from_str(&line).unwrap_or_else(|e| {
        let mut err = String::new();
        attach
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        panic!("{e}: {line:?} {err}")
    });
    let host = started["server"]["host"].as_str().unwrap();
    let port = started["server"]["port"].as_u64().unwrap() as u16;
    let dlv_pid = started["server"]["dlvPid"].as_u64().unwrap() as u32;
    assert_eq!(host, "127.0.0.1");
    assert_eq!(started["configurations"]["vscodeGo"]["mode"], "remote");
    assert_eq!(started["configurations"]["vscodeGo"]["port"], port);
    assert_eq!(started["configurations"]["gord"]["processId"], pid);
    TcpStream::connect((host, port)).expect("dlv answers on loopback");
    assert_eq!(tracer_of(pid), dlv_pid, "dlv is tracing the target");

    // Closing stdin (the editor going away) detaches.
    drop(attach.stdin.take());
    let status = attach.wait().unwrap();
    assert!(status.success());
    let mut err = String::new();
    attach
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.contains("RPCServer.Detach"), "{err}");
    wait_until("dlv to exit", || !process_exists(dlv_pid));
    assert_eq!(tracer_of(pid), 0);
    std::thread::sleep(Duration::from_millis(300));
    assert!(target.is_running(), "the target must survive the detach");
}

#[test]
fn dlv_dap_accepts_an_attach_request_and_disconnect_leaves_the_target_running() {
    let Some(dlv_dir) = dlv_dir("debug_cli") else {
        return;
    };
    let dlv = dlv_dir.join("dlv");
    let mut target = Target::start(&builds().normal);
    let pid = target.pid();
    let mut server = DlvServer::start(&LaunchOptions::new(&dlv, ServerKind::Dap, pid)).unwrap();
    assert!(server.addr().ip().is_loopback());
    let dlv_pid = server.dlv_pid().unwrap();
    let mut client = DapClient::connect(server.addr(), Duration::from_secs(20)).unwrap();
    client.attach(pid).unwrap();
    assert_eq!(tracer_of(pid), dlv_pid);
    client.disconnect().unwrap();
    wait_until("dlv dap to exit after disconnect", || server.has_exited());
    assert_eq!(tracer_of(pid), 0);
    assert!(server.stop().exited_cleanly);
    std::thread::sleep(Duration::from_millis(300));
    assert!(target.is_running());
}

#[test]
fn stopping_a_dap_server_nobody_used_leaves_no_dlv_behind() {
    let Some(dlv_dir) = dlv_dir("debug_cli") else {
        return;
    };
    let dlv = dlv_dir.join("dlv");
    let target = Target::start(&builds().normal);
    let server =
        DlvServer::start(&LaunchOptions::new(&dlv, ServerKind::Dap, target.pid())).unwrap();
    let dlv_pid = server.dlv_pid().unwrap();
    drop(server);
    assert!(!process_exists(dlv_pid));
}

#[test]
fn attach_refuses_to_listen_beyond_loopback() {
    let target = Target::start(&builds().normal);
    let (code, _, stderr) = run(&[
        "attach",
        &target.pid().to_string(),
        "--listen",
        "0.0.0.0:2345",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("loopback only"), "{stderr}");
    assert_eq!(tracer_of(target.pid()), 0);
}

#[test]
fn bad_input_is_a_clear_error_never_a_panic() {
    let (code, _, stderr) = run(&["attach", "4000000", "--dry-run"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no process with pid 4000000"), "{stderr}");
    let (code, _, stderr) = run(&["attach", "--unit", "-p"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = run(&["attach", "--unit=--help"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is not a unit name"), "{stderr}");
    let readme = repo_root().join("README.md");
    let readme = readme.to_str().unwrap();
    let (code, _, stderr) = run(&["debug", "core", readme, readme]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not an ELF file"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

/// A core dump of a running fixture, written by gdb's gcore (independent of
/// /proc/sys/kernel/core_pattern).
fn gcore(pid: u32, dir: &Path) -> Option<PathBuf> {
    let prefix = dir.join("core");
    let out = Command::new("gcore")
        .arg("-o")
        .arg(&prefix)
        .arg(pid.to_string())
        .output();
    match out {
        Ok(out) if out.status.success() => Some(dir.join(format!("core.{pid}"))),
        Ok(out) => panic!("gcore failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => {
            common::skip(
                "debug_cli core tests",
                "gcore (gdb) is not installed (scripts/install-deps installs it)",
            );
            None
        }
    }
}

#[test]
fn debug_core_matches_its_binary_by_build_id_and_rejects_another() {
    let b = builds();
    let mut target = Target::start(&b.normal);
    let dir = tempfile::tempdir().unwrap();
    let Some(core) = gcore(target.pid(), dir.path()) else {
        return;
    };
    assert!(target.is_running(), "gcore leaves the process running");
    let core = core.to_str().unwrap();
    // `gord debug core BINARY CORE MORE...`
    let debug_core = |binary: &Path, more: &[&str]| {
        let mut args = vec!["debug", "core", binary.to_str().unwrap(), core];
        args.extend_from_slice(more);
        run(&args)
    };

    let (code, stdout, stderr) = debug_core(&b.normal, &["--format", "json"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["match"]["verdict"], "match", "{stdout}");
    assert_eq!(json["configuration"]["type"], "go");
    assert_eq!(json["configuration"]["request"], "launch");
    assert_eq!(json["configuration"]["mode"], "core");
    assert_eq!(json["configuration"]["coreFilePath"], core);
    assert!(json["match"]["process"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["path"].as_str().unwrap().ends_with("/normal")));

    let (code, stdout, _) = debug_core(&b.no_opt, &[]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("does not belong to"), "{stdout}");
    let (_, coloured, _) = debug_core(&b.no_opt, &["--color", "always"]);
    assert!(
        coloured.starts_with("\x1b[31m"),
        "a mismatch is red: {coloured}"
    );

    let (code, _, stderr) = run(&["debug", "core", core, core]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is a core dump, not a program"), "{stderr}");
}
