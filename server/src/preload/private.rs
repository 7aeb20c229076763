//! Private-module setup: which of the workspace's modules GOPRIVATE,
//! GONOPROXY and GONOSUMDB cover, whether that combination can work, and
//! whether the credentials a private proxy needs are kept safely (in a
//! .netrc readable by its owner only, not in the GOPROXY URL). Pure: the
//! caller reads the environment and the .netrc's mode.

use serde::{Deserialize, Serialize};

use crate::preload::netrc::NetrcEntry;
use crate::preload::pattern::matches_prefix_patterns;
use crate::redact::{has_url_credentials, redact_url_credentials};

/// Public module proxies; any other http(s) entry in GOPROXY is private.
const PUBLIC_PROXIES: &[&str] = &[
    "proxy.golang.org",
    "goproxy.io",
    "goproxy.cn",
    "proxy.golang.com.cn",
    "mirrors.aliyun.com",
];

/// The variables the judgement reads, as `go env` reports them.
#[derive(Debug, Clone, Default)]
pub struct PrivateEnv {
    pub goproxy: String,
    pub goprivate: String,
    /// Empty means "same as GOPRIVATE", as go reads it.
    pub gonoproxy: String,
    pub gonosumdb: String,
    pub gosumdb: String,
}

/// The .netrc go would read, as far as the judgement needs it.
#[derive(Debug, Clone)]
pub struct NetrcFacts {
    pub path: String,
    /// Permission bits (`st_mode & 0o777`).
    pub mode: u32,
    pub entries: Vec<NetrcEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivateModule {
    pub path: String,
    /// Fetched straight from version control (GONOPROXY), not via GOPROXY.
    pub direct: bool,
    /// Not checked against the checksum database (GONOSUMDB or GOSUMDB=off).
    pub no_sumdb: bool,
}

impl PrivateModule {
    /// Where the go command fetches it from, in words.
    pub fn fetched_from(&self) -> &'static str {
        if self.direct {
            "direct from VCS"
        } else {
            "via GOPROXY"
        }
    }

