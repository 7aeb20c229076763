//! The SSH config doctor's rules: pure functions from parsed files (and the
//! resolutions the engine computes) to findings on exact ranges, each with a
//! stable code and, where one exists, a mechanical fix.

mod memo;
pub mod output;
pub mod rules;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::finding::{Finding, Range, Severity, Subject};
use crate::ssh::config::lexer::LineSyntax;
use crate::ssh::config::local::LocalFacts;
use crate::ssh::config::resolve::{
    glob, include_set_too_large, ConfigFs, ConfigSource, EnvLookup, ExecPolicy, FileCache,
    Resolution, Resolver, MAX_INCLUDE_DEPTH,
};
use crate::ssh::config::source::SourceFile;
use crate::ssh::config::tokens::tilde_expand;
pub use memo::MemoFs;

/// Larger files are refused with a clear message rather than linted for
/// minutes (real configs are kilobytes; 2,000 hosts are about 100 KiB).
pub const MAX_CONFIG_BYTES: usize = 4 * 1024 * 1024;

/// Which client platform the config is for (ControlMaster does not work on
/// Windows' OpenSSH, paths and permissions read differently there).
pub use crate::ssh::config::platform::Platform;

/// Everything the rules look at.
pub struct LintContext<'a> {
    /// The config file being linted (the first of `files`).
    pub main: PathBuf,
    /// Every file: the main one first, then each file it includes (at any
    /// depth, once each, whether or not the including block is active).
    pub files: Vec<std::sync::Arc<SourceFile>>,
    pub fs: MemoFs<'a>,
    pub local: &'a LocalFacts,
    pub allow_exec: bool,
    pub platform: Platform,
    /// The ssh whose release the rules follow (default: the release gord's
    /// resolution models, see [`LintContext::with_ssh`]).
    pub ssh: crate::ssh::release::which::Choice,
    /// Resolutions already computed in this run, by host argument: several
    /// rules resolve the same aliases.
    resolved: RefCell<HashMap<String, Rc<Resolution>>>,
    /// Reads files' owners and ACLs (Windows; see [`LintContext::with_security`]).
    pub security: Option<&'a dyn crate::ssh::windows::SecurityReader>,
    /// Runs `Match exec` commands; only set when the user allowed it.
    exec: Option<&'a ExecFn>,
    /// Answers the `${VAR}`s ssh expands while it reads (see
    /// [`LintContext::with_env`]); none known unless given.
    env: Option<&'a EnvLookup>,
    /// The parsed files every resolution of this run shares.
    cache: FileCache,
    /// Include patterns expanded so far.
    globs: RefCell<GlobMemo>,
    /// Built on first use by [`LintContext::included_from`].
    included_from: std::cell::OnceCell<HashMap<PathBuf, Vec<(usize, usize)>>>,
    /// Findings about the set of files itself (not text, over the budget).
    problems: Vec<Finding>,
    /// The Remote-SSH targets two rules look at, found on first use.
    pub(crate) remote_targets: std::cell::OnceCell<Rc<Vec<rules::remote::Target>>>,
    /// The hosts the rules probe, found on first use.
    pub(crate) probes: std::cell::OnceCell<Rc<Vec<String>>>,
}

/// A `Match exec` runner: the expanded command in, whether it exited 0 out.
pub type ExecFn = dyn Fn(&str) -> Result<bool, String> + Sync;

impl<'a> LintContext<'a> {
    /// Loads `main` and the files it includes through `fs`: breadth-first,
    /// each file once, no deeper than ssh goes (16 levels), and the whole set
    /// within [`crate::fsread::SSH_INCLUDE_SET_FILES`] files and
    /// [`crate::fsread::SSH_INCLUDE_SET_BYTES`] bytes. A file that is not text
    /// is one finding, not thousands.
    pub fn load(
        main: &Path,
        fs: &'a dyn ConfigFs,
        local: &'a LocalFacts,
        allow_exec: bool,
    ) -> std::io::Result<Self> {
        Self::load_on(main, fs, local, allow_exec, Platform::current())
    }

