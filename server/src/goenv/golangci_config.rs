//! GO050: the workspace's golangci-lint configs against the installed
//! golangci-lint (GO050–GO053, judged by [`crate::lint::config_major`]).
//!
//! The config of a directory is the first of `.golangci.yml`, `.yaml`,
//! `.toml`, `.json` there (golangci-lint's order), looked for in the
//! workspace folder and each module's directory. When the config's major
//! differs from the binary's, the binary is asked for its own words: v2's
//! `config verify` (a JSON schema check, nothing run, no network), v1's
//! `run` on a config with a `version` (refused before anything loads). An
//! untrusted workspace's config is judged from its text alone: golangci-lint
//! may load the plugins a config names.

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::future::BoxFuture;

use crate::check::{CheckContext, Outcome};
use crate::exec::CommandSpec;
use crate::finding::Finding;
use crate::fsread::{self, Kind};
use crate::goenv::gomod::module_files;
use crate::goenv::probe::go_env;
use crate::goenv::tools::pinned;
use crate::lint::config_edit::{outline, ConfigFormat};
use crate::lint::config_major::{declared_major, judge, Binary, Inputs};
use crate::lint::tool::Linter;

/// golangci-lint's config file names, in the order it tries them.
pub const CONFIG_NAMES: [&str; 4] = [
    ".golangci.yml",
    ".golangci.yaml",
    ".golangci.toml",
    ".golangci.json",
];

/// At most this many module directories are looked at.
const MAX_DIRS: usize = 32;

/// Time allowed for the binary's verdict on one config.
const VERIFY_TIMEOUT: Duration = Duration::from_secs(20);

/// The config golangci-lint would read in `dir`, if any.
pub fn config_in(dir: &Path) -> Option<PathBuf> {
    CONFIG_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
}

/// The configs of a workspace: its folder's, then each module directory's.
pub fn config_files(root: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![root.to_path_buf()];
    for file in module_files(root) {
        if let Some(dir) = file.parent() {
            if !dirs.iter().any(|d| d == dir) {
                dirs.push(dir.to_path_buf());
            }
        }
    }
    dirs.truncate(MAX_DIRS);
    dirs.iter().filter_map(|d| config_in(d)).collect()
}

/// The error line of a golangci-lint that refused a config: the text after
/// cobra's "...due to an error: " prefix, else the first line that says
/// something.
pub fn refusal(stderr: &str) -> Option<String> {
    const PREFIXES: [&str; 3] = [
        "The command is terminated due to an error: ",
        "Failed executing command with error: ",
        "Error: ",
    ];
    let line = stderr
        .lines()
        .map(str::trim)
        .find(|l| PREFIXES.iter().any(|p| l.starts_with(p)))
        .or_else(|| stderr.lines().map(str::trim).find(|l| !l.is_empty()))?;
    let said = PREFIXES
        .iter()
        .find_map(|p| line.strip_prefix(p))
        .unwrap_or(line);
    Some(
        crate::render::escape::line(said)
            .chars()
            .take(400)
            .collect(),
    )
}

/// What the binary says about the config at `path`, when its major differs
/// from the config's; None when it was not asked or had nothing to say.
async fn binary_says(
    ctx: &CheckContext,
    linter: &Linter,
    path: &Path,
    text: &str,
    format: ConfigFormat,
) -> Option<String> {
    if !ctx.trust.is_trusted() {
        return None;
    }
    let read = outline(text, format).ok();
    let declared = read.as_ref().and_then(declared_major);
    let dir = path.parent()?;
    let spec = match (linter.major, declared) {
        (2, Some(1)) | (2, None) => CommandSpec::new(&linter.program).args([
            "config".as_ref(),
            "verify".as_ref(),
            "--config".as_ref(),
            path.as_os_str(),
        ]),
        // v1 refuses any config with a `version` before loading anything.
        (1, Some(2) | None) if read.as_ref().is_some_and(|o| o.version.is_some()) => {
            CommandSpec::new(&linter.program).args([
                "run".as_ref(),
                "--config".as_ref(),
                path.as_os_str(),
            ])
        }
        _ => return None,
    };
    let out = ctx
        .runner
        .run(spec.cwd(dir).timeout(VERIFY_TIMEOUT).output_cap(64 * 1024))
        .await
        .map_err(|e| tracing::debug!("golangci-lint on {}: {e}", path.display()))
        .ok()?;
    if out.success() {
        return None;
    }
    refusal(&(out.stderr_text() + &out.stdout_text()))
}