    /// Whether the checksum database vouches for it, in words.
    pub fn checksums(&self) -> &'static str {
        if self.no_sumdb {
            "no checksum database"
        } else {
            "checksum database"
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivateSetup {
    /// GOPROXY with any credentials replaced by `***`.
    pub goproxy: String,
    pub credentials_in_goproxy: bool,
    pub private_modules: Vec<PrivateModule>,
    /// Hosts of private proxies in GOPROXY.
    pub private_proxies: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub netrc: Option<String>,
    /// What will go wrong, one sentence each; credentials never appear.
    pub problems: Vec<String>,
    /// What is fine or merely worth knowing.
    pub notes: Vec<String>,
}

/// The host of an `http(s)://[user@]host[:port]/...` URL.
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = host_port.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Judges the setup for the module paths the workspace requires.
pub fn judge_private_setup(
    env: &PrivateEnv,
    required: &[String],
    netrc: Option<&NetrcFacts>,
) -> PrivateSetup {
    let noproxy = if env.gonoproxy.is_empty() {
        &env.goprivate
    } else {
        &env.gonoproxy
    };
    let nosumdb = if env.gonosumdb.is_empty() {
        &env.goprivate
    } else {
        &env.gonosumdb
    };
    let sumdb_off = env.gosumdb == "off";
    let credentials_in_goproxy = has_url_credentials(&env.goproxy);
    let proxies: Vec<&str> = env
        .goproxy
        .split([',', '|'])
        .filter(|p| p.starts_with("http://") || p.starts_with("https://"))
        .collect();
    let private_proxies: Vec<String> = proxies
        .iter()
        .filter_map(|p| url_host(p))
        .filter(|h| !PUBLIC_PROXIES.contains(&h.as_str()))
        .collect();
    let only_public_proxies = private_proxies.is_empty();

    let mut problems = Vec::new();
    let mut notes = Vec::new();
    if credentials_in_goproxy {
        problems.push(format!(
            "GOPROXY carries credentials in its URL ({}): every child process, `go env` output and bug report \
             shows them; put them in .netrc instead",
            redact_url_credentials(&env.goproxy)
        ));
    }
    let mut private_modules = Vec::new();
    for path in required {
        let direct = matches_prefix_patterns(noproxy, path);
        let named_private = matches_prefix_patterns(nosumdb, path);
        if !direct && !named_private {
            continue;
        }
        let no_sumdb = sumdb_off || named_private;
        if direct && !no_sumdb {
            problems.push(format!(
                "{path} is fetched directly (GONOPROXY) but still verified against the checksum database, which \
                 cannot know a private module: add it to GONOSUMDB, or use GOPRIVATE for both"
            ));
        }
        if !direct && no_sumdb && !sumdb_off && only_public_proxies && !proxies.is_empty() {
            problems.push(format!(
                "{path} is private (GONOSUMDB) but not in GONOPROXY, so go asks the public proxy for it, which \
                 cannot serve private code: add it to GONOPROXY, or use GOPRIVATE for both"
            ));
        }
        private_modules.push(PrivateModule {
            path: path.clone(),
            direct,
            no_sumdb,
        });
    }
    if let Some(netrc) = netrc {
        if netrc.mode & 0o077 != 0 {
            problems.push(format!(
                "{} is readable by other users (mode {:o}): it holds passwords; chmod 600 it",
                netrc.path, netrc.mode
            ));
        }
    }
    for host in &private_proxies {
        let in_netrc = netrc.is_some_and(|n| {
            n.entries
                .iter()
                .any(|e| e.machine.eq_ignore_ascii_case(host))
        });
        if in_netrc {
            notes.push(format!("private proxy {host}: login in .netrc"));
        } else if !credentials_in_goproxy {
            notes.push(format!(
                "private proxy {host}: no .netrc entry (fine if it needs no login; else go gets 401/403 from it)"
            ));
        }
    }
    PrivateSetup {
        goproxy: redact_url_credentials(&env.goproxy),
        credentials_in_goproxy,
        private_modules,
        private_proxies,
        netrc: netrc.map(|n| n.path.clone()),
        problems,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The judgement for this GOPROXY and GOPRIVATE, the workspace's
    /// required modules and the .netrc facts.
    fn judged(goproxy: &str, goprivate: &str, netrc: Option<&NetrcFacts>) -> PrivateSetup {
        judge_private_setup(&env(goproxy, goprivate), &required(), netrc)
    }

    fn env(goproxy: &str, goprivate: &str) -> PrivateEnv {
        PrivateEnv {
            goproxy: goproxy.into(),
            goprivate: goprivate.into(),
            ..PrivateEnv::default()
        }
    }

    fn required() -> Vec<String> {
        vec!["corp.example/auth".into(), "example.com/quote".into()]
    }

    #[test]
    fn goprivate_covers_both_proxy_and_checksum_database() {
        let setup = judged("https://proxy.golang.org,direct", "corp.example/*", None);
        assert_eq!(
            setup.private_modules,
            [PrivateModule {
                path: "corp.example/auth".into(),
                direct: true,
                no_sumdb: true
            }]
        );
        assert!(setup.problems.is_empty(), "{:?}", setup.problems);
    }

    #[test]
    fn gonoproxy_without_gonosumdb_cannot_verify_a_private_module() {
        let mut e = env("https://proxy.golang.org,direct", "");
        e.gonoproxy = "corp.example".into();
        let setup = judge_private_setup(&e, &required(), None);
        assert_eq!(setup.problems.len(), 1);
        assert!(setup.problems[0].contains("add it to GONOSUMDB"));
    }

    #[test]
    fn gonosumdb_alone_sends_private_paths_to_the_public_proxy() {
        let mut e = env("https://proxy.golang.org,direct", "");
        e.gonosumdb = "corp.example".into();
        let setup = judge_private_setup(&e, &required(), None);
        assert!(setup.problems[0].contains("asks the public proxy"));
    }

    #[test]
    fn credentials_in_goproxy_are_flagged_and_never_repeated() {
        let setup = judged("https://user:secret@athens.corp.example,direct", "", None);
        assert!(setup.credentials_in_goproxy);
        assert_eq!(setup.goproxy, "https://***@athens.corp.example,direct");
        assert_eq!(setup.private_proxies, ["athens.corp.example"]);
        let all = format!("{setup:?}");
        assert!(!all.contains("secret") && !all.contains("user:"), "{all}");
    }

    #[test]
    fn a_private_proxy_login_belongs_in_a_netrc_only_its_owner_reads() {
        let netrc = NetrcFacts {
            path: "/home/u/.netrc".into(),
            mode: 0o644,
            entries: vec![NetrcEntry {
                machine: "athens.corp.example".into(),
                login: "bot".into(),
            }],
        };
        let setup = judged("https://athens.corp.example", "", Some(&netrc));
        assert!(
            setup.problems[0].contains("chmod 600"),
            "{:?}",
            setup.problems
        );
        assert_eq!(
            setup.notes,
            ["private proxy athens.corp.example: login in .netrc"]
        );
        let tight = NetrcFacts {
            mode: 0o600,
            ..netrc
        };
        assert!(judged("https://athens.corp.example", "", Some(&tight))
            .problems
            .is_empty());
        let none = judged("https://athens.corp.example", "", None);
        assert!(none.notes[0].contains("no .netrc entry"));
    }
}
