//! Finding programs on PATH the way a shell does, and everything they shadow.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Every executable named `name` in `dirs`, in PATH order: the first is what a
/// shell runs, the rest are shadowed by it. The same file reached through two
/// PATH entries (or a symlink) appears once.
pub fn which_all(name: &str, dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    for dir in dirs {
        let candidate = dir.join(name);
        if !is_executable_file(&candidate) {
            continue;
        }
        let identity = candidate
            .canonicalize()
            .unwrap_or_else(|_| candidate.clone());
        if !seen.contains(&identity) {
            seen.push(identity);
            found.push(candidate);
        }
    }
    found
}

pub fn is_executable_file(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Whether `dir` is one of `dirs`, comparing resolved paths.
pub fn dir_is_on_path(dir: &Path, dirs: &[PathBuf]) -> bool {
    let want = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    dirs.iter()
        .any(|d| d == dir || d.canonicalize().map(|c| c == want).unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn exe(dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, "#!/bin/sh\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[test]
    fn lists_the_winner_first_then_what_it_shadows() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let first = exe(a.path(), "go");
        let second = exe(b.path(), "go");
        let dirs = vec![a.path().to_path_buf(), b.path().to_path_buf()];
        assert_eq!(which_all("go", &dirs), vec![first, second]);
    }

    #[test]
    fn skips_non_executables_directories_and_duplicates() {
        let a = tempfile::tempdir().unwrap();
        fs::write(a.path().join("go"), "not executable").unwrap();
        fs::create_dir(a.path().join("gopls")).unwrap();
        let b = tempfile::tempdir().unwrap();
        let real = exe(b.path(), "go");
        let dirs = vec![
            a.path().to_path_buf(),
            b.path().to_path_buf(),
            b.path().to_path_buf(),
        ];
        assert_eq!(which_all("go", &dirs), vec![real]);
        assert!(which_all("gopls", &dirs).is_empty());
        assert!(which_all("go", &[]).is_empty());
    }

    #[test]
    fn recognises_a_directory_on_path_through_symlinks() {
        let a = tempfile::tempdir().unwrap();
        let link = a.path().join("link");
        std::os::unix::fs::symlink(a.path(), &link).unwrap();
        assert!(dir_is_on_path(a.path(), &[link]));
        assert!(!dir_is_on_path(
            Path::new("/nonexistent/bin"),
            &[a.path().to_path_buf()]
        ));
    }
}
