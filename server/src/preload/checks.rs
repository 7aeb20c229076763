//! GO020–GO022: what `gord check` says about caches, offline readiness and
//! private modules. They must stay cheap (the whole health run takes tens
//! of milliseconds): they start no process beyond the shared `go env -json`,
//! read only go.mod/go.work files, `stat` cache paths and read the .netrc.
//! `gord preload` does the expensive, exact versions of the same.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use futures::future::BoxFuture;

use crate::check::{Area, Check, CheckContext, FnCheck, Outcome, RunFn};
use crate::finding::Fix;
use crate::goenv::env::GoEnv;
use crate::goenv::probe::go_env;
use crate::preload::caches::gopls_cache_root;
use crate::preload::offline::{in_module_cache, required_modules};
use crate::preload::run::private_setup;
use crate::preload::workspace::{build_roots, BuildRoot, ModuleVersion};

/// GO020, GO021 and GO022, in report order.
pub fn catalogue() -> Vec<Arc<dyn Check>> {
    let check = |id, title, run: RunFn| FnCheck::shared(id, title, Area::Cache, run);
    vec![
        check("GO020", "Build and gopls caches", go020_caches),
        check("GO021", "Offline-ready modules", go021_offline),
        check(
            "GO022",
            "Private modules and proxy credentials",
            go022_private,
        ),
    ]
}

/// `gord preload --workspace WS` as a fix.
pub fn preload_fix(workspace: &Path) -> Fix {
    Fix::run(
        "Warm the caches: gord preload",
        [
            "gord".to_string(),
            "preload".to_string(),
            "--workspace".to_string(),
            workspace.display().to_string(),
        ],
    )
}

/// [`build_roots`] off the async workers: the walk and the go.work reads
/// block, and the check's timeout must still fire on a hostile tree.
async fn roots_of(workspace: &Path) -> Vec<BuildRoot> {
    let root = workspace.to_path_buf();
    tokio::task::spawn_blocking(move || build_roots(&root))
        .await
        .unwrap_or_default()
}

async fn workspace_roots(ctx: &CheckContext) -> Result<(&Path, Vec<BuildRoot>), Box<Outcome>> {
    let Some(workspace) = ctx.workspace.as_deref() else {
        return Err(Box::new(Outcome::skipped("no workspace folder to look at")));
    };
    let roots = roots_of(workspace).await;
    if roots.is_empty() {
        return Err(Box::new(Outcome::skipped(format!(
            "no go.mod or go.work under {}",
            workspace.display()
        ))));
    }
    Ok((workspace, roots))
}

/// [`workspace_roots`] and the shared `go env`; without either the check is
/// skipped.
async fn workspace_roots_and_env(
    ctx: &CheckContext,
) -> Result<(&Path, Vec<BuildRoot>, &GoEnv), Box<Outcome>> {
    let (workspace, roots) = workspace_roots(ctx).await?;
    match go_env(ctx).await {
        Ok(env) => Ok((workspace, roots, env)),
        Err(message) => Err(Box::new(go_env_unavailable(message))),
    }
}

fn go_env_unavailable(message: &str) -> Outcome {
    Outcome::skipped(format!("go env unavailable ({message})"))
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Judges gopls' cache without hashing the 40 MB gopls binary on every
/// health run: gopls creates its build's directory on its first start, so a
/// directory created (or changed) after the binary was installed belongs to
/// it. `gord preload` names the exact directory.
pub fn judge_gopls_cache(root: &Path, gopls: &Path) -> (bool, usize) {
    let installed = modified(gopls);
    let dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|e| {
            e.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    let fresh = dirs
        .iter()
        .any(|d| matches!((modified(d), installed), (Some(dir), Some(bin)) if dir >= bin));
    (fresh, dirs.len())
}

fn go020_caches(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        let (workspace, _, env) = match workspace_roots_and_env(ctx).await {
            Ok(found) => found,
            Err(outcome) => return *outcome,
        };
        let gocache = env.get("GOCACHE").unwrap_or("");
        let build_cache_ready =
            gocache != "off" && std::fs::read_dir(gocache).is_ok_and(|mut e| e.next().is_some());
        let gopls = ctx.locator().find("gopls", Some(env)).into_path();
        let text = |key: &str| ctx.env.get(key).map(|v| v.to_string_lossy().into_owned());
        let root = gopls_cache_root(
            text("GOPLSCACHE").as_deref(),
            text("XDG_CACHE_HOME").as_deref(),
            ctx.env.home().as_deref(),
        );
        let mut detail = vec![format!("GOCACHE={gocache}")];
        let gopls_state = match (&gopls, &root) {
            (Some(gopls), Some(root)) => {
                detail.push(format!("gopls cache: {}", root.display()));
                Some(judge_gopls_cache(root, gopls))
            }
            _ => None,
        };
        let mut cold = Vec::new();
        if !build_cache_ready {
            cold.push(format!("the build cache (GOCACHE={gocache}) is empty"));
        }
        match gopls_state {
            Some((false, 0)) => cold.push("gopls has no cache yet".to_string()),
            Some((false, _)) => cold.push(
                "gopls has no cache for the installed build, only for earlier ones: gopls keeps one cache per \
                 executable, so after an upgrade it starts cold"
                    .to_string(),
            ),
            _ => {}
        }
        let outcome = if cold.is_empty() {
            Outcome::ok(match gopls_state {
                Some(_) => "the build cache and the cache of the installed gopls are in place",
                None => "the build cache is in place (gopls is not installed)",
            })
        } else {
            Outcome::warning(format!(
                "{}: the first build and the first gopls start in this workspace will be slow",
                cold.join("; ")
            ))
            .with_fix(preload_fix(workspace))
        };
        outcome.with_detail(detail.join("\n"))
    })
}

