//! Terminal output: one line a check, grouped by area; colour only on request.

use std::fmt::Write;

use crate::check::{Area, HealthReport, Status};
use crate::render::escape::line as esc;
use crate::render::{place, summary_line};

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

fn mark(status: Status) -> &'static str {
    match status {
        Status::Ok => "✓",
        Status::Warning => "!",
        Status::Error => "✗",
        Status::Skipped => "-",
    }
}

fn colour(status: Status) -> &'static str {
    match status {
        Status::Ok => "\x1b[32m",
        Status::Warning => "\x1b[33m",
        Status::Error => "\x1b[31m",
        Status::Skipped => "\x1b[2m",
    }
}

pub fn render_text(report: &HealthReport, colour_on: bool) -> String {
    let paint = |code: &str, text: &str| {
        if colour_on {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    let workspace = report
        .workspace
        .as_ref()
        .map(|w| format!(" — workspace {}", esc(w)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}",
        paint(
            BOLD,
            &format!("Go Remote Doctor {}{workspace}", esc(&report.version))
        )
    );

    let mut areas: Vec<Area> = report.checks.iter().map(|c| c.area).collect();
    areas.dedup();
    for area in areas {
        let _ = writeln!(out, "\n{}", paint(BOLD, area.title()));
        for check in report.checks.iter().filter(|c| c.area == area) {
            let status = check.status;
            let label = if status == Status::Skipped {
                format!("skipped: {}", check.message)
            } else {
                check.message.clone()
            };
            let _ = writeln!(
                out,
                "  {} {} {} — {}",
                paint(colour(status), mark(status)),
                esc(&check.id),
                esc(&check.title),
                esc(&label)
            );
            for finding in &check.findings {
                let start = finding.location.range.start;
                let _ = writeln!(
                    out,
                    "      {} {}: {}",
                    esc(&place(
                        report,
                        &finding.location.uri,
                        start.line,
                        start.character
                    )),
                    paint(colour(finding.status), finding.status.as_str()),
                    esc(&finding.message)
                );
            }
            if let Some(fix) = check.fix.as_ref().filter(|_| status > Status::Ok) {
                let _ = writeln!(out, "      {} {}", paint(DIM, "fix:"), esc(&fix.title));
                if let Some(argv) = &fix.command {
                    let _ = writeln!(out, "      {} {}", paint(DIM, "$"), esc(&shell_words(argv)));
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "\n{} ({:.2} s)",
        paint(BOLD, &summary_line(report)),
        report.duration_ms as f64 / 1000.0
    );
    out
}

/// argv shown as a line a user can paste into a POSIX shell.
pub(crate) fn shell_words(argv: &[String]) -> String {
    argv.iter()
        .map(|word| crate::exec::quote_for_display(word))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures::report;

    #[test]
    fn plain_text_lists_every_check_with_its_fix_and_places() {
        let text = render_text(&report(), false);
        let expected = "\
Go Remote Doctor 0.1.0 — workspace /ws

Go toolchain
  ✓ GO001 GO001 title — go1.26.8 at /usr/local/go/bin/go
  ! GO010 GO010 title — gopls is not installed
      fix: Install gopls
      $ go install golang.org/x/tools/gopls@v0.23.0
  ✗ GO006 GO006 title — go.mod requires go >= 1.99
      go.mod:3:4 error: go.mod requires go >= 1.99
  - GO013 GO013 title — skipped: no working go

4 checks: 1 ok, 1 warning, 1 error, 1 skipped (0.12 s)
";
        assert_eq!(text, expected);
    }

    #[test]
    fn colour_appears_only_when_asked_for() {
        assert!(!render_text(&report(), false).contains('\x1b'));
        assert!(render_text(&report(), true).contains("\x1b[33m!\x1b[0m"));
    }

    #[test]
    fn shell_words_quote_what_a_shell_would_split() {
        let argv = vec!["echo".to_string(), "a b".into(), "it's".into()];
        assert_eq!(shell_words(&argv), r#"echo 'a b' "it's""#);
    }
}
