//! Helpers the rules share: finding and edit builders, the blocks and hosts a
//! line belongs to, paths shown the way the user wrote them. Everything here
//! is total: bad input gives `None` or an empty list, never a panic.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::finding::{Position, Range as LspRange};

use crate::finding::{Edit, Finding, Fix, Severity, Subject};
use crate::ssh::config::blocks::{blocks, Block, Header};
use crate::ssh::config::keywords::{lookup, Keyword, Kind};
use crate::ssh::config::lexer::{Arg, Directive, LineSyntax};
use crate::ssh::config::options::{Options, Origin};
use crate::ssh::config::pattern::has_wildcards;
use crate::ssh::config::resolve::Resolution;
use crate::ssh::config::source::SourceFile;
use crate::ssh::config::special::skips_first_permit_argument;
use crate::ssh::config::tokens::tilde_expand;
use crate::ssh::lint::{span_range, LintContext};
use crate::ssh::release::Release;

/// A host name no config names, to see what every unnamed host gets.
pub const ANY_HOST: &str = "gord-any-host.invalid";

/// At most this many hosts are resolved per lint run.
const MAX_PROBES: usize = 200;

/// A finding of an SSH rule on `range` of `file`, linked to its rule page.
pub fn finding(
    code: &'static str,
    severity: Severity,
    file: &SourceFile,
    range: LspRange,
    message: String,
) -> Finding {
    Finding::new(code, severity, message, Subject::file(&file.path, range)).with_rule_page()
}

/// A fix made of edits; None when the file must not be edited (not UTF-8).
pub fn edit_fix(file: &SourceFile, title: String, edits: Vec<Edit>, safe: bool) -> Option<Fix> {
    if !file.utf8 || edits.is_empty() {
        return None;
    }
    let fix = Fix::edits(title, edits);
    Some(if safe { fix.safe() } else { fix })
}

pub fn command_fix(title: String, argv: Vec<String>, safe: bool) -> Fix {
    let fix = Fix::run(title, argv);
    if safe {
        fix.safe()
    } else {
        fix
    }
}

/// The directives of a file named `keyword` (lower case), with their line numbers.
pub fn keyword_lines<'f>(
    file: &'f SourceFile,
    keyword: &'f str,
) -> impl Iterator<Item = (usize, &'f Directive)> + 'f {
    directives(file).filter(move |(_, d)| d.keyword == keyword)
}

/// The directives named `keyword` that have a value, with their line
/// numbers and first arguments.
pub fn first_args<'f>(
    file: &'f SourceFile,
    keyword: &'f str,
) -> impl Iterator<Item = (usize, &'f Directive, &'f Arg)> + 'f {
    keyword_lines(file, keyword).filter_map(|(line, d)| Some((line, d, d.args.first()?)))
}

/// A finding on bytes `span` of `line`.
pub fn span_finding(
    code: &'static str,
    severity: Severity,
    file: &SourceFile,
    line: usize,
    span: Range<usize>,
    message: String,
) -> Finding {
    finding(code, severity, file, span_range(file, line, span), message)
}

/// The bytes of a whole directive: its keyword and value.
pub fn directive_span(d: &Directive) -> Range<usize> {
    d.keyword_span.start..d.rest_span.end
}

/// A finding on the value of the directive `d` at `line`.
pub fn value_finding(
    code: &'static str,
    severity: Severity,
    file: &SourceFile,
    line: usize,
    d: &Directive,
    message: String,
) -> Finding {
    finding(code, severity, file, value_range(file, line, d), message)
}

/// The fix that puts `text` in place of the argument `arg` of `line`.
pub fn replace_arg_fix(
    file: &SourceFile,
    line: usize,
    arg: &Arg,
    title: &str,
    text: &str,
) -> Option<Fix> {
    edit_fix(
        file,
        title.to_string(),
        vec![replace(file, line, arg.span.clone(), text)],
        false,
    )
}

/// The fix that removes `line`.
pub fn delete_line_fix(file: &SourceFile, line: usize, title: &str, safe: bool) -> Option<Fix> {
    edit_fix(
        file,
        title.to_string(),
        vec![delete_lines(file, line, line)],
        safe,
    )
}

