//! SSH config files in the editor: diagnostics from the rule catalogue,
//! quick fixes, hover with the effective configuration of a Host, and
//! go-to-definition from a ProxyJump alias to its Host block.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::str::FromStr;

use tower_lsp_server::ls_types::{
    self as lsp, CodeDescription, Diagnostic, DiagnosticSeverity, Hover, HoverContents,
    MarkupContent, MarkupKind, NumberOrString, Position, Uri, WorkspaceEdit,
};

use crate::check::Fix;
use crate::redact;
use crate::render::escape::{md_code, md_code_cell, md_text};
use crate::ssh::config::blocks::{blocks, Header};
use crate::ssh::config::effective::effective;
use crate::ssh::config::lexer::LineSyntax;
use crate::ssh::config::local::LocalFacts;
use crate::ssh::config::resolve::ConfigFs;
use crate::ssh::lint::{lint, span_range, LintContext, LintFinding, Severity, SshFix};
use crate::uri::file_uri;

/// Diagnostics for `main` and every file it includes, by file URI.
/// `allow_exec` lets `Match exec` blocks run their commands.
pub fn diagnostics(
    main: &Path,
    fs: &dyn ConfigFs,
    local: &LocalFacts,
    doc_uri: &dyn Fn(&str) -> Option<Uri>,
    allow_exec: bool,
) -> BTreeMap<String, Vec<Diagnostic>> {
    let mut by_file: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    let mut ctx = match LintContext::load(main, fs, local, false) {
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
            return by_file;
        }
    };
    if allow_exec {
        ctx = ctx.with_exec(&crate::ssh::match_exec);
    }
    for file in &ctx.files {
        by_file.entry(file_uri(&file.path)).or_default();
    }
    for finding in lint(&ctx) {
        by_file
            .entry(file_uri(&finding.file))
            .or_default()
            .push(to_diagnostic(&finding, doc_uri));
    }
    by_file
}

fn to_diagnostic(finding: &LintFinding, doc_uri: &dyn Fn(&str) -> Option<Uri>) -> Diagnostic {
    let fix = finding.fix.as_ref().and_then(to_fix);
    Diagnostic {
        range: finding.range,
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(finding.code.to_string())),
        code_description: doc_uri(&crate::check::doc_path(finding.code))
            .map(|href| CodeDescription { href }),
        source: Some(String::from("gord")),
        message: crate::render::escape::text(&finding.message).into_owned(),
        related_information: None,
        tags: None,
        data: fix.and_then(|f| serde_json::to_value(f).ok()),
    }
}

/// An SSH fix as the generic fix quick fixes are built from.
pub fn to_fix(fix: &SshFix) -> Option<Fix> {
    let mut changes: HashMap<Uri, Vec<lsp::TextEdit>> = HashMap::new();
    for edit in &fix.edits {
        let uri = Uri::from_str(&file_uri(&edit.file)).ok()?;
        changes.entry(uri).or_default().push(lsp::TextEdit {
            range: edit.range,
            new_text: edit.new_text.clone(),
        });
    }
    Some(Fix {
        title: crate::render::escape::line(&fix.title).into_owned(),
        command: fix.command.clone(),
        edit: (!changes.is_empty()).then(|| WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
    })
}

/// Hover on a `Host` line: the effective configuration of its first literal
/// alias, each value with the file and line it came from.
pub fn hover(
    main: &Path,
    fs: &dyn ConfigFs,
    local: &LocalFacts,
    position: Position,
) -> Option<Hover> {
    let ctx = LintContext::load(main, fs, local, false).ok()?;
    let file = ctx.file(main)?;
    let line = usize::try_from(position.line).ok()?;
    let block = blocks(file)
        .into_iter()
        .find(|b| b.header_line == Some(line))?;
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
            "**{}**: ssh would refuse this config: {}",
            md_text(&alias),
            md_text(&redact::secrets(&error.message))
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
    Some(markdown_hover(text))
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
        for block in blocks(candidate) {
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
                    range: span_range(candidate, header, 0..len),
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
    fn hover_elsewhere_shows_nothing_and_wildcards_explain_themselves() {
        assert!(hover_text(&[("/home/me/.ssh/config", "Host a\n  User x\n")], 1).is_none());
        let text = hover_text(&[("/home/me/.ssh/config", "Host *.corp\n  User x\n")], 0).unwrap();
        assert!(text.contains("matches by pattern"));
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
