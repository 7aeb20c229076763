//! What to connect to: the host argument, checked before anything runs, and
//! the connection settings taken from its `ssh -G` lines. Pure.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::ssh::config::effective::Line;

/// Why a host name is refused before any program runs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostRefusal {
    #[error("the host name is empty")]
    Empty,
    #[error("`{0}` starts with `-`, so ssh would read it as an option; refused")]
    LooksLikeOption(String),
    #[error(
        "`{host}` contains {what}, which no host name has; refused so that nothing can run it"
    )]
    BadCharacter { host: String, what: String },
    #[error("the host name is longer than 1025 bytes")]
    TooLong,
}

/// Accepts what can follow `ssh` as a destination (`host`, `user@host`,
/// an IPv6 literal): letters, digits and `._-@:%+`, not starting with `-`.
/// Whitespace, quotes and shell metacharacters are refused, so a name from a
/// config or a request can never become an option or a command.
pub fn check_host_argument(host: &str) -> Result<(), HostRefusal> {
    if host.is_empty() {
        return Err(HostRefusal::Empty);
    }
    if host.len() > 1025 {
        return Err(HostRefusal::TooLong);
    }
    if host.starts_with('-') {
        return Err(HostRefusal::LooksLikeOption(host.to_string()));
    }
    if let Some(bad) = host
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "._-@:%+".contains(*c)))
    {
        let what = if bad.is_whitespace() {
            String::from("whitespace")
        } else if bad.is_control() {
            format!("the control character U+{:04X}", u32::from(bad))
        } else {
            format!("`{bad}`")
        };
        return Err(HostRefusal::BadCharacter {
            host: host.to_string(),
            what,
        });
    }
    Ok(())
}

/// The settings of one host that the probe needs, from its `ssh -G` lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// The name as given (the Host alias).
    pub alias: String,
    pub hostname: String,
    pub port: u16,
    pub user: String,
    pub identity_files: Vec<PathBuf>,
    pub known_hosts_files: Vec<PathBuf>,
    /// HostKeyAlias, else the host name: the name known_hosts is searched for.
    pub host_key_name: String,
    /// The port known_hosts entries carry: 22 (none) with a HostKeyAlias, as ssh does.
    pub host_key_port: u16,
    /// ConnectTimeout, when the config sets one.
    pub connect_timeout: Option<Duration>,
    /// ProxyJump hops, in order (empty: direct).
    pub proxy_jump: Vec<String>,
    pub proxy_command: Option<String>,
    pub strict_host_key_checking: String,
    pub identity_agent: Option<String>,
    pub control_master: String,
    pub control_path: Option<String>,
    pub control_persist: String,
}

fn value<'a>(lines: &'a [Line], keyword: &str) -> Option<&'a str> {
    lines
        .iter()
        .find(|l| l.keyword == keyword)
        .map(|l| &*l.value)
}

fn values<'a>(lines: &'a [Line], keyword: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    lines
        .iter()
        .filter(move |l| l.keyword == keyword)
        .map(|l| &*l.value)
}

/// `~/x` → `home/x`, as ssh expands these paths.
pub fn expand_tilde(path: &str, home: &Path) -> PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => home.join(rest),
        None if path == "~" => home.to_path_buf(),
        None => PathBuf::from(path),
    }
}

