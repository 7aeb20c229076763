//! The report as Markdown: an overview line per area, then each check with
//! its message, places, fix and rule page. Findings as a Markdown list.

use std::fmt::Write;
use std::path::Path;

use crate::check::{CheckResult, HealthReport, Status};
use crate::finding::{Finding, Subject};
use crate::remote::model::FleetReport;
use crate::render::escape::{md_code, md_fence, md_paragraph, md_text as escape};
use crate::render::text::shell_words;
use crate::render::{
    check_message, checks_worst_first, overview, place, severity_icon, status_icon, summary_line,
    verdict,
};

/// Where a finding is, as a code span (none for the workspace).
fn subject(subject: &Subject) -> Option<String> {
    match subject {
        Subject::File { path, range } => Some(md_code(&format!(
            "{}:{}:{}",
            path.display(),
            range.start.line + 1,
            range.start.character + 1
        ))),
        Subject::Host { host } => Some(md_code(host)),
        Subject::Process { pid, .. } => Some(md_code(&format!("pid {pid}"))),
        Subject::Module { module } => Some(md_code(module)),
        Subject::Artifact { path } => Some(md_code(&path.display().to_string())),
        Subject::Workspace => None,
    }
}

/// One finding as a list item: its icon, place (when `with_subject`), code
/// and message, then each fix (a command as a code span) and its rule page,
/// a link when the page is on disk under `docs_root` or a URL.
pub(crate) fn write_finding(
    out: &mut String,
    finding: &Finding,
    docs_root: Option<&Path>,
    with_subject: bool,
) {
    let place = with_subject
        .then(|| subject(&finding.subject))
        .flatten()
        .map(|p| p + " ")
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "- {} {place}{} {}",
        severity_icon(finding.severity),
        escape(&finding.code),
        escape(&finding.message)
    );
    for fix in &finding.fixes {
        let _ = writeln!(out, "  - **Fix:** {}", escape(&fix.title));
        if let Some(argv) = &fix.command {
            let _ = writeln!(out, "    {}", md_code(&shell_words(argv)));
        }
    }
    let Some(doc) = &finding.doc else {
        return;
    };
    let link = if doc.starts_with("https://") {
        Some(doc.clone())
    } else {
        crate::docs::rule_page(docs_root, doc).map(|page| crate::uri::file_uri(&page))
    };
    match link {
        // A URL or a file URI from file_uri: no space, parenthesis or
        // bracket unescaped, so it cannot end the link early.
        Some(link) if !link.contains([' ', '(', ')', '<', '>']) => {
            let _ = writeln!(out, "  - [About {}]({link})", escape(&finding.code));
        }
        _ => {
            let _ = writeln!(out, "  - About {}: {}", escape(&finding.code), md_code(doc));
        }
    }
}

/// Findings as a Markdown list, each with its place, fixes and rule page.
pub fn render_findings(findings: &[Finding], docs_root: Option<&Path>) -> String {
    let mut out = String::new();
    for finding in findings {
        write_finding(&mut out, finding, docs_root, true);
    }
    out
}

/// `docs_root`, when known, turns rule pages into links to the files on disk.
pub fn render_markdown(report: &HealthReport, docs_root: Option<&Path>) -> String {
    render_report_markdown(report, None, docs_root)
}

/// [`render_markdown`] with the last remote check's hosts as a last area.
pub fn render_report_markdown(
    report: &HealthReport,
    fleet: Option<&FleetReport>,
    docs_root: Option<&Path>,
) -> String {
    let mut out = String::from("# Go Remote Doctor report\n\n");
    let _ = writeln!(out, "**{}** — {}.", verdict(report), summary_line(report));
    if let Some(ws) = &report.workspace {
        let _ = writeln!(
            out,
            "Workspace {}, gord {}.",
            md_code(ws),
            escape(&report.version)
        );
    } else {
        let _ = writeln!(out, "No workspace, gord {}.", escape(&report.version));
    }

    let rows = overview(report, fleet);
    out.push_str("\n| Area | Status | Checks |\n|---|---|---|\n");
    for row in &rows {
        let _ = writeln!(
            out,
            "| {} | {} {} | {} |",
            row.title,
            status_icon(row.worst),
            row.verdict,
            row.count
        );
    }

    for area in rows.iter().filter_map(|r| r.area) {
        let _ = writeln!(out, "\n## {}\n", area.title());
        for check in checks_worst_first(report, area) {
            write_check(&mut out, report, check, docs_root);
        }
    }
    if let Some(fleet) = fleet {
        fleet_area(&mut out, fleet, docs_root);
    }
    out
}

