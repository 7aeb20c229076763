//! `gord remote check`: the remote host doctor.
//!
//! Exit 0 clean, 1 findings at or above --fail-on, 2 when gord failed (a
//! refused host name, an unreadable config).

use std::path::PathBuf;

use gord::remote::model::FleetReport;

use super::exit::{CliResult, Exit};
use super::output::{runtime, write_stdout, Format, OutputArgs};

#[derive(clap::Subcommand)]
pub enum RemoteCommand {
    /// Probe HOST (or every literal Host of the config with --all): reachability,
    /// host key, authentication, the VS Code server's needs, TCP forwarding,
    /// ControlMaster, and Go on the login and non-login PATH.
    Check(CheckArgs),
}

#[derive(clap::Args)]
#[command(mut_arg("format", |arg| super::output::writes(arg, "text (a table, then each host's findings), json or sarif (SARIF 2.1.0, for code-scanning tools)")))]
pub struct CheckArgs {
    /// The host, as you would type it after `ssh`.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    host: Option<String>,
    /// Check every host the config names literally (no wildcards or `!`).
    #[arg(long)]
    all: bool,
    /// Hosts checked at the same time.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    jobs: u16,
    /// The ssh config to use, for gord and for ssh (`ssh -F`); default ~/.ssh/config.
    #[arg(long, short = 'F', value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Time limit of each network step and each ssh run, in seconds (a
    /// shorter ConnectTimeout in the config wins). A dead host costs about this.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    timeout: u64,
    /// The connect budget, in seconds: Remote-SSH's `remote.SSH.connectTimeout`
    /// (15 by default). Connecting for longer than this is RMT040.
    #[arg(long, value_name = "SECONDS", default_value_t = gord::remote::connect::DEFAULT_CONNECT_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..=3600))]
    connect_timeout: u64,
    /// Apply the fixes that are settings (RMT028–RMT030, RMT032, RMT033):
    /// set them in this machine's VS Code user settings.json, where
    /// Remote-SSH reads them (the diff goes to stderr, a backup is kept).
    /// Commands are never run.
    #[arg(long)]
    fix: bool,
    /// With --all: two connections per host, as a single host's check makes,
    /// to compare where they land (RMT041, round-robin login nodes) and time
    /// the system ssh's own login. By default a fleet costs one connection
    /// per host.
    #[arg(long, requires = "all")]
    login_nodes: bool,
}

pub fn run(command: RemoteCommand) -> CliResult {
    match command {
        RemoteCommand::Check(args) => check(args),
    }
}

fn check(args: CheckArgs) -> CliResult {
    use gord::remote::{self, output, RemoteCheckOptions};
    let render: fn(&FleetReport, bool) -> String = match args.output.format {
        Format::Text => output::render_text,
        Format::Json => |report, _| output::render_json(report) + "\n",
        Format::Sarif => {
            |report, _| output::render_sarif(report, gord::docs::docs_root().as_deref()) + "\n"
        }
        Format::Markdown => {
            let writes = [Format::Text, Format::Json, Format::Sarif];
            return Err(args.output.unwritten("gord remote check", &writes));
        }
    };
    let hosts = match &args.host {
        Some(host) => {
            // Before anything runs: a name like `-oProxyCommand=...` never reaches ssh.
            remote::target::check_host_argument(host)
                .map_err(|refusal| anyhow::anyhow!("RMT001 {refusal}; nothing was run"))?;
            vec![host.clone()]
        }
        None => remote::config_hosts(args.config.as_deref()).map_err(anyhow::Error::msg)?,
    };
    let user_settings = remote::settings_fix::UserSettings::of_process(&Default::default());
    let options = RemoteCheckOptions {
        config: args.config.clone(),
        user_settings: user_settings.map(std::sync::Arc::new),
        timeout: std::time::Duration::from_secs(args.timeout),
        jobs: usize::from(args.jobs),
        connect_budget: std::time::Duration::from_secs(args.connect_timeout),
        compare_landings: args.host.is_some() || args.login_nodes,
        ..RemoteCheckOptions::default()
    };
    let progress = |event: remote::model::Progress| tracing::debug!(?event, "remote check");
    let report = runtime()?.block_on(remote::check_hosts(&hosts, &options, &progress));
    write_stdout(&render(&report, args.output.colour()))?;
    if args.fix {
        fix_settings(&report)?;
    }
    let statuses = report.hosts.iter().map(|h| h.status);
    Ok(Exit::for_findings(
        statuses.filter_map(super::check::severity),
        args.output.fail_on,
    ))
}

/// `--fix`: the settings every host's findings want, in the user
/// settings.json as it is now (read again: the check took a while).
fn fix_settings(report: &FleetReport) -> Result<(), anyhow::Error> {
    use gord::remote::settings_fix::{self, UserSettings};
    let settings = UserSettings::of_process(&Default::default()).ok_or_else(|| {
        anyhow::anyhow!("--fix: no VS Code user settings.json to edit (no home directory, or the file cannot be read); nothing was written")
    })?;
    let plan = settings_fix::plan(report, &settings).map_err(|e| {
        anyhow::anyhow!(
            "--fix: {} is not a settings object ({e}): VS Code ignores it and gord changes nothing in it",
            settings.path.display()
        )
    })?;
    let Some(plan) = plan else {
        gord::say!("gord: no setting to change in {}", settings.path.display());
        return Ok(());
    };
    let diff = gord::edit::unified_diff(
        &plan.path,
        plan.original.as_deref().unwrap_or(""),
        &plan.new,
    );
    for line in diff.lines() {
        gord::say!("{line}");
    }
    for applied in &plan.applied {
        gord::say!("gord: set {applied}");
    }
    let options = gord::edit::WriteOptions::new(false).map_err(anyhow::Error::new)?;
    let outcome = settings_fix::write(&plan, &options).map_err(anyhow::Error::new)?;
    let written = match &outcome.backup {
        Some(_) => gord::ssh::fix::wrote_message(&outcome),
        None => format!("created {}", outcome.target.display()),
    };
    gord::say!("gord: {written}");
    Ok(())
}
