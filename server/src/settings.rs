//! The `gord.*` settings: raw JSON from the editor in, validated values out.
//!
//! VS Code sends the `gord` section as nested objects; dotted keys are accepted
//! too. A bad entry is reported and ignored (the key keeps its previous value);
//! the rest still applies. Keys the extension alone uses are accepted silently.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::goenv::version::GoVersion;

/// Default minimum Go version below which GO002 warns.
pub const DEFAULT_MINIMUM_GO: &str = "1.21";
const DEFAULT_TIMEOUT_SECONDS: u64 = 20;
const MAX_TIMEOUT_SECONDS: u64 = 600;

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub minimum_go: GoVersion,
    pub check_timeout: Duration,
    pub trace: Trace,
    /// `gord.ssh.allowMatchExec`: run ssh_config `Match exec` commands while
    /// linting, as ssh would (never in an untrusted workspace).
    pub allow_match_exec: bool,
    /// Lint a Go file's package when it is saved.
    pub lint_on_save: bool,
    /// Lint a Go file's package when it is opened.
    pub lint_on_open: bool,
    /// `gord.ssh.path`: the ssh whose release the SSH config rules follow
    /// (its `-V` is read); None: Remote-SSH's, else ssh on PATH.
    pub ssh_path: Option<String>,
    /// Remote-SSH's `remote.SSH.path`, which the extension sends beside the
    /// `gord` section.
    pub remote_ssh_path: Option<String>,
    /// Remote-SSH's `remote.SSH.connectTimeout` (seconds, beside the `gord`
    /// section): the connect budget of `gord/remote/check` (RMT040).
    pub remote_ssh_connect_timeout: Option<Duration>,
    /// `gord.go.allowToolchainSwitch`: let a go.mod `toolchain` line make
    /// the go, gopls and golangci-lint gord starts download and run another
    /// Go. Off: they get `GOTOOLCHAIN=local` (see `crate::lifeline`).
    pub allow_toolchain_switch: bool,
    /// The Go extension's `go` and `gopls` sections as the client sent them:
    /// the health report reads them from settings.json, so a change to them
    /// is a change worth another run.
    pub editor_sections: Option<String>,
}

/// `gord.trace.server`: how much the client traces, and the sidecar's log level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trace {
    Off,
    Messages,
    Verbose,
}

impl Trace {
    /// The tracing filter the sidecar uses when RUST_LOG/GORD_LOG is unset.
    pub fn log_filter(self) -> &'static str {
        match self {
            Trace::Off => "info",
            Trace::Messages => "debug",
            Trace::Verbose => "trace",
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            minimum_go: GoVersion::new(1, 21, None),
            check_timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECONDS),
            trace: Trace::Off,
            allow_match_exec: false,
            lint_on_save: true,
            lint_on_open: true,
            ssh_path: None,
            remote_ssh_path: None,
            remote_ssh_connect_timeout: None,
            allow_toolchain_switch: false,
            editor_sections: None,
        }
    }
}

/// One entry that could not be used, with what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingProblem {
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for SettingProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "gord.{}: {}", self.key, self.message)
    }
}

/// Keys read by the extension only; the sidecar accepts them without a word.
const CLIENT_ONLY_KEYS: &[&str] = &["server.path", "ssh.configFile"];

