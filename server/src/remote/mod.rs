//! The remote host doctor: is a host reachable, does it let you in, can the
//! VS Code server run there, and is Go ready on it.
//!
//! Two halves, each used for what it does best:
//! - [`probe`]: one connection with libssh2 (`ssh2`), for structured facts
//!   (timings, banner, host key against known_hosts, offered methods, whether
//!   the agent or key files log in);
//! - [`system`]: the user's own `ssh` with their config (BatchMode), for
//!   everything that must behave exactly as Remote-SSH does: the fixed remote
//!   script, TCP forwarding, ControlMaster.
//!
//! The library API for the CLI and the language server is [`check_host`],
//! [`check_hosts`] and [`config_hosts`]; results are the serde types of
//! [`model`]. Progress goes to a callback. Dropping a returned future cancels
//! the run: every `ssh` child is killed with its process group, and a blocked
//! libssh2 call is woken by shutting its socket.

/// The shell lines that say where a connection landed: the machine id
/// (systemd's, else D-Bus's) and the host name (from PATH's `hostname`,
/// else `uname -n`), as `__gord_machine_id=` and `__gord_hostname=` lines.
/// Shared by [`connect::LANDING_SCRIPT`] (the probe's own channel) and
/// [`script::REMOTE_SCRIPT`] (the script's session over the master).
macro_rules! landing_lines {
    () => {
        r#"id=$(cat /etc/machine-id || cat /var/lib/dbus/machine-id)
name=$(hostname || uname -n)
printf '__gord_machine_id=%s\n__gord_hostname=%s\n' "$id" "$name"
"#
    };
}

pub mod connect;
pub mod control_dir;
pub mod egress;
pub mod keyfile;
pub mod local;
pub mod model;
pub mod output;
pub mod probe;
pub mod rules;
pub mod script;
pub mod settings_fix;
pub mod system;
pub mod target;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;

use crate::check::Status;
use crate::exec::{CommandSpec, ProcessRunner, SystemRunner};
use crate::finding::{Finding, Fix, Severity, Subject};
use model::{
    FleetReport, Forwarding, HostReport, HostSummary, KnownHostState, ProbeStage, Progress, Verdict,
};
use target::{check_host_argument, Target};

/// How to run a check.
#[derive(Clone)]
pub struct RemoteCheckOptions {
    /// `-F FILE` for ssh and for gord's resolver; None: ~/.ssh/config.
    pub config: Option<PathBuf>,
    /// Bounds each network step (ConnectTimeout, when shorter, wins) and each
    /// ssh run; a dead host costs about this much, once.
    pub timeout: Duration,
    /// Hosts checked at the same time by [`check_hosts`].
    pub jobs: usize,
    /// The ssh client (default `ssh`, from PATH).
    pub ssh_program: PathBuf,
    pub runner: Arc<dyn ProcessRunner>,
    /// Let gord's resolver run `Match exec` commands (`gord.ssh.allowMatchExec`).
    pub allow_match_exec: bool,
    /// Remote-SSH's `remote.SSH.connectTimeout`: connecting to a host may
    /// take this long before `RMT040` (a measure, not a limit).
    pub connect_budget: Duration,
    /// Which hosts the egress check asks (tests: loopback only).
    pub egress: egress::Mode,
    /// The VS Code user settings of this machine, for the findings whose
    /// fix is a setting (None: those keep their advice).
    pub user_settings: Option<Arc<settings_fix::UserSettings>>,
    /// Two connections per host: the system ssh's master beside the probe,
    /// so where each landed is compared (RMT041, login nodes) and the
    /// system ssh's login and a second connection over it are timed. Off
    /// (a fleet): one connection per host, the probe's, which runs the
    /// script too; the master then connects only when the probe cannot.
    pub compare_landings: bool,
}

