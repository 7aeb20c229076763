//! The wire types of a remote check (`gord remote check --format json`, and
//! the future `gord/remote/check` request): camelCase, optional parts omitted.

use serde::{Deserialize, Serialize};

use super::script::RemoteFacts;
use super::target::Target;
use crate::check::Status;
use crate::finding::{Finding, Fix, Severity, Subject};

/// Where the live probe stopped, when it did not get through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ProbeStage {
    Resolve,
    Connect,
    ProxyJump,
    Banner,
    HostKey,
    Auth,
}

/// The host key against the user's known_hosts files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum KnownHostState {
    Match,
    /// No entry for this host (ssh would ask, or refuse in BatchMode).
    Unknown,
    /// An entry exists with a different key: possibly an attack.
    Changed,
    /// The files could not be checked.
    NotChecked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostKeyFacts {
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`.
    pub key_type: String,
    /// As OpenSSH prints it: `SHA256:` and unpadded base64.
    pub fingerprint: String,
    pub known: KnownHostState,
    /// The known_hosts files that exist and were read.
    pub files_read: Vec<String>,
    /// The name looked up (HostKeyAlias, else `host` or `[host]:port`).
    pub lookup_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "result")]
pub enum AuthOutcome {
    /// Logged in; `with` says how (`agent key "me@laptop"`, `~/.ssh/id_ed25519`).
    Succeeded {
        with: String,
    },
    /// Every key tried was refused (or there was none to try).
    Failed {
        tried: Vec<String>,
    },
    NotTried {
        reason: String,
    },
}

/// How the probe reached the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Route {
    Direct,
    /// Through `ssh -W host:port` to the last hop (earlier hops as `-J`).
    ProxyJump {
        hops: Vec<String>,
    },
    /// A ProxyCommand: gord does not run it; only the system ssh checks apply.
    ProxyCommand,
}

/// What the ssh2 (libssh2) live probe saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeFacts {
    pub route: Route,
    pub addresses: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolve_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_ms: Option<u64>,
    /// The server's identification line, `SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banner: Option<String>,
    /// The software part of the banner, `OpenSSH_9.2p1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_version: Option<String>,
    /// From the connection (direct) or the jump's start (ProxyJump) to the
    /// server's first byte.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banner_ms: Option<u64>,
    /// The banner and the key exchange (libssh2's handshake).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handshake_ms: Option<u64>,
    /// Asking for the methods and logging in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_key: Option<HostKeyFacts>,
    /// What the server offers (`publickey`, `password`, ...); asked only
    /// when no key logged in (empty otherwise: the question is a round trip).
    pub auth_methods: Vec<String>,
    pub auth: AuthOutcome,
    /// Keys gord skipped because they have a passphrase and no agent holds them.
    pub encrypted_keys: Vec<String>,
    /// Whether sshd lets the session open a TCP forward (tried when logged in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarding: Option<Forwarding>,
    /// Where this connection landed (when logged in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landed: Option<super::connect::Landing>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<ProbeFailure>,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeFailure {
    pub stage: ProbeStage,
    pub message: String,
}

/// TCP forwarding through the host (what Remote-SSH's tunnel needs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "result")]
pub enum Forwarding {
    Works,
    /// sshd answered `administratively prohibited`.
    Refused {
        message: String,
    },
    Unknown {
        message: String,
    },
}

/// ControlMaster: is a master live, and what a second connection costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ControlFacts {
    pub control_master: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_path: Option<String>,
    pub control_persist: String,
    /// `ssh -O check` found a master before gord connected.
    pub master_was_live: bool,
    /// `ssh -O check`'s own words.
    pub check_message: String,
    /// The first connection (gord's master logging in) and a second one
    /// over it (a session through the master: what ControlMaster saves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_connection_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_connection_ms: Option<u64>,
}

/// Yes, no, or not known (not reached that far).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    Yes,
    No,
    Unknown,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Yes => "yes",
            Verdict::No => "no",
            Verdict::Unknown => "?",
        }
    }
}

/// The fleet table's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostSummary {
    pub reachable: Verdict,
    pub auth: Verdict,
    pub go_ready: Verdict,
    pub vscode_server_ready: Verdict,
    /// TCP connect (else the first `ssh HOST true`), in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_problem: Option<String>,
}

/// Everything learnt about one host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostReport {
    pub host: String,
    /// The settings used, from the resolved config (None when refused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe: Option<ProbeFacts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<ControlFacts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarding: Option<Forwarding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<RemoteFacts>,
    /// Why the remote script did not run or failed (ssh's own words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_error: Option<String>,
    /// The connect budget's stages, the handshakes made and where the
    /// connections landed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect: Option<super::connect::ConnectFacts>,
    /// About this host (`RMT001`…, each with a page in docs/rules); on the
    /// wire as `{code, status, message, detail, fix, fixes}` ([`wire`]).
    #[serde(with = "wire")]
    pub findings: Vec<Finding>,
    pub summary: HostSummary,
    pub status: Status,
    pub duration_ms: u64,
}

