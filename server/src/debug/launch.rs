//! Starting a dlv server on loopback and stopping it without killing the target.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::debug::client::{rpc_detach, rpc_get_version, ClientError};
use crate::exec::{
    CommandSpec, DeathSignal, ExecError, ProcessRunner, ServerProcess, SystemRunner,
};

/// Which dlv server to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServerKind {
    /// `dlv attach PID --headless --accept-multiclient`: attached at once;
    /// speaks JSON-RPC and DAP; vscode-go connects with `mode: remote`.
    Headless,
    /// `dlv dap`: attaches when the client sends `attach` with
    /// `mode: local, processId`; one client.
    Dap,
}

#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    #[error("refusing to listen on {0}: dlv must listen on loopback only (127.0.0.0/8 or ::1)")]
    NotLoopback(String),
    #[error("`{0}` is not an address to listen on (expected e.g. 127.0.0.1:0)")]
    BadAddress(String),
    #[error(transparent)]
    Exec(#[from] ExecError),
    #[error("dlv exited before it was listening: {0}")]
    ExitedEarly(String),
    #[error("dlv did not say where it listens within {0} s: {1}")]
    NoListeningLine(u64, String),
    #[error("dlv said it listens at {0}, which is not loopback; it was stopped")]
    ListeningElsewhere(SocketAddr),
    #[error("dlv listens at {0} but does not accept connections")]
    NotAccepting(SocketAddr),
    #[error(transparent)]
    Client(#[from] ClientError),
}

/// Parses `host:port` and accepts it only on loopback.
pub fn loopback_listen_address(text: &str) -> Result<SocketAddr, LaunchError> {
    let addr: SocketAddr = text
        .parse()
        .map_err(|_| LaunchError::BadAddress(text.to_string()))?;
    if is_loopback(addr.ip()) {
        Ok(addr)
    } else {
        Err(LaunchError::NotLoopback(text.to_string()))
    }
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[0] == 127,
        IpAddr::V6(v6) => v6.is_loopback(),
    }
}

/// `API server listening at: 127.0.0.1:PORT` (headless) or `DAP server
/// listening at: ...` (dap), as Delve's logflags.WriteAPIListeningMessage prints.
pub fn parse_listening_line(line: &str) -> Option<(ServerKind, SocketAddr)> {
    let (server, addr) = line.trim().split_once(" server listening at: ")?;
    let kind = match server {
        "API" => ServerKind::Headless,
        "DAP" => ServerKind::Dap,
        _ => return None,
    };
    Some((kind, addr.trim().parse().ok()?))
}

/// The argv of the dlv server for `kind`.
pub fn dlv_argv(kind: ServerKind, pid: u32, listen: SocketAddr) -> Vec<String> {
    let listen = format!("--listen={listen}");
    match kind {
        // --continue: a service must not stay halted while nobody is connected.
        ServerKind::Headless => [
            "attach",
            &pid.to_string(),
            "--headless",
            &listen,
            "--api-version=2",
            "--accept-multiclient",
            "--continue",
        ]
        .map(String::from)
        .to_vec(),
        ServerKind::Dap => vec!["dap".into(), listen],
    }
}

#[derive(Debug, Clone)]
pub struct LaunchOptions {
    pub dlv: PathBuf,
    pub kind: ServerKind,
    pub pid: u32,
    pub listen: String,
    pub startup_timeout: Duration,
}

impl LaunchOptions {
    pub fn new(dlv: impl Into<PathBuf>, kind: ServerKind, pid: u32) -> Self {
        LaunchOptions {
            dlv: dlv.into(),
            kind,
            pid,
            listen: "127.0.0.1:0".into(),
            startup_timeout: Duration::from_secs(30),
        }
    }
}

/// A running dlv server. Dropping it stops it the same way as [`DlvServer::stop`].
pub struct DlvServer {
    process: Option<ServerProcess>,
    kind: ServerKind,
    addr: SocketAddr,
    pid: u32,
    /// This session's record (see [`super::sessions`]), removed at the stop.
    record: Option<PathBuf>,
}

/// How a stop went, for the log and the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StopReport {
    /// `RPCServer.Detach {Kill: false}`, or SIGTERM for a dap server.
    pub method: String,
    /// The server exited by itself after the detach.
    pub exited_cleanly: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