impl Settings {
    /// Builds settings from the editor's JSON. Missing keys take their
    /// defaults; a bad value keeps what `previous` had for that key.
    pub fn from_json(raw: &Value, previous: &Settings) -> (Settings, Vec<SettingProblem>) {
        let section = match raw {
            Value::Object(map) => match map.get("gord") {
                Some(Value::Object(inner)) => inner.clone(),
                _ => map.clone(),
            },
            Value::Null => Map::new(),
            other => {
                return (
                    previous.clone(),
                    vec![SettingProblem {
                        key: String::from("*"),
                        message: format!("expected an object of settings, got {}", kind(other)),
                    }],
                )
            }
        };
        let mut flat = Vec::new();
        flatten("", &section, &mut flat);

        let mut settings = Settings::default();
        let mut problems = Vec::new();
        settings.remote_ssh_path = remote_ssh_path(raw);
        settings.remote_ssh_connect_timeout = remote_ssh_connect_timeout(raw);
        settings.editor_sections = editor_sections(raw);
        for (key, value) in flat {
            let applied = match key.as_str() {
                "go.minimumVersion" => parse_minimum_go(&value).map(|v| settings.minimum_go = v),
                "checks.timeoutSeconds" => {
                    parse_timeout(&value).map(|t| settings.check_timeout = t)
                }
                "trace.server" => parse_trace(&value).map(|t| settings.trace = t),
                "ssh.allowMatchExec" => value
                    .as_bool()
                    .map(|b| settings.allow_match_exec = b)
                    .ok_or_else(|| format!("expected true or false, got {}", kind(&value))),
                "lint.onSave" => value
                    .as_bool()
                    .map(|b| settings.lint_on_save = b)
                    .ok_or_else(|| format!("expected true or false, got {}", kind(&value))),
                "lint.onOpen" => value
                    .as_bool()
                    .map(|b| settings.lint_on_open = b)
                    .ok_or_else(|| format!("expected true or false, got {}", kind(&value))),
                "ssh.path" => match &value {
                    Value::String(s) if s.trim().is_empty() => Ok(()),
                    Value::String(s) => {
                        settings.ssh_path = Some(s.trim().to_string());
                        Ok(())
                    }
                    other => Err(format!("expected a program path, got {}", kind(other))),
                },
                "go.allowToolchainSwitch" => value
                    .as_bool()
                    .map(|b| settings.allow_toolchain_switch = b)
                    .ok_or_else(|| format!("expected true or false, got {}", kind(&value))),
                k if CLIENT_ONLY_KEYS.contains(&k) => Ok(()),
                _ => Err(String::from("unknown setting; it is ignored")),
            };
            if let Err(message) = applied {
                settings.keep_previous(&key, previous);
                problems.push(SettingProblem { key, message });
            }
        }
        (settings, problems)
    }

    fn keep_previous(&mut self, key: &str, previous: &Settings) {
        match key {
            "go.minimumVersion" => self.minimum_go = previous.minimum_go.clone(),
            "checks.timeoutSeconds" => self.check_timeout = previous.check_timeout,
            "trace.server" => self.trace = previous.trace,
            "ssh.allowMatchExec" => self.allow_match_exec = previous.allow_match_exec,
            "lint.onSave" => self.lint_on_save = previous.lint_on_save,
            "lint.onOpen" => self.lint_on_open = previous.lint_on_open,
            "ssh.path" => self.ssh_path = previous.ssh_path.clone(),
            "go.allowToolchainSwitch" => {
                self.allow_toolchain_switch = previous.allow_toolchain_switch
            }
            _ => {}
        }
    }
}

/// `remote.SSH.path` when the settings carry it beside the `gord` section
/// (`{"gord": {...}, "remote": {"SSH": {"path": "..."}}}`); blank is unset.
fn editor_sections(raw: &Value) -> Option<String> {
    let go = raw.get("go");
    let gopls = raw.get("gopls");
    (go.is_some() || gopls.is_some())
        .then(|| serde_json::json!({ "go": go, "gopls": gopls }).to_string())
}

