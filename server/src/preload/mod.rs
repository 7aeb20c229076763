//! Cache warm-up: `gord preload` downloads every module the workspace needs,
//! fills the build cache for its packages, tests and dependencies, and runs
//! gopls once so its own cache is warm; then it proves the workspace builds
//! with `GOPROXY=off` and reports cache locations, sizes and the
//! private-module setup.
//!
//! The library API is [`preload`]: it takes a progress callback and a
//! cancellation token, and returns a [`PreloadReport`]; every event and the
//! report are serde types, ready for `$/progress` and a `gord/preload`
//! response.
//!
//! One job per file: `workspace` (go.work/go.mod discovery and parsing),
//! `modules` (go's JSON module streams), `pattern` (GOPRIVATE globs),
//! `netrc`, `private` (the private-module judgement), `offline` (module
//! cache lookups, module names in go's errors), `caches` (locations, sizes,
//! gopls' cache directory), `gopls` (a headless session), `run` (the
//! pipeline), `checks` (GO020–GO022), `model` (wire types).

pub mod caches;
pub mod checks;
pub mod gopls;
pub mod model;
pub mod modules;
pub mod netrc;
pub mod offline;
pub mod pattern;
pub mod private;
pub mod run;
pub mod text;
pub mod workspace;

pub use model::{PreloadEvent, PreloadReport, Step, StepStatus};
pub use run::{preload, PreloadError, PreloadRequest, Toolchain};
pub use tokio_util::sync::CancellationToken;

use crate::check::{Environment, Trust};
use crate::exec::{CommandSpec, ProcessRunner};
use crate::goenv::env::GoEnv;
use crate::toolchain::Locator;

#[derive(Debug, thiserror::Error)]
pub enum ToolchainError {
    #[error("go is not on PATH")]
    NoGo,
    #[error("`go env -json` failed: {0}")]
    GoEnv(String),
}

/// Finds `go` and gopls through the toolchain locator (so each from a
/// directory `trust` allows) and reads `go env -json` in `/`, so no
/// workspace file picks the toolchain.
pub async fn locate_toolchain(
    env: &Environment,
    trust: &Trust,
    runner: &dyn ProcessRunner,
) -> Result<Toolchain, ToolchainError> {
    let locator = Locator::new(env, trust);
    let go = locator.go().ok_or(ToolchainError::NoGo)?;
    let out = runner
        .run(CommandSpec::new(&go).args(["env", "-json"]).cwd("/"))
        .await
        .map_err(|e| ToolchainError::GoEnv(e.to_string()))?;
    if !out.success() {
        return Err(ToolchainError::GoEnv(out.first_error_line()));
    }
    let go_env =
        GoEnv::parse(&out.stdout_text()).map_err(|e| ToolchainError::GoEnv(e.to_string()))?;
    let gopls = locator.find("gopls", Some(&go_env)).into_path();
    let text = |key: &str| env.get(key).map(|v| v.to_string_lossy().into_owned());
    Ok(Toolchain {
        go,
        gopls,
        env: go_env,
        netrc_var: text("NETRC"),
        xdg_cache_home: text("XDG_CACHE_HOME"),
        goplscache: text("GOPLSCACHE"),
        home: env.home(),
    })
}
