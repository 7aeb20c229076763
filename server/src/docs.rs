//! Where the rule pages (docs/rules/<ID>.md) are on this machine.

use std::path::{Path, PathBuf};

/// The directory holding `docs/rules/`: the extension's root when gord runs
/// from `<extension>/bin/gord`, the repository when it runs from
/// `target/<profile>/gord`, or `$GORD_DOCS_DIR` when set.
pub fn docs_root() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("GORD_DOCS_DIR") {
        return Some(PathBuf::from(dir));
    }
    let exe = std::env::current_exe().ok()?;
    exe.ancestors()
        .skip(1)
        .take(4)
        .find(|dir| dir.join("docs").join("rules").is_dir())
        .map(Path::to_path_buf)
}

/// The absolute path of a check's rule page, when the page is on disk.
pub fn rule_page(root: Option<&Path>, doc: &str) -> Option<PathBuf> {
    let page = root?.join(doc);
    page.is_file().then_some(page)
}