impl Target {
    /// Reads the probe's settings from `ssh -G` lines; `home` expands `~`.
    pub fn from_lines(alias: &str, lines: &[Line], home: &Path) -> Target {
        let hostname = value(lines, "hostname").unwrap_or(alias).to_string();
        let none = |v: &&str| *v != "none";
        let proxy_jump = value(lines, "proxyjump")
            .filter(none)
            .map(|v| v.split(',').map(str::to_string).collect())
            .unwrap_or_default();
        let known_hosts_files = values(lines, "userknownhostsfile")
            .chain(values(lines, "globalknownhostsfile"))
            .flat_map(str::split_whitespace)
            .filter(|p| *p != "none")
            .map(|p| expand_tilde(p, home))
            .collect();
        let port = value(lines, "port")
            .and_then(|p| p.parse().ok())
            .unwrap_or(22);
        let alias_set = value(lines, "hostkeyalias").filter(none).is_some();
        Target {
            alias: alias.to_string(),
            host_key_port: if alias_set { 22 } else { port },
            host_key_name: value(lines, "hostkeyalias")
                .filter(none)
                .unwrap_or(&hostname)
                .to_string(),
            port,
            user: value(lines, "user").unwrap_or_default().to_string(),
            identity_files: values(lines, "identityfile")
                .map(|p| expand_tilde(p, home))
                .collect(),
            known_hosts_files,
            connect_timeout: value(lines, "connecttimeout")
                .and_then(|v| v.parse::<u64>().ok())
                .filter(|s| *s > 0)
                .map(Duration::from_secs),
            proxy_jump,
            proxy_command: value(lines, "proxycommand")
                .filter(none)
                .map(str::to_string),
            strict_host_key_checking: value(lines, "stricthostkeychecking")
                .unwrap_or("ask")
                .to_string(),
            identity_agent: value(lines, "identityagent")
                .filter(none)
                .map(str::to_string),
            control_master: value(lines, "controlmaster").unwrap_or("false").to_string(),
            control_path: value(lines, "controlpath").filter(none).map(str::to_string),
            control_persist: value(lines, "controlpersist").unwrap_or("no").to_string(),
            hostname,
        }
    }

    /// The limit of one network step: ConnectTimeout when set and shorter
    /// than the run's limit, else the run's limit.
    pub fn step_timeout(&self, run_limit: Duration) -> Duration {
        self.connect_timeout
            .map_or(run_limit, |t| t.min(run_limit))
            .max(Duration::from_millis(100))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_destinations_are_accepted() {
        for host in [
            "build-1",
            "dev.example.com",
            "me@box",
            "::1",
            "fe80::1%eth0",
        ] {
            assert_eq!(check_host_argument(host), Ok(()), "{host}");
        }
    }

    #[test]
    fn a_host_that_looks_like_an_option_is_refused() {
        assert!(matches!(
            check_host_argument("-oProxyCommand=touch /tmp/x"),
            Err(HostRefusal::LooksLikeOption(_))
        ));
    }

    #[test]
    fn shell_metacharacters_and_whitespace_are_refused_and_named() {
        let err = check_host_argument("a;touch /tmp/x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`a;touch /tmp/x` contains `;`, which no host name has; refused so that nothing can run it"
        );
        for host in [
            "a b", "a$(id)", "a`id`", "a|b", "a\nb", "a'b", "a\"b", "a&b", "a>b",
        ] {
            assert!(check_host_argument(host).is_err(), "{host:?}");
        }
        assert_eq!(check_host_argument(""), Err(HostRefusal::Empty));
    }

    fn line(keyword: &'static str, value: &str) -> Line {
        Line {
            keyword,
            value: value.to_string().into(),
            origin: None,
        }
    }

    #[test]
    fn target_takes_its_settings_from_the_ssh_g_lines() {
        let lines = [
            line("user", "dev"),
            line("hostname", "10.0.0.5"),
            line("port", "2222"),
            line("identityfile", "~/.ssh/id_ed25519"),
            line("identityfile", "/keys/other"),
            line(
                "userknownhostsfile",
                "~/.ssh/known_hosts ~/.ssh/known_hosts2",
            ),
            line("globalknownhostsfile", "/etc/ssh/ssh_known_hosts"),
            line("connecttimeout", "5"),
            line("proxyjump", "bastion,inner"),
            line("hostkeyalias", "none"),
        ];
        let t = Target::from_lines("box", &lines, Path::new("/home/dev"));
        assert_eq!(t.hostname, "10.0.0.5");
        assert_eq!(t.host_key_name, "10.0.0.5");
        assert_eq!(t.port, 2222);
        assert_eq!(
            t.identity_files,
            [
                PathBuf::from("/home/dev/.ssh/id_ed25519"),
                PathBuf::from("/keys/other")
            ]
        );
        assert_eq!(t.known_hosts_files.len(), 3);
        assert_eq!(t.connect_timeout, Some(Duration::from_secs(5)));
        assert_eq!(t.proxy_jump, ["bastion", "inner"]);
        assert_eq!(
            t.step_timeout(Duration::from_secs(2)),
            Duration::from_secs(2)
        );
        assert_eq!(
            t.step_timeout(Duration::from_secs(20)),
            Duration::from_secs(5)
        );
    }
}
