//! The one place that runs child processes.
//!
//! Every program gord starts goes through [`ProcessRunner`]: argv only (never a
//! shell string), a timeout, cancellation by dropping the future, the whole
//! process group killed on drop, and output capped so a chatty child cannot
//! exhaust memory. Every way of starting a child (run to completion, on the
//! calling thread, streaming, a long-lived server, a stdio bridge) is a
//! method of the trait, so a wrapper such as the untrusted workspace's
//! restricted PATH applies to all of them, and every one is built by
//! [`CommandSpec::build`], the one process builder: the environment
//! (`env_remove` included), the toolchain rule, the session and the
//! parent-death signal, and a debug log line with secrets redacted.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use tokio::io::{AsyncRead, AsyncReadExt};

pub use crate::lifeline::DeathSignal;
use crate::lifeline::ProcessTree;

/// Forks on gord's long-lived spawner thread (see [`crate::lifeline`]).
fn spawn_std(mut command: std::process::Command) -> std::io::Result<std::process::Child> {
    crate::lifeline::spawn_on_lifeline(move || command.spawn())
}

/// The same for a tokio child, registered with the caller's runtime.
fn spawn_tokio(mut command: tokio::process::Command) -> std::io::Result<tokio::process::Child> {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => crate::lifeline::spawn_on_lifeline(move || {
            let _entered = handle.enter();
            command.spawn()
        }),
        Err(_) => command.spawn(),
    }
}

/// A tokio child that, unless it exited normally, has its whole tree
/// killed and is reaped when dropped (tokio's own kill-on-drop can leave
/// the zombie until some later child exits).
struct ReapOnDrop {
    child: Option<tokio::process::Child>,
    /// The tree to kill on drop; None once the child exited normally.
    tree: Option<ProcessTree>,
}

impl ReapOnDrop {
    fn new(child: tokio::process::Child) -> Self {
        let tree = child
            .id()
            .and_then(|id| ProcessTree::adopt(id, DeathSignal::Kill));
        ReapOnDrop {
            tree,
            child: Some(child),
        }
    }

    fn id(&self) -> Option<u32> {
        self.child.as_ref().and_then(tokio::process::Child::id)
    }

    async fn wait(&mut self) -> std::io::Result<std::process::ExitStatus> {
        match self.child.as_mut() {
            Some(child) => child.wait().await,
            None => Err(std::io::Error::other("the child was already reaped")),
        }
    }

    /// The child exited and its pipes ended: killing the tree now could hit
    /// an unrelated group that reused the id.
    fn disarm(&mut self) {
        if let Some(tree) = self.tree.take() {
            tree.release();
        }
    }
}

impl Drop for ReapOnDrop {
    fn drop(&mut self) {
        if let Some(tree) = self.tree.take() {
            tree.kill();
        }
        let Some(mut child) = self.child.take() else {
            return;
        };
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        // The kill was sent; the exit comes within moments. Outside a runtime
        // (or while it shuts down) tokio's kill-on-drop queue takes over.
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                let _ = child.wait().await;
            });
        }
    }
}

/// Default cap on captured stdout and on captured stderr, each.
pub const DEFAULT_OUTPUT_CAP: usize = 4 * 1024 * 1024;

/// What to run. Build it with [`CommandSpec::new`] and the `with_*` methods.
#[derive(Debug, Clone)]
pub struct CommandSpec {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub cwd: Option<PathBuf>,
    /// Variables set on top of the inherited environment.
    pub env: Vec<(OsString, OsString)>,
    /// Variables removed from the inherited environment.
    pub env_remove: Vec<OsString>,
    /// Bytes written to the child's stdin, which is then closed; None: stdin is /dev/null.
    pub stdin: Option<Vec<u8>>,
    pub timeout: Duration,
    pub output_cap: usize,
    /// What the child gets when gord dies (see [`crate::lifeline`]).
    pub death_signal: DeathSignal,
    /// Leave GOTOOLCHAIN as the user has it, for the health checks' `go`
    /// commands, which run in `/` (no go.mod can switch) and report the
    /// user's own value.
    pub user_toolchain: bool,
}

impl CommandSpec {
    /// The error for a child that could not be started, naming its program.
    fn spawn_error(&self, source: std::io::Error) -> ExecError {
        ExecError::Spawn {
            program: self.program.display().to_string(),
            source,
        }
    }

