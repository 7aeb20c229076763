//! A config file kept byte for byte: lines with their offsets and endings,
//! each parsed once. Joining the lines gives back the exact input, so an edit
//! replaces only the bytes it means to.

use std::ops::Range;
use std::path::PathBuf;

use crate::ssh::config::keywords::{lookup, Keyword, Kind};
use crate::ssh::config::lexer::{parse_line, LineSyntax};
use crate::ssh::release::SshVersion;

#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    /// False when the bytes were not UTF-8 (the text is then a lossy copy and
    /// the file must not be edited).
    pub utf8: bool,
    pub lines: Vec<SourceLine>,
    /// Where the Host blocks that name hosts literally are; built on first
    /// use, per release (which blocks can be skipped depends on it).
    pub host_index: ByRelease<std::sync::Arc<HostIndex>>,
    /// The file's blocks ([`crate::ssh::config::blocks::blocks`]), split on
    /// first use.
    pub blocks: std::sync::OnceLock<std::sync::Arc<Vec<crate::ssh::config::blocks::Block>>>,
}

/// Answers that depend on the ssh release a resolution follows and on
/// nothing else, remembered per release: a lint or `resolve --all` asks the
/// same question for each of thousands of hosts.
#[derive(Debug)]
pub struct ByRelease<T> {
    /// The answer for the first release asked about (a run follows one),
    /// read without a lock.
    first: std::sync::OnceLock<(SshVersion, T)>,
    /// The answers for any other.
    others: std::sync::Mutex<Vec<(SshVersion, T)>>,
}

