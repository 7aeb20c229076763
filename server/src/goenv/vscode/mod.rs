//! GO030: the editor's own Go setup in VS Code's settings files: the user's
//! (VS Code's and code-server's), the remote machine's and the workspace's
//! `settings.json`, read as JSONC through the bounded reader. Each finding
//! sits on the exact key or array item and carries the hash of the file's
//! text, so its quick fix applies only to the text it was computed on.
//!
//! GO030 itself: a file that is not JSON (never edited) and duplicate keys;
//! GO031–GO033 the Go extension's settings ([`go_extension`]); GO034 and
//! GO035 gopls' settings, judged by the installed gopls' own `api-json`
//! ([`gopls`]).

pub mod document;
pub mod go_extension;
pub mod gopls;
pub mod set;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures::future::BoxFuture;

use crate::check::{CheckContext, Outcome};
use crate::exec::CommandSpec;
use crate::finding::{Finding, Fix, Severity, Subject};
use crate::goenv::probe::{command_timeout, go_env};
use crate::lint::text_hash;
use crate::toolchain::ProgramMemo;

use document::{Document, Member, NotSettings, Removable, Value};
use go_extension::{GolangciLint, Source};

/// Where a settings file sits; later scopes override earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    User,
    CodeServerUser,
    RemoteMachine,
    Workspace,
}

impl Scope {
    pub fn name(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::CodeServerUser => "code-server user",
            Scope::RemoteMachine => "remote machine",
            Scope::Workspace => "workspace",
        }
    }
}

/// The settings files VS Code reads on this machine, in scope order: the
/// user's ([`user_dir`]), code-server's,
/// the remote machine's (`~/.vscode-server/data/Machine`) and the
/// workspace's `.vscode/settings.json`.
pub fn settings_paths(
    home: Option<&Path>,
    xdg_config_home: Option<&Path>,
    workspace: Option<&Path>,
) -> Vec<(Scope, PathBuf)> {
    let mut out = Vec::new();
    let appdata = std::env::var_os("APPDATA").map(PathBuf::from);
    let os = UserDataOs::current();
    if let Some(user) = user_dir(os, home, xdg_config_home, appdata.as_deref()) {
        out.push((Scope::User, user.join("settings.json")));
    }
    if let Some(home) = home {
        out.push((
            Scope::CodeServerUser,
            home.join(".local/share/code-server/User/settings.json"),
        ));
        out.push((
            Scope::RemoteMachine,
            home.join(".vscode-server/data/Machine/settings.json"),
        ));
    }
    if let Some(workspace) = workspace {
        out.push((Scope::Workspace, workspace.join(".vscode/settings.json")));
    }
    out
}

/// The systems whose VS Code keeps its user data in different places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserDataOs {
    Linux,
    MacOs,
    Windows,
}

impl UserDataOs {
    pub fn current() -> UserDataOs {
        if cfg!(target_os = "macos") {
            UserDataOs::MacOs
        } else if cfg!(windows) {
            UserDataOs::Windows
        } else {
            UserDataOs::Linux
        }
    }
}

/// A build of VS Code, each with user data of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    Code,
    Insiders,
    VsCodium,
    VsCodiumInsiders,
    CodeOss,
}

impl Product {
    /// In the order a probe prefers them (the stable release first).
    pub const ALL: [Product; 5] = [
        Product::Code,
        Product::Insiders,
        Product::VsCodium,
        Product::VsCodiumInsiders,
        Product::CodeOss,
    ];

    /// Its user-data directory's name under the system's application data
    /// (its product.json's `nameShort`).
    pub fn data_dir_name(self) -> &'static str {
        match self {
            Product::Code => "Code",
            Product::Insiders => "Code - Insiders",
            Product::VsCodium => "VSCodium",
            Product::VsCodiumInsiders => "VSCodium - Insiders",
            Product::CodeOss => "Code - OSS",
        }
    }

    /// The product `vscode.env.appName` (product.json's `nameLong`) names.
    pub fn from_app_name(name: &str) -> Option<Product> {
        match name.trim() {
            "Visual Studio Code" => Some(Product::Code),
            "Visual Studio Code - Insiders" => Some(Product::Insiders),
            "VSCodium" => Some(Product::VsCodium),
            "VSCodium - Insiders" => Some(Product::VsCodiumInsiders),
            "Code - OSS" => Some(Product::CodeOss),
            _ => None,
        }
    }
}

