//! What `gord/preload` (handlers/preload.rs) shows of the preload's events
//! as work-done progress.

use crate::preload::{PreloadEvent, StepStatus};

/// The progress line for an event, and a percentage when it gives one.
pub fn progress_line(event: &PreloadEvent) -> (String, Option<u32>) {
    match event {
        PreloadEvent::StepStarted { title, .. } => (format!("{title}…"), None),
        PreloadEvent::Module {
            done,
            total,
            module,
            ..
        } => (
            format!("module {done} of {total}: {module}"),
            u32::try_from(done * 100 / (*total).max(1)).ok(),
        ),
        PreloadEvent::StepFinished {
            step,
            status,
            message,
            ..
        } => {
            let word = match status {
                StepStatus::Done => "done",
                StepStatus::Skipped => "skipped",
                StepStatus::Failed => "failed",
            };
            (format!("{}: {word} — {message}", step_title(*step)), None)
        }
    }
}

fn step_title(step: crate::preload::Step) -> &'static str {
    step.title()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preload::model::ModuleOutcome;
    use crate::preload::Step;

    #[test]
    fn module_events_give_n_of_n_and_a_percentage() {
        let (line, at) = progress_line(&PreloadEvent::Module {
            done: 3,
            total: 12,
            module: "golang.org/x/text@v0.14.0".into(),
            outcome: ModuleOutcome::Downloaded,
        });
        assert_eq!(line, "module 3 of 12: golang.org/x/text@v0.14.0");
        assert_eq!(at, Some(25));
    }

    #[test]
    fn steps_say_what_runs_and_how_it_ended() {
        let (line, at) = progress_line(&PreloadEvent::StepStarted {
            step: Step::Gopls,
            title: Step::Gopls.title().into(),
        });
        assert_eq!((line.as_str(), at), ("Warming gopls' cache…", None));
        let (line, _) = progress_line(&PreloadEvent::StepFinished {
            step: Step::Download,
            status: StepStatus::Skipped,
            message: "every module was cached".into(),
            duration_ms: 3,
        });
        assert_eq!(
            line,
            "Downloading modules: skipped — every module was cached"
        );
    }
}
