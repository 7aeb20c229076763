//! Fixes that are settings edits (issue #15): RMT028–RMT030 (locks on a
//! network file system, stale or hanging) and RMT032/RMT033 (no egress, a
//! proxy that refuses CONNECT) are avoided by settings of Remote-SSH and VS
//! Code on the machine Remote-SSH runs on, not on the host. This module says
//! which settings each finding wants, from the same facts the rules judged,
//! and turns them into edits of that machine's VS Code user settings.json
//! ([`crate::goenv::vscode::set`]: only the bytes needed, comments and
//! trailing commas kept). The edit becomes the finding's first fix after
//! any command (so the report's button applies it, and the editor offers it
//! as a quick fix while the file still hashes to the finding's `basis`);
//! what no setting does stays advice. `gord remote check --fix` applies the
//! settings of every host at once ([`plan`]). Nothing here deletes anything.

use std::path::{Path, PathBuf};

use super::egress;
use super::model::FleetReport;
use super::rules::{
    is_network_fs, FLOCK_ELSEWHERE, GO_CACHES_LOCAL, LOCKFILES_IN_TMP, SERVER_INSTALL_PATH,
    USE_FLOCK,
};
use super::script::{ExecProbe, RemoteFacts};
use crate::finding::{Finding, Fix};
use crate::goenv::vscode::document::NotSettings;
use crate::goenv::vscode::set::{self, Change};
use crate::goenv::vscode::{probe_user_dir, product_user_dir, Product, UserDataOs};
use crate::lint::text_hash;

/// The rules whose fixes include settings.
pub const SETTINGS_FIX_RULES: [&str; 5] = ["RMT028", "RMT029", "RMT030", "RMT032", "RMT033"];

/// The VS Code user settings file of the machine Remote-SSH runs on (this
/// one: gord runs where Remote-SSH does, the UI part's machine), as read
/// before the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSettings {
    pub path: PathBuf,
    /// None: the file does not exist (yet).
    pub text: Option<String>,
}

/// What the editor said about itself in `initializationOptions`: its
/// `User` directory (from its global storage) and its name
/// (`vscode.env.appName`). Empty for the CLI, which probes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditorHint {
    pub user_dir: Option<PathBuf>,
    pub product: Option<Product>,
}

/// The `User` directory whose settings.json the fixes edit: the editor's
/// own when it said (an absolute directory), else its product's, else the
/// first product's that exists ([`probe_user_dir`]).
pub fn user_settings_dir(
    os: UserDataOs,
    home: Option<&Path>,
    xdg_config_home: Option<&Path>,
    appdata: Option<&Path>,
    hint: &EditorHint,
    exists: &dyn Fn(&Path) -> bool,
) -> Option<PathBuf> {
    if let Some(dir) = hint.user_dir.as_ref().filter(|d| d.is_absolute()) {
        return Some(dir.clone());
    }
    match hint.product {
        Some(product) => product_user_dir(os, product, home, xdg_config_home, appdata),
        None => probe_user_dir(os, home, xdg_config_home, appdata, exists),
    }
}

impl UserSettings {
    /// The user settings file of the editor `hint` names (else probed) for
    /// `home`, `XDG_CONFIG_HOME` and `APPDATA`, read through the bounded
    /// reader. None without a home, or when the file exists but cannot be
    /// read (too big, not UTF-8, a FIFO...): no edit is offered then.
    pub fn read(
        home: Option<&Path>,
        xdg_config_home: Option<&Path>,
        appdata: Option<&Path>,
        hint: &EditorHint,
    ) -> Option<UserSettings> {
        let dir = user_settings_dir(
            UserDataOs::current(),
            home,
            xdg_config_home,
            appdata,
            hint,
            &|p| p.is_dir(),
        )?;
        let path = dir.join("settings.json");
        match crate::fsread::read_to_string(&path, crate::fsread::Kind::Settings) {
            Ok(text) => Some(UserSettings {
                path,
                text: Some(text),
            }),
            Err(e) if e.is_not_found() => Some(UserSettings { path, text: None }),
            Err(e) => {
                tracing::info!("no settings fixes: {e}");
                None
            }
        }
    }

