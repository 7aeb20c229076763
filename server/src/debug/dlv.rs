//! Finding Delve and knowing which Go versions it supports.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::exec::{CommandSpec, ProcessRunner, SystemRunner};
use crate::toolchain::Locator;

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

/// Finds dlv with gord's own PATH and asks it its version (runs `go env`
/// and `dlv version`).
pub fn gather() -> DlvFacts {
    gather_in(&Locator::from_process())
}

/// Finds dlv through `locator` (PATH, then Go's install directory, each as
/// the workspace's trust allows: in an untrusted workspace dlv never comes
/// from the workspace itself) and asks it its version.
pub fn gather_in(locator: &Locator) -> DlvFacts {
    let install_dir = locator.read_install_dir_blocking(&SystemRunner);
    let mut searched = locator.path_dirs().to_vec();
    searched.extend(install_dir.clone());
    let Some(path) = locator
        .find_with_install_dir("dlv", install_dir)
        .into_path()
    else {
        return DlvFacts {
            path: None,
            version: None,
            searched,
            error: None,
        };
    };
    let spec = locator.restrict(
        CommandSpec::new(&path)
            .arg("version")
            .cwd("/")
            .timeout(Duration::from_secs(10)),
    );
    let shown = spec.display();
    let (version, error) = match SystemRunner.run_blocking(spec) {
        Ok(out) => match parse_dlv_version(&out.stdout_text()) {
            Some((a, b, c)) => (Some(format!("{a}.{b}.{c}")), None),
            None => (
                None,
                Some(format!(
                    "`{shown}` printed no version: {}",
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