    pub fn new(program: impl Into<PathBuf>) -> Self {
        CommandSpec {
            program: program.into(),
            args: Vec::new(),
            cwd: None,
            env: Vec::new(),
            env_remove: Vec::new(),
            stdin: None,
            timeout: Duration::from_secs(10),
            output_cap: DEFAULT_OUTPUT_CAP,
            death_signal: DeathSignal::Kill,
            user_toolchain: false,
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn cwd(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cwd = Some(dir.into());
        self
    }

    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn env_remove(mut self, key: impl Into<OsString>) -> Self {
        self.env_remove.push(key.into());
        self
    }

    /// Feeds `bytes` to the child's stdin (then closes it) instead of /dev/null.
    pub fn stdin_bytes(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn output_cap(mut self, cap: usize) -> Self {
        self.output_cap = cap;
        self
    }

    pub fn death_signal(mut self, death: DeathSignal) -> Self {
        self.death_signal = death;
        self
    }

    /// Keeps the user's GOTOOLCHAIN; see [`CommandSpec::user_toolchain`].
    pub fn user_toolchain(mut self) -> Self {
        self.user_toolchain = true;
        self
    }

    /// The command to spawn: argv, cwd, environment (with the toolchain
    /// rule), a process group of its own and the parent-death signal.
    /// Stdio is the caller's. Spawn it with [`spawn_std`] or [`spawn_tokio`].
    fn build(&self) -> std::process::Command {
        tracing::debug!(target: "gord::exec", "starting {}", self.log_line());
        let mut command = std::process::Command::new(&self.program);
        // A session (and process group) of its own: set in
        // lifeline::set_death_signal's pre-exec step.
        command.args(&self.args);
        if let Some(dir) = &self.cwd {
            command.current_dir(dir);
        }
        for key in &self.env_remove {
            command.env_remove(key);
        }
        for (key, value) in &self.env {
            command.env(key, value);
        }
        let chosen_here = self.env.iter().any(|(k, _)| k == "GOTOOLCHAIN");
        if !self.user_toolchain && !chosen_here {
            let user = std::env::var_os("GOTOOLCHAIN");
            let allowed = crate::lifeline::toolchain_switch_allowed();
            if let Some(value) = crate::lifeline::toolchain_override(user.as_deref(), allowed) {
                command.env("GOTOOLCHAIN", value);
            }
        }
        crate::lifeline::set_death_signal(&mut command, self.death_signal);
        command
    }

    /// What the debug log says of this command: the argv as [`Self::display`]
    /// gives it, then the working directory and the environment changes,
    /// all with secrets redacted ([`crate::redact::secrets`]).
    pub fn log_line(&self) -> String {
        let mut line = crate::redact::secrets(&self.display());
        if let Some(dir) = &self.cwd {
            line.push_str(&format!(" (in {})", dir.display()));
        }
        for (key, value) in &self.env {
            let pair = format!("{}={}", key.to_string_lossy(), value.to_string_lossy());
            line.push_str(&format!(" [{}]", crate::redact::secrets(&pair)));
        }
        for key in &self.env_remove {
            line.push_str(&format!(" [unset {}]", key.to_string_lossy()));
        }
        line
    }

    /// The command as a user would type it, for messages (quoted where needed).
    pub fn display(&self) -> String {
        let words: Vec<String> = std::iter::once(self.program.as_os_str())
            .chain(self.args.iter().map(|a| a.as_os_str()))
            .map(|part| part.to_string_lossy().into_owned())
            .collect();
        display_argv(words.iter().map(String::as_str))
    }
}

/// argv as a POSIX shell reads it back, for a user to copy: each word plain
/// when nothing in it needs quoting, else `shlex`'s quoting. shlex also
/// quotes `=`, `%`, `,` and `@`, which a shell treats specially only in the
/// first word (`A=b` there is an assignment), so later words keep them plain,
/// as a user types `go env -w GOTOOLCHAIN=auto`. A word with a NUL byte,
/// which no exec can carry, is shown Rust-escaped.
pub(crate) fn display_argv<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    words
        .into_iter()
        .enumerate()
        .map(|(i, word)| quote_word(word, i == 0))
        .collect::<Vec<_>>()
        .join(" ")
}

fn quote_word(word: &str, first: bool) -> String {
    let plain_in_an_argument = |c: char| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c);
    if !first && !word.is_empty() && word.chars().all(plain_in_an_argument) {
        return word.to_string();
    }
    shlex::try_quote(word).map_or_else(|_| format!("{word:?}"), |quoted| quoted.into_owned())
}

/// What a finished child left behind.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// Exit code; `None` when the child was ended by a signal.
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// True when stdout or stderr exceeded the cap and was cut.
    pub truncated: bool,
    pub duration: Duration,
}

impl Output {
    /// An exited child's output: its status, both capped streams (bytes kept,
    /// whether cut), and the time since `started`.
    fn collected(
        status: std::process::ExitStatus,
        (stdout, out_cut): (Vec<u8>, bool),
        (stderr, err_cut): (Vec<u8>, bool),
        started: Instant,
    ) -> Self {
        Output {
            code: status.code(),
            stdout,
            stderr,
            truncated: out_cut || err_cut,
            duration: started.elapsed(),
        }
    }

    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// The most telling line of stderr (else stdout), for one-line messages.
    pub fn first_error_line(&self) -> String {
        let pick = |bytes: &[u8]| {
            String::from_utf8_lossy(bytes)
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(str::to_string)
        };
        pick(&self.stderr)
            .or_else(|| pick(&self.stdout))
            .unwrap_or_default()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    #[error("{program} could not be started: {source}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{command}` did not finish within {} s and was killed", timeout.as_secs_f32())]
    Timeout { command: String, timeout: Duration },
    #[error("reading the output of `{command}` failed: {source}")]
    Io {
        command: String,
        #[source]
        source: std::io::Error,
    },
}

/// Starts child processes, every kind of them. Each method builds the child
/// from `spec` alone, so a wrapper that changes the spec (the restricted
/// PATH of an untrusted workspace) changes it for every kind.
pub trait ProcessRunner: Send + Sync {
    /// Runs `spec` to completion. The future resolves when the child exits;
    /// dropping it kills the child's whole process group.
    fn run(&self, spec: CommandSpec) -> BoxFuture<'_, Result<Output, ExecError>>;

