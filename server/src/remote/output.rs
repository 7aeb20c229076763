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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Edit, Finding, Fix, Position, Range, Severity, Subject};
    use crate::remote::model::{HostSummary, Verdict};

    /// One host whose RMT030 has a settings edit and advice after it.
    fn fleet_with_two_fixes() -> FleetReport {
        let settings_edit = Fix::edits(
            "Set `\"remote.SSH.useFlock\": false` in your VS Code user settings",
            vec![Edit {
                path: "/home/me/.config/Code/User/settings.json".into(),
                range: Range::new(Position::new(0, 1), Position::new(0, 1)),
                new_text: "\"remote.SSH.useFlock\": false".into(),
            }],
        );
        let finding = Finding::new(
            "RMT030",
            Severity::Error,
            "flock hangs in the home directory",
            Subject::Host {
                host: "devbox".into(),
            },
        )
        .with_rule_page()
        .with_fix(settings_edit)
        .with_fix(Fix::advice("Move the Go caches to local disk"));
        let summary = HostSummary {
            reachable: Verdict::Yes,
            auth: Verdict::Yes,
            go_ready: Verdict::Yes,
            vscode_server_ready: Verdict::No,
            latency_ms: Some(4),
            first_problem: Some("RMT030 flock hangs in the home directory".into()),
        };
        FleetReport {
            version: "0.1.0".into(),
            hosts: vec![HostReport::without_facts(
                "devbox",
                vec![finding],
                summary,
                Status::Error,
                7,
            )],
            duration_ms: 8,
        }
    }

    #[test]
    fn json_shows_every_fix_of_a_finding_on_its_host_and_in_the_findings() {
        let json = render_json(&fleet_with_two_fixes());
        insta::assert_snapshot!("remote_json_every_fix", json);
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        let on_host = &doc["hosts"][0]["findings"][0];
        assert_eq!(on_host["fixes"].as_array().map(Vec::len), Some(2));
        assert_eq!(on_host["fix"], on_host["fixes"][0], "fix stays the first");
        assert_eq!(
            doc["findings"][0]["fixes"].as_array().map(Vec::len),
            Some(2)
        );
    }

    #[test]
    fn sarif_shows_the_settings_edit_and_the_advice() {
        let sarif: serde_json::Value =
            serde_json::from_str(&render_sarif(&fleet_with_two_fixes(), None)).unwrap();
        let result = &sarif["runs"][0]["results"][0];
        assert_eq!(result["fixes"].as_array().map(Vec::len), Some(1));
        assert_eq!(
            result["properties"]["fixes"][0]["title"],
            "Move the Go caches to local disk"
        );
    }

    #[test]
    fn a_fleet_read_back_keeps_every_fix() {
        let fleet = fleet_with_two_fixes();
        let read: FleetReport =
            serde_json::from_str(&serde_json::to_string(&fleet).unwrap()).unwrap();
        assert_eq!(read.findings()[0].fixes, fleet.findings()[0].fixes);
    }
}