/// A run over several hosts, in the order asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetReport {
    pub version: String,
    pub hosts: Vec<HostReport>,
    pub duration_ms: u64,
}

impl HostReport {
    /// A report with no facts gathered (refused before anything ran, or
    /// built by hand): only the findings, the summary and the verdict.
    pub fn without_facts(
        host: &str,
        findings: Vec<Finding>,
        summary: HostSummary,
        status: Status,
        duration_ms: u64,
    ) -> Self {
        Self {
            host: host.to_string(),
            target: None,
            probe: None,
            control: None,
            forwarding: None,
            remote: None,
            remote_error: None,
            connect: None,
            findings,
            summary,
            status,
            duration_ms,
        }
    }

    /// This host's findings, each about the host (the wire leaves it out).
    pub fn findings_on_host(&self) -> Vec<Finding> {
        self.findings
            .iter()
            .map(|f| Finding {
                subject: Subject::Host {
                    host: self.host.clone(),
                },
                ..f.clone()
            })
            .collect()
    }
}

impl FleetReport {
    /// Every host's findings, each on its host (`gord remote check -f json|sarif`).
    pub fn findings(&self) -> Vec<Finding> {
        self.hosts
            .iter()
            .flat_map(HostReport::findings_on_host)
            .collect()
    }
}

/// The wire shape of a host's findings, as before findings had one model:
/// a status (`error`, `warning`) instead of a severity, the first fix as
/// `fix` (what the report's button applies) and every fix as `fixes`, and
/// no subject (the host report says which host).
mod wire {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{Finding, Fix, Severity, Status, Subject};
    use crate::check::wire::FixWire;

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct RemoteFindingWire {
        code: String,
        status: Status,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fix: Option<FixWire>,
        /// Every fix, the first one included (a reader of `fix` alone
        /// missed the advice after a settings edit).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        fixes: Vec<FixWire>,
    }

    pub fn serialize<S: Serializer>(findings: &[Finding], s: S) -> Result<S::Ok, S::Error> {
        let wire: Vec<RemoteFindingWire> = findings
            .iter()
            .map(|f| RemoteFindingWire {
                code: f.code.clone(),
                status: Status::from(f.severity),
                message: f.message.clone(),
                detail: f.detail.clone(),
                fix: f.fix().map(FixWire::from),
                fixes: f.fixes.iter().map(FixWire::from).collect(),
            })
            .collect();
        wire.serialize(s)
    }

    /// The host is not on the wire per finding (its report names it): a
    /// finding read back has the workspace as its subject until
    /// [`super::HostReport::findings_on_host`] puts it on its host, as every
    /// reader of a host's findings does.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Finding>, D::Error> {
        let wire = Vec::<RemoteFindingWire>::deserialize(d)?;
        Ok(wire
            .into_iter()
            .map(|w| {
                let severity = match w.status {
                    Status::Error => Severity::Error,
                    Status::Warning => Severity::Warning,
                    Status::Ok | Status::Skipped => Severity::Info,
                };
                let mut f =
                    Finding::new(w.code, severity, w.message, Subject::Workspace).with_rule_page();
                f.detail = w.detail;
                // `fixes` when the writer had it; `fix` alone from an older one.
                if w.fixes.is_empty() {
                    f.fixes.extend(w.fix.map(Fix::from));
                } else {
                    f.fixes.extend(w.fixes.into_iter().map(Fix::from));
                }
                f
            })
            .collect())
    }
}

/// Progress of a run, for a progress bar or `$/progress`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "event")]
pub enum Progress {
    HostStarted {
        host: String,
    },
    /// A step began on a host: `probe`, `control`, `script`, `forwarding`.
    Step {
        host: String,
        step: String,
    },
    HostFinished {
        host: String,
        done: usize,
        total: usize,
        status: Status,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fleets_findings_sit_on_their_host_with_their_command_fix() {
        let findings = crate::render::fleet::tests::fleet().findings();
        assert_eq!(findings.len(), 1);
        assert_eq!(
            findings[0].subject,
            Subject::Host {
                host: "db<1>".into()
            }
        );
        assert_eq!(findings[0].doc.as_deref(), Some("docs/rules/RMT009.md"));
        assert_eq!(
            findings[0].fixes[0].title,
            "Load it into your ssh-agent once"
        );
    }

    #[test]
    fn a_fleet_read_back_from_the_wire_has_the_same_findings_on_each_host() {
        // What the extension gets in `gord/report` and sends nowhere else;
        // a client written in Rust (the tests) reads it back like this.
        let fleet = crate::render::fleet::tests::fleet();
        let wire = serde_json::to_string(&fleet).unwrap();
        let read: FleetReport = serde_json::from_str(&wire).unwrap();
        assert_eq!(read.findings(), fleet.findings());
        assert_eq!(serde_json::to_string(&read).unwrap(), wire);
    }
}