impl<T: Clone> ByRelease<T> {
    /// The answer for `version`, computed by `init` the first time.
    pub fn get_or_init(&self, version: SshVersion, init: impl FnOnce() -> T) -> T {
        match self.first.get() {
            Some((first, answer)) if *first == version => return answer.clone(),
            Some(_) => {}
            None => {
                let answer = init();
                // Another thread may have answered first, for this release
                // or another: then this answer is simply not remembered.
                let _ = self.first.set((version, answer.clone()));
                return answer;
            }
        }
        let known = self
            .lock()
            .iter()
            .find(|(v, _)| *v == version)
            .map(|(_, answer)| answer.clone());
        if let Some(answer) = known {
            return answer;
        }
        // Computed unlocked: `init` may ask other memos (never this one).
        let answer = init();
        let mut others = self.lock();
        if !others.iter().any(|(v, _)| *v == version) {
            others.push((version, answer.clone()));
        }
        answer
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(SshVersion, T)>> {
        // The memo holds finished answers only: a panic elsewhere leaves it whole.
        self.others
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl<T> Default for ByRelease<T> {
    fn default() -> Self {
        ByRelease {
            first: std::sync::OnceLock::new(),
            others: std::sync::Mutex::new(Vec::new()),
        }
    }
}

impl<T: Clone> Clone for ByRelease<T> {
    fn clone(&self) -> Self {
        ByRelease {
            first: self.first.clone(),
            others: std::sync::Mutex::new(self.lock().clone()),
        }
    }
}

/// Lets a resolution jump over the blocks that cannot concern its host.
#[derive(Debug, Clone, Default)]
pub struct HostIndex {
    /// Host lines whose patterns are all literal names (`Host a b !c`), by name.
    pub literal: std::collections::HashMap<String, Vec<usize>>,
    /// Host lines with wildcards whose every pattern that is not negated
    /// starts with literal text (`Host web-0?? !web-007`), by each of those
    /// prefixes: only a host that starts with one can turn the block on.
    pub prefixed: std::collections::HashMap<String, Vec<usize>>,
    /// The lengths of the keys of `prefixed`, ascending, each once.
    prefix_lengths: Vec<usize>,
    /// Host and Match lines that any host may turn on, and Include lines:
    /// each must be visited by every resolution. Sorted.
    pub visit: Vec<usize>,
}

impl HostIndex {
    /// The header lines a resolution of `host` must look at, ascending:
    /// every line of `visit`, the literal Host lines naming `host`, and the
    /// wildcard Host lines with a prefix `host` starts with.
    pub fn lines_for(&self, host: &str) -> Vec<usize> {
        let mut lines = self.visit.clone();
        if let Some(named) = self.literal.get(host) {
            lines.extend_from_slice(named);
        }
        for &len in self.prefix_lengths.iter().take_while(|l| **l <= host.len()) {
            let found = host.get(..len).and_then(|prefix| self.prefixed.get(prefix));
            if let Some(found) = found {
                lines.extend_from_slice(found);
            }
        }
        lines.sort_unstable();
        lines.dedup();
        lines
    }

    /// The first of `lines` (from [`HostIndex::lines_for`]) after `after`,
    /// or `end`.
    pub fn next_for(lines: &[usize], after: usize, end: usize) -> usize {
        let at = lines.partition_point(|l| *l <= after);
        lines.get(at).copied().unwrap_or(end)
    }
}

/// Whether a Host line names hosts only literally (no wildcard, no empty pattern).
pub fn literal_only_host(d: &crate::ssh::config::lexer::Directive) -> bool {
    !d.args.is_empty()
        && d.args.iter().all(|a| {
            let name = a.value.strip_prefix('!').unwrap_or(&a.value);
            !name.is_empty() && !crate::ssh::config::pattern::has_wildcards(name)
        })
}

/// Which hosts a Host line with wildcards can turn its block on for.
#[derive(Debug, PartialEq, Eq)]
enum HostReach<'a> {
    /// Only hosts that start with one of these (the literal text before
    /// the first wildcard of each pattern that is not negated).
    Prefixed(Vec<&'a str>),
    /// No host: every pattern is negated.
    None,
    /// Any host (a pattern starts with a wildcard), or the line is not
    /// one to judge (an empty pattern is an error for every host).
    Any,
}

fn host_reach(d: &crate::ssh::config::lexer::Directive) -> HostReach<'_> {
    let mut prefixes = Vec::new();
    for arg in &d.args {
        if arg.value.is_empty() || arg.value == "!" {
            return HostReach::Any;
        }
        if arg.value.starts_with('!') {
            continue;
        }
        let prefix = arg.value.split(['*', '?']).next().unwrap_or("");
        if prefix.is_empty() {
            return HostReach::Any;
        }
        prefixes.push(prefix);
    }
    if d.args.is_empty() {
        HostReach::Any
    } else if prefixes.is_empty() {
        HostReach::None
    } else {
        HostReach::Prefixed(prefixes)
    }
}

#[derive(Debug, Clone)]
pub struct SourceLine {
    /// 0-based line number.
    pub index: usize,
    /// Byte range of the line's content in the file, without its ending.
    pub range: Range<usize>,
    /// `\n`, `\r\n` or empty (the last line).
    pub ending: &'static str,
    pub syntax: LineSyntax,
    /// What the ssh of a release makes of this line whatever the host
    /// (see `resolve::line_facts`). Remembered per release, because a lint
    /// resolves thousands of hosts.
    pub facts: ByRelease<LineFacts>,
    /// The keyword's table entry, looked up once (None: unknown or no keyword).
    pub keyword: Option<&'static Keyword>,
    /// For a Host or Match line: the index of the next Host, Match or Include
    /// line (or the end): the lines a non-matching block covers.
    pub segment_end: usize,
    /// Whether every line of that segment is valid whatever the host, so a
    /// non-matching block can be skipped whole. Computed on first need, per
    /// release.
    pub segment_clean: ByRelease<bool>,
}

/// What the ssh of one release makes of a line, whatever the host.
#[derive(Debug, Clone)]
pub struct LineFacts {
    pub keyword: LineKeyword,
    /// What the release refuses in the line whether its block applies or not.
    pub refusal: Option<String>,
    /// The line in a block that does not apply.
    pub inactive: InactiveOutcome,
}

/// What a keyword line is to the ssh of a release.
#[derive(Debug, Clone, Copy)]
pub enum LineKeyword {
    /// A keyword it knows and gord models.
    Known(&'static Keyword),
    /// A build's own keyword gord does not model: accepted with no effect.
    NoEffect,
    /// Not a keyword of this release: an error unless `IgnoreUnknown` names it.
    Unknown,
}

/// A line in a block that does not apply: `Fixed(None)` when ssh accepts it,
/// `Fixed(Some(message))` when it refuses it (the same for every host), or
/// `Depends` when the answer depends on the resolution so far (a keyword
/// only `IgnoreUnknown` can excuse, one kept even where its block does not
/// apply, a Host, Match or Include line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InactiveOutcome {
    Fixed(Option<String>),
    Depends,
}

impl SourceFile {
    pub fn from_bytes(path: PathBuf, bytes: &[u8]) -> SourceFile {
        let (text, utf8) = match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_string(), true),
            Err(_) => (String::from_utf8_lossy(bytes).into_owned(), false),
        };
        SourceFile::from_text(path, text, utf8)
    }

