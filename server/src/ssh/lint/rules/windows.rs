//! Win32-OpenSSH: files it refuses for their owner or ACL (SSH043), ACLs
//! gord could not read (SSH044), and `~\` paths it cannot expand (SSH045).

use std::path::{Path, PathBuf};

use crate::ssh::config::resolve::ConfigFs;

use crate::finding::{Edit, Finding, Fix, Position, Range, Severity};
use crate::ssh::config::platform::PROGRAM_DATA;
use crate::ssh::lint::rules::keys::identities;
use crate::ssh::lint::rules::support::{
    command_fix, directives, edit_fix, finding, include_arg_targets, keyword_lines, line_text,
    show_path, span_finding,
};
use crate::ssh::lint::{span_range, LintContext, Platform};
use crate::ssh::windows::acl::{self, FileSecurity, Principal, Refusal, Use};
use crate::ssh::windows::{stderr_vis, SecurityError, SecurityReader};

/// One file Win32-OpenSSH checks before it uses it, and where to report it.
struct Checked<'c> {
    path: PathBuf,
    /// The path as ssh spells it in its messages.
    spelled: String,
    usage: Use,
    /// What the file is to ssh, for the message.
    role: Role,
    at: At<'c>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    UserConfig,
    SystemConfig,
    Included,
    Key,
}

/// Where a finding goes: the start of the main file, or a value's span.
enum At<'c> {
    Start,
    Span {
        file: &'c crate::ssh::config::source::SourceFile,
        line: usize,
        span: std::ops::Range<usize>,
    },
}

fn file_start() -> Range {
    Range::new(Position::new(0, 0), Position::new(0, 0))
}

/// The files ssh checks: the user's default config (not one given with
/// `-F`) and then the system one, every included file (always), and each
/// private key an IdentityFile names.
fn checked_files(ctx: &LintContext, reader: &dyn SecurityReader) -> Vec<Checked<'static>> {
    let mut out = Vec::new();
    let home = ctx.local.home.display().to_string();
    if ctx.main == ctx.local.home.join(".ssh").join("config") {
        out.push(Checked {
            path: ctx.main.clone(),
            spelled: format!("{home}/.ssh/config"),
            usage: Use::Config,
            role: Role::UserConfig,
            at: At::Start,
        });
        if let Some(program_data) = reader.program_data() {
            out.push(Checked {
                path: program_data.join("ssh").join("ssh_config"),
                spelled: format!("{PROGRAM_DATA}\\ssh/ssh_config"),
                usage: Use::Config,
                role: Role::SystemConfig,
                at: At::Start,
            });
        }
    }
    out
}

/// The included files and keys, reported on the line that names them.
fn named_files<'c>(ctx: &'c LintContext) -> Vec<Checked<'c>> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for file in &ctx.files {
        for (line, d) in keyword_lines(file, "include") {
            for arg in &d.args {
                for target in include_arg_targets(ctx, &arg.value).1 {
                    if ctx.fs.is_dir(&target) || !seen.insert(target.clone()) {
                        continue;
                    }
                    out.push(Checked {
                        spelled: target.display().to_string(),
                        path: target,
                        usage: Use::Config,
                        role: Role::Included,
                        at: At::Span {
                            file,
                            line,
                            span: arg.span.clone(),
                        },
                    });
                }
            }
        }
    }
    for id in identities(ctx) {
        if id.path.to_str().is_some_and(|p| p.ends_with(".pub")) || !seen.insert(id.path.clone()) {
            continue;
        }
        out.push(Checked {
            spelled: id.path.display().to_string(),
            path: id.path.clone(),
            usage: Use::PrivateKey,
            role: Role::Key,
            at: At::Span {
                file: id.file,
                line: id.line,
                span: id.arg.span.clone(),
            },
        });
    }
    out
}

impl Checked<'_> {
    fn finding(
        &self,
        ctx: &LintContext,
        code: &'static str,
        severity: Severity,
        message: String,
    ) -> Option<Finding> {
        match &self.at {
            At::Start => {
                let main = ctx.files.first()?;
                Some(finding(code, severity, main, file_start(), message))
            }
            At::Span { file, line, span } => Some(span_finding(
                code,
                severity,
                file,
                *line,
                span.clone(),
                message,
            )),
        }
    }
}