/// The "Remote hosts" area: the fleet table, then each host with findings
/// as a list (its name is the heading, so items leave it out). Every host
/// name, message and fix goes through the escaper, so none is read as markup.
pub(crate) fn fleet_area(out: &mut String, fleet: &FleetReport, docs_root: Option<&Path>) {
    use crate::render::escape::md_code_cell;
    use crate::render::fleet::{cells, HEADERS, TITLE};
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
        let _ = writeln!(
            out,
            "\n### {} {}\n",
            status_icon(host.status),
            escape(&host.host)
        );
        for finding in host.findings_on_host() {
            write_finding(out, &finding, docs_root, false);
        }
    }
}

fn write_check(
    out: &mut String,
    report: &HealthReport,
    check: &CheckResult,
    docs_root: Option<&Path>,
) {
    let _ = writeln!(
        out,
        "### {} {} — {}\n",
        status_icon(check.status),
        escape(&check.id),
        escape(&check.title)
    );
    let message = check_message(check);
    let _ = writeln!(out, "{}\n", md_paragraph(&message));
    for finding in &check.findings {
        let Some((path, range)) = finding.file_range() else {
            continue;
        };
        let start = range.start;
        let _ = writeln!(
            out,
            "- {} {} {}",
            md_code(&place(
                report,
                &crate::uri::file_uri(path),
                start.line,
                start.character
            )),
            status_icon(Status::from(finding.severity)),
            escape(&check.located_message(finding))
        );
    }
    if !check.findings.is_empty() {
        out.push('\n');
    }
    if let Some(fix) = check.fix.as_ref().filter(|_| check.status > Status::Ok) {
        let _ = writeln!(out, "**Fix:** {}\n", escape(&fix.title));
        if let Some(argv) = &fix.command {
            let _ = writeln!(out, "{}", md_fence(&shell_words(argv), "sh"));
        }
    }
    if let Some(detail) = &check.detail {
        let _ = writeln!(
            out,
            "<details><summary>Details</summary>\n\n{}\n</details>\n",
            md_fence(detail, "text")
        );
    }
    match crate::docs::rule_page(docs_root, &check.doc) {
        Some(page) => {
            let _ = writeln!(
                out,
                "[About {}]({})\n",
                check.id,
                crate::uri::file_uri(&page)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "About {}: {}\n",
                escape(&check.id),
                md_code(&check.doc)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures::report;
    use crate::render::fleet;

    #[test]
    fn overview_has_one_line_per_area_then_problems_first() {
        let md = render_markdown(&report(), None);
        assert!(md.starts_with("# Go Remote Doctor report\n\n**❌ problems found** — 4 checks: 1 ok, 1 warning, 1 error, 1 skipped."));
        assert!(md.contains("| Go toolchain | ❌ 2 to fix | 4 |"));
        let error_at = md.find("### ❌ GO006").unwrap();
        let warning_at = md.find("### ⚠️ GO010").unwrap();
        let ok_at = md.find("### ✅ GO001").unwrap();
        assert!(error_at < warning_at && warning_at < ok_at);
    }

    #[test]
    fn each_problem_shows_its_place_fix_and_rule_page() {
        let md = render_markdown(&report(), None);
        assert!(md.contains("- `go.mod:3:4` ❌ go.mod requires go \\>= 1.99"));
        assert!(md.contains(
            "**Fix:** Install gopls\n\n```sh\ngo install golang.org/x/tools/gopls@v0.23.0\n```"
        ));
        assert!(md.contains("About GO010: `docs/rules/GO010.md`"));
        assert!(md.contains("Skipped: no working go"));
    }

    #[test]
    fn the_remote_hosts_are_an_area_of_their_own() {
        let md = render_report_markdown(&report(), Some(&fleet::tests::fleet()), None);
        assert!(md.contains("| Remote hosts | ❌ 1 to fix | 2 |"), "{md}");
        assert!(md.contains("\n## Remote hosts\n"));
        assert!(md.find("## Go toolchain") < md.find("## Remote hosts"));
    }

    #[test]
    fn findings_are_a_list_with_place_fix_and_rule_page() {
        use crate::finding::{Fix, Position, Range, Severity};
        let findings = [
            Finding::new(
                "SSH001",
                Severity::Error,
                "Unknown keyword `Hostnme` <b>",
                Subject::File {
                    path: "/home/me/.ssh/config".into(),
                    range: Range::new(Position::new(1, 2), Position::new(1, 9)),
                },
            )
            .with_rule_page(),
            Finding::new(
                "errcheck",
                Severity::Warning,
                "unchecked",
                Subject::Workspace,
            )
            .with_doc("https://golangci-lint.run/usage/linters/#errcheck")
            .with_fix(Fix::run("Check it", ["go", "vet"])),
        ];
        assert_eq!(
            render_findings(&findings, None),
            "- ❌ `/home/me/.ssh/config:2:3` SSH001 Unknown keyword \\`Hostnme\\` \\<b\\>\n  \
             - About SSH001: `docs/rules/SSH001.md`\n\
             - ⚠️ errcheck unchecked\n  - **Fix:** Check it\n    `go vet`\n  \
             - [About errcheck](https://golangci-lint.run/usage/linters/#errcheck)\n"
        );
    }

    #[test]
    fn rule_pages_on_disk_become_links() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("docs/rules")).unwrap();
        std::fs::write(root.path().join("docs/rules/GO010.md"), "# GO010").unwrap();
        let md = render_markdown(&report(), Some(root.path()));
        assert!(md.contains(&format!(
            "[About GO010](file://{}/docs/rules/GO010.md)",
            root.path().display()
        )));
    }
    #[test]
    fn hostile_host_names_and_messages_stay_text_in_markdown() {
        use pulldown_cmark::{Event, Options, Parser, Tag};
        let mut fleet = fleet::tests::fleet();
        let attack = "x`|<img src=x onerror=alert(1)>[l](http://127.0.0.1/)![i](i.png)\n```\n<b>";
        fleet.hosts[1].host = attack.into();
        fleet.hosts[1].findings[0].message = attack.into();
        fleet.hosts[1].summary.first_problem = Some(attack.into());
        if let Some(fix) = fleet.hosts[1].findings[0].fixes.first_mut() {
            fix.title = attack.into();
            fix.command = Some(vec![attack.into()]);
        }
        let mut out = String::new();
        fleet_area(&mut out, &fleet, None);
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
        fleet_area(&mut out, &fleet::tests::fleet(), None);
        assert!(out.contains("| Host | Reachable | Auth | Go ready | VS Code server ready | Latency | First problem |"));
        assert!(
            out.contains("| `web` | ✅ yes | ✅ yes | ✅ yes | ✅ yes | 3 ms | - |"),
            "{out}"
        );
        assert!(out.contains("| `db<1>` | ✅ yes | ❌ no | ❌ no | ❌ no | 3 ms | RMT009 the key needs its passphrase |"), "{out}");
        assert!(out.contains("- ❌ RMT009 the key needs its passphrase\n  - **Fix:** Load it into your ssh-agent once\n    `ssh-add /k`\n  - About RMT009: `docs/rules/RMT009.md`"), "{out}");
    }
}
