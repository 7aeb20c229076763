//! `gord preload`'s progress on stderr: a redrawn bar on a terminal, plain
//! lines otherwise.

use std::io::{IsTerminal, Write};

use gord::preload::PreloadEvent;

pub struct StderrProgress {
    tty: bool,
    width: usize,
    label: std::sync::Mutex<String>,
}

impl StderrProgress {
    pub fn new() -> Self {
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(80);
        StderrProgress {
            tty: std::io::stderr().is_terminal(),
            width,
            label: std::sync::Mutex::new(String::new()),
        }
    }

    pub fn show(&self, event: &PreloadEvent) {
        let mut stderr = std::io::stderr().lock();
        if !self.tty {
            if let Some(line) = gord::preload::text::event_line(event) {
                let _ = writeln!(stderr, "{line}");
            }
            return;
        }
        let Ok(mut label) = self.label.lock() else {
            return;
        };
        let line = match event {
            PreloadEvent::StepStarted { title, .. } => {
                *label = title.clone();
                format!("{title}…")
            }
            PreloadEvent::Module {
                done,
                total,
                module,
                ..
            } => gord::preload::text::progress_bar(
                *done,
                *total,
                &format!("{label}: {module}"),
                self.width,
            ),
            PreloadEvent::StepFinished { .. } => {
                // Finished steps stay on screen; the bar is redrawn below them.
                let _ = write!(stderr, "\r\x1b[2K");
                if let Some(line) = gord::preload::text::event_line(event) {
                    let _ = writeln!(stderr, "{line}");
                }
                return;
            }
        };
        let line: String = line.chars().take(self.width.saturating_sub(1)).collect();
        let _ = write!(stderr, "\r\x1b[2K{line}");
        let _ = stderr.flush();
    }

    pub fn finish(&self) {
        if self.tty {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
