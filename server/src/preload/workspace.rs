//! Which build roots a workspace has: every go.work (its `use` lines name its
//! modules) and every go.mod no go.work uses. `go` commands run once per root.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Directories never searched: dependencies, test data, build output.
const MAX_DEPTH: usize = 8;
const MAX_FILES: usize = 1000;

/// Where `go` commands run for part of the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildRoot {
    pub dir: PathBuf,
    pub kind: RootKind,
    /// The module directories this root builds (one for a module root).
    pub modules: Vec<PathBuf>,
    /// The workspace folder the walk started from: a go.mod or go.work in it
    /// must not lead out of it (see [`crate::fsread::read_module_file`]).
    pub workspace: PathBuf,
}

impl BuildRoot {
    /// The text of this root's go.work, or of `module`'s go.mod; empty when
    /// it cannot be read (missing, not a regular file, too large, a symlink
    /// out of the workspace), which the `go` commands then report.
    pub fn read_module_file(&self, path: &Path) -> Option<String> {
        match crate::fsread::read_module_file(path, &self.workspace) {
            Ok(text) => Some(text),
            Err(e) => {
                if !e.is_not_found() {
                    tracing::warn!("{e}");
                }
                None
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RootKind {
    /// A go.work: go runs in its directory with GOWORK unset.
    Work,
    /// A go.mod no go.work uses: go runs with GOWORK=off.
    Module,
}

impl BuildRoot {
    /// `GOWORK` for commands in this root: off for a lone module, so a go.work
    /// further up that does not use it cannot get in the way.
    pub fn gowork(&self) -> &'static str {
        match self.kind {
            RootKind::Work => "",
            RootKind::Module => "off",
        }
    }
}

/// The directories a go.work's `use` directives name, as written (relative
/// paths stay relative). Accepts `use ./a` and `use ( ./a \n ./b )`, quoted
/// paths and `//` comments.
pub fn parse_go_work_uses(text: &str) -> Vec<String> {
    directive_args(text, "use")
        .iter()
        .filter_map(|arg| words(arg).into_iter().next())
        .collect()
}

/// The argument text of every `keyword` directive of a go.mod/go.work, in
/// both the one-line and the block form, comments removed.
pub fn directive_args(text: &str, keyword: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        let code = strip_comment(line).trim();
        if in_block {
            if code.starts_with(')') {
                in_block = false;
            } else if !code.is_empty() {
                args.push(code.to_string());
            }
            continue;
        }
        let Some(rest) = code.strip_prefix(keyword) else {
            continue;
        };
        if !rest.starts_with([' ', '\t', '(']) {
            continue;
        }
        let rest = rest.trim_start();
        match rest.strip_prefix('(') {
            Some(inner) => match inner.trim().strip_suffix(')') {
                Some(one) if !one.trim().is_empty() => args.push(one.trim().to_string()),
                Some(_) => {}
                None => {
                    in_block = true;
                    if !inner.trim().is_empty() {
                        args.push(inner.trim().to_string());
                    }
                }
            },
            None if !rest.is_empty() => args.push(rest.to_string()),
            None => {}
        }
    }
    args
}

/// A module at a version: `require` lines, download sets, cache lookups.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ModuleVersion {
    pub path: String,
    pub version: String,
}

impl ModuleVersion {
    pub fn id(&self) -> String {
        format!("{}@{}", self.path, self.version)
    }
}

/// One `replace` line: `old [v] => new [v]`; no new version means a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replace {
    pub old: String,
    pub old_version: Option<String>,
    pub new: String,
    pub new_version: Option<String>,
}

/// The `require` lines of a go.mod.
pub fn parse_go_mod_requires(text: &str) -> Vec<ModuleVersion> {
    directive_args(text, "require")
        .iter()
        .filter_map(|arg| {
            let mut words = words(arg).into_iter();
            Some(ModuleVersion {
                path: words.next()?,
                version: words.next()?,
            })
        })
        .collect()
}

/// The `replace` lines of a go.mod or go.work.
pub fn parse_replaces(text: &str) -> Vec<Replace> {
    directive_args(text, "replace")
        .iter()
        .filter_map(|arg| {
            let (old, new) = arg.split_once("=>")?;
            let mut old = words(old).into_iter();
            let mut new = words(new).into_iter();
            Some(Replace {
                old: old.next()?,
                old_version: old.next(),
                new: new.next()?,
                new_version: new.next(),
            })
        })
        .collect()
}

fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            out.push(quoted[..end].to_string());
            rest = quoted.get(end + 1..).unwrap_or("").trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            rest = rest[end..].trim_start();
        }
    }
    out
}

/// The `module` path of a go.mod, if it has one.
pub fn parse_module_path(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = strip_comment(line).trim().strip_prefix("module")?;
        rest.starts_with([' ', '\t'])
            .then(|| first_word(rest.trim()))
            .flatten()
    })
}

fn strip_comment(line: &str) -> &str {
    match line.find("//") {
        Some(at) => &line[..at],
        None => line,
    }
}