/// Every checked file with what reading its security gave.
fn read_all<'c>(
    ctx: &'c LintContext,
    reader: &dyn SecurityReader,
) -> Vec<(Checked<'c>, Result<FileSecurity, SecurityError>)> {
    let mut files: Vec<Checked<'c>> = checked_files(ctx, reader);
    files.extend(named_files(ctx));
    files
        .into_iter()
        .map(|c| {
            let read = reader.read(&c.path);
            (c, read)
        })
        .filter(|(_, read)| read != &Err(SecurityError::NotFound))
        .collect()
}

/// The reader, when the config is for Win32-OpenSSH and gord can read ACLs.
fn reader<'a>(ctx: &LintContext<'a>) -> Option<&'a dyn SecurityReader> {
    if ctx.platform != Platform::Windows {
        return None;
    }
    ctx.security
}

/// A path as icacls takes it: backslashes.
fn native(path: &Path) -> String {
    path.display().to_string().replace('/', "\\")
}

/// What ssh's `realpath` makes of a path in its "on file" words.
fn resolved(spelled: &str, path: &Path) -> String {
    if spelled.starts_with(PROGRAM_DATA) {
        path.display().to_string().replace('\\', "/")
    } else {
        spelled.replace('\\', "/")
    }
}

fn on_share(path: &Path) -> bool {
    let text = path.display().to_string();
    text.starts_with("\\\\") || text.starts_with("//")
}

/// SSH043: a config, included file or private key that Win32-OpenSSH
/// refuses for its owner or ACL.
pub fn acl_refused(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    let Some(reader) = reader(ctx) else {
        return;
    };
    let Ok(user) = reader.user() else {
        return;
    };
    for (checked, read) in read_all(ctx, reader) {
        let Ok(security) = read else {
            continue;
        };
        let Some(refusal) = acl::judge(&security, &user, checked.usage) else {
            continue;
        };
        let f = refused(ctx, code, &checked, &security, &user, &refusal);
        out.extend(f);
    }
}

fn refused(
    ctx: &LintContext,
    code: &'static str,
    checked: &Checked,
    security: &FileSecurity,
    user: &Principal,
    refusal: &Refusal,
) -> Option<Finding> {
    let why = match refusal {
        Refusal::Owner(owner) => format!(
            "its owner is {}, not you ({}), SYSTEM or Administrators",
            owner.shown(),
            user.account_name()
        ),
        Refusal::NoDacl => String::from("it has no ACL at all, so everyone may change it"),
        Refusal::Entries(aces) => {
            let first = &aces[0];
            let named = format!(
                "Win32-OpenSSH logs \"Bad permissions. Try removing permissions for user: {} ({}) on file {}.\"",
                stderr_vis(&first.trustee.account_name()),
                first.trustee.sid,
                resolved(&checked.spelled, &checked.path)
            );
            let who: Vec<String> = aces
                .iter()
                .map(|ace| {
                    format!(
                        "{} has {}{}",
                        ace.trustee.shown(),
                        acl::rights(ace.mask),
                        if ace.inherited {
                            ", inherited from the folder"
                        } else {
                            ""
                        }
                    )
                })
                .collect();
            format!("{named}; {}", who.join("; "))
        }
    };
    let share = if on_share(&checked.path) {
        "; the file is on a network share, whose owner and ACL come from the file server (often accounts this machine does not know): a copy on a local disk is the reliable fix"
    } else {
        ""
    };
    let message = match checked.role {
        Role::Key => format!(
            "ssh ignores this key: \"Permissions for '{}' are too open.\" (\"It is required that your private key files are NOT accessible by others. This private key will be ignored.\"): {why}{share}",
            stderr_vis(&checked.spelled)
        ),
        role => {
            let what = match role {
                Role::SystemConfig => "; ssh reads the system-wide config after yours for every connection and checks it too",
                Role::Included => "; ssh checks every included file",
                _ => "",
            };
            format!(
                "ssh refuses to run: \"Bad owner or permissions on {}\" ({why}{what}){share}",
                stderr_vis(&checked.spelled)
            )
        }
    };
    let mut f = checked.finding(ctx, code, Severity::Error, message)?;
    f.fixes.push(fix_for(ctx, checked, security, user, refusal));
    Some(f)
}