/// The fix that adds `text` as a new line after `line`.
pub fn add_line_fix(
    file: &SourceFile,
    line: usize,
    text: &str,
    title: &str,
    safe: bool,
) -> Option<Fix> {
    edit_fix(
        file,
        title.to_string(),
        vec![insert_line_after(file, line, text)],
        safe,
    )
}

/// Each directive of a file with its line number.
pub fn directives(file: &SourceFile) -> impl Iterator<Item = (usize, &Directive)> {
    file.lines.iter().filter_map(|l| match &l.syntax {
        LineSyntax::Directive(d) => Some((l.index, d)),
        _ => None,
    })
}

/// The keyword of `d` at `line` as the user wrote it (`HostName`).
pub fn written_keyword<'f>(file: &'f SourceFile, line: usize, d: &'f Directive) -> &'f str {
    line_text(file, line)
        .get(d.keyword_span.clone())
        .unwrap_or(&d.keyword)
}

pub fn line_text(file: &SourceFile, line: usize) -> &str {
    file.lines
        .get(line)
        .map(|l| file.line_text(l))
        .unwrap_or("")
}

/// The range of all of a directive's arguments (its value).
pub fn value_range(file: &SourceFile, line: usize, d: &Directive) -> LspRange {
    let span = match (d.args.first(), d.args.last()) {
        (Some(first), Some(last)) => first.span.start..last.span.end,
        _ => d.rest_span.clone(),
    };
    span_range(file, line, span)
}

/// The line ending the file uses (its first), `\n` when it has none.
pub fn eol(file: &SourceFile) -> &'static str {
    file.lines
        .iter()
        .map(|l| l.ending)
        .find(|e| !e.is_empty())
        .unwrap_or("\n")
}

/// Leading blanks of a line.
pub fn indentation(file: &SourceFile, line: usize) -> &str {
    let text = line_text(file, line);
    let end = text.len() - text.trim_start_matches([' ', '\t']).len();
    text.get(..end).unwrap_or("")
}

/// The indentation for a new line in `block`: that of its first line, else
/// the file's usual indentation under a header.
pub fn block_indent(file: &SourceFile, block: &Block) -> String {
    if let Some(first) = block.lines.first() {
        return indentation(file, *first).to_string();
    }
    if block.header_line.is_none() {
        return String::new();
    }
    blocks(file)
        .iter()
        .filter(|b| b.header_line.is_some())
        .flat_map(|b| b.lines.iter())
        .map(|l| indentation(file, *l))
        .find(|i| !i.is_empty())
        .unwrap_or("  ")
        .to_string()
}

pub fn line_end(file: &SourceFile, line: usize) -> Position {
    let len = file.lines.get(line).map(|l| l.range.len()).unwrap_or(0);
    span_range(file, line, len..len).end
}

fn position(line: usize, character: u32) -> Position {
    Position::new(u32::try_from(line).unwrap_or(u32::MAX), character)
}

/// Replaces a span of a line.
pub fn replace(file: &SourceFile, line: usize, span: Range<usize>, text: &str) -> Edit {
    Edit {
        path: file.path.clone(),
        range: span_range(file, line, span),
        new_text: text.to_string(),
    }
}

/// Adds `text` as a new line after `line` (in the file's line ending).
pub fn insert_line_after(file: &SourceFile, line: usize, text: &str) -> Edit {
    let at = line_end(file, line);
    Edit {
        path: file.path.clone(),
        range: LspRange::new(at, at),
        new_text: format!("{}{text}", eol(file)),
    }
}

/// Adds `text` as a new line before `line`.
pub fn insert_line_before(file: &SourceFile, line: usize, text: &str) -> Edit {
    let at = position(line, 0);
    Edit {
        path: file.path.clone(),
        range: LspRange::new(at, at),
        new_text: format!("{text}{}", eol(file)),
    }
}