fn remote_ssh_path(raw: &Value) -> Option<String> {
    raw.get("remote")?
        .get("SSH")?
        .get("path")?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `remote.SSH.connectTimeout` when the settings carry it: a positive
/// number of seconds (Remote-SSH's own bound is 1 hour); else unset.
fn remote_ssh_connect_timeout(raw: &Value) -> Option<Duration> {
    let seconds = raw
        .get("remote")?
        .get("SSH")?
        .get("connectTimeout")?
        .as_f64()?;
    (seconds.is_finite() && seconds > 0.0).then(|| Duration::from_secs_f64(seconds.min(3600.0)))
}

/// The ssh whose release the SSH rules follow: `gord.ssh.path`, else
/// `remote.SSH.path`, else ssh on PATH.
impl Settings {
    pub fn ssh_request(&self) -> crate::ssh::release::which::Request {
        use crate::ssh::release::which::{Request, Source};
        let program = match (&self.ssh_path, &self.remote_ssh_path) {
            (Some(p), _) => Some((p.clone(), Source::Setting)),
            (None, Some(p)) => Some((p.clone(), Source::RemoteSsh)),
            (None, None) => None,
        };
        Request {
            version: None,
            program,
        }
    }
}

/// Nested objects become dotted keys; `null` means "not set".
fn flatten(prefix: &str, map: &Map<String, Value>, out: &mut Vec<(String, Value)>) {
    for (key, value) in map {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) => flatten(&full, inner, out),
            Value::Null => {}
            other => out.push((full, other.clone())),
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn parse_minimum_go(value: &Value) -> Result<GoVersion, String> {
    let Value::String(text) = value else {
        return Err(format!(
            "expected a Go version string such as \"1.21\", got {}",
            kind(value)
        ));
    };
    GoVersion::parse(text).map_err(|e| e.to_string())
}

fn parse_timeout(value: &Value) -> Result<Duration, String> {
    let seconds = value
        .as_f64()
        .ok_or_else(|| format!("expected a number of seconds, got {}", kind(value)))?;
    if !(1.0..=MAX_TIMEOUT_SECONDS as f64).contains(&seconds) {
        return Err(format!(
            "expected 1 to {MAX_TIMEOUT_SECONDS} seconds, got {seconds}"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

fn parse_trace(value: &Value) -> Result<Trace, String> {
    match value.as_str() {
        Some("off") => Ok(Trace::Off),
        Some("messages") => Ok(Trace::Messages),
        Some("verbose") => Ok(Trace::Verbose),
        _ => Err(format!(
            "expected \"off\", \"messages\" or \"verbose\", got {value}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(raw: Value) -> (Settings, Vec<SettingProblem>) {
        Settings::from_json(&raw, &Settings::default())
    }

    #[test]
    fn missing_settings_take_their_defaults() {
        let (settings, problems) = parse(json!({}));
        assert_eq!(settings, Settings::default());
        assert!(problems.is_empty());
        assert_eq!(settings.check_timeout, Duration::from_secs(20));
    }

    #[test]
    fn remote_ssh_connect_timeout_is_read_beside_the_gord_section_when_positive() {
        let (settings, problems) = parse(json!({
            "gord": {}, "remote": { "SSH": { "connectTimeout": 60 } }
        }));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            settings.remote_ssh_connect_timeout,
            Some(Duration::from_secs(60))
        );
        for bad in [json!(0), json!(-5), json!("15"), json!(null)] {
            let (settings, _) = parse(json!({
                "gord": {}, "remote": { "SSH": { "connectTimeout": bad } }
            }));
            assert_eq!(settings.remote_ssh_connect_timeout, None, "{bad}");
        }
    }

    #[test]
    fn a_change_to_the_go_or_gopls_section_is_a_change_of_settings() {
        let with = |go: Value| parse(json!({ "gord": {}, "go": go, "gopls": {"ui.x": 1} })).0;
        let fast = with(json!({ "lintFlags": ["--fast"] }));
        let none = with(json!({ "lintFlags": [] }));
        assert_ne!(fast, none);
        assert_eq!(fast, with(json!({ "lintFlags": ["--fast"] })));
        assert_eq!(parse(json!({ "gord": {} })).0, Settings::default());
    }

    #[test]
    fn the_ssh_to_follow_is_gord_ssh_path_else_remote_ssh_path() {
        use crate::ssh::release::which::Source;
        let (settings, problems) = parse(json!({
            "gord": { "ssh": { "path": " /opt/ssh/bin/ssh " } },
            "remote": { "SSH": { "path": "/usr/local/bin/ssh" } }
        }));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            settings.ssh_request().program,
            Some((String::from("/opt/ssh/bin/ssh"), Source::Setting))
        );
        let (settings, _) = parse(json!({
            "gord": { "ssh": { "path": "" } },
            "remote": { "SSH": { "path": "/usr/local/bin/ssh" } }
        }));
        assert_eq!(
            settings.ssh_request().program,
            Some((String::from("/usr/local/bin/ssh"), Source::RemoteSsh))
        );
        let (settings, _) = parse(json!({ "gord": {} }));
        assert_eq!(settings.ssh_request().program, None);
        let (_, problems) = parse(json!({ "ssh": { "path": 3 } }));
        assert_eq!(problems[0].key, "ssh.path");
    }

    #[test]
    fn reads_the_nested_section_vscode_sends() {
        let (settings, problems) = parse(json!({
            "gord": {
                "go": { "minimumVersion": "1.23" },
                "checks": { "timeoutSeconds": 5 },
                "trace": { "server": "verbose" },
                "server": { "path": "/opt/gord" }
            }
        }));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(settings.minimum_go, GoVersion::new(1, 23, None));
        assert_eq!(settings.check_timeout, Duration::from_secs(5));
        assert_eq!(settings.trace, Trace::Verbose);
        assert!(!settings.allow_match_exec);
        let (settings, problems) = parse(json!({ "ssh": { "allowMatchExec": true } }));
        assert!(problems.is_empty() && settings.allow_match_exec);
        assert!(!settings.allow_toolchain_switch);
        let (settings, problems) = parse(json!({ "go": { "allowToolchainSwitch": true } }));
        assert!(problems.is_empty() && settings.allow_toolchain_switch);
        let (_, problems) = parse(json!({ "ssh": { "allowMatchExec": "yes" } }));
        assert_eq!(problems[0].key, "ssh.allowMatchExec");
    }

    #[test]
    fn accepts_dotted_keys_and_an_unwrapped_section() {
        let (settings, problems) = parse(json!({ "go.minimumVersion": "1.22" }));
        assert!(problems.is_empty());
        assert_eq!(settings.minimum_go, GoVersion::new(1, 22, None));
    }

    #[test]
    fn a_bad_value_is_reported_and_the_previous_value_kept() {
        let previous = Settings {
            minimum_go: GoVersion::new(1, 20, None),
            ..Settings::default()
        };
        let (settings, problems) = Settings::from_json(
            &json!({ "go": { "minimumVersion": "one point twenty" }, "checks": { "timeoutSeconds": 7 } }),
            &previous,
        );
        assert_eq!(settings.minimum_go, GoVersion::new(1, 20, None));
        assert_eq!(
            settings.check_timeout,
            Duration::from_secs(7),
            "the good key still applies"
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].key, "go.minimumVersion");
        assert!(problems[0]
            .to_string()
            .starts_with("gord.go.minimumVersion: "));
    }

    #[test]
    fn ill_typed_and_out_of_range_values_are_refused() {
        let (_, problems) = parse(json!({
            "checks": { "timeoutSeconds": "ten" },
            "trace": { "server": "loud" },
            "go": { "minimumVersion": 121 }
        }));
        let keys: Vec<_> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys.len(), 3, "{problems:?}");
        let (_, problems) = parse(json!({ "checks": { "timeoutSeconds": 0 } }));
        assert!(problems[0].message.contains("1 to 600"));
    }

    #[test]
    fn unknown_keys_are_reported_not_fatal() {
        let (settings, problems) =
            parse(json!({ "colour": "blue", "go": { "minimumVersion": "1.22" } }));
        assert_eq!(problems[0].key, "colour");
        assert!(problems[0].message.contains("unknown"));
        assert_eq!(settings.minimum_go, GoVersion::new(1, 22, None));
    }

    #[test]
    fn a_non_object_is_refused_whole() {
        let (settings, problems) = parse(json!([1, 2]));
        assert_eq!(settings, Settings::default());
        assert!(problems[0].message.contains("an array"));
    }
}