impl Default for RemoteCheckOptions {
    fn default() -> Self {
        RemoteCheckOptions {
            config: None,
            timeout: Duration::from_secs(10),
            jobs: 8,
            ssh_program: PathBuf::from("ssh"),
            runner: Arc::new(SystemRunner),
            allow_match_exec: false,
            connect_budget: Duration::from_secs(connect::DEFAULT_CONNECT_TIMEOUT_SECS),
            egress: egress::Mode::from_process_env(),
            user_settings: None,
            compare_landings: true,
        }
    }
}

/// Builds every system `ssh` command: argv, the user's config, BatchMode,
/// and an environment in which nothing can prompt.
pub struct SshClient {
    pub program: PathBuf,
    pub config: Option<PathBuf>,
    pub runner: Arc<dyn ProcessRunner>,
    /// Options after the base ones (a session over gord's master).
    pub extra: Vec<OsString>,
}

impl SshClient {
    pub fn new(options: &RemoteCheckOptions) -> Self {
        SshClient {
            program: options.ssh_program.clone(),
            config: options.config.clone(),
            runner: Arc::clone(&options.runner),
            extra: Vec::new(),
        }
    }

    /// `[-F FILE] -o BatchMode=yes -o ConnectTimeout=N`, then [`Self::extra`].
    pub fn base_args(&self, step: Duration) -> Vec<OsString> {
        let mut args: Vec<OsString> = Vec::new();
        if let Some(config) = &self.config {
            args.push("-F".into());
            args.push(config.clone().into_os_string());
        }
        let seconds = step.as_secs_f64().ceil().max(1.0) as u64;
        args.extend([
            "-o".into(),
            "BatchMode=yes".into(),
            "-o".into(),
            format!("ConnectTimeout={seconds}").into(),
        ]);
        args.extend(self.extra.iter().cloned());
        args
    }

    /// The command, with SSH_ASKPASS and DISPLAY removed and
    /// SSH_ASKPASS_REQUIRE=never, so no passphrase or password prompt can
    /// appear (stdin is /dev/null or the fixed script, never a terminal).
    pub fn spec(&self, args: Vec<OsString>, timeout: Duration) -> CommandSpec {
        CommandSpec::new(&self.program)
            .args(args)
            .env_remove("SSH_ASKPASS")
            .env_remove("DISPLAY")
            .env("SSH_ASKPASS_REQUIRE", "never")
            .timeout(timeout)
            .output_cap(1024 * 1024)
    }
}

