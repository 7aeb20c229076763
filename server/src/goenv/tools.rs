//! The Go tools gord looks for, pinned in versions.env, and `go version -m`.

use crate::goenv::version::GoVersion;

/// versions.env, compiled in: the one place versions are pinned.
const VERSIONS_ENV: &str = include_str!("../../../versions.env");

/// A tool installed with `go install`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolSpec {
    pub name: String,
    /// The main package, e.g. `golang.org/x/tools/gopls`.
    pub package: String,
    /// The pinned version, e.g. `v0.23.0`.
    pub version: String,
}

impl ToolSpec {
    /// `go install <package>@<version>` as argv.
    pub fn install_argv(&self) -> Vec<String> {
        vec![
            "go".into(),
            "install".into(),
            format!("{}@{}", self.package, self.version),
        ]
    }
}

/// Reads `GO_TOOL_<name>=<package>@<version>` lines.
pub fn parse_versions_env(text: &str) -> Vec<ToolSpec> {
    text.lines()
        .filter_map(|line| {
            let (key, value) = line.trim().split_once('=')?;
            let name = key.strip_prefix("GO_TOOL_")?;
            let (package, version) = value.rsplit_once('@')?;
            Some(ToolSpec {
                name: name.to_string(),
                package: package.to_string(),
                version: version.to_string(),
            })
        })
        .collect()
}

/// The pinned spec of one tool.
pub fn pinned(name: &str) -> Option<ToolSpec> {
    parse_versions_env(VERSIONS_ENV)
        .into_iter()
        .find(|t| t.name == name)
}

/// What `go version -m BINARY` tells about a Go program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildInfo {
    /// The Go version the binary was built with.
    pub go_version: GoVersion,
    /// The main package path (`path` line).
    pub path: Option<String>,
    /// The main module and its version (`mod` line); version `(devel)` for local builds.
    pub module: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`go version -m` output not understood: {0}")]
pub struct BadBuildInfo(pub String);

/// Parses the output of `go version -m BINARY`.
pub fn parse_build_info(output: &str) -> Result<BuildInfo, BadBuildInfo> {
    let mut lines = output.lines();
    let first = lines.next().unwrap_or("");
    let go_version = first
        .rsplit_once(": ")
        .and_then(|(_, v)| GoVersion::find_in(v))
        .ok_or_else(|| BadBuildInfo(crate::goenv::env::snippet(first)))?;
    let mut info = BuildInfo {
        go_version,
        path: None,
        module: None,
    };
    for line in lines {
        let fields: Vec<&str> = line.split('\t').filter(|f| !f.is_empty()).collect();
        match fields.as_slice() {
            ["path", path, ..] => info.path = Some(path.to_string()),
            ["mod", module, version, ..] => {
                info.module = Some((module.to_string(), version.to_string()))
            }
            _ => {}
        }
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_checked_tool_is_pinned_in_versions_env() {
        for name in ["gopls", "dlv", "golangci-lint", "staticcheck"] {
            let spec = pinned(name).unwrap_or_else(|| panic!("{name} missing from versions.env"));
            assert!(spec.version.starts_with('v'), "{spec:?}");
            assert_eq!(spec.install_argv()[..2], ["go", "install"]);
        }
        assert_eq!(
            pinned("gopls").unwrap().install_argv()[2],
            format!(
                "golang.org/x/tools/gopls@{}",
                pinned("gopls").unwrap().version
            )
        );
    }

    #[test]
    fn parses_versions_env_lines_and_skips_the_rest() {
        let specs =
            parse_versions_env("# c\nGO_TOOL_x=example.com/a/x@v1.2.3\nOTHER=1\nGO_TOOL_bad\n");
        assert_eq!(
            specs,
            [ToolSpec {
                name: "x".into(),
                package: "example.com/a/x".into(),
                version: "v1.2.3".into()
            }]
        );
    }

    #[test]
    fn reads_go_version_and_module_from_build_info() {
        let out = "/root/go/bin/gopls: go1.26.8\n\tpath\tgolang.org/x/tools/gopls\n\tmod\tgolang.org/x/tools/gopls\tv0.23.0\th1:abc=\n\tdep\tgolang.org/x/mod\tv0.1.0\th1:x=\n\tbuild\t-buildmode=exe\n";
        let info = parse_build_info(out).unwrap();
        assert_eq!(info.go_version, GoVersion::new(1, 26, Some(8)));
        assert_eq!(info.path.as_deref(), Some("golang.org/x/tools/gopls"));
        assert_eq!(
            info.module,
            Some(("golang.org/x/tools/gopls".into(), "v0.23.0".into()))
        );
    }

    #[test]
    fn refuses_output_that_is_not_build_info() {
        assert!(parse_build_info("").is_err());
        assert!(parse_build_info("/bin/ls: could not read Go build info from /bin/ls").is_err());
    }
}
