//! SSH040: what Remote-SSH itself will use on this machine, from its own
//! settings in VS Code's settings files: the config file it hands to ssh
//! (`remote.SSH.configFile`, SSH040) and the platform it assumes per host
//! (`remote.SSH.remotePlatform`: a value it does not know, SSH041; an entry
//! for a host that config does not name, SSH042). Each finding sits on the
//! exact key or value, with the file's hash, so its quick fix edits only the
//! text it was computed on.

use std::path::{Path, PathBuf};

use futures::future::BoxFuture;

use crate::check::{CheckContext, Outcome};
use crate::finding::{Edit, Finding, Fix, Severity};
use crate::goenv::vscode::document::{Document, Member, Removable, Value};
use crate::goenv::vscode::go_extension::{effective, resolve_path, Source};
use crate::goenv::vscode::{read_all, Scope};
use crate::lint::text_hash;
use crate::ssh::config::blocks::{blocks, Header};
use crate::ssh::config::local::LocalFacts;
use crate::ssh::config::pattern::{match_hostname, ListMatch};
use crate::ssh::config::resolve::RealFs;
use crate::ssh::lint::LintContext;

pub(crate) const CONFIG_FILE: &str = "remote.SSH.configFile";
const REMOTE_PLATFORM: &str = "remote.SSH.remotePlatform";

/// The rules of this module and of [`super::preconnect`]: findings on settings files, not on an SSH
/// config, so their quick fixes are the health report's, not the SSH
/// config's (which are guarded by a config's include set).
pub const SETTINGS_RULES: [&str; 6] = ["SSH040", "SSH041", "SSH042", "SSH050", "SSH051", "SSH052"];

/// The platforms Remote-SSH takes in `remote.SSH.remotePlatform`.
const PLATFORMS: [&str; 3] = ["linux", "windows", "macOS"];

/// The `Host` lines of the config Remote-SSH reads (with what it includes),
/// to tell whether a host name is one of its hosts.
#[derive(Debug, Clone)]
pub struct ConfigHosts {
    pub config: PathBuf,
    /// Each `Host` line's pattern list, as written.
    lists: Vec<String>,
}

impl ConfigHosts {
    pub fn new(config: PathBuf, lists: Vec<String>) -> ConfigHosts {
        ConfigHosts { config, lists }
    }

    /// Whether a `Host` line other than `Host *` matches `name` (a
    /// Remote-SSH host, `user@` and all), as ssh matches the host it is given.
    pub fn names(&self, name: &str) -> bool {
        let host = name.rsplit_once('@').map_or(name, |(_, host)| host);
        self.lists.iter().any(|list| {
            let catch_all = list.split(',').all(|p| p.chars().all(|c| c == '*'));
            !catch_all && match_hostname(host, list) == ListMatch::Matched
        })
    }
}

/// The settings files' findings. `resolve` expands a path setting as
/// Remote-SSH does; `exists` answers for a resolved path; `hosts` is None
/// when the config could not be read (SSH042 is then not judged).
pub fn judge(
    sources: &[Source<'_>],
    resolve: &dyn Fn(&str) -> Option<PathBuf>,
    exists: &dyn Fn(&Path) -> bool,
    hosts: Option<&ConfigHosts>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some((source, member)) = effective(sources, CONFIG_FILE) {
        out.extend(missing_config(source, member, resolve, exists));
    }
    for source in sources {
        for member in source
            .doc
            .members
            .iter()
            .filter(|m| m.key == REMOTE_PLATFORM)
        {
            let Value::Object(entries) = &member.value else {
                continue;
            };
            for entry in entries {
                out.extend(platform_value(source, entry));
                if let Some(hosts) = hosts.filter(|h| !h.names(&entry.key)) {
                    out.push(unknown_host(source, entry, &hosts.config));
                }
            }
        }
    }
    out
}

/// SSH040: a `remote.SSH.configFile` that names nothing on disk.
fn missing_config(
    source: &Source<'_>,
    member: &Member,
    resolve: &dyn Fn(&str) -> Option<PathBuf>,
    exists: &dyn Fn(&Path) -> bool,
) -> Option<Finding> {
    let value = member.value.as_str().filter(|v| !v.trim().is_empty())?;
    let path = resolve(value).filter(|p| !exists(p))?;
    let message = format!(
        "remote.SSH.configFile is {}, which does not exist: Remote-SSH lists no hosts from it, and the ssh it \
         starts with -F stops with \"Can't open user config file {}: No such file or directory\"",
        path.display(),
        path.display()
    );
    Some(
        source
            .finding_at("SSH040", Severity::Error, message, member.value_span)
            .with_fix(source.remove(
                String::from("Remove remote.SSH.configFile (Remote-SSH then reads ~/.ssh/config)"),
                Removable::Member(member),
            )),
    )
}

/// The platform Remote-SSH means by a value written another way.
fn canonical_platform(value: &str) -> Option<&'static str> {
    let lower = value.trim().to_ascii_lowercase();
    match lower.as_str() {
        "linux" => Some("linux"),
        "windows" | "win" | "win32" => Some("windows"),
        "macos" | "mac" | "osx" | "darwin" => Some("macOS"),
        _ => None,
    }
}