/// Removes lines `first..=last` with their endings.
pub fn delete_lines(file: &SourceFile, first: usize, last: usize) -> Edit {
    let has_ending = file.lines.get(last).is_some_and(|l| !l.ending.is_empty());
    let range = if has_ending {
        LspRange::new(position(first, 0), position(last + 1, 0))
    } else if first > 0 {
        // The last line of a file without a final newline: take the ending
        // of the line before instead.
        LspRange::new(line_end(file, first - 1), line_end(file, last))
    } else {
        LspRange::new(position(first, 0), line_end(file, last))
    };
    Edit {
        path: file.path.clone(),
        range,
        new_text: String::new(),
    }
}

/// Appends lines at the end of the file, after a blank line.
pub fn append_lines(file: &SourceFile, lines: &[String]) -> Edit {
    let nl = eol(file);
    let (at, mut text) = match file.lines.last() {
        None => (position(0, 0), String::new()),
        Some(last) if last.ending.is_empty() => (line_end(file, last.index), nl.to_string()),
        Some(last) => (position(last.index + 1, 0), String::new()),
    };
    let last_blank = file
        .lines
        .last()
        .is_none_or(|l| file.line_text(l).trim().is_empty());
    if !last_blank {
        text.push_str(nl);
    }
    for line in lines {
        text.push_str(line);
        text.push_str(nl);
    }
    Edit {
        path: file.path.clone(),
        range: LspRange::new(at, at),
        new_text: text,
    }
}

/// The block a line is in (its header line counts as inside).
pub fn block_at(all: &[Block], line: usize) -> Option<&Block> {
    // The blocks are in file order (the global one first): the last one
    // starting at or before `line`.
    let starts_before = all.partition_point(|b| b.header_line.is_none_or(|h| h <= line));
    starts_before.checked_sub(1).and_then(|at| all.get(at))
}

pub use crate::ssh::release::history::BARE_CRITERIA;

/// Whether a block can apply only in ssh's final pass: a `Match` with a
/// `final` or `canonical` criterion (not negated), which match only after
/// canonicalisation or in the pass `Match final` asks for.
pub fn final_pass_only(file: &SourceFile, block: &Block) -> bool {
    let Some(line) = block.header_line else {
        return false;
    };
    let Some(LineSyntax::Directive(d)) = file.lines.get(line).map(|l| &l.syntax) else {
        return false;
    };
    if d.keyword != "match" {
        return false;
    }
    let mut args = d.args.iter();
    while let Some(arg) = args.next() {
        let criterion = arg.value.to_ascii_lowercase();
        if criterion == "final" || criterion == "canonical" {
            return true;
        }
        if !BARE_CRITERIA.contains(&criterion.trim_start_matches('!')) {
            // Skip the criterion's argument.
            args.next();
        }
    }
    false
}

/// The last line of a block: its last directive, else its header.
pub fn block_last_line(block: &Block) -> Option<usize> {
    block.lines.last().copied().or(block.header_line)
}

/// How to name a block in a message: `Host web` (line 3), or "the global
/// section".
pub fn block_name(file: &SourceFile, block: &Block) -> String {
    match block.header_line {
        Some(line) => format!("\"{}\" (line {})", line_text(file, line).trim(), line + 1),
        None => String::from("the global section (before the first Host or Match)"),
    }
}

/// A path with the home directory written `~`.
pub fn show_path(ctx: &LintContext, path: &Path) -> String {
    let home = &ctx.local.home;
    match path.strip_prefix(home) {
        Ok(rest) if !home.as_os_str().is_empty() && home != Path::new("/") => {
            format!("~/{}", rest.display())
        }
        _ => path.display().to_string(),
    }
}

/// `~/.ssh/config line 3`.
pub fn place(ctx: &LintContext, path: &Path, line: usize) -> String {
    format!("{} line {}", show_path(ctx, path), line + 1)
}

pub fn origin_path(r: &Resolution, origin: Origin) -> Option<&Path> {
    r.files.get(origin.file).map(|f| f.path.as_path())
}

pub fn origin_is(r: &Resolution, origin: Origin, path: &Path, line: usize) -> bool {
    origin.line == line && origin_path(r, origin) == Some(path)
}