/// Every finding of the workspace's golangci-lint configs, with the files
/// read and those that could not be.
pub async fn workspace_findings(
    ctx: &CheckContext,
    root: &Path,
) -> (Vec<PathBuf>, Vec<Finding>, Vec<String>) {
    let root_owned = root.to_path_buf();
    let files = tokio::task::spawn_blocking(move || config_files(&root_owned))
        .await
        .unwrap_or_default();
    if files.is_empty() {
        return (files, Vec::new(), Vec::new());
    }
    let env = go_env(ctx).await.ok();
    let linter = match ctx.locator().find("golangci-lint", env).into_path() {
        Some(path) => Linter::golangci(ctx.runner.as_ref(), &path)
            .await
            .map_err(|e| tracing::debug!("golangci-lint probe for GO050 failed: {e}"))
            .ok(),
        None => None,
    };
    let install_v2 = pinned("golangci-lint").map(|s| s.install_argv());
    let mut findings = Vec::new();
    let mut unreadable = Vec::new();
    for file in &files {
        let Some(format) = ConfigFormat::from_path(file) else {
            continue;
        };
        let text = match fsread::read_to_string(file, Kind::Settings) {
            Ok(text) => text,
            Err(e) => {
                unreadable.push(format!("{}: {e}", file.display()));
                continue;
            }
        };
        let binary = match &linter {
            Some(l) => Some(Binary {
                program: l.program.display().to_string(),
                version: l.version.clone(),
                major: l.major,
                error: binary_says(ctx, l, file, &text, format).await,
            }),
            None => None,
        };
        findings.extend(judge(&Inputs {
            path: file,
            text: &text,
            format,
            binary: binary.as_ref(),
            install_v2: install_v2.clone(),
        }));
    }
    (files, findings, unreadable)
}

pub(super) fn go050(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        let Some(workspace) = &ctx.workspace else {
            return Outcome::skipped("no workspace folder to look at");
        };
        let (files, findings, unreadable) = workspace_findings(ctx, workspace).await;
        if files.is_empty() {
            return Outcome::skipped(format!(
                "no golangci-lint config (.golangci.yml, .yaml, .toml, .json) in {}",
                workspace.display()
            ));
        }
        let names: Vec<String> = files
            .iter()
            .map(|f| f.strip_prefix(workspace).unwrap_or(f).display().to_string())
            .collect();
        let mut detail = format!("files: {}", names.join(", "));
        if !unreadable.is_empty() {
            detail.push_str(&format!("\nunreadable: {}", unreadable.join("; ")));
        }
        let outcome = match Outcome::from_findings(&findings) {
            Some(outcome) => outcome,
            None if !unreadable.is_empty() => Outcome::warning(unreadable.join("; ")),
            None => Outcome::ok(format!(
                "{} fit the installed golangci-lint",
                names.join(", ")
            )),
        };
        outcome.with_detail(detail).with_findings(findings)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_is_the_text_after_cobras_prefix() {
        let v2 = "The command is terminated due to an error: can't load config: unsupported version of the configuration: \"\" See https://golangci-lint.run/docs/product/migration-guide for migration instructions\n";
        assert_eq!(
            refusal(v2).as_deref(),
            Some("can't load config: unsupported version of the configuration: \"\" See https://golangci-lint.run/docs/product/migration-guide for migration instructions")
        );
        let v1 = "Error: you are using a configuration file for golangci-lint v2 with golangci-lint v1: please use golangci-lint v2\nFailed executing command with error: you are using ...\n";
        assert_eq!(
            refusal(v1).as_deref(),
            Some("you are using a configuration file for golangci-lint v2 with golangci-lint v1: please use golangci-lint v2")
        );
        assert_eq!(refusal("\n\n"), None);
    }

    #[test]
    fn the_config_of_a_directory_is_the_first_name_golangci_lint_tries() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(config_in(dir.path()), None);
        std::fs::write(dir.path().join(".golangci.json"), "{}").expect("write");
        std::fs::write(dir.path().join(".golangci.yaml"), "").expect("write");
        assert_eq!(
            config_in(dir.path()),
            Some(dir.path().join(".golangci.yaml"))
        );
    }
}