/// The fix Win32-OpenSSH's documentation gives, as icacls argv: remove the
/// other principals' access (after turning inherited entries into explicit
/// ones, which keeps every right as it is), which only ever narrows access.
fn fix_for(
    ctx: &LintContext,
    checked: &Checked,
    security: &FileSecurity,
    user: &Principal,
    refusal: &Refusal,
) -> Fix {
    let file = native(&checked.path);
    let shown = show_path(ctx, &checked.path);
    match refusal {
        Refusal::Owner(_) => Fix::advice(format!(
            "Make yourself the owner, in a prompt run as administrator: icacls \"{file}\" /setowner \"{}\"",
            user.account_name()
        )),
        Refusal::NoDacl => command_fix(
            format!("Give {shown} an ACL that lets only you in"),
            vec![
                String::from("icacls"),
                file,
                String::from("/inheritance:r"),
                String::from("/grant:r"),
                format!("*{}:F", user.sid),
            ],
            true,
        ),
        Refusal::Entries(aces) => {
            let mut sids: Vec<&str> = Vec::new();
            for ace in aces {
                if !sids.contains(&ace.trustee.sid.as_str()) {
                    sids.push(&ace.trustee.sid);
                }
            }
            let names: Vec<String> = aces
                .iter()
                .map(|a| a.trustee.account.as_ref().map_or(a.trustee.sid.clone(), |x| x.name.clone()))
                .fold(Vec::new(), |mut all, n| {
                    if !all.contains(&n) {
                        all.push(n);
                    }
                    all
                });
            if !acl::user_keeps_read(security, user, aces) {
                return Fix::advice(format!(
                    "You read {shown} only through these entries: first give yourself access (icacls \"{file}\" /grant \"{}:R\"), then remove {}'s (icacls \"{file}\" /inheritance:d /remove:g {})",
                    user.account_name(),
                    names.join(", "),
                    sids.iter().map(|s| format!("*{s}")).collect::<Vec<_>>().join(" ")
                ));
            }
            let mut argv = vec![
                String::from("icacls"),
                file,
                String::from("/inheritance:d"),
                String::from("/remove:g"),
            ];
            argv.extend(sids.iter().map(|s| format!("*{s}")));
            command_fix(
                format!("Remove the access of {} from {shown}", names.join(", ")),
                argv,
                true,
            )
        }
    }
}

/// SSH044: a file whose owner and ACL gord could not read, or no user to
/// judge them against.
pub fn acl_unreadable(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    let Some(reader) = reader(ctx) else {
        return;
    };
    if let Err(e) = reader.user() {
        let message = format!(
            "gord could not tell which Windows account it runs as ({e}), so it did not check the owners and ACLs of your config and keys as Win32-OpenSSH does"
        );
        out.extend(
            ctx.files
                .first()
                .map(|main| finding(code, Severity::Warning, main, file_start(), message)),
        );
        return;
    }
    for (checked, read) in read_all(ctx, reader) {
        let Err(e) = read else {
            continue;
        };
        let then = match checked.role {
            Role::Key => {
                "ssh ignores a key whose ACL it cannot read (\"Permissions for '…' are too open.\")"
            }
            _ => {
                "ssh refuses a config whose ACL it cannot read (\"Bad owner or permissions on …\")"
            }
        };
        let message = format!(
            "gord could not read the owner and ACL of {} ({e}): Win32-OpenSSH reads them the same way before it uses the file, and {then}; see them with icacls \"{}\"",
            show_path(ctx, &checked.path),
            native(&checked.path)
        );
        out.extend(checked.finding(ctx, code, Severity::Warning, message));
    }
}

/// The keywords whose paths ssh passes through `tilde_expand` (Include is
/// not one: its backslashes become slashes first).
const TILDE_PATHS: &[&str] = &[
    "identityfile",
    "certificatefile",
    "controlpath",
    "identityagent",
    "revokedhostkeys",
    "userknownhostsfile",
    "globalknownhostsfile",
    "forwardagent",
];

