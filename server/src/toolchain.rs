//! The one toolchain locator: where every job takes `go`, gopls, dlv,
//! golangci-lint and staticcheck from.
//!
//! One search order, for every tool and every job:
//!
//! 1. PATH, in order, as a shell searches it (through the `which` crate,
//!    which takes only regular files the current user may execute);
//! 2. Go's install directory, where `go install` puts tools even when it is
//!    not on PATH: [`install_dir`], the one GOBIN answer.
//!
//! `go` itself comes from PATH only: it is what answers step 2. Both steps
//! go through the untrusted-workspace filter ([`Trust::allows_program_dir`]):
//! in Restricted Mode no program comes from inside a workspace folder.
//!
//! The Go extension has its own order ([`Locator::find_as_editor`]): an
//! absolute `go.alternateTools` entry, GOBIN, `go.toolsGopath`, each GOPATH's
//! `bin`, GOROOT's `bin`, then PATH; the GO tool checks use it to name the
//! program the editor really starts.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::check::{Environment, Trust};
use crate::exec::{CommandSpec, Output, ProcessRunner};
use crate::goenv::env::GoEnv;

/// Time allowed for `go env`, which answers from files and the environment.
const GO_ENV_TIMEOUT: Duration = Duration::from_secs(10);

/// The variables that decide `go env`'s GOBIN and GOPATH: the locator's
/// `go env` gets them from the locator's environment, so it answers for the
/// machine the locator describes.
const INSTALL_DIR_VARS: [&str; 5] = ["GOBIN", "GOPATH", "GOENV", "HOME", "XDG_CONFIG_HOME"];

/// Where a tool was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// In a PATH directory: what a shell runs.
    OnPath(PathBuf),
    /// In Go's install directory, which is not on PATH (else it would be
    /// [`Found::OnPath`]).
    InInstallDir(PathBuf),
    /// Nowhere. `install_dir` is the directory searched beyond PATH, if any.
    Missing { install_dir: Option<PathBuf> },
}

impl Found {
    /// The program, wherever it was found.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Found::OnPath(path) | Found::InInstallDir(path) => Some(path),
            Found::Missing { .. } => None,
        }
    }

    pub fn into_path(self) -> Option<PathBuf> {
        match self {
            Found::OnPath(path) | Found::InInstallDir(path) => Some(path),
            Found::Missing { .. } => None,
        }
    }
}

/// Where `go install` puts programs: GOBIN, else the first GOPATH entry's
/// `bin`, as `go env` reports them (so `go env -w GOBIN=...` and the GOENV
/// file count). Without a `go env` answer (no `go`, or it failed): the same
/// read from the environment, with Go's default GOPATH, `~/go`.
pub fn install_dir(go_env: Option<&GoEnv>, env: &Environment) -> Option<PathBuf> {
    if let Some(go_env) = go_env {
        return go_env.install_dir();
    }
    let var = |key: &str| env.get(key).filter(|v| !v.is_empty());
    if let Some(gobin) = var("GOBIN") {
        return Some(PathBuf::from(gobin));
    }
    match var("GOPATH") {
        Some(gopath) => std::env::split_paths(gopath)
            .find(|p| !p.as_os_str().is_empty())
            .map(|p| p.join("bin")),
        None => env.home().map(|home| home.join("go").join("bin")),
    }
}

/// What the Go extension's settings say about finding tools.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditorTools {
    /// `go.alternateTools`: tool name to an absolute path or another name.
    pub alternate: std::collections::BTreeMap<String, String>,
    /// `go.toolsGopath`.
    pub tools_gopath: Option<PathBuf>,
}

/// Why the Go extension takes a tool from where it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorWhy {
    AlternateTool,
    Gobin,
    ToolsGopath,
    Gopath,
    Goroot,
    Path,
}

impl EditorWhy {
    pub fn describe(self) -> &'static str {
        match self {
            EditorWhy::AlternateTool => "go.alternateTools",
            EditorWhy::Gobin => "GOBIN",
            EditorWhy::ToolsGopath => "go.toolsGopath",
            EditorWhy::Gopath => "GOPATH/bin",
            EditorWhy::Goroot => "GOROOT/bin",
            EditorWhy::Path => "PATH",
        }
    }
}

