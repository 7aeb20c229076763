//! What to lint for a saved file: the module it belongs to (where the linter
//! runs) and its package, as a pattern relative to the module root.

use std::path::{Component, Path, PathBuf};

/// The nearest directory at or above `dir` that holds a go.mod; else `dir`
/// itself (a file outside any module is linted where it is).
pub fn module_root(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join("go.mod").is_file())
        .unwrap_or(dir)
        .to_path_buf()
}

/// The package pattern of `dir` inside `root`: `.` or `./a/b`, exactly that
/// package and none below it. None when `dir` is not inside `root`.
pub fn package_pattern(root: &Path, dir: &Path) -> Option<String> {
    let relative = dir.strip_prefix(root).ok()?;
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let text = relative.to_str()?;
    Some(if text.is_empty() {
        ".".to_string()
    } else {
        format!("./{text}")
    })
}

/// Every package at or below `dir` inside `root`: `./a/...` or `./...`.
pub fn tree_pattern(root: &Path, dir: &Path) -> Option<String> {
    let package = package_pattern(root, dir)?;
    Some(if package == "." {
        "./...".to_string()
    } else {
        format!("{package}/...")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_module_root_is_the_nearest_go_mod() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("m");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("go.mod"), "module m\n").unwrap();
        assert_eq!(module_root(&root.join("a/b")), root);
        assert_eq!(module_root(tmp.path()), tmp.path());
    }

    #[test]
    fn patterns_name_exactly_the_package_or_its_tree() {
        let root = Path::new("/m");
        assert_eq!(package_pattern(root, Path::new("/m")).as_deref(), Some("."));
        assert_eq!(
            package_pattern(root, Path::new("/m/a/b")).as_deref(),
            Some("./a/b")
        );
        assert_eq!(package_pattern(root, Path::new("/elsewhere")), None);
        assert_eq!(
            tree_pattern(root, Path::new("/m")).as_deref(),
            Some("./...")
        );
        assert_eq!(
            tree_pattern(root, Path::new("/m/a")).as_deref(),
            Some("./a/...")
        );
    }
}

/// Modules and the package patterns to lint in each, from command-line
/// paths: a directory means its package, a file its directory's package,
/// `dir/...` every package below `dir`. Relative paths are taken from `cwd`.
pub fn targets_from_paths(
    paths: &[String],
    cwd: &Path,
) -> Result<std::collections::BTreeMap<PathBuf, Vec<String>>, String> {
    let mut targets: std::collections::BTreeMap<PathBuf, Vec<String>> = Default::default();
    let defaults = [String::from("./...")];
    let paths = if paths.is_empty() {
        &defaults[..]
    } else {
        paths
    };
    for raw in paths {
        let (dir_text, recursive) = match raw
            .strip_suffix("/...")
            .or_else(|| (raw == "...").then_some(""))
        {
            Some(dir) => (if dir.is_empty() { "." } else { dir }, true),
            None => (raw.as_str(), false),
        };
        let given = cwd.join(dir_text);
        let resolved = given.canonicalize().map_err(|e| format!("{raw}: {e}"))?;
        let dir = if resolved.is_file() {
            if recursive {
                return Err(format!("{raw}: `/...` needs a directory"));
            }
            resolved
                .parent()
                .map(Path::to_path_buf)
                .ok_or_else(|| format!("{raw}: has no directory"))?
        } else {
            resolved
        };
        let root = module_root(&dir);
        let pattern = if recursive {
            tree_pattern(&root, &dir)
        } else {
            package_pattern(&root, &dir)
        }
        .ok_or_else(|| format!("{raw}: not inside its module {}", root.display()))?;
        let list = targets.entry(root).or_default();
        if !list.contains(&pattern) {
            list.push(pattern);
        }
    }
    Ok(targets)
}

#[cfg(test)]
mod path_tests {
    use super::*;

    #[test]
    fn command_line_paths_become_modules_and_patterns() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap().join("m");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("go.mod"), "module m\n").unwrap();
        std::fs::write(root.join("a/x.go"), "package a\n").unwrap();
        let targets =
            targets_from_paths(&["a/x.go".into(), "a".into(), "a/b/...".into()], &root).unwrap();
        assert_eq!(targets.len(), 1);
        assert_eq!(targets[&root], ["./a", "./a/b/..."]);
        let all = targets_from_paths(&[], &root.join("a")).unwrap();
        assert_eq!(all[&root], ["./a/..."]);
        assert!(targets_from_paths(&["missing".into()], &root)
            .unwrap_err()
            .starts_with("missing: "));
    }
}