    /// [`LintContext::load`] for the ssh of `platform` (whose Include paths
    /// read differently: Win32-OpenSSH takes drive letters and backslashes).
    pub fn load_on(
        main: &Path,
        fs: &'a dyn ConfigFs,
        local: &'a LocalFacts,
        allow_exec: bool,
        platform: Platform,
    ) -> std::io::Result<Self> {
        use crate::fsread::{SSH_INCLUDE_SET_BYTES, SSH_INCLUDE_SET_FILES};
        let bytes = fs.read(main)?;
        if bytes.len() > MAX_CONFIG_BYTES {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{} is {:.1} MiB; gord checks SSH configs of up to {} MiB (ssh reads it, but no real config is this large: is it the right file?)",
                    main.display(),
                    bytes.len() as f64 / 1_048_576.0,
                    MAX_CONFIG_BYTES / 1_048_576
                ),
            ));
        }
        let fs = MemoFs::new(fs);
        let mut problems = Vec::new();
        let mut total = bytes.len() as u64;
        let mut files = vec![std::sync::Arc::new(parse_checked(
            main.to_path_buf(),
            &bytes,
            &mut problems,
        ))];
        drop(bytes);
        let mut depths = vec![0usize];
        let mut seen: HashSet<PathBuf> = HashSet::from([main.to_path_buf()]);
        let mut globs = GlobMemo::default();
        let mut next = 0;
        'files: while next < files.len() {
            // ssh stops at this depth with an error the resolutions report.
            if depths[next] >= MAX_INCLUDE_DEPTH {
                next += 1;
                continue;
            }
            let includer = std::sync::Arc::clone(&files[next]);
            for (line, path) in include_sites_of(&includer, local, &fs, &mut globs, platform) {
                if seen.contains(&path) || fs.is_dir(&path) {
                    continue;
                }
                if files.len() >= SSH_INCLUDE_SET_FILES || total >= SSH_INCLUDE_SET_BYTES {
                    problems.push(set_too_large(&includer, line));
                    break 'files;
                }
                // Unreadable files (missing, not regular, too large) are left
                // to the resolutions, which report them as ssh would.
                let Ok(bytes) = fs.read(&path) else {
                    continue;
                };
                if total + bytes.len() as u64 > SSH_INCLUDE_SET_BYTES {
                    problems.push(set_too_large(&includer, line));
                    break 'files;
                }
                total += bytes.len() as u64;
                seen.insert(path.clone());
                files.push(std::sync::Arc::new(parse_checked(
                    path,
                    &bytes,
                    &mut problems,
                )));
                depths.push(depths[next] + 1);
            }
            next += 1;
        }
        // The resolutions start from the files already parsed here.
        let cache = FileCache::new(
            files
                .iter()
                .map(|f| (f.path.clone(), std::sync::Arc::clone(f)))
                .collect(),
        );
        Ok(LintContext {
            main: main.to_path_buf(),
            files,
            fs,
            local,
            allow_exec,
            platform,
            security: crate::ssh::windows::system_reader(),
            ssh: crate::ssh::release::which::Choice::of_version(
                crate::ssh::config::resolve::modelled_version(),
            ),
            resolved: RefCell::new(HashMap::new()),
            exec: None,
            env: None,
            cache,
            globs: RefCell::new(globs),
            included_from: std::cell::OnceCell::new(),
            problems,
            remote_targets: std::cell::OnceCell::new(),
            probes: std::cell::OnceCell::new(),
        })
    }

    /// The files an Include pattern (already `~`-expanded) names, each
    /// pattern expanded once per run.
    pub fn glob(&self, pattern: &str) -> Rc<Vec<PathBuf>> {
        self.globs.borrow_mut().get(&self.fs, pattern)
    }

    /// Where each loaded file is included from: (index into `files`, line).
    pub fn included_from(&self, path: &Path) -> &[(usize, usize)] {
        let index = self.included_from.get_or_init(|| {
            let mut index: HashMap<PathBuf, Vec<(usize, usize)>> = HashMap::new();
            let mut globs = self.globs.borrow_mut();
            for (at, file) in self.files.iter().enumerate() {
                for (line, target) in
                    include_sites_of(file, self.local, &self.fs, &mut globs, self.platform)
                {
                    let sites = index.entry(target).or_default();
                    if sites.last() != Some(&(at, line)) {
                        sites.push((at, line));
                    }
                }
            }
            index
        });
        index.get(path).map_or(&[], Vec::as_slice)
    }

    /// Follows `ssh`'s release: its keywords, criteria and tokens.
    pub fn with_ssh(mut self, ssh: crate::ssh::release::which::Choice) -> Self {
        if ssh.semantics.flavour == crate::ssh::release::Flavour::Windows {
            self.platform = Platform::Windows;
        }
        self.ssh = ssh;
        self.resolved.borrow_mut().clear();
        self.remote_targets = std::cell::OnceCell::new();
        self
    }

    /// Judges files' ACLs with `security` (default: this machine's, on
    /// Windows only).
    pub fn with_security(mut self, security: &'a dyn crate::ssh::windows::SecurityReader) -> Self {
        self.security = Some(security);
        self
    }

    /// Resolves with the environment ssh would run in (`env`): Include
    /// paths' `${VAR}`s (9.9+) are expanded and agent socket paths whose
    /// `${VAR}` is not set are refused, as ssh does.
    pub fn with_env(mut self, env: &'a EnvLookup) -> Self {
        self.env = Some(env);
        self.resolved.borrow_mut().clear();
        self
    }

    /// Lets `Match exec` blocks run their command (the user allowed it).
    pub fn with_exec(mut self, exec: &'a ExecFn) -> Self {
        self.exec = Some(exec);
        self.allow_exec = true;
        self
    }

    /// Resolves `host` against the main file as `ssh -F main host` would.
    /// `Match exec` blocks count as not matching unless the user allowed
    /// their commands to run ([`LintContext::with_exec`]).
    pub fn resolve(&self, host: &str) -> Resolution {
        let policy = match self.exec {
            Some(run) => ExecPolicy::Allow(run),
            None => ExecPolicy::Deny,
        };
        let resolver = Resolver::new(&self.fs, self.local, policy)
            .with_cache(&self.cache)
            .with_version(self.ssh.semantics)
            .with_platform(self.platform);
        match self.env {
            Some(env) => resolver.with_env(env),
            None => resolver,
        }
        .resolve_sources(&[ConfigSource::explicit(&self.main)], host)
    }

    /// [`LintContext::resolve`], computed once per host and shared.
    pub fn resolved(&self, host: &str) -> Rc<Resolution> {
        if let Some(r) = self.resolved.borrow().get(host) {
            return Rc::clone(r);
        }
        let r = Rc::new(self.resolve(host));
        self.resolved
            .borrow_mut()
            .insert(host.to_string(), Rc::clone(&r));
        r
    }

    pub fn file(&self, path: &Path) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.path == path).map(|f| &**f)
    }
}

