//! The report as an HTML fragment for the editor's report view: an overview
//! line per area, then each check with its message, places, fix and rule page.
//! Actions are `data-*` attributes naming a check (and a finding); the view
//! looks the fix up in the report it holds, so nothing in the markup is run.
//! No script, no style: the view supplies both.

use std::fmt::Write;

use crate::check::{Area, CheckResult, HealthReport, Status};
use crate::finding::{Finding, Subject};
use crate::remote::model::FleetReport;
use crate::render::escape::html as escape;
use crate::render::fleet;
use crate::render::text::shell_words;
use crate::render::{
    check_message, checks_worst_first, overview, place, severity_icon, status_icon, summary_line,
    verdict,
};

fn status_class(status: Status) -> &'static str {
    status.as_str()
}

fn subject(subject: &Subject) -> Option<String> {
    match subject {
        Subject::File { path, range } => Some(format!(
            "{}:{}:{}",
            path.display(),
            range.start.line + 1,
            range.start.character + 1
        )),
        Subject::Host { host } => Some(host.clone()),
        Subject::Process { pid, .. } => Some(format!("pid {pid}")),
        Subject::Module { module } => Some(module.clone()),
        Subject::Artifact { path } => Some(path.display().to_string()),
        Subject::Workspace => None,
    }
}

/// One finding as a list item: icon, place (when `with_subject`), code and
/// message, each fix (a command as a button), the rule page's link. `data`
/// holds the `data-*` attributes that name the finding for the view's
/// buttons and links (made of numbers by the caller, never of text).
pub(crate) fn write_finding(out: &mut String, finding: &Finding, data: &str, with_subject: bool) {
    let code = escape(&finding.code);
    let place = with_subject
        .then(|| subject(&finding.subject))
        .flatten()
        .map(|p| format!("<code>{}</code> ", escape(&p)))
        .unwrap_or_default();
    let _ = write!(
        out,
        "<li>{} {place}<strong>{code}</strong> {}",
        severity_icon(finding.severity),
        escape(&finding.message)
    );
    for (n, fix) in finding.fixes.iter().enumerate() {
        let _ = write!(out, "<br><strong>Fix:</strong> {}", escape(&fix.title));
        if let Some(argv) = &fix.command {
            let _ = write!(
                out,
                " <button data-action=\"fix\" {data}>Run: {}</button>",
                escape(&shell_words(argv))
            );
        } else if n == 0 && !fix.edits.is_empty() {
            // The view applies the finding's first fix (the wire's one).
            let _ = write!(out, " <button data-action=\"fix\" {data}>Apply</button>");
        }
    }
    if finding.doc.is_some() {
        let _ = write!(
            out,
            "<br><a href=\"#\" data-action=\"doc\" {data}>About {code}</a>"
        );
    }
    out.push_str("</li>\n");
}

/// Findings as an HTML list; each finding's buttons and links carry
/// `data-finding` = its index in `findings`.
pub fn render_findings(findings: &[Finding]) -> String {
    let mut out = String::from("<ul class=\"findings\">\n");
    for (n, finding) in findings.iter().enumerate() {
        write_finding(&mut out, finding, &format!("data-finding=\"{n}\""), true);
    }
    out.push_str("</ul>\n");
    out
}

pub fn render_html(report: &HealthReport) -> String {
    render_report_html(report, None)
}

/// [`render_html`] with the last remote check's hosts as a last area.
pub fn render_report_html(report: &HealthReport, fleet: Option<&FleetReport>) -> String {
    let mut out = String::from("<h1>Go Remote Doctor report</h1>\n");
    let verdict = verdict(report);
    let _ = writeln!(
        out,
        "<p class=\"verdict\"><strong>{verdict}</strong> — {}.<br>{}</p>",
        escape(&summary_line(report)),
        match &report.workspace {
            Some(ws) => format!(
                "Workspace <code>{}</code>, gord {}.",
                escape(ws),
                escape(&report.version)
            ),
            None => format!("No workspace, gord {}.", escape(&report.version)),
        }
    );

    let rows = overview(report, fleet);
    out.push_str("<table class=\"overview\">\n<thead><tr><th>Area</th><th>Status</th><th>Checks</th></tr></thead>\n<tbody>\n");
    for row in &rows {
        let anchor = match row.area {
            Some(area) => format!("area-{}", area_anchor(area)),
            None => fleet::ANCHOR.to_string(),
        };
        let _ = writeln!(
            out,
            "<tr class=\"{}\"><td><a href=\"#{anchor}\">{}</a></td><td>{} {}</td><td>{}</td></tr>",
            status_class(row.worst),
            escape(row.title),
            status_icon(row.worst),
            row.verdict,
            row.count
        );
    }
    out.push_str("</tbody>\n</table>\n");

    for area in rows.iter().filter_map(|r| r.area) {
        let _ = writeln!(
            out,
            "<h2 id=\"area-{}\">{}</h2>",
            area_anchor(area),
            escape(area.title())
        );
        for check in checks_worst_first(report, area) {
            write_check(&mut out, report, check);
        }
    }
    if let Some(fleet) = fleet {
        fleet_area(&mut out, fleet);
    }
    out
}

