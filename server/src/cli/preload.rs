//! `gord preload`: warm a workspace's caches and prove it builds offline.
//!
//! Exit 0 when everything is warm and offline-ready, 1 when a step failed
//! (an error) or something still needs the network (a warning) at or above
//! --fail-on, 2 when gord failed, 130 when interrupted.

use std::path::PathBuf;

use anyhow::{bail, Context};

use gord::finding::Finding;
use gord::preload::PreloadReport;
use gord::render::style::Paint;

use super::exit::{CliResult, Exit};
use super::output::{runtime, write_stdout, OutputArgs, Report};
use super::progress::StderrProgress;

#[derive(clap::Args)]
#[command(mut_arg("format", |arg| super::output::writes(arg, "text, json or sarif (the report; progress always goes to stderr)")))]
pub struct PreloadArgs {
    /// The Go workspace (its go.work and go.mod files). Default: the current directory.
    #[arg(long, short = 'w', value_name = "DIR", default_value = ".")]
    workspace: PathBuf,
    #[command(flatten)]
    output: OutputArgs,
    /// Download nothing and start no gopls: only check that the workspace's
    /// packages list and type-check with GOPROXY=off, naming each module that
    /// still needs the network.
    #[arg(long)]
    offline_check_only: bool,
    /// Let a go.mod/go.work `toolchain` line make go download and run another
    /// Go toolchain. Without it gord's children run with GOTOOLCHAIN=local
    /// (a GOTOOLCHAIN of `local` or `goX.Y.Z` you set yourself is kept).
    #[arg(long)]
    allow_toolchain_switch: bool,
}

pub fn run(args: PreloadArgs) -> CliResult {
    use gord::preload::{CancellationToken, PreloadError, PreloadEvent};
    let render: fn(&PreloadReport, &[Finding], Paint) -> String =
        match args.output.report("gord preload")? {
            Report::Text => |report, _, paint| gord::preload::text::render_report(report, paint),
            Report::Json => {
                |report, findings, _| gord::render::json::render("preload", report, findings) + "\n"
            }
            Report::Sarif => |_, findings, _| {
                gord::render::sarif::gord(findings, gord::docs::docs_root().as_deref()) + "\n"
            },
        };
    gord::lifeline::allow_toolchain_switch(args.allow_toolchain_switch);
    if !args.workspace.is_dir() {
        bail!(
            "the workspace {} does not exist or is not a directory",
            args.workspace.display()
        );
    }
    let workspace = args
        .workspace
        .canonicalize()
        .with_context(|| format!("cannot resolve the workspace {}", args.workspace.display()))?;
    let rt = runtime()?;
    rt.block_on(async move {
        let cancel = CancellationToken::new();
        let on_signal = cancel.clone();
        // Registered before any child starts, so an early Ctrl-C still cancels.
        let stop = gord::platform::signals::termination(false);
        tokio::spawn(async move {
            stop.await;
            on_signal.cancel();
        });
        let runner = gord::exec::SystemRunner;
        let env = gord::check::Environment::from_process();
        let tools =
            gord::preload::locate_toolchain(&env, &gord::check::Trust::Trusted, &runner).await?;
        let request = gord::preload::PreloadRequest {
            workspace,
            offline_check_only: args.offline_check_only,
        };
        let progress = StderrProgress::new();
        let sink = |event: PreloadEvent| progress.show(&event);
        let result = gord::preload::preload(&request, &tools, &runner, &sink, &cancel).await;
        progress.finish();
        let report = match result {
            Ok(report) => report,
            Err(PreloadError::Cancelled) => {
                gord::say!(
                    "gord: preload cancelled; every go and gopls process it started was stopped"
                );
                return Ok(Exit::Interrupted);
            }
            Err(e) => return Err(e.into()),
        };
        let findings = report.findings();
        let paint = Paint::new(args.output.colour());
        write_stdout(&render(&report, &findings, paint))?;
        let severities = findings.iter().map(|f| f.severity);
        Ok(Exit::for_findings(severities, args.output.fail_on))
    })
}
