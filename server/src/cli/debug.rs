//! `gord debug core`: does a core dump belong to a binary, and the `dlv core`
//! configuration when it does.
//!
//! A mismatch is an error, a core compared by the executable's name only (no
//! build ID) a warning: exit 1 when one reaches --fail-on (default `error`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::json;

use gord::debug::config::core_configuration;
use gord::debug::core::{match_core, CoreVerdict};
use gord::render::escape::line as esc;
use gord::render::style::{self, Paint};

use super::exit::{CliResult, Exit};
use super::output::{write_stdout, OutputArgs, Report};

#[derive(clap::Subcommand)]
pub enum DebugCommand {
    /// Check that a core dump belongs to a binary and print a `dlv core` configuration.
    Core(CoreArgs),
}

#[derive(clap::Args)]
#[command(mut_arg("fail_on", |arg| arg.default_value("error")))]
#[command(mut_arg("format", |arg| super::output::writes(arg, "text, json or sarif (a mismatch as a finding on the core)")))]
pub struct CoreArgs {
    /// The program's executable.
    binary: PathBuf,
    /// The core dump it may have left.
    core: PathBuf,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(command: DebugCommand) -> CliResult {
    match command {
        DebugCommand::Core(args) => core(args),
    }
}

fn core(args: CoreArgs) -> CliResult {
    let report = args.output.report("gord debug core")?;
    let (binary, core) = (args.binary.as_path(), args.core.as_path());
    // Not through fsread: a binary and a core the user names on the command
    // line, read in place (ELF sections by offset), not whole.
    let open = |path: &Path| {
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))
    };
    let (binary_file, core_file) = (open(binary)?, open(core)?);
    let binary_abs = binary
        .canonicalize()
        .unwrap_or_else(|_| binary.to_path_buf());
    let core_abs = core.canonicalize().unwrap_or_else(|_| core.to_path_buf());
    let result = match_core(
        &binary.display().to_string(),
        &binary_file,
        &core.display().to_string(),
        &core_file,
    )?;
    let config = core_configuration(&binary_abs, &core_abs);
    let findings = result.findings(&core_abs);
    if report == Report::Json {
        let facts = json!({"match": result, "configuration": config});
        write_stdout(&(gord::render::json::render("debug core", &facts, &findings) + "\n"))?;
    } else if report == Report::Sarif {
        let sarif = gord::render::sarif::gord(&findings, gord::docs::docs_root().as_deref());
        write_stdout(&(sarif + "\n"))?;
    } else {
        let verdict_style = match result.verdict {
            CoreVerdict::Match => style::OK,
            CoreVerdict::NameOnly => style::WARNING,
            CoreVerdict::Mismatch => style::ERROR,
        };
        let paint = Paint::new(args.output.colour());
        let mut out = format!("{}\n", paint.paint(verdict_style, &esc(&result.message)));
        if result.verdict != CoreVerdict::Mismatch {
            let _ = writeln!(
                out,
                "\ndlv core {} {}\n{}",
                binary_abs.display(),
                core_abs.display(),
                serde_json::to_string_pretty(&config)?
            );
        }
        write_stdout(&out)?;
    }
    let severities = findings.iter().map(|f| f.severity);
    Ok(Exit::for_findings(severities, args.output.fail_on))
}
