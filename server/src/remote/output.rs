//! `gord remote check` output: the fleet table for people; the JSON
//! envelope and SARIF 2.1.0 through the shared renderers, with the fleet
//! report as this command's facts.

use std::fmt::Write;

use anstyle::Style;

use super::model::{FleetReport, HostReport, Verdict};
use crate::check::Status;
use crate::render::escape::line as esc;
use crate::render::sarif;
use crate::render::style::{self, Paint};

fn paint(colour: bool, style: Style, text: &str) -> String {
    Paint::new(colour).paint(style, text)
}

fn verdict(colour: bool, v: Verdict) -> String {
    let style = match v {
        Verdict::Yes => style::OK,
        Verdict::No => style::ERROR,
        Verdict::Unknown => style::DIM,
    };
    paint(colour, style, v.word())
}

fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut kept: String = text.chars().take(width.saturating_sub(1)).collect();
        kept.push('…');
        kept
    }
}

fn pad(text: &str, plain_len: usize, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(plain_len)))
}

fn latency(host: &HostReport) -> String {
    host.summary
        .latency_ms
        .map_or(String::from("-"), |ms| format!("{ms} ms"))
}

/// The fleet table (host, reachable, auth, Go ready, VS Code server ready,
/// latency, first problem), then each host's findings with their fixes.
pub fn render_text(report: &FleetReport, colour: bool) -> String {
    let host_width = report
        .hosts
        .iter()
        .map(|h| h.host.chars().count().min(32))
        .max()
        .unwrap_or(4)
        .max(4);
    let headers = ["REACHABLE", "AUTH", "GO", "VSCODE", "LATENCY"];
    let mut out = String::new();
    let _ = write!(out, "{}  ", pad("HOST", 4, host_width));
    for h in headers {
        let _ = write!(out, "{h:<10}");
    }
    let _ = writeln!(out, "FIRST PROBLEM");
    for host in &report.hosts {
        let s = &host.summary;
        let name = cut(&esc(&host.host), 32);
        let _ = write!(out, "{}  ", pad(&name, name.chars().count(), host_width));
        for v in [s.reachable, s.auth, s.go_ready, s.vscode_server_ready] {
            let _ = write!(out, "{}", pad(&verdict(colour, v), v.word().len(), 10));
        }
        let _ = write!(out, "{:<10}", latency(host));
        let _ = writeln!(
            out,
            "{}",
            s.first_problem
                .as_deref()
                .map_or(String::from("-"), |p| cut(&esc(p), 90))
        );
    }
    for host in &report.hosts {
        if host.findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}:", paint(colour, style::BOLD, &esc(&host.host)));
        for f in &host.findings {
            let mark = match Status::from(f.severity) {
                Status::Error => paint(colour, style::ERROR, "✗"),
                Status::Warning => paint(colour, style::WARNING, "!"),
                Status::Ok => paint(colour, style::OK, "✓"),
                Status::Skipped => String::from("-"),
            };
            let _ = writeln!(out, "  {mark} {} {}", esc(&f.code), esc(&f.message));
            if let Some(detail) = &f.detail {
                for line in detail.lines() {
                    let _ = writeln!(out, "      {}", esc(line));
                }
            }
            // Every fix: a command, a settings edit, and advice for the rest.
            for fix in &f.fixes {
                let _ = writeln!(
                    out,
                    "    {} {}",
                    paint(colour, style::DIM, "fix:"),
                    esc(&fix.title)
                );
                if let Some(argv) = &fix.command {
                    let _ = writeln!(out, "         {}", esc(&argv.join(" ")));
                }
            }
        }
        if let Some(control) = &host.control {
            let timing = match (control.first_connection_ms, control.second_connection_ms) {
                (Some(a), Some(b)) => {
                    format!("a first connection to {} logged in in {a} ms, a second over it took {b} ms", esc(&host.host))
                }
                (Some(a), None) => format!(
                    "a first connection to {} logged in in {a} ms; a second was not made (one connection a host in a fleet: `--login-nodes` makes it)",
                    esc(&host.host)
                ),
                _ => String::from("connection timing not measured"),
            };
            let _ = writeln!(
                out,
                "  · ControlMaster {}: {}; {timing}",
                esc(&control.control_master),
                esc(&control.check_message)
            );
        }
    }
    let errors = report
        .hosts
        .iter()
        .filter(|h| h.status == Status::Error)
        .count();
    let warnings = report
        .hosts
        .iter()
        .filter(|h| h.status == Status::Warning)
        .count();
    let _ = writeln!(
        out,
        "\n{} host{} checked in {:.1} s: {errors} with errors, {warnings} with warnings",
        report.hosts.len(),
        if report.hosts.len() == 1 { "" } else { "s" },
        report.duration_ms as f64 / 1000.0
    );
    out
}

/// The run in the JSON envelope: the `FleetReport` wire type's fields
/// (`version`, `hosts`, `durationMs`) and the findings.
pub fn render_json(report: &FleetReport) -> String {
    crate::render::json::render("remote check", report, &report.findings())
}

/// SARIF 2.1.0: one rule per RMT code, each result on its host (a logical
/// location, as a host is not a file), command fixes as properties.
pub fn render_sarif(report: &FleetReport, docs_root: Option<&std::path::Path>) -> String {
    sarif::render(&sarif::Log {
        tool: sarif::Tool {
            name: "gord remote check",
            version: &report.version,
            information_uri: Some(crate::render::INFORMATION_URI),
        },
        findings: &report.findings(),
        docs_root,
        failures: &[],
        properties: None,
    })
}