/// The "Remote hosts" area: the fleet table, then each host with findings.
/// Buttons and links name a host and a finding by index (`data-host`,
/// `data-finding`); the view resolves them against the fleet it holds.
pub(crate) fn fleet_area(out: &mut String, fleet: &FleetReport) {
    use crate::render::fleet::{cells, ANCHOR, HEADERS, TITLE};
    let _ = writeln!(out, "<h2 id=\"{ANCHOR}\">{TITLE}</h2>");
    out.push_str("<table class=\"fleet\">\n<thead><tr>");
    for header in HEADERS {
        let _ = write!(out, "<th>{header}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (n, host) in fleet.hosts.iter().enumerate() {
        let name = escape(&host.host);
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
            let _ = write!(out, "<td>{}</td>", escape(&cell));
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
            status_icon(host.status),
            escape(&host.host)
        );
        for (f, finding) in host.findings_on_host().iter().enumerate() {
            let data = format!("data-host=\"{n}\" data-finding=\"{f}\"");
            write_finding(out, finding, &data, false);
        }
        out.push_str("</ul>\n</section>\n");
    }
}

fn area_anchor(area: Area) -> String {
    area.title().to_lowercase().replace(' ', "-")
}

fn write_check(out: &mut String, report: &HealthReport, check: &CheckResult) {
    let id = escape(&check.id);
    let _ = writeln!(
        out,
        "<section class=\"check {}\" id=\"check-{id}\">\n<h3>{} {id} — {}</h3>",
        status_class(check.status),
        status_icon(check.status),
        escape(&check.title)
    );
    let message = check_message(check);
    let _ = writeln!(out, "<p>{}</p>", escape(&message));
    if !check.findings.is_empty() {
        out.push_str("<ul class=\"findings\">\n");
        for (n, finding) in check.findings.iter().enumerate() {
            let Some((path, range)) = finding.file_range() else {
                continue;
            };
            let start = range.start;
            let _ = write!(
                out,
                "<li>{} <a href=\"#\" data-action=\"open\" data-check=\"{id}\" data-finding=\"{n}\"><code>{}</code></a> {}",
                status_icon(Status::from(finding.severity)),
                escape(&place(report, &crate::uri::file_uri(path), start.line, start.character)),
                escape(&check.located_message(finding))
            );
            // A fix the check offers as a whole gets one button, below.
            let same_as_check = check.fix.is_some() && finding.fix() == check.fix.as_ref();
            if let Some(fix) = finding.fix().filter(|_| !same_as_check) {
                if fix.command.is_some() || !fix.edits.is_empty() {
                    let _ = write!(
                        out,
                        " <button data-action=\"fix\" data-check=\"{id}\" data-finding=\"{n}\">{}</button>",
                        escape(&fix.title)
                    );
                }
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    if let Some(fix) = check.fix.as_ref().filter(|_| check.status > Status::Ok) {
        let _ = writeln!(
            out,
            "<p class=\"fix\"><strong>Fix:</strong> {}</p>",
            escape(&fix.title)
        );
        if let Some(argv) = &fix.command {
            let _ = writeln!(
                out,
                "<pre><code>{}</code></pre>\n<p><button data-action=\"fix\" data-check=\"{id}\">Run: {}</button></p>",
                escape(&shell_words(argv)),
                escape(&shell_words(argv))
            );
        }
    }
    if let Some(detail) = &check.detail {
        let _ = writeln!(
            out,
            "<details><summary>Details</summary><pre><code>{}</code></pre></details>",
            escape(detail)
        );
    }
    let _ = writeln!(
        out,
        "<p><a href=\"#\" data-action=\"doc\" data-check=\"{id}\">About {id}</a></p>\n</section>"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures::report;

    #[test]
    fn the_overview_has_one_row_per_area_linking_to_its_details() {
        let html = render_html(&report());
        let rows = html
            .split("<tbody>")
            .nth(1)
            .and_then(|t| t.split("</tbody>").next())
            .unwrap();
        assert_eq!(rows.matches("<tr").count(), 1, "{rows}");
        assert!(rows.contains("<a href=\"#area-go-toolchain\">Go toolchain</a>"));
        assert!(html.contains("<h2 id=\"area-go-toolchain\">Go toolchain</h2>"));
    }

    #[test]
    fn a_check_with_a_command_fix_offers_it_as_a_button_naming_the_check() {
        let html = render_html(&report());
        assert!(
            html.contains("<button data-action=\"fix\" data-check=\"GO010\">Run: go install golang.org/x/tools/gopls@v0.23.0</button>"),
            "{html}"
        );
        assert!(html.contains("data-action=\"doc\" data-check=\"GO010\">About GO010</a>"));
    }

    #[test]
    fn a_finding_gets_its_own_button_only_for_a_fix_the_check_does_not_offer() {
        use crate::finding::Fix;
        let mut r = report();
        let toolchain = Fix::run("Let go fetch it", ["go", "env", "-w", "GOTOOLCHAIN=auto"]);
        r.checks[2].fix = Some(toolchain.clone());
        r.checks[2].findings[0].fixes = vec![toolchain];
        let html = render_html(&r);
        assert_eq!(
            html.matches("data-action=\"fix\" data-check=\"GO006\"")
                .count(),
            1,
            "{html}"
        );
        r.checks[2].findings[0].fixes = vec![Fix::run("Edit the go line", ["true"])];
        let html = render_html(&r);
        assert!(html.contains(
            "<button data-action=\"fix\" data-check=\"GO006\" data-finding=\"0\">Edit the go line</button>"
        ));
    }

    #[test]
    fn the_remote_hosts_get_an_overview_row_and_an_area_last() {
        let html = render_report_html(&report(), Some(&fleet::tests::fleet()));
        assert!(html.contains(
            "<tr class=\"error\"><td><a href=\"#area-remote-hosts\">Remote hosts</a></td><td>❌ 1 to fix</td><td>2</td></tr>"
        ), "{html}");
        assert!(html.find("id=\"area-go-toolchain\"") < html.find("id=\"area-remote-hosts\""));
        assert!(!render_html(&report()).contains("Remote hosts"));
    }

    #[test]
    fn messages_cannot_inject_markup() {
        let mut r = report();
        r.checks[0].message = "<script>alert('x')</script> & \"q\"".into();
        let html = render_html(&r);
        assert!(!html.contains("<script>"));
        assert!(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
        );
    }

    #[test]
    fn findings_are_an_escaped_list_naming_each_by_index() {
        use crate::finding::{Fix, Position, Range, Severity};
        let findings = [
            Finding::new(
                "SSH001",
                Severity::Error,
                "Unknown keyword <script>",
                Subject::File {
                    path: "/home/me/.ssh/\"config\"".into(),
                    range: Range::new(Position::new(1, 2), Position::new(1, 9)),
                },
            )
            .with_rule_page(),
            Finding::new(
                "RMT009",
                Severity::Warning,
                "key",
                Subject::Host { host: "db".into() },
            )
            .with_fix(Fix::run("Load it", ["ssh-add", "/k"])),
        ];
        assert_eq!(
            render_findings(&findings),
            "<ul class=\"findings\">\n\
             <li>❌ <code>/home/me/.ssh/&quot;config&quot;:2:3</code> <strong>SSH001</strong> Unknown keyword &lt;script&gt;\
             <br><a href=\"#\" data-action=\"doc\" data-finding=\"0\">About SSH001</a></li>\n\
             <li>⚠️ <code>db</code> <strong>RMT009</strong> key<br><strong>Fix:</strong> Load it \
             <button data-action=\"fix\" data-finding=\"1\">Run: ssh-add /k</button></li>\n\
             </ul>\n"
        );
    }

    #[test]
    fn problems_come_before_passing_checks() {
        let html = render_html(&report());
        let error = html.find("class=\"check error\"").unwrap();
        let ok = html.find("class=\"check ok\"").unwrap();
        assert!(error < ok);
    }

    #[test]
    fn html_fix_buttons_and_rule_links_name_the_host_and_finding_by_index() {
        let mut out = String::new();
        fleet_area(&mut out, &fleet::tests::fleet());
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

    #[test]
    fn a_settings_edit_that_is_the_first_fix_gets_an_apply_button_and_advice_none() {
        use crate::finding::Fix;
        let mut fleet = fleet::tests::fleet();
        let edit = Fix::edits(
            "Set `\"remote.SSH.lockfilesInTmp\": true` in your VS Code user settings",
            vec![crate::finding::Edit {
                path: "/u/settings.json".into(),
                range: crate::finding::Range::default(),
                new_text: "{}".into(),
            }],
        );
        fleet.hosts[1].findings[0].fixes = vec![edit, Fix::advice("Keep the Go caches local")];
        let mut out = String::new();
        fleet_area(&mut out, &fleet);
        assert!(
            out.contains("in your VS Code user settings <button data-action=\"fix\" data-host=\"1\" data-finding=\"0\">Apply</button>"),
            "{out}"
        );
        assert!(
            out.contains("<br><strong>Fix:</strong> Keep the Go caches local<br>"),
            "{out}"
        );
        assert_eq!(out.matches("<button").count(), 1);
    }
}
