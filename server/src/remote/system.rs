//! The remote checks that go through the system `ssh`, with the user's own
//! config, so ControlMaster, ProxyJump, ProxyCommand, certificates and the
//! agent behave exactly as they do for Remote-SSH. Every run is argv through
//! `exec`, BatchMode, stdin closed (or the fixed script), bounded.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::connect::{parse_landing, Landing};
use super::model::{ControlFacts, Forwarding};
use super::probe::classify_forwarding;
use super::script::{parse_facts, RemoteFacts, REMOTE_SCRIPT};
use super::target::Target;
use super::SshClient;
use crate::exec::{ExecError, Output, ServerProcess};

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// ssh's last meaningful stderr line (it ends with the reason).
pub fn ssh_error_text(out: &Output) -> String {
    let text = out.stderr_text();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("Warning: Permanently added"))
        .collect();
    match lines.as_slice() {
        [] => format!("ssh exited with {:?}", out.code),
        many => many.join("; "),
    }
}

/// `ssh [base args] EXTRA -- HOST`: what every run here starts with.
fn host_args(client: &SshClient, host: &str, extra: &[&str], step: Duration) -> Vec<OsString> {
    let mut args = client.base_args(step);
    args.extend(extra.iter().map(Into::into));
    args.push("--".into());
    args.push(host.into());
    args
}

async fn run(
    client: &SshClient,
    host: &str,
    extra: &[&str],
    step: Duration,
    total: Duration,
) -> Result<Output, ExecError> {
    let args = host_args(client, host, extra, step);
    client.runner.run(client.spec(args, total)).await
}

/// The longest Unix socket path: `sun_path` is 108 bytes on Linux and 104
/// on the BSDs and macOS; ssh adds a 17-byte suffix while it sets up.
pub const MAX_SOCKET_PATH: usize = 104 - 18;

/// Where gord's masters live: see [`super::control_dir::make`].
pub fn control_dir() -> std::io::Result<tempfile::TempDir> {
    super::control_dir::make()
}

/// One master connection per host (`ssh -M -N`, gord's child, killed with
/// the run): every later ssh run for the host is a session over it, so a
/// host costs the probe's handshake and this one. gord's own ControlPath
/// overrides the user's for these runs: the check sees a fresh connection
/// (a live master of the user's would hide what a new one meets), and no
/// master of gord's outlives the check at a path the user's ssh would use.
pub struct Master {
    /// gord's control directory (from [`control_dir`]). Fields drop in
    /// order: the directory goes before the process is killed, so a gord
    /// killed in between (an editor ending `gord serve` right after a
    /// cancel) leaves no directory behind; the process dies with gord.
    _dir: tempfile::TempDir,
    process: ServerProcess,
    socket: PathBuf,
    /// From starting ssh to its socket being ready (logged in).
    pub login: Duration,
}

/// `-o ControlMaster=no -o ControlPath=SOCKET`: a session over the master.
fn over(socket: &Path) -> [OsString; 4] {
    let mut path = OsString::from("ControlPath=");
    path.push(socket.as_os_str());
    ["-o".into(), "ControlMaster=no".into(), "-o".into(), path]
}