    /// [`UserSettings::read`] for this process's HOME (as VS Code takes
    /// it: the variable, else the account's), XDG_CONFIG_HOME and APPDATA.
    pub fn of_process(hint: &EditorHint) -> Option<UserSettings> {
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .or_else(|| Some(crate::platform::user::current().home));
        let xdg = std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from);
        let appdata = std::env::var_os("APPDATA").map(PathBuf::from);
        UserSettings::read(home.as_deref(), xdg.as_deref(), appdata.as_deref(), hint)
    }

    fn text(&self) -> &str {
        self.text.as_deref().unwrap_or("")
    }
}

/// What a finding of rule `code` wants set, and the advice left for what no
/// setting does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Remedy {
    pub changes: Vec<Change>,
    pub rest: Option<String>,
}

/// The remedy of a finding of rule `code` on `host` with facts `r`; no
/// changes for other rules.
pub fn remedy(code: &str, host: &str, r: &RemoteFacts) -> Remedy {
    let flock_fails = r.flock_tests.iter().any(|t| t.works == Some(false));
    let locks = Change::set(LOCKFILES_IN_TMP, true);
    let no_flock = Change::set(USE_FLOCK, false);
    match code {
        "RMT028" => match local_install_dir(r) {
            Some(dir) => Remedy {
                changes: vec![locks, Change::entry(SERVER_INSTALL_PATH, host, dir.as_str())],
                rest: Some(egress::capitalize(&format!(
                    "make {dir} yours before the next connection, so no one else can: `ssh {host} mkdir -m 700 {dir}`; the server is installed afresh in {dir}/.vscode-server then; if locks still hang, also set `\"{USE_FLOCK}\": false`; {GO_CACHES_LOCAL}"
                ))),
            },
            None => Remedy {
                changes: vec![locks],
                rest: Some(egress::capitalize(&format!(
                    "if locks still hang, also set `\"{USE_FLOCK}\": false`, or `{SERVER_INSTALL_PATH}` to a local disk; {GO_CACHES_LOCAL}"
                ))),
            },
        },
        "RMT029" => Remedy {
            changes: if flock_fails {
                vec![locks, no_flock]
            } else {
                vec![locks]
            },
            rest: None,
        },
        "RMT030" => Remedy {
            changes: vec![no_flock, locks],
            rest: Some(egress::capitalize(FLOCK_ELSEWHERE)),
        },
        "RMT032" | "RMT033" => {
            let Some(e) = &r.egress else {
                return Remedy::default();
            };
            let probes = if code == "RMT033" {
                egress::refused_probes(e)
            } else {
                egress::failed_probes(e)
            };
            let go = egress::go_advice(host, &probes);
            let rest = if code == "RMT033" {
                let proxy = egress::proxy_advice(host);
                Some(match go {
                    Some(go) => format!("{proxy}; meanwhile: {go}"),
                    None => proxy,
                })
            } else {
                go.map(|a| egress::capitalize(&a))
            };
            Remedy {
                changes: egress::settings_for(&probes),
                rest,
            }
        }
        _ => Remedy::default(),
    }
}

/// Where the VS Code server of a host can go when its directory
/// (`~/.vscode-server`, else the home) is on a network file system: the
/// first of /var/tmp and /tmp on a local file system that runs programs,
/// as `DIR/USER` when that is missing or a directory of the user's own
/// (never one another user made). Remote-SSH's `serverInstallPath` puts
/// `.vscode-server` inside it. None otherwise.
pub fn local_install_dir(r: &RemoteFacts) -> Option<String> {
    let of = |what: &str| r.file_systems.iter().find(|f| f.what == what);
    let server_fs = of("~/.vscode-server").or_else(|| of("the home directory"))?;
    if !is_network_fs(&server_fs.fs_type) {
        return None;
    }
    let user = r
        .user
        .as_deref()
        .filter(|u| !u.is_empty() && !u.contains(['/', '\\']) && *u != "." && *u != "..")?;
    r.local_dirs
        .iter()
        .find(|d| {
            d.exec == ExecProbe::Yes
                && !d.fs_type.is_empty()
                && !is_network_fs(&d.fs_type)
                && d.own_dir != "other"
        })
        .map(|d| format!("{}/{user}", d.path.trim_end_matches('/')))
}

/// The fix that sets `changes` in `settings`; None when the file has them
/// all already or is not a settings object (VS Code ignores it then, and
/// gord edits nothing in it).
pub fn settings_fix(settings: &UserSettings, changes: &[Change]) -> Option<Fix> {
    let edits = set::edits(&settings.path, settings.text(), changes).ok()?;
    if edits.is_empty() {
        return None;
    }
    let shown: Vec<String> = changes.iter().map(|c| format!("`{}`", c.shown())).collect();
    Some(Fix::edits(
        format!(
            "Set {} in your VS Code user settings ({})",
            shown.join(" and "),
            settings.path.display()
        ),
        edits,
    ))
}