    /// The same on the calling thread, for synchronous callers (ssh_config's
    /// `Match exec` during resolution, `dlv version`).
    fn run_blocking(&self, spec: CommandSpec) -> Result<Output, ExecError>;

    /// A child whose stdout (and stdin, with `with_stdin`) the caller
    /// speaks to; see [`StreamingChild`].
    fn spawn_streaming(
        &self,
        spec: CommandSpec,
        with_stdin: bool,
    ) -> Result<StreamingChild, ExecError>;

    /// A long-running server read line by line; see [`ServerProcess`].
    fn spawn_server(&self, spec: CommandSpec) -> Result<ServerProcess, ExecError>;

    /// A child on one end of a socket pair; see [`StdioBridge`].
    fn spawn_bridge(
        &self,
        spec: CommandSpec,
        socket: crate::platform::socket::Socket,
        stderr_file: std::fs::File,
    ) -> Result<StdioBridge, ExecError>;
}

/// The real runner, on tokio's process support (and plain threads for the
/// blocking and server kinds).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemRunner;

impl ProcessRunner for SystemRunner {
    fn run(&self, spec: CommandSpec) -> BoxFuture<'_, Result<Output, ExecError>> {
        Box::pin(run_child(spec))
    }

    fn run_blocking(&self, spec: CommandSpec) -> Result<Output, ExecError> {
        run_blocking(&spec)
    }

    fn spawn_streaming(
        &self,
        spec: CommandSpec,
        with_stdin: bool,
    ) -> Result<StreamingChild, ExecError> {
        spawn_streaming(&spec, with_stdin)
    }

    fn spawn_server(&self, spec: CommandSpec) -> Result<ServerProcess, ExecError> {
        spawn_server(&spec)
    }

    fn spawn_bridge(
        &self,
        spec: CommandSpec,
        socket: crate::platform::socket::Socket,
        stderr_file: std::fs::File,
    ) -> Result<StdioBridge, ExecError> {
        StdioBridge::spawn(&spec, socket, stderr_file)
    }
}

/// Kills the child's whole tree when dropped, unless disarmed after a normal
/// exit. Cancellation (a dropped future) and timeouts both end up here, so no
/// grandchild outlives the work it was started for.
struct GroupKiller {
    tree: Option<ProcessTree>,
}

impl GroupKiller {
    /// Arms the killer for the tree of the child `pid`; `death` decides
    /// whether it is also killed when gord dies (not dlv's on Unix: it
    /// detaches on its SIGINT).
    fn new(pid: u32, death: DeathSignal) -> Self {
        GroupKiller {
            tree: ProcessTree::adopt(pid, death),
        }
    }

    fn disarm(&mut self) {
        if let Some(tree) = self.tree.take() {
            tree.release();
        }
    }

    /// Kills the tree now (once).
    fn kill(&mut self) {
        if let Some(tree) = self.tree.take() {
            tree.kill();
        }
    }
}

impl Drop for GroupKiller {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Starts `spec` with stdout and stderr piped (stdin too when `with_stdin`,
/// else /dev/null), killed when the handle is dropped.
fn spawn_piped(spec: &CommandSpec, with_stdin: bool) -> Result<tokio::process::Child, ExecError> {
    let mut command = tokio::process::Command::from(spec.build());
    command
        .stdin(if with_stdin {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    spawn_tokio(command).map_err(|source| spec.spawn_error(source))
}

async fn run_child(spec: CommandSpec) -> Result<Output, ExecError> {
    let started = Instant::now();
    let command_text = spec.display();
    let mut child = spawn_piped(&spec, spec.stdin.is_some())?;

    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let stdin = child.stdin.take();
    let mut child = ReapOnDrop::new(child);
    let input = spec.stdin.clone().unwrap_or_default();
    let cap = spec.output_cap;
    let work = async {
        let feed = async move {
            if let Some(mut pipe) = stdin {
                use tokio::io::AsyncWriteExt;
                // A child that exits without reading its input is not an error.
                let _ = pipe.write_all(&input).await;
                let _ = pipe.shutdown().await;
            }
        };
        let (out, err, status, ()) = tokio::join!(
            read_capped(stdout, cap),
            read_capped(stderr, cap),
            child.wait(),
            feed
        );
        (out, err, status)
    };

    let (out, err, status) = match tokio::time::timeout(spec.timeout, work).await {
        Ok(results) => results,
        Err(_) => {
            return Err(ExecError::Timeout {
                command: command_text,
                timeout: spec.timeout,
            })
        }
    };
    let io_error = |source| ExecError::Io {
        command: command_text.clone(),
        source,
    };
    let status = status.map_err(io_error)?;
    let stdout = out.map_err(io_error)?;
    let stderr = err.map_err(io_error)?;
    // The child exited and both pipes reached their end.
    child.disarm();
    Ok(Output::collected(status, stdout, stderr, started))
}

/// A long-running child whose stdin and stdout are one end of a local socket
/// pair ([`crate::platform::socket`]) (ssh's `-W host:port` stdio forward, for ProxyJump). Dropping it kills
/// the child's whole process group, so a cancelled probe leaves nothing behind.
pub struct StdioBridge {
    child: std::process::Child,
    killer: GroupKiller,
}

impl StdioBridge {
    /// Starts `spec.program` with stdin and stdout on `socket` and stderr into
    /// `stderr_file` (the caller reads it for the error text). `spec.timeout`,
    /// `spec.stdin` and `spec.output_cap` do not apply: the caller bounds the
    /// work and drops the bridge.
    #[cfg(unix)]
    fn spawn(
        spec: &CommandSpec,
        socket: crate::platform::socket::Socket,
        stderr_file: std::fs::File,
    ) -> Result<StdioBridge, ExecError> {
        use std::os::fd::OwnedFd;
        let spawn_error = |source| spec.spawn_error(source);
        let for_stdout = socket.try_clone().map_err(spawn_error)?;
        let mut command = spec.build();
        command
            .stdin(Stdio::from(OwnedFd::from(socket)))
            .stdout(Stdio::from(OwnedFd::from(for_stdout)))
            .stderr(Stdio::from(stderr_file));
        let child = spawn_std(command).map_err(spawn_error)?;
        let killer = GroupKiller::new(child.id(), spec.death_signal);
        Ok(StdioBridge { child, killer })
    }

    /// Windows: the child's stdin and stdout are pipes, and two threads
    /// relay them to and from `socket` (a socket cannot be a child's stdio
    /// there). Each thread ends when its source ends or the child dies.
    #[cfg(windows)]
    fn spawn(
        spec: &CommandSpec,
        socket: crate::platform::socket::Socket,
        stderr_file: std::fs::File,
    ) -> Result<StdioBridge, ExecError> {
        let spawn_error = |source| spec.spawn_error(source);
        let mut from_socket = socket.try_clone().map_err(spawn_error)?;
        let mut to_socket = socket;
        let mut command = spec.build();
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(stderr_file));
        let mut child = spawn_std(command).map_err(spawn_error)?;
        let killer = GroupKiller::new(child.id(), spec.death_signal);
        if let Some(mut stdin) = child.stdin.take() {
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut from_socket, &mut stdin);
            });
        }
        if let Some(mut stdout) = child.stdout.take() {
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut stdout, &mut to_socket);
                let _ = to_socket.shutdown(std::net::Shutdown::Both);
            });
        }
        Ok(StdioBridge { child, killer })
    }
}

