//! `gord check`: every health check, as text, JSON, Markdown or SARIF.

use std::path::PathBuf;

use anyhow::{bail, Context};

use gord::check::{HealthReport, Status};
use gord::finding::Severity;
use gord::goenv::version::GoVersion;
use gord::settings::Settings;

use super::exit::{CliResult, Exit};
use super::output::{runtime, write_stdout, Format, OutputArgs};

#[derive(clap::Args)]
#[command(mut_arg("format", |arg| super::output::writes(arg, "text (grouped by area), json (the shape of the gord/health response), markdown (the report as VS Code shows it) or sarif (SARIF 2.1.0: a result per located finding and per check that warns or fails)")))]
pub struct CheckArgs {
    /// The Go workspace to check (its go.mod and go.work files). Default: none.
    #[arg(long, short = 'w', value_name = "DIR")]
    workspace: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Time limit for each check, in seconds (1 to 600).
    #[arg(long, value_name = "SECONDS", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=600))]
    timeout: u64,
    /// Warn when the Go toolchain is older than this version.
    #[arg(long, value_name = "VERSION", default_value = gord::settings::DEFAULT_MINIMUM_GO, value_parser = parse_go_version)]
    min_go_version: GoVersion,
}

fn parse_go_version(text: &str) -> Result<GoVersion, String> {
    GoVersion::parse(text).map_err(|e| e.to_string())
}

pub fn run(args: CheckArgs) -> CliResult {
    let render: fn(&HealthReport, bool) -> String = match args.output.format {
        Format::Text => gord::render::render_text,
        Format::Json => |report, _| gord::render::render_json(report) + "\n",
        Format::Markdown => {
            |report, _| gord::render::render_markdown(report, gord::docs::docs_root().as_deref())
        }
        Format::Sarif => |report, _| {
            gord::render::render_sarif(report, gord::docs::docs_root().as_deref()) + "\n"
        },
    };
    let workspace = match &args.workspace {
        Some(dir) => {
            if !dir.is_dir() {
                bail!(
                    "the workspace {} does not exist or is not a directory",
                    dir.display()
                );
            }
            Some(
                dir.canonicalize()
                    .with_context(|| format!("cannot resolve the workspace {}", dir.display()))?,
            )
        }
        None => None,
    };
    let settings = Settings {
        minimum_go: args.min_go_version.clone(),
        check_timeout: std::time::Duration::from_secs(args.timeout),
        ..Settings::default()
    };
    let report = runtime()?.block_on(gord::health(
        workspace,
        settings,
        gord::check::Trust::Trusted,
    ));
    write_stdout(&render(&report, args.output.colour()))?;
    Ok(Exit::for_findings(severities(&report), args.output.fail_on))
}

/// A check's status as a finding's severity: ok and skipped are none.
pub fn severity(status: Status) -> Option<Severity> {
    match status {
        Status::Error => Some(Severity::Error),
        Status::Warning => Some(Severity::Warning),
        Status::Ok | Status::Skipped => None,
    }
}

fn severities(report: &HealthReport) -> impl Iterator<Item = Severity> + '_ {
    report.checks.iter().filter_map(|c| severity(c.status))
}
