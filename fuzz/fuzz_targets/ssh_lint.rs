//! Any bytes as an ssh_config file (included from itself as /inc): loading
//! and linting never panic, every finding points into a loaded file, and
//! every fix's edits apply to the text they were computed from. Linted twice:
//! as gord's default release, and as macOS's ssh (Apple's 10.0p2: its
//! keywords, the 104-byte socket paths, SSH048).
#![no_main]

#[path = "common/memfs.rs"]
mod memfs;

use std::path::Path;

use gord::edit::apply_edits;
use gord::ssh::lint::{lint, LintContext};
use gord::ssh::release::{which::Choice, Flavour, Release, SshVersion};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let fs = memfs::FuzzFs::new(data, 1_500);
    let local = memfs::facts();
    let Ok(ctx) = LintContext::load(Path::new(memfs::CONFIG), &fs, &local, false) else {
        return;
    };
    check(&ctx);
    let Ok(mac) = LintContext::load(Path::new(memfs::CONFIG), &fs, &local, false) else {
        return;
    };
    let apple = SshVersion::new(Release::new(10, 0, 2), Flavour::Apple);
    check(&mac.with_ssh(Choice::of_version(apple)));
});

fn check(ctx: &LintContext) {
    for finding in lint(ctx) {
        let (path, range) = finding
            .file_range()
            .unwrap_or_else(|| panic!("{} is about no file", finding.code));
        let file = ctx
            .file(path)
            .unwrap_or_else(|| panic!("{} is not a loaded file", path.display()));
        let start = range.start;
        let end = range.end;
        assert!((start.line, start.character) <= (end.line, end.character));
        assert!(
            (end.line as usize) <= file.lines.len(),
            "{} ends past the file",
            finding.code
        );
        let Some(fix) = finding.fix() else {
            continue;
        };
        // Each edited file's edits, applied together to the text they were
        // computed from.
        let mut paths: Vec<&Path> = fix.edits.iter().map(|e| e.path.as_path()).collect();
        paths.sort();
        paths.dedup();
        for path in paths {
            let target = ctx.file(path).unwrap_or_else(|| {
                panic!(
                    "{} edits {}, not a loaded file",
                    finding.code,
                    path.display()
                )
            });
            let edits: Vec<_> = fix
                .edits
                .iter()
                .filter(|e| e.path == path)
                .map(|e| (e.range, e.new_text.clone()))
                .collect();
            if target.utf8 {
                if let Err(e) = apply_edits(&target.text, &edits) {
                    panic!("{} fix does not apply: {e}", finding.code);
                }
            }
        }
    }
}
