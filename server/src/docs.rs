//! Where the rule pages (docs/rules/<ID>.md) are on this machine.

use std::path::{Path, PathBuf};

/// The directory holding `docs/rules/`: the extension's root when gord runs
/// from `<extension>/bin/gord`, the repository when it runs from
/// `target/<profile>/gord`, or `$GORD_DOCS_DIR` when set. A debug build whose
/// target directory is elsewhere (`CARGO_TARGET_DIR`, as CI has it) finds the
/// pages in the source tree it was built from.
pub fn docs_root() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("GORD_DOCS_DIR") {
        return Some(PathBuf::from(dir));
    }
    let exe = std::env::current_exe().ok()?;
    let beside_exe = exe
        .ancestors()
        .skip(1)
        .take(4)
        .find(|dir| has_rule_pages(dir))
        .map(Path::to_path_buf);
    beside_exe.or_else(source_tree)
}

fn has_rule_pages(dir: &Path) -> bool {
    dir.join("docs").join("rules").is_dir()
}

/// The repository this debug build was compiled from, when it is still there.
/// Release builds (the sidecars that ship) never look outside their extension.
fn source_tree() -> Option<PathBuf> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent()?;
    has_rule_pages(repo).then(|| repo.to_path_buf())
}

/// The absolute path of a check's rule page, when the page is on disk.
pub fn rule_page(root: Option<&Path>, doc: &str) -> Option<PathBuf> {
    let page = root?.join(doc);
    page.is_file().then_some(page)
}
