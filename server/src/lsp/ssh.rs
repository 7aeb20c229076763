//! SSH config files in the editor: diagnostics from the rule catalogue,
//! quick fixes, hover with the effective configuration of a Host (and the
//! documentation of any other keyword), and go-to-definition from a
//! ProxyJump alias to its Host block. Completion, the outline and
//! formatting are [`super::ssh_edit`].

use crate::ssh::remote_ssh::SETTINGS_RULES;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use tower_lsp_server::ls_types::{
    self as lsp, Diagnostic, DiagnosticSeverity, Hover, HoverContents, MarkupContent, MarkupKind,
    NumberOrString, Position, Uri, WorkspaceEdit,
};

use super::diagnostics::{self as convert, Guard};
use crate::finding::Fix;
use crate::redact;
use crate::render::escape::{md_code, md_code_cell, md_text};
use crate::ssh::config::blocks::{blocks, Header};
use crate::ssh::config::effective::effective;
use crate::ssh::config::lexer::LineSyntax;
use crate::ssh::config::local::LocalFacts;
use crate::ssh::config::resolve::ConfigFs;
use crate::ssh::lint::{lint, span_range, LintContext};
use crate::uri::file_uri;

/// What one lint of an SSH config found.
#[derive(Debug, Default)]
pub struct Linted {
    /// Diagnostics by file URI: each file's under its own URI, the main
    /// file's and every included file's (an empty list for a clean file).
    pub by_file: BTreeMap<String, Vec<Diagnostic>>,
    /// Every file the lint read: the main file first, then its includes.
    /// An edit of any of them (in the editor or on disk) re-lints the main.
    pub files: Vec<PathBuf>,
}

/// Diagnostics for `main` and every file it includes.
/// `allow_exec` lets `Match exec` blocks run their commands.
pub fn diagnostics(
    main: &Path,
    fs: &dyn ConfigFs,
    local: &LocalFacts,
    doc_uri: &dyn Fn(&str) -> Option<Uri>,
    allow_exec: bool,
) -> Linted {
    let modelled = crate::ssh::release::which::Choice::of_version(
        crate::ssh::config::resolve::modelled_version(),
    );
    diagnostics_for(main, fs, local, doc_uri, allow_exec, modelled)
}

/// [`diagnostics`] by the rules of the ssh `ssh` (see
/// [`crate::ssh::release::which`]).
pub fn diagnostics_for(
    main: &Path,
    fs: &dyn ConfigFs,
    local: &LocalFacts,
    doc_uri: &dyn Fn(&str) -> Option<Uri>,
    allow_exec: bool,
    ssh: crate::ssh::release::which::Choice,
) -> Linted {
    let mut by_file: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    let platform = crate::ssh::config::platform::Platform::of(ssh.semantics.flavour);
    let mut ctx = match LintContext::load_on(main, fs, local, false, platform) {
        Ok(ctx) => ctx,
        Err(e) => {
            // Say why nothing else is reported, on the first line.
            let diagnostic = Diagnostic {
                severity: Some(DiagnosticSeverity::WARNING),
                code: Some(NumberOrString::String(String::from("SSH000"))),
                source: Some(String::from("gord")),
                message: format!("gord cannot check this file: {e}"),
                ..Diagnostic::default()
            };
            by_file.insert(file_uri(main), vec![diagnostic]);
            return Linted {
                by_file,
                files: vec![main.to_path_buf()],
            };
        }
    };
    ctx = ctx.with_ssh(ssh).with_env(&crate::ssh::process_env);
    if allow_exec {
        ctx = ctx.with_exec(&crate::ssh::match_exec);
    }
    for file in &ctx.files {
        by_file.entry(file_uri(&file.path)).or_default();
    }
    // Every finding carries the hash of the include set it was computed on
    // ([`quick_fixes`] offers its fixes only while that holds).
    let findings = lint(&ctx);
    for (uri, diagnostics) in convert::by_file(&findings, convert::SOURCE, doc_uri) {
        by_file.entry(uri).or_default().extend(diagnostics);
    }
    Linted {
        by_file,
        files: ctx.files.iter().map(|f| f.path.clone()).collect(),
    }
}

/// Whether `d` is a gord SSH diagnostic whose fix edits text.
pub fn has_edit_fix(d: &Diagnostic) -> bool {
    edit_fix(d).is_some()
}

