//! `gord lint`: golangci-lint (go vet without it), or a report it wrote.
//!
//! Exit 0 clean, 1 issues at or above --fail-on (default: every issue), 2
//! when the linter itself failed (its config, code that does not compile, a
//! crash) or gord did.

use std::path::{Path, PathBuf};

use anyhow::Context;

use gord::lint::output::Report;

use super::exit::{CliResult, Exit};
use super::output::{runtime, write_stdout, Format, OutputArgs};

#[derive(clap::Args)]
#[command(mut_arg("fail_on", |arg| arg.default_value("info")))]
#[command(mut_arg("format", |arg| super::output::writes(arg, "text (`file:line:col: severity: message (linter)`, with the fix), json or sarif (SARIF 2.1.0, for code-scanning tools)")))]
pub struct LintArgs {
    /// Packages to lint: a directory (that package only), a file (its
    /// package), or `dir/...` (every package below dir). Default: `./...`.
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    #[command(flatten)]
    output: OutputArgs,
    /// Time limit for each module's run, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// Read a golangci-lint JSON report (v1 or v2; `-` for stdin) instead of
    /// running the linter: gord places its issues exactly and prints them in
    /// --format. Relative file names are taken from the current directory.
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    from_json: Option<PathBuf>,
    /// Let a go.mod/go.work `toolchain` line make go download and run another
    /// Go toolchain. Without it gord's children run with GOTOOLCHAIN=local
    /// (a GOTOOLCHAIN of `local` or `goX.Y.Z` you set yourself is kept).
    #[arg(long)]
    allow_toolchain_switch: bool,
}

type Render = fn(&Report, bool) -> String;

pub fn run(args: LintArgs) -> CliResult {
    use gord::lint::output;
    let render: Render = match args.output.format {
        Format::Text => output::render_text,
        Format::Json => |report, _| output::render_json(report) + "\n",
        Format::Sarif => |report, _| output::render_sarif(report) + "\n",
        Format::Markdown => {
            let writes = [Format::Text, Format::Json, Format::Sarif];
            return Err(args.output.unwritten("gord lint", &writes));
        }
    };
    gord::lifeline::allow_toolchain_switch(args.allow_toolchain_switch);
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let report = match &args.from_json {
        Some(file) => from_json(file, &cwd)?,
        None => lint_packages(&args, &cwd)?,
    };
    write_stdout(&render(&report, args.output.colour()))?;
    let failures: Vec<_> = report.failures().collect();
    for failure in &failures {
        gord::say!("gord: {}", failure.message);
    }
    if !failures.is_empty() {
        return Ok(Exit::Failed);
    }
    Ok(Exit::for_findings(
        report.issues().map(|i| i.finding.severity),
        args.output.fail_on,
    ))
}

fn lint_packages(args: &LintArgs, cwd: &Path) -> anyhow::Result<Report> {
    let targets =
        gord::lint::scope::targets_from_paths(&args.paths, cwd).map_err(anyhow::Error::msg)?;
    let locator = gord::toolchain::Locator::from_process();
    let runner = gord::exec::SystemRunner;
    let rt = runtime()?;
    let linter = rt
        .block_on(async {
            let install_dir = locator.read_install_dir(&runner).await;
            gord::lint::find_linter(&runner, &locator, install_dir.as_deref()).await
        })
        .context("neither golangci-lint nor go is installed (see `gord check`)")?;
    if linter.kind == gord::lint::model::ToolKind::GoVet {
        let install = gord::goenv::tools::pinned("golangci-lint")
            .map(|t| t.install_argv().join(" "))
            .unwrap_or_default();
        gord::say!(
            "gord: golangci-lint is not installed, so go vet lints instead (install it: {install})"
        );
    }
    Ok(rt.block_on(gord::lint::lint_targets(
        &runner,
        &linter,
        &targets,
        std::time::Duration::from_secs(args.timeout),
    )))
}

/// `gord lint --from-json FILE`: a report golangci-lint wrote elsewhere.
fn from_json(file: &Path, cwd: &Path) -> anyhow::Result<Report> {
    use gord::fsread::Kind;
    let started = std::time::Instant::now();
    let cap = Kind::LintReport.cap();
    let json = if file == Path::new("-") {
        let bytes = gord::fsread::read_limited(std::io::stdin(), cap, 0)
            .context("cannot read the report from stdin")?
            .with_context(|| format!("the report on stdin is larger than {} MiB", cap >> 20))?;
        String::from_utf8(bytes).context("the report on stdin is not UTF-8")?
    } else {
        gord::fsread::read_to_string(file, Kind::LintReport)?
    };
    let parsed = gord::lint::golangci::read_report(&json, cwd).with_context(|| {
        format!(
            "{} is not a golangci-lint JSON report",
            if file == Path::new("-") {
                String::from("stdin")
            } else {
                file.display().to_string()
            }
        )
    })?;
    drop(json);
    let mut unread: Vec<PathBuf> = Vec::new();
    let issues = gord::lint::place_issues(
        gord::lint::model::ToolKind::GolangciLint,
        parsed.issues,
        |path| {
            let text = gord::lint::read_reported_source(path);
            if text.is_none() {
                unread.push(path.to_path_buf());
            }
            text
        },
    );
    if let Some(first) = unread.first() {
        let placed_blind = issues
            .iter()
            .filter(|i| unread.iter().any(|u| u == i.path()))
            .count();
        let issues_there = match placed_blind {
            1 => String::from("the 1 issue there is"),
            n => format!("the {n} issues there are"),
        };
        gord::say!(
            "gord: warning: cannot read {} of the files the report names ({}{}); {issues_there} placed at the reported line and column, without fixes. Relative file names are taken from the current directory: run gord where the report was made",
            unread.len(),
            first.display(),
            if unread.len() > 1 { ", ..." } else { "" },
        );
    }
    tracing::info!(
        issues = issues.len(),
        ms = started.elapsed().as_millis() as u64,
        "report placed"
    );
    Ok(Report {
        tool: gord::lint::model::ToolKind::GolangciLint,
        linter: String::from("golangci-lint (report)"),
        runs: vec![gord::lint::output::ModuleRun {
            module_root: cwd.to_path_buf(),
            patterns: Vec::new(),
            issues,
            failures: parsed.failures,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        }],
    })
}
