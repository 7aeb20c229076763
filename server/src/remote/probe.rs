//! The live probe: one SSH connection with libssh2 (the `ssh2` crate), for
//! the facts ssh's own output does not give in a structured way: resolution
//! and connect times, the banner, the host key against known_hosts, the
//! offered authentication methods, and whether the user's agent or key files
//! log in, never prompting.
//!
//! libssh2 blocks, so the connection runs on a blocking thread with a session
//! timeout. The async side keeps what can stop it: a clone of the TCP socket
//! (shut down on drop) or the ProxyJump `ssh -W` child (killed on drop). A
//! dropped probe therefore ends its thread and its children at once.

use std::ffi::OsString;
use std::io::Read;
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine;
use ssh2::{CheckResult, HashType, HostKeyType, KnownHostFileKind, Session};

use super::keyfile::{classify_key, KeyFileKind};
use super::model::{
    AuthOutcome, Forwarding, HostKeyFacts, KnownHostState, ProbeFacts, ProbeFailure, ProbeStage,
    Route,
};
use super::target::Target;
use super::SshClient;

/// `SHA256:` + unpadded base64 of the key's SHA-256, as `ssh-keygen -l` prints it.
pub fn sha256_fingerprint(digest: &[u8]) -> String {
    format!(
        "SHA256:{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest)
    )
}

/// The software version in an identification line:
/// `SSH-2.0-OpenSSH_9.2p1 Debian-2` → `OpenSSH_9.2p1`.
pub fn server_version(banner: &str) -> Option<String> {
    let rest = banner.trim().strip_prefix("SSH-")?;
    let (_proto, software) = rest.split_once('-')?;
    software.split_whitespace().next().map(str::to_string)
}

/// The name known_hosts files use: `host`, or `[host]:port` off port 22.
pub fn known_hosts_name(host: &str, port: u16) -> String {
    if port == 22 {
        host.to_string()
    } else {
        format!("[{host}]:{port}")
    }
}

/// Reads a channel-open failure: `administratively prohibited` means sshd
/// refuses forwarding; `connect failed` means it allowed the forward (only
/// the target port was closed).
pub fn classify_forwarding(error_text: &str, ok: bool) -> Forwarding {
    if ok || error_text.contains("connect failed") {
        Forwarding::Works
    } else if error_text.contains("administratively prohibited") {
        Forwarding::Refused {
            message: error_text.trim().to_string(),
        }
    } else {
        Forwarding::Unknown {
            message: error_text.trim().to_string(),
        }
    }
}

fn key_type_name(kind: HostKeyType) -> &'static str {
    match kind {
        HostKeyType::Rsa => "ssh-rsa",
        HostKeyType::Dss => "ssh-dss",
        HostKeyType::Ecdsa256 => "ecdsa-sha2-nistp256",
        HostKeyType::Ecdsa384 => "ecdsa-sha2-nistp384",
        HostKeyType::Ecdsa521 => "ecdsa-sha2-nistp521",
        HostKeyType::Ed25519 => "ssh-ed25519",
        HostKeyType::Unknown => "unknown",
    }
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Shuts the socket down when dropped, which wakes a blocked libssh2 call.
struct ShutdownOnDrop(Option<TcpStream>);