/// VS Code's `User` directory (its user settings.json's): `$XDG_CONFIG_HOME`
/// (absolute), else `~/.config`, then `Code/User` on Linux;
/// `~/Library/Application Support/Code/User` on macOS; `%APPDATA%\Code\User`
/// on Windows.
pub fn user_dir(
    os: UserDataOs,
    home: Option<&Path>,
    xdg_config_home: Option<&Path>,
    appdata: Option<&Path>,
) -> Option<PathBuf> {
    product_user_dir(os, Product::Code, home, xdg_config_home, appdata)
}

/// [`user_dir`] of `product`: its [`Product::data_dir_name`] in place of `Code`.
pub fn product_user_dir(
    os: UserDataOs,
    product: Product,
    home: Option<&Path>,
    xdg_config_home: Option<&Path>,
    appdata: Option<&Path>,
) -> Option<PathBuf> {
    let base = match os {
        UserDataOs::Linux => xdg_config_home
            .filter(|p| p.is_absolute())
            .map(Path::to_path_buf)
            .or_else(|| home.map(|h| h.join(".config")))?,
        UserDataOs::MacOs => home?.join("Library/Application Support"),
        UserDataOs::Windows => appdata.filter(|p| p.is_absolute())?.to_path_buf(),
    };
    Some(base.join(product.data_dir_name()).join("User"))
}

/// The `User` directory of the editor in use when nobody said which: the
/// first product of [`Product::ALL`] whose `User` directory `exists`, else
/// VS Code's.
pub fn probe_user_dir(
    os: UserDataOs,
    home: Option<&Path>,
    xdg_config_home: Option<&Path>,
    appdata: Option<&Path>,
    exists: &dyn Fn(&Path) -> bool,
) -> Option<PathBuf> {
    let of = |p| product_user_dir(os, p, home, xdg_config_home, appdata);
    Product::ALL
        .into_iter()
        .filter_map(of)
        .find(|dir| exists(dir))
        .or_else(|| of(Product::Code))
}

/// GO030: the check. Registered in the GO catalogue.
pub fn go030(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(run(ctx))
}

/// Every settings file of [`settings_paths`] for this context, read
/// through the bounded reader off the async workers.
pub(crate) async fn read_all(
    ctx: &CheckContext,
) -> Option<Vec<(Scope, PathBuf, Result<String, crate::fsread::ReadError>)>> {
    let home = ctx.env.home();
    let xdg = ctx.env.get("XDG_CONFIG_HOME").map(PathBuf::from);
    let paths = settings_paths(home.as_deref(), xdg.as_deref(), ctx.workspace.as_deref());
    // Reads block: off the async workers, so the check's timeout still fires.
    tokio::task::spawn_blocking(move || {
        paths
            .into_iter()
            .map(|(scope, p)| {
                let text = crate::fsread::read_to_string(&p, crate::fsread::Kind::Settings);
                (scope, p, text)
            })
            .collect()
    })
    .await
    .ok()
}