/// (line, target) for each file each Include line of `file` names.
fn include_sites_of(
    file: &SourceFile,
    local: &LocalFacts,
    fs: &dyn ConfigFs,
    globs: &mut GlobMemo,
    platform: Platform,
) -> Vec<(usize, PathBuf)> {
    let home = local.home.to_string_lossy().into_owned();
    let mut out = Vec::new();
    for line in &file.lines {
        let LineSyntax::Directive(d) = &line.syntax else {
            continue;
        };
        if d.keyword != "include" {
            continue;
        }
        for arg in &d.args {
            let pattern = platform.include_pattern(&arg.value, true);
            let found = globs.get(fs, &tilde_expand(&pattern, &home));
            out.extend(found.iter().map(|p| (line.index, p.clone())));
        }
    }
    out
}

/// Include patterns already expanded in one run.
#[derive(Default)]
pub struct GlobMemo(HashMap<String, Rc<Vec<PathBuf>>>);

impl GlobMemo {
    fn get(&mut self, fs: &dyn ConfigFs, pattern: &str) -> Rc<Vec<PathBuf>> {
        Rc::clone(
            self.0
                .entry(pattern.to_string())
                .or_insert_with(|| Rc::new(glob(fs, pattern))),
        )
    }
}

/// Parses a config file; one that is not text (binary data, a disk image)
/// becomes an empty file and one finding, not thousands of findings.
fn parse_checked(path: PathBuf, bytes: &[u8], problems: &mut Vec<Finding>) -> SourceFile {
    let Some(at) = binary_at(bytes) else {
        return SourceFile::from_bytes(path, bytes);
    };
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count();
    let mut file = SourceFile::from_bytes(path, b"");
    file.utf8 = false;
    problems.push(
        Finding::new(
            "SSH024",
            Severity::Error,
            format!(
                "this is not a text file (binary data on line {}): ssh cannot read it as a config and stops; gord does not check it further",
                line + 1
            ),
            Subject::file(&file.path, Range::default()),
        )
        .with_rule_page(),
    );
    file
}