impl Master {
    /// Starts the master in `dir` (which it owns from now on) and waits (up
    /// to `limit`) until it is logged in; Err: ssh's own words.
    pub async fn start(
        client: &SshClient,
        target: &Target,
        dir: tempfile::TempDir,
        step: Duration,
        limit: Duration,
    ) -> Result<Master, String> {
        let socket = dir.path().join(super::control_dir::SOCKET);
        if socket.as_os_str().len() > MAX_SOCKET_PATH {
            return Err(format!(
                "the control socket path {} is too long for a Unix socket",
                socket.display()
            ));
        }
        let mut path = OsString::from("ControlPath=");
        path.push(socket.as_os_str());
        let mut args = client.base_args(step);
        args.extend(
            [
                "-o",
                "ControlMaster=yes",
                "-o",
                "ControlPersist=no",
                "-o",
                "ClearAllForwardings=yes",
                "-o",
                "RemoteCommand=none",
                "-o",
            ]
            .map(OsString::from),
        );
        args.push(path);
        args.extend(["-N", "-T", "--"].map(OsString::from));
        args.push(target.alias.as_str().into());
        let started = Instant::now();
        let process = client
            .runner
            .spawn_server(client.spec(args, limit))
            .map_err(|e| e.to_string())?;
        let mut master = Master {
            _dir: dir,
            process,
            socket,
            login: Duration::ZERO,
        };
        loop {
            if master.socket.exists() {
                master.login = started.elapsed();
                return Ok(master);
            }
            if master.process.try_exit().is_some() {
                let text = master.process.stderr_text();
                let said: Vec<&str> = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with("Warning: Permanently added"))
                    .collect();
                return Err(if said.is_empty() {
                    String::from("ssh exited before it logged in")
                } else {
                    said.join("; ")
                });
            }
            if started.elapsed() >= limit {
                return Err(format!(
                    "ssh did not log in within {} s",
                    limit.as_secs_f32()
                ));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// The client for sessions over this master.
    pub fn client(&self, client: &SshClient) -> SshClient {
        SshClient {
            program: client.program.clone(),
            config: client.config.clone(),
            runner: std::sync::Arc::clone(&client.runner),
            extra: over(&self.socket).to_vec(),
        }
    }

    /// `ssh -O exit`, then the process ends (killed if it lingers).
    pub async fn stop(mut self, client: &SshClient, target: &Target, step: Duration) {
        let mut args = client.base_args(step);
        args.extend(over(&self.socket));
        args.extend(["-O", "exit", "--"].map(OsString::from));
        args.push(target.alias.as_str().into());
        let _ = client.runner.run(client.spec(args, step)).await;
        let deadline = Instant::now() + Duration::from_millis(500);
        while self.process.try_exit().is_none() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        self.process.kill();
    }
}

/// `ssh -O check HOST` on the user's own ControlPath (with `plain`, the
/// client without gord's master), and the timing of a first connection
/// (gord's master logging in) against a second one over it (`second`, a
/// session through the master: what ControlMaster saves).
pub async fn control_facts(
    plain: &SshClient,
    target: &Target,
    master_login: Duration,
    second: Option<Duration>,
    step: Duration,
) -> ControlFacts {
    let host = target.alias.as_str();
    let (master_was_live, check_message) = if target.control_path.is_some() {
        match run(plain, host, &["-O", "check"], step, step).await {
            Ok(out) => (out.success(), ssh_error_text(&out)),
            Err(e) => (false, e.to_string()),
        }
    } else {
        (
            false,
            String::from("no ControlPath: every connection does its own handshake"),
        )
    };
    ControlFacts {
        control_master: target.control_master.clone(),
        control_path: target.control_path.clone(),
        control_persist: target.control_persist.clone(),
        master_was_live,
        check_message,
        first_connection_ms: Some(ms(master_login)),
        second_connection_ms: second.map(ms),
    }
}

/// Runs [`REMOTE_SCRIPT`] with `sh -s` and reads its facts, and where its
/// session landed (its [`LANDING_SCRIPT`](super::connect::LANDING_SCRIPT)
/// lines).
pub async fn remote_facts(
    client: &SshClient,
    target: &Target,
    egress: &super::egress::Mode,
    step: Duration,
    limit: Duration,
) -> Result<(RemoteFacts, Option<Landing>), String> {
    let mut args = host_args(client, &target.alias, &["-T"], step);
    args.push(script_command(egress).into());
    let spec = client.spec(args, limit).stdin_bytes(REMOTE_SCRIPT);
    match client.runner.run(spec).await {
        Ok(out) => {
            let text = out.stdout_text();
            read_script_output(&text).map_err(|cut_short| {
                if out.success() {
                    cut_short
                } else {
                    ssh_error_text(&out)
                }
            })
        }
        Err(e) => Err(e.to_string()),
    }
}

/// The command line that runs [`REMOTE_SCRIPT`] from stdin: `sh -s`, then
/// the egress check's words (checked free of shell syntax: sshd hands the
/// line to the login shell, as ssh joins its words into one).
pub fn script_command(egress: &super::egress::Mode) -> String {
    let words = egress.script_args();
    if words.is_empty() {
        String::from("sh -s")
    } else {
        format!("sh -s -- {}", words.join(" "))
    }
}

/// The facts and the landing in the script's output, or why there are none.
pub fn read_script_output(text: &str) -> Result<(RemoteFacts, Option<Landing>), String> {
    let facts = parse_facts(text);
    if facts.complete {
        Ok((facts, parse_landing(text)))
    } else {
        Err(String::from(
            "the remote script's output was cut short (is the login shell printing or exiting early?)",
        ))
    }
}

/// `ssh -W 127.0.0.1:22 HOST` with stdin closed: what sshd says about a
/// forward, in the words Remote-SSH users see.
async fn forward_run(
    client: &SshClient,
    target: &Target,
    step: Duration,
) -> Result<Output, ExecError> {
    run(
        client,
        &target.alias,
        &["-W", "127.0.0.1:22"],
        step,
        step * 2,
    )
    .await
}

impl Master {
    /// [`forward_run`] as a session over this master (`shared`, from
    /// [`Master::client`]), and how long it took when sshd answered
    /// (allowed or refused): a channel and no shell, the cheapest second
    /// connection to time. Over a master, sshd's refusal is printed by the
    /// master (`channel 2: open failed: ...`) while the session only says
    /// `Session open refused by peer`, so the master's words count too.
    pub async fn forwarding(
        &self,
        shared: &SshClient,
        target: &Target,
        step: Duration,
    ) -> (Forwarding, Option<Duration>) {
        let before = self.process.stderr_text().len();
        let out = match forward_run(shared, target, step).await {
            Ok(out) => out,
            Err(e) => {
                return (
                    Forwarding::Unknown {
                        message: e.to_string(),
                    },
                    None,
                )
            }
        };
        let found = classify_forwarding(&out.stderr_text(), out.success());
        if !matches!(found, Forwarding::Unknown { .. }) {
            return (found, Some(out.duration));
        }
        // The master writes its line before the session hears the refusal;
        // its reader thread may lag a little behind.
        let deadline = Instant::now() + Duration::from_millis(200);
        loop {
            let all = self.process.stderr_text();
            let said = all.get(before..).unwrap_or_default();
            let master_found = classify_forwarding(said, false);
            if !matches!(master_found, Forwarding::Unknown { .. }) {
                return (master_found, Some(out.duration));
            }
            if Instant::now() >= deadline {
                return (found, None);
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}