/// Whether `dir` is one of `dirs`, comparing resolved paths.
pub fn dir_is_on_path(dir: &Path, dirs: &[PathBuf]) -> bool {
    let want = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    dirs.iter()
        .any(|d| d == dir || d.canonicalize().map(|c| c == want).unwrap_or(false))
}

/// The search for one environment and one workspace trust.
#[derive(Debug, Clone)]
pub struct Locator {
    trust: Trust,
    env: Environment,
    /// The PATH directories programs may come from, in order.
    path_dirs: Vec<PathBuf>,
    /// What a relative PATH entry is relative to (trusted workspaces only:
    /// an untrusted one never searches a relative entry).
    cwd: PathBuf,
}

impl Locator {
    pub fn new(env: &Environment, trust: &Trust) -> Locator {
        Locator {
            trust: trust.clone(),
            env: env.clone(),
            path_dirs: trust.program_dirs(env),
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
        }
    }

    /// gord's own environment, for a trusted workspace (the CLI).
    pub fn from_process() -> Locator {
        Locator::new(&Environment::from_process(), &Trust::Trusted)
    }

    pub fn trust(&self) -> &Trust {
        &self.trust
    }

    /// The PATH directories searched, in order.
    pub fn path_dirs(&self) -> &[PathBuf] {
        &self.path_dirs
    }

