//! The `go` and `toolchain` directives of go.mod and go.work files, with the
//! place each stands, so findings can point at the right line.

use std::path::{Path, PathBuf};

use crate::finding::Range;

use crate::text::line_range;

/// One `go 1.N` or `toolchain goN` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// `go` or `toolchain`.
    pub keyword: &'static str,
    /// The argument as written.
    pub value: String,
    /// The range of the argument.
    pub range: Range,
}

/// Finds the `go` and `toolchain` directives of a go.mod or go.work text.
/// Comments are ignored; directives inside blocks are not these two, so a
/// line-based read is exact for them.
pub fn directives(text: &str) -> Vec<Directive> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let trimmed = code.trim_start();
        let indent = code.len() - trimmed.len();
        for keyword in ["go", "toolchain"] {
            let Some(rest) = trimmed.strip_prefix(keyword) else {
                continue;
            };
            if !rest.starts_with([' ', '\t']) {
                continue;
            }
            let value = rest.trim();
            if value.is_empty() {
                continue;
            }
            let start = indent + keyword.len() + (rest.len() - rest.trim_start().len());
            found.push(Directive {
                keyword,
                value: value.to_string(),
                range: line_range(index, line, start, start + value.len()),
            });
        }
    }
    found
}

/// Directories never searched for modules: VCS data, dependencies, test data.
const SKIPPED_DIRS: &[&str] = &["node_modules", "vendor", "testdata", "target"];
const MAX_DEPTH: usize = 6;
const MAX_FILES: usize = 500;

/// Every go.mod and go.work under `root`, nearest first, bounded in depth and
/// count so a huge tree cannot stall a check.
pub fn module_files(root: &Path) -> Vec<PathBuf> {
    module_files_within(root, MAX_DEPTH, MAX_FILES)
}

/// [`module_files`] with the bounds given: `max_depth` directory levels below
/// `root`, at most `max_files` files.
pub fn module_files_within(root: &Path, max_depth: usize, max_files: usize) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut level = vec![root.to_path_buf()];
    for _ in 0..=max_depth {
        let mut next = Vec::new();
        for dir in level {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut entries: Vec<_> = entries.flatten().collect();
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_dir() {
                    if !name.starts_with('.') && !SKIPPED_DIRS.contains(&name.as_ref()) {
                        next.push(entry.path());
                    }
                } else if (name == "go.mod" || name == "go.work") && found.len() < max_files {
                    found.push(entry.path());
                }
            }
        }
        level = next;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Position;
    use crate::fsread::testing::tree;

    #[test]
    fn finds_go_and_toolchain_with_their_ranges() {
        let text = "module example.com/m\n\ngo 1.22.0 // minimum\n\ntoolchain go1.23.4\n";
        let found = directives(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].keyword, "go");
        assert_eq!(found[0].value, "1.22.0");
        assert_eq!(found[0].range.start, Position::new(2, 3));
        assert_eq!(found[0].range.end, Position::new(2, 9));
        assert_eq!(found[1].keyword, "toolchain");
        assert_eq!(found[1].value, "go1.23.4");
        assert_eq!(found[1].range.start, Position::new(4, 10));
    }

    #[test]
    fn ignores_comments_lookalikes_and_block_contents() {
        let text =
            "// go 1.99\ngopher 1.2\nrequire (\n\tgolang.org/x/tools v0.1.0\n)\n\tgo 1.21\r\n";
        let found = directives(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, "1.21");
        assert_eq!(found[0].range.start, Position::new(5, 4));
    }

    #[test]
    fn walks_the_tree_but_not_vendor_hidden_or_testdata() {
        let root = tree(&[
            ("go.work", "module m\n"),
            ("svc/go.mod", "module m\n"),
            ("vendor/x/go.mod", "module m\n"),
            (".git/go.mod", "module m\n"),
            ("svc/testdata/go.mod", "module m\n"),
        ]);
        let found: Vec<_> = module_files(root.path())
            .into_iter()
            .map(|p| p.strip_prefix(root.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(found, ["go.work", "svc/go.mod"]);
    }
}
