//! When lint runs in the editor: the saved (or opened) file's package after a
//! pause, a newer request for the same package killing the older run, never
//! two runs of one package at once (the whole workspace on request is
//! `handlers/lint_workspace.rs`). Results replace exactly the linted
//! packages' diagnostics.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tokio::task::JoinHandle;
use tower_lsp_server::ls_types::MessageType;

use super::ext::{LintStatusNotification, LintStatusParams, RunState};
use super::lint::diagnostics_by_dir;
use super::store::Producer;
use super::Backend;
use crate::exec::SystemRunner;
use crate::lint::model::LintFailure;
use crate::lint::tool::Linter;
use crate::lint::{scope, Linted};

/// How long saves must pause before the package is linted again: a burst of
/// saves (format on save, "save all") becomes one more run. A save after a
/// quiet spell is linted at once.
pub const LINT_DEBOUNCE: Duration = Duration::from_millis(300);

/// Time allowed for one package run; a workspace run gets ten times this.
pub(super) const PACKAGE_TIMEOUT: Duration = Duration::from_secs(300);

/// A package: its module root and its pattern there (`./a/b`).
pub type PackageKey = (PathBuf, String);

#[derive(Default)]
pub struct LintRuns {
    generation: u64,
    /// The newest request per package; an older one gives way.
    latest: HashMap<PackageKey, u64>,
    /// When each package was last asked for.
    last_request: HashMap<PackageKey, Instant>,
    running: HashMap<PackageKey, JoinHandle<()>>,
}

/// The linter found on this machine, probed once per server (and again
/// after a settings change).
#[derive(Default)]
pub struct LinterCache {
    pub probed: bool,
    pub linter: Option<Linter>,
}

impl Backend {
    /// The linter to use, probing once. None when neither golangci-lint nor
    /// go is installed, or in an untrusted workspace (see [`Self::lint_allowed`]).
    pub(super) async fn linter(&self) -> Option<Linter> {
        let mut cache = self.linter_cache.lock().await;
        if !cache.probed {
            let trust = self.state.lock().await.trust();
            let env = crate::check::Environment::from_process();
            let locator = crate::toolchain::Locator::new(&env, &trust);
            let install_dir = locator.read_install_dir(&SystemRunner).await;
            cache.linter =
                crate::lint::find_linter(&SystemRunner, &locator, install_dir.as_deref()).await;
            cache.probed = true;
            match &cache.linter {
                Some(l) => {
                    tracing::info!(linter = %l.describe(), program = %l.program.display(), "lint tool")
                }
                None => tracing::warn!("neither golangci-lint nor go found: no linting"),
            }
        }
        cache.linter.clone()
    }

    /// An untrusted workspace's code and config never run: golangci-lint
    /// loads plugins its config names, and go follows go.mod's toolchain line.
    pub(super) async fn lint_allowed(&self) -> bool {
        self.state.lock().await.trusted
    }

