//! The connection itself, measured: how long connecting to a host took,
//! stage by stage, against Remote-SSH's connect timeout (`RMT040`), and
//! where the two independent connections gord makes (the libssh2 probe and
//! the system ssh's master) landed (`RMT041`: round-robin login nodes).
//! Pure: facts in, findings out; the landing script's output is parsed here.

use serde::{Deserialize, Serialize};

use super::model::{ProbeFacts, Route};
use super::target::Target;
use crate::finding::{Finding, Fix, Severity, Subject};

/// Remote-SSH's `remote.SSH.connectTimeout` default, in seconds.
pub const DEFAULT_CONNECT_TIMEOUT_SECS: u64 = 15;

/// Run with `sh -s` on a connection: which machine it landed on. The
/// machine id (systemd's, else D-Bus's) and the host name, from PATH's
/// `hostname`, else `uname -n`.
pub const LANDING_SCRIPT: &str = concat!("exec 2>/dev/null\n", landing_lines!());

/// Longest machine id or host name kept.
const MAX_FIELD: usize = 256;

/// Where one connection landed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Landing {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
}

fn field(value: &str) -> Option<String> {
    let clean: String = value
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FIELD)
        .collect();
    (!clean.is_empty()).then_some(clean)
}

/// Reads [`LANDING_SCRIPT`]'s output. The last line of each key wins, so an
/// rc file that prints before the script does not count; None when neither
/// key has a value.
pub fn parse_landing(output: &str) -> Option<Landing> {
    let mut landing = Landing {
        machine_id: None,
        hostname: None,
    };
    for line in output.lines() {
        if let Some(v) = line.strip_prefix("__gord_machine_id=") {
            landing.machine_id = field(v);
        } else if let Some(v) = line.strip_prefix("__gord_hostname=") {
            landing.hostname = field(v);
        }
    }
    (landing.machine_id.is_some() || landing.hostname.is_some()).then_some(landing)
}

/// Whether two landings are the same machine: Some(false) when a fact both
/// carry differs, Some(true) when at least one is carried by both and all
/// such agree, None when nothing can be compared.
pub fn same_machine(a: &Landing, b: &Landing) -> Option<bool> {
    let pairs = [
        (a.machine_id.as_ref(), b.machine_id.as_ref()),
        (a.hostname.as_ref(), b.hostname.as_ref()),
    ];
    let mut compared = false;
    for (x, y) in pairs {
        if let (Some(x), Some(y)) = (x, y) {
            if x != y {
                return Some(false);
            }
            compared = true;
        }
    }
    compared.then_some(true)
}

/// One timed stage of connecting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectStage {
    pub name: String,
    pub ms: u64,
}

/// What connecting to one host cost, and where its connections landed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectFacts {
    /// Remote-SSH's `remote.SSH.connectTimeout` (or `--connect-timeout`), in ms.
    pub budget_ms: u64,
    /// The probe's stages, in order (see [`probe_stages`]).
    pub stages: Vec<ConnectStage>,
    /// The system ssh's login (the master connection), end to end: its
    /// resolution, ProxyJump/ProxyCommand, key exchange and authentication,
    /// with the user's config, as Remote-SSH connects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_ssh_ms: Option<u64>,
    /// SSH connections gord opened to this host: the probe's (when it got
    /// as far as a banner) and the master's; every other ssh run is a
    /// session over the master.
    pub connections: u32,
    /// Where the probe's connection landed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe_landed: Option<Landing>,
    /// Where the system ssh's connection landed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_landed: Option<Landing>,
}

impl ConnectFacts {
    /// The probe's stages added up (None when it timed none).
    pub fn probe_total_ms(&self) -> Option<u64> {
        (!self.stages.is_empty()).then(|| self.stages.iter().map(|s| s.ms).sum())
    }

    /// The slower of the probe's total and the system ssh's login.
    pub fn total_ms(&self) -> Option<u64> {
        match (self.probe_total_ms(), self.system_ssh_ms) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }
}

fn stage(name: impl Into<String>, ms: Option<u64>) -> Option<ConnectStage> {
    ms.map(|ms| ConnectStage {
        name: name.into(),
        ms,
    })
}

/// The probe's connect stages, each timed end to end: name resolution, TCP
/// connect and the server's banner (direct), or the jump (every hop's
/// connect and login and the forward, until the target's banner arrives);
/// then key exchange and authentication.
pub fn probe_stages(p: &ProbeFacts) -> Vec<ConnectStage> {
    let mut stages = Vec::new();
    match &p.route {
        Route::ProxyJump { hops } => {
            stages.extend(stage(
                format!("jump through {} to the banner", hops.join(" → ")),
                p.banner_ms,
            ));
        }
        Route::Direct => {
            stages.extend(stage("name resolution", p.resolve_ms));
            stages.extend(stage("TCP connect", p.connect_ms));
            stages.extend(stage("banner", p.banner_ms));
        }
        Route::ProxyCommand => return stages,
    }
    let kex = p
        .handshake_ms
        .map(|h| h.saturating_sub(p.banner_ms.unwrap_or(0)));
    stages.extend(stage("key exchange", kex));
    stages.extend(stage("authentication", p.auth_ms));
    stages
}

