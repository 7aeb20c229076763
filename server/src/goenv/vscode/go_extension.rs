//! The Go extension's own settings (names as in vscode-go's package.json):
//! GO031 `go.lintFlags` the installed golangci-lint does not take, GO032
//! `go.goroot` and `go.alternateTools` paths that do not exist, GO033 lint on
//! save twice (the Go extension with golangci-lint, and gord).

use std::path::{Path, PathBuf};

use super::document::{Document, Member, Removable, Value};
use super::Scope;
use crate::finding::{Edit, Finding, Fix, Severity, Subject};

/// What the rules know about the installed golangci-lint.
pub struct GolangciLint<'a> {
    pub version: &'a str,
    pub major: u8,
    /// Whether its `run` takes the long flag `--name` (from `run --help`).
    pub accepts: &'a dyn Fn(&str) -> bool,
}

/// One settings file, parsed, with where it sits among the scopes.
pub struct Source<'t> {
    pub scope: Scope,
    pub path: PathBuf,
    pub doc: Document<'t>,
    pub basis: u64,
}

impl Source<'_> {
    pub(crate) fn finding(
        &self,
        code: &str,
        severity: Severity,
        message: String,
        member: &Member,
    ) -> Finding {
        self.finding_at(code, severity, message, member.key_span)
    }

    pub(crate) fn finding_at(
        &self,
        code: &str,
        severity: Severity,
        message: String,
        span: super::document::Span,
    ) -> Finding {
        let mut finding = Finding::new(
            code,
            severity,
            message,
            Subject::file(&self.path, self.doc.range(span)),
        )
        .with_rule_page();
        finding.basis = Some(self.basis);
        finding
    }

    pub(crate) fn remove(&self, title: String, part: Removable<'_>) -> Fix {
        Fix::edits(title, self.doc.removal(&self.path, part))
    }
}

/// The value a setting takes for the workspace: the last file (in scope
/// order) that sets it, with that file.
pub fn effective<'s, 't>(
    sources: &'s [Source<'t>],
    key: &str,
) -> Option<(&'s Source<'t>, &'s Member)> {
    sources
        .iter()
        .rev()
        .find_map(|s| s.doc.get(key).map(|m| (s, m)))
}

/// Whether the effective `go.lintTool` is golangci-lint.
fn lints_with_golangci<'s, 't>(sources: &'s [Source<'t>]) -> Option<(&'s Source<'t>, &'s Member)> {
    effective(sources, "go.lintTool")
        .filter(|(_, m)| matches!(m.value.as_str(), Some("golangci-lint" | "golangci-lint-v2")))
}

/// What golangci-lint v2 says instead of a v1 flag, for the message.
fn v2_instead(flag: &str) -> Option<&'static str> {
    match flag {
        "fast" => Some("v2 has --fast-only"),
        "out-format" => {
            Some("v2 sets formats with --output.<format>.path; the Go extension adds its own")
        }
        "print-issued-lines" => Some("v2 has --output.text.print-issued-lines"),
        "print-linter-name" => Some("v2 has --output.text.print-linter-name"),
        "disable-all" | "enable-all" => Some("v2 has --default=none|all"),
        "skip-dirs" | "skip-files" => {
            Some("v2 excludes paths in the config's linters.exclusions.paths")
        }
        _ => None,
    }
}

/// GO031: each `go.lintFlags` item naming a long flag the installed
/// golangci-lint does not take, when golangci-lint is the lint tool.
pub fn lint_flags(sources: &[Source<'_>], linter: &GolangciLint<'_>) -> Vec<Finding> {
    if lints_with_golangci(sources).is_none() {
        return Vec::new();
    }
    let Some((source, member)) = effective(sources, "go.lintFlags") else {
        return Vec::new();
    };
    let Value::Array(items) = &member.value else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Some(flag) = item.value.as_str() else {
            continue;
        };
        let Some(name) = flag.strip_prefix("--") else {
            continue;
        };
        let name = name.split('=').next().unwrap_or(name);
        if name.is_empty() || (linter.accepts)(name) {
            continue;
        }
        let hint = if linter.major >= 2 {
            v2_instead(name)
                .map(|h| format!(" ({h})"))
                .unwrap_or_default()
        } else {
            String::new()
        };
        let message = format!(
            "golangci-lint {} has no flag --{name}{hint}: the Go extension passes go.lintFlags to `golangci-lint run`, \
             which then fails and lint on save reports nothing",
            linter.version
        );
        out.push(
            source
                .finding_at("GO031", Severity::Error, message, item.span)
                .with_fix(source.remove(
                    format!("Remove \"{flag}\" from go.lintFlags"),
                    Removable::Item(item),
                )),
        );
    }
    out
}