/// What the settings say about finding Go tools, for the GO tool checks:
/// `go.alternateTools` and `go.toolsGopath` as VS Code applies them, a
/// workspace's only when it is trusted. Files that do not parse say nothing.
pub async fn editor_tools(ctx: &CheckContext) -> crate::toolchain::EditorTools {
    let mut tools = crate::toolchain::EditorTools::default();
    let Some(files) = read_all(ctx).await else {
        return tools;
    };
    let env = |name: &str| ctx.env.get(name).map(|v| v.to_string_lossy().into_owned());
    let home = ctx.env.home();
    let resolve = |value: &str| {
        go_extension::resolve_path(value, home.as_deref(), ctx.workspace.as_deref(), &env)
    };
    for (scope, _, text) in &files {
        if *scope == Scope::Workspace && !ctx.trust.is_trusted() {
            continue;
        }
        let Some(doc) = text.as_ref().ok().and_then(|t| Document::parse(t).ok()) else {
            continue;
        };
        // Later files override earlier ones; VS Code merges objects key by key.
        if let Some(Value::Object(entries)) = doc.get("go.alternateTools").map(|m| &m.value) {
            for entry in entries {
                if let Some(value) = entry.value.as_str() {
                    let resolved = if value.contains('/') || value.starts_with('~') {
                        resolve(value).map(|p| p.display().to_string())
                    } else {
                        Some(value.to_string())
                    };
                    if let Some(resolved) = resolved {
                        tools.alternate.insert(entry.key.clone(), resolved);
                    }
                }
            }
        }
        if let Some(value) = doc.get("go.toolsGopath").and_then(|m| m.value.as_str()) {
            tools.tools_gopath = resolve(value).filter(|p| !value.is_empty() && p.is_absolute());
        }
    }
    tools
}

async fn run(ctx: &CheckContext) -> Outcome {
    let Some(files) = read_all(ctx).await else {
        return Outcome::error("reading the settings files failed");
    };
    let mut findings = Vec::new();
    let mut read = Vec::new();
    let mut texts_read = Vec::new();
    for (scope, path, text) in files {
        match text {
            Ok(text) => texts_read.push((scope, path, text)),
            Err(e) if e.is_not_found() => {}
            Err(e) => findings.push(
                Finding::new(
                    "GO030",
                    Severity::Warning,
                    e.to_string(),
                    Subject::file(&path, Default::default()),
                )
                .with_rule_page(),
            ),
        }
    }
    let mut sources = Vec::new();
    for (scope, path, text) in &texts_read {
        read.push(format!("{} settings: {}", scope.name(), path.display()));
        let basis = text_hash(text);
        match Document::parse(text) {
            Ok(doc) => {
                let source = Source {
                    scope: *scope,
                    path: path.clone(),
                    doc,
                    basis,
                };
                findings.extend(duplicates(&source));
                sources.push(source);
            }
            Err(e) => findings.push(not_settings(path, text, &e)),
        }
    }
    if texts_read.is_empty() && findings.is_empty() {
        return Outcome::skipped("no VS Code settings file on this machine or in the workspace");
    }
    findings.extend(judge_go_extension(ctx, &sources).await);
    findings.extend(judge_gopls(ctx, &sources).await);
    outcome(findings, read)
}

pub(crate) fn outcome(mut findings: Vec<Finding>, read: Vec<String>) -> Outcome {
    // In file order, as an editor lists them; the summary leads with the worst.
    findings.sort_by(|a, b| {
        (a.path(), a.range().map(|r| r.start)).cmp(&(b.path(), b.range().map(|r| r.start)))
    });
    let outcome = match Outcome::from_findings(&findings) {
        Some(outcome) => outcome,
        None => Outcome::ok(format!(
            "{} settings file{} checked",
            read.len(),
            if read.len() == 1 { "" } else { "s" }
        )),
    };
    outcome.with_detail(read.join("\n")).with_findings(findings)
}

/// GO030 for a file that is not JSON: at the place the parser stopped, no edit.
fn not_settings(path: &Path, text: &str, e: &NotSettings) -> Finding {
    let span = e.span();
    let lines = crate::text::LineIndex::new(text);
    let range = crate::finding::Range::new(lines.position(span.start), lines.position(span.end));
    let mut finding = Finding::new(
        "GO030",
        Severity::Error,
        format!(
            "{} is not a settings file VS Code can read ({e}); VS Code reports it and may ignore its settings, and \
             gord checks nothing in it until it parses",
            path.display()
        ),
        Subject::file(path, range),
    )
    .with_rule_page();
    finding.basis = Some(text_hash(text));
    finding
}

