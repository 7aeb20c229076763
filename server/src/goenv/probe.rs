//! Facts about the Go toolchain, gathered at most once per health run and
//! shared by every GO check: where `go` is, what `go version` and
//! `go env -json` say. A `go` that is missing, fails or hangs becomes an
//! error message each dependent check can report, never a stall.

use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::OnceCell;

use crate::check::CheckContext;
use crate::exec::CommandSpec;
use crate::goenv::env::{snippet, GoEnv};
use crate::goenv::version::GoVersion;

#[derive(Default)]
pub struct GoProbe {
    located: OnceCell<Located>,
    version: OnceCell<Result<ToolchainVersion, String>>,
    env: OnceCell<Result<GoEnv, String>>,
}

/// `go` as PATH resolves it, and every other `go` on PATH it shadows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub go: Option<PathBuf>,
    pub shadowed: Vec<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolchainVersion {
    pub version: GoVersion,
    /// The line `go version` printed, e.g. `go version go1.26.8 linux/amd64`.
    pub line: String,
}

/// Time limit for one `go` command: a little under the check's own, so the
/// command's more specific message is the one the user sees.
pub fn command_timeout(ctx: &CheckContext) -> Duration {
    ctx.settings.check_timeout.mul_f32(0.8)
}

/// A `go` invocation in a neutral directory, so that no workspace's go.mod
/// (and its `toolchain` line) decides which toolchain answers.
pub fn go_command(ctx: &CheckContext, go: &std::path::Path) -> CommandSpec {
    CommandSpec::new(go)
        .cwd("/")
        .timeout(command_timeout(ctx))
        .user_toolchain()
}

pub async fn locate(ctx: &CheckContext) -> &Located {
    ctx.go
        .located
        .get_or_init(|| async {
            let mut all = ctx.locator().all_on_path("go").into_iter();
            Located {
                go: all.next(),
                shadowed: all.collect(),
            }
        })
        .await
}

/// The message every dependent check gives when there is no `go`.
pub const GO_NOT_FOUND: &str = "go is not on PATH";

pub async fn toolchain_version(ctx: &CheckContext) -> Result<&ToolchainVersion, &str> {
    ctx.go
        .version
        .get_or_init(|| async {
            let go = locate(ctx).await.go.clone().ok_or(GO_NOT_FOUND)?;
            version_of(ctx, &go).await
        })
        .await
        .as_ref()
        .map_err(String::as_str)
}

/// Runs `<go> version` and reads the version from it.
pub async fn version_of(
    ctx: &CheckContext,
    go: &std::path::Path,
) -> Result<ToolchainVersion, String> {
    let out = ctx
        .runner
        .run(go_command(ctx, go).arg("version"))
        .await
        .map_err(|e| e.to_string())?;
    if !out.success() {
        return Err(format!(
            "`{} version` failed: {}",
            go.display(),
            snippet(&out.first_error_line())
        ));
    }
    let line = out.stdout_text().trim().to_string();
    let version = GoVersion::find_in(&line).ok_or_else(|| {
        format!(
            "`{} version` printed no Go version: {}",
            go.display(),
            snippet(&line)
        )
    })?;
    Ok(ToolchainVersion { version, line })
}

pub async fn go_env(ctx: &CheckContext) -> Result<&GoEnv, &str> {
    ctx.go
        .env
        .get_or_init(|| async {
            let go = locate(ctx).await.go.clone().ok_or(GO_NOT_FOUND)?;
            let out = ctx
                .runner
                .run(go_command(ctx, &go).args(["env", "-json"]))
                .await
                .map_err(|e| e.to_string())?;
            if !out.success() {
                return Err(format!(
                    "`go env -json` failed: {}",
                    snippet(&out.first_error_line())
                ));
            }
            GoEnv::parse(&out.stdout_text()).map_err(|e| e.to_string())
        })
        .await
        .as_ref()
        .map_err(String::as_str)
}