/// The directive an origin points at, with its file as linted.
pub fn origin_directive<'c>(
    ctx: &'c LintContext,
    r: &Resolution,
    origin: Origin,
) -> Option<(&'c SourceFile, &'c Directive)> {
    let file = ctx.file(origin_path(r, origin)?)?;
    match &file.lines.get(origin.line)?.syntax {
        LineSyntax::Directive(d) => Some((file, d)),
        _ => None,
    }
}

/// Keywords whose first obtained value is the only one used: a later line
/// for the same keyword is ignored.
pub fn first_value_wins(kind: Kind) -> bool {
    !matches!(
        kind,
        Kind::IdentityFile
            | Kind::CertificateFile
            | Kind::SendEnv
            | Kind::LocalForward
            | Kind::RemoteForward
            | Kind::DynamicForward
            | Kind::Host
            | Kind::Match
            | Kind::Include
            | Kind::Ignore
            | Kind::Deprecated
            | Kind::Unsupported
    )
}

/// The option slot a keyword fills: ProxyJump and ProxyCommand share one
/// (whichever comes first decides how to connect).
pub fn slot(keyword: &Keyword) -> &'static str {
    match keyword.kind {
        Kind::ProxyJump | Kind::ProxyCommand => "proxy",
        _ => keyword.canonical,
    }
}

/// Whether this line sets its slot for `release` (a `none` time leaves it
/// unset, `ProxyJump none` still lets a later ProxyCommand through, and
/// before 9.2 a PermitRemoteOpen line of one host:port keeps nothing).
pub fn sets_slot(keyword: &Keyword, d: &Directive, release: Release) -> bool {
    let none = d
        .args
        .first()
        .is_some_and(|a| a.value.eq_ignore_ascii_case("none"));
    let keeps_nothing = keyword.canonical == "permitremoteopen"
        && matches!(d.args.as_slice(), [only] if skips_first_permit_argument(release, &only.value));
    let unset_by_none = none && matches!(keyword.kind, Kind::Time | Kind::ProxyJump);
    !unset_by_none && !keeps_nothing
}