    pub fn parse(path: PathBuf, text: &str) -> SourceFile {
        SourceFile::from_text(path, text.to_string(), true)
    }

    fn from_text(path: PathBuf, text: String, utf8: bool) -> SourceFile {
        let mut lines = Vec::new();
        let mut start = 0;
        let bytes = text.as_bytes();
        while start < bytes.len() {
            let newline = bytes[start..]
                .iter()
                .position(|b| *b == b'\n')
                .map(|p| start + p);
            let (content_end, ending, next) = match newline {
                Some(nl) if nl > start && bytes[nl - 1] == b'\r' => (nl - 1, "\r\n", nl + 1),
                Some(nl) => (nl, "\n", nl + 1),
                None => (bytes.len(), "", bytes.len()),
            };
            let syntax = parse_line(&text[start..content_end]);
            let keyword = match &syntax {
                LineSyntax::Directive(d) => lookup(&d.keyword),
                _ => None,
            };
            lines.push(SourceLine {
                index: lines.len(),
                range: start..content_end,
                ending,
                syntax,
                facts: ByRelease::default(),
                keyword,
                segment_end: 0,
                segment_clean: ByRelease::default(),
            });
            start = next;
        }
        let mut next_boundary = lines.len();
        for line in lines.iter_mut().rev() {
            line.segment_end = next_boundary;
            let boundary = line
                .keyword
                .is_some_and(|k| matches!(k.kind, Kind::Host | Kind::Match | Kind::Include));
            if boundary {
                next_boundary = line.index;
            }
        }
        SourceFile {
            path,
            text,
            utf8,
            lines,
            host_index: ByRelease::default(),
            blocks: std::sync::OnceLock::new(),
        }
    }

    /// The host index for `version`, built from the lines on first use.
    /// `clean` tells whether a literal block's lines are valid for any host
    /// under `version` (an unclean block must be visited for its errors).
    pub fn host_index(
        &self,
        version: SshVersion,
        clean: &dyn Fn(&SourceLine) -> bool,
    ) -> std::sync::Arc<HostIndex> {
        self.host_index.get_or_init(version, || {
            let mut index = HostIndex::default();
            for line in &self.lines {
                let (LineSyntax::Directive(d), Some(keyword)) = (&line.syntax, line.keyword) else {
                    continue;
                };
                let add = |map: &mut std::collections::HashMap<String, Vec<usize>>, key: &str| {
                    let lines = map.entry(key.to_string()).or_default();
                    if lines.last() != Some(&line.index) {
                        lines.push(line.index);
                    }
                };
                match keyword.kind {
                    Kind::Host if literal_only_host(d) && clean(line) => {
                        for arg in &d.args {
                            add(
                                &mut index.literal,
                                arg.value.strip_prefix('!').unwrap_or(&arg.value),
                            );
                        }
                    }
                    // A block no host can turn on, and whose lines are
                    // valid for any host, need never be visited.
                    Kind::Host => match host_reach(d) {
                        HostReach::Prefixed(prefixes) if clean(line) => {
                            for prefix in prefixes {
                                add(&mut index.prefixed, prefix);
                            }
                        }
                        HostReach::None if clean(line) => {}
                        _ => index.visit.push(line.index),
                    },
                    Kind::Match | Kind::Include => index.visit.push(line.index),
                    _ => {}
                }
            }
            let mut lengths: Vec<usize> = index.prefixed.keys().map(String::len).collect();
            lengths.sort_unstable();
            lengths.dedup();
            index.prefix_lengths = lengths;
            std::sync::Arc::new(index)
        })
    }