/// The first fix of a gord SSH diagnostic that edits text, with its guard.
fn edit_fix(d: &Diagnostic) -> Option<(Fix, Guard)> {
    let ssh = matches!(&d.code, Some(NumberOrString::String(c))
        if c.starts_with("SSH") && !SETTINGS_RULES.contains(&c.as_str()));
    if !ssh || d.source.as_deref() != Some(convert::SOURCE) {
        return None;
    }
    let data = convert::fix_data(d)?;
    let fix = data.fixes.into_iter().find(|f| !f.edits.is_empty())?;
    Some((fix, data.guard))
}

/// Quick fixes for the SSH diagnostics of `file` among `diagnostics`, each
/// from the diagnostic's own data and offered only while its guard holds:
/// each config in `mains` that reads `file` is loaded on `fs` (the current
/// texts) and its include set hashed. A diagnostic from older text (a line
/// inserted above it, an included file changed on disk) matches no include
/// set and gets no fix, so a stale range is never edited. `build` turns the
/// edits into a (versioned) workspace edit.
pub fn quick_fixes(
    mains: &[PathBuf],
    file: &Path,
    diagnostics: &[Diagnostic],
    fs: &dyn ConfigFs,
    local: &LocalFacts,
    build: &dyn Fn(Vec<(Uri, Vec<lsp::TextEdit>)>) -> WorkspaceEdit,
) -> Vec<lsp::CodeActionOrCommand> {
    let wanted: Vec<(&Diagnostic, Fix, Guard)> = diagnostics
        .iter()
        .filter_map(|d| edit_fix(d).map(|(fix, guard)| (d, fix, guard)))
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    // The include sets as they are now, with the files each may edit.
    let current: Vec<(u64, Vec<PathBuf>)> = mains
        .iter()
        .filter_map(|main| LintContext::load(main, fs, local, false).ok())
        .filter(|ctx| ctx.files.iter().any(|f| f.path == file))
        .map(|ctx| {
            let editable = ctx.files.iter().filter(|f| f.utf8).map(|f| f.path.clone());
            (ctx.text_basis(), editable.collect())
        })
        .collect();
    let mut actions = Vec::new();
    for (d, fix, guard) in wanted {
        let Some((_, editable)) = current.iter().find(|(now, _)| guard.holds(*now)) else {
            continue;
        };
        // The edits come back from the client: only files of that include set.
        if fix.edits.iter().any(|e| !editable.contains(&e.path)) {
            continue;
        }
        let mut files: Vec<(Uri, Vec<lsp::TextEdit>)> = Vec::new();
        for e in &fix.edits {
            let Ok(uri) = Uri::from_str(&file_uri(&e.path)) else {
                continue;
            };
            files.push((uri, vec![convert::text_edit(e)]));
        }
        actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: crate::render::escape::line(&fix.title).into_owned(),
            kind: Some(lsp::CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![d.clone()]),
            edit: Some(build(files)),
            command: None,
            is_preferred: Some(true),
            disabled: None,
            data: None,
        }));
    }
    actions
}

/// Hover on a `Host` line: the effective configuration of its first literal
/// alias, each value with the file and line it came from.
pub fn hover(
    main: &Path,
    fs: &dyn ConfigFs,
    local: &LocalFacts,
    position: Position,
) -> Option<Hover> {
    let modelled = crate::ssh::release::which::Choice::of_version(
        crate::ssh::config::resolve::modelled_version(),
    );
    hover_for(main, fs, local, position, modelled)
}

