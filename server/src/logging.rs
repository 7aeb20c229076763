//! Logs go to stderr, always: in `serve` mode stdout belongs to the protocol.
//! The level comes from GORD_LOG or RUST_LOG when set, else from the caller
//! (the `gord.trace.server` setting), and can change while running.

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{reload, EnvFilter, Registry};

/// Changes the log level later; inert when the environment fixed the level.
#[derive(Clone)]
pub struct LogLevel {
    handle: Option<reload::Handle<EnvFilter, Registry>>,
}

impl LogLevel {
    pub fn set(&self, filter: &str) {
        if let Some(handle) = &self.handle {
            match EnvFilter::try_new(filter) {
                Ok(new) => {
                    if let Err(e) = handle.reload(new) {
                        tracing::warn!("could not change the log level: {e}");
                    }
                }
                Err(e) => tracing::warn!("bad log filter {filter:?}: {e}"),
            }
        }
    }
}

fn from_environment() -> Option<EnvFilter> {
    ["GORD_LOG", "RUST_LOG"].iter().find_map(|var| {
        std::env::var(var)
            .ok()
            .filter(|v| !v.is_empty())
            .and_then(|v| EnvFilter::try_new(v).ok())
    })
}

/// Installs the stderr logger. Safe to call once per process.
pub fn init(default_filter: &str) -> LogLevel {
    let fixed = from_environment();
    let adjustable = fixed.is_none();
    let filter = fixed.unwrap_or_else(|| EnvFilter::new(default_filter));
    let (filter, handle) = reload::Layer::new(filter);
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(|| crate::stdio::QuietStderr)
        .with_ansi(false)
        .with_target(false);
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .try_init();
    LogLevel {
        handle: adjustable.then_some(handle),
    }
}
