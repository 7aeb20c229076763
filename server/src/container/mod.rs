//! Dev containers: the workspace's devcontainer.json files judged for Go
//! (GO040–GO045, [`devcontainer`]), and, when gord itself runs inside a
//! container, what Delve can do there (GO046, [`window`]).

mod devcontainer;
pub mod image;
mod window;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures::future::BoxFuture;

use crate::check::{Area, Check, CheckContext, FnCheck, Outcome};
use crate::finding::Finding;
use crate::fsread::{self, Kind};
use crate::goenv::gomod::{directives, module_files};
use crate::goenv::version::GoVersion;

pub use devcontainer::{judge, DockerfileRead, Inputs, Required};

/// The dev container checks, in report order.
pub fn catalogue() -> Vec<Arc<dyn Check>> {
    vec![
        FnCheck::shared("GO040", "Dev container", Area::Go, go040_devcontainer),
        FnCheck::shared("GO046", "Container window", Area::Debug, go046_window),
    ]
}

/// At most this many `.devcontainer/*/devcontainer.json` files are read.
const MAX_CONFIGS: usize = 32;

/// The devcontainer.json files of a workspace, as the Dev Containers
/// extension finds them: `.devcontainer/devcontainer.json`,
/// `.devcontainer.json`, and `.devcontainer/<name>/devcontainer.json`.
pub fn config_files(root: &Path) -> Vec<PathBuf> {
    let folder = root.join(".devcontainer");
    let mut found: Vec<PathBuf> = [
        folder.join("devcontainer.json"),
        root.join(".devcontainer.json"),
    ]
    .into_iter()
    .filter(|p| p.is_file())
    .collect();
    let mut nested: Vec<PathBuf> = std::fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path().join("devcontainer.json"))
        .filter(|p| p.is_file())
        .collect();
    nested.sort();
    nested.truncate(MAX_CONFIGS);
    found.extend(nested);
    found
}

/// The highest `go` line among the workspace's module files.
pub fn required_go(root: &Path) -> Option<Required> {
    module_files(root)
        .iter()
        .filter_map(|file| {
            let text = fsread::read_module_file(file, root).ok()?;
            let name = file
                .strip_prefix(root)
                .unwrap_or(file)
                .display()
                .to_string();
            let version = directives(&text)
                .into_iter()
                .filter(|d| d.keyword == "go")
                .find_map(|d| GoVersion::parse(&d.value).ok())?;
            Some(Required {
                version,
                file: name,
            })
        })
        .max_by(|a, b| a.version.cmp(&b.version))
}

fn read_text(path: &Path) -> DockerfileRead {
    fsread::read_to_string(path, Kind::Settings).map_err(|e| e.to_string())
}

/// Every finding of the workspace's devcontainer.json files; blocking.
pub fn workspace_findings(root: &Path) -> (Vec<PathBuf>, Vec<Finding>, Vec<String>) {
    let files = config_files(root);
    if files.is_empty() {
        return (files, Vec::new(), Vec::new());
    }
    let required = required_go(root);
    let mut findings = Vec::new();
    let mut unreadable = Vec::new();
    for file in &files {
        match read_text(file) {
            Ok(text) => findings.extend(judge(&Inputs {
                path: file,
                text: &text,
                required: required.as_ref(),
                read_dockerfile: &read_text,
            })),
            Err(e) => unreadable.push(e),
        }
    }
    (files, findings, unreadable)
}

fn go040_devcontainer(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        let Some(workspace) = &ctx.workspace else {
            return Outcome::skipped("no workspace folder to look at");
        };
        let root = workspace.clone();
        let Ok((files, findings, unreadable)) =
            tokio::task::spawn_blocking(move || workspace_findings(&root)).await
        else {
            return Outcome::error("reading the devcontainer.json files failed");
        };
        if files.is_empty() {
            return Outcome::skipped(format!("no devcontainer.json in {}", workspace.display()));
        }
        let names: Vec<String> = files
            .iter()
            .map(|f| f.strip_prefix(workspace).unwrap_or(f).display().to_string())
            .collect();
        let detail = if unreadable.is_empty() {
            format!("files: {}", names.join(", "))
        } else {
            format!(
                "files: {}\nunreadable: {}",
                names.join(", "),
                unreadable.join("; ")
            )
        };
        let outcome = match Outcome::from_findings(&findings) {
            Some(outcome) => outcome,
            None if !unreadable.is_empty() => Outcome::warning(unreadable.join("; ")),
            None => Outcome::ok(format!(
                "{} ready for Go{}",
                names.join(", "),
                match findings.len() {
                    0 => String::new(),
                    n => format!(" ({n} suggestion{})", if n == 1 { "" } else { "s" }),
                }
            )),
        };
        outcome.with_detail(detail).with_findings(findings)
    })
}

fn go046_window(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        if let Err(refusal) = crate::platform::linux_only("This check", "reads /proc") {
            return Outcome::skipped(refusal.to_string());
        }
        let remote = ctx
            .env
            .get("REMOTE_CONTAINERS")
            .map(|v| v.to_string_lossy().into_owned());
        let Ok(facts) = tokio::task::spawn_blocking(move || {
            let text = |p: &str| fsread::read_to_string(Path::new(p), Kind::Settings).ok();
            window::Facts {
                dockerenv: Path::new("/.dockerenv").exists(),
                containerenv: Path::new("/run/.containerenv").exists(),
                remote_containers: remote,
                cgroup: text("/proc/self/cgroup"),
                status: text("/proc/self/status"),
                ptrace_scope: text("/proc/sys/kernel/yama/ptrace_scope"),
            }
        })
        .await
        else {
            return Outcome::error("reading /proc failed");
        };
        window::judge(&facts)
    })
}