/// SSH041: an entry whose value is not one of [`PLATFORMS`].
fn platform_value(source: &Source<'_>, entry: &Member) -> Option<Finding> {
    let written = entry.value.as_str();
    if written.is_some_and(|v| PLATFORMS.contains(&v)) {
        return None;
    }
    let shown = &source.doc.text[entry.value_span.start..entry.value_span.end];
    let message = format!(
        "remote.SSH.remotePlatform gives \"{}\" the platform {shown}, which Remote-SSH does not know (it takes \
         \"linux\", \"windows\" or \"macOS\"): it cannot pick the server for that host from this entry",
        entry.key
    );
    let finding = source.finding_at("SSH041", Severity::Error, message, entry.value_span);
    let fix = match written.and_then(canonical_platform) {
        Some(platform) => Fix::edits(
            format!("Set \"{}\" to \"{platform}\"", entry.key),
            vec![Edit {
                path: source.path.clone(),
                range: source.doc.range(entry.value_span),
                new_text: format!("\"{platform}\""),
            }],
        ),
        None => Fix::advice(format!(
            "Set \"{}\" to \"linux\", \"windows\" or \"macOS\", the system the host runs",
            entry.key
        )),
    };
    Some(finding.with_fix(fix))
}

/// SSH042: an entry for a host no `Host` line of the config names.
fn unknown_host(source: &Source<'_>, entry: &Member, config: &Path) -> Finding {
    let message = format!(
        "remote.SSH.remotePlatform has an entry for \"{}\", which no Host line of {} names: it counts only when \
         you type that exact name in Connect to Host (a host renamed or removed from the config leaves such \
         entries behind)",
        entry.key,
        config.display()
    );
    source
        .finding("SSH042", Severity::Info, message, entry)
        .with_fix(source.remove(
            format!("Remove the \"{}\" entry", entry.key),
            Removable::Member(entry),
        ))
}

/// Every `Host` line's patterns in the config at `path` and what it
/// includes; None when it cannot be read.
fn config_hosts(path: &Path, local: &LocalFacts) -> Option<ConfigHosts> {
    let ctx = LintContext::load(path, &RealFs, local, false).ok()?;
    let lists = ctx
        .files
        .iter()
        .flat_map(|file| Vec::clone(&blocks(file)))
        .filter_map(|block| match block.header {
            Header::Host(patterns) => Some(patterns.join(",")),
            _ => None,
        })
        .collect();
    Some(ConfigHosts::new(path.to_path_buf(), lists))
}

/// SSH040: the check. Registered in the SSH catalogue.
pub fn ssh040(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(run(ctx))
}

/// The settings files Remote-SSH's settings are read from, as text: every
/// scope but the remote machine's (Remote-SSH runs where the editor's window
/// is, so the remote machine's settings never reach it). None: reading
/// failed inside gord.
pub(crate) async fn settings_texts(ctx: &CheckContext) -> Option<Vec<(Scope, PathBuf, String)>> {
    let files = read_all(ctx).await?;
    Some(
        files
            .into_iter()
            .filter(|(scope, _, _)| *scope != Scope::RemoteMachine)
            .filter_map(|(scope, path, text)| text.ok().map(|t| (scope, path, t)))
            .collect(),
    )
}

