//! The remote checks that go through the system `ssh`, with the user's own
//! config, so ControlMaster, ProxyJump, ProxyCommand, certificates and the
//! agent behave exactly as they do for Remote-SSH. Every run is argv through
//! `exec`, BatchMode, stdin closed (or the fixed script), bounded.

use std::ffi::OsString;
use std::time::Duration;

use super::model::{ControlFacts, Forwarding};
use super::probe::classify_forwarding;
use super::script::{parse_facts, RemoteFacts, REMOTE_SCRIPT};
use super::target::Target;
use super::SshClient;
use crate::exec::{ExecError, Output};

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

/// `ssh -O check HOST`, then `ssh HOST true` twice, timed.
pub async fn control_facts(client: &SshClient, target: &Target, step: Duration) -> ControlFacts {
    let host = target.alias.as_str();
    let (master_was_live, check_message) = if target.control_path.is_some() {
        match run(client, host, &["-O", "check"], step, step).await {
            Ok(out) => (out.success(), ssh_error_text(&out)),
            Err(e) => (false, e.to_string()),
        }
    } else {
        (
            false,
            String::from("no ControlPath: every connection does its own handshake"),
        )
    };
    let mut times = [None, None];
    for slot in &mut times {
        match run_command(client, host, &["-T"], "true", step).await {
            Ok(out) if out.success() => *slot = Some(ms(out.duration)),
            _ => break,
        }
    }
    ControlFacts {
        control_master: target.control_master.clone(),
        control_path: target.control_path.clone(),
        control_persist: target.control_persist.clone(),
        master_was_live,
        check_message,
        first_connection_ms: times[0],
        second_connection_ms: times[1],
    }
}

async fn run_command(
    client: &SshClient,
    host: &str,
    extra: &[&str],
    command: &str,
    step: Duration,
) -> Result<Output, ExecError> {
    let mut args = host_args(client, host, extra, step);
    args.push(command.into());
    client.runner.run(client.spec(args, step * 2)).await
}

/// Runs [`REMOTE_SCRIPT`] with `sh -s` and reads its facts.
pub async fn remote_facts(
    client: &SshClient,
    target: &Target,
    step: Duration,
    limit: Duration,
) -> Result<RemoteFacts, String> {
    let mut args = host_args(client, &target.alias, &["-T"], step);
    args.push("sh -s".into());
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
