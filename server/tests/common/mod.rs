//! Helpers shared by the integration tests: workspaces on disk and fake `go`
//! programs for the faults a real toolchain cannot produce on demand.

#![allow(dead_code)]

pub mod debug_fixture;
pub mod editor;
pub mod lsp;
pub mod module_proxy;
pub mod skip;
pub mod wait;

#[allow(unused_imports)] // not every test binary skips
pub use skip::skip;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

pub fn gord() -> &'static str {
    env!("CARGO_BIN_EXE_gord")
}

/// The first line a started child writes to its (piped) stdout; the pipe is
/// closed after it.
pub fn first_line(child: &mut std::process::Child) -> String {
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().expect("stdout piped")),
        &mut line,
    )
    .expect("a line on stdout");
    line
}

/// What a finished command left: its exit code (-1 for a signal) and its
/// output as text.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Runs `command` to the end.
    pub fn of(command: &mut std::process::Command) -> Run {
        let out = command.output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }
}

/// Waits for a started child and returns its exit status with everything
/// it wrote to its (piped) stderr.
pub fn wait_with_stderr(child: &mut std::process::Child) -> (std::process::ExitStatus, String) {
    let status = child.wait().unwrap();
    (status, rest_of_stderr(child))
}

/// Everything a started child writes to its (piped) stderr, up to the
/// pipe's end.
pub fn rest_of_stderr(child: &mut std::process::Child) -> String {
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr piped"), &mut stderr)
        .unwrap();
    stderr
}

/// The element of the JSON array `list` whose `key` is `value` (a check by
/// its id, a finding by its code, a process by its pid); panics naming what
/// is missing.
pub fn entry<'a>(
    list: &'a serde_json::Value,
    key: &str,
    value: impl Into<serde_json::Value>,
) -> &'a serde_json::Value {
    let value = value.into();
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .find(|item| item[key] == value)
        .unwrap_or_else(|| panic!("no {key} {value} in {list}"))
}

/// The string `value` holds; panics showing the value when it is not one.
pub fn str_of(value: &serde_json::Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
}

/// Asserts that `text` contains every one of `parts`; a failure shows the
/// part and the whole text.
pub fn assert_contains_all(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "no {part:?} in:\n{text}");
    }
}

/// The string `key` of every element of the JSON array `list`, in order.
pub fn field_strs<'a>(list: &'a serde_json::Value, key: &str) -> Vec<&'a str> {
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .map(|item| {
            item[key]
                .as_str()
                .unwrap_or_else(|| panic!("no string {key} in {item}"))
        })
        .collect()
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Copies the directory tree `from` to `to` (a fixture the test may edit).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A port on 127.0.0.1 nothing listens on (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An ssh config naming one host, `closed`, on a loopback port nothing
/// listens on: its directory, its path and the port.
pub fn closed_host_config() -> (tempfile::TempDir, PathBuf, u16) {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ssh_config");
    std::fs::write(
        &path,
        format!("Host closed\n  HostName 127.0.0.1\n  Port {port}\n  User nobody\n"),
    )
    .unwrap();
    (dir, path, port)
}

/// A temporary directory holding `files`: each a path in it and its text.
pub fn temp_tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a file in the tree")).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// A temporary Go workspace whose go.mod asks for `go_line`.
pub fn workspace_requiring(go_line: &str) -> tempfile::TempDir {
    temp_tree(&[(
        "go.mod",
        &format!("module example.com/future\n\ngo {go_line}\n"),
    )])
}

/// A directory holding an executable `go` shell script with `body`.
/// Fake: a real toolchain cannot be made to hang or print garbage on demand.
pub fn fake_go(body: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("go");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// The directory of the real `go` on this machine's PATH.
pub fn real_go_dir() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .find(|d| d.join("go").is_file())
        .expect("the tests need a real go on PATH")
}

/// The peak resident set size (VmHWM) of a running process, in KiB: the
/// hostile-input tests hold the sidecar to a budget with it.
pub fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

/// The memory budget every hostile input must stay under (issue #13).
pub const RSS_BUDGET_KIB: u64 = 100 * 1024;

/// Reads `pipe` to its end on a thread of its own, so that a child never
/// blocks on a full pipe; join the handle for the bytes.
pub fn drain(mut pipe: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        pipe.read_to_end(&mut buf).unwrap();
        buf
    })
}

/// Runs `command` to the end and returns its output with its own peak
/// resident set size in KiB (from `wait4`'s rusage, so other children of the
/// test process do not count).
// wait4 below reaps the child; clippy cannot see that.
#[allow(clippy::zombie_processes)]
pub fn output_with_peak_rss(command: &mut std::process::Command) -> (std::process::Output, u64) {
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out_reader = drain(child.stdout.take().unwrap());
    let err_reader = drain(child.stderr.take().unwrap());
    let mut raw_status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `usage` and `raw_status` are valid out-pointers.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut raw_status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4 failed");
    let output = std::process::Output {
        status: std::process::ExitStatus::from_raw(raw_status),
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    };
    (output, usage.ru_maxrss as u64)
}

/// Processes whose environment carries `GORD_TEST_MARKER=marker`, with
/// their names: the gord under test and everything it started, wherever
/// they were reparented. Tests find leftovers with it.
pub fn processes_with(marker: &str) -> Vec<(u32, String)> {
    let needle = format!("GORD_TEST_MARKER={marker}");
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(environ) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        if environ.split(|b| *b == 0).any(|v| v == needle.as_bytes()) {
            let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
            found.push((pid, comm.trim().to_string()));
        }
    }
    found
}

/// A process's command line, its arguments joined by spaces.
pub fn command_line(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
        .unwrap_or_default()
}

/// `$(go env GOPATH)/bin`: where the tests find golangci-lint, gopls and dlv.
pub fn go_tools_dir() -> PathBuf {
    let out = std::process::Command::new("go")
        .args(["env", "GOPATH"])
        .output()
        .unwrap();
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim()).join("bin")
}

/// The directory of the real golangci-lint the tests use.
pub fn golangci_dir() -> PathBuf {
    let dir = go_tools_dir();
    assert!(
        dir.join("golangci-lint").is_file(),
        "the tests need golangci-lint in {} (scripts/install-deps installs it)",
        dir.display()
    );
    dir
}

/// PATH for a gord under test: `first` (if any), the real go, `tools`, then
/// /usr/bin and /bin.
pub fn tools_path(first: Option<&Path>, tools: PathBuf) -> String {
    let mut dirs: Vec<PathBuf> = first.map(Path::to_path_buf).into_iter().collect();
    dirs.extend([
        real_go_dir(),
        tools,
        PathBuf::from("/usr/bin"),
        PathBuf::from("/bin"),
    ]);
    std::env::join_paths(dirs)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Every health check, in report order: the contract of `gord check` and `gord/status`.
pub const ALL_CHECK_IDS: [&str; 22] = [
    "GO001", "GO002", "GO003", "GO004", "GO005", "GO006", "GO010", "GO011", "GO012", "GO013",
    "GO030", "GO047", "GO050", "GO040", "GO046", "GO020", "GO021", "GO022", "SSH000", "SSH040",
    "SSH050", "RMT020",
];