    /// Lints `file`'s package, superseding any earlier request for it: at
    /// once after a quiet spell, else when saves have paused for
    /// [`LINT_DEBOUNCE`].
    pub(super) fn schedule_package_lint(&self, file: &Path) {
        let Some(dir) = file.parent() else {
            return;
        };
        let root = scope::module_root(dir);
        let Some(pattern) = scope::package_pattern(&root, dir) else {
            return;
        };
        let key: PackageKey = (root, pattern);
        let (generation, delay) = {
            let mut runs = self.lint_runs.lock().unwrap_or_else(|p| p.into_inner());
            runs.generation += 1;
            let generation = runs.generation;
            runs.latest.insert(key.clone(), generation);
            let now = Instant::now();
            let quiet = runs
                .last_request
                .insert(key.clone(), now)
                .is_none_or(|last| now.duration_since(last) >= LINT_DEBOUNCE)
                && runs.running.get(&key).is_none_or(JoinHandle::is_finished);
            (
                generation,
                if quiet { Duration::ZERO } else { LINT_DEBOUNCE },
            )
        };
        let backend = self.handle();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let previous = {
                let mut runs = backend.lint_runs.lock().unwrap_or_else(|p| p.into_inner());
                if runs.latest.get(&key) != Some(&generation) {
                    return;
                }
                runs.running.remove(&key)
            };
            if let Some(previous) = previous {
                // Dropping the run kills its linter and the linter's children.
                previous.abort();
                let _ = previous.await;
                tracing::debug!(package = %key.1, "superseded lint run stopped");
            }
            let mut runs = backend.lint_runs.lock().unwrap_or_else(|p| p.into_inner());
            if runs.latest.get(&key) != Some(&generation) {
                return;
            }
            let worker = backend.handle();
            let run_key = key.clone();
            let handle = tokio::spawn(async move { worker.lint_package(run_key).await });
            runs.running.insert(key, handle);
        });
    }

    async fn lint_package(&self, (root, pattern): PackageKey) {
        let Some(linter) = self.linter().await else {
            return;
        };
        let scope = format!("{pattern} in {}", root.display());
        self.send_lint_status(RunState::Running, &scope, &linter, 0, &[])
            .await;
        let started = Instant::now();
        let outcome = crate::lint::runner::run(
            &SystemRunner,
            &linter,
            &root,
            std::slice::from_ref(&pattern),
            PACKAGE_TIMEOUT,
        )
        .await;
        let (issues, failures) = match outcome {
            Ok(out) => (out.issues, out.failures),
            Err(e) => (Vec::new(), vec![exec_failure(&e)]),
        };
        let placed = crate::lint::place_issues_off_thread(linter.kind, issues).await;
        tracing::info!(
            package = %pattern,
            issues = placed.len(),
            failures = failures.len(),
            ms = started.elapsed().as_millis() as u64,
            "lint run finished"
        );
        let covered = vec![root.join(pattern.trim_start_matches("./"))];
        self.publish_lint(&linter, covered, placed.clone()).await;
        self.report_lint_failures(&failures).await;
        let messages: Vec<String> = failures.iter().map(|f| f.message.clone()).collect();
        self.send_lint_status(RunState::Idle, &scope, &linter, placed.len(), &messages)
            .await;
    }

    /// Replaces the diagnostics of the `covered` package directories (and
    /// of any directory below a covered `...` tree) with `placed`.
    pub(super) async fn publish_lint(
        &self,
        linter: &Linter,
        covered: Vec<PathBuf>,
        placed: Vec<Linted>,
    ) {
        let by_dir = diagnostics_by_dir(linter.kind, &placed);
        let changed = {
            let mut state = self.state.lock().await;
            let mut dirs: Vec<PathBuf> = covered;
            dirs.extend(by_dir.keys().cloned());
            dirs.sort();
            dirs.dedup();
            let mut changed = Vec::new();
            for dir in dirs {
                let diagnostics = by_dir.get(&dir).cloned().unwrap_or_default();
                changed.extend(
                    state
                        .diagnostics
                        .replace(Producer::Lint(dir.clone()), diagnostics),
                );
            }
            changed.sort();
            changed.dedup();
            changed
        };
        self.send_diagnostics(changed).await;
    }

    /// The linter's own failures are shown once each (not on every save),
    /// and always logged.
    pub(super) async fn report_lint_failures(&self, failures: &[LintFailure]) {
        for failure in failures {
            tracing::warn!(kind = ?failure.kind, "{}", failure.message);
            let first_time = self
                .state
                .lock()
                .await
                .reported_lint_failures
                .insert(failure.message.clone());
            if first_time {
                self.client
                    .show_message(
                        MessageType::WARNING,
                        format!("Go Remote Doctor: {}", failure.message),
                    )
                    .await;
            }
        }
    }

    pub(super) async fn send_lint_status(
        &self,
        state: RunState,
        scope: &str,
        linter: &Linter,
        issues: usize,
        failures: &[String],
    ) {
        self.client
            .send_notification::<LintStatusNotification>(LintStatusParams {
                state,
                scope: scope.to_string(),
                linter: linter.describe(),
                issues,
                failures: failures.to_vec(),
            })
            .await;
    }
}

pub(super) fn exec_failure(e: &crate::exec::ExecError) -> LintFailure {
    LintFailure {
        kind: crate::lint::model::FailureKind::Crash,
        message: e.to_string(),
    }
}

/// Every module (directory with a go.mod) in the workspace, found by the
/// walk `gord check` makes (it skips vendor, testdata, node_modules, target
/// and hidden directories).
pub fn find_modules(workspace: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = crate::goenv::gomod::module_files(workspace)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "go.mod"))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    found.sort();
    found
}
