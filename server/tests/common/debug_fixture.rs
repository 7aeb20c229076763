//! The Go HTTP server in tests/fixtures/debug, built with the real toolchain
//! for the debugger tests.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The fixture's source directory.
pub fn fixture_dir() -> PathBuf {
    super::repo_root()
        .join("tests/fixtures/debug")
        .canonicalize()
        .unwrap()
}

/// The fixture built four ways, once per test run: as `go build` makes it,
/// without DWARF (`-ldflags=-w -s`), without optimisations
/// (`-gcflags=all=-N -l`) and with `-trimpath`.
pub struct Builds {
    pub normal: PathBuf,
    pub no_dwarf: PathBuf,
    pub no_opt: PathBuf,
    pub trimpath: PathBuf,
}

pub fn builds() -> &'static Builds {
    static BUILDS: std::sync::OnceLock<Builds> = std::sync::OnceLock::new();
    BUILDS.get_or_init(|| {
        let build = |name: &str, flags: &[&str]| build("debug-fixtures", name, flags);
        Builds {
            normal: build("normal", &[]),
            no_dwarf: build("no-dwarf", &["-ldflags=-w -s"]),
            no_opt: build("no-opt", &["-gcflags=all=-N -l"]),
            trimpath: build("trimpath", &["-trimpath"]),
        }
    })
}

/// Polls `done` every 50 ms; fails the test after 20 s, naming `what`.
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = std::time::Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "timed out waiting: {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Builds the fixture with `go build <flags>` into `<target tmp>/<group>/<name>`.
pub fn build(group: &str, name: &str, flags: &[&str]) -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(group);
    std::fs::create_dir_all(&out).unwrap();
    let target = out.join(name);
    let status = Command::new("go")
        .args(["build", "-buildvcs=false"])
        .args(flags)
        .arg("-o")
        .arg(&target)
        .arg(".")
        .current_dir(fixture_dir())
        .status()
        .expect("the debugger tests need a real go on PATH");
    assert!(status.success(), "go build {flags:?} failed");
    target
}

/// A started fixture (an HTTP server on 127.0.0.1), killed and reaped when
/// dropped.
pub struct Target {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Target {
    pub fn start(program: &Path) -> Target {
        Self::start_with(Command::new(program))
    }

    /// Starts `command` in the fixture's directory and waits until the Go
    /// runtime is up and listening (its first line names the address).
    pub fn start_with(mut command: Command) -> Target {
        let mut child = command
            .current_dir(fixture_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let line = super::first_line(&mut child);
        let addr = line
            .trim()
            .strip_prefix("listening ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .parse()
            .unwrap();
        Target { child, addr }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// GET /path; the response body.
    pub fn get(&self, path: &str) -> std::io::Result<String> {
        http_get(self.addr, path)
    }

    /// Not exited, and not a zombie.
    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none() && process_exists(self.pid())
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GET /path from `addr`; the response body.
pub fn http_get(addr: SocketAddr, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or(response))
}

/// A field of /proc/PID/status, trimmed.
pub fn status_field(pid: u32, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .map(|v| v.trim().to_string())
}

/// The process exists and is not a zombie.
pub fn process_exists(pid: u32) -> bool {
    status_field(pid, "State:").is_some_and(|s| !s.starts_with('Z'))
}

/// The process tracing `pid`, 0 if none. TracerPid names the tracing thread,
/// so it is mapped to that thread's process (Tgid).
pub fn tracer_of(pid: u32) -> u32 {
    let tracer: u32 = status_field(pid, "TracerPid:")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if tracer == 0 {
        return 0;
    }
    status_field(tracer, "Tgid:")
        .and_then(|v| v.parse().ok())
        .unwrap_or(tracer)
}

/// dlv's directory: PATH, else `go env GOPATH`/bin; None (recorded as a
/// skip of `test`) when it is not installed.
pub fn dlv_dir(test: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .and_then(|p| std::env::split_paths(&p).find(|d| d.join("dlv").is_file()));
    let found = on_path.or_else(|| {
        let out = Command::new("go").args(["env", "GOPATH"]).output().ok()?;
        let dir = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim()).join("bin");
        dir.join("dlv").is_file().then_some(dir)
    });
    if found.is_none() {
        super::skip(
            test,
            "dlv is not installed (scripts/install-deps installs it)",
        );
    }
    found
}

/// PATH with `dir` (dlv's) in front, so the gord under test finds it too.
pub fn path_with(dir: &Path) -> String {
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}
