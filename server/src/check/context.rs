//! What checks share: the workspace, settings, the process runner, the
//! environment, and facts gathered once per run (such as `go env`).

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::sync::Arc;

use crate::exec::{ProcessRunner, SystemRunner};
use crate::goenv::GoProbe;
use crate::settings::Settings;

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
    /// False in an untrusted workspace: nothing the workspace configures runs.
    pub trusted: bool,
    /// Facts about the Go toolchain, gathered once and shared by the GO checks.
    pub go: GoProbe,
}

impl CheckContext {
    pub fn new(
        workspace: Option<PathBuf>,
        settings: Settings,
        runner: Arc<dyn ProcessRunner>,
        env: Environment,
        trusted: bool,
    ) -> Self {
        CheckContext {
            workspace,
            settings,
            runner,
            env,
            trusted,
            go: GoProbe::default(),
        }
    }

    /// A context on the real system with default settings and no workspace.
    pub fn for_tests() -> Self {
        Self::new(
            None,
            Settings::default(),
            Arc::new(SystemRunner),
            Environment::from_process(),
            true,
        )
    }
}
