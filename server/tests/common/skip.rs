//! A test that cannot run on this machine (a tool or a privilege it lacks)
//! says so where the summary shows it, instead of passing in silence.
//!
//! `scripts/test` points `GORD_TEST_SKIPS` at a file and prints its lines in
//! the summary as "skipped: …". CI installs every tool these tests need, so
//! there the file stays empty; with `GORD_TEST_NO_SKIP=1` a skip fails the
//! test instead.

use std::io::Write;

/// Records that `test` did not run because of `reason`. Returns so the caller
/// can `return` right after.
pub fn skip(test: &str, reason: &str) {
    let line = format!("{test}: {reason}");
    if std::env::var_os("GORD_TEST_NO_SKIP").is_some_and(|v| v == "1") {
        panic!("{line} (GORD_TEST_NO_SKIP=1: this machine must provide it)");
    }
    eprintln!("\n*** SKIPPED {line} ***\n");
    if let Some(path) = std::env::var_os("GORD_TEST_SKIPS") {
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut file| writeln!(file, "{line}"));
        if let Err(err) = written {
            panic!("cannot record the skip in {path:?}: {err}");
        }
    }
}
