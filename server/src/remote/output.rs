//! `gord remote check` output: a table for people, JSON for scripts, SARIF
//! for code-scanning tools. Pure functions of a finished run.

use std::fmt::Write;

use serde_json::json;

use super::model::{FleetReport, HostReport, Verdict};
use crate::check::Status;
use crate::render::escape::line as esc;

fn paint(colour: bool, code: &str, text: &str) -> String {
    if colour {
        format!("{code}{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn verdict(colour: bool, v: Verdict) -> String {
    let code = match v {
        Verdict::Yes => "\x1b[32m",
        Verdict::No => "\x1b[31m",
        Verdict::Unknown => "\x1b[2m",
    };
    paint(colour, code, v.word())
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
        let _ = writeln!(out, "\n{}:", paint(colour, "\x1b[1m", &esc(&host.host)));
        for f in &host.findings {
            let mark = match Status::from(f.severity) {
                Status::Error => paint(colour, "\x1b[31m", "✗"),
                Status::Warning => paint(colour, "\x1b[33m", "!"),
                Status::Ok => paint(colour, "\x1b[32m", "✓"),
                Status::Skipped => String::from("-"),
            };
            let _ = writeln!(out, "  {mark} {} {}", esc(&f.code), esc(&f.message));
            if let Some(detail) = &f.detail {
                for line in detail.lines() {
                    let _ = writeln!(out, "      {}", esc(line));
                }
            }
            if let Some(fix) = f.fix() {
                let _ = writeln!(
                    out,
                    "    {} {}",
                    paint(colour, "\x1b[2m", "fix:"),
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
                    format!("`ssh {} true`: {a} ms, then {b} ms", esc(&host.host))
                }
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

/// The run as one JSON document (the `FleetReport` wire type).
pub fn render_json(report: &FleetReport) -> String {
    crate::render::escape::json(&serde_json::to_string_pretty(report).unwrap_or_default())
        .into_owned()
}

/// SARIF 2.1.0: one rule per RMT code, each result on the host (a logical
/// location, as a host is not a file).
pub fn render_sarif(report: &FleetReport, docs_root: Option<&std::path::Path>) -> String {
    let mut codes: Vec<&str> = report
        .hosts
        .iter()
        .flat_map(|h| h.findings.iter().map(|f| f.code.as_str()))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<_> = codes
        .iter()
        .map(|code| {
            let page = crate::check::doc_path(code);
            let help = crate::docs::rule_page(docs_root, &page)
                .map_or(page.clone(), |path| crate::uri::file_uri(&path));
            json!({ "id": code, "name": code, "helpUri": help })
        })
        .collect();
    let results: Vec<_> = report
        .hosts
        .iter()
        .flat_map(|host| {
            host.findings.iter().map(move |f| {
                let mut message = f.message.clone();
                if let Some(fix) = f.fix() {
                    message.push_str(" Fix: ");
                    message.push_str(&fix.title);
                }
                json!({
                    "ruleId": f.code,
                    "level": match Status::from(f.severity) { Status::Error => "error", Status::Warning => "warning", _ => "note" },
                    "message": { "text": esc(&message) },
                    "locations": [{ "logicalLocations": [{ "name": host.host, "kind": "host" }] }],
                })
            })
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "gord remote check",
                "semanticVersion": report.version,
                "rules": rules,
            } },
            "results": results,
        }],
    });
    crate::render::escape::json(&serde_json::to_string_pretty(&sarif).unwrap_or_default())
        .into_owned()
}
