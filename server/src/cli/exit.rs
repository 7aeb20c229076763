//! The one exit status of every command, and how findings become one.
//!
//! 0: no finding at or above `--fail-on`; 1: findings at or above it;
//! 2: a usage error or gord itself failed; 130: interrupted (`gord preload`).

use std::process::ExitCode;

use gord::finding::Severity;

/// How a `gord` run ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Nothing at or above `--fail-on` (or nothing to report).
    Clean,
    /// Findings at or above `--fail-on`, or a blocked attach.
    Findings,
    /// gord, or a tool it ran, failed; the reason is already on stderr.
    Failed,
    /// Stopped by Ctrl-C or SIGTERM after cleaning up.
    Interrupted,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Clean => 0,
            Exit::Findings => 1,
            Exit::Failed => 2,
            Exit::Interrupted => 130,
        }
    }

    /// `Findings` when any of `severities` reaches `fail_on`, else `Clean`.
    pub fn for_findings(severities: impl IntoIterator<Item = Severity>, fail_on: FailOn) -> Exit {
        let Some(threshold) = fail_on.threshold() else {
            return Exit::Clean;
        };
        if severities.into_iter().any(|s| s >= threshold) {
            Exit::Findings
        } else {
            Exit::Clean
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

/// `--fail-on`: the lowest severity that makes the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Only errors.
    Error,
    /// Warnings and errors.
    Warning,
    /// Every finding, information included.
    Info,
    /// No finding changes the exit code (2 still means gord failed).
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// The arguments ask for something this command does not do (exit 2, like
/// clap's own usage errors).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// What a command returns: how it ended, or why it could not run (exit 2).
pub type CliResult = anyhow::Result<Exit>;

/// Says why gord could not run on stderr; the exit status is [`Exit::Failed`].
pub fn report(error: &anyhow::Error) -> Exit {
    gord::say!("gord: error: {error:#}");
    Exit::Failed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_0_clean_1_findings_2_failed_130_interrupted() {
        let codes = [Exit::Clean, Exit::Findings, Exit::Failed, Exit::Interrupted].map(Exit::code);
        assert_eq!(codes, [0, 1, 2, 130]);
    }

    #[test]
    fn a_finding_at_the_fail_on_level_or_above_is_exit_1() {
        use Severity::*;
        assert_eq!(
            Exit::for_findings([Warning], FailOn::Warning),
            Exit::Findings
        );
        assert_eq!(Exit::for_findings([Error], FailOn::Warning), Exit::Findings);
        assert_eq!(
            Exit::for_findings([Info, Warning], FailOn::Error),
            Exit::Clean
        );
        assert_eq!(Exit::for_findings([Info], FailOn::Info), Exit::Findings);
        assert_eq!(Exit::for_findings([Info], FailOn::Warning), Exit::Clean);
    }

    #[test]
    fn no_finding_is_clean_and_never_ignores_every_finding() {
        assert_eq!(Exit::for_findings([], FailOn::Info), Exit::Clean);
        assert_eq!(
            Exit::for_findings([Severity::Error], FailOn::Never),
            Exit::Clean
        );
    }
}