impl Drop for StdioBridge {
    fn drop(&mut self) {
        // Kill first (the group, so a ProxyJump chain's own ssh children go
        // too), then reap, so no zombie stays behind.
        self.killer.kill();
        let _ = self.child.wait();
    }
}

/// Reads a stream to its end, keeping at most `cap` bytes; the rest is drained
/// and dropped so the child never blocks on a full pipe.
async fn read_capped<R: AsyncRead + Unpin>(
    stream: Option<R>,
    cap: usize,
) -> std::io::Result<(Vec<u8>, bool)> {
    let mut kept = Capped::new(cap);
    if let Some(mut stream) = stream {
        let mut chunk = [0u8; 8192];
        loop {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            kept.push(&chunk[..n]);
        }
    }
    Ok(kept.finish())
}

/// The first `cap` bytes of a stream, and whether more came.
struct Capped {
    cap: usize,
    kept: Vec<u8>,
    truncated: bool,
}

impl Capped {
    fn new(cap: usize) -> Self {
        Self {
            cap,
            kept: Vec::new(),
            truncated: false,
        }
    }

    /// Keeps what fits of `chunk` under the cap; drops the rest.
    fn push(&mut self, chunk: &[u8]) {
        let room = self.cap.saturating_sub(self.kept.len());
        self.truncated |= chunk.len() > room;
        self.kept
            .extend_from_slice(chunk.get(..chunk.len().min(room)).unwrap_or_default());
    }

    fn finish(self) -> (Vec<u8>, bool) {
        (self.kept, self.truncated)
    }
}

/// A child whose stdout the caller reads as it comes (and whose stdin it may
/// write), for long jobs that report progress or speak a protocol (a headless
/// gopls). Same guarantees as [`SystemRunner`]: argv only, a process group of
/// its own, killed with its whole group when this value is dropped, stderr
/// capped. The caller owns the time limit: wrap the work in
/// `tokio::time::timeout` or a cancellation `select!`, and dropping this
/// value ends the group.
pub struct StreamingChild {
    child: ReapOnDrop,
    command: String,
    started: Instant,
    /// The child's stdin when asked for, else closed.
    pub stdin: Option<tokio::process::ChildStdin>,
    /// The child's stdout, to be read by the caller until its end.
    pub stdout: Option<tokio::process::ChildStdout>,
    stderr: Option<CappedReader>,
}

/// A task reading a stream to its end: the kept bytes and whether any were cut.
type CappedReader = tokio::task::JoinHandle<std::io::Result<(Vec<u8>, bool)>>;

/// Starts `spec` with stdout piped to the caller (and stdin too when
/// `with_stdin`). `spec.timeout` is not applied here; see [`StreamingChild`].
/// Reached through [`ProcessRunner::spawn_streaming`].
fn spawn_streaming(spec: &CommandSpec, with_stdin: bool) -> Result<StreamingChild, ExecError> {
    let mut child = spawn_piped(spec, with_stdin)?;
    let cap = spec.output_cap;
    let stderr = child.stderr.take();
    Ok(StreamingChild {
        stdin: child.stdin.take(),
        stdout: child.stdout.take(),
        stderr: Some(tokio::spawn(read_capped(stderr, cap))),
        child: ReapOnDrop::new(child),
        command: spec.display(),
        started: Instant::now(),
    })
}