impl Drop for ShutdownOnDrop {
    fn drop(&mut self) {
        if let Some(stream) = &self.0 {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

/// A script for the probe to run on its own connection once it has logged
/// in, so that a host costs one SSH connection (the fleet): the command
/// line sshd hands to the login shell, the script for its stdin, and a
/// bound on the whole run.
#[derive(Debug, Clone)]
pub struct ProbeScript {
    pub command: String,
    pub stdin: &'static str,
    pub limit: Duration,
}

/// Why a [`ProbeScript`] gave no output to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptFailure {
    /// sshd would not open the session or run the command (the system
    /// ssh may still: its own words are worth having).
    NotRun(String),
    /// It ran, and the connection failed or the time ran out before its end.
    Cut(String),
}

/// The most of a script's standard output kept, as for the system ssh's runs.
pub const SCRIPT_OUTPUT_CAP: usize = 1024 * 1024;

/// The probe's script and, once it ran, what came of it (filled on the
/// probe's thread).
#[derive(Debug, Default)]
struct ScriptSlot {
    script: Option<ProbeScript>,
    outcome: Option<Result<String, ScriptFailure>>,
}

fn empty_facts(route: Route) -> ProbeFacts {
    ProbeFacts {
        route,
        addresses: Vec::new(),
        resolve_ms: None,
        connected_to: None,
        connect_ms: None,
        banner: None,
        server_version: None,
        banner_ms: None,
        handshake_ms: None,
        auth_ms: None,
        landed: None,
        host_key: None,
        auth_methods: Vec::new(),
        auth: AuthOutcome::NotTried {
            reason: String::from("not connected"),
        },
        encrypted_keys: Vec::new(),
        forwarding: None,
        failure: None,
        duration_ms: 0,
    }
}

/// The facts of a probe stopped from outside after `after` (name resolution
/// that would not finish).
pub fn live_probe_timed_out(target: &Target, after: Duration) -> ProbeFacts {
    failed(
        empty_facts(Route::Direct),
        ProbeStage::Resolve,
        format!(
            "ssh: Could not resolve hostname {}: no answer within {} s",
            target.hostname,
            after.as_secs_f32()
        ),
    )
}

fn failed(mut facts: ProbeFacts, stage: ProbeStage, message: String) -> ProbeFacts {
    facts.failure = Some(ProbeFailure { stage, message });
    facts
}

/// Probes `target`. Every network step is bounded by `step`; a ProxyJump is
/// handed to the system ssh (`ssh -W host:port lasthop`, earlier hops as
/// `-J`), so jump hosts authenticate exactly as they do for the user.
pub async fn live_probe(target: &Target, client: &SshClient, step: Duration) -> ProbeFacts {
    live_probe_running(target, client, step, None).await.0
}

/// [`live_probe`], and once logged in, `script` on the same connection
/// instead of the landing lines alone (the script says where it landed).
/// The outcome is None when the probe did not log in or had no script.
pub async fn live_probe_running(
    target: &Target,
    client: &SshClient,
    step: Duration,
    script: Option<ProbeScript>,
) -> (ProbeFacts, Option<Result<String, ScriptFailure>>) {
    let started = Instant::now();
    if target.proxy_command.is_some() && target.proxy_jump.is_empty() {
        let mut facts = empty_facts(Route::ProxyCommand);
        facts.auth = AuthOutcome::NotTried {
            reason: String::from("the host is reached through a ProxyCommand, which gord does not run itself; the system ssh checks below use it"),
        };
        return (facts, None);
    }
    let slot = ScriptSlot {
        script,
        outcome: None,
    };
    let agent = std::env::var_os("SSH_AUTH_SOCK").filter(|s| !s.is_empty());
    let use_agent = agent.is_some() && target.identity_agent.as_deref() != Some("none");
    let (mut facts, outcome) = if target.proxy_jump.is_empty() {
        let host = target.hostname.clone();
        let port = target.port;
        let connecting = tokio::task::spawn_blocking(move || connect_direct(&host, port, step));
        let (mut facts, stream) = match connecting.await {
            Ok(found) => found,
            Err(e) => (
                failed(
                    empty_facts(Route::Direct),
                    ProbeStage::Connect,
                    format!("the connecting thread failed: {e}"),
                ),
                None,
            ),
        };
        let Some(stream) = stream else {
            facts.duration_ms = ms(started.elapsed());
            return (facts, None);
        };
        let _guard = ShutdownOnDrop(stream.try_clone().ok());
        let target = target.clone();
        let connected = Instant::now();
        let session = tokio::task::spawn_blocking(move || {
            let mut slot = slot;
            let facts = session_probe(
                facts, stream, &target, step, use_agent, connected, &mut slot,
            );
            (facts, slot.outcome)
        });
        match session.await {
            Ok(done) => done,
            Err(e) => (
                failed(
                    empty_facts(Route::Direct),
                    ProbeStage::Banner,
                    format!("the probe thread failed: {e}"),
                ),
                None,
            ),
        }
    } else {
        probe_through_jump(target, client, step, use_agent, slot).await
    };
    facts.duration_ms = ms(started.elapsed());
    (facts, outcome)
}

async fn probe_through_jump(
    target: &Target,
    client: &SshClient,
    step: Duration,
    use_agent: bool,
    slot: ScriptSlot,
) -> (ProbeFacts, Option<Result<String, ScriptFailure>>) {
    let mut outcome = None;
    let facts = jump_probe(target, client, step, use_agent, slot, &mut outcome).await;
    (facts, outcome)
}

async fn jump_probe(
    target: &Target,
    client: &SshClient,
    step: Duration,
    use_agent: bool,
    slot: ScriptSlot,
    outcome: &mut Option<Result<String, ScriptFailure>>,
) -> ProbeFacts {
    let hops = target.proxy_jump.clone();
    let facts = empty_facts(Route::ProxyJump { hops: hops.clone() });
    for hop in &hops {
        if let Err(refusal) = super::target::check_host_argument(hop) {
            return failed(facts, ProbeStage::ProxyJump, refusal.to_string());
        }
    }
    // The bridge carries the script too, so it lives as long as the script may.
    let bridge_limit = step + slot.script.as_ref().map_or(Duration::ZERO, |s| s.limit);
    let (mine, theirs) = match crate::platform::socket::pair() {
        Ok(pair) => pair,
        Err(e) => return failed(facts, ProbeStage::ProxyJump, format!("socketpair: {e}")),
    };
    let mut log = match tempfile::tempfile() {
        Ok(f) => f,
        Err(e) => return failed(facts, ProbeStage::ProxyJump, format!("temp file: {e}")),
    };
    let Ok(log_for_child) = log.try_clone() else {
        return failed(
            facts,
            ProbeStage::ProxyJump,
            String::from("temp file clone"),
        );
    };
    let forward_to = if target.hostname.contains(':') {
        format!("[{}]:{}", target.hostname, target.port)
    } else {
        format!("{}:{}", target.hostname, target.port)
    };
    let (last, earlier) = hops.split_last().unwrap_or((&hops[0], &[]));
    let mut args: Vec<OsString> = client.base_args(step);
    if !earlier.is_empty() {
        args.push("-J".into());
        args.push(earlier.join(",").into());
    }
    args.extend(["-W".into(), forward_to.into(), "--".into(), last.into()]);
    let spec = client.spec(args, bridge_limit);
    let jump_started = Instant::now();
    // The bridge lives on this (async) side: dropping the probe kills it,
    // which ends the blocked libssh2 call on the other end of the socket.
    let bridge = match client.runner.spawn_bridge(spec, theirs, log_for_child) {
        Ok(bridge) => bridge,
        Err(e) => return failed(facts, ProbeStage::ProxyJump, e.to_string()),
    };
    let target_owned = target.clone();
    let mut facts = match tokio::task::spawn_blocking(move || {
        let mut slot = slot;
        let facts = session_probe(
            facts,
            mine,
            &target_owned,
            step,
            use_agent,
            jump_started,
            &mut slot,
        );
        (facts, slot.outcome)
    })
    .await
    {
        Ok((facts, ran)) => {
            *outcome = ran;
            facts
        }
        Err(e) => failed(
            empty_facts(Route::ProxyJump { hops }),
            ProbeStage::ProxyJump,
            format!("the probe thread failed: {e}"),
        ),
    };
    drop(bridge);
    if facts.banner.is_none() {
        // The jump failed before the target spoke: ssh's stderr says why.
        use std::io::Seek;
        let mut text = String::new();
        let _ = log.seek(std::io::SeekFrom::Start(0));
        let _ = log.take(64 * 1024).read_to_string(&mut text);
        let said = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        let message = if said.is_empty() {
            facts
                .failure
                .as_ref()
                .map(|f| f.message.clone())
                .unwrap_or_default()
        } else {
            format!("through {}: {said}", hops_text(&target.proxy_jump))
        };
        facts.failure = Some(ProbeFailure {
            stage: ProbeStage::ProxyJump,
            message,
        });
    }
    facts
}

fn hops_text(hops: &[String]) -> String {
    hops.join(" → ")
}

/// Name resolution and TCP connect, each address in turn, each bounded.
fn connect_direct(host: &str, port: u16, step: Duration) -> (ProbeFacts, Option<TcpStream>) {
    let mut facts = empty_facts(Route::Direct);
    let started = Instant::now();
    let addresses: Vec<SocketAddr> = match (host, port).to_socket_addrs() {
        Ok(found) => found.collect(),
        Err(e) => {
            facts.resolve_ms = Some(ms(started.elapsed()));
            return (
                failed(
                    facts,
                    ProbeStage::Resolve,
                    format!("ssh: Could not resolve hostname {host}: {e}"),
                ),
                None,
            );
        }
    };
    facts.resolve_ms = Some(ms(started.elapsed()));
    facts.addresses = addresses.iter().map(ToString::to_string).collect();
    let mut last_error = String::from("no address");
    for address in &addresses {
        let connecting = Instant::now();
        match TcpStream::connect_timeout(address, step) {
            Ok(stream) => {
                facts.connect_ms = Some(ms(connecting.elapsed()));
                facts.connected_to = Some(address.to_string());
                return (facts, Some(stream));
            }
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                last_error = format!(
                    "ssh: connect to host {host} port {port}: Connection timed out (no answer within {} s)",
                    step.as_secs_f32()
                );
            }
            Err(e) => {
                last_error = format!("ssh: connect to host {host} port {port}: {}", io_words(&e));
            }
        }
    }
    (failed(facts, ProbeStage::Connect, last_error), None)
}

/// The OS's words for an error, as ssh prints them (`Connection refused`).
fn io_words(e: &std::io::Error) -> String {
    let text = e.to_string();
    text.split(" (os error").next().unwrap_or(&text).to_string()
}

/// OpenSSH's host key preference order, restricted to what libssh2 knows, so
/// the key checked is the one `ssh` would see.
const HOST_KEY_ORDER: &str = "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256,ssh-rsa";

fn no_banner(step: Duration) -> String {
    format!(
        "the server accepted the connection but sent no SSH banner within {} s (ssh: Connection timed out during banner exchange)",
        step.as_secs_f32()
    )
}

fn session_probe<S: crate::platform::socket::SshSocket>(
    mut facts: ProbeFacts,
    stream: S,
    target: &Target,
    step: Duration,
    use_agent: bool,
    since: Instant,
    slot: &mut ScriptSlot,
) -> ProbeFacts {
    let mut session = match Session::new() {
        Ok(s) => s,
        Err(e) => return failed(facts, ProbeStage::Banner, e.to_string()),
    };
    session.set_timeout(u32::try_from(step.as_millis()).unwrap_or(u32::MAX));
    let _ = session.method_pref(ssh2::MethodType::HostKey, HOST_KEY_ORDER);
    if !stream.first_byte_within(step) {
        return failed(facts, ProbeStage::Banner, no_banner(step));
    }
    facts.banner_ms = Some(ms(since.elapsed()));
    session.set_tcp_stream(stream);
    if let Err(e) = session.handshake() {
        let message = if since.elapsed() + Duration::from_millis(50) >= step {
            no_banner(step)
        } else {
            format!("the SSH handshake failed: {}", e.message())
        };
        return failed(facts, ProbeStage::Banner, message);
    }
    facts.handshake_ms = Some(ms(since.elapsed()));
    facts.banner = session.banner().map(str::to_string);
    facts.server_version = facts.banner.as_deref().and_then(server_version);

    let lookup_name = known_hosts_name(&target.host_key_name, target.host_key_port);
    if let Some((key, kind)) = session.host_key() {
        let fingerprint = session
            .host_key_hash(HashType::Sha256)
            .map(sha256_fingerprint)
            .unwrap_or_default();
        let mut files_read = Vec::new();
        let known = match session.known_hosts() {
            Ok(mut known_hosts) => {
                for file in &target.known_hosts_files {
                    if file.is_file()
                        && known_hosts
                            .read_file(file, KnownHostFileKind::OpenSSH)
                            .is_ok()
                    {
                        files_read.push(file.display().to_string());
                    }
                }
                match known_hosts.check_port(&target.host_key_name, target.host_key_port, key) {
                    CheckResult::Match => KnownHostState::Match,
                    CheckResult::Mismatch => KnownHostState::Changed,
                    CheckResult::NotFound => KnownHostState::Unknown,
                    CheckResult::Failure => KnownHostState::NotChecked,
                }
            }
            Err(_) => KnownHostState::NotChecked,
        };
        facts.host_key = Some(HostKeyFacts {
            key_type: key_type_name(kind).to_string(),
            fingerprint,
            known,
            files_read,
            lookup_name,
        });
    }

    if facts
        .host_key
        .as_ref()
        .is_some_and(|k| k.known == KnownHostState::Changed)
    {
        facts.auth = AuthOutcome::NotTried {
            reason: String::from(
                "the host key changed: gord does not log in to a host that may be an impostor",
            ),
        };
        return facts;
    }
    let user = target.user.as_str();
    let authenticating = Instant::now();
    // The keys go first: asking for the server's methods (a `none` request)
    // costs a round trip, and only a refusal needs them.
    facts.auth = authenticate(&session, target, use_agent, &mut facts.encrypted_keys);
    if !session.authenticated() {
        match session.auth_methods(user) {
            Ok(methods) => {
                facts.auth_methods = methods.split(',').map(str::to_string).collect();
            }
            Err(_) if session.authenticated() => {
                facts.auth = AuthOutcome::Succeeded {
                    with: String::from("none (the server asked for no authentication)"),
                };
            }
            Err(e) => return failed(facts, ProbeStage::Auth, e.message().to_string()),
        }
    }
    facts.auth_ms = Some(ms(authenticating.elapsed()));
    if session.authenticated() {
        // The script starts first, so the forward's round trip overlaps its run.
        let started = slot
            .script
            .as_ref()
            .map(|script| (script, start_script(&session, script)));
        session.set_timeout(u32::try_from(step.as_millis()).unwrap_or(u32::MAX));
        let forward = session.channel_direct_tcpip("127.0.0.1", 22, None);
        facts.forwarding = Some(match forward {
            Ok(mut channel) => {
                let _ = channel.close();
                Forwarding::Works
            }
            Err(e) => classify_forwarding(e.message(), false),
        });
        match started {
            Some((script, running)) => {
                let ran = running.and_then(|channel| finish_script(&session, channel, script));
                facts.landed = ran
                    .as_ref()
                    .ok()
                    .and_then(|out| super::connect::parse_landing(out));
                slot.outcome = Some(ran);
            }
            None => facts.landed = landing(&session),
        }
        let _ = session.disconnect(None, "gord probe done", None);
    }
    facts
}

/// Runs [`LANDING_SCRIPT`](super::connect::LANDING_SCRIPT) on the probe's
/// own connection (bounded by the session's timeout, 64 KiB read).
fn landing(session: &Session) -> Option<super::connect::Landing> {
    use std::io::Write;
    let mut channel = session.channel_session().ok()?;
    channel.exec("sh -s").ok()?;
    channel
        .write_all(super::connect::LANDING_SCRIPT.as_bytes())
        .ok()?;
    channel.send_eof().ok()?;
    let mut out = String::new();
    let _ = (&mut channel).take(64 * 1024).read_to_string(&mut out);
    let _ = channel.close();
    super::connect::parse_landing(&out)
}

fn timeout_ms(d: Duration) -> u32 {
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX).max(1)
}