/// The files among `texts` that set any of Remote-SSH's settings, parsed.
pub(crate) fn sources_of(texts: &[(Scope, PathBuf, String)]) -> Vec<Source<'_>> {
    texts
        .iter()
        .filter_map(|(scope, path, text)| {
            let doc = Document::parse(text).ok()?;
            doc.members
                .iter()
                .any(|m| m.key.starts_with("remote.SSH."))
                .then(|| Source {
                    scope: *scope,
                    path: path.clone(),
                    doc,
                    basis: text_hash(text),
                })
        })
        .collect()
}

/// The SSH config Remote-SSH hands to ssh: `remote.SSH.configFile` as it
/// resolves it (`~`, `${env:NAME}`), else `~/.ssh/config`.
pub(crate) fn config_of(
    sources: &[Source<'_>],
    resolve: &dyn Fn(&str) -> Option<PathBuf>,
    home: Option<&Path>,
) -> Option<PathBuf> {
    effective(sources, CONFIG_FILE)
        .and_then(|(_, m)| m.value.as_str().filter(|v| !v.trim().is_empty()))
        .and_then(resolve)
        .or_else(|| home.map(|h| h.join(".ssh").join("config")))
}

/// The config Remote-SSH uses on this machine, from the settings files of
/// `ctx` (see [`config_of`]).
pub(crate) async fn remote_ssh_config(ctx: &CheckContext) -> Option<PathBuf> {
    let texts = settings_texts(ctx).await.unwrap_or_default();
    let sources = sources_of(&texts);
    let env = |name: &str| ctx.env.get(name).map(|v| v.to_string_lossy().into_owned());
    let home = ctx.env.home();
    let resolve =
        |value: &str| resolve_path(value, home.as_deref(), ctx.workspace.as_deref(), &env);
    config_of(&sources, &resolve, home.as_deref())
}

async fn run(ctx: &CheckContext) -> Outcome {
    let Some(texts) = settings_texts(ctx).await else {
        return Outcome::error("reading the settings files failed");
    };
    let sources = sources_of(&texts);
    if sources.is_empty() {
        return Outcome::skipped("no settings file sets Remote-SSH's settings");
    }
    let env = |name: &str| ctx.env.get(name).map(|v| v.to_string_lossy().into_owned());
    let home = ctx.env.home();
    let resolve =
        |value: &str| resolve_path(value, home.as_deref(), ctx.workspace.as_deref(), &env);
    let exists = |p: &Path| p.exists();
    let config = config_of(&sources, &resolve, home.as_deref());
    let hosts = match config {
        Some(config) => {
            let local = LocalFacts::current();
            let local = LocalFacts {
                home: home.clone().unwrap_or_else(|| local.home.clone()),
                ..local
            };
            tokio::task::spawn_blocking(move || config_hosts(&config, &local))
                .await
                .ok()
                .flatten()
        }
        None => None,
    };
    let findings = judge(&sources, &resolve, &exists, hosts.as_ref());
    let read: Vec<String> = sources
        .iter()
        .map(|s| format!("{} settings: {}", s.scope.name(), s.path.display()))
        .chain(
            hosts
                .iter()
                .map(|h| format!("hosts from: {}", h.config.display())),
        )
        .collect();
    crate::goenv::vscode::outcome(findings, read)
}

/// For tests of the modules that read Remote-SSH's settings: `text` as the
/// user's settings.json.
#[cfg(test)]
pub(crate) fn user_settings_source(text: &str) -> Source<'_> {
    Source {
        scope: Scope::User,
        path: PathBuf::from("/home/me/.config/Code/User/settings.json"),
        doc: Document::parse(text).expect("settings parse"),
        basis: text_hash(text),
    }
}

/// For the same tests: `text` after `finding`'s fix.
#[cfg(test)]
pub(crate) fn applied(text: &str, finding: &Finding) -> String {
    let edits: Vec<_> = finding
        .fix()
        .expect("a fix")
        .edits
        .iter()
        .map(|e| (e.range, e.new_text.clone()))
        .collect();
    crate::edit::apply_edits(text, &edits).expect("the edits apply")
}

#[cfg(test)]
mod tests {
    use super::user_settings_source as source;
    use super::*;

