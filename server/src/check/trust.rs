//! Restricted Mode's one rule for where gord may take programs from.
//!
//! In an untrusted workspace no program may come from inside any workspace
//! folder, or the repository could put its own `go`, `gopls`, `dlv` or
//! `golangci-lint` in gord's way. Every program lookup (PATH and the extra
//! install directories such as GOBIN or GOPATH/bin) goes through
//! [`Trust::allows_program_dir`]; nothing else decides it. The children gord
//! starts get a PATH of the allowed directories only ([`Trust::child_path`]),
//! because `go` looks up `gcc`, `git` and the like on PATH by itself.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures::future::BoxFuture;

use super::Environment;
use crate::exec::{
    CommandSpec, ExecError, Output, ProcessRunner, ServerProcess, StdioBridge, StreamingChild,
};

/// Whether the workspace is trusted and, when it is not, the folders
/// programs must never come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// PATH is used as a shell would use it.
    Trusted,
    /// Restricted Mode. Each folder is kept as given and canonical, so a
    /// folder opened through a symlink (`/home` → `/data/home`) is caught
    /// under either name.
    Untrusted { folders: Vec<PathBuf> },
}

impl Trust {
    /// The trust of a workspace with these folders (all of them, not only
    /// the first). Canonicalises the folders once, here.
    pub fn new(trusted: bool, folders: &[PathBuf]) -> Trust {
        if trusted {
            return Trust::Trusted;
        }
        let mut all: Vec<PathBuf> = Vec::new();
        for folder in folders {
            let canonical = folder.canonicalize().ok();
            for form in std::iter::once(folder.clone()).chain(canonical) {
                if !all.contains(&form) {
                    all.push(form);
                }
            }
        }
        Trust::Untrusted { folders: all }
    }

    pub fn is_trusted(&self) -> bool {
        matches!(self, Trust::Trusted)
    }

    /// Whether a program may be taken from `dir`. Untrusted: only an absolute
    /// directory that exists and whose canonical path is inside no workspace
    /// folder (a relative entry resolves against the workspace folder; one
    /// that cannot be resolved holds no program worth the risk).
    pub fn allows_program_dir(&self, dir: &Path) -> bool {
        let Trust::Untrusted { folders } = self else {
            return true;
        };
        if !dir.is_absolute() {
            return false;
        }
        let Ok(canonical) = dir.canonicalize() else {
            return false;
        };
        !folders
            .iter()
            .any(|folder| canonical.starts_with(folder) || dir.starts_with(folder))
    }

    /// The PATH directories of `env` programs may be taken from, in order.
    pub fn program_dirs(&self, env: &Environment) -> Vec<PathBuf> {
        env.path_dirs()
            .into_iter()
            .filter(|dir| self.allows_program_dir(dir))
            .collect()
    }

    /// The PATH a child gord starts must get: untrusted, only `allowed_dirs`
    /// (what [`Self::program_dirs`] returned), because `go` itself looks up
    /// `gcc`, `git` and friends on PATH; None when trusted (inherit PATH).
    pub fn child_path(&self, allowed_dirs: &[PathBuf]) -> Option<OsString> {
        if self.is_trusted() {
            return None;
        }
        // split_paths never yields a directory join_paths refuses; if one
        // did, an empty PATH finds nothing, which is the safe side.
        Some(std::env::join_paths(allowed_dirs).unwrap_or_default())
    }

    /// `spec` with [`Self::child_path`] as its PATH, when there is one.
    pub fn restrict(&self, allowed_dirs: &[PathBuf], spec: CommandSpec) -> CommandSpec {
        match self.child_path(allowed_dirs) {
            Some(path) => spec.env("PATH", path),
            None => spec,
        }
    }
}

/// A runner that starts every child with a restricted PATH (see
/// [`Trust::child_path`]).
pub struct RestrictedRunner {
    inner: Arc<dyn ProcessRunner>,
    path: OsString,
}

impl RestrictedRunner {
    /// `inner` as is when `trust` is trusted, else wrapped.
    pub fn wrap(
        inner: Arc<dyn ProcessRunner>,
        trust: &Trust,
        allowed_dirs: &[PathBuf],
    ) -> Arc<dyn ProcessRunner> {
        match trust.child_path(allowed_dirs) {
            Some(path) => Arc::new(RestrictedRunner { inner, path }),
            None => inner,
        }
    }
}

impl RestrictedRunner {
    /// `spec` with the restricted PATH, pushed last so it wins over any PATH
    /// the spec set itself.
    fn restricted(&self, spec: CommandSpec) -> CommandSpec {
        spec.env("PATH", self.path.clone())
    }
}