/// A script running on its own session of the probe's connection.
struct RunningScript {
    channel: ssh2::Channel,
    started: Instant,
}

/// Starts `script` on a session of its own: the command, then the script
/// on stdin. stderr is dropped, as the system ssh's runs keep it apart
/// from the facts.
fn start_script(session: &Session, script: &ProbeScript) -> Result<RunningScript, ScriptFailure> {
    use std::io::Write;
    let started = Instant::now();
    session.set_timeout(timeout_ms(script.limit));
    let not_run =
        |what: &str, e: ssh2::Error| ScriptFailure::NotRun(format!("{what}: {}", e.message()));
    let mut channel = session
        .channel_session()
        .map_err(|e| not_run("sshd opened no session", e))?;
    channel
        .handle_extended_data(ssh2::ExtendedData::Ignore)
        .map_err(|e| not_run("cannot set up the session", e))?;
    channel
        .exec(&script.command)
        .map_err(|e| not_run("sshd did not run the command", e))?;
    channel
        .write_all(script.stdin.as_bytes())
        .and_then(|()| channel.send_eof().map_err(std::io::Error::from))
        .map_err(|e| ScriptFailure::Cut(format!("the script could not be sent: {e}")))?;
    Ok(RunningScript { channel, started })
}

/// Reads a started script's stdout until its end, [`SCRIPT_OUTPUT_CAP`]
/// bytes or the script's time limit, whichever comes first.
fn finish_script(
    session: &Session,
    running: RunningScript,
    script: &ProbeScript,
) -> Result<String, ScriptFailure> {
    let RunningScript {
        mut channel,
        started,
    } = running;
    let late = || {
        ScriptFailure::Cut(format!(
            "the remote script did not finish within {} s",
            script.limit.as_secs_f32()
        ))
    };
    let mut out = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        let Some(left) = script.limit.checked_sub(started.elapsed()) else {
            return Err(late());
        };
        session.set_timeout(timeout_ms(left));
        match channel.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => {
                let room = SCRIPT_OUTPUT_CAP - out.len();
                out.extend_from_slice(&buffer[..n.min(room)]);
                if out.len() >= SCRIPT_OUTPUT_CAP {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => return Err(late()),
            Err(e) => {
                return Err(ScriptFailure::Cut(format!(
                    "the connection failed during the script: {e}"
                )))
            }
        }
    }
    let _ = channel.close();
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn authenticate(
    session: &Session,
    target: &Target,
    use_agent: bool,
    encrypted: &mut Vec<String>,
) -> AuthOutcome {
    let user = target.user.as_str();
    let mut tried = Vec::new();
    if use_agent {
        if let Ok(mut agent) = session.agent() {
            if agent.connect().is_ok() && agent.list_identities().is_ok() {
                for identity in agent.identities().unwrap_or_default() {
                    let label = format!("agent key \"{}\"", identity.comment());
                    if agent.userauth(user, &identity).is_ok() {
                        let _ = agent.disconnect();
                        return AuthOutcome::Succeeded { with: label };
                    }
                    tried.push(label);
                }
                let _ = agent.disconnect();
            }
        }
    }
    for file in &target.identity_files {
        let Ok(text) = crate::fsread::read_to_string(file, crate::fsread::Kind::Credentials) else {
            continue;
        };
        let shown = file.display().to_string();
        if classify_key(&text) == KeyFileKind::Encrypted {
            // Never prompt: an encrypted key is reported, not unlocked.
            encrypted.push(shown);
            continue;
        }
        if session
            .userauth_pubkey_file(user, public_key_beside(file).as_deref(), file, None)
            .is_ok()
        {
            return AuthOutcome::Succeeded { with: shown };
        }
        tried.push(shown);
    }
    AuthOutcome::Failed { tried }
}

/// `key.pub` next to `key`, when present (libssh2 can derive it otherwise).
fn public_key_beside(private: &Path) -> Option<PathBuf> {
    let mut name = private.as_os_str().to_os_string();
    name.push(".pub");
    let path = PathBuf::from(name);
    path.is_file().then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_printed_as_openssh_prints_them() {
        assert_eq!(
            sha256_fingerprint(&[0u8; 32]),
            "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        );
    }

    #[test]
    fn the_server_version_is_the_software_part_of_the_banner() {
        assert_eq!(
            server_version("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3").as_deref(),
            Some("OpenSSH_9.2p1")
        );
        assert_eq!(server_version("HTTP/1.1 400"), None);
    }

    #[test]
    fn known_hosts_names_carry_the_port_off_22() {
        assert_eq!(known_hosts_name("box", 22), "box");
        assert_eq!(known_hosts_name("box", 2222), "[box]:2222");
    }

    #[test]
    fn a_prohibited_channel_means_forwarding_is_off_and_a_refused_port_means_it_works() {
        assert_eq!(
            classify_forwarding(
                "channel 0: open failed: connect failed: Connection refused",
                false
            ),
            Forwarding::Works
        );
        assert!(matches!(
            classify_forwarding("Channel open failure (administratively prohibited)", false),
            Forwarding::Refused { .. }
        ));
        assert!(matches!(
            classify_forwarding("Broken pipe", false),
            Forwarding::Unknown { .. }
        ));
    }
}