/// A path setting as the Go extension resolves it: `~`, `${env:NAME}` and
/// `${workspaceFolder}`; None for a variable it cannot know here.
pub fn resolve_path(
    value: &str,
    home: Option<&Path>,
    workspace: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<PathBuf> {
    let mut text = value.to_string();
    while let Some(start) = text.find("${env:") {
        let end = start + text[start..].find('}')?;
        let name = text[start + 6..end].trim().to_string();
        text.replace_range(start..=end, &env(&name).unwrap_or_default());
    }
    if text.contains("${workspaceFolder}") {
        text = text.replace("${workspaceFolder}", &workspace?.display().to_string());
    }
    if text.contains("${") {
        return None;
    }
    match text.strip_prefix("~") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            Some(home?.join(rest.trim_start_matches('/')))
        }
        _ => Some(PathBuf::from(text)),
    }
}

/// GO032: `go.goroot` and absolute `go.alternateTools` entries that name
/// nothing on disk. `exists` answers for a resolved path.
pub fn missing_paths(
    sources: &[Source<'_>],
    resolve: &dyn Fn(&str) -> Option<PathBuf>,
    exists: &dyn Fn(&Path) -> bool,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for source in sources {
        for member in source.doc.members.iter().filter(|m| m.key == "go.goroot") {
            let Some(value) = member.value.as_str().filter(|v| !v.is_empty()) else {
                continue;
            };
            let Some(path) = resolve(value).filter(|p| !exists(p)) else {
                continue;
            };
            let message = format!(
                "go.goroot is {}, which does not exist: the Go extension finds no go there and falls back to PATH, \
                 and tools it starts get a GOROOT that is not there",
                path.display()
            );
            out.push(
                source
                    .finding("GO032", Severity::Warning, message, member)
                    .with_fix(
                        source.remove(String::from("Remove go.goroot"), Removable::Member(member)),
                    ),
            );
        }
        for member in source
            .doc
            .members
            .iter()
            .filter(|m| m.key == "go.alternateTools")
        {
            let Value::Object(tools) = &member.value else {
                continue;
            };
            for tool in tools {
                let Some(value) = tool.value.as_str().filter(|v| !v.is_empty()) else {
                    continue;
                };
                let Some(path) = resolve(value).filter(|p| p.is_absolute() && !exists(p)) else {
                    continue;
                };
                let message = format!(
                    "go.alternateTools.{} is {}, which does not exist: the Go extension ignores it and looks for {} \
                     by name instead",
                    tool.key,
                    path.display(),
                    tool.key
                );
                out.push(
                    source
                        .finding("GO032", Severity::Warning, message, tool)
                        .with_fix(source.remove(
                            format!("Remove the {} entry", tool.key),
                            Removable::Member(tool),
                        )),
                );
            }
        }
    }
    out
}

/// An edit that sets `key` to `json` in `source`: its value replaced when
/// the file sets it, else a member added before `next_to`.
fn set_member(source: &Source<'_>, key: &str, json: &str, next_to: &Member) -> Edit {
    if let Some(member) = source.doc.get(key) {
        return Edit {
            path: source.path.clone(),
            range: source.doc.range(member.value_span),
            new_text: json.to_string(),
        };
    }
    let at = source.doc.range(next_to.key_span).start;
    let line_start = crate::finding::Position::new(at.line, 0);
    let text = source.doc.text;
    let offset = next_to.key_span.start;
    let before = &text[text[..offset].rfind('\n').map_or(0, |i| i + 1)..offset];
    let (range_at, new_text) = if before.trim().is_empty() {
        (line_start, format!("{before}\"{key}\": {json},\n"))
    } else {
        (at, format!("\"{key}\": {json}, "))
    };
    Edit {
        path: source.path.clone(),
        range: crate::finding::Range::new(range_at, range_at),
        new_text,
    }
}

/// GO033: the Go extension lints on save with golangci-lint and so does
/// gord: the same linter twice, two sets of the same problems. `gord_on_save`
/// is gord's own setting when no file sets `gord.lint.onSave`.
pub fn double_lint_on_save(sources: &[Source<'_>], gord_on_save: bool) -> Option<Finding> {
    let (source, tool) = lints_with_golangci(sources)?;
    let on_save = effective(sources, "go.lintOnSave")
        .and_then(|(_, m)| m.value.as_str().map(String::from))
        .unwrap_or_else(|| String::from("package"));
    if on_save == "off" {
        return None;
    }
    let gord = effective(sources, "gord.lint.onSave")
        .map(|(_, m)| m.value != Value::Bool(false))
        .unwrap_or(gord_on_save);
    if !gord {
        return None;
    }
    let message = format!(
        "the Go extension lints on save with {} (go.lintOnSave is \"{on_save}\") and so does gord \
         (gord.lint.onSave): every problem shows twice and golangci-lint runs twice per save",
        tool.value.as_str().unwrap_or("golangci-lint")
    );
    let keep_gord = Fix::edits(
        "Keep gord's lint on save: set go.lintOnSave to \"off\"",
        vec![set_member(source, "go.lintOnSave", "\"off\"", tool)],
    );
    let keep_go = Fix::edits(
        "Keep the Go extension's lint on save: set gord.lint.onSave to false",
        vec![set_member(source, "gord.lint.onSave", "false", tool)],
    );
    Some(
        source
            .finding("GO033", Severity::Warning, message, tool)
            .with_fix(keep_gord)
            .with_fix(keep_go),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source<'t>(scope: Scope, path: &str, text: &'t str) -> Source<'t> {
        Source {
            scope,
            path: PathBuf::from(path),
            doc: Document::parse(text).unwrap(),
            basis: 42,
        }
    }

    fn v2<'a>(accepts: &'a dyn Fn(&str) -> bool) -> GolangciLint<'a> {
        GolangciLint {
            version: "2.15.0",
            major: 2,
            accepts,
        }
    }

    fn v2_flags(flag: &str) -> bool {
        ["fast-only", "config", "output.text.path", "timeout"].contains(&flag)
    }

    #[test]
    fn go031_flags_each_lint_flag_the_installed_golangci_lint_lacks() {
        let text = "{\n  \"go.lintTool\": \"golangci-lint\",\n  \"go.lintFlags\": [\"--fast\", \"--config=x.yml\", \"-v\", \"--out-format=colored-line-number\"]\n}";
        let sources = [source(Scope::User, "/u/settings.json", text)];
        let found = lint_flags(&sources, &v2(&v2_flags));
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].code, "GO031");
        assert!(found[0]
            .message
            .starts_with("golangci-lint 2.15.0 has no flag --fast (v2 has --fast-only)"));
        let at = found[0].range().unwrap();
        assert_eq!(
            (at.start.line, at.start.character),
            (2, 19),
            "on the item itself"
        );
        assert!(found[1].message.contains("--out-format"));
        assert_eq!(
            found[0].fix().unwrap().title,
            "Remove \"--fast\" from go.lintFlags"
        );
        assert_eq!(found[0].basis, Some(42));
    }

    #[test]
    fn go031_says_nothing_when_another_tool_lints() {
        let text = r#"{"go.lintTool": "staticcheck", "go.lintFlags": ["--fast"]}"#;
        let sources = [source(Scope::User, "/u/settings.json", text)];
        assert!(lint_flags(&sources, &v2(&v2_flags)).is_empty());
        let workspace = source(
            Scope::Workspace,
            "/w/.vscode/settings.json",
            r#"{"go.lintTool": "golangci-lint"}"#,
        );
        let both = [sources.into_iter().next().unwrap(), workspace];
        assert_eq!(
            lint_flags(&both, &v2(&v2_flags)).len(),
            1,
            "the workspace's lint tool wins over the user's"
        );
    }

    #[test]
    fn go032_flags_paths_that_do_not_exist_and_leaves_names_alone() {
        let text = r#"{"go.goroot": "~/sdk/go1.19", "go.alternateTools": {"gopls": "/opt/gopls-old", "dlv": "dlv-dap", "go": "${env:GOROOT}/bin/go"}}"#;
        let sources = [source(Scope::User, "/u/settings.json", text)];
        let resolve = |v: &str| {
            resolve_path(v, Some(Path::new("/home/u")), None, &|name| {
                (name == "GOROOT").then(|| String::from("/usr/local/go"))
            })
        };
        let exists = |p: &Path| p == Path::new("/usr/local/go/bin/go");
        let found = missing_paths(&sources, &resolve, &exists);
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(found.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("go.goroot is /home/u/sdk/go1.19, which does not exist"));
        assert!(messages[1]
            .starts_with("go.alternateTools.gopls is /opt/gopls-old, which does not exist"));
        assert_eq!(found[1].fix().unwrap().title, "Remove the gopls entry");
    }

    #[test]
    fn go033_offers_to_keep_one_lint_on_save() {
        let text = "{\n  \"go.lintTool\": \"golangci-lint-v2\"\n}";
        let sources = [source(Scope::User, "/u/settings.json", text)];
        let found = double_lint_on_save(&sources, true).unwrap();
        assert_eq!(found.code, "GO033");
        assert_eq!(found.fixes.len(), 2);
        let edit = &found.fixes[0].edits[0];
        assert_eq!(edit.new_text, "  \"go.lintOnSave\": \"off\",\n");
        assert_eq!(edit.range.start, crate::finding::Position::new(1, 0));
        assert!(
            double_lint_on_save(&sources, false).is_none(),
            "gord does not lint on save"
        );
        let off = [source(
            Scope::User,
            "/u/s.json",
            r#"{"go.lintTool": "golangci-lint", "go.lintOnSave": "off"}"#,
        )];
        assert!(double_lint_on_save(&off, true).is_none());
        let gord_off = [source(
            Scope::User,
            "/u/s.json",
            r#"{"go.lintTool": "golangci-lint", "gord.lint.onSave": false}"#,
        )];
        assert!(double_lint_on_save(&gord_off, true).is_none());
    }

    #[test]
    fn go033_replaces_an_existing_lint_on_save_value() {
        let text = r#"{"go.lintOnSave": "workspace", "go.lintTool": "golangci-lint"}"#;
        let sources = [source(Scope::Workspace, "/w/.vscode/settings.json", text)];
        let found = double_lint_on_save(&sources, true).unwrap();
        let edit = &found.fixes[0].edits[0];
        assert_eq!(edit.new_text, "\"off\"");
        assert_eq!(edit.range.start.character, 18);
    }
}
