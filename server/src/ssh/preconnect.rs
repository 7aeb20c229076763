//! SSH050: what Remote-SSH will run on this machine when it connects, read
//! before any remote exists: the `ssh` it starts (`remote.SSH.path`, else
//! what PATH finds first) and its `-V`, the config it hands to that ssh
//! (`remote.SSH.configFile`, else ~/.ssh/config) and its connect timeout.
//! A `remote.SSH.path` that names nothing runnable is SSH050; one that is
//! not OpenSSH's ssh is SSH051; on Windows, an ssh from PATH that is not
//! Windows' own OpenSSH (Git's, Miniconda's, ...) is SSH052. The first two
//! sit on the setting's value with a quick fix that removes it (through the
//! health report's settings edits, `lsp/health_edits.rs`).

use std::path::PathBuf;

use futures::future::BoxFuture;

use crate::check::{CheckContext, Outcome};
use crate::finding::{Finding, Fix, Severity, Subject};
use crate::goenv::vscode::document::Removable;
use crate::goenv::vscode::go_extension::{effective, resolve_path, Source};
use crate::ssh::release::which::{self, Choice, Problem, Request};

/// Remote-SSH's setting naming the ssh it runs.
pub const PATH_KEY: &str = "remote.SSH.path";
/// Remote-SSH's connect timeout, in seconds.
pub const TIMEOUT_KEY: &str = "remote.SSH.connectTimeout";
/// Remote-SSH's default `remote.SSH.connectTimeout`, in seconds.
pub const DEFAULT_CONNECT_TIMEOUT_SECS: u64 = 15;

/// Windows' own OpenSSH client, where Windows installs it.
pub const WINDOWS_SSH: &str = r"C:\Windows\System32\OpenSSH\ssh.exe";

/// Which ssh a Windows path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowsSsh {
    /// Windows' own OpenSSH (System32\OpenSSH, the optional feature).
    System,
    /// Git for Windows' MSYS2 ssh (`Git\usr\bin\ssh.exe`).
    Git,
    /// Anything else: Miniconda's, Cygwin's, an old PuTTY-era wrapper.
    Other,
}

/// Sorts a Windows program path (either slash, any case).
pub fn windows_kind(path: &str) -> WindowsSsh {
    let lower = path.replace('/', "\\").to_ascii_lowercase();
    if lower.contains("\\system32\\openssh\\") || lower.contains("\\sysnative\\openssh\\") {
        WindowsSsh::System
    } else if lower.contains("\\git\\usr\\bin\\") || lower.contains("\\git\\bin\\") {
        WindowsSsh::Git
    } else {
        WindowsSsh::Other
    }
}

/// What the check gathered, for [`judge`].
#[derive(Debug, Clone)]
pub struct Facts {
    /// The ssh Remote-SSH runs, with its `-V` read.
    pub choice: Choice,
    /// The config it hands to ssh (None: no home to find ~/.ssh/config).
    pub config: Option<PathBuf>,
    /// `remote.SSH.connectTimeout` in seconds, when set to a number.
    pub connect_timeout: Option<u64>,
    /// Whether this machine is Windows (SSH052 is about Windows' PATH).
    pub windows: bool,
}

/// One line per fact, for the report's detail and the outcome's message.
pub fn summary(facts: &Facts) -> Vec<String> {
    let ssh = match (&facts.choice.program, facts.choice.reported) {
        (Some(program), Some(version)) => format!(
            "ssh: {} ({version}, from {})",
            program.display(),
            from(&facts.choice)
        ),
        (Some(program), None) => format!(
            "ssh: {} (not OpenSSH, or its -V failed; from {})",
            program.display(),
            from(&facts.choice)
        ),
        (None, _) => match &facts.choice.problem {
            Some(Problem::Missing(name)) => {
                format!("ssh: {name} (does not exist; from remote.SSH.path)")
            }
            _ => String::from("ssh: none on PATH"),
        },
    };
    let config = match &facts.config {
        Some(config) => format!("config: {}", config.display()),
        None => String::from("config: ~/.ssh/config (no home directory known)"),
    };
    let timeout = match facts.connect_timeout {
        Some(secs) => format!("connect timeout: {secs} s ({TIMEOUT_KEY})"),
        None => format!("connect timeout: {DEFAULT_CONNECT_TIMEOUT_SECS} s (Remote-SSH's default)"),
    };
    vec![ssh, config, timeout]
}

fn from(choice: &Choice) -> &'static str {
    match choice.source {
        which::Source::RemoteSsh => PATH_KEY,
        _ => "PATH",
    }
}

