//! The preload pipeline: discover → resolve → download → gopls → build →
//! report. gopls goes before the build: measured (ARCHITECTURE.md), the
//! build cache does not make gopls faster, so the editor need not wait for it. Each step runs `go` (or gopls) through `exec`, reports progress
//! events, and ends with a one-line verdict. Dropping the future (what
//! cancellation does) kills every child process group it started.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use tokio_util::sync::CancellationToken;

use crate::exec::{CommandSpec, ProcessRunner};
use crate::goenv::env::GoEnv;
use crate::goenv::gomod::directives;
use crate::goenv::version::GoVersion;
use crate::preload::caches::{gopls_cache, gopls_cache_root, human_bytes, measure};
use crate::preload::gopls::warm_gopls;
use crate::preload::model::*;
use crate::preload::modules::{download_set, parse_module_stream, ModuleInfo};
use crate::preload::netrc::{netrc_path, parse_netrc};
use crate::preload::offline::{in_module_cache, modules_named_in, required_modules};
use crate::preload::private::{judge_private_setup, NetrcFacts, PrivateEnv};
use crate::preload::workspace::{
    build_roots, parse_go_mod_requires, BuildRoot, ModuleVersion, RootKind,
};
use crate::redact::redact_url_credentials;

/// How many `go mod download` processes run at once.
const DOWNLOAD_CONCURRENCY: usize = 6;
/// Time limits: generous, since a cold download of a big graph is slow; the
/// user can cancel any time.
const GO_TIMEOUT: Duration = Duration::from_secs(30 * 60);
const GOPLS_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// What to preload, and how.
#[derive(Debug, Clone)]
pub struct PreloadRequest {
    pub workspace: PathBuf,
    /// Only prove the workspace builds offline: download nothing, start no gopls.
    pub offline_check_only: bool,
}

/// The programs and settings a preload uses, found once by the caller.
#[derive(Debug, Clone)]
pub struct Toolchain {
    pub go: PathBuf,
    pub gopls: Option<PathBuf>,
    /// `go env -json`, read in a neutral directory.
    pub env: GoEnv,
    /// The process environment's NETRC, XDG_CACHE_HOME, GOPLSCACHE and HOME.
    pub netrc_var: Option<String>,
    pub xdg_cache_home: Option<String>,
    pub goplscache: Option<String>,
    pub home: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum PreloadError {
    #[error("no go.mod or go.work under {0}")]
    NoModules(String),
    #[error("the preload was cancelled")]
    Cancelled,
}

/// Receives progress events.
pub type ProgressSink<'a> = &'a (dyn Fn(PreloadEvent) + Send + Sync);

/// Runs a preload until it is done or `cancel` fires. On cancellation every
/// child process (go, gopls and their children) is killed before this returns.
pub async fn preload(
    request: &PreloadRequest,
    tools: &Toolchain,
    runner: &dyn ProcessRunner,
    progress: ProgressSink<'_>,
    cancel: &CancellationToken,
) -> Result<PreloadReport, PreloadError> {
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(PreloadError::Cancelled),
        report = pipeline(request, tools, runner, progress) => report,
    }
}

struct Steps<'a> {
    progress: ProgressSink<'a>,
    done: Vec<StepReport>,
}

impl Steps<'_> {
    fn start(&self, step: Step) -> Instant {
        (self.progress)(PreloadEvent::StepStarted {
            step,
            title: step.title().to_string(),
        });
        Instant::now()
    }

    fn finish(&mut self, step: Step, started: Instant, status: StepStatus, message: String) {
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let message = redact_url_credentials(&message);
        (self.progress)(PreloadEvent::StepFinished {
            step,
            status,
            message: message.clone(),
            duration_ms,
        });
        self.done.push(StepReport {
            step,
            status,
            message,
            duration_ms,
        });
    }
}

