//! A two-file in-memory file system for the ssh_config targets: the fuzzed
//! bytes are the config at /cfg and, again, an included file at /inc, so
//! `Include /inc`, `Include /*` and include loops all reach real content.
//!
//! Every call spends one unit of a budget; once it is spent the files are
//! gone. The engine walks every branch of an include tree (OpenSSH stops at
//! the first "Too many recursive configuration includes"), so `Include /*`
//! costs 2^16 visits here and would stall the fuzzer on that one known
//! slowness instead of finding new bugs. (Both files hold the same bytes,
//! so every include here is a loop; the budget only cuts loops short.)

use std::cell::Cell;
use std::io;
use std::path::{Path, PathBuf};

use gord::ssh::config::local::LocalFacts;
use gord::ssh::config::resolve::ConfigFs;

pub const CONFIG: &str = "/cfg";
pub const INCLUDED: &str = "/inc";

pub struct FuzzFs<'a> {
    pub bytes: &'a [u8],
    budget: Cell<u32>,
}

impl<'a> FuzzFs<'a> {
    pub fn new(bytes: &'a [u8], budget: u32) -> Self {
        FuzzFs {
            bytes,
            budget: Cell::new(budget),
        }
    }

    /// False once the budget is spent.
    fn spend(&self) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(1));
        left > 0
    }
}

fn not_found() -> io::Error {
    io::Error::from(io::ErrorKind::NotFound)
}

impl ConfigFs for FuzzFs<'_> {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if self.spend() && (path == Path::new(CONFIG) || path == Path::new(INCLUDED)) {
            Ok(self.bytes.to_vec())
        } else {
            Err(not_found())
        }
    }

    fn list_dir(&self, dir: &Path) -> io::Result<Vec<String>> {
        if self.spend() && dir == Path::new("/") {
            Ok(vec![String::from("cfg"), String::from("inc")])
        } else {
            Err(not_found())
        }
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.spend() && path == Path::new("/")
    }

    fn mode_and_owner(&self, path: &Path) -> Option<(u32, u32)> {
        let exists = path == Path::new(CONFIG) || path == Path::new(INCLUDED);
        (self.spend() && exists).then_some((0o100600, 1000))
    }
}

pub fn facts() -> LocalFacts {
    LocalFacts {
        user: String::from("fuzz"),
        uid: 1000,
        home: PathBuf::from("/home/fuzz"),
        hostname: String::from("box.local"),
    }
}