/// The findings for `facts`. `sources` are the settings files that set
/// Remote-SSH's settings, to place SSH050/SSH051 on the value of
/// `remote.SSH.path` (without one, e.g. a value only the editor sent, the
/// finding is about the machine and has no edit).
pub fn judge(sources: &[Source<'_>], facts: &Facts) -> Vec<Finding> {
    let choice = &facts.choice;
    let setting = effective(sources, PATH_KEY)
        .filter(|(_, m)| m.value.as_str().is_some_and(|v| !v.trim().is_empty()));
    let mut out = Vec::new();
    if choice.source == which::Source::RemoteSsh {
        // As resolved (`~`, `${env:NAME}` expanded), which is what failed.
        let written = match &choice.problem {
            Some(Problem::Missing(name)) => Some(name.clone()),
            _ => choice.program.as_ref().map(|p| p.display().to_string()),
        }
        .or_else(|| {
            setting
                .and_then(|(_, m)| m.value.as_str())
                .map(str::to_string)
        })
        .unwrap_or_default();
        let problem = match &choice.problem {
            Some(Problem::Missing(_)) => Some((
                "SSH050",
                format!(
                    "remote.SSH.path is {written}, which does not exist or is not executable: Remote-SSH \
                     starts it for every connection, so it connects to no host from this machine"
                ),
            )),
            Some(Problem::NotOpenSsh(line)) => Some((
                "SSH051",
                format!(
                    "remote.SSH.path is {written}, which is not OpenSSH's ssh (-V printed \"{line}\"): \
                     Remote-SSH passes it OpenSSH's options and reads OpenSSH's output, so connecting fails"
                ),
            )),
            Some(Problem::Failed(why)) => Some((
                "SSH051",
                format!(
                    "remote.SSH.path is {written}, whose -V failed ({why}): it is not an ssh Remote-SSH \
                     can run"
                ),
            )),
            Some(Problem::Hung) => Some((
                "SSH051",
                format!(
                    "remote.SSH.path is {written}, whose -V did not answer within {} s: it is not an ssh \
                     Remote-SSH can run",
                    which::VERSION_TIMEOUT.as_secs()
                ),
            )),
            Some(Problem::NotOnPath) | None => None,
        };
        if let Some((code, message)) = problem {
            let title =
                String::from("Remove remote.SSH.path (Remote-SSH then runs the ssh on PATH)");
            out.push(match setting {
                Some((source, member)) => source
                    .finding_at(code, Severity::Error, message, member.value_span)
                    .with_fix(source.remove(title, Removable::Member(member))),
                None => Finding::new(code, Severity::Error, message, Subject::Workspace)
                    .with_rule_page()
                    .with_fix(Fix::advice(
                        "Set remote.SSH.path to the ssh you run (which ssh), or remove it",
                    )),
            });
        }
    }
    if facts.windows && choice.source == which::Source::Path {
        if let Some(program) = &choice.program {
            out.extend(windows_path_ssh(&program.display().to_string()));
        }
    }
    out
}

/// SSH052: on Windows without `remote.SSH.path`, an ssh from PATH that is
/// not Windows' own OpenSSH.
pub fn windows_path_ssh(program: &str) -> Option<Finding> {
    let whose = match windows_kind(program) {
        WindowsSsh::System => return None,
        WindowsSsh::Git => "Git for Windows' ssh",
        WindowsSsh::Other => "not Windows' own OpenSSH",
    };
    let message = format!(
        "Remote-SSH runs {program} ({whose}), the first ssh on PATH: it reads another ~/.ssh (its own \
         home and permission rules) and cannot use the Windows ssh-agent service, so keys and hosts \
         that work in a terminal may not work in Remote-SSH"
    );
    Some(
        Finding::new("SSH052", Severity::Warning, message, Subject::Workspace)
            .with_rule_page()
            .with_fix(Fix::advice(format!(
                "Set remote.SSH.path to {WINDOWS_SSH} (Windows' own OpenSSH; Settings → Apps → Optional \
                 features → OpenSSH Client if it is missing)"
            ))),
    )
}

/// `remote.SSH.connectTimeout` as the effective settings file writes it.
fn connect_timeout(sources: &[Source<'_>]) -> Option<u64> {
    let (source, member) = effective(sources, TIMEOUT_KEY)?;
    let text = source
        .doc
        .text
        .get(member.value_span.start..member.value_span.end)?;
    let secs: f64 = text.trim().parse().ok()?;
    (secs.is_finite() && secs > 0.0).then(|| secs.round() as u64)
}

/// SSH050: the check. Registered in the SSH catalogue.
pub fn ssh050(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(run(ctx))
}

async fn run(ctx: &CheckContext) -> Outcome {
    if !ctx.trust.is_trusted() {
        return Outcome::skipped(
            "Restricted Mode: gord runs no ssh to read its version in an untrusted workspace",
        );
    }
    let Some(texts) = super::remote_ssh::settings_texts(ctx).await else {
        return Outcome::error("reading the settings files failed");
    };
    let sources = super::remote_ssh::sources_of(&texts);
    let setting = effective(&sources, PATH_KEY)
        .and_then(|(_, m)| m.value.as_str())
        .filter(|v| !v.trim().is_empty())
        .map(str::to_string)
        .or_else(|| ctx.settings.remote_ssh_path.clone());
    let env = |name: &str| ctx.env.get(name).map(|v| v.to_string_lossy().into_owned());
    let home = ctx.env.home();
    let resolve =
        |value: &str| resolve_path(value, home.as_deref(), ctx.workspace.as_deref(), &env);
    let request = Request {
        version: None,
        program: setting.map(|s| {
            let resolved = resolve(&s).map_or(s, |p| p.display().to_string());
            (resolved, which::Source::RemoteSsh)
        }),
    };
    let Ok(choice) = tokio::task::spawn_blocking(move || which::choose(&request)).await else {
        return Outcome::error("finding the ssh Remote-SSH runs failed inside gord");
    };
    let facts = Facts {
        choice,
        config: super::remote_ssh::config_of(&sources, &resolve, home.as_deref()),
        connect_timeout: connect_timeout(&sources)
            .or_else(|| ctx.settings.remote_ssh_connect_timeout.map(|d| d.as_secs())),
        windows: cfg!(windows),
    };
    outcome(&sources, &facts)
}

/// The check's verdict for `facts`; pure.
pub fn outcome(sources: &[Source<'_>], facts: &Facts) -> Outcome {
    outcome_of(sources, facts)
        .with_properties(serde_json::json!({ "ssh": facts.choice.followed() }))
}

fn outcome_of(sources: &[Source<'_>], facts: &Facts) -> Outcome {
    let lines = summary(facts);
    let findings = judge(sources, facts);
    if facts.choice.problem == Some(Problem::NotOnPath) && findings.is_empty() {
        return Outcome::skipped(
            "no ssh on PATH and no remote.SSH.path: Remote-SSH cannot connect from this machine until an \
             OpenSSH client is installed",
        )
        .with_detail(lines.join("\n"));
    }
    let outcome =
        Outcome::from_findings(&findings).unwrap_or_else(|| Outcome::ok(lines.join("; ")));
    outcome
        .with_detail(lines.join("\n"))
        .with_findings(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::release::parse_version_argument;
    use crate::ssh::remote_ssh::{applied, user_settings_source as source};

    fn choice(program: Option<&str>, source: which::Source, problem: Option<Problem>) -> Choice {
        let reported = problem
            .is_none()
            .then(|| parse_version_argument("9.2p1-debian").expect("a version"));
        Choice {
            program: program.map(PathBuf::from),
            source,
            reported,
            semantics: reported
                .map_or_else(crate::ssh::release::SshVersion::newest, |v| v.semantics()),
            problem,
        }
    }

    fn facts(choice: Choice) -> Facts {
        Facts {
            choice,
            config: Some(PathBuf::from("/home/me/.ssh/config")),
            connect_timeout: None,
            windows: false,
        }
    }

    const MISSING: &str =
        "{\n  \"remote.SSH.path\": \"C:/Program Files/Git/usr/bin/ssh.exe\",\n  \"a\": 1\n}\n";

    #[test]
    fn a_remote_ssh_path_that_does_not_exist_is_an_error_on_its_value_removed_by_the_fix() {
        let chosen = choice(
            None,
            which::Source::RemoteSsh,
            Some(Problem::Missing(String::from(
                "C:/Program Files/Git/usr/bin/ssh.exe",
            ))),
        );
        let found = judge(&[source(MISSING)], &facts(chosen));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, "SSH050");
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].message.starts_with(
            "remote.SSH.path is C:/Program Files/Git/usr/bin/ssh.exe, which does not exist"
        ));
        assert_eq!(
            found[0].range().map(|r| (r.start.line, r.start.character)),
            Some((1, 21)),
            "on the value"
        );
        assert_eq!(applied(MISSING, &found[0]), "{\n  \"a\": 1\n}\n");
    }

    #[test]
    fn a_remote_ssh_path_that_is_not_openssh_is_ssh051_with_what_it_printed() {
        let text = r#"{"remote.SSH.path": "/usr/bin/dbclient"}"#;
        let chosen = choice(
            Some("/usr/bin/dbclient"),
            which::Source::RemoteSsh,
            Some(Problem::NotOpenSsh(String::from("Dropbear v2022.83"))),
        );
        let found = judge(&[source(text)], &facts(chosen));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, "SSH051");
        assert!(found[0]
            .message
            .contains("-V printed \"Dropbear v2022.83\""));
        assert_eq!(applied(text, &found[0]), "{}");
        let hung = choice(
            Some("/opt/ssh"),
            which::Source::RemoteSsh,
            Some(Problem::Hung),
        );
        let found = judge(&[source(text)], &facts(hung));
        assert_eq!(found[0].code, "SSH051");
        assert!(found[0].message.contains("did not answer within 5 s"));
    }

    #[test]
    fn a_value_only_the_editor_sent_is_a_finding_about_the_machine_with_advice() {
        let chosen = choice(
            None,
            which::Source::RemoteSsh,
            Some(Problem::Missing(String::from("/opt/nothing/ssh"))),
        );
        let found = judge(&[], &facts(chosen));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].subject, Subject::Workspace);
        assert!(found[0].fix().is_some_and(|f| f.edits.is_empty()));
    }

    #[test]
    fn a_working_openssh_is_a_summary_with_the_config_and_the_default_timeout() {
        let chosen = choice(Some("/usr/bin/ssh"), which::Source::Path, None);
        let verdict = outcome(&[], &facts(chosen));
        assert_eq!(verdict.status, crate::check::Status::Ok);
        assert_eq!(
            verdict.message,
            "ssh: /usr/bin/ssh (Debian's OpenSSH 9.2p1, from PATH); config: /home/me/.ssh/config; \
             connect timeout: 15 s (Remote-SSH's default)"
        );
        // Machine readers get the same ssh (the SARIF run names it).
        let properties = verdict.properties.expect("properties");
        assert_eq!(properties["ssh"]["program"], "/usr/bin/ssh");
        assert_eq!(properties["ssh"]["rules"], "9.2p1-debian");
        assert_eq!(properties["ssh"]["source"], "path");
        let text = r#"{"remote.SSH.connectTimeout": 60, "remote.SSH.path": ""}"#;
        let sources = [source(text)];
        assert_eq!(connect_timeout(&sources), Some(60));
    }

    #[test]
    fn no_ssh_at_all_is_skipped_not_an_error() {
        let chosen = choice(None, which::Source::Path, Some(Problem::NotOnPath));
        let verdict = outcome(&[], &facts(chosen));
        assert_eq!(verdict.status, crate::check::Status::Skipped);
        assert!(verdict
            .message
            .starts_with("no ssh on PATH and no remote.SSH.path"));
    }

    #[test]
    fn windows_paths_are_sorted_into_the_system_openssh_gits_and_others() {
        assert_eq!(windows_kind(WINDOWS_SSH), WindowsSsh::System);
        assert_eq!(
            windows_kind("c:/windows/system32/OpenSSH/ssh.exe"),
            WindowsSsh::System
        );
        assert_eq!(
            windows_kind(r"C:\Program Files\Git\usr\bin\ssh.exe"),
            WindowsSsh::Git
        );
        assert_eq!(
            windows_kind(r"C:\Users\Zoë\miniconda3\Library\bin\ssh.exe"),
            WindowsSsh::Other
        );
    }

    #[test]
    fn on_windows_an_ssh_from_path_that_is_not_the_systems_is_ssh052_and_never_elsewhere() {
        let git = r"C:\Program Files\Git\usr\bin\ssh.exe";
        let mut on_windows = facts(choice(Some(git), which::Source::Path, None));
        on_windows.windows = true;
        let found = judge(&[], &on_windows);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, "SSH052");
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(found[0].message.contains("Git for Windows' ssh"));
        assert!(found[0]
            .fix()
            .is_some_and(|f| f.title.contains(WINDOWS_SSH)));

        let mut system = facts(choice(Some(WINDOWS_SSH), which::Source::Path, None));
        system.windows = true;
        assert!(judge(&[], &system).is_empty());
        // The user chose it: a setting is never second-guessed.
        let mut chosen = facts(choice(Some(git), which::Source::RemoteSsh, None));
        chosen.windows = true;
        assert!(judge(&[], &chosen).is_empty());
        // Not Windows: PATH's ssh is the ssh.
        assert!(judge(&[], &facts(choice(Some(git), which::Source::Path, None))).is_empty());
    }
}