/// GO030 on every key set again later in the same object (the top level,
/// `gopls`, `go.alternateTools`): VS Code takes the last one.
fn duplicates(source: &Source<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut objects: Vec<(&str, &[Member])> = vec![("", &source.doc.members)];
    for member in &source.doc.members {
        if let (true, Value::Object(inner)) = (
            member.key == "gopls" || member.key == "go.alternateTools",
            &member.value,
        ) {
            objects.push((member.key.as_str(), inner));
        }
    }
    for (parent, members) in objects {
        for (n, member) in members.iter().enumerate() {
            let Some(later) = members[n + 1..].iter().find(|m| m.key == member.key) else {
                continue;
            };
            let line = source.doc.range(later.key_span).start.line + 1;
            let name = if parent.is_empty() {
                member.key.clone()
            } else {
                format!("{parent}: {}", member.key)
            };
            let mut finding = Finding::new(
                "GO030",
                Severity::Warning,
                format!(
                    "\"{name}\" is set again on line {line}; VS Code takes the last one, so this one has no effect"
                ),
                Subject::file(&source.path, source.doc.range(member.key_span)),
            )
            .with_rule_page()
            .with_fix(Fix::edits(
                format!("Remove this \"{}\" (line {line} stays)", member.key),
                source.doc.removal(&source.path, Removable::Member(member)),
            ));
            finding.basis = Some(source.basis);
            out.push(finding);
        }
    }
    out
}

/// Whether settings from `source` may name a program gord runs: a
/// workspace's only when the workspace is trusted.
fn may_name_programs(ctx: &CheckContext, source: &Source<'_>) -> bool {
    source.scope != Scope::Workspace || ctx.trust.is_trusted()
}

