//! A [`ConfigFs`] that remembers directory listings, `is_dir` and
//! `mode_and_owner` answers for one lint run. The rules and the resolutions
//! expand the same Include globs again and again; with a fan-out of includes
//! (2,000 files each saying `Include dir/*`) asking the disk each time made a
//! lint take minutes. With this, each directory is listed once and each path
//! asked about once, so the work grows with the number of files.

use std::cell::RefCell;
use std::collections::HashMap;
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
}

impl<'a> MemoFs<'a> {
    pub fn new(inner: &'a dyn ConfigFs) -> Self {
        MemoFs {
            inner,
            listings: RefCell::new(HashMap::new()),
            dirs: RefCell::new(HashMap::new()),
            modes: RefCell::new(HashMap::new()),
        }
    }
}

impl ConfigFs for MemoFs<'_> {
    /// Not remembered: the lint keeps the files it parsed, and the few other
    /// reads (public keys, /etc/hosts) are one each.
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.inner.read(path)
    }

    fn exists(&self, path: &Path) -> bool {
        self.inner.exists(path)
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
        if let Some(&answer) = self.dirs.borrow().get(path) {
            return answer;
        }
        let answer = self.inner.is_dir(path);
        self.dirs.borrow_mut().insert(path.to_path_buf(), answer);
        answer
    }

    fn mode_and_owner(&self, path: &Path) -> Option<(u32, u32)> {
        if let Some(&answer) = self.modes.borrow().get(path) {
            return answer;
        }
        let answer = self.inner.mode_and_owner(path);
        self.modes.borrow_mut().insert(path.to_path_buf(), answer);
        answer
    }
}
