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
    let options = RemoteCheckOptions {
        config: args.config.clone(),
        timeout: std::time::Duration::from_secs(args.timeout),
        jobs: usize::from(args.jobs),
        connect_budget: std::time::Duration::from_secs(args.connect_timeout),
        ..RemoteCheckOptions::default()
    };
    let progress = |event: remote::model::Progress| tracing::debug!(?event, "remote check");
    let report = runtime()?.block_on(remote::check_hosts(&hosts, &options, &progress));
    write_stdout(&render(&report, args.output.colour()))?;
    let statuses = report.hosts.iter().map(|h| h.status);
    Ok(Exit::for_findings(
        statuses.filter_map(super::check::severity),
        args.output.fail_on,
    ))
}