    pub fn line_text(&self, line: &SourceLine) -> &str {
        &self.text[line.range.clone()]
    }

    /// The file rebuilt from its lines: equal to the input, always.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        for line in &self.lines {
            out.push_str(self.line_text(line));
            out.push_str(line.ending);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_byte_for_byte_with_mixed_endings() {
        for text in [
            "",
            "Host a\n",
            "Host a\r\n  User b\r\nPort 1",
            "\n\n# c\n\tx y\n",
            "Host \"x y\"\r\n\r\n",
        ] {
            let file = SourceFile::parse("c".into(), text);
            assert_eq!(file.render(), text);
        }
    }

    #[test]
    fn keeps_line_numbers_and_endings() {
        let file = SourceFile::parse("c".into(), "Host a\r\nUser b\n");
        assert_eq!(file.lines.len(), 2);
        assert_eq!(file.lines[0].ending, "\r\n");
        assert_eq!(file.line_text(&file.lines[1]), "User b");
        assert_eq!(file.lines[1].index, 1);
    }

    #[test]
    fn by_release_answers_each_release_once_and_keeps_them_apart() {
        use crate::ssh::release::parse_version_argument;
        let old = parse_version_argument("9.2p1").expect("a version");
        let new = parse_version_argument("10.0p2").expect("a version");
        let memo: ByRelease<String> = ByRelease::default();
        let calls = std::cell::Cell::new(0);
        let ask = |version: SshVersion, answer: &str| {
            memo.get_or_init(version, || {
                calls.set(calls.get() + 1);
                answer.to_string()
            })
        };
        assert_eq!(ask(old, "old"), "old");
        assert_eq!(ask(new, "new"), "new");
        assert_eq!(ask(old, "again"), "old");
        assert_eq!(ask(new, "again"), "new");
        assert_eq!(calls.get(), 2);
        let copy = memo.clone();
        assert_eq!(copy.get_or_init(new, || String::from("copy")), "new");
    }

    #[test]
    fn the_host_index_gives_each_host_the_headers_that_can_concern_it() {
        let file = SourceFile::parse(
            "c".into(),
            "Host a b\nHost web-0?? !web-007\nHost !db*\nHost db* x*.lan\nMatch all\nHost *.lan\nInclude f\nHost web-0? web-1*\n",
        );
        let version = crate::ssh::release::parse_version_argument("9.2p1").expect("a version");
        let index = file.host_index(version, &|_| true);
        assert_eq!(index.lines_for("a"), [0, 4, 5, 6]);
        assert_eq!(index.lines_for("web-007"), [1, 4, 5, 6, 7]);
        assert_eq!(index.lines_for("web-1"), [4, 5, 6, 7]);
        assert_eq!(index.lines_for("db"), [3, 4, 5, 6]);
        assert_eq!(index.lines_for("xy.lan"), [3, 4, 5, 6]);
        assert_eq!(index.lines_for("b\u{e9}"), [4, 5, 6]);
        // A block whose lines are not valid for every host is always visited.
        let fresh = SourceFile::parse("c".into(), &file.text);
        let unclean = fresh.host_index(version, &|l| l.index != 1);
        assert_eq!(unclean.lines_for("zzz"), [1, 4, 5, 6]);
        assert_eq!(HostIndex::next_for(&[1, 4, 6], 1, 9), 4);
        assert_eq!(HostIndex::next_for(&[1, 4, 6], 6, 9), 9);
    }

    #[test]
    fn non_utf8_bytes_are_flagged_not_fatal() {
        let file = SourceFile::from_bytes("c".into(), b"Host \xff\nUser b\n");
        assert!(!file.utf8);
        assert_eq!(file.lines.len(), 2);
    }
}
