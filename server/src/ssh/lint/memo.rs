//! A [`ConfigFs`] that remembers directory listings and the `exists`, `is_dir`
//! and `mode_and_owner` answers for one lint run, and which files were not
//! there to read. The rules and the resolutions
//! expand the same Include globs again and again; with a fan-out of includes
//! (2,000 files each saying `Include dir/*`) asking the disk each time made a
//! lint take minutes. With this, each directory is listed once and each path
//! asked about once, so the work grows with the number of files. A resolution
//! of every host of a 2,000-host config also asked the disk about each
//! Include target and IdentityFile once per host.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::ssh::config::resolve::ConfigFs;

/// A directory's names, or why it could not be listed.
type Listing = Rc<Result<Vec<String>, std::io::ErrorKind>>;

pub struct MemoFs<'a> {
    inner: &'a dyn ConfigFs,
    listings: RefCell<HashMap<PathBuf, Listing>>,
    dirs: RefCell<HashMap<PathBuf, bool>>,
    modes: RefCell<HashMap<PathBuf, Option<(u32, u32)>>>,
    exists: RefCell<HashMap<PathBuf, bool>>,
    /// Paths whose read failed with NotFound (public keys that are not
    /// there, asked for by every IdentityFile line naming the key).
    missing: RefCell<HashSet<PathBuf>>,
}

impl<'a> MemoFs<'a> {
    pub fn new(inner: &'a dyn ConfigFs) -> Self {
        MemoFs {
            inner,
            listings: RefCell::new(HashMap::new()),
            dirs: RefCell::new(HashMap::new()),
            modes: RefCell::new(HashMap::new()),
            exists: RefCell::new(HashMap::new()),
            missing: RefCell::new(HashSet::new()),
        }
    }
}

/// The answer `answers` holds for `path`, else `ask`'s, which it then holds.
fn remembered<T: Copy>(
    answers: &RefCell<HashMap<PathBuf, T>>,
    path: &Path,
    ask: impl FnOnce() -> T,
) -> T {
    if let Some(&answer) = answers.borrow().get(path) {
        return answer;
    }
    let answer = ask();
    answers.borrow_mut().insert(path.to_path_buf(), answer);
    answer
}

impl ConfigFs for MemoFs<'_> {
    /// Contents are not remembered: the lint keeps the files it parsed, and
    /// the few other reads (public keys, /etc/hosts) are one each. That a
    /// file is missing is.
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        if self.missing.borrow().contains(path) {
            return Err(std::io::Error::from(std::io::ErrorKind::NotFound));
        }
        let read = self.inner.read(path);
        if matches!(&read, Err(e) if e.kind() == std::io::ErrorKind::NotFound) {
            self.missing.borrow_mut().insert(path.to_path_buf());
        }
        read
    }

    fn exists(&self, path: &Path) -> bool {
        remembered(&self.exists, path, || self.inner.exists(path))
    }

    fn list_dir(&self, dir: &Path) -> std::io::Result<Vec<String>> {
        let cached = self.listings.borrow().get(dir).cloned();
        let listing = match cached {
            Some(listing) => listing,
            None => {
                let listing = Rc::new(self.inner.list_dir(dir).map_err(|e| e.kind()));
                self.listings
                    .borrow_mut()
                    .insert(dir.to_path_buf(), Rc::clone(&listing));
                listing
            }
        };
        match &*listing {
            Ok(names) => Ok(names.clone()),
            Err(kind) => Err(std::io::Error::from(*kind)),
        }
    }

    fn is_dir(&self, path: &Path) -> bool {
        remembered(&self.dirs, path, || self.inner.is_dir(path))
    }

    fn mode_and_owner(&self, path: &Path) -> Option<(u32, u32)> {
        remembered(&self.modes, path, || self.inner.mode_and_owner(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::config::resolve::memory::MemoryFs;
    use crate::ssh::lint::LintContext;
    use std::cell::Cell;

    /// Counts what reaches the disk (here: memory) behind a [`MemoFs`].
    struct Counting {
        inner: MemoryFs,
        exists: Cell<usize>,
        reads_of_missing: Cell<usize>,
    }

    impl ConfigFs for Counting {
        fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
            let read = self.inner.read(path);
            if read.is_err() {
                self.reads_of_missing.set(self.reads_of_missing.get() + 1);
            }
            read
        }
        fn exists(&self, path: &Path) -> bool {
            self.exists.set(self.exists.get() + 1);
            self.inner.exists(path)
        }
        fn list_dir(&self, dir: &Path) -> std::io::Result<Vec<String>> {
            self.inner.list_dir(dir)
        }
        fn is_dir(&self, path: &Path) -> bool {
            self.inner.is_dir(path)
        }
        fn mode_and_owner(&self, path: &Path) -> Option<(u32, u32)> {
            self.inner.mode_and_owner(path)
        }
    }

    #[test]
    fn every_host_of_a_run_shares_one_answer_per_path() {
        let mut config = String::from("Include /etc/extra.conf\n");
        for n in 0..50 {
            config.push_str(&format!("Host h{n}\n  IdentityFile /keys/absent\n"));
        }
        let fs = Counting {
            inner: MemoryFs::with(&[("/c", &config), ("/etc/extra.conf", "Port 2\n")]),
            exists: Cell::new(0),
            reads_of_missing: Cell::new(0),
        };
        let local = crate::ssh::lint::tests::facts();
        let ctx = LintContext::load(Path::new("/c"), &fs, &local, false).unwrap();
        for n in 0..50 {
            assert!(ctx.resolve(&format!("h{n}")).errors.is_empty());
        }
        let a_pub_key = Path::new("/keys/absent.pub");
        for _ in 0..50 {
            assert!(!ctx.fs.exists(Path::new("/keys/absent")));
            assert_eq!(
                ctx.fs.read(a_pub_key).unwrap_err().kind(),
                std::io::ErrorKind::NotFound
            );
        }
        // One question about the Include target and one about the key,
        // not one per host or per line.
        assert_eq!(fs.exists.get(), 2);
        assert_eq!(fs.reads_of_missing.get(), 1);
    }
}
