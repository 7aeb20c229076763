//! `gord procs`: the processes you could debug, with what their executables say.
//!
//! Each process's attach preflight is its findings: exit 1 when one reaches
//! --fail-on (default `never`: listing is not a verdict).

use gord::debug::discover::{Discovery, ProcessInfo};
use gord::debug::procfs::format_utc;
use gord::debug::ProcessList;
use gord::render::escape::line as esc;
use gord::render::style::{self, Paint};

use super::exit::{CliResult, Exit};
use super::output::{write_stdout, OutputArgs, Report};

#[derive(clap::Args)]
#[command(mut_arg("fail_on", |arg| arg.default_value("never")))]
#[command(mut_arg("format", |arg| super::output::writes(arg, "text (a table), json or sarif (each process's preflight findings)")))]
pub struct ProcsArgs {
    /// Only Go programs.
    #[arg(long)]
    go: bool,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: ProcsArgs) -> CliResult {
    let report = args.output.report("gord procs")?;
    let mut discovery = Discovery::system();
    let list = gord::debug::list_processes(&mut discovery, gord::debug::dlv::gather(), args.go)?;
    let findings: Vec<_> = list
        .processes
        .iter()
        .flat_map(|e| e.preflight.shown())
        .collect();
    write_stdout(&match report {
        Report::Text => table(&list, args.go, Paint::new(args.output.colour())),
        Report::Json => gord::render::json::render("procs", &list, &findings) + "\n",
        Report::Sarif => {
            gord::render::sarif::gord(&findings, gord::docs::docs_root().as_deref()) + "\n"
        }
    })?;
    Ok(Exit::for_findings(
        findings.iter().map(|f| f.severity),
        args.output.fail_on,
    ))
}

/// The table; with colour on, the header is bold and each verdict takes the
/// colour of its worst finding (green when there is none).
fn table(list: &ProcessList, go_only: bool, paint: Paint) -> String {
    const VERDICT: usize = 7;
    let mut rows = vec![[
        "PID",
        "USER",
        "STARTED (UTC)",
        "GO",
        "MODULE",
        "DWARF",
        "OPTIMISED",
        "VERDICT",
        "COMMAND",
    ]
    .map(String::from)];
    for entry in &list.processes {
        let p = &entry.process;
        let go = p.binary.as_ref().and_then(|b| b.go.as_ref());
        let yes_no = |v: Option<bool>| match v {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        let row = [
            p.pid.to_string(),
            p.user.clone(),
            p.started_unix.map(format_utc).unwrap_or_else(|| "-".into()),
            go.map(|g| g.go_version.clone())
                .unwrap_or_else(|| "-".into()),
            go.and_then(|g| g.main_module.as_ref().map(|m| m.path.clone()))
                .unwrap_or_else(|| "-".into()),
            yes_no(p.binary.as_ref().map(|b| b.dwarf)).into(),
            yes_no(entry.optimised).into(),
            entry.verdict.clone(),
            command_text(p),
        ];
        // Process names, users and module paths are anyone's to choose.
        rows.push(row.map(|cell| esc(&cell).into_owned()));
    }
    let widths: Vec<usize> = (0..9)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    // Each row's style: bold for the header, its verdict's colour for a process.
    let header = std::iter::once(None);
    let verdicts = list.processes.iter().map(|entry| {
        let worst = entry.preflight.findings.iter().map(|f| f.severity).max();
        Some(worst.map_or(style::OK, style::severity))
    });
    let mut out = String::new();
    for (row, verdict_style) in rows.iter().zip(header.chain(verdicts)) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            // Padded first, painted after, so escape codes do not count as width.
            let padded = if i == row.len() - 1 {
                cell.clone()
            } else {
                format!("{cell:<w$}  ", w = widths[i])
            };
            let cell_style = match verdict_style {
                None => Some(style::BOLD),
                Some(s) if i == VERDICT => Some(s),
                Some(_) => None,
            };
            match cell_style {
                Some(s) if i == row.len() - 1 => line.push_str(&paint.paint(s, &padded)),
                Some(s) => {
                    let text = padded.trim_end();
                    line.push_str(&paint.paint(s, text));
                    line.push_str(&padded[text.len()..]);
                }
                None => line.push_str(&padded),
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if list.processes.is_empty() {
        out.push_str(if go_only {
            "no Go processes\n"
        } else {
            "no processes\n"
        });
    }
    out
}

fn command_text(p: &ProcessInfo) -> String {
    let text = if p.command.is_empty() {
        format!("[{}]", p.name)
    } else {
        p.command.join(" ")
    };
    if text.chars().count() > 60 {
        text.chars().take(57).collect::<String>() + "..."
    } else {
        text
    }
}
