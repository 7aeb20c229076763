//! Remote hosts in the editor, the pieces `gord/remote/hosts` and
//! `gord/remote/check` (handlers/) share: reading the Host lines, running
//! the check off the server's threads, each host's findings as diagnostics
//! on its Host line, and the fleet kept for the report.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tower_lsp_server::ls_types::{Diagnostic, Position, Range, Uri};

use super::diagnostics::{to_diagnostic, SOURCE};
use super::store::Producer;
use super::Backend;
use crate::check::Status;
use crate::finding::Subject;
use crate::remote::model::{FleetReport, HostReport, Progress};
use crate::remote::RemoteCheckOptions;
use crate::ssh::HostLine;

/// Hosts checked at the same time.
pub(super) const JOBS: usize = 8;

/// A host's findings as diagnostics on the Host line that names it (none
/// when no Host line names it literally), by file URI.
pub fn host_diagnostics(
    host: &HostReport,
    line: Option<&HostLine>,
    doc_uri: &dyn Fn(&str) -> Option<Uri>,
) -> BTreeMap<String, Vec<Diagnostic>> {
    let mut by_file = BTreeMap::new();
    let Some(line) = line else {
        return by_file;
    };
    let at = u32::try_from(line.line).unwrap_or(u32::MAX);
    let range = Range::new(
        Position::new(at, line.columns.0),
        Position::new(at, line.columns.1),
    );
    let diagnostics = host
        .findings
        .iter()
        .map(|finding| {
            // On the Host line, led by the host's name; advice is no code
            // action, so the message carries it (every piece of it: a
            // settings edit comes first and advice for the rest after).
            let mut shown = finding.clone();
            let advice: String = finding
                .fixes
                .iter()
                .filter(|f| f.command.is_none() && f.edits.is_empty())
                .map(|f| format!("\n{}", f.title))
                .collect();
            shown.message = format!("{}: {}{advice}", host.host, finding.message);
            shown.subject = Subject::file(&line.file, crate::lsp::diagnostics::from_range(range));
            to_diagnostic(&shown, SOURCE, doc_uri)
        })
        .collect();
    by_file.insert(crate::uri::file_uri(&line.file), diagnostics);
    by_file
}

/// `old` with `new`'s hosts replacing theirs (new hosts at the end).
pub fn merge_fleet(old: Option<FleetReport>, new: &FleetReport) -> FleetReport {
    let mut merged = old.unwrap_or_else(|| FleetReport {
        version: new.version.clone(),
        hosts: Vec::new(),
        duration_ms: 0,
    });
    for host in &new.hosts {
        match merged.hosts.iter_mut().find(|h| h.host == host.host) {
            Some(slot) => *slot = host.clone(),
            None => merged.hosts.push(host.clone()),
        }
    }
    merged.version = new.version.clone();
    merged.duration_ms = new.duration_ms;
    merged
}

/// `3 hosts: 1 error, 1 warning`
pub fn fleet_summary(fleet: &FleetReport) -> String {
    let count = |status| fleet.hosts.iter().filter(|h| h.status == status).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let (errors, warnings) = (count(Status::Error), count(Status::Warning));
    let hosts = plural(fleet.hosts.len(), "host");
    if errors + warnings == 0 {
        format!("{hosts}: all ready")
    } else {
        format!(
            "{hosts}: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}

pub(super) fn config_path(config: Option<String>) -> Option<PathBuf> {
    config.filter(|c| !c.is_empty()).map(PathBuf::from)
}

pub(super) async fn read_host_lines(
    config: Option<PathBuf>,
) -> std::result::Result<(PathBuf, Vec<HostLine>), String> {
    tokio::task::spawn_blocking(move || crate::ssh::host_lines(config.as_deref()))
        .await
        .map_err(|e| format!("reading the ssh config failed: {e}"))?
}

/// Runs the check on a thread of its own: its future is not `Send` (the
/// language server's handlers must be), and there it can still be dropped
/// at once. Dropping `stop` (or its sender) stops it; None when stopped.
pub(super) async fn run_check(
    hosts: Vec<String>,
    options: RemoteCheckOptions,
    events: tokio::sync::mpsc::UnboundedSender<Progress>,
    stop: tokio::sync::oneshot::Receiver<()>,
) -> Option<FleetReport> {
    let (done_tx, done) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name(String::from("gord-remote-check"))
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    tracing::error!("cannot start the remote check: {e}");
                    return;
                }
            };
            let on_event = move |event: Progress| {
                let _ = events.send(event);
            };
            let fleet = runtime.block_on(async {
                tokio::select! {
                    fleet = crate::remote::check_hosts(&hosts, &options, &on_event) => Some(fleet),
                    _ = stop => None,
                }
            });
            // A probe thread woken by its socket's shutdown needs no waiting for.
            runtime.shutdown_background();
            let _ = done_tx.send(fleet);
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start the remote check: {e}");
        return None;
    }
    done.await.ok().flatten()
}

