//! Terminal output, colour only on request (see [`super::style`]): the
//! health report (one line a check, grouped by area), and a list of findings
//! in compiler style (`path:line:col: severity[CODE] message`, each fix
//! below), optionally with the source line and a caret under the range.

use std::fmt::Write;
use std::path::Path;

use anstyle::Style;

use crate::check::{Area, HealthReport, Status};
use crate::finding::{Finding, Range, Severity, Subject};
use crate::render::escape::line as esc;
use crate::render::style::{self, Paint, BOLD, DIM};
use crate::render::{place, summary_line};

fn mark(status: Status) -> &'static str {
    match status {
        Status::Ok => "✓",
        Status::Warning => "!",
        Status::Error => "✗",
        Status::Skipped => "-",
    }
}

/// The style of a check's status mark.
fn colour(status: Status) -> Style {
    match status {
        Status::Ok => style::OK,
        Status::Warning => style::WARNING,
        Status::Error => style::ERROR,
        Status::Skipped => DIM,
    }
}

pub fn render_text(report: &HealthReport, colour_on: bool) -> String {
    let painter = Paint::new(colour_on);
    let paint = |style: Style, text: &str| painter.paint(style, text);
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
                let Some((path, range)) = finding.file_range() else {
                    continue;
                };
                let start = range.start;
                let finding_status = Status::from(finding.severity);
                let _ = writeln!(
                    out,
                    "      {} {}: {}",
                    esc(&place(
                        report,
                        &crate::uri::file_uri(path),
                        start.line,
                        start.character
                    )),
                    paint(colour(finding_status), finding_status.as_str()),
                    esc(&check.located_message(finding))
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

/// How a list of findings reads in a terminal.
#[derive(Debug, Clone, Copy, Default)]
pub struct FindingsText<'a> {
    pub colour: bool,
    /// What applies a fix that is safe unattended (`gord ssh fix`), said
    /// after its title.
    pub applies_safe_fixes: Option<&'a str>,
}

/// `path:line:col: severity[CODE] message` a finding (1-based line and
/// UTF-16 column, as editors' terminals link them; a host, process or the
/// workspace in place of the path), its detail and fixes indented below,
/// then a count by severity.
pub fn render_findings(findings: &[Finding], options: &FindingsText<'_>) -> String {
    write_findings(findings, options, &|_| None)
}

/// [`render_findings`] with each file finding's source line and a caret
/// under its range, `source` giving a file's text.
pub fn render_findings_with_source(
    findings: &[Finding],
    options: &FindingsText<'_>,
    source: &dyn Fn(&Path) -> Option<String>,
) -> String {
    write_findings(findings, options, source)
}

fn subject_place(subject: &Subject) -> String {
    match subject {
        Subject::File { path, range } => format!(
            "{}:{}:{}",
            esc(&path.display().to_string()),
            range.start.line + 1,
            range.start.character + 1
        ),
        Subject::Host { host } => esc(host).into_owned(),
        Subject::Process {
            pid,
            name: Some(name),
        } => format!("{} (pid {pid})", esc(name)),
        Subject::Process { pid, name: None } => format!("pid {pid}"),
        Subject::Module { module } => esc(module).into_owned(),
        Subject::Artifact { path } => esc(&path.display().to_string()).into_owned(),
        Subject::Workspace => String::from("workspace"),
    }
}

fn write_findings(
    findings: &[Finding],
    options: &FindingsText<'_>,
    source: &dyn Fn(&Path) -> Option<String>,
) -> String {
    let paint = Paint::new(options.colour);
    let mut out = String::new();
    for f in findings {
        let _ = writeln!(
            out,
            "{}: {}[{}] {}",
            subject_place(&f.subject),
            paint.paint(style::severity(f.severity), f.severity.as_str()),
            esc(&f.code),
            esc(&f.message)
        );
        if let Some((path, range)) = f.file_range() {
            if let Some(text) = source(path) {
                out.push_str(&caret(&text, range, paint, f.severity));
            }
        }
        if let Some(detail) = &f.detail {
            for line in detail.lines() {
                let _ = writeln!(out, "      {}", esc(line));
            }
        }
        for fix in &f.fixes {
            let how = match (&fix.command, fix.safe, options.applies_safe_fixes) {
                (Some(argv), _, _) => format!("{} (run: {})", fix.title, shell_words(argv)),
                (None, true, Some(tool)) => format!("{} ({tool} applies it)", fix.title),
                (None, _, _) => fix.title.clone(),
            };
            let _ = writeln!(out, "    {} {}", paint.paint(DIM, "fix:"), esc(&how));
        }
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let _ = writeln!(
        out,
        "{} finding{}: {errors} error{}, {warnings} warning{}, {} info",
        findings.len(),
        plural(findings.len()),
        plural(errors),
        plural(warnings),
        count(Severity::Info)
    );
    out
}

/// The range's first line under a line-number gutter, then carets under the
/// range (to the end of that line when the range goes on), at least one.
/// Control characters are shown escaped, and the carets follow them.
fn caret(text: &str, range: Range, paint: Paint, severity: Severity) -> String {
    let Some(line) = text.lines().nth(range.start.line as usize) else {
        return String::new();
    };
    let end = if range.end.line == range.start.line {
        range.end.character
    } else {
        u32::MAX
    };
    let (mut shown, mut before, mut under) = (String::new(), 0usize, 0usize);
    let mut column = 0u32;
    for c in line.chars() {
        let piece = esc(c.encode_utf8(&mut [0u8; 4])).into_owned();
        let width = piece.chars().count();
        if column < range.start.character {
            before += width;
        } else if column < end {
            under += width;
        }
        shown.push_str(&piece);
        column += c.len_utf16() as u32;
    }
    let number = (range.start.line + 1).to_string();
    let gutter = " ".repeat(number.len());
    format!(
        "{number} | {shown}\n{gutter} | {}{}\n",
        " ".repeat(before),
        paint.paint(style::severity(severity), &"^".repeat(under.max(1)))
    )
}

/// argv shown as a line a user can paste into a POSIX shell.
pub(crate) fn shell_words(argv: &[String]) -> String {
    crate::exec::display_argv(argv.iter().map(String::as_str))
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

    use crate::finding::{Edit, Fix, Position};
    use std::path::PathBuf;

    const CONFIG: &str = "Host a\n  Hostnme x\n\tPort 22\u{1b}[2J\n";

    fn at(line: u32, from: u32, to: u32) -> Subject {
        Subject::File {
            path: PathBuf::from("/home/me/.ssh/config"),
            range: Range::new(Position::new(line, from), Position::new(line, to)),
        }
    }

    fn findings() -> Vec<Finding> {
        let typo = Finding::new(
            "SSH001",
            Severity::Error,
            "Unknown keyword \"Hostnme\"",
            at(1, 2, 9),
        )
        .with_fix(
            Fix::edits(
                "Change to HostName",
                vec![Edit {
                    path: PathBuf::from("/home/me/.ssh/config"),
                    range: Range::new(Position::new(1, 2), Position::new(1, 9)),
                    new_text: "HostName".into(),
                }],
            )
            .safe(),
        );
        let port = Finding::new(
            "SSH009",
            Severity::Info,
            "Port 22 is the default",
            at(2, 6, 8),
        );
        let key = Finding::new(
            "RMT009",
            Severity::Warning,
            "the key needs its passphrase",
            Subject::Host { host: "db".into() },
        )
        .with_detail("tried ~/.ssh/id_ed25519")
        .with_fix(Fix::run(
            "Load it into your ssh-agent once",
            ["ssh-add", "/k 1"],
        ));
        vec![typo, port, key]
    }

    const OPTIONS: FindingsText<'static> = FindingsText {
        colour: false,
        applies_safe_fixes: Some("gord ssh fix"),
    };

    #[test]
    fn findings_read_as_compiler_lines_with_their_fixes_and_a_count() {
        let text = render_findings(&findings(), &OPTIONS);
        assert_eq!(
            text,
            "\
/home/me/.ssh/config:2:3: error[SSH001] Unknown keyword \"Hostnme\"
    fix: Change to HostName (gord ssh fix applies it)
/home/me/.ssh/config:3:7: info[SSH009] Port 22 is the default
db: warning[RMT009] the key needs its passphrase
      tried ~/.ssh/id_ed25519
    fix: Load it into your ssh-agent once (run: ssh-add '/k 1')
3 findings: 1 error, 1 warning, 1 info
"
        );
    }

    #[test]
    fn a_caret_sits_under_the_range_of_each_file_finding() {
        let text =
            render_findings_with_source(&findings()[..2], &OPTIONS, &|_| Some(CONFIG.to_string()));
        insta::assert_snapshot!(text, @r#"
        /home/me/.ssh/config:2:3: error[SSH001] Unknown keyword "Hostnme"
        2 |   Hostnme x
          |   ^^^^^^^
            fix: Change to HostName (gord ssh fix applies it)
        /home/me/.ssh/config:3:7: info[SSH009] Port 22 is the default
        3 | \tPort 22\x1b[2J
          |        ^^
        2 findings: 1 error, 0 warnings, 1 info
        "#);
    }

    #[test]
    fn an_empty_or_multi_line_range_still_gets_a_caret() {
        let empty = Range::new(Position::new(0, 6), Position::new(0, 6));
        assert_eq!(
            caret("Host a\n", empty, Paint::new(false), Severity::Info),
            "1 | Host a\n  |       ^\n"
        );
        let two_lines = Range::new(Position::new(0, 5), Position::new(1, 1));
        assert_eq!(
            caret("Host a\nb\n", two_lines, Paint::new(false), Severity::Info),
            "1 | Host a\n  |      ^\n"
        );
        assert_eq!(caret("", two_lines, Paint::new(false), Severity::Info), "");
    }

    #[test]
    fn finding_colours_follow_the_severity_only_when_asked_for() {
        let text = render_findings(
            &findings(),
            &FindingsText {
                colour: true,
                ..OPTIONS
            },
        );
        assert!(text.contains("\x1b[31merror\x1b[0m[SSH001]"), "{text}");
        assert!(text.contains("\x1b[33mwarning\x1b[0m[RMT009]"), "{text}");
        assert!(text.contains("\x1b[2mfix:\x1b[0m"), "{text}");
        assert!(!render_findings(&findings(), &OPTIONS).contains('\x1b'));
    }

    #[test]
    fn shell_words_quote_what_a_shell_would_split() {
        let argv = vec!["echo".to_string(), "a b".into(), "it's".into()];
        assert_eq!(shell_words(&argv), r#"echo 'a b' "it's""#);
    }
}