/// Where `bytes` first show they are not text: a NUL byte, or control
/// characters (other than tab, newline, CR, form feed, vertical tab and
/// escape) more than one in 256 bytes. None for text.
pub fn binary_at(bytes: &[u8]) -> Option<usize> {
    let is_control =
        |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1b)) || b == 0x7f;
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Some(at);
    }
    let controls = bytes.iter().filter(|&&b| is_control(b)).count();
    if controls > 8 && controls > bytes.len() / 256 {
        return bytes.iter().position(|&b| is_control(b));
    }
    None
}

fn set_too_large(includer: &SourceFile, line: usize) -> Finding {
    Finding::new(
        "SSH025",
        Severity::Error,
        include_set_too_large(),
        Subject::file(&includer.path, line_range(includer, line)),
    )
    .with_rule_page()
}

/// At most this many findings are shown per file; one more says how many
/// were left out.
pub const MAX_FINDINGS_PER_FILE: usize = 200;

/// Keeps the first [`MAX_FINDINGS_PER_FILE`] findings of each file of the
/// sorted `findings` and adds one that counts the rest.
fn cap_per_file(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len().min(4096));
    let mut current: Option<PathBuf> = None;
    let mut kept = 0;
    // The first finding left out of the current file, and how many were.
    let mut dropped: Option<(Finding, usize)> = None;
    for f in findings {
        let path = f.path().map(Path::to_path_buf);
        if current != path {
            out.extend(summary(dropped.take()));
            current = path;
            kept = 0;
        }
        if kept < MAX_FINDINGS_PER_FILE {
            kept += 1;
            out.push(f);
        } else if let Some((first, count)) = &mut dropped {
            first.severity = first.severity.max(f.severity);
            *count += 1;
        } else {
            dropped = Some((f, 1));
        }
    }
    out.extend(summary(dropped));
    out
}

fn summary(dropped: Option<(Finding, usize)>) -> Option<Finding> {
    let (mut first, count) = dropped?;
    first.message = format!(
        "{count} more finding{} in this file not shown (gord shows the first {MAX_FINDINGS_PER_FILE} per file); fix these and run again",
        if count == 1 { "" } else { "s" }
    );
    first.fixes.clear();
    Some(first)
}

/// What a rule does: adds its findings (under the code it is given) to `out`.
pub type Check = fn(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>);

/// A rule of the catalogue.
#[derive(Clone, Copy)]
pub struct Rule {
    code: &'static str,
    title: &'static str,
    check: Check,
}

impl Rule {
    pub const fn new(code: &'static str, title: &'static str, check: Check) -> Self {
        Self { code, title, check }
    }

    /// Stable code, `SSH001`...; never reused.
    pub fn code(&self) -> &'static str {
        self.code
    }

    pub fn title(&self) -> &'static str {
        self.title
    }

    pub fn check(&self, ctx: &LintContext, out: &mut Vec<Finding>) {
        (self.check)(self.code, ctx, out)
    }
}

/// Runs every rule; findings sorted by file, then position.
pub fn lint(ctx: &LintContext) -> Vec<Finding> {
    let mut out = ctx.problems.clone();
    for rule in rules::catalogue() {
        rule.check(ctx, &mut out);
    }
    out.sort_by(|a, b| {
        (a.path(), a.range().map(|r| r.start), &a.code).cmp(&(
            b.path(),
            b.range().map(|r| r.start),
            &b.code,
        ))
    });
    let mut out = cap_per_file(out);
    // Rules quote config lines; a password or token in one stays out of every
    // output (the edits keep the real text: they are applied, not shown).
    // Done after the cap: only the findings shown are redacted.
    let basis = ctx.text_basis();
    for finding in &mut out {
        finding.basis = Some(basis);
        finding.message = crate::redact::secrets(&finding.message);
        for fix in &mut finding.fixes {
            fix.title = crate::redact::secrets(&fix.title);
        }
    }
    out
}