/// Every host a config names literally (no wildcards, no `!`), in order.
pub fn config_hosts(config: Option<&Path>) -> Result<Vec<String>, String> {
    Ok(crate::ssh::resolve_all(config)?
        .into_iter()
        .map(|(host, _)| host)
        .collect())
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn refused(host: &str, code_message: String, fix: &str, started: Instant) -> HostReport {
    let finding = Finding::new(
        "RMT001",
        Severity::Error,
        code_message,
        Subject::Host {
            host: host.to_string(),
        },
    )
    .with_rule_page()
    .with_fix(Fix::advice(fix));
    let summary = HostSummary {
        reachable: Verdict::Unknown,
        auth: Verdict::Unknown,
        go_ready: Verdict::Unknown,
        vscode_server_ready: Verdict::Unknown,
        latency_ms: None,
        first_problem: Some(format!("RMT001 {}", finding.message)),
    };
    HostReport::without_facts(
        host,
        vec![finding],
        summary,
        Status::Error,
        ms(started.elapsed()),
    )
}

/// Checks one host: refuses an unsafe name before anything runs, resolves
/// its config, probes it live, then (when it can be logged in to) runs the
/// system ssh checks.
pub async fn check_host(
    host: &str,
    options: &RemoteCheckOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> HostReport {
    let started = Instant::now();
    progress(Progress::HostStarted {
        host: host.to_string(),
    });
    if let Err(refusal) = check_host_argument(host) {
        return refused(
            host,
            format!("{refusal}; nothing was run"),
            "Use the host's name as written in a Host line of your ssh config",
            started,
        );
    }
    let lines =
        match crate::ssh::resolve_host(options.config.as_deref(), host, options.allow_match_exec) {
            Ok((_, lines)) => lines,
            Err(failure) => {
                return refused(
                    host,
                    format!(
                        "cannot resolve {host} from the ssh config: {}",
                        failure.messages.join("; ")
                    ),
                    "Fix the config first (`gord ssh lint`)",
                    started,
                )
            }
        };
    let home = crate::ssh::config::local::LocalFacts::current().home;
    let target = Target::from_lines(host, &lines, &home);
    let step = target.step_timeout(options.timeout);
    let client = SshClient::new(options);
    let step_event = |name: &str| {
        progress(Progress::Step {
            host: host.to_string(),
            step: name.to_string(),
        })
    };

    step_event("probe");
    let limit = options.timeout.max(step) * 3;
    // One connection (a fleet): the probe runs the script on its own
    // connection once it is logged in, and the system ssh's master connects
    // only when the probe could not log in or run it. Two (one host's check):
    // the probe and the master connect side by side, so where each landed can
    // be compared (login nodes) and the system ssh's own login is timed; a
    // host costs the slower of the two logins, and a dead one a single
    // timeout either way. Sessions wait for the probe's verdict (a dead host,
    // or a host key BatchMode ssh refuses: the master is dropped, which kills it).
    let one_connection = !options.compare_landings;
    let script = one_connection.then(|| probe::ProbeScript {
        command: system::script_command(&options.egress),
        stdin: script::REMOTE_SCRIPT,
        limit,
    });
    // The probe's own steps are bounded; this is a backstop for name
    // resolution, which no socket option limits.
    let backstop = step * 4 + script.as_ref().map_or(Duration::ZERO, |s| s.limit);
    let dir =
        system::control_dir().map_err(|e| format!("cannot make gord's control directory: {e}"));
    let has_master = dir.is_ok();
    let (mut control, mut remote, mut remote_error, mut forwarding) = (None, None, None, None);
    let (mut system_login, mut session_landed) = (None, None);
    // The master owns its directory and removes it before its process is
    // killed (see `system::Master`).
    let (probe, connections) = {
        let master = async {
            match dir {
                Ok(dir) => system::Master::start(&client, &target, dir, step, limit).await,
                Err(e) => Err(e),
            }
        };
        let probing = async {
            let running = probe::live_probe_running(&target, &client, step, script);
            match tokio::time::timeout(backstop, running).await {
                Ok(done) => done,
                Err(_) => {
                    let mut facts = probe::live_probe_timed_out(&target, backstop);
                    facts.duration_ms = ms(backstop);
                    (facts, None)
                }
            }
        };
        let mut master = std::pin::pin!(master);
        let mut probing = std::pin::pin!(probing);
        let mut master_done = None;
        let (probe, ran) = loop {
            tokio::select! {
                done = &mut probing => break done,
                started = &mut master, if master_done.is_none() && !one_connection => master_done = Some(started),
            }
        };

        let dead = probe.failure.as_ref().is_some_and(|f| {
            matches!(
                f.stage,
                ProbeStage::Resolve
                    | ProbeStage::Connect
                    | ProbeStage::Banner
                    | ProbeStage::ProxyJump
            )
        });
        // BatchMode ssh refuses an unknown or changed host key, so the system
        // checks would only repeat what the probe already reported.
        let key_blocks = probe
            .host_key
            .as_ref()
            .is_some_and(|k| matches!(k.known, KnownHostState::Changed | KnownHostState::Unknown));
        // What the script on the probe's connection gave; a session sshd
        // would not open there is asked again through the system ssh.
        let ran_on_probe = match ran {
            Some(Ok(text)) => {
                match system::read_script_output(&text) {
                    Ok((found, _)) => remote = Some(found),
                    Err(error) => remote_error = Some(error),
                }
                true
            }
            Some(Err(probe::ScriptFailure::Cut(error))) => {
                remote_error = Some(error);
                true
            }
            Some(Err(probe::ScriptFailure::NotRun(_))) | None => false,
        };
        let with_master =
            has_master && !ran_on_probe && (!one_connection || (!dead && !key_blocks));
        // The probe's connection, when it got as far as a banner, and the master's.
        let connections = u32::from(probe.banner.is_some()) + u32::from(with_master);
        if ran_on_probe {
            forwarding = probe.forwarding.clone();
            let login = connect::probe_stages(&probe).iter().map(|s| s.ms).sum();
            control = Some(
                system::control_facts(&client, &target, Duration::from_millis(login), None, step)
                    .await,
            );
        } else if !dead && !key_blocks {
            step_event("connect");
            let started = match master_done.take() {
                Some(started) => started,
                None => master.await,
            };
            match started {
                Err(error) => remote_error = Some(error),
                Ok(master) => {
                    system_login = Some(master.login);
                    let shared = master.client(&client);
                    // The script (which also says where it landed) and the
                    // forward: sessions over the master, one after another,
                    // so a host with `MaxSessions 1` answers them all.
                    step_event("script");
                    match system::remote_facts(&shared, &target, &options.egress, step, limit).await
                    {
                        Ok((found, landed)) => {
                            remote = Some(found);
                            session_landed = landed;
                        }
                        Err(error) => remote_error = Some(error),
                    }
                    if remote.is_some() {
                        // The forward over the master is the second
                        // connection timed (a channel, no shell); its
                        // verdict counts when the probe could not test.
                        step_event("forwarding");
                        let (found, second) = master.forwarding(&shared, &target, step).await;
                        forwarding = Some(probe.forwarding.clone().unwrap_or(found));
                        step_event("control");
                        control = Some(
                            system::control_facts(&client, &target, master.login, second, step)
                                .await,
                        );
                    }
                    master.stop(&client, &target, step).await;
                }
            }
        }
        (probe, connections)
    };
    if forwarding.is_none() {
        forwarding = probe.forwarding.clone();
    }
    let connect = connect::ConnectFacts {
        budget_ms: ms(options.connect_budget),
        stages: connect::probe_stages(&probe),
        system_ssh_ms: system_login.map(ms),
        connections,
        probe_landed: probe.landed.clone(),
        session_landed,
    };

    let observed = rules::Observed {
        target: &target,
        probe: Some(&probe),
        control: control.as_ref(),
        forwarding: forwarding.as_ref(),
        remote: remote.as_ref(),
        remote_error: remote_error.as_deref(),
    };
    let mut findings = rules::findings(&observed);
    settings_fix::attach(
        &mut findings,
        host,
        remote.as_ref(),
        options.user_settings.as_deref(),
    );
    findings.extend(connect::findings(&target, &connect));
    let summary = rules::summarize(&observed, &findings);
    let status = crate::finding::worst(&findings).map_or(Status::Ok, Status::from);
    HostReport {
        host: host.to_string(),
        target: Some(target),
        probe: Some(probe),
        control,
        forwarding: forwarding
            .filter(|f| !matches!(f, Forwarding::Unknown { message } if message.is_empty())),
        remote,
        remote_error,
        connect: Some(connect),
        findings,
        summary,
        status,
        duration_ms: ms(started.elapsed()),
    }
}

/// Checks `hosts`, at most `options.jobs` at a time, results in the order
/// given. `progress` hears each host start, step and finish.
pub async fn check_hosts(
    hosts: &[String],
    options: &RemoteCheckOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> FleetReport {
    let started = Instant::now();
    // Masters' directories left by a gord that was killed (never another's).
    control_dir::sweep_once();
    let total = hosts.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let reports = futures::stream::iter(hosts.iter().map(|host| {
        let done = &done;
        async move {
            let report = check_host(host, options, progress).await;
            let finished = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            progress(Progress::HostFinished {
                host: host.clone(),
                done: finished,
                total,
                status: report.status,
            });
            report
        }
    }))
    .buffered(options.jobs.max(1))
    .collect::<Vec<_>>()
    .await;
    FleetReport {
        version: crate::VERSION.to_string(),
        hosts: reports,
        duration_ms: ms(started.elapsed()),
    }
}
