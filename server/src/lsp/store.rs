//! Diagnostics from several producers (the health run, each open SSH config)
//! merged per file, so one producer's update never wipes another's.

use std::collections::{BTreeMap, BTreeSet};

use tower_lsp_server::ls_types::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Producer {
    Health,
    /// Lint of the SSH config at this URI (and the files it includes).
    Ssh(String),
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

    /// Every producer's diagnostics for `uri`, duplicates dropped.
    pub fn merged(&self, uri: &str) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = Vec::new();
        for diagnostics in self.by_uri.get(uri).into_iter().flat_map(|p| p.values()) {
            for d in diagnostics {
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

    #[test]
    fn producers_do_not_clear_each_other() {
        let mut store = DiagnosticsStore::default();
        store.replace(
            Producer::Health,
            BTreeMap::from([("a".to_string(), vec![diag("h")])]),
        );
        store.replace(
            Producer::Ssh("c".into()),
            BTreeMap::from([("a".to_string(), vec![diag("s")])]),
        );
        assert_eq!(store.merged("a").len(), 2);
        let changed = store.replace(Producer::Health, BTreeMap::new());
        assert_eq!(changed, ["a"]);
        assert_eq!(store.merged("a")[0].message, "s");
    }

    #[test]
    fn identical_diagnostics_from_two_producers_show_once() {
        let mut store = DiagnosticsStore::default();
        store.replace(
            Producer::Health,
            BTreeMap::from([("a".to_string(), vec![diag("same")])]),
        );
        store.replace(
            Producer::Ssh("c".into()),
            BTreeMap::from([("a".to_string(), vec![diag("same")])]),
        );
        assert_eq!(store.merged("a").len(), 1);
    }
}
