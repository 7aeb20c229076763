//! `gord serve`: the language server on stdin/stdout.

use gord::logging::LogLevel;

use super::exit::{CliResult, Exit};
use super::output::runtime;

pub fn run(level: LogLevel) -> CliResult {
    crate::alloc::return_freed_memory_at_once();
    let rt = runtime()?;
    rt.block_on(gord::lsp::serve(level));
    // The stdin reader may still be blocked in read (after a signal, stdin
    // is open): do not wait for it.
    rt.shutdown_timeout(std::time::Duration::from_millis(200));
    Ok(Exit::Clean)
}