impl DlvServer {
    /// Starts dlv and waits until it says where it listens and (headless) accepts.
    pub fn start(options: &LaunchOptions) -> Result<DlvServer, LaunchError> {
        let listen = loopback_listen_address(&options.listen)?;
        // If gord dies, dlv gets SIGINT: Delve then detaches from the target
        // (its breakpoints removed) and exits; SIGKILL would leave them in.
        let spec = CommandSpec::new(&options.dlv)
            .args(dlv_argv(options.kind, options.pid, listen))
            .cwd("/")
            .death_signal(DeathSignal::Interrupt);
        tracing::info!(command = %spec.display(), "starting dlv");
        let mut process = SystemRunner.spawn_server(spec)?;
        let deadline = Instant::now() + options.startup_timeout;
        let addr = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(LaunchError::NoListeningLine(
                    options.startup_timeout.as_secs(),
                    process.stderr_text(),
                ));
            }
            match process.next_line(left.min(Duration::from_millis(200))) {
                Some(line) => {
                    if let Some((_, addr)) = parse_listening_line(&line) {
                        break addr;
                    }
                    tracing::debug!(%line, "dlv");
                }
                None => {
                    if process.try_exit().is_some() {
                        return Err(LaunchError::ExitedEarly(
                            process.stderr_text().trim().to_string(),
                        ));
                    }
                }
            }
        };
        if !is_loopback(addr.ip()) {
            return Err(LaunchError::ListeningElsewhere(addr));
        }
        let record = super::sessions::remember(process.id(), addr, options.kind, options.pid);
        let server = DlvServer {
            process: Some(process),
            kind: options.kind,
            addr,
            pid: options.pid,
            record,
        };
        // A headless dlv prints its listening line before it attaches: wait
        // for its answer, which comes once it has (or for its exit, when the
        // attach failed). A dap server serves one client and quits when it
        // leaves, so it is not probed; it attaches when the editor asks.
        if options.kind == ServerKind::Headless {
            let left = deadline.saturating_duration_since(Instant::now());
            let mut server = server;
            if let Err(e) = rpc_get_version(addr, left.max(Duration::from_millis(500))) {
                let exited = server
                    .process
                    .as_mut()
                    .is_some_and(|p| p.wait_exit(Duration::from_millis(500)));
                if exited {
                    let stderr = server
                        .process
                        .as_ref()
                        .map(ServerProcess::stderr_text)
                        .unwrap_or_default();
                    return Err(LaunchError::ExitedEarly(stderr.trim().to_string()));
                }
                tracing::warn!(error = %e, "dlv does not answer");
                return Err(LaunchError::NotAccepting(addr));
            }
            return Ok(server);
        }
        Ok(server)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn kind(&self) -> ServerKind {
        self.kind
    }

    /// The pid of dlv itself.
    pub fn dlv_pid(&self) -> Option<u32> {
        self.process.as_ref().map(ServerProcess::id)
    }

    /// The target's pid.
    pub fn target_pid(&self) -> u32 {
        self.pid
    }

    /// Whether dlv has exited (e.g. a dap client disconnected).
    pub fn has_exited(&mut self) -> bool {
        self.process.as_mut().is_none_or(|p| p.try_exit().is_some())
    }

    /// Detaches without killing the target, then makes sure dlv is gone.
    pub fn stop(mut self) -> StopReport {
        self.stop_inner()
    }

    fn stop_inner(&mut self) -> StopReport {
        let report = self.stop_process();
        if let Some(record) = self.record.take() {
            super::sessions::forget(&record);
        }
        report
    }

    fn stop_process(&mut self) -> StopReport {
        let Some(mut process) = self.process.take() else {
            return StopReport {
                method: "already stopped".into(),
                exited_cleanly: true,
                problem: None,
            };
        };
        if process.try_exit().is_some() {
            return StopReport {
                method: "dlv had already exited".into(),
                exited_cleanly: true,
                problem: None,
            };
        }
        let (method, problem) = match self.kind {
            ServerKind::Headless => (
                "RPCServer.Detach {\"Kill\": false}",
                rpc_detach(self.addr, Duration::from_secs(10))
                    .err()
                    .map(|e| e.to_string()),
            ),
            // Delve: "The server shuts down in response to a SIGTERM signal,
            // taking down a launched process, but letting an attached process continue."
            ServerKind::Dap => {
                process.terminate(Duration::from_secs(5));
                ("SIGTERM", None)
            }
        };
        let exited_cleanly = process.wait_exit(Duration::from_secs(5));
        if !exited_cleanly {
            process.terminate(Duration::from_secs(2));
        }
        if let Some(problem) = &problem {
            tracing::warn!(%problem, "dlv detach");
        }
        StopReport {
            method: method.into(),
            exited_cleanly,
            problem,
        }
    }
}

impl Drop for DlvServer {
    fn drop(&mut self) {
        self.stop_inner();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_addresses_are_accepted() {
        assert!(loopback_listen_address("127.0.0.1:0").is_ok());
        assert!(loopback_listen_address("127.3.4.5:2345").is_ok());
        assert!(loopback_listen_address("[::1]:0").is_ok());
        for bad in ["0.0.0.0:2345", "[::]:0", "192.168.1.2:1", "10.0.0.1:0"] {
            assert!(
                matches!(
                    loopback_listen_address(bad),
                    Err(LaunchError::NotLoopback(_))
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            loopback_listen_address("localhost:0"),
            Err(LaunchError::BadAddress(_))
        ));
    }

    #[test]
    fn reads_delves_listening_lines() {
        assert_eq!(
            parse_listening_line("API server listening at: 127.0.0.1:39265"),
            Some((ServerKind::Headless, "127.0.0.1:39265".parse().unwrap()))
        );
        assert_eq!(
            parse_listening_line("DAP server listening at: [::1]:4000\n"),
            Some((ServerKind::Dap, "[::1]:4000".parse().unwrap()))
        );
        assert_eq!(parse_listening_line("Warning: no debug info found"), None);
        assert_eq!(
            parse_listening_line("API server listening at: nowhere"),
            None
        );
    }

    #[test]
    fn headless_argv_attaches_continues_and_serves_many_clients() {
        let argv = dlv_argv(ServerKind::Headless, 42, "127.0.0.1:0".parse().unwrap());
        assert_eq!(
            argv,
            [
                "attach",
                "42",
                "--headless",
                "--listen=127.0.0.1:0",
                "--api-version=2",
                "--accept-multiclient",
                "--continue"
            ]
        );
        assert_eq!(
            dlv_argv(ServerKind::Dap, 42, "127.0.0.1:0".parse().unwrap()),
            ["dap", "--listen=127.0.0.1:0"]
        );
    }
}