impl LintContext<'_> {
    /// A hash over the path and text of every file read, in order: what the
    /// findings' ranges and fixes refer to (an edit can touch an included
    /// file, so one changed file makes every fix of the run stale).
    pub fn text_basis(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for file in &self.files {
            file.path.hash(&mut hasher);
            file.text.hash(&mut hasher);
        }
        hasher.finish()
    }
}

/// The range (UTF-16 columns) of byte span `span` on line `line` of `file`.
pub fn span_range(file: &SourceFile, line: usize, span: std::ops::Range<usize>) -> Range {
    let text = file
        .lines
        .get(line)
        .map(|l| file.line_text(l))
        .unwrap_or("");
    crate::text::line_range(line, text, span.start, span.end)
}

/// The range of a whole line's content.
pub fn line_range(file: &SourceFile, line: usize) -> Range {
    let len = file.lines.get(line).map(|l| l.range.len()).unwrap_or(0);
    span_range(file, line, 0..len)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ssh::config::resolve::memory::MemoryFs;

    pub fn facts() -> LocalFacts {
        LocalFacts {
            user: "me".into(),
            uid: 1000,
            home: "/home/me".into(),
            hostname: "box.local".into(),
        }
    }

    /// Lints `text` as /home/me/.ssh/config on an otherwise empty file system.
    pub fn lint_text(text: &str) -> Vec<Finding> {
        lint_files(&[("/home/me/.ssh/config", text)])
    }

    /// A config with one misspelt keyword: a single SSH001 finding, with
    /// a safe fix (HostName).
    pub const MISSPELT: &str = "Host a\n  Hostnme x\n";

    /// The findings of one rule.
    pub fn only<'a>(findings: &'a [Finding], code: &str) -> Vec<&'a Finding> {
        findings.iter().filter(|f| f.code == code).collect()
    }

    /// Lints `text` as in [`lint_text`] and gives the one finding of `code`.
    pub fn lint_one(text: &str, code: &str) -> Finding {
        one(&lint_text(text), code).clone()
    }

    /// The finding of a rule that must find exactly one thing; fails,
    /// listing what it found, otherwise.
    pub fn one<'a>(findings: &'a [Finding], code: &str) -> &'a Finding {
        match only(findings, code).as_slice() {
            [f] => f,
            found => panic!("one {code} finding expected, got {found:#?}"),
        }
    }

    /// The first and last column of a finding's range.
    pub fn columns(f: &Finding) -> (u32, u32) {
        let range = f.range().expect("a finding on a file range");
        (range.start.character, range.end.character)
    }

    /// Where a finding is: its line, and its first and last column.
    pub fn at(f: &Finding) -> (u32, u32, u32) {
        let range = f.range().expect("a finding on a file range");
        (range.start.line, range.start.character, range.end.character)
    }

    /// Asserts that a finding's message says `words`, showing the message
    /// when it does not.
    #[track_caller]
    pub fn assert_says(f: &Finding, words: &str) {
        assert!(f.message.contains(words), "{words:?} not in: {}", f.message);
    }

    /// Lints the first of `files` (path, text, mode), with all of them on
    /// the file system.
    pub fn lint_modes(files: &[(&str, &str, u32)]) -> Vec<Finding> {
        let plain: Vec<(&str, &str)> = files.iter().map(|(p, t, _)| (*p, *t)).collect();
        let mut fs = MemoryFs::with(&plain);
        for (path, _, mode) in files {
            if let Some(entry) = fs.files.get_mut(Path::new(path)) {
                entry.1 = *mode;
            }
        }
        let local = facts();
        let ctx = LintContext::load(Path::new(files[0].0), &fs, &local, false).unwrap();
        lint(&ctx)
    }

    /// Lints `text` as /home/me/.ssh/config for the ssh `ssh`.
    pub fn lint_text_for(text: &str, ssh: crate::ssh::release::which::Choice) -> Vec<Finding> {
        let files = [("/home/me/.ssh/config", text)];
        let fs = MemoryFs::with(&files);
        let local = facts();
        let ctx = LintContext::load(Path::new(files[0].0), &fs, &local, false)
            .unwrap()
            .with_ssh(ssh);
        lint(&ctx)
    }

    /// Lints the first of `files`, with all of them on the file system.
    pub fn lint_files(files: &[(&str, &str)]) -> Vec<Finding> {
        let fs = MemoryFs::with(files);
        let local = facts();
        let ctx = LintContext::load(Path::new(files[0].0), &fs, &local, false).unwrap();
        lint(&ctx)
    }

    #[test]
    fn an_agent_path_variable_unset_where_ssh_runs_is_flagged_only_with_an_environment() {
        let text =
            "Host other\n  IdentityAgent ${NOT_SET}/agent\nHost *\n  IdentityAgent ${SET}/agent\n";
        let files = [("/home/me/.ssh/config", text)];
        let fs = MemoryFs::with(&files);
        let local = facts();
        let load = || LintContext::load(Path::new(files[0].0), &fs, &local, false).unwrap();
        let env = |name: &str| (name == "SET").then(|| String::from("/run"));
        let with_env = lint(&load().with_env(&env));
        let refused: Vec<(u32, &str)> = with_env
            .iter()
            .filter(|f| f.code == "SSH025")
            .map(|f| {
                (
                    f.range().map_or(u32::MAX, |r| r.start.line),
                    f.message.as_str(),
                )
            })
            .collect();
        assert_eq!(refused.len(), 1, "{with_env:?}");
        assert_eq!(refused[0].0, 1, "on the line that names it");
        assert!(
            refused[0]
                .1
                .contains("Invalid environment expansion ${NOT_SET}/agent."),
            "{}",
            refused[0].1
        );
        // Without one, nothing can tell whether the variable is set.
        assert!(lint(&load()).iter().all(|f| f.code != "SSH025"));
    }

    #[test]
    fn binary_data_is_told_from_text() {
        assert_eq!(binary_at(b"Host a\n\tUser b # \x1b[0m\r\n"), None);
        assert_eq!(binary_at(b"Host a\n\0junk"), Some(7));
        let controls: Vec<u8> = (0..100)
            .map(|i| if i % 2 == 0 { 1 } else { b'a' })
            .collect();
        assert_eq!(binary_at(&controls), Some(0));
        // A config that is not text is one finding, not one per line.
        let mut bytes = b"Host a\n".to_vec();
        bytes.extend((0..5000u32).map(|i| (i * 7919 % 251) as u8));
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let findings = lint_text(&text);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert!(findings[0].message.contains("not a text file"));
    }

    #[test]
    fn findings_are_capped_per_file_and_the_rest_counted() {
        let text = "Bogus 1\n".repeat(MAX_FINDINGS_PER_FILE + 50);
        let findings = lint_text(&text);
        assert_eq!(findings.len(), MAX_FINDINGS_PER_FILE + 1);
        let last = findings.last().unwrap();
        assert!(
            last.message
                .starts_with("50 more findings in this file not shown"),
            "{}",
            last.message
        );
    }

    #[test]
    fn an_include_fan_out_loads_at_most_the_set_budget() {
        let names: Vec<String> = (0..400)
            .map(|i| format!("/home/me/.ssh/d/f{i:03}"))
            .collect();
        let mut files = vec![("/home/me/.ssh/config", "Include d/*\n")];
        files.extend(names.iter().map(|n| (n.as_str(), "Include d/*\n")));
        let fs = MemoryFs::with(&files);
        let local = facts();
        let ctx = LintContext::load(Path::new(files[0].0), &fs, &local, false).unwrap();
        assert!(ctx.files.len() <= crate::fsread::SSH_INCLUDE_SET_FILES);
        let findings = lint(&ctx);
        assert!(findings
            .iter()
            .any(|f| f.message.contains("over gord's limit")));
        assert!(findings.iter().any(|f| f
            .message
            .contains("Too many recursive configuration includes")));
    }

    #[test]
    fn findings_come_sorted_by_place() {
        let findings = lint_text("Bogus 1\nHost a\n  Hostnme x\n");
        let lines: Vec<u32> = findings
            .iter()
            .map(|f| f.range().unwrap().start.line)
            .collect();
        let mut sorted = lines.clone();
        sorted.sort_unstable();
        assert_eq!(lines, sorted);
        assert!(findings.len() >= 2);
    }
}