/// The value that won a slot in a resolution, and where it came from.
pub fn winner(r: &Resolution, keyword: &Keyword) -> Option<(Origin, String)> {
    let o = &r.options;
    match keyword.kind {
        Kind::ProxyJump | Kind::ProxyCommand => {
            if let Some(j) = o.jump.as_ref().filter(|j| j.host != "none") {
                return Some((j.origin, jump_text(r, j.origin)));
            }
            o.get("proxycommand")
                .map(|v| (v.origin, v.text.clone()))
                .or_else(|| o.jump.as_ref().map(|j| (j.origin, String::from("none"))))
        }
        Kind::FileList | Kind::SetEnv => {
            let list = o.list(keyword.canonical);
            let first = list.first()?;
            let text = list
                .iter()
                .filter(|v| v.origin == first.origin)
                .map(|v| v.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            Some((first.origin, text))
        }
        _ => o.get(keyword.canonical).map(|v| (v.origin, v.text.clone())),
    }
}

fn jump_text(r: &Resolution, origin: Origin) -> String {
    r.files
        .get(origin.file)
        .and_then(|f| f.lines.get(origin.line).map(|l| (f, l)))
        .and_then(|(f, l)| match &l.syntax {
            LineSyntax::Directive(d) => Some(
                f.text
                    .get(l.range.clone())
                    .and_then(|t| t.get(d.rest_span.clone()))
                    .unwrap_or(&d.rest)
                    .to_string(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

/// The value one directive gives on its own, as `ssh -G` would print it.
pub fn own_value(keyword: &'static Keyword, d: &Directive) -> Option<String> {
    let mut options = Options::default();
    options
        .apply(keyword, d, Origin { file: 0, line: 0 }, true)
        .ok()?;
    let r = Resolution {
        host_arg: String::new(),
        files: Vec::new(),
        options,
        errors: Vec::new(),
        notes: Vec::new(),
        applied_blocks: Vec::new(),
    };
    match keyword.kind {
        Kind::ProxyJump => Some(d.rest.trim_start_matches('=').trim().to_string()),
        _ => winner(&r, keyword).map(|(_, text)| text),
    }
}

/// A host name from the config: one literal pattern of a Host line.
#[derive(Debug, Clone)]
pub struct Alias {
    pub name: String,
    /// Index into `ctx.files`.
    pub file: usize,
    pub header: usize,
    /// Bytes of the pattern in the header line.
    pub span: Range<usize>,
}

/// Every literal Host alias, in file order (the same name may repeat).
pub fn aliases(ctx: &LintContext) -> Vec<Alias> {
    each_alias(ctx).collect()
}

/// [`aliases`], one at a time: a caller that needs the first few stops there.
fn each_alias<'c>(ctx: &'c LintContext) -> impl Iterator<Item = Alias> + 'c {
    ctx.files.iter().enumerate().flat_map(|(index, file)| {
        directives(file)
            .filter(|(_, d)| d.keyword == "host")
            .flat_map(move |(line, d)| {
                d.args
                    .iter()
                    .filter(|arg| {
                        let v = &arg.value;
                        !(v.is_empty() || v.starts_with('!') || has_wildcards(v) || v.contains(','))
                    })
                    .map(move |arg| Alias {
                        name: arg.value.clone(),
                        file: index,
                        header: line,
                        span: arg.span.clone(),
                    })
            })
    })
}

/// The hosts worth resolving: every alias once, then a host no block names.
pub fn probe_hosts(ctx: &LintContext) -> Vec<String> {
    probes(ctx).to_vec()
}

/// [`probe_hosts`], found once per run and shared.
fn probes(ctx: &LintContext) -> Rc<Vec<String>> {
    Rc::clone(ctx.probes.get_or_init(|| {
        let mut out: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for alias in each_alias(ctx) {
            if out.len() >= MAX_PROBES {
                break;
            }
            if seen.insert(alias.name.clone()) {
                out.push(alias.name);
            }
        }
        out.push(ANY_HOST.to_string());
        Rc::new(out)
    }))
}

/// How to name a probed host in a message.
pub fn host_words(host: &str) -> String {
    if host == ANY_HOST {
        String::from("any host the config does not name")
    } else {
        host.to_string()
    }
}

/// The targets of one Include argument, as ssh expands them.
pub fn include_arg_targets(ctx: &LintContext, value: &str) -> (String, Vec<PathBuf>) {
    let home = ctx.local.home.to_string_lossy().into_owned();
    let pattern = tilde_expand(&ctx.platform.include_pattern(value, true), &home);
    let found = ctx.glob(&pattern).to_vec();
    (pattern, found)
}

/// Where a file is included from: (index into ctx.files, line).
fn include_sites(ctx: &LintContext, path: &Path) -> Vec<(usize, usize)> {
    ctx.included_from(path).to_vec()
}

/// Whether `block` of `file` was active in resolution `r`.
pub fn block_applied(ctx: &LintContext, r: &Resolution, file: &SourceFile, block: &Block) -> bool {
    block_applied_depth(ctx, r, file, block, 0)
}

fn block_applied_depth(
    ctx: &LintContext,
    r: &Resolution,
    file: &SourceFile,
    block: &Block,
    depth: usize,
) -> bool {
    match block.header_line {
        Some(line) => r
            .applied_blocks
            .iter()
            .any(|o| origin_is(r, *o, &file.path, line)),
        None if file.path == ctx.main => true,
        None => {
            if depth > 16 {
                return false;
            }
            include_sites(ctx, &file.path)
                .into_iter()
                .any(|(index, line)| {
                    let Some(including) = ctx.files.get(index) else {
                        return false;
                    };
                    let all = blocks(including);
                    block_at(&all, line)
                        .is_some_and(|b| block_applied_depth(ctx, r, including, b, depth + 1))
                })
        }
    }
}

/// The hosts a block applies to, as far as gord can name them: its literal
/// patterns, one made-up name per wildcard pattern, the config's aliases,
/// and a host no block names; each with its resolution.
pub fn block_hosts(
    ctx: &LintContext,
    file: &SourceFile,
    block: &Block,
) -> Vec<(String, Rc<Resolution>)> {
    let mut candidates: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    if let Header::Host(patterns) = &block.header {
        for p in patterns {
            // `*` alone matches everything: the config's own names say more.
            if p.starts_with('!') || p.is_empty() || p.chars().all(|c| c == '*') {
                continue;
            }
            let name = p.replace(['*', '?'], "x");
            if seen.insert(name.clone()) {
                candidates.push(name);
            }
        }
    }
    for host in probes(ctx).iter() {
        if candidates.len() >= MAX_PROBES {
            break;
        }
        if seen.insert(host.clone()) {
            candidates.push(host.clone());
        }
    }
    candidates
        .into_iter()
        .take(MAX_PROBES)
        .filter_map(|host| {
            let r = ctx.resolved(&host);
            block_applied(ctx, &r, file, block).then_some((host, r))
        })
        .collect()
}

/// The hosts of `block` whose value of `keyword` comes from `line` of
/// `file`, each with its resolution.
pub fn hosts_set_by(
    ctx: &LintContext,
    file: &SourceFile,
    block: &Block,
    line: usize,
    keyword: &str,
) -> Vec<(String, Rc<Resolution>)> {
    block_hosts(ctx, file, block)
        .into_iter()
        .filter(|(_, r)| {
            r.options
                .get(keyword)
                .is_some_and(|v| origin_is(r, v.origin, &file.path, line))
        })
        .collect()
}

/// A path from the config as ssh opens it on this machine: `~`, `%d`, `%u`,
/// `%i`, `%l`, `%L` and `%%` expanded. None for anything depending on the
/// connection, the environment or the working directory.
pub fn local_path(ctx: &LintContext, text: &str) -> Option<PathBuf> {
    if text.contains("${") {
        return None;
    }
    let home = ctx.local.home.to_string_lossy().into_owned();
    let expanded = tilde_expand(text, &home);
    let mut out = String::new();
    let mut chars = expanded.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            'd' => out.push_str(&home),
            'u' => out.push_str(&ctx.local.user),
            'i' => out.push_str(&ctx.local.uid.to_string()),
            'l' => out.push_str(&ctx.local.hostname),
            'L' => out.push_str(ctx.local.hostname.split('.').next().unwrap_or("")),
            _ => return None,
        }
    }
    ctx.platform.is_absolute(&out).then(|| PathBuf::from(out))
}

/// Looks a keyword up, for lines already known to be directives.
pub fn keyword_of(d: &Directive) -> Option<&'static Keyword> {
    lookup(&d.keyword)
}

/// Levenshtein distance, bounded work for long input.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(256).collect();
    let b: Vec<char> = b.chars().take(256).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let replace = previous.get(j).copied().unwrap_or(usize::MAX - 1) + cost;
            let delete = previous.get(j + 1).copied().unwrap_or(usize::MAX - 1) + 1;
            let insert = current.get(j).copied().unwrap_or(usize::MAX - 1) + 1;
            current.push(replace.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

/// Lists up to three names, then "and N more".
pub fn name_list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
    let mut text = shown.join(", ");
    if names.len() > 3 {
        text.push_str(&format!(" and {} more", names.len() - 3));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_keep_the_files_line_endings() {
        let file = SourceFile::parse("c".into(), "Host a\r\n  User b\r\n");
        let edit = insert_line_after(&file, 1, "  Port 2");
        assert_eq!(edit.new_text, "\r\n  Port 2");
        assert_eq!(edit.range.start, Position::new(1, 8));
        let edit = append_lines(&file, &[String::from("Host *")]);
        assert_eq!(edit.new_text, "\r\nHost *\r\n");
        assert_eq!(edit.range.start, Position::new(2, 0));
    }

    #[test]
    fn deleting_the_last_line_without_a_newline_takes_the_previous_ending() {
        let file = SourceFile::parse("c".into(), "Host a\n  User b");
        let edit = delete_lines(&file, 1, 1);
        assert_eq!(edit.range.start, Position::new(0, 6));
        assert_eq!(edit.range.end, Position::new(1, 8));
        let edit = delete_lines(&file, 0, 0);
        assert_eq!(edit.range.end, Position::new(1, 0));
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("bastion", "bastoin"), 2);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("same", "same"), 0);
    }
}