/// [`hover`] by the rules of the ssh `ssh`, which it names.
pub fn hover_for(
    main: &Path,
    fs: &dyn ConfigFs,
    local: &LocalFacts,
    position: Position,
    ssh: crate::ssh::release::which::Choice,
) -> Option<Hover> {
    let summary = ssh.summary();
    let version = ssh.semantics;
    let platform = crate::ssh::config::platform::Platform::of(ssh.semantics.flavour);
    let ctx = LintContext::load_on(main, fs, local, false, platform)
        .ok()?
        .with_ssh(ssh)
        .with_env(&crate::ssh::process_env);
    let file = ctx.file(main)?;
    let line = usize::try_from(position.line).ok()?;
    if let Some(text) = keyword_hover_at(file, line, position.character, version, &summary) {
        return Some(markdown_hover(text));
    }
    let block = blocks(file)
        .iter()
        .find(|b| b.header_line == Some(line))
        .cloned()?;
    let Header::Host(patterns) = &block.header else {
        return None;
    };
    let alias = match block.literal_hosts().first() {
        Some(alias) => alias.to_string(),
        None => {
            let text = format!(
                "{} matches by pattern; hover a Host line that names one host to see its effective configuration \
                 (or run `gord ssh resolve NAME`).",
                md_code(&format!("Host {}", patterns.join(" ")))
            );
            return Some(markdown_hover(text));
        }
    };
    let resolution = ctx.resolve(&alias);
    if let Some(error) = resolution.errors.first() {
        return Some(markdown_hover(format!(
            "**{}**: ssh would refuse this config: {}\n\nRules of: {}",
            md_text(&alias),
            md_text(&redact::secrets(&error.message)),
            md_text(&summary)
        )));
    }
    let env = |name: &str| std::env::var(name).ok();
    let lines = effective(&resolution, local, &env).ok()?;
    let mut text = format!(
        "**Effective configuration for {}** (as `ssh -G` prints it)\n\n| keyword | value | from |\n|---|---|---|\n",
        md_code(&alias)
    );
    let mut defaults = 0;
    for line in &lines {
        match line.origin {
            Some(origin) => {
                let path = resolution.origin_path(origin);
                let place = if path == main {
                    format!("line {}", origin.line + 1)
                } else {
                    md_text(&format!("{}:{}", path.display(), origin.line + 1))
                };
                text.push_str(&format!(
                    "| {} | {} | {place} |\n",
                    md_text(line.keyword),
                    md_code_cell(&redact::secrets(&line.value))
                ));
            }
            None if ["user", "hostname", "port"].contains(&line.keyword) => {
                text.push_str(&format!(
                    "| {} | {} | default |\n",
                    md_text(line.keyword),
                    md_code_cell(&redact::secrets(&line.value))
                ));
            }
            None => defaults += 1,
        }
    }
    text.push_str(&format!(
        "\n{defaults} more keywords keep their defaults ({} lists all).",
        md_code(&format!("gord ssh resolve {alias}"))
    ));
    text.push_str(&format!("\n\nRules of: {}", md_text(&summary)));
    Some(markdown_hover(text))
}

/// The documentation of the keyword under the cursor, on any line but a
/// Host line (whose hover is the host's effective configuration).
fn keyword_hover_at(
    file: &crate::ssh::config::source::SourceFile,
    line: usize,
    character: u32,
    version: crate::ssh::release::SshVersion,
    summary: &str,
) -> Option<String> {
    let LineSyntax::Directive(d) = &file.lines.get(line)?.syntax else {
        return None;
    };
    if d.keyword == "host" {
        return None;
    }
    let text = file.line_text(&file.lines[line]);
    let span = crate::text::utf16_column(text, d.keyword_span.start)
        ..=crate::text::utf16_column(text, d.keyword_span.end);
    if !span.contains(&character) {
        return None;
    }
    crate::ssh::edit::keyword_hover(&d.keyword, version, summary)
}

fn markdown_hover(value: String) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    }
}

