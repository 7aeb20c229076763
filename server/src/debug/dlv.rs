//! Finding Delve and knowing which Go versions it supports.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::check::Trust;
use crate::exec::{run_blocking, CommandSpec};

/// What gord found out about dlv on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DlvFacts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    /// `1.27.2`, from `dlv version`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The directories searched, for the message when it is missing.
    pub searched: Vec<PathBuf>,
    /// Why `dlv version` gave no version, if it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `Version: 1.27.2` in the output of `dlv version`.
pub fn parse_dlv_version(text: &str) -> Option<(u32, u32, u32)> {
    let line = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Version:"))?;
    let mut parts = line.trim().trim_start_matches('v').splitn(3, '.');
    let mut next = || -> Option<u32> {
        let digits: String = parts
            .next()?
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    Some((next()?, next()?, next().unwrap_or(0)))
}

/// The Go language versions Delve `1.N` supports: `1.(N-3)` to `1.(N-1)`.
/// That is Delve's own table (pkg/goversion/compat.go: 1.27.x accepts Go 1.24
/// to 1.26); a newer Go fails with "Version of Delve is too old".
pub fn supported_go(dlv: (u32, u32, u32)) -> ((u32, u32), (u32, u32)) {
    let (major, minor, _) = dlv;
    (
        (major, minor.saturating_sub(3)),
        (major, minor.saturating_sub(1)),
    )
}

/// dlv on PATH first, then in `go env GOPATH`/bin (where `go install` put it).
pub fn locate(path_dirs: &[PathBuf], gopath_bin: Option<&Path>) -> Option<PathBuf> {
    crate::goenv::path::which_all("dlv", path_dirs)
        .into_iter()
        .next()
        .or_else(|| {
            gopath_bin
                .map(|d| d.join("dlv"))
                .filter(|p| crate::goenv::path::is_executable_file(p))
        })
}

/// Finds dlv on PATH and asks it its version (runs `go env GOPATH` and `dlv version`).
pub fn gather() -> DlvFacts {
    let path_dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    gather_in(path_dirs, &Trust::Trusted)
}

/// Like [`gather`], searching only `path_dirs` (already filtered by `trust`)
/// and a GOPATH/bin that `trust` allows: in an untrusted workspace, dlv must
/// never come from the workspace itself.
pub fn gather_in(path_dirs: Vec<PathBuf>, trust: &Trust) -> DlvFacts {
    let gopath_bin = go_bin_dir(&path_dirs, trust).filter(|dir| trust.allows_program_dir(dir));
    let mut searched = path_dirs.clone();
    searched.extend(gopath_bin.clone());
    let Some(path) = locate(&path_dirs, gopath_bin.as_deref()) else {
        return DlvFacts {
            path: None,
            version: None,
            searched,
            error: None,
        };
    };
    let spec = trust.restrict(
        &path_dirs,
        CommandSpec::new(&path)
            .arg("version")
            .cwd("/")
            .timeout(Duration::from_secs(10)),
    );
    let (version, error) = match run_blocking(&spec) {
        Ok(out) => match parse_dlv_version(&out.stdout_text()) {
            Some((a, b, c)) => (Some(format!("{a}.{b}.{c}")), None),
            None => (
                None,
                Some(format!(
                    "`{}` printed no version: {}",
                    spec.display(),
                    out.first_error_line()
                )),
            ),
        },
        Err(e) => (None, Some(e.to_string())),
    };
    DlvFacts {
        path: Some(path),
        version,
        searched,
        error,
    }
}

fn go_bin_dir(path_dirs: &[PathBuf], trust: &Trust) -> Option<PathBuf> {
    let go = crate::goenv::path::which_all("go", path_dirs)
        .into_iter()
        .next()?;
    let out = run_blocking(
        &trust.restrict(
            path_dirs,
            CommandSpec::new(go)
                .args(["env", "GOBIN", "GOPATH"])
                .cwd("/")
                .timeout(Duration::from_secs(10)),
        ),
    )
    .ok()?;
    let text = out.stdout_text();
    let mut lines = text.lines();
    let gobin = lines.next().unwrap_or("").trim();
    let gopath = lines.next().unwrap_or("").trim();
    if !gobin.is_empty() {
        return Some(PathBuf::from(gobin));
    }
    std::env::split_paths(gopath)
        .next()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| p.join("bin"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_version_line_of_dlv_version() {
        let out = "Delve Debugger\nVersion: 1.27.2\nBuild: $Id: 360e7b $\n";
        assert_eq!(parse_dlv_version(out), Some((1, 27, 2)));
        assert_eq!(parse_dlv_version("Version: 1.28.0-dev"), Some((1, 28, 0)));
        assert_eq!(parse_dlv_version("nonsense"), None);
    }

    #[test]
    fn delve_1_27_supports_go_1_24_to_1_26() {
        assert_eq!(supported_go((1, 27, 2)), ((1, 24), (1, 26)));
    }
}