impl Backend {
    /// Each checked host's diagnostics replace its earlier ones; other
    /// hosts' stay, and so do their rows in the kept fleet.
    pub(super) async fn publish_fleet(&self, fleet: &FleetReport, lines: &[HostLine]) {
        let mut changed = std::collections::BTreeSet::new();
        {
            let mut state = self.state.lock().await;
            for host in &fleet.hosts {
                let line = lines.iter().find(|l| l.host == host.host);
                let by_file = host_diagnostics(host, line, &super::doc_uri);
                changed.extend(
                    state
                        .diagnostics
                        .replace(Producer::Remote(host.host.clone()), by_file),
                );
            }
            state.fleet = Some(merge_fleet(state.fleet.take(), fleet));
        }
        self.send_diagnostics(changed.into_iter().collect()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, Fix, Severity};
    use crate::remote::model::{HostSummary, Verdict};
    use std::str::FromStr;
    use tower_lsp_server::ls_types::NumberOrString;

    fn uri(text: &str) -> Uri {
        Uri::from_str(text).unwrap()
    }

    fn host(name: &str, findings: Vec<Finding>) -> HostReport {
        let status = crate::finding::worst(&findings).map_or(Status::Ok, Status::from);
        let summary = HostSummary {
            reachable: Verdict::No,
            auth: Verdict::Unknown,
            go_ready: Verdict::Unknown,
            vscode_server_ready: Verdict::Unknown,
            latency_ms: None,
            first_problem: None,
        };
        HostReport::without_facts(name, findings, summary, status, 1)
    }

    fn finding(code: &str, fix: Fix) -> Finding {
        let web = Subject::Host { host: "web".into() };
        Finding::new(code, Severity::Error, "connection refused", web)
            .with_rule_page()
            .with_fix(fix)
    }

    fn line(host: &str) -> HostLine {
        HostLine {
            host: host.into(),
            file: "/home/me/.ssh/config".into(),
            line: 4,
            columns: (5, 8),
        }
    }

    #[test]
    fn findings_land_on_the_alias_in_its_host_line_with_code_link_and_fix() {
        let fix = Fix::run("Load it", ["ssh-add", "/k"]);
        let report = host("web", vec![finding("RMT003", fix.clone())]);
        let by_file = host_diagnostics(&report, Some(&line("web")), &|doc| {
            Some(uri(&format!("file:///docs/{doc}")))
        });
        let d = &by_file["file:///home/me/.ssh/config"][0];
        assert_eq!(
            d.range,
            Range::new(Position::new(4, 5), Position::new(4, 8))
        );
        assert_eq!(d.code, Some(NumberOrString::String("RMT003".into())));
        assert_eq!(
            d.code_description.as_ref().unwrap().href.as_str(),
            "file:///docs/docs/rules/RMT003.md"
        );
        assert_eq!(d.source.as_deref(), Some("gord"));
        assert_eq!(d.message, "web: connection refused");
        assert_eq!(super::super::diagnostics::fix_data(d).unwrap().fixes, [fix]);
    }

    #[test]
    fn advice_is_part_of_the_message_and_a_host_without_a_line_has_none() {
        let report = host("web", vec![finding("RMT003", Fix::advice("Start sshd"))]);
        let by_file = host_diagnostics(&report, Some(&line("web")), &|_| None);
        assert_eq!(
            by_file["file:///home/me/.ssh/config"][0].message,
            "web: connection refused\nStart sshd"
        );
        assert!(host_diagnostics(&report, None, &|_| None).is_empty());
    }

    #[test]
    fn a_settings_edit_is_data_and_the_advice_after_it_is_in_the_message() {
        let edit = Fix::edits(
            "Set `\"remote.SSH.useFlock\": false` in your VS Code user settings",
            vec![crate::finding::Edit {
                path: "/u/settings.json".into(),
                range: crate::finding::Range::default(),
                new_text: "{}".into(),
            }],
        );
        let mut f = finding("RMT030", edit.clone());
        f.fixes.push(Fix::advice("Move the Go caches"));
        let report = host("web", vec![f]);
        let by_file = host_diagnostics(&report, Some(&line("web")), &|_| None);
        let d = &by_file["file:///home/me/.ssh/config"][0];
        assert_eq!(d.message, "web: connection refused\nMove the Go caches");
        let data = super::super::diagnostics::fix_data(d).unwrap();
        assert_eq!(data.fixes[0], edit);
    }

    #[test]
    fn a_later_check_replaces_its_hosts_and_keeps_the_others() {
        let first = FleetReport {
            version: "0".into(),
            hosts: vec![host("a", vec![]), host("b", vec![])],
            duration_ms: 5,
        };
        let failing = host("b", vec![finding("RMT003", Fix::advice("x"))]);
        let second = FleetReport {
            version: "0".into(),
            hosts: vec![failing.clone(), host("c", vec![])],
            duration_ms: 7,
        };
        let merged = merge_fleet(Some(first), &second);
        let names: Vec<&str> = merged.hosts.iter().map(|h| h.host.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(merged.hosts[1], failing);
        assert_eq!(fleet_summary(&merged), "3 hosts: 1 error, 0 warnings");
    }
}