    /// Every executable `name` on PATH, in order: the first is what a shell
    /// runs, the rest are shadowed by it. The same file reached through two
    /// PATH entries (or a symlink) appears once.
    pub fn all_on_path(&self, name: &str) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = Vec::new();
        let mut seen: Vec<PathBuf> = Vec::new();
        for candidate in executables_in(name, &self.path_dirs, &self.cwd) {
            let identity = candidate
                .canonicalize()
                .unwrap_or_else(|_| candidate.clone());
            if !seen.contains(&identity) {
                seen.push(identity);
                found.push(candidate);
            }
        }
        found
    }

    /// The `go` that runs: the first on PATH.
    pub fn go(&self) -> Option<PathBuf> {
        self.all_on_path("go").into_iter().next()
    }

    /// [`install_dir`] when trust allows programs from it, else None.
    pub fn allowed_install_dir(&self, go_env: Option<&GoEnv>) -> Option<PathBuf> {
        install_dir(go_env, &self.env).filter(|dir| self.trust.allows_program_dir(dir))
    }

    /// `name` in the search order, Go's install directory being the one
    /// `go_env` gives (see [`install_dir`]).
    pub fn find(&self, name: &str, go_env: Option<&GoEnv>) -> Found {
        self.find_with_install_dir(name, self.allowed_install_dir(go_env))
    }

    /// [`Self::find`] with the install directory already read (see
    /// [`Self::read_install_dir`]); it must be trust-allowed already.
    pub fn find_with_install_dir(&self, name: &str, install_dir: Option<PathBuf>) -> Found {
        if let Some(found) = self.all_on_path(name).into_iter().next() {
            return Found::OnPath(found);
        }
        let in_install_dir = install_dir.as_ref().and_then(|dir| {
            executables_in(name, std::slice::from_ref(dir), &self.cwd)
                .into_iter()
                .next()
        });
        match in_install_dir {
            Some(path) => Found::InInstallDir(path),
            None => Found::Missing { install_dir },
        }
    }

    /// Every `name` in the search order: all on PATH, then the one in the
    /// install directory, the same file once.
    pub fn all(&self, name: &str, install_dir: Option<&Path>) -> Vec<PathBuf> {
        let mut all = self.all_on_path(name);
        let extra = install_dir
            .map(|dir| executables_in(name, &[dir.to_path_buf()], &self.cwd))
            .unwrap_or_default();
        for path in extra {
            let identity = path.canonicalize().unwrap_or_else(|_| path.clone());
            let known = all
                .iter()
                .any(|p| p.canonicalize().unwrap_or_else(|_| p.clone()) == identity);
            if !known {
                all.push(path);
            }
        }
        all
    }

    /// `name` where the Go extension finds it (vscode-go's `getBinPath`):
    /// an absolute `go.alternateTools` entry that is an executable file,
    /// then, for that entry's name if it is a name, else `name`: GOBIN from
    /// the environment, `go.toolsGopath`'s `bin`, each GOPATH entry's `bin`
    /// and GOROOT's `bin` (from `go_env`), then PATH. Every directory goes
    /// through the trust filter.
    pub fn find_as_editor(
        &self,
        name: &str,
        tools: &EditorTools,
        go_env: Option<&GoEnv>,
    ) -> Option<(PathBuf, EditorWhy)> {
        let alternate = tools.alternate.get(name).map(String::as_str);
        if let Some(absolute) = alternate.map(Path::new).filter(|p| p.is_absolute()) {
            let dir = absolute.parent().unwrap_or(Path::new("/"));
            let file = absolute.file_name().and_then(|f| f.to_str()).unwrap_or("");
            let found = self.trust.allows_program_dir(dir)
                && executables_in(file, &[dir.to_path_buf()], &self.cwd)
                    .first()
                    .is_some_and(|p| p == absolute);
            if found {
                return Some((absolute.to_path_buf(), EditorWhy::AlternateTool));
            }
        }
        let wanted = alternate
            .filter(|a| !Path::new(a).is_absolute() && !a.is_empty())
            .unwrap_or(name);
        let why = |own: EditorWhy| {
            if wanted == name {
                own
            } else {
                EditorWhy::AlternateTool
            }
        };
        let var = |key: &str| go_env.and_then(|e| e.get(key)).filter(|v| !v.is_empty());
        let mut dirs: Vec<(PathBuf, EditorWhy)> = Vec::new();
        if let Some(gobin) = self.env.get("GOBIN").filter(|v| !v.is_empty()) {
            dirs.push((PathBuf::from(gobin), why(EditorWhy::Gobin)));
        }
        if let Some(tools_gopath) = &tools.tools_gopath {
            for entry in std::env::split_paths(tools_gopath.as_os_str()) {
                dirs.push((entry.join("bin"), why(EditorWhy::ToolsGopath)));
            }
        }
        if let Some(gopath) = var("GOPATH") {
            for entry in std::env::split_paths(gopath) {
                dirs.push((entry.join("bin"), why(EditorWhy::Gopath)));
            }
        }
        if let Some(goroot) = var("GOROOT") {
            dirs.push((Path::new(goroot).join("bin"), why(EditorWhy::Goroot)));
        }
        for (dir, reason) in dirs {
            if !dir.is_absolute() || !self.trust.allows_program_dir(&dir) {
                continue;
            }
            if let Some(found) = executables_in(wanted, std::slice::from_ref(&dir), &self.cwd)
                .into_iter()
                .next()
            {
                return Some((found, reason));
            }
        }
        self.all_on_path(wanted)
            .into_iter()
            .next()
            .map(|p| (p, why(EditorWhy::Path)))
    }

    /// `spec` with the PATH an untrusted workspace's children must get
    /// (see [`Trust::child_path`]); unchanged when trusted.
    pub fn restrict(&self, spec: CommandSpec) -> CommandSpec {
        self.trust.restrict(&self.path_dirs, spec)
    }

    /// `<go> env -json GOBIN GOPATH`, in `/` so no go.mod or go.work has a
    /// say, with [`INSTALL_DIR_VARS`] as the locator's environment has them.
    fn go_env_command(&self, go: &Path) -> CommandSpec {
        let mut spec = CommandSpec::new(go)
            .args(["env", "-json", "GOBIN", "GOPATH"])
            .cwd("/")
            .timeout(GO_ENV_TIMEOUT);
        for key in INSTALL_DIR_VARS {
            spec = match self.env.get(key) {
                Some(value) => spec.env(key, value),
                None => spec.env_remove(key),
            };
        }
        self.restrict(spec)
    }

    /// Asks `go env` for the install directory (see [`install_dir`]); the
    /// environment's answer when there is no `go` or it fails. None when
    /// trust refuses the directory.
    pub async fn read_install_dir(&self, runner: &dyn ProcessRunner) -> Option<PathBuf> {
        let go_env = match self.go() {
            Some(go) => parse_go_env(runner.run(self.go_env_command(&go)).await.ok()),
            None => None,
        };
        self.allowed_install_dir(go_env.as_ref())
    }

    /// [`Self::read_install_dir`] on the calling thread.
    pub fn read_install_dir_blocking(&self, runner: &dyn ProcessRunner) -> Option<PathBuf> {
        let go_env = self
            .go()
            .and_then(|go| parse_go_env(runner.run_blocking(self.go_env_command(&go)).ok()));
        self.allowed_install_dir(go_env.as_ref())
    }
}

