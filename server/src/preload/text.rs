//! The preload report and progress as plain text, for the CLI.

use crate::preload::caches::human_bytes;
use crate::preload::model::{ModuleOutcome, PreloadEvent, PreloadReport, StepStatus};

/// The report, one section per part; credentials are already redacted in it.
pub fn render_report(report: &PreloadReport) -> String {
    let mut out = format!("gord preload: {}\n\n", report.workspace);
    for step in &report.steps {
        let mark = match step.status {
            StepStatus::Done => "✓",
            StepStatus::Skipped => "-",
            StepStatus::Failed => "✗",
        };
        out.push_str(&format!(
            "{mark} {:<36} {:>7} ms  {}\n",
            step.step.title(),
            step.duration_ms,
            step.message
        ));
    }
    out.push_str("\nOffline: ");
    if report.offline.ready {
        out.push_str("ready — the workspace's packages list and type-check with GOPROXY=off\n");
    } else {
        out.push_str("NOT ready\n");
        for module in &report.offline.needs_network {
            out.push_str(&format!("  needs the network: {module}\n"));
        }
        for error in report.offline.errors.iter().take(5) {
            out.push_str(&format!("  go: {}\n", error.trim_start_matches("go: ")));
        }
    }
    out.push_str("\nCaches:\n");
    for cache in &report.caches {
        out.push_str(&format!(
            "  {:<10} {:>10}  {}\n",
            cache.name,
            human_bytes(cache.bytes),
            cache.path
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
            "gopls", size, gopls.dir.path
        ));
        if let Some(note) = &gopls.note {
            out.push_str(&format!("  note: {note}\n"));
        }
    }
    let private = &report.private;
    out.push_str(&format!("\nModule proxy: GOPROXY={}\n", private.goproxy));
    for module in &private.private_modules {
        out.push_str(&format!(
            "  private: {} ({}, {})\n",
            module.path,
            module.fetched_from(),
            module.checksums()
        ));
    }
    for problem in &private.problems {
        out.push_str(&format!("  ! {problem}\n"));
    }
    for note in &private.notes {
        out.push_str(&format!("  {note}\n"));
    }
    out.push_str(&format!("\nDone in {} ms.\n", report.duration_ms));
    // Module paths and go's messages come from the workspace: nothing in
    // them may drive the terminal.
    crate::render::escape::text(&out).into_owned()
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
