//! `gord procs`: the processes you could debug, with what their executables say.
//!
//! Each process's attach preflight is its findings: exit 1 when one reaches
//! --fail-on (default `never`: listing is not a verdict).

use std::fmt::Write as _;

use gord::debug::discover::{Discovery, ProcessInfo};
use gord::debug::procfs::format_utc;
use gord::debug::ProcessList;
use gord::render::escape::line as esc;

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
        Report::Text => table(&list, args.go),
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

fn table(list: &ProcessList, go_only: bool) -> String {
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
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i == row.len() - 1 {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<w$}  ", w = widths[i]);
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