/// Gives the findings of one host with facts `r` their settings fixes:
/// the edit takes the place of the advice that named the settings, after
/// any command fix, and the advice for the rest follows it. A finding whose
/// settings are set already, or with no settings file to edit, keeps its
/// advice.
pub fn attach(
    findings: &mut [Finding],
    host: &str,
    r: Option<&RemoteFacts>,
    settings: Option<&UserSettings>,
) {
    let (Some(r), Some(settings)) = (r, settings) else {
        return;
    };
    for finding in findings
        .iter_mut()
        .filter(|f| SETTINGS_FIX_RULES.contains(&f.code.as_str()))
    {
        let remedy = remedy(&finding.code, host, r);
        let Some(fix) = settings_fix(settings, &remedy.changes) else {
            continue;
        };
        finding
            .fixes
            .retain(|f| f.command.is_some() || !f.edits.is_empty());
        finding.fixes.push(fix);
        finding.fixes.extend(remedy.rest.map(Fix::advice));
        finding.basis = Some(text_hash(settings.text()));
    }
}

/// What `gord remote check --fix` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsPlan {
    pub path: PathBuf,
    /// None: the file does not exist and is created.
    pub original: Option<String>,
    pub new: String,
    /// Each setting set, as a user writes it, with the hosts that want it.
    pub applied: Vec<String>,
}

/// The settings every host of `fleet` wants, set in `settings` as it is
/// now; None when there is nothing to change.
pub fn plan(
    fleet: &FleetReport,
    settings: &UserSettings,
) -> Result<Option<SettingsPlan>, NotSettings> {
    let mut wanted: Vec<(Change, Vec<String>)> = Vec::new();
    for host in &fleet.hosts {
        let Some(r) = &host.remote else { continue };
        for finding in &host.findings {
            for change in remedy(&finding.code, &host.host, r).changes {
                match wanted.iter_mut().find(|(c, _)| *c == change) {
                    Some((_, hosts)) if hosts.contains(&host.host) => {}
                    Some((_, hosts)) => hosts.push(host.host.clone()),
                    None => wanted.push((change, vec![host.host.clone()])),
                }
            }
        }
    }
    let changes: Vec<Change> = wanted.iter().map(|(c, _)| c.clone()).collect();
    let text = settings.text();
    let edits: Vec<_> = set::edits(&settings.path, text, &changes)?
        .into_iter()
        .map(|e| (e.range, e.new_text))
        .collect();
    if edits.is_empty() {
        return Ok(None);
    }
    let new = match crate::edit::apply_edits(text, &edits) {
        Ok(new) => new,
        Err(e) => {
            tracing::warn!("settings edits do not apply: {e}");
            return Ok(None);
        }
    };
    Ok(Some(SettingsPlan {
        path: settings.path.clone(),
        original: settings.text.clone(),
        new,
        applied: wanted
            .iter()
            .map(|(c, hosts)| format!("{} (for {})", c.shown(), hosts.join(", ")))
            .collect(),
    }))
}

/// Writes `plan`: the file replaced atomically with a backup, refused when
/// it changed since it was read; a missing file is created.
pub fn write(
    plan: &SettingsPlan,
    options: &crate::edit::WriteOptions,
) -> Result<crate::edit::WriteOutcome, crate::edit::EditError> {
    match &plan.original {
        Some(original) => crate::edit::write_file_atomically(
            &plan.path,
            original.as_bytes(),
            plan.new.as_bytes(),
            options,
        ),
        None => crate::edit::create_file_atomically(&plan.path, plan.new.as_bytes()),
    }
}

