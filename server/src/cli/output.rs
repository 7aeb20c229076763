//! The output flags every reporting command shares (`--format`, `--fail-on`,
//! `--color`) and the one way a report reaches stdout.

use std::io::Write;

use anyhow::Context;

use super::exit::{FailOn, Usage};

/// `--format`, `--fail-on` and `--color`, flattened into every reporting
/// command. Each command names the formats it writes with
/// `#[command(mut_arg("format", |a| writes(a, "...")))]`, and a `--fail-on`
/// default other than `warning` with `mut_arg("fail_on", ...)`.
#[derive(clap::Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Colour in text output: auto means only on a terminal and without NO_COLOR.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people, on a terminal or in a log.
    Text,
    /// For machines: the report as JSON.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// A Markdown document, as shown in VS Code (gord check).
    Markdown,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Markdown => "markdown",
        }
    }
}

/// The formats every reporting command writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    Text,
    /// The JSON envelope (docs/json-schema.md).
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `--format`'s help for a command that writes `formats` (in words).
pub fn writes(arg: clap::Arg, formats: &str) -> clap::Arg {
    arg.help(format!("Output format: {formats}"))
        .hide_possible_values(true)
}

impl OutputArgs {
    /// The usage error for a `--format` that `command` (`"gord procs"`) does
    /// not write; `writes` are the formats it does write. Commands choose
    /// their renderer before doing any work, so this comes first.
    pub fn unwritten(&self, command: &str, writes: &[Format]) -> anyhow::Error {
        let names: Vec<&str> = writes.iter().map(|f| f.name()).collect();
        let offered = match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => names.concat(),
        };
        Usage(format!(
            "`{command} --format {}` is not available; use --format {offered}",
            self.format.name()
        ))
        .into()
    }

    /// For a command that writes text, JSON or SARIF: which of them.
    pub fn report(&self, command: &str) -> anyhow::Result<Report> {
        match self.format {
            Format::Text => Ok(Report::Text),
            Format::Json => Ok(Report::Json),
            Format::Sarif => Ok(Report::Sarif),
            Format::Markdown => {
                Err(self.unwritten(command, &[Format::Text, Format::Json, Format::Sarif]))
            }
        }
    }

    /// Whether text output is coloured.
    pub fn colour(&self) -> bool {
        use gord::render::style;
        style::stdout_wants_colour(match self.color {
            ColorChoice::Always => style::ColorChoice::Always,
            ColorChoice::Never => style::ColorChoice::Never,
            ColorChoice::Auto => style::ColorChoice::Auto,
        })
    }
}

/// Writes the report; a closed pipe (`gord check | head`) is not an error.
pub fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("could not write the report to stdout"),
    }
}

/// The async runtime a command's library call runs on.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(format: Format) -> OutputArgs {
        OutputArgs {
            format,
            fail_on: FailOn::Warning,
            color: ColorChoice::Never,
        }
    }

    #[test]
    fn every_reporting_command_writes_text_json_and_sarif_but_not_markdown() {
        assert_eq!(
            args(Format::Sarif).report("gord procs").unwrap(),
            Report::Sarif
        );
        assert_eq!(
            args(Format::Json).report("gord procs").unwrap(),
            Report::Json
        );
        let refused = args(Format::Markdown).report("gord procs").unwrap_err();
        assert!(refused.is::<Usage>());
        assert_eq!(
            refused.to_string(),
            "`gord procs --format markdown` is not available; use --format text, json or sarif"
        );
    }

    #[test]
    fn markdown_outside_check_is_a_usage_error() {
        let refused = args(Format::Markdown)
            .unwritten("gord lint", &[Format::Text, Format::Json, Format::Sarif]);
        assert_eq!(
            refused.to_string(),
            "`gord lint --format markdown` is not available; use --format text, json or sarif"
        );
    }
}
