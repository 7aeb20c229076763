//! The bounded reader and what sits on it: any bytes through
//! `fsread::read_limited` (never more than the cap, None exactly when the
//! input is over it), and as every file of an include fan-out (`/d/*`, each
//! file including `/d/*` again, up to 300 files): loading stays within the
//! include set's budget and the findings per file within their cap.
#![no_main]

use std::io;
use std::path::{Path, PathBuf};

use gord::fsread::{read_limited, SSH_INCLUDE_SET_FILES};
use gord::ssh::config::local::LocalFacts;
use gord::ssh::config::resolve::ConfigFs;
use gord::ssh::lint::{binary_at, lint, LintContext, MAX_FINDINGS_PER_FILE};
use libfuzzer_sys::fuzz_target;

/// `/cfg` is `Include /d/*` then the fuzzed bytes; `/d` holds `count` files,
/// each the same.
struct FanFs {
    text: Vec<u8>,
    count: usize,
}

impl ConfigFs for FanFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let named = path == Path::new("/cfg")
            || path
                .strip_prefix("/d")
                .ok()
                .and_then(|rest| rest.to_str())
                .and_then(|name| name.strip_prefix('f'))
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|n| n < self.count);
        if named {
            Ok(self.text.clone())
        } else {
            Err(io::Error::from(io::ErrorKind::NotFound))
        }
    }

    fn list_dir(&self, dir: &Path) -> io::Result<Vec<String>> {
        match dir.to_str() {
            Some("/d") => Ok((0..self.count).map(|n| format!("f{n}")).collect()),
            Some("/") => Ok(vec![String::from("cfg"), String::from("d")]),
            _ => Err(io::Error::from(io::ErrorKind::NotFound)),
        }
    }

    fn is_dir(&self, path: &Path) -> bool {
        path == Path::new("/d") || path == Path::new("/")
    }

    fn mode_and_owner(&self, path: &Path) -> Option<(u32, u32)> {
        self.read(path).ok().map(|_| (0o100600, 1000))
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    // The reader: at most cap bytes, None exactly when there were more.
    let cap = u64::from(first);
    let got = read_limited(rest, cap, usize::from(first)).unwrap();
    match got {
        Some(bytes) => {
            assert!(rest.len() as u64 <= cap);
            assert_eq!(bytes, rest);
        }
        None => assert!(rest.len() as u64 > cap),
    }
    if let Some(at) = binary_at(rest) {
        assert!(at < rest.len());
    }

    // The include fan-out.
    let mut text = b"Include /d/*\n".to_vec();
    text.extend_from_slice(rest);
    let fs = FanFs {
        text,
        // Mostly small; sometimes past the include set's file budget.
        count: if first > 250 { 300 } else { usize::from(first % 8) + 1 },
    };
    let local = LocalFacts {
        user: String::from("fuzz"),
        uid: 1000,
        home: PathBuf::from("/home/fuzz"),
        hostname: String::from("box.local"),
    };
    let Ok(ctx) = LintContext::load(Path::new("/cfg"), &fs, &local, false) else {
        return;
    };
    assert!(ctx.files.len() <= SSH_INCLUDE_SET_FILES);
    let findings = lint(&ctx);
    for file in &ctx.files {
        let shown = findings
            .iter()
            .filter(|f| f.path() == Some(file.path.as_path()))
            .count();
        assert!(shown <= MAX_FINDINGS_PER_FILE + 1, "{shown} findings in one file");
    }
});