fn go021_offline(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        let (workspace, roots, env) = match workspace_roots_and_env(ctx).await {
            Ok(found) => found,
            Err(outcome) => return *outcome,
        };
        let Some(gomodcache) = env.get("GOMODCACHE").map(PathBuf::from) else {
            return Outcome::skipped("go env reports no GOMODCACHE");
        };
        let required = tokio::task::spawn_blocking(move || required_modules(&roots))
            .await
            .unwrap_or_default();
        let missing: Vec<&ModuleVersion> = required
            .iter()
            .filter(|m| !in_module_cache(&gomodcache, m))
            .collect();
        let detail = format!("GOMODCACHE={}", gomodcache.display());
        if required.is_empty() {
            return Outcome::ok("the workspace requires no module: nothing to download")
                .with_detail(detail);
        }
        if missing.is_empty() {
            return Outcome::ok(format!(
                "all {} required module(s) are in the module cache: the workspace needs no network to build",
                required.len()
            ))
            .with_detail(detail);
        }
        let shown: Vec<String> = missing.iter().take(10).map(|m| m.id()).collect();
        let more = missing.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        Outcome::warning(format!(
            "{} of {} required module(s) are not in the module cache, so building or opening the workspace \
             needs the network: {}{more}",
            missing.len(),
            required.len(),
            shown.join(", ")
        ))
        .with_detail(detail)
        .with_fix(preload_fix(workspace))
    })
}

fn go022_private(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        let env = match go_env(ctx).await {
            Ok(env) => env,
            Err(message) => return go_env_unavailable(message),
        };
        let roots = match ctx.workspace.as_deref() {
            Some(workspace) => roots_of(workspace).await,
            None => Vec::new(),
        };
        let netrc_var = ctx
            .env
            .get("NETRC")
            .map(|v| v.to_string_lossy().into_owned());
        let (env, home) = (env.clone(), ctx.env.home());
        // Reads go.mod files and .netrc: off the async workers.
        let Ok(setup) = tokio::task::spawn_blocking(move || {
            private_setup(&env, netrc_var.as_deref(), home.as_deref(), &roots)
        })
        .await
        else {
            return Outcome::error("reading the module files failed");
        };
        let mut detail = vec![format!("GOPROXY={}", setup.goproxy)];
        for module in &setup.private_modules {
            detail.push(format!(
                "private: {} ({}, {})",
                module.path,
                module.fetched_from(),
                module.checksums()
            ));
        }
        detail.extend(setup.netrc.iter().map(|p| format!("netrc: {p}")));
        detail.extend(setup.notes.iter().cloned());
        let outcome = if setup.problems.is_empty() {
            Outcome::ok(match setup.private_modules.len() {
                0 => "no private module required; no credentials in GOPROXY".to_string(),
                n => format!("{n} private module(s), set up consistently"),
            })
        } else {
            Outcome::warning(setup.problems.join("; ")).with_fix(Fix::advice(
                "Set GOPRIVATE to your private module paths (e.g. go env -w GOPRIVATE='corp.example/*'), keep proxy \
                 logins in ~/.netrc (mode 600), never in GOPROXY",
            ))
        };
        outcome.with_detail(detail.join("\n"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_dir_newer_than_the_gopls_binary_is_its_cache() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("root/0ld0ld00");
        std::fs::create_dir_all(&old).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let gopls = dir.path().join("gopls");
        std::fs::write(&gopls, b"new build").unwrap();
        let root = dir.path().join("root");
        assert_eq!(
            judge_gopls_cache(&root, &gopls),
            (false, 1),
            "only an older build's cache"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::create_dir_all(root.join("ba7816bf")).unwrap();
        assert_eq!(judge_gopls_cache(&root, &gopls), (true, 2));
        assert_eq!(
            judge_gopls_cache(&dir.path().join("absent"), &gopls),
            (false, 0)
        );
    }
}