/// Go-to-definition on a ProxyJump (or ProxyCommand's last word) alias: the
/// Host block that defines it, in any file of the config.
pub fn definition(
    main: &Path,
    fs: &dyn ConfigFs,
    local: &LocalFacts,
    position: Position,
) -> Option<lsp::Location> {
    let ctx = LintContext::load(main, fs, local, false).ok()?;
    let file = ctx.file(main)?;
    let line = file.lines.get(usize::try_from(position.line).ok()?)?;
    let LineSyntax::Directive(d) = &line.syntax else {
        return None;
    };
    if d.keyword != "proxyjump" {
        return None;
    }
    let text = file.line_text(line);
    // Which hop of `a,user@b:22` the cursor is on.
    let mut start = d.rest_span.start;
    let mut alias = None;
    for hop in d.rest.split(',') {
        let end = start + hop.len();
        let cursor = crate::text::utf16_column(text, start)..=crate::text::utf16_column(text, end);
        if cursor.contains(&position.character) {
            let host = hop.trim();
            let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
            let host = host.split(':').next().unwrap_or(host);
            alias = Some(host.to_string());
            break;
        }
        start = end + 1;
    }
    let alias = alias?;
    for candidate in &ctx.files {
        for block in blocks(candidate).iter() {
            if block.literal_hosts().contains(&alias.as_str()) {
                let header = block.header_line?;
                let uri = Uri::from_str(&file_uri(&candidate.path)).ok()?;
                let len = candidate
                    .lines
                    .get(header)
                    .map(|l| l.range.len())
                    .unwrap_or(0);
                return Some(lsp::Location {
                    uri,
                    range: convert::range(span_range(candidate, header, 0..len)),
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::config::resolve::memory::MemoryFs;
    use crate::ssh::lint::tests::facts;
    use tower_lsp_server::ls_types::HoverContents;

    fn hover_text(files: &[(&str, &str)], line: u32) -> Option<String> {
        let fs = MemoryFs::with(files);
        let h = hover(Path::new(files[0].0), &fs, &facts(), Position::new(line, 2))?;
        match h.contents {
            HoverContents::Markup(m) => Some(m.value),
            _ => None,
        }
    }

    #[test]
    fn hover_follows_and_names_the_release_of_the_users_ssh() {
        use crate::ssh::release::{parse_version_argument, which::Choice};
        let files = [(
            "/home/me/.ssh/config",
            "Host db
  Tag work
  User dba
",
        )];
        let fs = MemoryFs::with(&files);
        let text = |version: &str| {
            let ssh = Choice::of_version(parse_version_argument(version).unwrap());
            let at = Position::new(0, 2);
            match hover_for(Path::new(files[0].0), &fs, &facts(), at, ssh).map(|h| h.contents) {
                Some(HoverContents::Markup(m)) => m.value,
                other => panic!("{other:?}"),
            }
        };
        let new = text("10.5p1");
        assert!(new.contains("| user | `dba` | line 3 |"), "{new}");
        assert!(
            new.ends_with("Rules of: OpenSSH 10.5p1 \\(from --ssh-version\\)"),
            "{new}"
        );
        let old = text("9.2p1-debian");
        assert!(
            old.starts_with("**db**: ssh would refuse this config: Bad configuration option: tag"),
            "{old}"
        );
        assert!(old.contains("Rules of: Debian's OpenSSH 9.2p1"), "{old}");
    }

    #[test]
    fn hover_on_a_host_line_shows_effective_values_with_their_lines() {
        let text = hover_text(
            &[(
                "/home/me/.ssh/config",
                "Host *\n  User all\nHost db\n  HostName db.example.com\n  User dba\n",
            )],
            2,
        )
        .unwrap();
        assert!(
            text.starts_with("**Effective configuration for `db`**"),
            "{text}"
        );
        assert!(
            text.contains("| user | `all` | line 2 |"),
            "the earlier Host * wins: {text}"
        );
        assert!(text.contains("| hostname | `db.example.com` | line 4 |"));
    }

    #[test]
    fn hover_on_a_keyword_documents_it_by_the_users_release() {
        use crate::ssh::release::{parse_version_argument, which::Choice};
        let files = [("/home/me/.ssh/config", "Host db\n  Tag work\n  User dba\n")];
        let fs = MemoryFs::with(&files);
        let at = |version: &str, line, character| {
            let ssh = Choice::of_version(parse_version_argument(version).unwrap());
            let at = Position::new(line, character);
            match hover_for(Path::new(files[0].0), &fs, &facts(), at, ssh).map(|h| h.contents) {
                Some(HoverContents::Markup(m)) => Some(m.value),
                _ => None,
            }
        };
        let tag = at("9.2p1-debian", 1, 3).unwrap();
        assert!(
            tag.starts_with("**Tag**\n\nA name for this configuration"),
            "{tag}"
        );
        assert!(tag.contains("**Your Debian's OpenSSH 9.2p1 does not know it** (added in 9.4)"));
        assert!(!at("10.5p1", 1, 5).unwrap().contains("does not know"));
        // The keyword's end counts; the value does not.
        assert!(at("10.5p1", 2, 6).unwrap().starts_with("**User**"));
        assert_eq!(at("10.5p1", 2, 8), None);
    }

    #[test]
    fn hover_elsewhere_shows_nothing_and_wildcards_explain_themselves() {
        // The value of a keyword line, and a comment, have no hover (the
        // keyword itself has its documentation).
        assert!(hover_text(&[("/home/me/.ssh/config", "Host a\n    User x\n")], 1).is_none());
        assert!(hover_text(&[("/home/me/.ssh/config", "Host a\n  # User x\n")], 1).is_none());
        let text = hover_text(&[("/home/me/.ssh/config", "Host *.corp\n  User x\n")], 0).unwrap();
        assert!(text.contains("matches by pattern"));
    }

    /// The diagnostics a lint of `text` publishes for the config.
    fn published(text: &str) -> Vec<Diagnostic> {
        let fs = MemoryFs::with(&[("/home/me/.ssh/config", text)]);
        let main = Path::new("/home/me/.ssh/config");
        let linted = diagnostics(main, &fs, &facts(), &|_| None, false);
        assert_eq!(linted.files, [main.to_path_buf()]);
        linted.by_file["file:///home/me/.ssh/config"].clone()
    }

    fn fixes_on(text: &str, asked: &[Diagnostic]) -> Vec<lsp::CodeAction> {
        let fs = MemoryFs::with(&[("/home/me/.ssh/config", text)]);
        let main = PathBuf::from("/home/me/.ssh/config");
        let build = |files: Vec<(Uri, Vec<lsp::TextEdit>)>| {
            crate::lsp::versioned::workspace_edit(files, true, &|_| Some(4))
        };
        quick_fixes(
            std::slice::from_ref(&main),
            &main,
            asked,
            &fs,
            &facts(),
            &build,
        )
        .into_iter()
        .filter_map(|a| match a {
            lsp::CodeActionOrCommand::CodeAction(a) => Some(a),
            lsp::CodeActionOrCommand::Command(_) => None,
        })
        .collect()
    }

    #[test]
    fn fixes_come_from_the_diagnostic_and_stale_ones_get_none() {
        let before = "Host work\n  Hostnme x\n";
        let typo: Vec<Diagnostic> = published(before)
            .into_iter()
            .filter(|d| d.code == Some(NumberOrString::String("SSH001".into())))
            .collect();
        assert_eq!(typo.len(), 1);
        assert!(has_edit_fix(&typo[0]));
        let fresh = fixes_on(before, &typo);
        assert_eq!(fresh.len(), 1);
        let Some(lsp::DocumentChanges::Edits(edits)) =
            &fresh[0].edit.as_ref().unwrap().document_changes
        else {
            panic!("not versioned: {:?}", fresh[0].edit)
        };
        assert_eq!(edits[0].text_document.version, Some(4));
        // A line inserted above: the old diagnostic's range now holds
        // `st work`; no fix may be offered for it.
        let after = "# moved\nHost work\n  Hostnme x\n";
        assert!(fixes_on(after, &typo).is_empty());
        // The health run's diagnostics say `CODE: message`; they match too.
        let mut health = typo[0].clone();
        health.message = format!("SSH001: {}", health.message);
        assert_eq!(fixes_on(before, &[health]).len(), 1);
    }

    #[test]
    fn a_change_to_an_included_file_makes_every_fix_of_the_run_stale() {
        let main = Path::new("/home/me/.ssh/config");
        let files = |included: &str| {
            MemoryFs::with(&[
                (
                    "/home/me/.ssh/config",
                    "Include /inc\nHost work\n  Hostnme x\n",
                ),
                ("/inc", included),
            ])
        };
        let before = files("Host a\n  User u\n");
        let linted = diagnostics(main, &before, &facts(), &|_| None, false);
        let typo: Vec<Diagnostic> = linted.by_file["file:///home/me/.ssh/config"]
            .iter()
            .filter(|d| d.code == Some(NumberOrString::String("SSH001".into())))
            .cloned()
            .collect();
        let build = |files: Vec<(Uri, Vec<lsp::TextEdit>)>| {
            crate::lsp::versioned::workspace_edit(files, true, &|_| Some(1))
        };
        let offered = |fs: &MemoryFs| {
            quick_fixes(&[main.to_path_buf()], main, &typo, fs, &facts(), &build).len()
        };
        assert_eq!(offered(&before), 1);
        assert_eq!(offered(&files("Host a\n  User v\n")), 0);
    }

    #[test]
    fn proxyjump_aliases_jump_to_their_host_block() {
        let fs = MemoryFs::with(&[
            (
                "/home/me/.ssh/config",
                "Include /inc\nHost app\n  ProxyJump alice@bastion:2222,gw\n",
            ),
            (
                "/inc",
                "Host gw\n  HostName gw.example.com\nHost bastion\n  User b\n",
            ),
        ]);
        let main = Path::new("/home/me/.ssh/config");
        let at = |character| definition(main, &fs, &facts(), Position::new(2, character));
        let bastion = at(20).unwrap();
        assert_eq!(bastion.uri.as_str(), "file:///inc");
        assert_eq!(bastion.range.start.line, 2);
        let gw = at(33).unwrap();
        assert_eq!(gw.range.start.line, 0);
        assert!(definition(main, &fs, &facts(), Position::new(1, 2)).is_none());
    }
}
