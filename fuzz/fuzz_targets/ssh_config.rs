//! Any bytes as an ssh_config file: the lossless source round-trips, every
//! span lies on its line and on character boundaries, and resolving a few
//! hosts (with the same bytes included as /inc) and building the effective
//! config never panics, with 9.2p1's rules and listing and with the newest
//! release's (its keywords, value checks and `ssh -G` lines).
#![no_main]

#[path = "common/memfs.rs"]
mod memfs;

use std::ops::Range;
use std::path::{Path, PathBuf};

use gord::ssh::config::effective::{effective, effective_as};
use gord::ssh::config::lexer::LineSyntax;
use gord::ssh::config::resolve::{ExecPolicy, Resolver};
use gord::ssh::config::source::SourceFile;
use gord::ssh::release::listing::Listing;
use gord::ssh::release::SshVersion;
use libfuzzer_sys::fuzz_target;

const HOSTS: &[&str] = &["a", "db.example.com", "*", ""];

fn check_span(line: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end,
        "{what} span {span:?} is reversed in {line:?}"
    );
    assert!(
        span.end <= line.len(),
        "{what} span {span:?} is past the end of {line:?}"
    );
    assert!(
        line.is_char_boundary(span.start) && line.is_char_boundary(span.end),
        "{what} span {span:?} splits a character in {line:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let file = SourceFile::from_bytes(PathBuf::from(memfs::CONFIG), data);
    let lossy = String::from_utf8_lossy(data);
    assert_eq!(file.render(), lossy, "render is not the (lossy) input");
    assert_eq!(file.utf8, std::str::from_utf8(data).is_ok());
    if file.utf8 {
        assert_eq!(file.render().as_bytes(), data);
    }
    let mut previous_end = 0;
    for (index, line) in file.lines.iter().enumerate() {
        assert_eq!(line.index, index);
        assert!(line.range.start >= previous_end && line.range.end <= file.text.len());
        previous_end = line.range.end + line.ending.len();
        let text = file.line_text(line);
        assert!(!text.contains('\n'), "line {index} holds a newline");
        match &line.syntax {
            LineSyntax::Ignored => {}
            LineSyntax::Error { span, .. } => check_span(text, span, "error"),
            LineSyntax::Directive(d) => {
                check_span(text, &d.keyword_span, "keyword");
                check_span(text, &d.rest_span, "rest");
                assert_eq!(&text[d.rest_span.clone()], d.rest);
                for arg in &d.args {
                    check_span(text, &arg.span, "argument");
                }
            }
        }
    }
    assert_eq!(previous_end, file.text.len(), "lines do not cover the file");

    let local = memfs::facts();
    let env = |_: &str| None;
    for host in HOSTS {
        let fs = memfs::FuzzFs::new(data, 400);
        let resolution =
            Resolver::new(&fs, &local, ExecPolicy::Deny).resolve(Path::new(memfs::CONFIG), host);
        for error in &resolution.errors {
            if let Some(origin) = error.origin {
                assert!(origin.line < resolution.files[origin.file].lines.len());
            }
        }
        if resolution.errors.is_empty() {
            let _ = effective(&resolution, &local, &env);
        }
    }
    let newest = SshVersion::newest();
    for host in HOSTS {
        let fs = memfs::FuzzFs::new(data, 400);
        let resolution = Resolver::new(&fs, &local, ExecPolicy::Deny)
            .with_version(newest)
            .resolve(Path::new(memfs::CONFIG), host);
        if resolution.errors.is_empty() {
            let _ = effective_as(&resolution, &local, &env, Listing::of(newest));
        }
    }
});