/// Why the editor's fix that creates the user settings file wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("no VS Code user settings file to create here (no home directory, or the file cannot be read)")]
    NoSettings,
    #[error("{} is not the VS Code user settings file gord edits ({})", .asked.display(), .ours.display())]
    NotUserSettings { asked: PathBuf, ours: PathBuf },
    #[error("{} exists now; nothing was written (ask for the fix again)", .0.display())]
    Exists(PathBuf),
    #[error("the new settings would not be read by VS Code ({0}); nothing was written")]
    NotSettings(#[from] NotSettings),
    #[error(transparent)]
    Edit(#[from] crate::edit::EditError),
}

/// The editor's settings fix on a user settings file that does not exist
/// yet: `edits` (computed on the empty text) applied to nothing, written as
/// a new file at `asked` ([`crate::edit::create_file_atomically`]: parent
/// directories made, atomic, never over a file that appeared meanwhile).
/// `settings` is the user settings file as read now; `asked` (it comes back
/// from the client) must be that file, and it must still be missing.
pub fn create(
    settings: Option<&UserSettings>,
    asked: &Path,
    edits: &[(crate::finding::Range, String)],
) -> Result<crate::edit::WriteOutcome, CreateError> {
    let settings = settings.ok_or(CreateError::NoSettings)?;
    if settings.path != asked {
        return Err(CreateError::NotUserSettings {
            asked: asked.to_path_buf(),
            ours: settings.path.clone(),
        });
    }
    if settings.text.is_some() {
        return Err(CreateError::Exists(settings.path.clone()));
    }
    let new = crate::edit::apply_edits("", edits)?;
    crate::goenv::vscode::document::Document::parse(&new)?;
    crate::edit::create_file_atomically(&settings.path, new.as_bytes()).map_err(|e| match e {
        crate::edit::EditError::ChangedOnDisk { path } => CreateError::Exists(path),
        e => CreateError::Edit(e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Severity, Subject};
    use crate::remote::script::FlockTest;

    fn settings(text: Option<&str>) -> UserSettings {
        UserSettings {
            path: PathBuf::from("/home/me/.config/Code/User/settings.json"),
            text: text.map(str::to_string),
        }
    }

    fn flock_failing() -> RemoteFacts {
        RemoteFacts {
            flock_tests: vec![FlockTest {
                what: "the home directory".into(),
                works: Some(false),
                note: Some("flock: No locks available".into()),
            }],
            ..RemoteFacts::default()
        }
    }

    fn finding(code: &str, fixes: Vec<Fix>) -> Finding {
        let mut f = Finding::new(code, Severity::Error, "m", Subject::Workspace);
        f.fixes = fixes;
        f
    }

    fn applied(text: &str, fix: &Fix) -> String {
        let edits: Vec<_> = fix
            .edits
            .iter()
            .map(|e| (e.range, e.new_text.clone()))
            .collect();
        crate::edit::apply_edits(text, &edits).unwrap()
    }

    #[test]
    fn flock_failing_is_fixed_by_two_settings_in_the_user_settings_and_advice_for_the_rest() {
        let text = "{\n    // mine\n    \"editor.tabSize\": 2,\n}\n";
        let mut found = vec![finding(
            "RMT030",
            vec![Fix::advice("In your local ... settings")],
        )];
        attach(
            &mut found,
            "devbox",
            Some(&flock_failing()),
            Some(&settings(Some(text))),
        );
        let fixes = &found[0].fixes;
        assert_eq!(fixes.len(), 2, "{fixes:#?}");
        assert_eq!(
            fixes[0].title,
            "Set `\"remote.SSH.useFlock\": false` and `\"remote.SSH.lockfilesInTmp\": true` in your VS Code user settings (/home/me/.config/Code/User/settings.json)"
        );
        assert_eq!(
            applied(text, &fixes[0]),
            "{\n    // mine\n    \"editor.tabSize\": 2,\n    \"remote.SSH.useFlock\": false,\n    \"remote.SSH.lockfilesInTmp\": true,\n}\n"
        );
        assert!(fixes[1]
            .title
            .starts_with("Move the Go caches to local disk"));
        assert_eq!(found[0].basis, Some(text_hash(text)));
    }

    #[test]
    fn a_stale_lock_keeps_its_removal_first_and_gets_the_setting_after_it() {
        let rm = Fix::run("Remove this file", ["ssh", "devbox", "rm", "-f", "--", "x"]);
        let mut found = vec![finding(
            "RMT029",
            vec![rm.clone(), Fix::advice("If locks ...")],
        )];
        attach(
            &mut found,
            "devbox",
            Some(&RemoteFacts::default()),
            Some(&settings(None)),
        );
        let fixes = &found[0].fixes;
        assert_eq!(fixes.len(), 2, "{fixes:#?}");
        assert_eq!(fixes[0], rm);
        assert_eq!(
            applied("", &fixes[1]),
            "{\n    \"remote.SSH.lockfilesInTmp\": true\n}\n"
        );
    }

    #[test]
    fn settings_already_set_or_an_unreadable_file_keep_the_advice() {
        let advice = vec![Fix::advice("In your local ... settings")];
        let set = r#"{"remote.SSH.useFlock": false, "remote.SSH.lockfilesInTmp": true}"#;
        for file in [settings(Some(set)), settings(Some("[1, 2]"))] {
            let mut found = vec![finding("RMT030", advice.clone())];
            attach(&mut found, "devbox", Some(&flock_failing()), Some(&file));
            assert_eq!(found[0].fixes, advice);
            assert_eq!(found[0].basis, None);
        }
        let mut found = vec![finding("RMT030", advice.clone())];
        attach(&mut found, "devbox", Some(&flock_failing()), None);
        assert_eq!(found[0].fixes, advice);
    }

    #[test]
    fn other_rules_are_left_alone() {
        let advice = vec![Fix::advice("Start sshd")];
        let mut found = vec![finding("RMT003", advice.clone())];
        attach(
            &mut found,
            "devbox",
            Some(&flock_failing()),
            Some(&settings(None)),
        );
        assert_eq!(found[0].fixes, advice);
    }

    #[test]
    fn stale_locks_want_use_flock_off_only_where_flock_fails() {
        let keys = |r: &RemoteFacts| -> Vec<String> {
            remedy("RMT029", "h", r)
                .changes
                .iter()
                .map(|c| c.key().to_string())
                .collect()
        };
        assert_eq!(keys(&RemoteFacts::default()), [LOCKFILES_IN_TMP]);
        assert_eq!(keys(&flock_failing()), [LOCKFILES_IN_TMP, USE_FLOCK]);
    }

    fn egress(lines: &str) -> RemoteFacts {
        let mut e = None;
        for line in lines.lines() {
            let (key, raw) = line.split_once('=').unwrap();
            assert!(egress::EgressFacts::read(&mut e, key, raw), "{key}");
        }
        RemoteFacts {
            egress: e,
            ..RemoteFacts::default()
        }
    }

    /// The findings as a user reads them: code, message, then each fix and
    /// the settings file it gives.
    fn shown(findings: &[Finding], text: &str) -> String {
        let mut out = String::new();
        for f in findings {
            out.push_str(&format!("{} {}\n", f.code, f.message));
            for fix in &f.fixes {
                out.push_str(&format!("  fix: {}\n", fix.title));
                if !fix.edits.is_empty() {
                    for line in applied(text, fix).lines() {
                        out.push_str(&format!("    | {line}\n"));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn no_egress_and_a_refusing_proxy_are_fixed_by_settings_with_go_left_as_advice() {
        let text = "// my settings\n{\n  \"remote.SSH.localServerDownload\": \"auto\",\n  \"files.eol\": \"\\n\", /* keep */\n}\n";
        let facts = egress(
            "egress_tool=curl\n\
egress_env_https_proxy=http://127.0.0.1:3128\n\
egress=server|curl|7|000|000|curl: (7) Failed to connect|https://update.code.visualstudio.com/\n\
egress=goproxy|curl|7|000|000|curl: (7) Failed to connect|https://proxy.golang.org\n\
egress=marketplace|curl|56|000|403|curl: (56) CONNECT tunnel failed, response 403|https://marketplace.visualstudio.com/",
        );
        let mut found = Vec::new();
        egress::findings("devbox", facts.egress.as_ref().unwrap(), &mut found);
        attach(
            &mut found,
            "devbox",
            Some(&facts),
            Some(&settings(Some(text))),
        );
        insta::assert_snapshot!("egress_settings_fixes", shown(&found, text));
    }

    #[test]
    fn the_fleet_plan_sets_each_setting_once_for_every_host_that_wants_it() {
        use crate::remote::model::{HostReport, HostSummary, Verdict};
        let summary = HostSummary {
            reachable: Verdict::Yes,
            auth: Verdict::Yes,
            go_ready: Verdict::Unknown,
            vscode_server_ready: Verdict::Unknown,
            latency_ms: None,
            first_problem: None,
        };
        let host = |name: &str, codes: &[&str]| {
            let findings = codes.iter().map(|c| finding(c, Vec::new())).collect();
            let mut report = HostReport::without_facts(
                name,
                findings,
                summary.clone(),
                crate::check::Status::Error,
                1,
            );
            report.remote = Some(flock_failing());
            report
        };
        let fleet = FleetReport {
            version: "0".into(),
            hosts: vec![host("a", &["RMT030"]), host("b", &["RMT029", "RMT003"])],
            duration_ms: 1,
        };
        let plan = plan(&fleet, &settings(None)).unwrap().expect("a change");
        assert_eq!(plan.original, None);
        assert_eq!(
            plan.new,
            "{\n    \"remote.SSH.useFlock\": false,\n    \"remote.SSH.lockfilesInTmp\": true\n}\n"
        );
        assert_eq!(
            plan.applied,
            [
                "\"remote.SSH.useFlock\": false (for a, b)",
                "\"remote.SSH.lockfilesInTmp\": true (for a, b)"
            ]
        );
        let done = settings(Some(&plan.new));
        assert_eq!(plan_again(&fleet, &done), None);
        assert!(super::plan(&fleet, &settings(Some("[]"))).is_err());
    }

    #[test]
    fn the_editor_creates_a_missing_user_settings_file_from_the_fix_and_nothing_else() {
        let home = tempfile::tempdir().unwrap();
        let path = home.path().join(".config/Code/User/settings.json");
        let missing = UserSettings {
            path: path.clone(),
            text: None,
        };
        let fix = settings_fix(&missing, &[Change::set(LOCKFILES_IN_TMP, true)]).unwrap();
        let edits: Vec<_> = fix
            .edits
            .iter()
            .map(|e| (e.range, e.new_text.clone()))
            .collect();
        // Another file, or JSON VS Code would not read: refused.
        let other = home.path().join(".bashrc");
        assert!(matches!(
            create(Some(&missing), &other, &edits),
            Err(CreateError::NotUserSettings { .. })
        ));
        let junk = [(crate::finding::Range::default(), "[1]".to_string())];
        assert!(matches!(
            create(Some(&missing), &path, &junk),
            Err(CreateError::NotSettings(_))
        ));
        assert!(matches!(
            create(None, &path, &edits),
            Err(CreateError::NoSettings)
        ));
        assert!(!path.exists() && !other.exists());

        create(Some(&missing), &path, &edits).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\n    \"remote.SSH.lockfilesInTmp\": true\n}\n"
        );
        // Read before it appeared: never written over.
        assert!(matches!(
            create(Some(&missing), &path, &edits),
            Err(CreateError::Exists(_))
        ));
        let now = UserSettings {
            path: path.clone(),
            text: Some(String::from("{}")),
        };
        assert!(matches!(
            create(Some(&now), &path, &edits),
            Err(CreateError::Exists(_))
        ));
    }

    /// A host whose home is on NFS, with /var/tmp and /tmp as the script
    /// reported them (`local_dir=` lines).
    fn home_on_nfs(local_dirs: &str) -> RemoteFacts {
        let mut text = String::from("__gord_begin=1\nuser=dev\nfs_home=nfs\n");
        for line in local_dirs.lines() {
            text.push_str(&format!("local_dir={line}\n"));
        }
        text.push_str("__gord_end=1\n");
        crate::remote::script::parse_facts(&text)
    }

    #[test]
    fn a_home_on_nfs_gets_the_server_installed_on_a_local_disk_for_that_host() {
        let text = "{\n    \"remote.SSH.serverInstallPath\": {\"other\": \"/data\"}\n}\n";
        let facts = home_on_nfs("ext2/ext3|yes|absent|/var/tmp\ntmpfs|no|absent|/tmp");
        let mut found = vec![finding("RMT028", vec![Fix::advice("In your local ...")])];
        attach(
            &mut found,
            "devbox",
            Some(&facts),
            Some(&settings(Some(text))),
        );
        let fixes = &found[0].fixes;
        assert_eq!(fixes.len(), 2, "{fixes:#?}");
        assert_eq!(
            applied(text, &fixes[0]),
            "{\n    \"remote.SSH.serverInstallPath\": {\"other\": \"/data\", \"devbox\": \"/var/tmp/dev\"},\n    \"remote.SSH.lockfilesInTmp\": true\n}\n"
        );
        assert!(
            fixes[1].title.contains("/var/tmp/dev/.vscode-server"),
            "{fixes:#?}"
        );
    }

    #[test]
    fn the_fleet_plan_gives_each_host_on_nfs_its_own_install_path() {
        use crate::remote::model::{HostReport, HostSummary, Verdict};
        let summary = HostSummary {
            reachable: Verdict::Yes,
            auth: Verdict::Yes,
            go_ready: Verdict::Unknown,
            vscode_server_ready: Verdict::Unknown,
            latency_ms: None,
            first_problem: None,
        };
        let host = |name: &str| {
            let mut report = HostReport::without_facts(
                name,
                vec![finding("RMT028", Vec::new())],
                summary.clone(),
                crate::check::Status::Warning,
                1,
            );
            report.remote = Some(home_on_nfs("xfs|yes|absent|/var/tmp"));
            report
        };
        let fleet = FleetReport {
            version: "0".into(),
            hosts: vec![host("a"), host("b")],
            duration_ms: 1,
        };
        let plan = plan(&fleet, &settings(None)).unwrap().expect("a change");
        assert_eq!(
            plan.new,
            "{\n    \"remote.SSH.lockfilesInTmp\": true,\n    \"remote.SSH.serverInstallPath\": { \"a\": \"/var/tmp/dev\", \"b\": \"/var/tmp/dev\" }\n}\n"
        );
        assert_eq!(
            plan.applied,
            [
                "\"remote.SSH.lockfilesInTmp\": true (for a, b)",
                "\"remote.SSH.serverInstallPath\": { \"a\": \"/var/tmp/dev\" } (for a)",
                "\"remote.SSH.serverInstallPath\": { \"b\": \"/var/tmp/dev\" } (for b)"
            ]
        );
    }

    #[test]
    fn no_install_path_without_a_local_directory_that_runs_programs_and_is_safe() {
        let none = |lines: &str| local_install_dir(&home_on_nfs(lines));
        // noexec /tmp only; /var/tmp on NFS too; /var/tmp/dev made by someone else.
        assert_eq!(none("tmpfs|no|absent|/tmp"), None);
        assert_eq!(none("nfs|yes|absent|/var/tmp"), None);
        assert_eq!(none("ext2/ext3|yes|other|/var/tmp"), None);
        // The next candidate, or the user's own directory, is fine.
        assert_eq!(
            none("ext2/ext3|yes|other|/var/tmp\ntmpfs|yes|absent|/tmp").as_deref(),
            Some("/tmp/dev")
        );
        assert_eq!(
            none("xfs|yes|mine|/var/tmp").as_deref(),
            Some("/var/tmp/dev")
        );
        // A server directory on local disk needs no move, whatever the home.
        let mut local_server = home_on_nfs("xfs|yes|absent|/var/tmp");
        local_server
            .file_systems
            .push(crate::remote::script::FileSystem {
                what: "~/.vscode-server".into(),
                fs_type: "ext2/ext3".into(),
            });
        assert_eq!(local_install_dir(&local_server), None);
        // And the remedy keeps the plain advice then.
        let r = remedy("RMT028", "h", &home_on_nfs("tmpfs|no|absent|/tmp"));
        assert_eq!(r.changes, vec![Change::set(LOCKFILES_IN_TMP, true)]);
    }

    #[test]
    fn the_settings_edited_are_the_editors_it_names_else_a_probes() {
        let home = Some(Path::new("/home/me"));
        let dir = |hint: &EditorHint, present: &[&str]| {
            let present: Vec<PathBuf> = present.iter().map(PathBuf::from).collect();
            user_settings_dir(UserDataOs::Linux, home, None, None, hint, &|p| {
                present.iter().any(|q| q == p)
            })
        };
        let insiders = "/home/me/.config/Code - Insiders/User";
        // The editor's own directory (a portable install, --user-data-dir).
        let own = EditorHint {
            user_dir: Some(PathBuf::from("/opt/vscode/data/user-data/User")),
            product: Some(Product::Code),
        };
        assert_eq!(
            dir(&own, &[insiders]),
            Some(PathBuf::from("/opt/vscode/data/user-data/User"))
        );
        // Its name only: that product's, even when another's exists.
        let named = EditorHint {
            user_dir: Some(PathBuf::from("relative/User")),
            product: Some(Product::VsCodium),
        };
        assert_eq!(
            dir(&named, &[insiders]),
            Some(PathBuf::from("/home/me/.config/VSCodium/User"))
        );
        // Nothing said (the CLI): the first that exists.
        assert_eq!(
            dir(&EditorHint::default(), &[insiders]),
            Some(PathBuf::from(insiders))
        );
    }

    fn plan_again(fleet: &FleetReport, s: &UserSettings) -> Option<SettingsPlan> {
        plan(fleet, s).unwrap()
    }
}
