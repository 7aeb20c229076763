//! Runs a linter and sorts what it printed into issues and failures. The
//! child runs through [`crate::exec`]: dropping the future kills it (and its
//! children), which is how a superseded run is cancelled.

use std::path::Path;
use std::time::Duration;

use crate::exec::{ExecError, Output, ProcessRunner};

use super::model::{FailureKind, LintFailure, LintOutput, ToolKind};
use super::tool::Linter;
use super::{golangci, vet};

/// Lints `patterns` of the module at `module_root`.
pub async fn run(
    runner: &dyn ProcessRunner,
    linter: &Linter,
    module_root: &Path,
    patterns: &[String],
    timeout: Duration,
) -> Result<LintOutput, ExecError> {
    let output = runner
        .run(linter.command(module_root, patterns, timeout))
        .await?;
    Ok(interpret(linter.kind, &output, module_root))
}

/// Sorts a finished run's output. Pure, so every exit a real tool can take is
/// testable from recorded output.
pub fn interpret(kind: ToolKind, output: &Output, module_root: &Path) -> LintOutput {
    let mut result = match kind {
        ToolKind::GolangciLint => golangci_output(output, module_root),
        ToolKind::GoVet => vet_output(output),
    };
    if output.truncated {
        result.failures.push(LintFailure {
            kind: FailureKind::Output,
            message: format!(
                "{} printed more than gord keeps ({} MB); the results are incomplete",
                kind.source(),
                crate::exec::DEFAULT_OUTPUT_CAP.max(512 * 1024 * 1024) / (1024 * 1024)
            ),
        });
    }
    result
}

fn golangci_output(output: &Output, module_root: &Path) -> LintOutput {
    let stdout = output.stdout_text();
    // The JSON document is one line; a project's config may send other
    // formats to stdout as well.
    let json_line = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("{\"Issues\""));
    match json_line {
        Some(line) => {
            let mut result = golangci::parse(line, module_root);
            if let Some(panic) = panic_line(&output.stderr_text()) {
                result.failures.push(crash(panic));
            }
            result
        }
        None => LintOutput {
            issues: Vec::new(),
            failures: vec![failure_without_json(output, "golangci-lint")],
        },
    }
}

fn vet_output(output: &Output) -> LintOutput {
    let stderr = output.stderr_text();
    let mut result = vet::parse(&(output.stdout_text() + "\n" + &stderr));
    let benign = stderr.contains("no Go files in") || stderr.contains("matched no packages");
    if !output.success() && result.issues.is_empty() && result.failures.is_empty() && !benign {
        result.failures.push(failure_without_json(output, "go vet"));
    }
    result
}

fn panic_line(stderr: &str) -> Option<String> {
    stderr
        .lines()
        .find(|l| l.starts_with("panic:"))
        .map(|l| l.trim().to_string())
}

fn crash(panic: String) -> LintFailure {
    LintFailure {
        kind: FailureKind::Crash,
        message: format!("the linter crashed: {panic}"),
    }
}

/// No JSON at all: the tool stopped before linting. Its stderr says why.
fn failure_without_json(output: &Output, tool: &str) -> LintFailure {
    let stderr = output.stderr_text();
    if let Some(panic) = panic_line(&stderr) {
        return crash(panic);
    }
    let Some(code) = output.code else {
        return LintFailure {
            kind: FailureKind::Crash,
            message: format!("{tool} was killed by a signal before it finished"),
        };
    };
    let message = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("The command is terminated due to an error"))
        .map(|l| l.strip_prefix("Error: ").unwrap_or(l))
        .map(|l| {
            l.strip_prefix("level=error msg=\"")
                .map(|m| m.trim_end_matches('"'))
                .unwrap_or(l)
        })
        .next()
        .map(str::to_string)
        .unwrap_or_else(|| format!("{tool} exited with code {code} and printed no result"));
    let lowered = message.to_lowercase();
    let kind = if lowered.contains("config") || lowered.contains("unknown linters") {
        FailureKind::Config
    } else {
        FailureKind::Load
    };
    LintFailure {
        kind,
        message: format!("{tool} failed: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn output(code: Option<i32>, stdout: &str, stderr: &str) -> Output {
        Output {
            code,
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
            truncated: false,
            duration: Duration::ZERO,
        }
    }

    /// What gord makes of a run of `kind` with this exit code and output.
    fn interpreted(kind: ToolKind, code: Option<i32>, stdout: &str, stderr: &str) -> LintOutput {
        interpret(kind, &output(code, stdout, stderr), &root())
    }

    fn root() -> PathBuf {
        PathBuf::from("/m")
    }

    #[test]
    fn a_config_error_is_reported_as_such() {
        // What golangci-lint 2.15.0 prints for `linters: enable: [nosuchlinter]`.
        let out = interpreted(
            ToolKind::GolangciLint,
            Some(3),
            "",
            "Error: unknown linters: 'nosuchlinter', run 'golangci-lint help linters' to see the list of supported linters\nThe command is terminated due to an error: unknown linters: 'nosuchlinter', run 'golangci-lint help linters' to see the list of supported linters\n",
        );
        assert!(out.issues.is_empty());
        assert_eq!(out.failures.len(), 1);
        assert_eq!(out.failures[0].kind, FailureKind::Config);
        assert_eq!(
            out.failures[0].message,
            "golangci-lint failed: unknown linters: 'nosuchlinter', run 'golangci-lint help linters' to see the list of supported linters"
        );
    }

    #[test]
    fn a_panic_is_a_crash() {
        let out = interpreted(
            ToolKind::GolangciLint,
            Some(2),
            "",
            "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\n",
        );
        assert_eq!(out.failures[0].kind, FailureKind::Crash);
        assert!(out.failures[0].message.contains("index out of range"));
    }

    #[test]
    fn a_kill_is_a_crash() {
        let out = interpreted(ToolKind::GolangciLint, None, "", "");
        assert_eq!(out.failures[0].kind, FailureKind::Crash);
    }

    #[test]
    fn json_after_other_output_on_stdout_is_found() {
        let stdout = "pkg/a.go:1:1: something (x)\n{\"Issues\":[{\"FromLinter\":\"x\",\"Text\":\"t\",\"Pos\":{\"Filename\":\"a.go\",\"Line\":1,\"Column\":1}}],\"Report\":{}}\n";
        let out = interpreted(ToolKind::GolangciLint, Some(1), stdout, "");
        assert_eq!(out.issues.len(), 1);
        assert!(out.failures.is_empty());
    }

    #[test]
    fn go_vet_on_a_directory_without_go_files_is_no_failure() {
        let out = interpreted(ToolKind::GoVet, Some(1), "", "no Go files in /m/empty\n");
        assert_eq!(out, LintOutput::default());
    }

    #[test]
    fn go_vet_failing_without_output_says_why() {
        let out = interpreted(
            ToolKind::GoVet,
            Some(1),
            "",
            "go: go.mod file not found in current directory or any parent directory\n",
        );
        assert_eq!(out.failures.len(), 1);
        assert!(out.failures[0].message.contains("go.mod file not found"));
    }
}