fn on_host(finding: Finding, t: &Target) -> Finding {
    Finding {
        subject: Subject::Host {
            host: t.alias.clone(),
        },
        ..finding
    }
}

fn seconds(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

/// `RMT040` when connecting took longer than the budget; `RMT041` when the
/// two connections landed on different machines.
pub fn findings(t: &Target, c: &ConnectFacts) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(total) = c.total_ms().filter(|total| *total > c.budget_ms) {
        let mut evidence: Vec<String> = c
            .stages
            .iter()
            .map(|s| format!("{}: {} ms", s.name, s.ms))
            .collect();
        if let Some(ms) = c.system_ssh_ms {
            evidence.push(format!("`ssh {}` login, end to end: {ms} ms", t.alias));
        }
        let finding = Finding::new(
            "RMT040",
            Severity::Error,
            format!(
                "connecting to {} took {}, over Remote-SSH's connect timeout of {}: the window would give up before the server starts",
                t.alias,
                seconds(total),
                seconds(c.budget_ms)
            ),
            Subject::Workspace,
        )
        .with_rule_page()
        .with_detail(evidence.join("\n"))
        .with_fix(Fix::advice(format!(
            "Raise `remote.SSH.connectTimeout` in VS Code's settings above {} s (and ConnectTimeout in the Host block if it is lower), or share one connection: `ControlMaster auto`, `ControlPath ~/.ssh/cm-%C`, `ControlPersist 10m` under `Host {}`, so only the first connection pays this",
            total.div_ceil(1000) + 5,
            t.alias
        )));
        out.push(on_host(finding, t));
    }
    if let (Some(a), Some(b)) = (&c.probe_landed, &c.session_landed) {
        if same_machine(a, b) == Some(false) {
            let shown = |l: &Landing| {
                format!(
                    "host name {}, machine id {}",
                    l.hostname.as_deref().unwrap_or("?"),
                    l.machine_id.as_deref().unwrap_or("?")
                )
            };
            let finding = Finding::new(
                "RMT041",
                Severity::Warning,
                format!(
                    "two connections to {} landed on different machines: {} sends each connection to one of several login nodes, so Remote-SSH's later connections (the tunnel, a reconnect) can reach a node where its server is not running",
                    t.alias, t.hostname
                ),
                Subject::Workspace,
            )
            .with_rule_page()
            .with_detail(format!(
                "first connection: {}\nsecond connection: {}",
                shown(a),
                shown(b)
            ))
            .with_fix(Fix::advice(format!(
                "Share one connection: add `ControlMaster auto`, `ControlPath ~/.ssh/cm-%C` and `ControlPersist 10m` under `Host {}`, or name one node's own address in HostName",
                t.alias
            )));
            out.push(on_host(finding, t));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn landing(id: Option<&str>, name: Option<&str>) -> Landing {
        Landing {
            machine_id: id.map(str::to_string),
            hostname: name.map(str::to_string),
        }
    }

    #[test]
    fn the_landing_is_read_from_its_keys_and_the_last_line_wins() {
        let out = "welcome to login1\n__gord_machine_id=bogus\n__gord_machine_id=abc123\n__gord_hostname=login2\n";
        assert_eq!(
            parse_landing(out),
            Some(landing(Some("abc123"), Some("login2")))
        );
        assert_eq!(parse_landing("no keys here\n"), None);
        assert_eq!(
            parse_landing("__gord_machine_id=\n__gord_hostname=  \n"),
            None
        );
    }

    #[test]
    fn a_landing_field_is_trimmed_stripped_of_control_characters_and_capped() {
        let long = "x".repeat(1000);
        let parsed = parse_landing(&format!(
            "__gord_hostname=a\u{1b}[31mb \n__gord_machine_id={long}"
        ))
        .unwrap();
        assert_eq!(parsed.hostname.as_deref(), Some("a[31mb"));
        assert_eq!(parsed.machine_id.map(|s| s.len()), Some(MAX_FIELD));
    }

    #[test]
    fn an_rc_file_that_prints_megabytes_or_binary_does_not_hide_the_landing() {
        let mut out = "\u{0}\u{fffd}noise without a newline ".repeat(200_000);
        out.push_str("\n__gord_machine_id=m1\n__gord_hostname=h\u{e9}te\n");
        out.push_str(&"x".repeat(1 << 20));
        assert_eq!(
            parse_landing(&out),
            Some(landing(Some("m1"), Some("h\u{e9}te")))
        );
        // A key that is only a prefix of a longer line is not the key.
        assert_eq!(parse_landing(" __gord_hostname=indented\n"), None);
    }

    #[test]
    fn machines_differ_when_any_fact_both_carry_differs() {
        let a = landing(Some("1"), Some("login1"));
        assert_eq!(same_machine(&a, &a.clone()), Some(true));
        assert_eq!(
            same_machine(&a, &landing(Some("2"), Some("login1"))),
            Some(false)
        );
        assert_eq!(
            same_machine(&a, &landing(Some("1"), Some("login2"))),
            Some(false)
        );
        assert_eq!(same_machine(&a, &landing(None, Some("login1"))), Some(true));
        assert_eq!(
            same_machine(&landing(Some("1"), None), &landing(None, Some("x"))),
            None
        );
    }

    fn target() -> Target {
        Target::from_lines("box", &[], std::path::Path::new("/home/me"))
    }

    fn facts(stages: &[(&str, u64)], system: Option<u64>) -> ConnectFacts {
        ConnectFacts {
            budget_ms: 15_000,
            stages: stages
                .iter()
                .map(|(n, ms)| ConnectStage {
                    name: n.to_string(),
                    ms: *ms,
                })
                .collect(),
            system_ssh_ms: system,
            connections: 2,
            probe_landed: None,
            session_landed: None,
        }
    }

    fn codes(found: &[Finding]) -> Vec<&str> {
        found.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn a_connection_over_the_budget_names_every_stage_and_the_settings_to_change() {
        let c = facts(
            &[
                ("TCP connect", 4_000),
                ("key exchange", 9_000),
                ("authentication", 3_000),
            ],
            Some(12_000),
        );
        let found = findings(&target(), &c);
        assert_eq!(codes(&found), ["RMT040"]);
        let f = &found[0];
        assert!(f.message.contains("took 16.0 s"), "{}", f.message);
        assert!(f.message.contains("15.0 s"));
        let detail = f.detail.as_deref().unwrap_or_default();
        assert!(detail.contains("key exchange: 9000 ms"), "{detail}");
        assert!(detail.contains("`ssh box` login, end to end: 12000 ms"));
        let fix = &f.fix().unwrap().title;
        assert!(fix.contains("remote.SSH.connectTimeout") && fix.contains("above 21 s"));
        assert!(fix.contains("ControlMaster auto"));
        assert_eq!(f.subject, Subject::Host { host: "box".into() });
    }

    #[test]
    fn the_slower_of_the_probe_and_the_system_ssh_is_what_counts() {
        assert!(findings(&target(), &facts(&[("banner", 100)], Some(15_001))).len() == 1);
        assert!(findings(&target(), &facts(&[("banner", 15_000)], Some(900))).is_empty());
        assert!(findings(&target(), &facts(&[], None)).is_empty());
    }

    #[test]
    fn the_direct_stages_are_resolution_tcp_banner_key_exchange_and_authentication() {
        let mut p =
            crate::remote::probe::live_probe_timed_out(&target(), std::time::Duration::ZERO);
        p.failure = None;
        p.resolve_ms = Some(1);
        p.connect_ms = Some(2);
        p.banner_ms = Some(3);
        p.handshake_ms = Some(10);
        p.auth_ms = Some(5);
        let names: Vec<(String, u64)> = probe_stages(&p)
            .into_iter()
            .map(|s| (s.name, s.ms))
            .collect();
        assert_eq!(
            names,
            [
                ("name resolution".to_string(), 1),
                ("TCP connect".to_string(), 2),
                ("banner".to_string(), 3),
                ("key exchange".to_string(), 7),
                ("authentication".to_string(), 5)
            ]
        );
        p.route = Route::ProxyJump {
            hops: vec!["a".into(), "b".into()],
        };
        assert_eq!(probe_stages(&p)[0].name, "jump through a → b to the banner");
    }

    #[test]
    fn connections_on_different_machines_are_a_warning_with_controlmaster_as_the_fix() {
        let mut c = facts(&[], None);
        c.probe_landed = Some(landing(Some("1"), Some("login1")));
        c.session_landed = Some(landing(Some("2"), Some("login2")));
        let found = findings(&target(), &c);
        assert_eq!(codes(&found), ["RMT041"]);
        assert_eq!(found[0].severity, Severity::Warning);
        let detail = found[0].detail.as_deref().unwrap_or_default();
        assert!(detail.contains("host name login1, machine id 1"));
        assert!(detail.contains("host name login2, machine id 2"));
        assert!(found[0].fix().unwrap().title.contains("ControlMaster auto"));
        c.session_landed = c.probe_landed.clone();
        assert!(findings(&target(), &c).is_empty());
    }
}
