//! gord, the Go Remote Doctor: health checks for Go developers working on
//! remote machines. The same library backs the CLI (`gord check`) and the LSP
//! sidecar (`gord serve`) that the VS Code extension starts.

pub mod check;
pub mod clock;
pub mod container;
pub mod debug;
pub mod docs;
pub mod edit;
pub mod exec;
pub mod finding;
pub mod fsread;
pub mod goenv;
pub mod jsonc;
pub mod lifeline;
pub mod lint;
pub mod logging;
pub mod lsp;
pub mod part;
pub mod platform;
pub mod preload;
pub mod redact;
pub mod remote;
pub mod render;
pub mod settings;
pub mod ssh;
pub mod stdio;
pub mod text;
pub mod toolchain;
pub mod uri;

use std::path::PathBuf;
use std::sync::Arc;

use check::{Check, CheckContext, Environment, HealthReport};
use exec::SystemRunner;
use settings::Settings;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Every check gord knows, in report order.
pub fn catalogue() -> Vec<Arc<dyn Check>> {
    let mut all = goenv::catalogue();
    all.extend(container::catalogue());
    all.extend(preload::checks::catalogue());
    all.extend(ssh::check::catalogue());
    all.extend(remote::local::catalogue());
    all
}

/// Runs the whole catalogue on this machine for `workspace` (the first
/// workspace folder; `trust` knows all of them).
pub async fn health(
    workspace: Option<PathBuf>,
    settings: Settings,
    trust: check::Trust,
) -> HealthReport {
    health_of(part::Part::Whole, workspace, settings, trust).await
}

/// Runs `part`'s share of the catalogue (see [`part::Part`]).
pub async fn health_of(
    part: part::Part,
    workspace: Option<PathBuf>,
    settings: Settings,
    trust: check::Trust,
) -> HealthReport {
    let timeout = settings.check_timeout;
    let ctx = CheckContext::new(
        workspace,
        settings,
        Arc::new(SystemRunner),
        Environment::from_process(),
        trust,
    );
    check::health_report(&part.catalogue(), Arc::new(ctx), timeout).await
}
