//! What checks share: the workspace, settings, the process runner, the
//! environment, and facts gathered once per run (such as `go env`).

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::sync::Arc;

use crate::exec::{ProcessRunner, SystemRunner};
use crate::goenv::GoProbe;
use crate::settings::Settings;

use super::trust::Trust;

/// A snapshot of environment variables. Checks read PATH and friends from here,
/// never from the process, so tests can describe any machine.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    vars: BTreeMap<OsString, OsString>,
}

impl Environment {
    pub fn from_process() -> Self {
        Environment {
            vars: std::env::vars_os().collect(),
        }
    }

    pub fn from_pairs<K: Into<OsString>, V: Into<OsString>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Environment {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&OsStr> {
        self.vars.get(OsStr::new(key)).map(OsString::as_os_str)
    }

    /// The directories of PATH, in order, empty entries dropped.
    pub fn path_dirs(&self) -> Vec<PathBuf> {
        self.get("PATH")
            .map(|p| {
                std::env::split_paths(p)
                    .filter(|d| !d.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn home(&self) -> Option<PathBuf> {
        self.get("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
    }

    /// All variables, for handing to a child process.
    pub fn vars(&self) -> impl Iterator<Item = (&OsString, &OsString)> {
        self.vars.iter()
    }
}

pub struct CheckContext {
    pub workspace: Option<PathBuf>,
    pub settings: Settings,
    pub runner: Arc<dyn ProcessRunner>,
    pub env: Environment,
    /// Untrusted: nothing the workspace configures runs, and no program comes
    /// from inside any workspace folder.
    pub trust: Trust,
    /// Facts about the Go toolchain, gathered once and shared by the GO checks.
    pub go: GoProbe,
}

impl CheckContext {
    pub fn new(
        workspace: Option<PathBuf>,
        settings: Settings,
        runner: Arc<dyn ProcessRunner>,
        env: Environment,
        trust: Trust,
    ) -> Self {
        // Every child of a check gets only the PATH programs may come from.
        let runner =
            super::trust::RestrictedRunner::wrap(runner, &trust, &trust.program_dirs(&env));
        CheckContext {
            workspace,
            settings,
            runner,
            env,
            trust,
            go: GoProbe::default(),
        }
    }

    /// The toolchain locator for this environment and trust: where every
    /// check takes go and the Go tools from.
    pub fn locator(&self) -> crate::toolchain::Locator {
        crate::toolchain::Locator::new(&self.env, &self.trust)
    }

    /// A context on the real system with default settings and no workspace.
    pub fn for_tests() -> Self {
        Self::new(
            None,
            Settings::default(),
            Arc::new(SystemRunner),
            Environment::from_process(),
            Trust::Trusted,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(workspace: &std::path::Path, trusted: bool) -> CheckContext {
        let path = format!(".:bin:{}/tools:/usr/bin", workspace.display());
        std::fs::create_dir(workspace.join("tools")).unwrap();
        CheckContext::new(
            Some(workspace.to_path_buf()),
            Settings::default(),
            Arc::new(SystemRunner),
            Environment::from_pairs([("PATH", path)]),
            Trust::new(trusted, &[workspace.to_path_buf()]),
        )
    }

    #[test]
    fn an_untrusted_workspace_cannot_put_programs_on_gords_path() {
        let ws = tempfile::tempdir().unwrap();
        let ctx = context(ws.path(), false);
        assert_eq!(ctx.locator().path_dirs(), [PathBuf::from("/usr/bin")]);
        assert!(!ctx.trust.allows_program_dir(&ws.path().join("tools")));
    }

    #[test]
    fn a_trusted_workspace_uses_path_as_a_shell_would() {
        let ws = tempfile::tempdir().unwrap();
        let ctx = context(ws.path(), true);
        assert_eq!(ctx.locator().path_dirs().len(), 4);
    }
}
