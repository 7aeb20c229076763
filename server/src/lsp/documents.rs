//! Open documents and the file system as the editor sees it: an open file's
//! in-memory text wins over what is on disk, so diagnostics follow typing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::ssh::config::resolve::{ConfigFs, RealFs};

#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    pub language: String,
    pub version: i32,
    pub text: Arc<String>,
}

impl Document {
    /// Whether gord treats the document as an SSH config: the editor says so,
    /// or the path looks like one (`~/.ssh/config`, `ssh_config`, `*.ssh_config`,
    /// anything under a `.ssh` directory named `config` or in `config.d`).
    pub fn is_ssh_config(&self) -> bool {
        self.language == "ssh_config" || looks_like_ssh_config(&self.path)
    }
}

pub fn looks_like_ssh_config(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let in_dot_ssh = path.components().any(|c| c.as_os_str() == ".ssh");
    name == "ssh_config"
        || name.ends_with(".ssh_config")
        || (in_dot_ssh
            && (name == "config" || path.parent().is_some_and(|p| p.ends_with("config.d"))))
}

/// Why a `didChange` was not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChangeRefused {
    #[error("the document is not open")]
    NotOpen,
    #[error("version {got} is not newer than the stored version {stored}")]
    Stale { stored: i32, got: i32 },
}

/// Every open document by path.
#[derive(Debug, Default, Clone)]
pub struct Documents {
    by_path: HashMap<PathBuf, Document>,
}

impl Documents {
    pub fn open(&mut self, doc: Document) {
        self.by_path.insert(doc.path.clone(), doc);
    }

    /// Replaces an open document's text with version `version`. A change
    /// whose version is not newer than the stored one arrived late (or
    /// twice) and is refused: the text stays as it is.
    pub fn change(
        &mut self,
        path: &Path,
        version: i32,
        text: String,
    ) -> Result<&Document, ChangeRefused> {
        let doc = self.by_path.get_mut(path).ok_or(ChangeRefused::NotOpen)?;
        if version <= doc.version {
            return Err(ChangeRefused::Stale {
                stored: doc.version,
                got: version,
            });
        }
        doc.version = version;
        doc.text = Arc::new(text);
        Ok(doc)
    }

    pub fn close(&mut self, path: &Path) -> Option<Document> {
        self.by_path.remove(path)
    }

    pub fn get(&self, path: &Path) -> Option<&Document> {
        self.by_path.get(path)
    }

    pub fn ssh_configs(&self) -> impl Iterator<Item = &Document> {
        self.by_path.values().filter(|d| d.is_ssh_config())
    }

    /// A snapshot of the texts, for work off the request path.
    pub fn overlay(&self) -> OverlayFs {
        OverlayFs {
            texts: self
                .by_path
                .iter()
                .map(|(p, d)| (p.clone(), (Arc::clone(&d.text), d.version)))
                .collect(),
        }
    }
}

/// The disk with open documents laid over it.
pub struct OverlayFs {
    texts: HashMap<PathBuf, (Arc<String>, i32)>,
}

impl OverlayFs {
    /// The version of the open document at `path` in this snapshot: the
    /// version any edit computed from the snapshot's text must carry. None
    /// for a file that was not open (its text came from disk).
    pub fn version(&self, path: &Path) -> Option<i32> {
        self.texts.get(path).map(|(_, version)| *version)
    }
}

impl ConfigFs for OverlayFs {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        match self.texts.get(path) {
            Some((text, _)) => Ok(text.as_bytes().to_vec()),
            None => RealFs.read(path),
        }
    }

    fn exists(&self, path: &Path) -> bool {
        self.texts.contains_key(path) || RealFs.exists(path)
    }

    fn list_dir(&self, dir: &Path) -> std::io::Result<Vec<String>> {
        RealFs.list_dir(dir)
    }

    fn is_dir(&self, path: &Path) -> bool {
        RealFs.is_dir(path)
    }

    fn mode_and_owner(&self, path: &Path) -> Option<(u32, u32)> {
        RealFs.mode_and_owner(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_ssh_config_paths() {
        for path in [
            "/home/u/.ssh/config",
            "/etc/ssh/ssh_config",
            "/x/work.ssh_config",
            "/home/u/.ssh/config.d/corp",
        ] {
            assert!(looks_like_ssh_config(Path::new(path)), "{path}");
        }
        for path in [
            "/home/u/project/config",
            "/x/ssh_config.go",
            "/home/u/.ssh/id_ed25519",
        ] {
            assert!(!looks_like_ssh_config(Path::new(path)), "{path}");
        }
    }

    fn opened(path: &Path, version: i32, text: &str) -> Documents {
        let mut docs = Documents::default();
        docs.open(Document {
            path: path.to_path_buf(),
            language: "ssh_config".into(),
            version,
            text: Arc::new(text.into()),
        });
        docs
    }

    #[test]
    fn a_change_with_a_newer_version_replaces_the_text() {
        let path = Path::new("/home/u/.ssh/config");
        let mut docs = opened(path, 3, "Host a");
        let doc = docs.change(path, 4, "Host b".into()).unwrap();
        assert_eq!((doc.version, doc.text.as_str()), (4, "Host b"));
    }

    #[test]
    fn a_change_older_than_or_equal_to_the_stored_version_is_ignored() {
        let path = Path::new("/home/u/.ssh/config");
        let mut docs = opened(path, 5, "Host newest");
        for late in [4, 5, -1] {
            assert_eq!(
                docs.change(path, late, "Host late".into()).unwrap_err(),
                ChangeRefused::Stale {
                    stored: 5,
                    got: late
                }
            );
        }
        let doc = docs.get(path).unwrap();
        assert_eq!((doc.version, doc.text.as_str()), (5, "Host newest"));
    }

    #[test]
    fn a_change_to_a_document_never_opened_is_refused() {
        let mut docs = Documents::default();
        assert_eq!(
            docs.change(Path::new("/x"), 1, String::new()).unwrap_err(),
            ChangeRefused::NotOpen
        );
    }

    #[test]
    fn open_text_wins_over_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, "on disk").unwrap();
        let mut docs = Documents::default();
        docs.open(Document {
            path: path.clone(),
            language: "ssh_config".into(),
            version: 1,
            text: Arc::new("in editor".into()),
        });
        assert_eq!(docs.overlay().read(&path).unwrap(), b"in editor");
        assert_eq!(docs.overlay().version(&path), Some(1));
        docs.close(&path);
        assert_eq!(docs.overlay().read(&path).unwrap(), b"on disk");
        assert_eq!(docs.overlay().version(&path), None);
    }
}