fn parse_go_env(out: Option<Output>) -> Option<GoEnv> {
    let out = out.filter(Output::success)?;
    match GoEnv::parse(&out.stdout_text()) {
        Ok(env) => Some(env),
        Err(e) => {
            tracing::debug!("go env gave no install directory: {e}");
            None
        }
    }
}

/// What programs said about themselves (`ssh -V`, `gopls api-json`), kept
/// per binary: its path and modification time, so a tool that is replaced
/// or upgraded in place is asked again. A program gord cannot stat is never
/// remembered.
pub struct ProgramMemo<T> {
    answers: Mutex<Vec<((PathBuf, SystemTime), T)>>,
}

impl<T: Clone> Default for ProgramMemo<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Clone> ProgramMemo<T> {
    pub const fn new() -> Self {
        ProgramMemo {
            answers: Mutex::new(Vec::new()),
        }
    }

    fn key(program: &Path) -> Option<(PathBuf, SystemTime)> {
        let modified = std::fs::metadata(program).and_then(|m| m.modified()).ok()?;
        Some((program.to_path_buf(), modified))
    }

    /// The answer `program`, as it is on disk now, gave before.
    pub fn get(&self, program: &Path) -> Option<T> {
        let key = Self::key(program)?;
        let answers = self.answers.lock().ok()?;
        answers
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    }

    /// Remembers `answer` for `program` as it is on disk now.
    pub fn insert(&self, program: &Path, answer: T) {
        let (Some(key), Ok(mut answers)) = (Self::key(program), self.answers.lock()) else {
            return;
        };
        answers.retain(|(k, _)| k.0 != key.0);
        answers.push((key, answer));
    }
}

/// One remembered answer as a file keeps it.
#[derive(Serialize, Deserialize)]
struct KeptAnswer<T> {
    program: PathBuf,
    modified: SystemTime,
    answer: T,
}

impl<T: Clone + Serialize + DeserializeOwned> ProgramMemo<T> {
    /// Adds the answers an earlier gord process kept in `file` (see
    /// [`Self::save`]), so a CLI run does not ask a program that has not
    /// changed since. Answers this memo already has win; one for a binary
    /// that has changed since is never returned (its key no longer
    /// matches). A missing or unreadable file adds nothing.
    pub fn load(&self, file: &Path) {
        let kept = crate::fsread::read_capped(file, crate::fsread::Kind::Settings, KEPT_CAP)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                serde_json::from_slice::<Vec<KeptAnswer<T>>>(&bytes).map_err(|e| e.to_string())
            });
        let (kept, Ok(mut answers)) = (kept, self.answers.lock()) else {
            return;
        };
        match kept {
            Ok(kept) => {
                for k in kept {
                    if !answers.iter().any(|(key, _)| key.0 == k.program) {
                        answers.push(((k.program, k.modified), k.answer));
                    }
                }
            }
            Err(e) => tracing::debug!("no answers kept in {}: {e}", file.display()),
        }
    }

    /// Writes every answer to `file` for the next process: a temporary file
    /// in its directory (created, private to this user) renamed over it, so
    /// a reader never sees half of it.
    pub fn save(&self, file: &Path) -> std::io::Result<()> {
        use std::io::Write;
        let kept: Vec<KeptAnswer<T>> = match self.answers.lock() {
            Ok(answers) => answers
                .iter()
                .map(|((program, modified), answer)| KeptAnswer {
                    program: program.clone(),
                    modified: *modified,
                    answer: answer.clone(),
                })
                .collect(),
            Err(_) => return Ok(()),
        };
        let dir = file.parent().unwrap_or(Path::new("."));
        crate::platform::fs::dirs_with_mode(std::fs::DirBuilder::new().recursive(true), 0o700)
            .create(dir)?;
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        temp.write_all(&serde_json::to_vec(&kept).map_err(std::io::Error::other)?)?;
        temp.persist(file).map_err(|e| e.error)?;
        Ok(())
    }
}