/// SSH045: `~\` at the start of a path, which Win32-OpenSSH 8.9 and later
/// reads as another user's home and exits.
pub fn tilde_backslash(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    if ctx.platform != Platform::Windows {
        return;
    }
    let since = crate::ssh::release::Release::new(8, 9, 1);
    if ctx.ssh.semantics.flavour == crate::ssh::release::Flavour::Windows
        && ctx.ssh.semantics.release < since
    {
        return;
    }
    for file in &ctx.files {
        for (line, d) in directives(file) {
            if !TILDE_PATHS.contains(&d.keyword.as_str()) {
                continue;
            }
            for arg in &d.args {
                if !ctx.platform.tilde_backslash(&arg.value) {
                    continue;
                }
                let rest = &arg.value[2..];
                let named = &arg.value[1..];
                let user = named.split('/').next().unwrap_or(named);
                let message = format!(
                    "Win32-OpenSSH reads {} as the home of a user named \"{}\" and exits (\"tilde_expand: No such user {}\"): only ~ and ~/ name your profile; write ~/{}",
                    arg.value,
                    user,
                    stderr_vis(user),
                    rest
                );
                let mut f =
                    span_finding(code, Severity::Error, file, line, arg.span.clone(), message);
                let raw = line_text(file, line).get(arg.span.clone()).unwrap_or("");
                let quote = usize::from(raw.starts_with(['"', '\'']));
                let at = arg.span.start + quote + 1;
                if raw.get(quote..quote + 2) == Some("~\\") {
                    f.fixes.extend(edit_fix(
                        file,
                        String::from("Write ~/ instead of ~\\"),
                        vec![Edit {
                            path: file.path.clone(),
                            range: span_range(file, line, at..at + 1),
                            new_text: String::from("/"),
                        }],
                        true,
                    ));
                }
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::finding::{Finding, Severity};
    use crate::ssh::config::local::LocalFacts;
    use crate::ssh::config::resolve::memory::MemoryFs;
    use crate::ssh::lint::tests::{assert_says, at, only};
    use crate::ssh::lint::{lint, LintContext, Platform};
    use crate::ssh::windows::acl::*;
    use crate::ssh::windows::memory::MemorySecurity;
    use crate::ssh::windows::SecurityError;

    const ME: &str = "S-1-5-21-1004336348-1177238915-682003330-1001";
    const CONFIG: &str = "C:\\Users\\me/.ssh/config";

    fn me() -> Principal {
        Principal::named(ME, "LAPTOP", "me", 1)
    }

    fn facts() -> LocalFacts {
        LocalFacts {
            user: "me".into(),
            uid: 0,
            home: "C:\\Users\\me".into(),
            hostname: "laptop".into(),
        }
    }

    /// A file in the profile as Windows creates it: SYSTEM, Administrators
    /// and the user, inherited from the profile folder.
    fn private() -> FileSecurity {
        FileSecurity {
            owner: me(),
            dacl: Some(vec![
                Ace::allow(
                    Principal::named(SYSTEM, "NT AUTHORITY", "SYSTEM", 5),
                    FILE_ALL_ACCESS,
                )
                .inherited(),
                Ace::allow(
                    Principal::named(ADMINISTRATORS, "BUILTIN", "Administrators", 4),
                    FILE_ALL_ACCESS,
                )
                .inherited(),
                Ace::allow(me(), FILE_ALL_ACCESS).inherited(),
            ]),
        }
    }

    fn plus(ace: Ace) -> FileSecurity {
        let mut s = private();
        s.dacl.get_or_insert_with(Vec::new).push(ace);
        s
    }

    fn users_modify() -> Ace {
        Ace::allow(Principal::named(USERS, "BUILTIN", "Users", 4), FILE_MODIFY).inherited()
    }

    /// Lints the first of `files` as Win32-OpenSSH's config, with the ACLs
    /// of `security`.
    fn lint_windows(files: &[(&str, &str)], security: &MemorySecurity) -> Vec<Finding> {
        let fs = MemoryFs::with(files);
        let local = facts();
        let ctx =
            LintContext::load_on(Path::new(files[0].0), &fs, &local, false, Platform::Windows)
                .unwrap()
                .with_security(security);
        lint(&ctx)
    }

    #[test]
    fn a_private_config_and_key_give_no_finding() {
        let security = MemorySecurity::new(me())
            .with(CONFIG, Ok(private()))
            .with("C:\\Users\\me/.ssh/id_ed25519", Ok(private()));
        let findings = lint_windows(
            &[
                (CONFIG, "Host a\n  IdentityFile ~/.ssh/id_ed25519\n"),
                ("C:\\Users\\me/.ssh/id_ed25519", "key"),
            ],
            &security,
        );
        assert!(only(&findings, "SSH043").is_empty(), "{findings:#?}");
        assert!(only(&findings, "SSH044").is_empty(), "{findings:#?}");
    }

    #[test]
    fn users_who_may_write_the_config_stop_ssh_with_its_words() {
        let security = MemorySecurity::new(me()).with(CONFIG, Ok(plus(users_modify())));
        let findings = lint_windows(&[(CONFIG, "Host a\n")], &security);
        let f = only(&findings, "SSH043")[0];
        assert_eq!(f.severity, Severity::Error);
        assert_says(
            f,
            "\"Bad owner or permissions on C:\\\\Users\\\\me/.ssh/config\"",
        );
        assert_says(
            f,
            "Try removing permissions for user: BUILTIN\\\\Users (S-1-5-32-545) on file C:/Users/me/.ssh/config.",
        );
        assert_says(
            f,
            "BUILTIN\\Users (S-1-5-32-545) has M, inherited from the folder",
        );
        let fix = f.fix().unwrap();
        assert!(fix.safe);
        assert_eq!(
            fix.command.as_deref().unwrap(),
            [
                "icacls",
                "C:\\Users\\me\\.ssh\\config",
                "/inheritance:d",
                "/remove:g",
                "*S-1-5-32-545"
            ]
        );
    }

    #[test]
    fn everyone_reading_the_config_is_fine_but_not_the_key() {
        let everyone_reads = Ace::allow(
            Principal::named(EVERYONE, "", "Everyone", 5),
            FILE_GENERIC_READ,
        );
        let key = "C:\\Users\\me/.ssh/work key é";
        let security = MemorySecurity::new(me())
            .with(CONFIG, Ok(plus(everyone_reads.clone())))
            .with(key, Ok(plus(everyone_reads)));
        let findings = lint_windows(
            &[
                (CONFIG, "Host a\n  IdentityFile \"~/.ssh/work key é\"\n"),
                (key, "k"),
            ],
            &security,
        );
        let found = only(&findings, "SSH043");
        assert_eq!(found.len(), 1, "{found:#?}");
        let f = found[0];
        assert_eq!(at(f), (1, 15, 34));
        assert_says(
            f,
            "\"Permissions for 'C:\\\\Users\\\\me/.ssh/work key \\303\\251' are too open.\"",
        );
        assert_says(f, "Everyone (S-1-1-0) has R");
        assert_eq!(f.fix().unwrap().command.as_deref().unwrap()[4], "*S-1-1-0");
    }

    #[test]
    fn authenticated_users_writing_an_included_file_is_reported_on_the_include() {
        let work = "C:\\Users\\me/.ssh/conf.d/work";
        let writes = Ace::allow(
            Principal::named(
                AUTHENTICATED_USERS,
                "NT AUTHORITY",
                "Authenticated Users",
                5,
            ),
            FILE_WRITE_DATA | FILE_GENERIC_READ,
        );
        let security = MemorySecurity::new(me())
            .with(CONFIG, Ok(private()))
            .with(work, Ok(plus(writes)));
        let findings = lint_windows(
            &[(CONFIG, "Include conf.d\\*\n"), (work, "Host w\n")],
            &security,
        );
        let f = only(&findings, "SSH043")[0];
        assert_eq!(at(f), (0, 8, 16));
        assert_says(
            f,
            "Bad owner or permissions on C:\\\\Users\\\\me/.ssh/conf.d/work",
        );
        assert_says(f, "ssh checks every included file");
    }

    #[test]
    fn a_config_owned_by_another_user_gets_the_owner_named_and_advice() {
        let mut security = private();
        security.owner = Principal::named("S-1-5-21-1-2-3-1002", "LAPTOP", "other", 1);
        let reader = MemorySecurity::new(me()).with(CONFIG, Ok(security));
        let findings = lint_windows(&[(CONFIG, "Host a\n")], &reader);
        let f = only(&findings, "SSH043")[0];
        assert_says(
            f,
            "its owner is LAPTOP\\other (S-1-5-21-1-2-3-1002), not you (LAPTOP\\me)",
        );
        let fix = f.fix().unwrap();
        assert!(fix.command.is_none() && !fix.safe);
        assert!(
            fix.title.contains("/setowner \"LAPTOP\\me\""),
            "{}",
            fix.title
        );
    }

    #[test]
    fn a_user_reading_only_through_a_group_gets_advice_not_a_command() {
        let security = FileSecurity {
            owner: me(),
            dacl: Some(vec![users_modify()]),
        };
        let reader = MemorySecurity::new(me()).with(CONFIG, Ok(security));
        let f = only(&lint_windows(&[(CONFIG, "Host a\n")], &reader), "SSH043")[0].clone();
        let fix = f.fix().unwrap();
        assert!(fix.command.is_none());
        assert!(
            fix.title.contains("/grant \"LAPTOP\\me:R\""),
            "{}",
            fix.title
        );
    }

    #[test]
    fn the_system_config_is_checked_when_ssh_reads_it() {
        let system = "C:\\ProgramData/ssh/ssh_config";
        let reader = MemorySecurity::new(me())
            .with(CONFIG, Ok(private()))
            .with(system, Ok(plus(users_modify())));
        let findings = lint_windows(&[(CONFIG, "Host a\n")], &reader);
        let f = only(&findings, "SSH043")[0];
        assert_says(
            f,
            "\"Bad owner or permissions on __PROGRAMDATA__\\\\ssh/ssh_config\"",
        );
        assert_says(f, "on file C:/ProgramData/ssh/ssh_config.");
        // With -F (another file) ssh reads neither default file.
        let other = "C:\\work/ssh.conf";
        let findings = lint_windows(&[(other, "Host a\n")], &reader);
        assert!(only(&findings, "SSH043").is_empty());
    }

    #[test]
    fn an_unreadable_acl_is_a_warning_not_a_crash() {
        let reader = MemorySecurity::new(me()).with(
            CONFIG,
            Err(SecurityError::Failed {
                code: 5,
                message: String::from("Access is denied."),
            }),
        );
        let findings = lint_windows(&[(CONFIG, "Host a\n")], &reader);
        let f = only(&findings, "SSH044")[0];
        assert_eq!(f.severity, Severity::Warning);
        assert_says(f, "could not read the owner and ACL of ~/.ssh/config (Access is denied. (Windows error 5))");
        assert!(only(&findings, "SSH043").is_empty());
        let mut no_user = MemorySecurity::new(me());
        no_user.user = Err(SecurityError::Failed {
            code: 1008,
            message: String::from("An attempt was made to reference a token that does not exist."),
        });
        let findings = lint_windows(&[(CONFIG, "Host a\n")], &no_user);
        assert_says(
            only(&findings, "SSH044")[0],
            "could not tell which Windows account",
        );
    }

    #[test]
    fn a_config_on_a_share_says_where_its_acl_comes_from() {
        let shared = "//files/home/me/ssh/work.conf";
        let reader = MemorySecurity::new(me())
            .with(CONFIG, Ok(private()))
            .with(shared, Ok(plus(users_modify())));
        // ssh's argv_split makes `\\\\` one backslash, so a share is written
        // `\\\\\\\\files\\...` or with forward slashes.
        for include in [
            "//files/home/me/ssh/*.conf",
            "\\\\\\\\files\\\\home\\me\\ssh\\*.conf",
        ] {
            let text = format!("Include {include}\n");
            let findings = lint_windows(&[(CONFIG, &text), (shared, "Host w\n")], &reader);
            assert!(only(&findings, "SSH021").is_empty(), "{findings:#?}");
            assert_says(
                only(&findings, "SSH043")[0],
                "the file is on a network share",
            );
        }
    }

    #[test]
    fn nothing_is_judged_for_a_unix_ssh() {
        let reader = MemorySecurity::new(me()).with(CONFIG, Ok(plus(users_modify())));
        let fs = MemoryFs::with(&[(CONFIG, "Host a\n")]);
        let local = facts();
        let ctx = LintContext::load_on(Path::new(CONFIG), &fs, &local, false, Platform::Unix)
            .unwrap()
            .with_security(&reader);
        assert!(only(&lint(&ctx), "SSH043").is_empty());
    }

    #[test]
    fn ssh045_flags_tilde_backslash_in_paths_but_not_in_include() {
        let reader = MemorySecurity::new(me());
        let findings = lint_windows(
            &[(
                CONFIG,
                "Host a\n  IdentityFile ~\\.ssh\\id_ed25519\n  UserKnownHostsFile ~/.ssh/known_hosts \"~\\kh\"\nInclude ~\\conf.d\\*\n",
            )],
            &reader,
        );
        let found = only(&findings, "SSH045");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_says(found[0], "a user named \"\\.ssh\\id_ed25519\"");
        assert_says(
            found[0],
            "tilde_expand: No such user \\\\.ssh\\\\id_ed25519",
        );
        let edit = &found[0].fix().unwrap().edits[0];
        assert_eq!(
            (edit.range.start.character, edit.new_text.as_str()),
            (16, "/")
        );
        assert_eq!(at(found[1]), (2, 40, 46));
        assert_eq!(found[1].fix().unwrap().edits[0].range.start.character, 42);
    }

    #[test]
    fn includes_with_drive_letters_backslashes_and_spaces_are_read() {
        let reader = MemorySecurity::new(me());
        let findings = lint_windows(
            &[
                (
                    CONFIG,
                    "Include \"C:\\Users\\me\\OneDrive - Firma\\ssh\\*.conf\" conf.d\\extra\n",
                ),
                (
                    "C:/Users/me/OneDrive - Firma/ssh/a.conf",
                    "Host a\n  Bogus 1\n",
                ),
                ("C:\\Users\\me/.ssh/conf.d/extra", "Host b\n  Bogus 2\n"),
            ],
            &reader,
        );
        assert!(only(&findings, "SSH021").is_empty(), "{findings:#?}");
        let unknown = only(&findings, "SSH001");
        assert_eq!(unknown.len(), 2, "{findings:#?}");
    }

    #[test]
    fn ssh008_fires_for_the_windows_ssh_even_when_gord_runs_on_linux() {
        use crate::ssh::release::{Flavour, Release, SshVersion};
        let windows = crate::ssh::release::which::Choice::of_version(SshVersion::new(
            Release::new(9, 5, 1),
            Flavour::Windows,
        ));
        let text = "Host *\n  ControlMaster auto\n  ControlPath ~/.ssh/cm-%C\n";
        let findings = crate::ssh::lint::tests::lint_text_for(text, windows);
        assert_eq!(only(&findings, "SSH008").len(), 1, "{findings:#?}");
        let upstream = crate::ssh::release::which::Choice::of_version(SshVersion::new(
            Release::new(9, 5, 1),
            Flavour::Upstream,
        ));
        let findings = crate::ssh::lint::tests::lint_text_for(text, upstream);
        assert!(only(&findings, "SSH008").is_empty());
    }

    #[test]
    fn ssh045_follows_the_release_that_stopped_expanding_tilde_backslash() {
        use crate::ssh::release::{Flavour, Release, SshVersion};
        let text = "Host a\n  IdentityFile ~\\.ssh\\id_ed25519\n";
        let old = crate::ssh::release::which::Choice::of_version(SshVersion::new(
            Release::new(8, 6, 1),
            Flavour::Windows,
        ));
        assert!(only(&crate::ssh::lint::tests::lint_text_for(text, old), "SSH045").is_empty());
        let new = crate::ssh::release::which::Choice::of_version(SshVersion::new(
            Release::new(9, 5, 1),
            Flavour::Windows,
        ));
        assert_eq!(
            only(&crate::ssh::lint::tests::lint_text_for(text, new), "SSH045").len(),
            1
        );
    }
}