impl StreamingChild {
    /// The child's process id (also its process group id).
    pub fn id(&self) -> Option<u32> {
        self.child.id()
    }

    /// Waits for the child to exit and collects its stderr. Read stdout to its
    /// end first (or drop it): the returned `Output` has no stdout.
    pub async fn wait(mut self) -> Result<Output, ExecError> {
        drop(self.stdin.take());
        let io_error = |source| ExecError::Io {
            command: self.command.clone(),
            source,
        };
        let status = self.child.wait().await.map_err(io_error)?;
        let (stderr, truncated) = match self.stderr.take() {
            Some(task) => task
                .await
                .unwrap_or_else(|_| Ok((Vec::new(), false)))
                .map_err(io_error)?,
            None => (Vec::new(), false),
        };
        self.child.disarm();
        Ok(Output {
            code: status.code(),
            stdout: Vec::new(),
            stderr,
            truncated,
            duration: self.started.elapsed(),
        })
    }
}

impl Drop for StreamingChild {
    fn drop(&mut self) {
        if let Some(task) = self.stderr.take() {
            task.abort();
        }
    }
}

/// Starts `spec` on a std process with stdout and stderr piped, stdin from
/// /dev/null.
fn spawn_std_piped(spec: &CommandSpec) -> Result<std::process::Child, ExecError> {
    let mut command = spec.build();
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    spawn_std(command).map_err(|source| spec.spawn_error(source))
}

/// Runs a child to completion on the calling thread, for synchronous callers
/// (reached through [`ProcessRunner::run_blocking`]). Same guarantees as
/// [`SystemRunner`]: argv only, timeout, whole group killed, output capped.
fn run_blocking(spec: &CommandSpec) -> Result<Output, ExecError> {
    use std::io::Read;

    let started = Instant::now();
    let command_text = spec.display();
    let mut child = spawn_std_piped(spec)?;
    let mut killer = GroupKiller::new(child.id(), spec.death_signal);
    let cap = spec.output_cap;
    let reader = |stream: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || -> std::io::Result<(Vec<u8>, bool)> {
            let mut kept = Capped::new(cap);
            if let Some(mut stream) = stream {
                let mut chunk = [0u8; 8192];
                loop {
                    let n = stream.read(&mut chunk)?;
                    if n == 0 {
                        break;
                    }
                    kept.push(&chunk[..n]);
                }
            }
            Ok(kept.finish())
        })
    };
    let out = reader(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let err = reader(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let io_error = |source| ExecError::Io {
        command: command_text.clone(),
        source,
    };
    let status = loop {
        if let Some(status) = child.try_wait().map_err(io_error)? {
            break status;
        }
        if started.elapsed() >= spec.timeout {
            drop(killer);
            let _ = child.wait();
            return Err(ExecError::Timeout {
                command: command_text,
                timeout: spec.timeout,
            });
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let joined = |handle: std::thread::JoinHandle<std::io::Result<(Vec<u8>, bool)>>| {
        handle
            .join()
            .unwrap_or_else(|_| Ok((Vec::new(), false)))
            .map_err(io_error)
    };
    let stdout = joined(out)?;
    let stderr = joined(err)?;
    killer.disarm();
    Ok(Output::collected(status, stdout, stderr, started))
}

/// A long-running child, such as a debugger server: argv only, stdin closed,
/// a process group of its own, stdout delivered line by line and stderr kept
/// (both capped). Dropping it kills the whole group, so no server outlives the
/// gord that started it.
pub struct ServerProcess {
    child: std::process::Child,
    killer: GroupKiller,
    lines: std::sync::mpsc::Receiver<String>,
    stderr: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    command: String,
    exited: bool,
}

/// Most stdout lines a server may queue before the rest are drained and dropped.
const MAX_SERVER_LINES: usize = 10_000;

/// Starts a long-running child; see [`ServerProcess`]. Reached through
/// [`ProcessRunner::spawn_server`].
fn spawn_server(spec: &CommandSpec) -> Result<ServerProcess, ExecError> {
    use std::io::{BufRead, Read};

    let command_text = spec.display();
    let mut child = spawn_std_piped(spec)?;
    let killer = GroupKiller::new(child.id(), spec.death_signal);
    let (sender, lines) = std::sync::mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        std::thread::spawn(move || {
            let mut sent = 0;
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sent < MAX_SERVER_LINES && sender.send(line).is_ok() {
                    sent += 1;
                }
            }
        });
    }
    let stderr = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    if let Some(mut stream) = child.stderr.take() {
        let kept = std::sync::Arc::clone(&stderr);
        let cap = spec.output_cap;
        std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            while let Ok(n) = stream.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                if let Ok(mut kept) = kept.lock() {
                    let room = cap.saturating_sub(kept.len());
                    kept.extend_from_slice(&chunk[..n.min(room)]);
                }
            }
        });
    }
    Ok(ServerProcess {
        child,
        killer,
        lines,
        stderr,
        command: command_text,
        exited: false,
    })
}

impl ServerProcess {
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The command as a user would type it.
    pub fn command(&self) -> &str {
        &self.command
    }

