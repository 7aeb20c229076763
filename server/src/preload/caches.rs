//! Where the caches a Go editor depends on live, and how big they are:
//! GOMODCACHE (downloaded modules), GOCACHE (build results) and gopls' own
//! file cache.
//!
//! gopls v0.23.0 (`gopls/internal/filecache/filecache.go`, `getCacheDir`)
//! keeps its cache in `<base>/gopls/<h>`, where `<base>` is `$GOPLSCACHE`,
//! else `os.UserCacheDir()` (`$XDG_CACHE_HOME`, else `$HOME/.cache`), and
//! `<h>` is the first 4 bytes, in hex, of the SHA-256 of the gopls
//! executable. Each gopls build therefore has a directory of its own: after
//! an upgrade gopls starts cold even when an older directory is full.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// `<base>/gopls`, the parent of every gopls build's cache directory.
pub fn gopls_cache_root(
    goplscache: Option<&str>,
    xdg_cache_home: Option<&str>,
    home: Option<&Path>,
) -> Option<PathBuf> {
    let nonempty = |v: Option<&str>| v.filter(|v| !v.is_empty()).map(PathBuf::from);
    // os.UserCacheDir ignores a relative XDG_CACHE_HOME.
    let base = nonempty(goplscache)
        .or_else(|| nonempty(xdg_cache_home).filter(|p| p.is_absolute()))
        .or_else(|| home.map(|h| h.join(".cache")))?;
    Some(base.join("gopls"))
}

/// The directory name gopls gives its cache: hex of the first 4 bytes of
/// the SHA-256 of its executable.
pub fn gopls_cache_dir_name(executable: &Path) -> std::io::Result<String> {
    // Not through fsread: the gopls executable found on PATH, hashed in
    // 64 KiB chunks, never held whole.
    let mut file = std::fs::File::open(executable)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    let digest = hasher.finalize();
    Ok(digest[..4].iter().map(|b| format!("{b:02x}")).collect())
}

/// One cache directory in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheDir {
    /// `GOMODCACHE`, `GOCACHE` or `gopls`.
    pub name: String,
    pub path: String,
    pub exists: bool,
    pub bytes: u64,
    pub files: u64,
}

/// gopls' cache: this gopls build's directory and the others beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GoplsCache {
    pub dir: CacheDir,
    /// Directories of other gopls builds (earlier versions, usually).
    pub other_builds: Vec<String>,
    /// Set when this build's directory is absent but another build's is
    /// present: the usual sign of an upgrade, after which gopls starts cold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Measures a directory tree (regular files only, symlinks not followed).
pub fn measure(name: &str, path: &Path) -> CacheDir {
    let mut bytes = 0;
    let mut files = 0;
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(entry.path());
            } else if meta.is_file() {
                bytes += meta.len();
                files += 1;
            }
        }
    }
    CacheDir {
        name: name.to_string(),
        path: path.display().to_string(),
        exists: path.is_dir(),
        bytes,
        files,
    }
}

/// Looks at gopls' cache for the gopls at `executable`.
pub fn gopls_cache(root: &Path, executable: &Path) -> std::io::Result<GoplsCache> {
    let canonical = executable
        .canonicalize()
        .unwrap_or_else(|_| executable.to_path_buf());
    let name = gopls_cache_dir_name(&canonical)?;
    let dir = root.join(&name);
    let mut other_builds: Vec<String> = std::fs::read_dir(root)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_dir() && e.file_name().to_string_lossy() != name)
                .map(|e| e.path().display().to_string())
                .collect()
        })
        .unwrap_or_default();
    other_builds.sort();
    let measured = measure("gopls", &dir);
    let note = (!measured.exists && !other_builds.is_empty()).then(|| {
        format!(
            "no cache for this gopls build ({name}) but {} for other builds: gopls keeps one cache per \
             executable, so after an upgrade it starts cold",
            other_builds.len()
        )
    });
    Ok(GoplsCache {
        dir: measured,
        other_builds,
        note,
    })
}

/// `12.3 MiB`, for reports.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goplscache_then_xdg_then_home_decide_the_root() {
        let home = Path::new("/home/u");
        assert_eq!(
            gopls_cache_root(Some("/c"), Some("/x"), Some(home)),
            Some(PathBuf::from("/c/gopls"))
        );
        assert_eq!(
            gopls_cache_root(None, Some("/x"), Some(home)),
            Some(PathBuf::from("/x/gopls"))
        );
        assert_eq!(
            gopls_cache_root(Some(""), Some("rel"), Some(home)),
            Some(PathBuf::from("/home/u/.cache/gopls"))
        );
        assert_eq!(gopls_cache_root(None, None, None), None);
    }

    #[test]
    fn the_dir_name_is_the_first_four_bytes_of_the_sha256() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("gopls");
        std::fs::write(&exe, b"abc").unwrap();
        // sha256("abc") = ba7816bf...
        assert_eq!(gopls_cache_dir_name(&exe).unwrap(), "ba7816bf");
    }

    #[test]
    fn another_builds_directory_alone_means_an_upgrade_starts_cold() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("gopls");
        std::fs::write(&exe, b"abc").unwrap();
        let root = dir.path().join("cache/gopls");
        std::fs::create_dir_all(root.join("0badc0de")).unwrap();
        let found = gopls_cache(&root, &exe).unwrap();
        assert!(!found.dir.exists);
        assert!(found.dir.path.ends_with("ba7816bf"));
        assert!(found
            .note
            .unwrap()
            .contains("after an upgrade it starts cold"));
        std::fs::create_dir_all(root.join("ba7816bf/index")).unwrap();
        std::fs::write(root.join("ba7816bf/index/x"), b"12345").unwrap();
        let found = gopls_cache(&root, &exe).unwrap();
        assert_eq!(
            (found.dir.exists, found.dir.bytes, found.dir.files),
            (true, 5, 1)
        );
        assert_eq!(found.note, None);
    }

    #[test]
    fn sizes_read_like_du_h() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(245 * 1024 * 1024), "245.0 MiB");
    }
}
