//! `go env -json`: read once, parsed into a map, secrets kept out of display.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The variables `go env -json` reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoEnv {
    vars: BTreeMap<String, String>,
}

/// The variables that decide where modules are downloaded from and how they
/// are verified.
pub const DOWNLOAD_VARS: &[&str] = &[
    "GOPROXY",
    "GOPRIVATE",
    "GONOPROXY",
    "GONOSUMDB",
    "GOSUMDB",
    "GOFLAGS",
];

/// The variables the report shows, in this order.
const SHOWN_VARS: [&[&str]; 3] = [
    &[
        "GOVERSION",
        "GOROOT",
        "GOPATH",
        "GOBIN",
        "GOMODCACHE",
        "GOCACHE",
    ],
    DOWNLOAD_VARS,
    &["GOTOOLCHAIN", "GOWORK", "GOOS", "GOARCH"],
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GoEnvError {
    #[error("`go env -json` printed something that is not a JSON object: {snippet}")]
    NotJson { snippet: String },
}

impl GoEnv {
    pub fn parse(stdout: &str) -> Result<GoEnv, GoEnvError> {
        let parsed: Result<BTreeMap<String, serde_json::Value>, _> = serde_json::from_str(stdout);
        let map = parsed.map_err(|_| GoEnvError::NotJson {
            snippet: snippet(stdout),
        })?;
        let vars = map
            .into_iter()
            .map(|(k, v)| {
                let text = match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, text)
            })
            .collect();
        Ok(GoEnv { vars })
    }

    #[cfg(test)]
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        GoEnv {
            vars: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// A variable's value; empty values count as unset.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// A variable as it may be shown to a person: secrets redacted ([`crate::redact::secrets`]).
    pub fn display(&self, key: &str) -> String {
        crate::redact::secrets(self.get(key).unwrap_or(""))
    }

    /// Where `go install` puts binaries: GOBIN, else the first GOPATH entry's bin.
    pub fn install_dir(&self) -> Option<PathBuf> {
        if let Some(gobin) = self.get("GOBIN") {
            return Some(PathBuf::from(gobin));
        }
        let gopath = self.get("GOPATH")?;
        std::env::split_paths(gopath)
            .find(|p| !p.as_os_str().is_empty())
            .map(|p| p.join("bin"))
    }

    /// `KEY=value` lines for the report, secrets redacted.
    pub fn summary_lines(&self) -> String {
        self.lines_of(SHOWN_VARS.concat().as_slice())
    }

    /// `KEY=value` lines for `keys`, in their order, secrets redacted.
    pub fn lines_of(&self, keys: &[&str]) -> String {
        keys.iter()
            .map(|k| format!("{k}={}", self.display(k)))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The start of some unexpected output, on one line, secrets redacted.
pub fn snippet(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = one_line.chars().take(120).collect();
    let cut = crate::redact::secrets(&cut);
    if cut.is_empty() {
        String::from("(nothing)")
    } else if one_line.chars().count() > 120 {
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_env_json() {
        let env =
            GoEnv::parse(r#"{"GOPATH":"/home/u/go","GOBIN":"","GOVERSION":"go1.26.8"}"#).unwrap();
        assert_eq!(env.get("GOPATH"), Some("/home/u/go"));
        assert_eq!(env.get("GOBIN"), None, "empty means unset");
        assert_eq!(env.install_dir(), Some(PathBuf::from("/home/u/go/bin")));
    }

    #[test]
    fn gobin_wins_over_gopath() {
        let env = GoEnv::from_pairs(&[("GOPATH", "/a:/b"), ("GOBIN", "/opt/bin")]);
        assert_eq!(env.install_dir(), Some(PathBuf::from("/opt/bin")));
        let env = GoEnv::from_pairs(&[("GOPATH", "/a:/b")]);
        assert_eq!(env.install_dir(), Some(PathBuf::from("/a/bin")));
    }

    #[test]
    fn garbage_is_a_clear_error_with_a_snippet() {
        let err = GoEnv::parse("go: cannot find GOROOT directory: /nope\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`go env -json` printed something that is not a JSON object: go: cannot find GOROOT directory: /nope"
        );
        assert!(GoEnv::parse("")
            .unwrap_err()
            .to_string()
            .ends_with("(nothing)"));
        assert!(GoEnv::parse("[1,2]").is_err());
    }

    #[test]
    fn the_summary_never_shows_proxy_credentials() {
        let env = GoEnv::from_pairs(&[("GOPROXY", "https://me:tok3n@proxy.corp.example,direct")]);
        let lines = env.summary_lines();
        assert!(lines.contains("GOPROXY=https://***@proxy.corp.example,direct"));
        assert!(!lines.contains("tok3n"));
    }
}
