//! The report as Markdown: an overview line per area, then each check with
//! its message, places, fix and rule page.

use std::fmt::Write;
use std::path::Path;

use crate::check::{CheckResult, HealthReport, Status};
use crate::remote::model::FleetReport;
use crate::render::escape::{md_code, md_fence, md_paragraph, md_text as escape};
use crate::render::fleet;
use crate::render::text::shell_words;
use crate::render::{overview, place, summary_line};

fn icon(status: Status) -> &'static str {
    match status {
        Status::Ok => "✅",
        Status::Warning => "⚠️",
        Status::Error => "❌",
        Status::Skipped => "⏭️",
    }
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
    let verdict = match report.worst() {
        Status::Error => "❌ problems found",
        Status::Warning => "⚠️ warnings",
        _ => "✅ healthy",
    };
    let _ = writeln!(out, "**{verdict}** — {}.", summary_line(report));
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

    let lines = overview(report);
    out.push_str("\n| Area | Status | Checks |\n|---|---|---|\n");
    for line in &lines {
        let _ = writeln!(
            out,
            "| {} | {} {} | {} |",
            line.area.title(),
            icon(line.worst),
            line.verdict,
            line.checks
        );
    }
    if let Some(fleet) = fleet {
        let (worst, text) = fleet::overview_status(fleet);
        let _ = writeln!(
            out,
            "| {} | {} {text} | {} |",
            fleet::TITLE,
            icon(worst),
            fleet.hosts.len()
        );
    }

    for area in lines.iter().map(|l| l.area) {
        let _ = writeln!(out, "\n## {}\n", area.title());
        // Problems first, so the eye lands on what needs doing.
        let mut checks: Vec<&CheckResult> =
            report.checks.iter().filter(|c| c.area == area).collect();
        checks.sort_by_key(|c| std::cmp::Reverse(c.status));
        for check in checks {
            write_check(&mut out, report, check, docs_root);
        }
    }
    if let Some(fleet) = fleet {
        fleet::markdown(&mut out, fleet, docs_root);
    }
    out
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
        icon(check.status),
        escape(&check.id),
        escape(&check.title)
    );
    let message = if check.status == Status::Skipped {
        format!("Skipped: {}", check.message)
    } else {
        check.message.clone()
    };
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
            icon(Status::from(finding.severity)),
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
}
