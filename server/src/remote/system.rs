//! The remote checks that go through the system `ssh`, with the user's own
//! config, so ControlMaster, ProxyJump, ProxyCommand, certificates and the
//! agent behave exactly as they do for Remote-SSH. Every run is argv through
//! `exec`, BatchMode, stdin closed (or the fixed script), bounded.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::connect::{parse_landing, Landing, LANDING_SCRIPT};
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

/// Where gord's masters live: a private directory (0700) of its own under
/// the temporary directory when that path is short enough for a socket,
/// else under /tmp. Removed when dropped.
pub fn control_dir() -> std::io::Result<tempfile::TempDir> {
    let tmp = std::env::temp_dir();
    // `gord-` + 6 random characters + `/` + the socket's name (`m`).
    let base = if tmp.as_os_str().len() + 14 <= MAX_SOCKET_PATH {
        tmp
    } else {
        PathBuf::from("/tmp")
    };
    let dir = tempfile::Builder::new().prefix("gord-").tempdir_in(base)?;
    crate::platform::fs::set_mode(dir.path(), 0o700)?;
    Ok(dir)
}

/// One master connection per host (`ssh -M -N`, gord's child, killed with
/// the run): every later ssh run for the host is a session over it, so a
/// host costs the probe's handshake and this one. gord's own ControlPath
/// overrides the user's for these runs: the check sees a fresh connection
/// (a live master of the user's would hide what a new one meets), and no
/// master of gord's outlives the check at a path the user's ssh would use.
pub struct Master {
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
    /// Starts the master in `dir` and waits (up to `limit`) until it is
    /// logged in; Err: ssh's own words.
    pub async fn start(
        client: &SshClient,
        target: &Target,
        dir: &Path,
        step: Duration,
        limit: Duration,
    ) -> Result<Master, String> {
        let socket = dir.join("m");
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
        let mut process = client
            .runner
            .spawn_server(client.spec(args, limit))
            .map_err(|e| e.to_string())?;
        loop {
            if socket.exists() {
                return Ok(Master {
                    process,
                    socket,
                    login: started.elapsed(),
                });
            }
            if process.try_exit().is_some() {
                let text = process.stderr_text();
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
/// client without gord's master), then a session over gord's master, timed
/// against the master's own login: what a second connection costs when one
/// is shared. The session runs [`LANDING_SCRIPT`] and says where it landed.
pub async fn control_facts(
    plain: &SshClient,
    shared: &SshClient,
    target: &Target,
    master_login: Duration,
    step: Duration,
) -> (ControlFacts, Option<Landing>) {
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
    let mut args = host_args(shared, host, &["-T"], step);
    args.push("sh -s".into());
    let spec = shared.spec(args, step * 2).stdin_bytes(LANDING_SCRIPT);
    let (second, landed) = match shared.runner.run(spec).await {
        Ok(out) if out.success() => (Some(ms(out.duration)), parse_landing(&out.stdout_text())),
        _ => (None, None),
    };
    let facts = ControlFacts {
        control_master: target.control_master.clone(),
        control_path: target.control_path.clone(),
        control_persist: target.control_persist.clone(),
        master_was_live,
        check_message,
        first_connection_ms: Some(ms(master_login)),
        second_connection_ms: second,
    };
    (facts, landed)
}

/// Runs [`REMOTE_SCRIPT`] with `sh -s` and reads its facts.
pub async fn remote_facts(
    client: &SshClient,
    target: &Target,
    egress: &super::egress::Mode,
    step: Duration,
    limit: Duration,
) -> Result<RemoteFacts, String> {
    let mut args = host_args(client, &target.alias, &["-T"], step);
    args.push("sh -s".into());
    let script_args = egress.script_args();
    if !script_args.is_empty() {
        // Words checked free of shell syntax (ssh joins them into one line).
        args.push("--".into());
        args.extend(script_args.into_iter().map(Into::into));
    }
    let spec = client.spec(args, limit).stdin_bytes(REMOTE_SCRIPT);
    match client.runner.run(spec).await {
        Ok(out) => {
            let facts = parse_facts(&out.stdout_text());
            if facts.complete {
                Ok(facts)
            } else if out.success() {
                Err(String::from(
                    "the remote script's output was cut short (is the login shell printing or exiting early?)",
                ))
            } else {
                Err(ssh_error_text(&out))
            }
        }
        Err(e) => Err(e.to_string()),
    }
}

/// `ssh -W 127.0.0.1:22 HOST` with stdin closed: what sshd says about a
/// forward, in the words Remote-SSH users see.
pub async fn forwarding(client: &SshClient, target: &Target, step: Duration) -> Forwarding {
    match run(
        client,
        &target.alias,
        &["-W", "127.0.0.1:22"],
        step,
        step * 2,
    )
    .await
    {
        Ok(out) => classify_forwarding(&out.stderr_text(), out.success()),
        Err(e) => Forwarding::Unknown {
            message: e.to_string(),
        },
    }
}
