//! `gord ssh fix`: the safe fixes of the SSH rules as edits per file, checked
//! for overlaps, shown as a diff and written through [`crate::edit`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::finding::{Finding, Fix, Range};

use crate::edit::{
    apply_edits, check_writable, write_file_atomically, EditError, WriteOptions, WriteOutcome,
};

/// The new text of one file and what produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePlan {
    pub path: PathBuf,
    pub original: String,
    pub new: String,
    /// `CODE: fix title` of every fix applied to this file.
    pub applied: Vec<String>,
}

/// Everything `gord ssh fix` would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixPlan {
    pub files: Vec<FilePlan>,
    /// Safe fixes left for the next run because they overlap one taken now.
    pub deferred: Vec<String>,
    /// Fixes that need the user: commands to run, or edits marked unsafe.
    pub manual: Vec<String>,
}

/// Plans the safe fixes among `findings`. `read` gives a file's current text
/// (None when it cannot be edited, e.g. it is not UTF-8).
pub fn plan(findings: &[Finding], read: &dyn Fn(&Path) -> Option<String>) -> FixPlan {
    let mut plan = FixPlan::default();
    let mut chosen: BTreeMap<PathBuf, Vec<(Range, String)>> = BTreeMap::new();
    let mut applied: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for finding in findings {
        let Some(fix) = finding.fix() else { continue };
        let Some((file, range)) = finding.file_range() else {
            continue;
        };
        let label = format!(
            "{} {}:{}: {}",
            finding.code,
            file.display(),
            range.start.line + 1,
            fix.title
        );
        if !fix.safe || fix.edits.is_empty() {
            plan.manual.push(manual_text(&label, fix));
            continue;
        }
        let overlaps = fix.edits.iter().any(|e| {
            chosen
                .get(&e.path)
                .is_some_and(|taken| taken.iter().any(|(r, _)| ranges_touch(r, &e.range)))
        });
        if overlaps {
            plan.deferred.push(label);
            continue;
        }
        for e in &fix.edits {
            chosen
                .entry(e.path.clone())
                .or_default()
                .push((e.range, e.new_text.clone()));
        }
        let files: std::collections::BTreeSet<&PathBuf> =
            fix.edits.iter().map(|e| &e.path).collect();
        for file in files {
            applied
                .entry(file.clone())
                .or_default()
                .push(format!("{}: {}", finding.code, fix.title));
        }
    }
    for (path, edits) in chosen {
        let Some(original) = read(&path) else {
            plan.manual.push(format!(
                "{}: not edited (unreadable or not UTF-8)",
                path.display()
            ));
            continue;
        };
        match apply_edits(&original, &edits) {
            Ok(new) if new != original => plan.files.push(FilePlan {
                applied: applied.remove(&path).unwrap_or_default(),
                path,
                original,
                new,
            }),
            Ok(_) => {}
            Err(e) => plan
                .manual
                .push(format!("{}: fixes not applied: {e}", path.display())),
        }
    }
    plan
}

/// Writes every file of `plan` through [`crate::edit`]: all of them are
/// checked for being read-only first, so a refusal writes nothing at all.
/// Stops at the first failure; the outcomes of the files written before it
/// come with the error, so the caller can say where their backups are.
pub fn write(
    plan: &FixPlan,
    options: &WriteOptions,
) -> Result<Vec<WriteOutcome>, (Vec<WriteOutcome>, EditError)> {
    for file in &plan.files {
        check_writable(&file.path, options.force).map_err(|e| (Vec::new(), e))?;
    }
    let mut done = Vec::new();
    for file in &plan.files {
        match write_file_atomically(
            &file.path,
            file.original.as_bytes(),
            file.new.as_bytes(),
            options,
        ) {
            Ok(outcome) => done.push(outcome),
            Err(e) => return Err((done, e)),
        }
    }
    Ok(done)
}

/// The line `gord ssh fix` prints for a file it wrote: where the backup is.
pub fn wrote_message(outcome: &WriteOutcome) -> String {
    let how = if outcome.in_place {
        " in place (it has other hard links)"
    } else {
        ""
    };
    match &outcome.backup {
        Some(backup) => format!(
            "wrote {}{how}; backup of the previous version: {}",
            outcome.target.display(),
            backup.display()
        ),
        None => format!("{}: unchanged", outcome.target.display()),
    }
}

fn manual_text(label: &str, fix: &Fix) -> String {
    match &fix.command {
        Some(argv) => format!("{label} (run: {})", crate::render::shell_words(argv)),
        None => format!("{label} (in the editor: quick fix)"),
    }
}

/// Whether two ranges overlap or touch at a point (two inserts at one place
/// would have no defined order).
fn ranges_touch(a: &Range, b: &Range) -> bool {
    let key = |p: crate::finding::Position| (p.line, p.character);
    key(a.start) <= key(b.end) && key(b.start) <= key(a.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::lint::tests::{lint_text, MISSPELT};

    #[test]
    fn plans_the_safe_edits_and_lists_the_rest() {
        let findings = lint_text(MISSPELT);
        let plan = plan(&findings, &|_: &Path| Some(MISSPELT.to_string()));
        let file = plan
            .files
            .iter()
            .find(|f| f.path == Path::new("/home/me/.ssh/config"))
            .unwrap();
        assert!(file.new.contains("  HostName x\n"), "{}", file.new);
        assert!(file
            .applied
            .iter()
            .any(|a| a.starts_with("SSH001: Change to HostName")));
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_run() {
        let a = Range::new(
            crate::finding::Position::new(0, 0),
            crate::finding::Position::new(0, 4),
        );
        let b = Range::new(
            crate::finding::Position::new(0, 2),
            crate::finding::Position::new(0, 6),
        );
        let c = Range::new(
            crate::finding::Position::new(1, 0),
            crate::finding::Position::new(1, 1),
        );
        assert!(ranges_touch(&a, &b));
        assert!(!ranges_touch(&a, &c));
    }

    #[test]
    fn unreadable_files_are_never_edited() {
        let findings = lint_text(MISSPELT);
        let plan = plan(&findings, &|_: &Path| None);
        assert!(plan.files.is_empty());
        assert!(plan.manual.iter().any(|m| m.contains("not edited")));
    }
}