async fn judge_go_extension(ctx: &CheckContext, sources: &[Source<'_>]) -> Vec<Finding> {
    let mut out = Vec::new();
    let env = |name: &str| ctx.env.get(name).map(|v| v.to_string_lossy().into_owned());
    let home = ctx.env.home();
    let resolve = |value: &str| {
        go_extension::resolve_path(value, home.as_deref(), ctx.workspace.as_deref(), &env)
    };
    out.extend(go_extension::missing_paths(
        sources,
        &resolve,
        &|p: &Path| p.exists(),
    ));
    if go_extension::effective(sources, "go.lintFlags").is_some() {
        if let Some(linter) = golangci_lint(ctx).await {
            let accepts = |flag: &str| linter.accepts(flag);
            let facts = GolangciLint {
                version: &linter.version,
                major: linter.major,
                accepts: &accepts,
            };
            out.extend(go_extension::lint_flags(sources, &facts));
        }
    }
    out.extend(go_extension::double_lint_on_save(
        sources,
        ctx.settings.lint_on_save,
    ));
    out
}

/// The golangci-lint the locator finds, probed (version and flags).
async fn golangci_lint(ctx: &CheckContext) -> Option<crate::lint::tool::Linter> {
    let env = go_env(ctx).await.ok();
    let path = ctx.locator().find("golangci-lint", env).into_path()?;
    crate::lint::tool::Linter::golangci(ctx.runner.as_ref(), &path)
        .await
        .map_err(|e| tracing::debug!("golangci-lint probe for GO031 failed: {e}"))
        .ok()
}

/// The gopls the Go extension starts: `go.alternateTools.gopls` when it is
/// an absolute path to a program (from a file that may name programs),
/// else the locator's.
async fn gopls_program(ctx: &CheckContext, sources: &[Source<'_>]) -> Option<PathBuf> {
    let named = sources
        .iter()
        .rev()
        .filter(|s| may_name_programs(ctx, s))
        .find_map(|s| {
            let Value::Object(tools) = &s.doc.get("go.alternateTools")?.value else {
                return None;
            };
            tools
                .iter()
                .rev()
                .find(|t| t.key == "gopls")
                .and_then(|t| t.value.as_str().map(PathBuf::from))
        })
        .filter(|p| p.is_absolute() && p.is_file())
        .filter(|p| p.parent().is_some_and(|d| ctx.trust.allows_program_dir(d)));
    if named.is_some() {
        return named;
    }
    let env = go_env(ctx).await.ok();
    ctx.locator().find("gopls", env).into_path()
}

/// What one gopls binary says about its settings: its version and options,
/// or why it could not say.
type Described = Result<(String, Vec<gopls::GoplsOption>), String>;

/// `gopls api-json` answers, once per binary (path and modification time).
static DESCRIBED: ProgramMemo<Arc<Described>> = ProgramMemo::new();

async fn describe(ctx: &CheckContext, program: &Path) -> Arc<Described> {
    if let Some(hit) = DESCRIBED.get(program) {
        return hit;
    }
    let run = |args: &'static [&'static str]| {
        ctx.runner.run(
            CommandSpec::new(program)
                .args(args)
                .cwd("/")
                .timeout(command_timeout(ctx)),
        )
    };
    let described: Described = match run(&["api-json"]).await {
        Ok(out) if out.success() => match gopls::parse_api_json(&out.stdout_text()) {
            Ok(options) => {
                let version = match run(&["version"]).await {
                    Ok(v) if v.success() => gopls_version(&v.stdout_text()),
                    _ => None,
                };
                Ok((
                    version.unwrap_or_else(|| String::from("(unknown version)")),
                    options,
                ))
            }
            Err(e) => Err(e),
        },
        Ok(out) => Err(format!(
            "`gopls api-json` failed: {}",
            crate::goenv::env::snippet(&out.first_error_line())
        )),
        // Not cached: a timeout or a failed start can pass.
        Err(e) => return Arc::new(Err(e.to_string())),
    };
    let described = Arc::new(described);
    DESCRIBED.insert(program, Arc::clone(&described));
    described
}

/// The version in `gopls version` output: `golang.org/x/tools/gopls v0.23.0`.
fn gopls_version(text: &str) -> Option<String> {
    text.split_whitespace()
        .find(|w| w.starts_with('v') && w[1..].starts_with(|c: char| c.is_ascii_digit()))
        .map(String::from)
}

async fn judge_gopls(ctx: &CheckContext, sources: &[Source<'_>]) -> Vec<Finding> {
    if !sources.iter().any(|s| s.doc.get("gopls").is_some()) {
        return Vec::new();
    }
    let Some(program) = gopls_program(ctx, sources).await else {
        // GO010 says gopls is missing; nothing to judge the settings by.
        return Vec::new();
    };
    let described = describe(ctx, &program).await;
    sources
        .iter()
        .flat_map(|s| match described.as_ref() {
            Ok((version, options)) => gopls::judge(&s.path, &s.doc, options, version, s.basis),
            Err(why) => gopls::undescribed(&s.path, &s.doc, &program, why, s.basis),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_files_are_user_code_server_machine_then_workspace() {
        let paths = settings_paths(Some(Path::new("/h")), None, Some(Path::new("/w")));
        let shown: Vec<(Scope, &str)> = paths
            .iter()
            .map(|(s, p)| (*s, p.to_str().unwrap()))
            .collect();
        assert_eq!(
            shown,
            [
                (Scope::User, "/h/.config/Code/User/settings.json"),
                (
                    Scope::CodeServerUser,
                    "/h/.local/share/code-server/User/settings.json"
                ),
                (
                    Scope::RemoteMachine,
                    "/h/.vscode-server/data/Machine/settings.json"
                ),
                (Scope::Workspace, "/w/.vscode/settings.json"),
            ]
        );
        let xdg = settings_paths(None, Some(Path::new("/x")), None);
        assert_eq!(
            xdg,
            [(Scope::User, PathBuf::from("/x/Code/User/settings.json"))]
        );
        let relative = settings_paths(Some(Path::new("/h")), Some(Path::new("rel")), None);
        assert_eq!(
            relative[0].1,
            Path::new("/h/.config/Code/User/settings.json")
        );
    }

    #[test]
    fn the_user_directory_is_where_vs_code_keeps_it_on_each_system() {
        let home = Some(Path::new("/Users/me"));
        let at = |os, xdg: Option<&str>, appdata: Option<&str>| {
            user_dir(os, home, xdg.map(Path::new), appdata.map(Path::new))
        };
        assert_eq!(
            at(UserDataOs::Linux, None, None),
            Some(PathBuf::from("/Users/me/.config/Code/User"))
        );
        assert_eq!(
            at(UserDataOs::Linux, Some("/x"), None),
            Some(PathBuf::from("/x/Code/User"))
        );
        assert_eq!(
            at(UserDataOs::MacOs, Some("/x"), None),
            Some(PathBuf::from(
                "/Users/me/Library/Application Support/Code/User"
            ))
        );
        assert_eq!(
            at(
                UserDataOs::Windows,
                None,
                Some("/C/Users/me/AppData/Roaming")
            ),
            Some(PathBuf::from("/C/Users/me/AppData/Roaming/Code/User"))
        );
        assert_eq!(at(UserDataOs::Windows, None, None), None);
        assert_eq!(at(UserDataOs::Windows, None, Some("relative")), None);
    }

    #[test]
    fn each_products_user_directory_on_each_system() {
        let home = Some(Path::new("/home/me"));
        let appdata = Some(Path::new("/C/Users/me/AppData/Roaming"));
        let mut table = String::new();
        for os in [UserDataOs::Linux, UserDataOs::MacOs, UserDataOs::Windows] {
            for product in Product::ALL {
                let dir = product_user_dir(os, product, home, None, appdata).unwrap();
                table.push_str(&format!("{os:?} {product:?}: {}\n", dir.display()));
            }
        }
        assert_eq!(
            table,
            "\
Linux Code: /home/me/.config/Code/User
Linux Insiders: /home/me/.config/Code - Insiders/User
Linux VsCodium: /home/me/.config/VSCodium/User
Linux VsCodiumInsiders: /home/me/.config/VSCodium - Insiders/User
Linux CodeOss: /home/me/.config/Code - OSS/User
MacOs Code: /home/me/Library/Application Support/Code/User
MacOs Insiders: /home/me/Library/Application Support/Code - Insiders/User
MacOs VsCodium: /home/me/Library/Application Support/VSCodium/User
MacOs VsCodiumInsiders: /home/me/Library/Application Support/VSCodium - Insiders/User
MacOs CodeOss: /home/me/Library/Application Support/Code - OSS/User
Windows Code: /C/Users/me/AppData/Roaming/Code/User
Windows Insiders: /C/Users/me/AppData/Roaming/Code - Insiders/User
Windows VsCodium: /C/Users/me/AppData/Roaming/VSCodium/User
Windows VsCodiumInsiders: /C/Users/me/AppData/Roaming/VSCodium - Insiders/User
Windows CodeOss: /C/Users/me/AppData/Roaming/Code - OSS/User
"
        );
        // XDG_CONFIG_HOME moves every product's on Linux.
        assert_eq!(
            product_user_dir(
                UserDataOs::Linux,
                Product::VsCodium,
                home,
                Some(Path::new("/x")),
                None
            ),
            Some(PathBuf::from("/x/VSCodium/User"))
        );
    }

    #[test]
    fn the_app_name_the_editor_reports_names_its_product() {
        for (name, product) in [
            ("Visual Studio Code", Some(Product::Code)),
            ("Visual Studio Code - Insiders", Some(Product::Insiders)),
            ("VSCodium", Some(Product::VsCodium)),
            ("VSCodium - Insiders", Some(Product::VsCodiumInsiders)),
            ("Code - OSS", Some(Product::CodeOss)),
            ("Cursor", None),
        ] {
            assert_eq!(Product::from_app_name(name), product, "{name}");
        }
    }

    #[test]
    fn a_probe_takes_the_first_product_whose_user_directory_exists_else_vs_codes() {
        let home = Some(Path::new("/home/me"));
        let probe = |present: &[&str]| {
            let present: Vec<PathBuf> = present.iter().map(PathBuf::from).collect();
            probe_user_dir(UserDataOs::Linux, home, None, None, &|p| {
                present.iter().any(|q| q == p)
            })
        };
        assert_eq!(
            probe(&["/home/me/.config/VSCodium/User"]),
            Some(PathBuf::from("/home/me/.config/VSCodium/User"))
        );
        assert_eq!(
            probe(&[
                "/home/me/.config/Code - OSS/User",
                "/home/me/.config/Code - Insiders/User"
            ]),
            Some(PathBuf::from("/home/me/.config/Code - Insiders/User"))
        );
        assert_eq!(
            probe(&[]),
            Some(PathBuf::from("/home/me/.config/Code/User"))
        );
    }

    fn source(text: &str) -> Source<'_> {
        Source {
            scope: Scope::User,
            path: PathBuf::from("/u/settings.json"),
            doc: Document::parse(text).unwrap(),
            basis: text_hash(text),
        }
    }

    #[test]
    fn an_earlier_duplicate_is_flagged_and_offered_for_removal() {
        let text = "{\n  \"go.lintTool\": \"staticcheck\",\n  \"gopls\": {\"gofumpt\": true, \"gofumpt\": false},\n  \"go.lintTool\": \"golangci-lint\"\n}";
        let found = duplicates(&source(text));
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0].message,
            "\"go.lintTool\" is set again on line 4; VS Code takes the last one, so this one has no effect"
        );
        assert_eq!(found[0].range().unwrap().start.line, 1);
        assert_eq!(found[0].basis, Some(text_hash(text)));
        assert!(found[1]
            .message
            .starts_with("\"gopls: gofumpt\" is set again on line 3"));
    }

    #[test]
    fn a_file_that_is_not_json_is_one_error_without_an_edit() {
        let text = "{\n  \"go.lintTool\": \"golangci-lint\"\n  \"go.lintOnSave\": \"off\"\n}";
        let e = Document::parse(text).unwrap_err();
        let finding = not_settings(Path::new("/w/.vscode/settings.json"), text, &e);
        assert_eq!(finding.severity, Severity::Error);
        assert!(finding.fixes.is_empty());
        assert!(finding.message.contains("not JSON"), "{}", finding.message);
        // Where the comma is missing: after the value on line 2 (1-based).
        assert!(
            finding.message.contains("Expected comma on line 2"),
            "{}",
            finding.message
        );
        assert_eq!(finding.range().unwrap().start.line, 1);
    }

    #[tokio::test]
    async fn an_untrusted_workspace_names_no_tool_for_the_go_extension_lookup() {
        use crate::check::{Environment, Trust};
        let home = tempfile::tempdir().unwrap();
        let ws = tempfile::tempdir().unwrap();
        let machine = home.path().join(".vscode-server/data/Machine");
        std::fs::create_dir_all(&machine).unwrap();
        std::fs::write(
            machine.join("settings.json"),
            r#"{"go.alternateTools": {"dlv": "/opt/dlv"}, "go.toolsGopath": "~/tools"}"#,
        )
        .unwrap();
        std::fs::create_dir(ws.path().join(".vscode")).unwrap();
        std::fs::write(
            ws.path().join(".vscode/settings.json"),
            r#"{"go.alternateTools": {"gopls": "./bin/gopls"}}"#,
        )
        .unwrap();
        let context = |trusted: bool| {
            CheckContext::new(
                Some(ws.path().to_path_buf()),
                crate::settings::Settings::default(),
                std::sync::Arc::new(crate::exec::SystemRunner),
                Environment::from_pairs([("HOME", home.path())]),
                Trust::new(trusted, &[ws.path().to_path_buf()]),
            )
        };
        let untrusted = editor_tools(&context(false)).await;
        assert_eq!(
            untrusted.alternate.keys().collect::<Vec<_>>(),
            ["dlv"],
            "the machine's settings only"
        );
        assert_eq!(untrusted.tools_gopath, Some(home.path().join("tools")));
        let trusted = editor_tools(&context(true)).await;
        assert_eq!(
            trusted.alternate.keys().collect::<Vec<_>>(),
            ["dlv", "gopls"],
            "objects merge across scopes"
        );
    }

    #[tokio::test]
    async fn a_fifo_or_a_huge_settings_file_is_one_finding_not_a_hang() {
        use crate::check::{Environment, Trust};
        let home = tempfile::tempdir().unwrap();
        let ws = tempfile::tempdir().unwrap();
        let dot_vscode = ws.path().join(".vscode");
        std::fs::create_dir(&dot_vscode).unwrap();
        let fifo = dot_vscode.join("settings.json");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        let user = home.path().join(".config/Code/User");
        std::fs::create_dir_all(&user).unwrap();
        std::fs::write(user.join("settings.json"), " ".repeat(2 * 1024 * 1024)).unwrap();
        let ctx = CheckContext::new(
            Some(ws.path().to_path_buf()),
            crate::settings::Settings::default(),
            std::sync::Arc::new(crate::exec::SystemRunner),
            Environment::from_pairs([("HOME", home.path())]),
            Trust::new(false, &[ws.path().to_path_buf()]),
        );
        let outcome = tokio::time::timeout(std::time::Duration::from_secs(10), run(&ctx))
            .await
            .expect("no hang on a FIFO");
        let messages: Vec<&str> = outcome
            .findings
            .iter()
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages.iter().any(|m| m.contains("a FIFO or pipe")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("larger than 1 MiB")),
            "{messages:?}"
        );
        assert!(outcome.findings.iter().all(|f| f.fixes.is_empty()));
    }

    #[tokio::test]
    async fn a_gopls_that_cannot_describe_its_settings_is_an_info_without_edits() {
        use crate::check::{Environment, Trust};
        use std::os::unix::fs::PermissionsExt;
        // Fake: an old gopls release is not installed here; this one answers
        // `api-json` as gopls before v0.5 did.
        let bin = tempfile::tempdir().unwrap();
        let old = bin.path().join("gopls");
        std::fs::write(
            &old,
            "#!/bin/sh\necho 'flag provided but not defined: -api-json' >&2\nexit 2\n",
        )
        .unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).unwrap();
        let home = tempfile::tempdir().unwrap();
        let user = home.path().join(".config/Code/User");
        std::fs::create_dir_all(&user).unwrap();
        let text = format!(
            "{{\n  \"go.alternateTools\": {{\"gopls\": \"{}\"}},\n  \"gopls\": {{\"memoryLimit\": \"1G\"}}\n}}",
            old.display()
        );
        std::fs::write(user.join("settings.json"), &text).unwrap();
        let ctx = CheckContext::new(
            None,
            crate::settings::Settings::default(),
            std::sync::Arc::new(crate::exec::SystemRunner),
            Environment::from_pairs([("HOME", home.path())]),
            Trust::Trusted,
        );
        let outcome = run(&ctx).await;
        assert_eq!(outcome.status, crate::check::Status::Ok, "{outcome:?}");
        assert_eq!(outcome.findings.len(), 1, "{outcome:?}");
        let note = &outcome.findings[0];
        assert_eq!(
            (note.code.as_str(), note.severity),
            ("GO035", Severity::Info)
        );
        assert!(
            note.message
                .contains("flag provided but not defined: -api-json"),
            "{}",
            note.message
        );
        assert_eq!(note.range().unwrap().start.line, 2);
        assert!(note.fixes.is_empty());
    }

    #[test]
    fn reads_the_version_gopls_prints() {
        assert_eq!(
            gopls_version("golang.org/x/tools/gopls v0.23.0\n").as_deref(),
            Some("v0.23.0")
        );
        assert_eq!(gopls_version("devel"), None);
    }
}