async fn pipeline(
    request: &PreloadRequest,
    tools: &Toolchain,
    runner: &dyn ProcessRunner,
    progress: ProgressSink<'_>,
) -> Result<PreloadReport, PreloadError> {
    let started = Instant::now();
    let mut steps = Steps {
        progress,
        done: Vec::new(),
    };
    let gomodcache = PathBuf::from(tools.env.get("GOMODCACHE").unwrap_or_default());

    let t = steps.start(Step::Discover);
    let roots = build_roots(&request.workspace);
    if roots.is_empty() {
        return Err(PreloadError::NoModules(
            request.workspace.display().to_string(),
        ));
    }
    let module_count: usize = roots.iter().map(|r| r.modules.len()).sum();
    steps.finish(
        Step::Discover,
        t,
        StepStatus::Done,
        format!("{module_count} module(s) in {} build root(s)", roots.len()),
    );

    let mut modules = ModuleSummary::default();
    if !request.offline_check_only {
        let t = steps.start(Step::Resolve);
        let (needed, resolve_errors) = resolve(&roots, tools, runner).await;
        let (status, message) = if resolve_errors.is_empty() {
            let cached = needed.iter().filter(|m| m.dir.is_some()).count();
            (
                StepStatus::Done,
                format!(
                    "{} module(s) needed, {cached} already in GOMODCACHE",
                    needed.len()
                ),
            )
        } else {
            (StepStatus::Failed, resolve_errors.join("; "))
        };
        steps.finish(Step::Resolve, t, status, message);

        let t = steps.start(Step::Download);
        modules = download(&needed, tools, runner, progress).await;
        let failure = (!modules.failed.is_empty()).then(|| {
            format!(
                "{} of {} module(s) failed: {}",
                modules.failed.len(),
                modules.total,
                modules
                    .failed
                    .iter()
                    .map(|f| f.module.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        let (status, message) = step_end(
            failure,
            modules.downloaded == 0,
            format!("all {} module(s) already in GOMODCACHE", modules.total),
            format!(
                "downloaded {} module(s); {} were already in GOMODCACHE",
                modules.downloaded, modules.cached
            ),
        );
        steps.finish(Step::Download, t, status, message);
    }

    let gopls_root = gopls_cache_root(
        tools.goplscache.as_deref(),
        tools.xdg_cache_home.as_deref(),
        tools.home.as_deref(),
    );
    let mut gopls_runs = Vec::new();
    if !request.offline_check_only {
        let t = steps.start(Step::Gopls);
        match &tools.gopls {
            None => steps.finish(
                Step::Gopls,
                t,
                StepStatus::Skipped,
                "gopls is not installed (see GO010)".to_string(),
            ),
            Some(gopls) => {
                let goflags = tools.env.get("GOFLAGS").unwrap_or("");
                let (runs, errors) =
                    warm_all_gopls(runner, gopls, &roots, gopls_root.as_deref(), goflags).await;
                let grown: u64 = runs.iter().map(|r| r.cache_growth_bytes).sum();
                let slowest = runs.iter().map(|r| r.diagnosed_ms).max().unwrap_or(0);
                let (status, message) = step_end(
                    (!errors.is_empty()).then(|| errors.join("; ")),
                    grown == 0,
                    format!("gopls' cache was already warm: loaded and checked the workspace in {slowest} ms, adding nothing"),
                    format!(
                        "gopls loaded and checked the workspace in {slowest} ms, caching {}",
                        human_bytes(grown)
                    ),
                );
                gopls_runs = runs;
                steps.finish(Step::Gopls, t, status, message);
            }
        }
    }

    let t = steps.start(Step::Build);
    let (build, mut offline) = build_offline(&roots, tools, runner).await;
    // go stops at the first missing module; the cache lookup names them all.
    let missing: Vec<String> = required_modules(&roots)
        .iter()
        .filter(|m| !in_module_cache(&gomodcache, m))
        .map(ModuleVersion::id)
        .collect();
    let mut named: BTreeSet<String> = offline.needs_network.drain(..).collect();
    named.extend(missing);
    offline.needs_network = named.into_iter().collect();
    offline.ready = offline.ready && offline.needs_network.is_empty();
    let failure = (!offline.ready).then(|| {
        let what = if offline.needs_network.is_empty() {
            offline.errors.first().cloned().unwrap_or_default()
        } else {
            format!(
                "still needs the network for {}",
                offline.needs_network.join(", ")
            )
        };
        format!("not offline-ready: {what}")
    });
    let (status, message) = step_end(
        failure,
        build.compiled == 0,
        format!(
            "offline-ready; all {} package(s) already in the build cache",
            build.packages
        ),
        format!(
            "offline-ready; compiled {} of {} package(s), the rest came from the build cache",
            build.compiled, build.packages
        ),
    );
    steps.finish(Step::Build, t, status, message);

    let t = steps.start(Step::Report);
    let caches = measure_caches(tools, gopls_root.clone()).await;
    let private = private_setup(
        &tools.env,
        tools.netrc_var.as_deref(),
        tools.home.as_deref(),
        &roots,
    );
    let (cache_dirs, gopls_cache) = caches;
    let summary = cache_dirs
        .iter()
        .chain(gopls_cache.as_ref().map(|g| &g.dir))
        .map(|c| format!("{} {}", c.name, human_bytes(c.bytes)))
        .collect::<Vec<_>>()
        .join(", ");
    steps.finish(Step::Report, t, StepStatus::Done, summary);

    Ok(PreloadReport {
        workspace: request.workspace.display().to_string(),
        roots: roots
            .iter()
            .map(|r| RootReport {
                dir: r.dir.display().to_string(),
                kind: r.kind,
                modules: r.modules.iter().map(|m| m.display().to_string()).collect(),
            })
            .collect(),
        steps: steps.done,
        modules,
        build: Some(build),
        gopls: gopls_runs,
        offline,
        caches: cache_dirs,
        gopls_cache,
        private,
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}

/// How a step ended: failed with `failure` when there is one, skipped when
/// it found everything already in place, else done.
fn step_end(
    failure: Option<String>,
    already_in_place: bool,
    skipped: String,
    done: String,
) -> (StepStatus, String) {
    match failure {
        Some(failure) => (StepStatus::Failed, failure),
        None if already_in_place => (StepStatus::Skipped, skipped),
        None => (StepStatus::Done, done),
    }
}

/// GOFLAGS for go commands in a root: in a go.work, go refuses `-mod=mod`
/// ("-mod may only be set to readonly or vendor when in workspace mode"), so
/// any `-mod` flag is dropped; a lone module gets `-mod=mod`, so missing
/// go.sum lines are filled from the cache instead of failing.
pub fn goflags_for(kind: RootKind, user: &str) -> String {
    let mut flags: Vec<&str> = user
        .split_whitespace()
        .filter(|f| !f.starts_with("-mod=") && !f.starts_with("--mod="))
        .collect();
    if kind == RootKind::Module {
        flags.push("-mod=mod");
    }
    flags.join(" ")
}

fn go_in(tools: &Toolchain, root: &BuildRoot) -> CommandSpec {
    CommandSpec::new(&tools.go)
        .cwd(&root.dir)
        .env("GOWORK", root.gowork())
        .env(
            "GOFLAGS",
            goflags_for(root.kind, tools.env.get("GOFLAGS").unwrap_or("")),
        )
        .timeout(GO_TIMEOUT)
        .output_cap(64 * 1024 * 1024)
}

/// Whether a main module's go line is 1.17 or later, where go.mod lists
/// every module the build needs (graph pruning).
fn lists_every_needed_module(go_mod_text: &str) -> bool {
    directives(go_mod_text)
        .iter()
        .find(|d| d.keyword == "go")
        .and_then(|d| GoVersion::parse(&d.value).ok())
        .is_some_and(|v| v >= GoVersion::new(1, 17, None))
}

/// The modules a plain `go mod download` would fetch in each root.
async fn resolve(
    roots: &[BuildRoot],
    tools: &Toolchain,
    runner: &dyn ProcessRunner,
) -> (Vec<ModuleInfo>, Vec<String>) {
    let mut needed: Vec<ModuleInfo> = Vec::new();
    let mut errors = Vec::new();
    for root in roots {
        let mut required = BTreeSet::new();
        let mut pruned = true;
        for module in &root.modules {
            let text = root
                .read_module_file(&module.join("go.mod"))
                .unwrap_or_default();
            pruned &= lists_every_needed_module(&text);
            required.extend(parse_go_mod_requires(&text).into_iter().map(|m| m.path));
        }
        let spec = go_in(tools, root).args(["list", "-m", "-json", "all"]);
        let graph = match runner.run(spec).await {
            Ok(out) if out.success() => parse_module_stream(&out.stdout_text()),
            Ok(out) => {
                errors.push(format!(
                    "`go list -m all` in {}: {}",
                    root.dir.display(),
                    out.first_error_line()
                ));
                // Fall back to the go.mod files: the modules they name, as written.
                required_modules(std::slice::from_ref(root))
                    .into_iter()
                    .map(|m| ModuleInfo {
                        path: m.path,
                        version: m.version,
                        ..ModuleInfo::default()
                    })
                    .collect()
            }
            Err(e) => {
                errors.push(e.to_string());
                continue;
            }
        };
        for module in download_set(&graph, pruned.then_some(&required)) {
            if !needed
                .iter()
                .any(|m| m.path == module.path && m.version == module.version)
            {
                needed.push(module);
            }
        }
    }
    (needed, errors)
}

/// Downloads what is not cached, a few modules at a time, one event each.
async fn download(
    needed: &[ModuleInfo],
    tools: &Toolchain,
    runner: &dyn ProcessRunner,
    progress: ProgressSink<'_>,
) -> ModuleSummary {
    let total = needed.len();
    let mut summary = ModuleSummary {
        total,
        ..ModuleSummary::default()
    };
    let mut done = 0;
    for module in needed.iter().filter(|m| m.dir.is_some()) {
        done += 1;
        summary.cached += 1;
        progress(PreloadEvent::Module {
            done,
            total,
            module: module.id(),
            outcome: ModuleOutcome::Cached,
        });
    }
    // Built eagerly: a lazy iterator of closures inside the stream would make
    // the future's type depend on closure lifetimes, and it could not be sent
    // to another task (the LSP runs a preload on one).
    let missing: Vec<&ModuleInfo> = needed.iter().filter(|m| m.dir.is_none()).collect();
    let fetches: Vec<_> = missing
        .into_iter()
        .map(|module| {
            // Outside any module (cwd /, GOWORK=off), so the workspace's files are
            // left alone; the proxy settings are the user's.
            let spec = CommandSpec::new(&tools.go)
                .cwd("/")
                .env("GOWORK", "off")
                .args(["mod", "download", "-json"])
                .arg(module.id())
                .timeout(GO_TIMEOUT);
            async move {
                let result = runner.run(spec).await;
                (module, result)
            }
        })
        .collect();
    let mut results = stream::iter(fetches).buffer_unordered(DOWNLOAD_CONCURRENCY);
    while let Some((module, result)) = results.next().await {
        done += 1;
        let error = match result {
            Ok(out) => {
                let reported = parse_module_stream(&out.stdout_text());
                match reported.iter().find_map(|m| m.error.as_ref()) {
                    Some(e) => Some(e.text().to_string()),
                    None if !out.success() => Some(out.first_error_line()),
                    None => None,
                }
            }
            Err(e) => Some(e.to_string()),
        };
        let outcome = match error {
            Some(error) => {
                summary.failed.push(FailedModule {
                    module: module.id(),
                    error: redact_url_credentials(&error),
                });
                ModuleOutcome::Failed
            }
            None => {
                summary.downloaded += 1;
                ModuleOutcome::Downloaded
            }
        };
        progress(PreloadEvent::Module {
            done,
            total,
            module: module.id(),
            outcome,
        });
    }
    summary
}

/// Lists and compiles every package of the workspace, its tests and its
/// dependencies with GOPROXY=off: this fills the build cache with their
/// export data and proves nothing needs the network.
async fn build_offline(
    roots: &[BuildRoot],
    tools: &Toolchain,
    runner: &dyn ProcessRunner,
) -> (BuildSummary, OfflineReport) {
    let mut build = BuildSummary::default();
    let mut offline = OfflineReport {
        ready: true,
        ..OfflineReport::default()
    };
    let mut named = BTreeSet::new();
    for root in roots {
        let patterns: Vec<String> = root
            .modules
            .iter()
            .map(|m| match m.strip_prefix(&root.dir) {
                Ok(rel) if rel.as_os_str().is_empty() => "./...".to_string(),
                Ok(rel) => format!("./{}/...", rel.display()),
                Err(_) => format!("{}/...", m.display()),
            })
            .collect();
        let spec = go_in(tools, root)
            .env("GOPROXY", "off")
            .args(["list", "-e", "-export", "-deps", "-test", "-x"])
            .arg("-json=ImportPath,Error,DepsErrors")
            .args(patterns);
        let out = match runner.run(spec).await {
            Ok(out) => out,
            Err(e) => {
                offline.ready = false;
                offline.errors.push(e.to_string());
                continue;
            }
        };
        let stderr = out.stderr_text();
        build.compiled += stderr
            .lines()
            .filter(|l| {
                l.split_whitespace()
                    .next()
                    .is_some_and(|w| w.ends_with("/compile"))
            })
            .count();
        let mut error_texts = Vec::new();
        for package in
            serde_json::Deserializer::from_slice(&out.stdout).into_iter::<serde_json::Value>()
        {
            let Ok(package) = package else { break };
            build.packages += 1;
            if let Some(err) = package["Error"]["Err"].as_str() {
                error_texts.push(err.to_string());
            }
        }
        // With -x, stderr is mostly the commands go ran; its own errors start with "go: ".
        let go_errors: Vec<String> = stderr
            .lines()
            .filter(|l| l.starts_with("go: "))
            .map(str::to_string)
            .collect();
        if !out.success() || !error_texts.is_empty() {
            offline.ready = false;
        }
        for text in error_texts.iter().chain(&go_errors) {
            named.extend(modules_named_in(text));
            if offline.errors.len() < 10 && !offline.errors.contains(text) {
                offline.errors.push(redact_url_credentials(text));
            }
        }
        if !out.success() && go_errors.is_empty() && error_texts.is_empty() {
            offline
                .errors
                .push(redact_url_credentials(&out.first_error_line()));
        }
    }
    offline.needs_network = named.into_iter().collect();
    (build, offline)
}

async fn warm_all_gopls(
    runner: &dyn ProcessRunner,
    gopls: &Path,
    roots: &[BuildRoot],
    cache_root: Option<&Path>,
    user_flags: &str,
) -> (Vec<GoplsSummary>, Vec<String>) {
    let cache_bytes = || cache_root.map(|r| measure("gopls", r).bytes).unwrap_or(0);
    let mut runs = Vec::new();
    let mut errors = Vec::new();
    for root in roots {
        let before = cache_bytes();
        let env = vec![
            ("GOWORK".to_string(), root.gowork().to_string()),
            (
                "GOFLAGS".to_string(),
                match root.kind {
                    RootKind::Work => goflags_for(RootKind::Work, user_flags),
                    RootKind::Module => user_flags.to_string(),
                },
            ),
        ];
        match warm_gopls(runner, gopls, &root.dir, &env, GOPLS_TIMEOUT).await {
            Ok(times) => runs.push(GoplsSummary {
                folder: root.dir.display().to_string(),
                loaded_ms: u64::try_from(times.loaded.as_millis()).unwrap_or(u64::MAX),
                diagnosed_ms: u64::try_from(times.diagnosed.as_millis()).unwrap_or(u64::MAX),
                cache_growth_bytes: cache_bytes().saturating_sub(before),
            }),
            Err(e) => errors.push(format!("gopls in {}: {e}", root.dir.display())),
        }
    }
    (runs, errors)
}

async fn measure_caches(
    tools: &Toolchain,
    gopls_root: Option<PathBuf>,
) -> (
    Vec<crate::preload::caches::CacheDir>,
    Option<crate::preload::caches::GoplsCache>,
) {
    let gomodcache = tools.env.get("GOMODCACHE").map(PathBuf::from);
    let gocache = tools.env.get("GOCACHE").map(PathBuf::from);
    let gopls = tools.gopls.clone();
    tokio::task::spawn_blocking(move || {
        let mut dirs = Vec::new();
        dirs.extend(gomodcache.map(|p| measure("GOMODCACHE", &p)));
        dirs.extend(gocache.map(|p| measure("GOCACHE", &p)));
        let gopls = match (gopls_root, gopls) {
            (Some(root), Some(exe)) => gopls_cache(&root, &exe).ok(),
            _ => None,
        };
        (dirs, gopls)
    })
    .await
    .unwrap_or_default()
}

/// The private-module judgement for this workspace and machine.
pub fn private_setup(
    go_env: &GoEnv,
    netrc_var: Option<&str>,
    home: Option<&Path>,
    roots: &[BuildRoot],
) -> crate::preload::private::PrivateSetup {
    let get = |k: &str| go_env.get(k).unwrap_or("").to_string();
    let private_env = PrivateEnv {
        goproxy: get("GOPROXY"),
        goprivate: get("GOPRIVATE"),
        gonoproxy: get("GONOPROXY"),
        gonosumdb: get("GONOSUMDB"),
        gosumdb: get("GOSUMDB"),
    };
    let required: Vec<String> = required_modules(roots)
        .into_iter()
        .map(|m| m.path)
        .collect();
    let netrc = netrc_facts(netrc_var, home);
    judge_private_setup(&private_env, &required, netrc.as_ref())
}

/// Reads the .netrc go would use, if there is one.
pub fn netrc_facts(netrc_var: Option<&str>, home: Option<&Path>) -> Option<NetrcFacts> {
    let path = netrc_path(netrc_var, home)?;
    let meta = std::fs::metadata(&path).ok()?;
    let text = crate::fsread::read_to_string(&path, crate::fsread::Kind::Credentials).ok()?;
    Some(NetrcFacts {
        path: path.display().to_string(),
        mode: crate::platform::fs::mode(&meta) & 0o777,
        entries: parse_netrc(&text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_roots_lose_mod_flags_and_lone_modules_get_mod_mod() {
        assert_eq!(
            goflags_for(RootKind::Work, "-mod=mod -buildvcs=false"),
            "-buildvcs=false"
        );
        assert_eq!(
            goflags_for(RootKind::Module, "-mod=readonly -tags=x"),
            "-tags=x -mod=mod"
        );
        assert_eq!(goflags_for(RootKind::Module, ""), "-mod=mod");
    }

    #[test]
    fn go_1_17_and_later_modules_list_every_needed_module() {
        assert!(lists_every_needed_module("module m\ngo 1.22\n"));
        assert!(!lists_every_needed_module("module m\ngo 1.16\n"));
        assert!(!lists_every_needed_module("module m\n"));
    }
}