impl ProcessRunner for RestrictedRunner {
    fn run(&self, spec: CommandSpec) -> BoxFuture<'_, Result<Output, ExecError>> {
        self.inner.run(self.restricted(spec))
    }

    fn run_blocking(&self, spec: CommandSpec) -> Result<Output, ExecError> {
        self.inner.run_blocking(self.restricted(spec))
    }

    fn spawn_streaming(
        &self,
        spec: CommandSpec,
        with_stdin: bool,
    ) -> Result<StreamingChild, ExecError> {
        self.inner
            .spawn_streaming(self.restricted(spec), with_stdin)
    }

    fn spawn_server(&self, spec: CommandSpec) -> Result<ServerProcess, ExecError> {
        self.inner.spawn_server(self.restricted(spec))
    }

    fn spawn_bridge(
        &self,
        spec: CommandSpec,
        socket: crate::platform::socket::Socket,
        stderr_file: std::fs::File,
    ) -> Result<StdioBridge, ExecError> {
        self.inner
            .spawn_bridge(self.restricted(spec), socket, stderr_file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn dirs(trust: &Trust, path: &str) -> Vec<PathBuf> {
        trust.program_dirs(&Environment::from_pairs([("PATH", path)]))
    }

    #[test]
    fn a_trusted_workspace_uses_path_as_a_shell_would() {
        let ws = tempfile::tempdir().unwrap();
        let path = format!(".:bin:{}/tools:/nonexistent", ws.path().display());
        assert_eq!(dirs(&Trust::new(true, &[ws.path().into()]), &path).len(), 4);
    }

    #[test]
    fn relative_and_missing_directories_are_refused_when_untrusted() {
        let ws = tempfile::tempdir().unwrap();
        let trust = Trust::new(false, &[ws.path().into()]);
        assert_eq!(
            dirs(&trust, ".:bin:/nonexistent-gord-dir:/usr/bin"),
            [PathBuf::from("/usr/bin")]
        );
    }

    #[test]
    fn a_folder_opened_through_a_symlink_is_still_excluded() {
        let top = tempfile::tempdir().unwrap();
        let real = top.path().join("data/home/ws");
        fs::create_dir_all(real.join("bin")).unwrap();
        let link = top.path().join("home");
        std::os::unix::fs::symlink(top.path().join("data/home"), &link).unwrap();
        // The editor names the folder through the link; PATH names it
        // either way.
        let trust = Trust::new(false, &[link.join("ws")]);
        for bin in [real.join("bin"), link.join("ws/bin")] {
            assert!(!trust.allows_program_dir(&bin), "{}", bin.display());
        }
        // And the other way round: opened by the real path, PATH through the link.
        let trust = Trust::new(false, std::slice::from_ref(&real));
        assert!(!trust.allows_program_dir(&link.join("ws/bin")));
        assert!(trust.allows_program_dir(top.path()));
    }

    #[test]
    fn every_folder_counts_not_only_the_first() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        fs::create_dir(b.path().join("bin")).unwrap();
        let trust = Trust::new(false, &[a.path().into(), b.path().into()]);
        assert!(!trust.allows_program_dir(&b.path().join("bin")));
        assert!(!trust.allows_program_dir(a.path()));
    }

    #[test]
    fn an_untrusted_child_gets_only_the_allowed_directories_on_path() {
        let allowed = [
            PathBuf::from("/usr/local/go/bin"),
            PathBuf::from("/usr/bin"),
        ];
        assert_eq!(Trust::Trusted.child_path(&allowed), None);
        let trust = Trust::new(false, &[]);
        assert_eq!(
            trust.child_path(&allowed),
            Some(OsString::from("/usr/local/go/bin:/usr/bin"))
        );
        let spec = trust.restrict(
            &allowed,
            CommandSpec::new("/bin/true").env("PATH", "/ws/bin"),
        );
        assert_eq!(
            spec.env.last(),
            Some(&(
                OsString::from("PATH"),
                OsString::from("/usr/local/go/bin:/usr/bin")
            ))
        );
    }

    #[test]
    fn a_sibling_with_a_common_prefix_is_not_inside() {
        let top = tempfile::tempdir().unwrap();
        fs::create_dir_all(top.path().join("ws")).unwrap();
        fs::create_dir_all(top.path().join("ws2/bin")).unwrap();
        let trust = Trust::new(false, &[top.path().join("ws")]);
        assert!(trust.allows_program_dir(&top.path().join("ws2/bin")));
    }

    #[tokio::test]
    async fn every_kind_of_child_of_an_untrusted_workspace_gets_the_restricted_path() {
        use crate::exec::{testing::first_line_of_every_kind, SystemRunner};
        let allowed = [PathBuf::from("/usr/bin"), PathBuf::from("/bin")];
        let runner =
            RestrictedRunner::wrap(Arc::new(SystemRunner), &Trust::new(false, &[]), &allowed);
        let spec = || {
            CommandSpec::new("/bin/sh")
                .args(["-c", "echo \"$PATH\""])
                .env("PATH", "/workspace/bin")
        };
        for (kind, line) in first_line_of_every_kind(runner.as_ref(), spec).await {
            assert_eq!(line, "/usr/bin:/bin", "{kind}");
        }
    }
}
