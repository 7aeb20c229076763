//! Which share of the health checks a sidecar runs. In a window where both
//! parts of the extension run (the UI part on the user's own computer, the
//! workspace part beside the code), each starts a sidecar and asks for its
//! share through `initializationOptions.part`, so no check runs twice and
//! each runs on the machine it is about: the SSH area (the config Remote-SSH
//! uses, its settings, the ssh it runs) on the UI part's machine, every
//! other area beside the code. Without the option (one part alone, the CLI)
//! a sidecar runs every check, as before the split.

use std::sync::Arc;

use serde_json::Value;

use crate::check::{Area, Check};

/// The share of the checks a sidecar runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Part {
    /// Every check: one part alone in its window, or the CLI.
    #[default]
    Whole,
    /// The UI part's share: the SSH area.
    Ui,
    /// The workspace part's share beside a UI part: every area but SSH.
    Workspace,
}

impl Part {
    /// The `part` initialization option: `"ui"`, `"workspace"`; anything
    /// else (omitted, another value) is the whole catalogue, so a missing or
    /// unknown option never loses a check. The second value names an
    /// unknown value, for the log.
    pub fn of_option(value: Option<&Value>) -> (Part, Option<String>) {
        match value {
            None | Some(Value::Null) => (Part::Whole, None),
            Some(Value::String(s)) if s == "ui" => (Part::Ui, None),
            Some(Value::String(s)) if s == "workspace" => (Part::Workspace, None),
            Some(other) => (Part::Whole, Some(other.to_string())),
        }
    }

    /// Whether this part runs the checks of `area`.
    pub fn runs(self, area: Area) -> bool {
        match self {
            Part::Whole => true,
            Part::Ui => area == Area::Ssh,
            Part::Workspace => area != Area::Ssh,
        }
    }

    /// The checks of this part, in report order.
    pub fn catalogue(self) -> Vec<Arc<dyn Check>> {
        crate::catalogue()
            .into_iter()
            .filter(|c| self.runs(c.area()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_two_names_choose_a_share_and_anything_else_runs_everything() {
        assert_eq!(Part::of_option(Some(&json!("ui"))), (Part::Ui, None));
        assert_eq!(
            Part::of_option(Some(&json!("workspace"))),
            (Part::Workspace, None)
        );
        assert_eq!(Part::of_option(None), (Part::Whole, None));
        assert_eq!(Part::of_option(Some(&Value::Null)), (Part::Whole, None));
        assert_eq!(
            Part::of_option(Some(&json!("UI"))),
            (Part::Whole, Some(String::from("\"UI\"")))
        );
        assert_eq!(
            Part::of_option(Some(&json!(1))),
            (Part::Whole, Some(String::from("1")))
        );
    }

    #[test]
    fn the_two_shares_split_the_catalogue_without_overlap_or_gap() {
        let ids =
            |part: Part| -> Vec<&'static str> { part.catalogue().iter().map(|c| c.id()).collect() };
        let (whole, ui, workspace) = (ids(Part::Whole), ids(Part::Ui), ids(Part::Workspace));
        assert_eq!(ui, ["SSH000", "SSH040", "SSH050"]);
        assert!(workspace.iter().all(|id| !ui.contains(id)));
        let mut both: Vec<&str> = ui.iter().chain(workspace.iter()).copied().collect();
        both.sort_unstable();
        let mut all = whole.clone();
        all.sort_unstable();
        assert_eq!(both, all);
    }
}
