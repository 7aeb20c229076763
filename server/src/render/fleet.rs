//! The "Remote hosts" area of the report: the fleet table (host, reachable,
//! auth, Go ready, VS Code server ready, latency, first problem), then each
//! host's findings with their fixes and rule pages. Markdown and HTML.

use std::fmt::Write;
use std::path::Path;

use crate::check::{doc_path, Status};
use crate::remote::model::{FleetReport, HostReport, Verdict};
use crate::render::html::escape as html_escape;
use crate::render::text::shell_words;

pub const TITLE: &str = "Remote hosts";
pub const ANCHOR: &str = "area-remote-hosts";

const HEADERS: [&str; 7] = [
    "Host",
    "Reachable",
    "Auth",
    "Go ready",
    "VS Code server ready",
    "Latency",
    "First problem",
];

fn icon(status: Status) -> &'static str {
    match status {
        Status::Ok => "✅",
        Status::Warning => "⚠️",
        Status::Error => "❌",
        Status::Skipped => "⏭️",
    }
}

fn verdict(v: Verdict) -> String {
    match v {
        Verdict::Yes => String::from("✅ yes"),
        Verdict::No => String::from("❌ no"),
        Verdict::Unknown => String::from("?"),
    }
}

fn cells(host: &HostReport) -> [String; 6] {
    let s = &host.summary;
    [
        verdict(s.reachable),
        verdict(s.auth),
        verdict(s.go_ready),
        verdict(s.vscode_server_ready),
        s.latency_ms
            .map_or(String::from("-"), |ms| format!("{ms} ms")),
        s.first_problem.clone().unwrap_or_else(|| String::from("-")),
    ]
}

/// The overview's status cell: the worst host and how many need fixing.
pub fn overview_status(fleet: &FleetReport) -> (Status, String) {
    let problems = fleet
        .hosts
        .iter()
        .filter(|h| h.status >= Status::Warning)
        .count();
    let text = if problems == 0 {
        String::from("ok")
    } else {
        format!("{problems} to fix")
    };
    (fleet.worst(), text)
}

/// The area as Markdown; every host name, message and fix goes through the
/// escaper, so none is read as markup.
pub fn markdown(out: &mut String, fleet: &FleetReport, docs_root: Option<&Path>) {
    use crate::render::escape::{md_code, md_code_cell, md_text as escape};
    let _ = writeln!(out, "\n## {TITLE}\n");
    let _ = writeln!(out, "| {} |", HEADERS.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(HEADERS.len()));
    for host in &fleet.hosts {
        let cells = cells(host).map(|c| escape(&c));
        let _ = writeln!(
            out,
            "| {} | {} |",
            md_code_cell(&host.host),
            cells.join(" | ")
        );
    }
    for host in fleet.hosts.iter().filter(|h| !h.findings.is_empty()) {
        let _ = writeln!(out, "\n### {} {}\n", icon(host.status), escape(&host.host));
        for finding in &host.findings {
            let _ = writeln!(
                out,
                "- {} {} {}",
                icon(Status::from(finding.severity)),
                escape(&finding.code),
                escape(&finding.message)
            );
            if let Some(fix) = finding.fix() {
                let _ = writeln!(out, "  - **Fix:** {}", escape(&fix.title));
                if let Some(argv) = &fix.command {
                    let _ = writeln!(out, "    {}", md_code(&shell_words(argv)));
                }
            }
            let doc = doc_path(&finding.code);
            match crate::docs::rule_page(docs_root, &doc) {
                Some(page) => {
                    let _ = writeln!(
                        out,
                        "  - [About {}]({})",
                        finding.code,
                        crate::uri::file_uri(&page)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "  - About {}: {}",
                        escape(&finding.code),
                        md_code(&doc)
                    );
                }
            }
        }
    }
}

