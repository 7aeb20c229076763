//! What the Markdown and HTML reports share about the "Remote hosts" area:
//! its title and anchor, the fleet table's headers and cells (host,
//! reachable, auth, Go ready, VS Code server ready, latency, first problem),
//! and the overview's status. Each format writes the area itself
//! (`markdown::fleet_area`, `html::fleet_area`); this module imports neither.

use crate::remote::model::{HostReport, Verdict};

pub const TITLE: &str = "Remote hosts";
pub const ANCHOR: &str = "area-remote-hosts";

pub const HEADERS: [&str; 7] = [
    "Host",
    "Reachable",
    "Auth",
    "Go ready",
    "VS Code server ready",
    "Latency",
    "First problem",
];

fn verdict(v: Verdict) -> String {
    match v {
        Verdict::Yes => String::from("✅ yes"),
        Verdict::No => String::from("❌ no"),
        Verdict::Unknown => String::from("?"),
    }
}

pub fn cells(host: &HostReport) -> [String; 6] {
    let s = &host.summary;
    [
        verdict(s.reachable),
        verdict(s.auth),
        verdict(s.go_ready),
        verdict(s.vscode_server_ready),
        s.latency_ms
            .map_or(String::from("-"), |ms| format!("{ms} ms")),
        s.first_problem.clone().unwrap_or_else(|| String::from("-")),
    ]
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::check::Status;
    use crate::finding::{Finding, Fix, Severity, Subject};
    use crate::remote::model::{FleetReport, HostSummary};

    /// Two hosts: one ready, one whose key agent needs a key loaded.
    pub fn fleet() -> FleetReport {
        let summary = |ready: Verdict, problem: Option<&str>| HostSummary {
            reachable: Verdict::Yes,
            auth: ready,
            go_ready: ready,
            vscode_server_ready: ready,
            latency_ms: Some(3),
            first_problem: problem.map(String::from),
        };
        let host = |name: &str, status, findings, summary| {
            HostReport::without_facts(name, findings, summary, status, 9)
        };
        FleetReport {
            version: "0.1.0".into(),
            hosts: vec![
                host("web", Status::Ok, vec![], summary(Verdict::Yes, None)),
                host(
                    "db<1>",
                    Status::Error,
                    vec![Finding::new(
                        "RMT009",
                        Severity::Error,
                        "the key needs its passphrase",
                        Subject::Host {
                            host: "db<1>".into(),
                        },
                    )
                    .with_rule_page()
                    .with_fix(Fix::run(
                        "Load it into your ssh-agent once",
                        ["ssh-add", "/k"],
                    ))],
                    summary(Verdict::No, Some("RMT009 the key needs its passphrase")),
                ),
            ],
            duration_ms: 12,
        }
    }
}
