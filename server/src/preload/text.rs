//! The preload report and progress as plain text, for the CLI.

use crate::preload::caches::human_bytes;
use crate::preload::model::{ModuleOutcome, PreloadEvent, PreloadReport, StepStatus};
use crate::render::escape;
use crate::render::style::{self, Paint};

/// The report, one section per part; credentials are already redacted in it.
/// With colour on, the marks and the offline verdict are green, yellow or
/// red and the headings bold.
pub fn render_report(report: &PreloadReport, paint: Paint) -> String {
    // Module paths and go's messages come from the workspace: nothing in
    // them may drive the terminal, so each is escaped where it goes in and
    // only gord's own styling is painted around it.
    let esc = |text: &str| escape::text(text).into_owned();
    let mut out = format!("gord preload: {}\n\n", esc(&report.workspace));
    for step in &report.steps {
        let (mark, mark_style) = match step.status {
            StepStatus::Done => ("✓", style::OK),
            StepStatus::Skipped => ("-", style::DIM),
            StepStatus::Failed => ("✗", style::ERROR),
        };
        out.push_str(&format!(
            "{} {:<36} {:>7} ms  {}\n",
            paint.paint(mark_style, mark),
            step.step.title(),
            step.duration_ms,
            esc(&step.message)
        ));
    }
    out.push_str(&format!("\n{} ", paint.paint(style::BOLD, "Offline:")));
    if report.offline.ready {
        out.push_str(&paint.paint(style::OK, "ready"));
        out.push_str(" — the workspace's packages list and type-check with GOPROXY=off\n");
    } else {
        out.push_str(&paint.paint(style::ERROR, "NOT ready"));
        out.push('\n');
        for module in &report.offline.needs_network {
            out.push_str(&format!("  needs the network: {}\n", esc(module)));
        }
        for error in report.offline.errors.iter().take(5) {
            out.push_str(&format!(
                "  go: {}\n",
                esc(error.trim_start_matches("go: "))
            ));
        }
    }
    out.push_str(&format!("\n{}\n", paint.paint(style::BOLD, "Caches:")));
    for cache in &report.caches {
        out.push_str(&format!(
            "  {:<10} {:>10}  {}\n",
            cache.name,
            human_bytes(cache.bytes),
            esc(&cache.path)
        ));
    }
    if let Some(gopls) = &report.gopls_cache {
        let size = if gopls.dir.exists {
            human_bytes(gopls.dir.bytes)
        } else {
            "absent".to_string()
        };
        out.push_str(&format!(
            "  {:<10} {:>10}  {}\n",
            "gopls",
            size,
            esc(&gopls.dir.path)
        ));
        if let Some(note) = &gopls.note {
            out.push_str(&format!("  note: {}\n", esc(note)));
        }
    }
    let private = &report.private;
    out.push_str(&format!(
        "\n{} GOPROXY={}\n",
        paint.paint(style::BOLD, "Module proxy:"),
        esc(&private.goproxy)
    ));
    for module in &private.private_modules {
        out.push_str(&format!(
            "  private: {} ({}, {})\n",
            esc(&module.path),
            module.fetched_from(),
            module.checksums()
        ));
    }
    for problem in &private.problems {
        out.push_str(&format!(
            "  {} {}\n",
            paint.paint(style::WARNING, "!"),
            esc(problem)
        ));
    }
    for note in &private.notes {
        out.push_str(&format!("  {}\n", esc(note)));
    }
    out.push_str(&format!("\nDone in {} ms.\n", report.duration_ms));
    out
}

/// One plain line per event, for logs and pipes.
pub fn event_line(event: &PreloadEvent) -> Option<String> {
    event_text(event).map(|line| crate::render::escape::line(&line).into_owned())
}

fn event_text(event: &PreloadEvent) -> Option<String> {
    match event {
        PreloadEvent::StepStarted { title, .. } => Some(format!("{title}…")),
        PreloadEvent::Module {
            done,
            total,
            module,
            outcome,
        } => {
            let what = match outcome {
                ModuleOutcome::Downloaded => "downloaded",
                ModuleOutcome::Cached => "already cached",
                ModuleOutcome::Failed => "FAILED",
            };
            Some(format!("  module {done} of {total}: {module} {what}"))
        }
        PreloadEvent::StepFinished {
            step,
            status,
            message,
            duration_ms,
        } => {
            let status = match status {
                StepStatus::Done => "done",
                StepStatus::Skipped => "skipped",
                StepStatus::Failed => "failed",
            };
            Some(format!(
                "{}: {status} in {duration_ms} ms — {message}",
                step.title()
            ))
        }
    }
}

/// A one-line progress bar, `[#####.....] 12/44 title: detail`, cut to `width`.
pub fn progress_bar(done: usize, total: usize, label: &str, width: usize) -> String {
    const BAR: usize = 24;
    let label = crate::render::escape::line(label);
    let filled = (done * BAR).checked_div(total).map_or(BAR, |f| f.min(BAR));
    let line = format!(
        "[{}{}] {done}/{total} {label}",
        "#".repeat(filled),
        ".".repeat(BAR - filled)
    );
    line.chars().take(width.max(10)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::preload::model::tests::report;
    use crate::preload::model::{OfflineReport, Step};

    fn not_ready() -> PreloadReport {
        let offline = OfflineReport {
            ready: false,
            needs_network: vec!["example.com/evil\x1b[2J@v1.0.0".into()],
            errors: vec![],
        };
        report(
            &[
                (Step::Download, StepStatus::Failed),
                (Step::Build, StepStatus::Done),
            ],
            offline,
        )
    }

    #[test]
    fn without_colour_the_report_is_plain_and_workspace_text_is_escaped() {
        let text = render_report(&not_ready(), Paint::new(false));
        assert!(text.contains("\n✗ "), "{text}");
        assert!(text.contains("\n✓ "), "{text}");
        assert!(text.contains("\nOffline: NOT ready\n"), "{text}");
        assert!(text.contains("needs the network: example.com/evil\\x1b[2J@v1.0.0"));
        assert!(!text.contains('\x1b'), "{text}");
    }

    #[test]
    fn with_colour_marks_verdict_and_headings_are_painted_and_nothing_else() {
        let text = render_report(&not_ready(), Paint::new(true));
        assert!(text.contains("\x1b[31m✗\x1b[0m "), "{text}");
        assert!(text.contains("\x1b[32m✓\x1b[0m "), "{text}");
        assert!(text.contains("\x1b[1mOffline:\x1b[0m \x1b[31mNOT ready\x1b[0m"));
        assert!(text.contains("\x1b[1mCaches:\x1b[0m"));
        // The workspace's own escape sequence stays visible text.
        assert!(text.contains("example.com/evil\\x1b[2J@v1.0.0"));
    }

    #[test]
    fn the_bar_fills_in_proportion_and_fits_the_terminal() {
        assert_eq!(
            progress_bar(6, 24, "x", 80),
            "[######..................] 6/24 x"
        );
        assert_eq!(progress_bar(0, 0, "x", 80).matches('#').count(), 24);
        assert_eq!(progress_bar(1, 2, &"y".repeat(200), 40).chars().count(), 40);
    }
}