    fn hosts(lists: &[&str]) -> ConfigHosts {
        ConfigHosts::new(
            PathBuf::from("/home/me/.ssh/config"),
            lists.iter().map(|s| s.to_string()).collect(),
        )
    }

    fn findings(text: &str, exists: bool, known: &[&str]) -> Vec<Finding> {
        let resolve = |v: &str| resolve_path(v, Some(Path::new("/home/me")), None, &|_| None);
        judge(&[source(text)], &resolve, &|_| exists, Some(&hosts(known)))
    }

    #[test]
    fn a_config_file_that_does_not_exist_is_an_error_on_its_value_and_the_fix_removes_the_key() {
        let text = "{\n  \"remote.SSH.configFile\": \"~/.ssh/gone\",\n  \"a\": 1\n}\n";
        let found = findings(text, false, &[]);
        assert_eq!(found.len(), 1);
        let finding = &found[0];
        assert_eq!(finding.code, "SSH040");
        assert!(finding
            .message
            .contains("/home/me/.ssh/gone, which does not exist"));
        assert!(finding
            .message
            .contains("Can't open user config file /home/me/.ssh/gone"));
        assert_eq!(
            finding.range().map(|r| (r.start.line, r.start.character)),
            Some((1, 27))
        );
        assert_eq!(applied(text, finding), "{\n  \"a\": 1\n}\n");
        assert!(findings(text, true, &[]).is_empty());
    }

    #[test]
    fn a_platform_remote_ssh_does_not_know_is_an_error_and_a_known_spelling_is_fixed() {
        let text = "{\n  \"remote.SSH.remotePlatform\": {\n    \"devbox\": \"Linux\",\n    \"mini\": \"darwin\",\n    \"pi\": \"raspbian\",\n    \"ok\": \"macOS\"\n  }\n}\n";
        let found = findings(text, true, &["devbox,mini,pi,ok"]);
        let codes: Vec<(&str, u32)> = found
            .iter()
            .map(|f| (f.code.as_str(), f.range().map_or(0, |r| r.start.line)))
            .collect();
        assert_eq!(codes, [("SSH041", 2), ("SSH041", 3), ("SSH041", 4)]);
        assert!(applied(text, &found[0]).contains("\"devbox\": \"linux\""));
        assert!(applied(text, &found[1]).contains("\"mini\": \"macOS\""));
        assert!(found[2].fix().is_some_and(|f| f.edits.is_empty()));
        assert!(found[2].message.contains("the platform \"raspbian\""));
    }

    #[test]
    fn an_entry_for_a_host_the_config_does_not_name_is_a_note_with_a_removal() {
        let text = "{\n  \"remote.SSH.remotePlatform\": {\n    \"old-box\": \"linux\",\n    \"me@build7.corp\": \"linux\",\n    \"devbox\": \"linux\"\n  }\n}\n";
        let found = findings(text, true, &["devbox", "build*.corp,!build0.corp", "*"]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, "SSH042");
        assert_eq!(found[0].severity, Severity::Info);
        assert!(found[0]
            .message
            .contains("\"old-box\", which no Host line of /home/me/.ssh/config names"));
        assert_eq!(
            applied(text, &found[0]),
            "{\n  \"remote.SSH.remotePlatform\": {\n    \"me@build7.corp\": \"linux\",\n    \"devbox\": \"linux\"\n  }\n}\n"
        );
    }

    #[test]
    fn host_lines_match_as_ssh_matches_them() {
        let known = hosts(&["devbox", "build*.corp,!build0.corp", "*,*"]);
        assert!(known.names("DevBox"), "ssh lowercases the host it is given");
        assert!(known.names("me@build7.corp"));
        assert!(!known.names("build0.corp"), "a negated pattern excludes");
        assert!(
            !known.names("elsewhere"),
            "Host * names no host in particular"
        );
    }

    #[test]
    fn without_the_config_only_the_values_are_judged() {
        let text = r#"{"remote.SSH.remotePlatform": {"gone": "linux"}}"#;
        let resolve = |v: &str| Some(PathBuf::from(v));
        assert!(judge(&[source(text)], &resolve, &|_| true, None).is_empty());
    }
}