/// The area as HTML. Buttons and links name a host and a finding by index
/// (`data-host`, `data-finding`); the view resolves them against the fleet
/// it holds.
pub fn html(out: &mut String, fleet: &FleetReport) {
    let _ = writeln!(out, "<h2 id=\"{ANCHOR}\">{TITLE}</h2>");
    out.push_str("<table class=\"fleet\">\n<thead><tr>");
    for header in HEADERS {
        let _ = write!(out, "<th>{header}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (n, host) in fleet.hosts.iter().enumerate() {
        let name = html_escape(&host.host);
        let name = if host.findings.is_empty() {
            format!("<code>{name}</code>")
        } else {
            format!("<a href=\"#host-{n}\"><code>{name}</code></a>")
        };
        let _ = write!(
            out,
            "<tr class=\"{}\"><td>{name}</td>",
            host.status.as_str()
        );
        for cell in cells(host) {
            let _ = write!(out, "<td>{}</td>", html_escape(&cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    for (n, host) in fleet.hosts.iter().enumerate() {
        if host.findings.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<section class=\"host {}\" id=\"host-{n}\">\n<h3>{} <code>{}</code></h3>\n<ul class=\"findings\">",
            host.status.as_str(),
            icon(host.status),
            html_escape(&host.host)
        );
        for (f, finding) in host.findings.iter().enumerate() {
            let code = html_escape(&finding.code);
            let _ = write!(
                out,
                "<li>{} <strong>{code}</strong> {}",
                icon(Status::from(finding.severity)),
                html_escape(&finding.message)
            );
            if let Some(fix) = finding.fix() {
                let _ = write!(out, "<br><strong>Fix:</strong> {}", html_escape(&fix.title));
                if let Some(argv) = &fix.command {
                    let _ = write!(
                        out,
                        " <button data-action=\"fix\" data-host=\"{n}\" data-finding=\"{f}\">Run: {}</button>",
                        html_escape(&shell_words(argv))
                    );
                }
            }
            let _ = writeln!(
                out,
                "<br><a href=\"#\" data-action=\"doc\" data-host=\"{n}\" data-finding=\"{f}\">About {code}</a></li>"
            );
        }
        out.push_str("</ul>\n</section>\n");
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::finding::Fix;
    use crate::finding::{Finding, Severity, Subject};
    use crate::remote::model::HostSummary;

    /// Two hosts: one ready, one whose key agent needs a key loaded.
    pub fn fleet() -> FleetReport {
        let summary = |ready: Verdict, problem: Option<&str>| HostSummary {
            reachable: Verdict::Yes,
            auth: ready,
            go_ready: ready,
            vscode_server_ready: ready,
            latency_ms: Some(3),
            first_problem: problem.map(String::from),
        };
        let host = |name: &str, status, findings, summary| HostReport {
            host: name.into(),
            target: None,
            probe: None,
            control: None,
            forwarding: None,
            remote: None,
            remote_error: None,
            findings,
            summary,
            status,
            duration_ms: 9,
        };
        FleetReport {
            version: "0.1.0".into(),
            hosts: vec![
                host("web", Status::Ok, vec![], summary(Verdict::Yes, None)),
                host(
                    "db<1>",
                    Status::Error,
                    vec![Finding::new(
                        "RMT009",
                        Severity::Error,
                        "the key needs its passphrase",
                        Subject::Host {
                            host: "db<1>".into(),
                        },
                    )
                    .with_rule_page()
                    .with_fix(Fix::run(
                        "Load it into your ssh-agent once",
                        ["ssh-add", "/k"],
                    ))],
                    summary(Verdict::No, Some("RMT009 the key needs its passphrase")),
                ),
            ],
            duration_ms: 12,
        }
    }

    #[test]
    fn hostile_host_names_and_messages_stay_text_in_markdown() {
        use pulldown_cmark::{Event, Options, Parser, Tag};
        let mut fleet = fleet();
        let attack = "x`|<img src=x onerror=alert(1)>[l](http://127.0.0.1/)![i](i.png)\n```\n<b>";
        fleet.hosts[1].host = attack.into();
        fleet.hosts[1].findings[0].message = attack.into();
        fleet.hosts[1].summary.first_problem = Some(attack.into());
        if let Some(fix) = fleet.hosts[1].findings[0].fixes.first_mut() {
            fix.title = attack.into();
            fix.command = Some(vec![attack.into()]);
        }
        let mut out = String::new();
        markdown(&mut out, &fleet, None);
        let mut shown = String::new();
        for event in Parser::new_ext(&out, Options::all()) {
            match event {
                Event::Html(h) | Event::InlineHtml(h) => panic!("HTML {h:?} in\n{out}"),
                Event::Start(Tag::Image { .. } | Tag::Link { .. }) => panic!("a link in\n{out}"),
                Event::Text(t) | Event::Code(t) => shown.push_str(&t),
                _ => {}
            }
        }
        assert!(shown.contains("<img src=x onerror=alert(1)>"), "{out}");
        // The table keeps its seven columns: the `|` in the name is no cell.
        let row = out
            .lines()
            .find(|l| l.contains("onerror") && l.starts_with("| "))
            .unwrap();
        assert_eq!(row.matches(" | ").count(), 6, "{row}");
    }

    #[test]
    fn the_fleet_table_has_one_row_per_host_with_its_verdicts_and_first_problem() {
        let mut out = String::new();
        markdown(&mut out, &fleet(), None);
        assert!(out.contains("| Host | Reachable | Auth | Go ready | VS Code server ready | Latency | First problem |"));
        assert!(
            out.contains("| `web` | ✅ yes | ✅ yes | ✅ yes | ✅ yes | 3 ms | - |"),
            "{out}"
        );
        assert!(out.contains("| `db<1>` | ✅ yes | ❌ no | ❌ no | ❌ no | 3 ms | RMT009 the key needs its passphrase |"), "{out}");
        assert!(out.contains("- ❌ RMT009 the key needs its passphrase\n  - **Fix:** Load it into your ssh-agent once\n    `ssh-add /k`\n  - About RMT009: `docs/rules/RMT009.md`"), "{out}");
    }

    #[test]
    fn html_fix_buttons_and_rule_links_name_the_host_and_finding_by_index() {
        let mut out = String::new();
        html(&mut out, &fleet());
        assert_eq!(out.matches("<tr class=").count(), 2);
        assert!(
            out.contains(
                "<tr class=\"error\"><td><a href=\"#host-1\"><code>db&lt;1&gt;</code></a></td>"
            ),
            "{out}"
        );
        assert!(out.contains("<button data-action=\"fix\" data-host=\"1\" data-finding=\"0\">Run: ssh-add /k</button>"));
        assert!(
            out.contains("data-action=\"doc\" data-host=\"1\" data-finding=\"0\">About RMT009</a>")
        );
        assert!(!out.contains("<script"));
    }
}
