//! The SSH config doctor's rules: pure functions from parsed files (and the
//! resolutions the engine computes) to findings on exact ranges, each with a
//! stable code and, where one exists, a mechanical fix.

pub mod output;
pub mod rules;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use tower_lsp_server::ls_types::Range;

use crate::ssh::config::lexer::LineSyntax;
use crate::ssh::config::local::LocalFacts;
use crate::ssh::config::resolve::{
    glob, ConfigFs, ConfigSource, ExecPolicy, FileCache, Resolution, Resolver,
};
use crate::ssh::config::source::SourceFile;
use crate::ssh::config::tokens::tilde_expand;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// One replacement in one file (LSP range: 0-based lines, UTF-16 columns).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TextEdit {
    pub file: PathBuf,
    pub range: Range,
    pub new_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SshFix {
    pub title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<TextEdit>,
    /// argv to run instead of (or besides) the edits, e.g. `chmod 600 KEY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// Safe fixes are applied by `gord ssh fix`; the others only on request.
    pub safe: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintFinding {
    pub code: &'static str,
    pub severity: Severity,
    pub file: PathBuf,
    pub range: Range,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<SshFix>,
}

/// Larger files are refused with a clear message rather than linted for
/// minutes (real configs are kilobytes; 2,000 hosts are about 100 KiB).
pub const MAX_CONFIG_BYTES: usize = 4 * 1024 * 1024;

/// Which client platform the config is for (ControlMaster does not work on
/// Windows' OpenSSH).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Unix,
    Windows,
}

/// Everything the rules look at.
pub struct LintContext<'a> {
    /// The config file being linted (the first of `files`).
    pub main: PathBuf,
    /// Every file: the main one first, then each file it includes (at any
    /// depth, once each, whether or not the including block is active).
    pub files: Vec<std::sync::Arc<SourceFile>>,
    pub fs: &'a dyn ConfigFs,
    pub local: &'a LocalFacts,
    pub allow_exec: bool,
    pub platform: Platform,
    /// Resolutions already computed in this run, by host argument: several
    /// rules resolve the same aliases.
    resolved: RefCell<HashMap<String, Rc<Resolution>>>,
    /// Runs `Match exec` commands; only set when the user allowed it.
    exec: Option<&'a ExecFn>,
    /// The parsed files every resolution of this run shares.
    cache: FileCache,
}

/// A `Match exec` runner: the expanded command in, whether it exited 0 out.
pub type ExecFn = dyn Fn(&str) -> Result<bool, String> + Sync;

impl<'a> LintContext<'a> {
    /// Loads `main` and the files it includes through `fs`.
    pub fn load(
        main: &Path,
        fs: &'a dyn ConfigFs,
        local: &'a LocalFacts,
        allow_exec: bool,
    ) -> std::io::Result<Self> {
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
        let mut files = vec![std::sync::Arc::new(SourceFile::from_bytes(
            main.to_path_buf(),
            &bytes,
        ))];
        let mut next = 0;
        // Breadth-first over Include lines; each file once, so loops end.
        while next < files.len() && files.len() < 256 {
            let includes = include_targets(&files[next], local, fs);
            for path in includes {
                if files.iter().any(|f| f.path == path) || fs.is_dir(&path) {
                    continue;
                }
                if let Ok(bytes) = fs.read(&path) {
                    files.push(std::sync::Arc::new(SourceFile::from_bytes(path, &bytes)));
                }
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
            platform: if cfg!(windows) {
                Platform::Windows
            } else {
                Platform::Unix
            },
            resolved: RefCell::new(HashMap::new()),
            exec: None,
            cache,
        })
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
        Resolver::new(self.fs, self.local, policy)
            .with_cache(&self.cache)
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

/// The files an Include line of `file` names (globs expanded).
pub fn include_targets(file: &SourceFile, local: &LocalFacts, fs: &dyn ConfigFs) -> Vec<PathBuf> {
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
            let pattern = if arg.value.starts_with('/') || arg.value.starts_with('~') {
                arg.value.clone()
            } else {
                format!("~/.ssh/{}", arg.value)
            };
            out.extend(glob(fs, &tilde_expand(&pattern, &home)));
        }
    }
    out
}

/// A rule of the catalogue.
pub trait Rule: Sync {
    /// Stable code, `SSH001`...; never reused.
    fn code(&self) -> &'static str;
    fn title(&self) -> &'static str;
    fn check(&self, ctx: &LintContext, out: &mut Vec<LintFinding>);
}

/// Runs every rule; findings sorted by file, then position.
pub fn lint(ctx: &LintContext) -> Vec<LintFinding> {
    let mut out = Vec::new();
    for rule in rules::catalogue() {
        rule.check(ctx, &mut out);
    }
    // Rules quote config lines; a password or token in one stays out of every
    // output (the edits keep the real text: they are applied, not shown).
    for finding in &mut out {
        finding.message = crate::redact::secrets(&finding.message);
        if let Some(fix) = &mut finding.fix {
            fix.title = crate::redact::secrets(&fix.title);
        }
    }
    out.sort_by(|a, b| {
        (
            a.file.as_path(),
            a.range.start.line,
            a.range.start.character,
            a.code,
        )
            .cmp(&(
                b.file.as_path(),
                b.range.start.line,
                b.range.start.character,
                b.code,
            ))
    });
    out
}

/// The LSP range of byte span `span` on line `line` of `file`.
pub fn span_range(file: &SourceFile, line: usize, span: std::ops::Range<usize>) -> Range {
    let text = file
        .lines
        .get(line)
        .map(|l| file.line_text(l))
        .unwrap_or("");
    crate::text::line_range(line, text, span.start, span.end)
}

/// The LSP range of a whole line's content.
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
    pub fn lint_text(text: &str) -> Vec<LintFinding> {
        lint_files(&[("/home/me/.ssh/config", text)])
    }

    /// Lints the first of `files`, with all of them on the file system.
    pub fn lint_files(files: &[(&str, &str)]) -> Vec<LintFinding> {
        let fs = MemoryFs::with(files);
        let local = facts();
        let ctx = LintContext::load(Path::new(files[0].0), &fs, &local, false).unwrap();
        lint(&ctx)
    }

    #[test]
    fn findings_come_sorted_by_place() {
        let findings = lint_text("Bogus 1\nHost a\n  Hostnme x\n");
        let lines: Vec<u32> = findings.iter().map(|f| f.range.start.line).collect();
        let mut sorted = lines.clone();
        sorted.sort_unstable();
        assert_eq!(lines, sorted);
        assert!(findings.len() >= 2);
    }
}