/// The first word of a directive's argument; a quoted one is unquoted.
fn first_word(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some(quoted) = text.strip_prefix('"') {
        return quoted.find('"').map(|end| quoted[..end].to_string());
    }
    if let Some(quoted) = text.strip_prefix('`') {
        return quoted.find('`').map(|end| quoted[..end].to_string());
    }
    text.split_whitespace()
        .next()
        .filter(|w| *w != "(" && *w != ")")
        .map(str::to_string)
}

/// Every go.mod and go.work under `root` (the walk `gord check` makes, a
/// little deeper): the go.mod files, then the go.work files.
pub fn find_module_files(root: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    crate::goenv::gomod::module_files_within(root, MAX_DEPTH, MAX_FILES)
        .into_iter()
        .partition(|p| p.file_name().is_some_and(|n| n == "go.mod"))
}

/// The build roots of a workspace: each go.work with the modules it uses, then
/// each module no go.work uses.
pub fn build_roots(root: &Path) -> Vec<BuildRoot> {
    let (mods, works) = find_module_files(root);
    let mut used = BTreeSet::new();
    let mut roots = Vec::new();
    for work in works {
        let Some(dir) = work.parent() else { continue };
        let text = match crate::fsread::read_module_file(&work, root) {
            Ok(text) => text,
            Err(e) => {
                tracing::warn!("{e}");
                String::new()
            }
        };
        let modules: Vec<PathBuf> = parse_go_work_uses(&text)
            .iter()
            .map(|rel| normalise(&dir.join(rel)))
            .collect();
        used.extend(modules.iter().cloned());
        roots.push(BuildRoot {
            dir: dir.to_path_buf(),
            kind: RootKind::Work,
            modules,
            workspace: root.to_path_buf(),
        });
    }
    for module in mods {
        let Some(dir) = module.parent() else { continue };
        let dir = normalise(dir);
        if !used.contains(&dir) {
            roots.push(BuildRoot {
                dir: dir.clone(),
                kind: RootKind::Module,
                modules: vec![dir],
                workspace: root.to_path_buf(),
            });
        }
    }
    roots
}

/// `a/./b/../c` → `a/c`, without touching the file system (symlinks are not
/// resolved, as go does not resolve them in `use` lines either).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fsread::testing::tree;

    #[test]
    fn go_work_use_lines_in_both_forms_with_comments_and_quotes() {
        let text = "go 1.22\n\nuse ./tools // the tools\nuse (\n\t./api\n\t\"./with space\"\n\t// ./commented\n)\nuse (./one)\n";
        assert_eq!(
            parse_go_work_uses(text),
            ["./tools", "./api", "./with space", "./one"]
        );
        assert!(parse_go_work_uses("useful ./x\n").is_empty());
    }

    #[test]
    fn go_mod_requires_in_both_forms() {
        let text = "module example.com/a\n\nrequire example.com/one v1.0.0\nrequire (\n\texample.com/two v1.2.0 // indirect\n\t\"example.com/three\" v0.1.0\n)\nreplace example.com/one => ../one\n";
        let paths: Vec<String> = parse_go_mod_requires(text)
            .into_iter()
            .map(|m| m.id())
            .collect();
        assert_eq!(
            paths,
            [
                "example.com/one@v1.0.0",
                "example.com/two@v1.2.0",
                "example.com/three@v0.1.0"
            ]
        );
        assert_eq!(
            parse_replaces(text),
            [Replace {
                old: "example.com/one".into(),
                old_version: None,
                new: "../one".into(),
                new_version: None
            }]
        );
        let both = "replace (\n\ta v1.0.0 => b v1.1.0\n)\nreplace c => d v2.0.0\n";
        assert_eq!(parse_replaces(both).len(), 2);
        assert_eq!(
            parse_replaces(both)[1].new_version.as_deref(),
            Some("v2.0.0")
        );
        assert_eq!(parse_module_path(text).as_deref(), Some("example.com/a"));
        assert_eq!(parse_module_path("modules x\n"), None);
    }

    #[test]
    fn a_go_work_claims_its_modules_and_lone_modules_are_roots_of_their_own() {
        let root = tree(&[
            ("go.work", "go 1.22\nuse (\n\t./api\n\t./cmd/../svc\n)\n"),
            ("api/go.mod", "module a\n"),
            ("svc/go.mod", "module s\n"),
            ("lone/go.mod", "module l\n"),
            ("vendor/v/go.mod", "module v\n"),
            ("svc/testdata/t/go.mod", "module t\n"),
            (".cache/go.mod", "module h\n"),
            ("web/node_modules/n/go.mod", "module n\n"),
        ]);
        let roots = build_roots(root.path());
        let shown: Vec<(String, RootKind, usize)> = roots
            .iter()
            .map(|r| {
                let rel = r
                    .dir
                    .strip_prefix(root.path())
                    .unwrap()
                    .display()
                    .to_string();
                (rel, r.kind, r.modules.len())
            })
            .collect();
        assert_eq!(
            shown,
            [
                (String::new(), RootKind::Work, 2),
                ("lone".to_string(), RootKind::Module, 1)
            ]
        );
        assert_eq!(roots[0].modules[1], root.path().join("svc"));
        assert_eq!(roots[1].gowork(), "off");
    }
}