    /// The next line of stdout; `None` when none came within `timeout` or
    /// stdout closed.
    pub fn next_line(&self, timeout: Duration) -> Option<String> {
        self.lines.recv_timeout(timeout).ok()
    }

    pub fn stderr_text(&self) -> String {
        self.stderr
            .lock()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    /// Whether the child has exited (and is reaped); its exit code if known.
    pub fn try_exit(&mut self) -> Option<Option<i32>> {
        match self.child.try_wait() {
            Ok(Some(status)) => {
                self.mark_exited();
                Some(status.code())
            }
            Ok(None) => None,
            Err(_) => {
                self.mark_exited();
                Some(None)
            }
        }
    }

    /// Waits up to `timeout` for the child to exit by itself.
    pub fn wait_exit(&mut self, timeout: Duration) -> bool {
        let started = Instant::now();
        loop {
            if self.try_exit().is_some() {
                return true;
            }
            if started.elapsed() >= timeout {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// SIGTERM to the child, `grace` to exit, then SIGKILL to its whole
    /// group (Windows: no SIGTERM, the job is killed at once).
    pub fn terminate(&mut self, grace: Duration) {
        if self.exited {
            return;
        }
        // The child is not reaped yet, so the pid is still ours.
        if !crate::lifeline::ask_to_stop(self.child.id()) || !self.wait_exit(grace) {
            self.kill();
        }
    }

    /// SIGKILL to the whole group, then reap the child.
    pub fn kill(&mut self) {
        self.killer.kill();
        let _ = self.child.wait();
        self.exited = true;
    }

    fn mark_exited(&mut self) {
        self.exited = true;
        // The group id may be reused now that the child is reaped.
        self.killer.disarm();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if !self.exited {
            self.kill();
        }
    }
}

/// Test support shared by the tests of every runner.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// Starts `spec()` with each of `runner`'s spawn kinds and returns the
    /// first line each child printed, named by kind.
    pub(crate) async fn first_line_of_every_kind(
        runner: &dyn ProcessRunner,
        spec: impl Fn() -> CommandSpec,
    ) -> Vec<(&'static str, String)> {
        use std::io::BufRead;
        use tokio::io::AsyncBufReadExt;
        let first = |text: &str| text.lines().next().unwrap_or_default().to_string();
        let wait = Duration::from_secs(5);
        let ran = runner.run(spec()).await.unwrap();
        let blocking = runner.run_blocking(spec()).unwrap();
        let mut streaming = runner.spawn_streaming(spec(), false).unwrap();
        let stdout = streaming.stdout.take().unwrap();
        let streamed = tokio::io::BufReader::new(stdout)
            .lines()
            .next_line()
            .await
            .unwrap()
            .unwrap_or_default();
        let server = runner.spawn_server(spec()).unwrap();
        let (mine, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
        let _bridge = runner
            .spawn_bridge(spec(), theirs, tempfile::tempfile().unwrap())
            .unwrap();
        mine.set_read_timeout(Some(wait)).unwrap();
        let mut bridged = String::new();
        std::io::BufReader::new(mine)
            .read_line(&mut bridged)
            .unwrap();
        vec![
            ("run", first(&ran.stdout_text())),
            ("run_blocking", first(&blocking.stdout_text())),
            ("spawn_streaming", streamed),
            ("spawn_server", server.next_line(wait).unwrap_or_default()),
            ("spawn_bridge", first(&bridged)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_blocking_captures_and_times_out_like_the_async_runner() {
        let out = SystemRunner
            .run_blocking(CommandSpec::new("/bin/sh").args(["-c", "echo hi; exit 4"]))
            .unwrap();
        assert_eq!((out.code, out.stdout_text().as_str()), (Some(4), "hi\n"));
        let started = Instant::now();
        let err = SystemRunner
            .run_blocking(
                CommandSpec::new("/bin/sh")
                    .args(["-c", "sleep 30"])
                    .timeout(Duration::from_millis(200)),
            )
            .unwrap_err();
        assert!(matches!(err, ExecError::Timeout { .. }));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    fn sh(script: &str) -> CommandSpec {
        CommandSpec::new("/bin/sh").arg("-c").arg(script)
    }

    #[tokio::test]
    async fn captures_exit_code_stdout_and_stderr() {
        let out = SystemRunner
            .run(sh("echo out; echo err >&2; exit 3"))
            .await
            .unwrap();
        assert_eq!(out.code, Some(3));
        assert_eq!(out.stdout_text(), "out\n");
        assert_eq!(out.stderr_text(), "err\n");
        assert!(!out.truncated);
    }

    #[tokio::test]
    async fn arguments_are_passed_verbatim_never_through_a_shell() {
        let out = SystemRunner
            .run(
                CommandSpec::new("/bin/echo")
                    .arg("$(id); rm -rf ~")
                    .arg("a b"),
            )
            .await
            .unwrap();
        assert_eq!(out.stdout_text(), "$(id); rm -rf ~ a b\n");
    }

    #[tokio::test]
    async fn times_out_and_kills_the_whole_process_group() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("grandchild-survived");
        // The grandchild would create the marker after 2 s if it survived.
        let script = format!("(sleep 2; touch '{}') & sleep 30", marker.display());
        let err = SystemRunner
            .run(sh(&script).timeout(Duration::from_millis(300)))
            .await
            .unwrap_err();
        assert!(matches!(err, ExecError::Timeout { .. }), "{err}");
        assert!(err.to_string().contains("did not finish within 0.3 s"));
        tokio::time::sleep(Duration::from_millis(2500)).await;
        assert!(!marker.exists(), "a grandchild outlived the timeout");
    }

    /// Not a test: the test binary plays the processes of
    /// [`a_timed_out_commands_grandchild_is_gone_on_every_system`] (no
    /// shell, so it runs the same on Windows, under Wine too). As
    /// `parent` it starts itself as `grandchild` (a plain std child, which
    /// stays in the parent's session or job) and waits; as `eager-parent`
    /// it does the same as its very first action, before anything else
    /// could run (on Windows, before a child assigned to its job after it
    /// started would be in it). The grandchild writes `started`, then
    /// `finished` after 6 s, in GORD_EXEC_HELPER_DIR.
    #[test]
    #[ignore = "a helper process, started by the runner tests"]
    fn helper_process() {
        let dir = std::env::var_os("GORD_EXEC_HELPER_DIR").map(PathBuf::from);
        let start_grandchild = || {
            std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "exec::tests::helper_process", "--ignored"])
                .env("GORD_EXEC_HELPER", "grandchild")
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        };
        match (std::env::var("GORD_EXEC_HELPER").as_deref(), dir) {
            (Ok("eager-parent"), Some(_)) => {
                let mut grandchild = start_grandchild();
                std::thread::sleep(Duration::from_secs(60));
                let _ = grandchild.wait();
            }
            (Ok("parent"), Some(dir)) => {
                let mut grandchild = start_grandchild();
                while !dir.join("started").exists() {
                    std::thread::sleep(Duration::from_millis(20));
                }
                std::thread::sleep(Duration::from_secs(60));
                let _ = grandchild.wait();
            }
            (Ok("grandchild"), Some(dir)) => {
                std::fs::write(dir.join("started"), "").unwrap();
                std::thread::sleep(Duration::from_secs(6));
                std::fs::write(dir.join("finished"), "").unwrap();
            }
            _ => {}
        }
    }

    /// Runs the helper as `parent_mode` with a 3 s timeout and asserts that
    /// its grandchild ran and did not outlive the timeout.
    async fn assert_grandchild_dies_with_the_timeout(parent_mode: &str) {
        let dir = tempfile::tempdir().unwrap();
        let spec = CommandSpec::new(std::env::current_exe().unwrap())
            .args(["--exact", "exec::tests::helper_process", "--ignored"])
            .env("GORD_EXEC_HELPER", parent_mode)
            .env("GORD_EXEC_HELPER_DIR", dir.path())
            .timeout(Duration::from_secs(3));
        let err = SystemRunner.run(spec).await.unwrap_err();
        assert!(matches!(err, ExecError::Timeout { .. }), "{err}");
        assert!(
            dir.path().join("started").exists(),
            "the grandchild never ran, so its end proves nothing"
        );
        // The grandchild started before the timeout, so it would have
        // finished by now.
        tokio::time::sleep(Duration::from_millis(6500)).await;
        assert!(
            !dir.path().join("finished").exists(),
            "the grandchild outlived the timeout"
        );
    }

    #[tokio::test]
    async fn a_timed_out_commands_grandchild_is_gone_on_every_system() {
        // Linux and macOS: the session is killed; Windows: the Job Object.
        assert_grandchild_dies_with_the_timeout("parent").await;
    }

    #[tokio::test]
    async fn a_grandchild_started_in_the_childs_first_instructions_is_in_its_tree() {
        // Linux and macOS: the session exists before exec; Windows: the child
        // is created suspended and runs only once it is in its job.
        assert_grandchild_dies_with_the_timeout("eager-parent").await;
    }

    #[tokio::test]
    async fn dropping_the_future_cancels_the_child() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("finished");
        let script = format!("sleep 1; touch '{}'", marker.display());
        let runner = SystemRunner;
        let fut = runner.run(sh(&script).timeout(Duration::from_secs(30)));
        let _ = tokio::time::timeout(Duration::from_millis(200), fut).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(!marker.exists(), "the cancelled child ran to completion");
    }

    #[tokio::test]
    async fn output_beyond_the_cap_is_cut_and_flagged() {
        let out = SystemRunner
            .run(sh("head -c 100000 /dev/zero").output_cap(1000))
            .await
            .unwrap();
        assert_eq!(out.stdout.len(), 1000);
        assert!(out.truncated);
        assert!(out.success());
    }

    #[tokio::test]
    async fn a_missing_program_is_a_spawn_error_naming_it() {
        let err = SystemRunner
            .run(CommandSpec::new("/nonexistent/gord-test-binary"))
            .await
            .unwrap_err();
        assert!(matches!(err, ExecError::Spawn { .. }));
        assert!(err.to_string().contains("/nonexistent/gord-test-binary"));
    }

    #[tokio::test]
    async fn a_streaming_child_hands_over_lines_as_they_come() {
        use tokio::io::AsyncBufReadExt;
        let mut child = SystemRunner
            .spawn_streaming(sh("echo one; sleep 0.2; echo two; echo err >&2"), false)
            .unwrap();
        let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("one"));
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("two"));
        assert_eq!(lines.next_line().await.unwrap(), None);
        let out = child.wait().await.unwrap();
        assert_eq!((out.code, out.stderr_text().as_str()), (Some(0), "err\n"));
    }

    #[tokio::test]
    async fn dropping_a_streaming_child_kills_its_whole_group() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("grandchild-survived");
        let script = format!("(sleep 1; touch '{}') & sleep 30", marker.display());
        let child = SystemRunner.spawn_streaming(sh(&script), true).unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        drop(child);
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(!marker.exists(), "a grandchild outlived the dropped child");
    }

    #[tokio::test]
    async fn stdin_bytes_reach_the_child_and_removed_variables_do_not() {
        std::env::set_var("GORD_EXEC_TEST_REMOVED", "present");
        let out = SystemRunner
            .run(
                sh("cat; echo \"[${GORD_EXEC_TEST_REMOVED:-unset}]\"")
                    .stdin_bytes("fed\n")
                    .env_remove("GORD_EXEC_TEST_REMOVED"),
            )
            .await
            .unwrap();
        assert_eq!(out.stdout_text(), "fed\n[unset]\n");
    }

    #[test]
    fn a_dropped_stdio_bridge_kills_its_child() {
        use std::io::{Read, Write};
        let (mine, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
        let log = tempfile::tempfile().unwrap();
        let bridge = SystemRunner
            .spawn_bridge(CommandSpec::new("/bin/cat"), theirs, log)
            .unwrap();
        let mut mine = mine;
        mine.write_all(b"echo").unwrap();
        let mut back = [0u8; 4];
        mine.read_exact(&mut back).unwrap();
        assert_eq!(&back, b"echo");
        drop(bridge);
        let mut rest = Vec::new();
        mine.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        assert_eq!(mine.read_to_end(&mut rest).unwrap(), 0, "cat still answers");
    }

    #[test]
    fn display_quotes_only_what_needs_quoting() {
        let spec = CommandSpec::new("go").args(["env", "-json", "a b", "it's", "$HOME", ""]);
        assert_eq!(spec.display(), r#"go env -json 'a b' "it's" '$HOME' ''"#);
        let spec = CommandSpec::new("go").args(["install", "golang.org/x/tools/gopls@v0.23.0"]);
        assert_eq!(
            spec.display(),
            "go install golang.org/x/tools/gopls@v0.23.0"
        );
        assert_eq!(display_argv(["echo", "a\0b"]), r#"echo "a\0b""#);
    }

    #[test]
    fn display_keeps_an_assignment_plain_after_the_first_word_only() {
        let spec = CommandSpec::new("go").args(["env", "-w", "GOTOOLCHAIN=auto", "a,b%c@d"]);
        assert_eq!(spec.display(), "go env -w GOTOOLCHAIN=auto a,b%c@d");
        assert_eq!(display_argv(["A=b", "x"]), "'A=b' x");
        assert_eq!(
            display_argv(["ls", "~", "*.go", "$(x)"]),
            "ls '~' '*.go' '$(x)'"
        );
    }

    #[test]
    fn a_server_process_gives_its_lines_and_dies_with_its_group_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("grandchild-survived");
        let script = format!(
            "echo ready; (sleep 2; touch '{}') & sleep 30",
            marker.display()
        );
        let server = SystemRunner.spawn_server(sh(&script)).unwrap();
        assert_eq!(
            server.next_line(Duration::from_secs(5)).as_deref(),
            Some("ready")
        );
        drop(server);
        std::thread::sleep(Duration::from_millis(2500));
        assert!(!marker.exists(), "a grandchild outlived the server");
    }

    #[test]
    fn terminate_sends_sigterm_first() {
        let mut server = SystemRunner
            .spawn_server(sh(
                "trap 'echo bye; exit 0' TERM; echo up; while :; do sleep 0.05; done",
            ))
            .unwrap();
        assert_eq!(
            server.next_line(Duration::from_secs(5)).as_deref(),
            Some("up")
        );
        server.terminate(Duration::from_secs(5));
        assert_eq!(
            server.next_line(Duration::from_secs(5)).as_deref(),
            Some("bye")
        );
        assert!(server.try_exit().is_some());
    }

    #[tokio::test]
    async fn every_kind_of_child_honours_env_remove() {
        const REMOVED: &str = "GORD_EXEC_TEST_REMOVED_EVERYWHERE";
        std::env::set_var(REMOVED, "present");
        let spec = || sh(&format!("echo \"[${{{REMOVED}:-unset}}]\"")).env_remove(REMOVED);
        for (kind, line) in testing::first_line_of_every_kind(&SystemRunner, spec).await {
            assert_eq!(line, "[unset]", "{kind}");
        }
    }

    #[test]
    fn the_log_line_shows_argv_cwd_and_environment_with_secrets_redacted() {
        let spec = CommandSpec::new("git")
            .args(["clone", "https://alice:hunter2@git.corp/r.git"])
            .cwd("/tmp")
            .env("GOPROXY", "https://tok3n@proxy.corp")
            .env("GITHUB_TOKEN", "ghp_secretvalue")
            .env_remove("GOFLAGS");
        let line = spec.log_line();
        assert_eq!(
            line,
            "git clone https://***@git.corp/r.git (in /tmp) [GOPROXY=https://***@proxy.corp] \
             [GITHUB_TOKEN=***] [unset GOFLAGS]"
        );
    }
}