/// The most a file of kept answers may hold: a few programs' answers are
/// kilobytes.
const KEPT_CAP: u64 = 1 << 20;

/// `file` in gord's directory of the user's cache: `$XDG_CACHE_HOME/gord`
/// when that is absolute, else `$HOME/.cache/gord` (as Go's
/// `os.UserCacheDir`); None without either.
pub fn user_cache_file(env: &Environment, file: &str) -> Option<PathBuf> {
    let base = env
        .get("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| env.home().map(|h| h.join(".cache")))?;
    Some(base.join("gord").join(file))
}

/// Every executable `name` in `dirs`, in order (relative entries against
/// `cwd`, `~` as the home directory, as a shell does).
fn executables_in(name: &str, dirs: &[PathBuf], cwd: &Path) -> Vec<PathBuf> {
    // A directory whose name holds the separator cannot be a PATH entry.
    let Ok(joined) = std::env::join_paths(dirs) else {
        return dirs
            .iter()
            .filter(|d| std::env::join_paths([d]).is_ok())
            .flat_map(|d| executables_in(name, std::slice::from_ref(d), cwd))
            .collect();
    };
    if joined.is_empty() || name.is_empty() || name.contains('/') {
        return Vec::new();
    }
    let joined: OsString = joined;
    match which::which_in_all(name, Some(joined), cwd) {
        Ok(found) => found.collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_program_memo_forgets_a_binary_replaced_in_place() {
        use super::ProgramMemo;
        static MEMO: ProgramMemo<&str> = ProgramMemo::new();
        let dir = tempfile::tempdir().unwrap();
        let tool = dir.path().join("tool");
        assert_eq!(MEMO.get(&tool), None, "nothing to stat, nothing kept");
        MEMO.insert(&tool, "never");
        assert_eq!(MEMO.get(&tool), None);
        std::fs::write(&tool, "v1").unwrap();
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1);
        std::fs::File::options()
            .write(true)
            .open(&tool)
            .unwrap()
            .set_modified(old)
            .unwrap();
        MEMO.insert(&tool, "v1");
        assert_eq!(MEMO.get(&tool), Some("v1"));
        std::fs::write(&tool, "v2").unwrap();
        assert_eq!(MEMO.get(&tool), None, "replaced: ask again");
    }

    #[test]
    fn answers_kept_in_a_file_serve_the_next_process_while_the_binary_is_the_same() {
        use super::ProgramMemo;
        let dir = tempfile::tempdir().unwrap();
        let tool = dir.path().join("tool");
        let other = dir.path().join("other");
        std::fs::write(&tool, "v1").unwrap();
        std::fs::write(&other, "v1").unwrap();
        let kept = dir.path().join("cache/gord/answers.json");
        let first: ProgramMemo<String> = ProgramMemo::new();
        first.insert(&tool, "tool 1.0".into());
        first.insert(&other, "other 1.0".into());
        first.save(&kept).unwrap();
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(kept.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700, "the directory is private");

        // The next process: `other` was replaced in place since.
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(7);
        std::fs::File::options()
            .write(true)
            .open(&other)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let next: ProgramMemo<String> = ProgramMemo::new();
        next.insert(&tool, "asked again".into());
        next.load(&kept);
        assert_eq!(
            next.get(&tool).as_deref(),
            Some("asked again"),
            "its own answer wins"
        );
        assert_eq!(next.get(&other), None, "changed since: ask again");
        let fresh: ProgramMemo<String> = ProgramMemo::new();
        fresh.load(&kept);
        assert_eq!(fresh.get(&tool).as_deref(), Some("tool 1.0"));

        for garbage in ["", "{", "[{\"program\":1}]", "null"] {
            std::fs::write(&kept, garbage).unwrap();
            let memo: ProgramMemo<String> = ProgramMemo::new();
            memo.load(&kept);
            assert_eq!(memo.get(&tool), None, "{garbage:?} keeps nothing");
        }
        let memo: ProgramMemo<String> = ProgramMemo::new();
        memo.load(&dir.path().join("missing.json"));
        assert_eq!(memo.get(&tool), None);
    }

    #[test]
    fn the_cache_file_is_under_xdg_cache_home_when_absolute_else_home() {
        let file = |pairs: &[(&str, &str)]| {
            super::user_cache_file(&Environment::from_pairs(pairs.iter().copied()), "x.json")
        };
        assert_eq!(
            file(&[("XDG_CACHE_HOME", "/c"), ("HOME", "/h")]),
            Some(PathBuf::from("/c/gord/x.json"))
        );
        assert_eq!(
            file(&[("XDG_CACHE_HOME", "rel"), ("HOME", "/h")]),
            Some(PathBuf::from("/h/.cache/gord/x.json"))
        );
        assert_eq!(file(&[]), None);
    }

    use super::*;
    use crate::exec::SystemRunner;
    use std::fs;
    use std::os::unix::fs::PermissionsExt;

    /// An executable script `dir/name`.
    fn exe(dir: &Path, name: &str) -> PathBuf {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let path = dir.join(name);
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o755)
            .open(&path)
            .unwrap();
        file.write_all(b"#!/bin/sh\n").unwrap();
        path
    }

    /// Not found, `install_dir` having been searched beyond PATH.
    fn missing_beside(install_dir: &Path) -> Found {
        Found::Missing {
            install_dir: Some(install_dir.to_path_buf()),
        }
    }

    fn path_of(dirs: &[&Path]) -> OsString {
        std::env::join_paths(dirs).unwrap()
    }

    fn locator(vars: &[(&str, OsString)], trust: &Trust) -> Locator {
        Locator::new(
            &Environment::from_pairs(vars.iter().map(|(k, v)| (*k, v.clone()))),
            trust,
        )
    }

    #[test]
    fn lists_the_winner_first_then_what_it_shadows() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let first = exe(a.path(), "go");
        let second = exe(b.path(), "go");
        let loc = locator(&[("PATH", path_of(&[a.path(), b.path()]))], &Trust::Trusted);
        assert_eq!(loc.all_on_path("go"), vec![first.clone(), second]);
        assert_eq!(loc.go(), Some(first));
    }

    #[test]
    fn skips_non_executables_directories_and_duplicates() {
        let a = tempfile::tempdir().unwrap();
        fs::write(a.path().join("go"), "not executable").unwrap();
        fs::create_dir(a.path().join("gopls")).unwrap();
        let b = tempfile::tempdir().unwrap();
        let real = exe(b.path(), "go");
        let loc = locator(
            &[("PATH", path_of(&[a.path(), b.path(), b.path()]))],
            &Trust::Trusted,
        );
        assert_eq!(loc.all_on_path("go"), vec![real]);
        assert!(loc.all_on_path("gopls").is_empty());
        assert!(locator(&[], &Trust::Trusted).all_on_path("go").is_empty());
    }

    #[test]
    fn a_file_readable_but_not_executable_is_never_found_even_in_the_install_dir() {
        let bin = tempfile::tempdir().unwrap();
        let dlv = exe(bin.path(), "dlv");
        fs::set_permissions(&dlv, fs::Permissions::from_mode(0o644)).unwrap();
        let loc = locator(&[("GOBIN", bin.path().into())], &Trust::Trusted);
        assert_eq!(loc.find("dlv", None), missing_beside(bin.path()));
    }

    #[test]
    fn path_comes_first_then_the_install_dir() {
        let on_path = tempfile::tempdir().unwrap();
        let gobin = tempfile::tempdir().unwrap();
        let path_gopls = exe(on_path.path(), "gopls");
        let installed_gopls = exe(gobin.path(), "gopls");
        let installed_dlv = exe(gobin.path(), "dlv");
        let loc = locator(
            &[
                ("PATH", path_of(&[on_path.path()])),
                ("GOBIN", gobin.path().into()),
            ],
            &Trust::Trusted,
        );
        assert_eq!(loc.find("gopls", None), Found::OnPath(path_gopls.clone()));
        assert_eq!(loc.find("dlv", None), Found::InInstallDir(installed_dlv));
        assert_eq!(
            loc.all("gopls", Some(gobin.path())),
            vec![path_gopls, installed_gopls]
        );
        assert_eq!(loc.find("staticcheck", None), missing_beside(gobin.path()));
    }

    #[test]
    fn the_install_dir_is_gobin_then_gopath_bin_then_home_go_bin() {
        let env = |pairs: &[(&str, &str)]| Environment::from_pairs(pairs.iter().copied());
        let go_env = GoEnv::from_pairs(&[("GOBIN", "/from/go/env")]);
        assert_eq!(
            install_dir(Some(&go_env), &env(&[("GOBIN", "/from/env")])),
            Some(PathBuf::from("/from/go/env")),
            "go env's answer wins: it knows `go env -w`"
        );
        assert_eq!(
            install_dir(None, &env(&[("GOBIN", "/b"), ("GOPATH", "/p")])),
            Some(PathBuf::from("/b"))
        );
        assert_eq!(
            install_dir(None, &env(&[("GOPATH", "/p:/q"), ("HOME", "/h")])),
            Some(PathBuf::from("/p/bin"))
        );
        assert_eq!(
            install_dir(None, &env(&[("HOME", "/h")])),
            Some(PathBuf::from("/h/go/bin"))
        );
        assert_eq!(install_dir(None, &env(&[])), None);
    }

    #[test]
    fn an_untrusted_workspace_gives_no_program_from_inside_it() {
        let ws = tempfile::tempdir().unwrap();
        let ws_bin = ws.path().join("bin");
        fs::create_dir(&ws_bin).unwrap();
        exe(&ws_bin, "go");
        exe(&ws_bin, "gopls");
        let outside = tempfile::tempdir().unwrap();
        let real_go = exe(outside.path(), "go");
        let vars = [
            ("PATH", path_of(&[&ws_bin, outside.path()])),
            ("GOBIN", ws_bin.clone().into()),
        ];
        let trusted = locator(&vars, &Trust::Trusted);
        assert_eq!(trusted.go(), Some(ws_bin.join("go")));
        assert_eq!(
            trusted.find("gopls", None),
            Found::OnPath(ws_bin.join("gopls"))
        );

        let untrusted = locator(&vars, &Trust::new(false, &[ws.path().to_path_buf()]));
        assert_eq!(untrusted.go(), Some(real_go));
        assert_eq!(untrusted.path_dirs(), [outside.path().to_path_buf()]);
        assert_eq!(
            untrusted.find("gopls", None),
            Found::Missing { install_dir: None },
            "GOBIN inside the workspace is refused too"
        );
        let spec = untrusted.restrict(CommandSpec::new("/bin/true"));
        assert_eq!(
            spec.env.last(),
            Some(&(
                OsString::from("PATH"),
                outside.path().as_os_str().to_owned()
            ))
        );
    }

    #[test]
    fn recognises_a_directory_on_path_through_symlinks() {
        let a = tempfile::tempdir().unwrap();
        let link = a.path().join("link");
        std::os::unix::fs::symlink(a.path(), &link).unwrap();
        assert!(dir_is_on_path(a.path(), &[link]));
        assert!(!dir_is_on_path(
            Path::new("/nonexistent/bin"),
            &[a.path().to_path_buf()]
        ));
    }

    #[test]
    fn the_go_extension_looks_in_alternate_tools_gobin_tools_gopath_gopath_goroot_then_path() {
        let dirs: Vec<tempfile::TempDir> = (0..6).map(|_| tempfile::tempdir().unwrap()).collect();
        let [alt, gobin, tools_gopath, gopath, goroot, on_path] = &dirs[..] else {
            unreachable!()
        };
        for d in [tools_gopath, gopath, goroot] {
            fs::create_dir(d.path().join("bin")).unwrap();
        }
        let pinned = exe(alt.path(), "gopls-pinned");
        let in_gobin = exe(gobin.path(), "gopls");
        let in_tools = exe(&tools_gopath.path().join("bin"), "dlv");
        let in_gopath = exe(&gopath.path().join("bin"), "golangci-lint");
        let in_goroot = exe(&goroot.path().join("bin"), "gofmt");
        let staticcheck = exe(on_path.path(), "staticcheck");
        exe(on_path.path(), "gopls");
        let loc = locator(
            &[
                ("PATH", path_of(&[on_path.path()])),
                ("GOBIN", gobin.path().into()),
            ],
            &Trust::Trusted,
        );
        let go_env = GoEnv::from_pairs(&[
            ("GOPATH", gopath.path().to_str().unwrap()),
            ("GOROOT", goroot.path().to_str().unwrap()),
        ]);
        let mut tools = EditorTools {
            tools_gopath: Some(tools_gopath.path().to_path_buf()),
            ..EditorTools::default()
        };
        let find = |name: &str, tools: &EditorTools| loc.find_as_editor(name, tools, Some(&go_env));
        assert_eq!(
            find("gopls", &tools),
            Some((in_gobin.clone(), EditorWhy::Gobin)),
            "GOBIN before PATH"
        );
        assert_eq!(
            find("dlv", &tools),
            Some((in_tools, EditorWhy::ToolsGopath))
        );
        assert_eq!(
            find("golangci-lint", &tools),
            Some((in_gopath, EditorWhy::Gopath))
        );
        assert_eq!(find("gofmt", &tools), Some((in_goroot, EditorWhy::Goroot)));
        assert_eq!(
            find("staticcheck", &tools),
            Some((staticcheck, EditorWhy::Path))
        );
        tools
            .alternate
            .insert("gopls".into(), pinned.display().to_string());
        assert_eq!(
            find("gopls", &tools),
            Some((pinned.clone(), EditorWhy::AlternateTool))
        );
        // A path that is not there: the extension looks for gopls by name.
        tools
            .alternate
            .insert("gopls".into(), "/nonexistent/gopls".into());
        assert_eq!(find("gopls", &tools), Some((in_gobin, EditorWhy::Gobin)));
        // A name: that name, in the same order.
        tools.alternate.insert("gopls".into(), "staticcheck".into());
        assert_eq!(
            find("gopls", &tools).map(|(_, why)| why),
            Some(EditorWhy::AlternateTool)
        );
        // Untrusted: an alternate tool inside the workspace is refused.
        let untrusted = locator(&[], &Trust::new(false, &[alt.path().to_path_buf()]));
        tools
            .alternate
            .insert("gopls".into(), pinned.display().to_string());
        assert_eq!(untrusted.find_as_editor("gopls", &tools, None), None);
    }

    /// The real `go` on gord's PATH, if any.
    fn real_go() -> Option<PathBuf> {
        Locator::from_process().go()
    }

    #[tokio::test]
    async fn gobin_set_with_go_env_w_is_honoured() {
        let Some(go) = real_go() else {
            panic!("go is not on PATH: source scripts/lib.sh; ensure_go_on_path");
        };
        let home = tempfile::tempdir().unwrap();
        let gobin = home.path().join("tools-bin");
        fs::create_dir(&gobin).unwrap();
        let gopls = exe(&gobin, "gopls");
        let goenv = home.path().join("go-env");
        let vars = [
            ("PATH", go.parent().unwrap().as_os_str().to_owned()),
            ("HOME", home.path().into()),
            ("GOENV", goenv.clone().into()),
        ];
        // What `go env -w` writes lands in GOENV; the environment never
        // names GOBIN.
        let set = SystemRunner
            .run_blocking(
                CommandSpec::new(&go)
                    .args(["env", "-w"])
                    .arg(format!("GOBIN={}", gobin.display()))
                    .env("HOME", home.path())
                    .env("GOENV", &goenv),
            )
            .unwrap();
        assert!(set.success(), "{}", set.stderr_text());
        let loc = locator(&vars, &Trust::Trusted);
        let dir = loc.read_install_dir(&SystemRunner).await;
        assert_eq!(dir.as_deref(), Some(gobin.as_path()));
        assert_eq!(
            loc.find_with_install_dir("gopls", dir),
            Found::InInstallDir(gopls)
        );
        let blocking = loc.read_install_dir_blocking(&SystemRunner);
        assert_eq!(blocking.as_deref(), Some(gobin.as_path()));
        // The environment alone would have said ~/go/bin.
        assert_eq!(
            install_dir(None, &Environment::from_pairs(vars.clone())),
            Some(home.path().join("go/bin"))
        );
    }
}
