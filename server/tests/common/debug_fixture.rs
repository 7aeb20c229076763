//! The Go HTTP server in tests/fixtures/debug, built with the real toolchain
//! for the debugger tests.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixture's source directory.
pub fn fixture_dir() -> PathBuf {
    super::repo_root()
        .join("tests/fixtures/debug")
        .canonicalize()
        .unwrap()
}

/// Builds the fixture with `go build <flags>` into `<target tmp>/<group>/<name>`.
pub fn build(group: &str, name: &str, flags: &[&str]) -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(group);
    std::fs::create_dir_all(&out).unwrap();
    let target = out.join(name);
    let status = Command::new("go")
        .args(["build", "-buildvcs=false"])
        .args(flags)
        .arg("-o")
        .arg(&target)
        .arg(".")
        .current_dir(fixture_dir())
        .status()
        .expect("the debugger tests need a real go on PATH");
    assert!(status.success(), "go build {flags:?} failed");
    target
}
