//! Diagnostics from several producers (the health run, each open SSH config)
//! merged per file, so one producer's update never wipes another's.

use std::collections::{BTreeMap, BTreeSet};

use tower_lsp_server::ls_types::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Producer {
    Health,
    /// Lint of the SSH config at this URI (and the files it includes).
    Ssh(String),
    /// golangci-lint / go vet results for the Go package in this directory.
    Lint(std::path::PathBuf),
    /// The last remote check of this host (on its Host line).
    Remote(String),
}

#[derive(Debug, Default)]
pub struct DiagnosticsStore {
    by_uri: BTreeMap<String, BTreeMap<Producer, Vec<Diagnostic>>>,
}

impl DiagnosticsStore {
    /// Replaces everything `producer` said; returns the URIs whose merged
    /// diagnostics may have changed (to publish, possibly as empty lists).
    pub fn replace(
        &mut self,
        producer: Producer,
        new: BTreeMap<String, Vec<Diagnostic>>,
    ) -> Vec<String> {
        let mut changed: BTreeSet<String> = BTreeSet::new();
        for (uri, producers) in self.by_uri.iter_mut() {
            if !new.contains_key(uri) && producers.remove(&producer).is_some() {
                changed.insert(uri.clone());
            }
        }
        for (uri, diagnostics) in new {
            self.by_uri
                .entry(uri.clone())
                .or_default()
                .insert(producer.clone(), diagnostics);
            changed.insert(uri);
        }
        self.by_uri.retain(|_, producers| !producers.is_empty());
        changed.into_iter().collect()
    }

    /// The package directories that have lint diagnostics now.
    pub fn lint_dirs(&self) -> BTreeSet<std::path::PathBuf> {
        self.by_uri
            .values()
            .flat_map(|producers| producers.keys())
            .filter_map(|p| match p {
                Producer::Lint(dir) => Some(dir.clone()),
                _ => None,
            })
            .collect()
    }

    /// Every producer's diagnostics for `uri`, duplicates dropped. A file an
    /// open SSH config's live lint covers takes its SSH findings from there,
    /// not from the (older) health run.
    pub fn merged(&self, uri: &str) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = Vec::new();
        let Some(producers) = self.by_uri.get(uri) else {
            return out;
        };
        let live_ssh = producers.keys().any(|p| matches!(p, Producer::Ssh(_)));
        for (producer, diagnostics) in producers {
            for d in diagnostics {
                let ssh_code = matches!(&d.code, Some(tower_lsp_server::ls_types::NumberOrString::String(c)) if c.starts_with("SSH"));
                if live_ssh && *producer == Producer::Health && ssh_code {
                    continue;
                }
                let duplicate = out
                    .iter()
                    .any(|o| o.range == d.range && o.code == d.code && o.message == d.message);
                if !duplicate {
                    out.push(d.clone());
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(message: &str) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            ..Diagnostic::default()
        }
    }

    /// One file's diagnostics, as a producer hands them over.
    fn on(file: &str, diagnostics: Vec<Diagnostic>) -> BTreeMap<String, Vec<Diagnostic>> {
        BTreeMap::from([(file.to_string(), diagnostics)])
    }

    #[test]
    fn producers_do_not_clear_each_other() {
        let mut store = DiagnosticsStore::default();
        store.replace(Producer::Health, on("a", vec![diag("h")]));
        store.replace(Producer::Ssh("c".into()), on("a", vec![diag("s")]));
        assert_eq!(store.merged("a").len(), 2);
        let changed = store.replace(Producer::Health, BTreeMap::new());
        assert_eq!(changed, ["a"]);
        assert_eq!(store.merged("a")[0].message, "s");
    }

    #[test]
    fn live_ssh_lint_replaces_the_health_runs_ssh_findings_on_its_files() {
        let mut store = DiagnosticsStore::default();
        let coded = |m: &str, code: &str| Diagnostic {
            message: m.into(),
            code: Some(tower_lsp_server::ls_types::NumberOrString::String(
                code.into(),
            )),
            ..Diagnostic::default()
        };
        store.replace(Producer::Health, on("c", vec![coded("old", "SSH000")]));
        assert_eq!(store.merged("c").len(), 1);
        store.replace(
            Producer::Ssh("c".into()),
            on("c", vec![coded("new", "SSH001")]),
        );
        let merged = store.merged("c");
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].message, "new");
    }

    #[test]
    fn identical_diagnostics_from_two_producers_show_once() {
        let mut store = DiagnosticsStore::default();
        store.replace(Producer::Health, on("a", vec![diag("same")]));
        store.replace(Producer::Ssh("c".into()), on("a", vec![diag("same")]));
        assert_eq!(store.merged("a").len(), 1);
    }
}
