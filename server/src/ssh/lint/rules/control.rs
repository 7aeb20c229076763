//! Connection sharing (ControlMaster/ControlPath): settings that silently do
//! nothing, share one socket between different connections, or make ssh fail.

use std::rc::Rc;

use crate::finding::{Finding, Severity};
use crate::ssh::config::blocks::{blocks, Block};
use crate::ssh::config::effective::effective;
use crate::ssh::config::lexer::{Arg, Directive};
use crate::ssh::config::resolve::{ConfigFs, Resolution};
use crate::ssh::config::source::SourceFile;
use crate::ssh::lint::rules::sockets::sun_path_of;
use crate::ssh::lint::rules::support::{
    add_line_fix, block_at, command_fix, first_args, host_words, hosts_set_by, indentation,
    keyword_lines, name_list, replace_arg_fix, value_finding,
};
use crate::ssh::lint::{LintContext, Platform};

/// The `.XXXXXXXXXXXXXXXX` ssh appends to ControlPath while it sets up the
/// master socket (mux.c `muxserver_listen`).
const TEMP_SUFFIX: usize = 17;

/// Whether a ControlMaster value turns sharing on.
fn master_on(value: &str) -> bool {
    !matches!(value.to_ascii_lowercase().as_str(), "no" | "false")
}

/// SSH005: ControlMaster on, but no ControlPath for the hosts of its block.
pub fn control_master_without_path(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for file in &ctx.files {
        let all = blocks(file);
        for (line, d, arg) in first_args(file, "controlmaster") {
            if !master_on(&arg.value) {
                continue;
            }
            let Some(block) = block_at(&all, line) else {
                continue;
            };
            let lacking: Vec<String> = hosts_set_by(ctx, file, block, line, "controlmaster")
                .into_iter()
                .filter(|(_, r)| {
                    r.options
                        .get("controlpath")
                        .is_none_or(|v| v.text.eq_ignore_ascii_case("none"))
                })
                .map(|(host, _)| host_words(&host))
                .collect();
            if lacking.is_empty() {
                continue;
            }
            let message = format!(
                "ControlMaster {} does nothing for {}: no ControlPath is set, so ssh neither starts nor reuses a shared connection and every connection authenticates again; add ControlPath ~/.ssh/cm-%C",
                arg.value,
                name_list(&lacking)
            );
            let mut f = value_finding(code, Severity::Warning, file, line, d, message);
            let indent = indentation(file, line);
            f.fixes.extend(add_line_fix(
                file,
                line,
                &format!("{indent}ControlPath ~/.ssh/cm-%C"),
                "Add ControlPath ~/.ssh/cm-%C",
                false,
            ));
            out.push(f);
        }
    }
}

/// Whether a block applies to one named host only.
fn single_host(block: &Block) -> bool {
    match &block.header {
        crate::ssh::config::blocks::Header::Host(patterns) => {
            patterns.len() == 1 && block.literal_hosts().len() == 1
        }
        _ => false,
    }
}

/// The `%` tokens a value uses.
fn tokens(value: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            if let Some(t) = chars.next() {
                out.push(t);
            }
        }
    }
    out
}

/// SSH006: a ControlPath that is not different for each connection.
pub fn shared_control_path(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for file in &ctx.files {
        let all = blocks(file);
        for (line, d) in keyword_lines(file, "controlpath") {
            let [arg] = d.args.as_slice() else {
                continue;
            };
            if arg.value.eq_ignore_ascii_case("none") {
                continue;
            }
            let used = tokens(&arg.value);
            let host = used.iter().any(|t| matches!(t, 'h' | 'n' | 'k'));
            if used.contains(&'C') || (host && used.contains(&'p') && used.contains(&'r')) {
                continue;
            }
            let Some(block) = block_at(&all, line) else {
                continue;
            };
            let (severity, who) = if single_host(block) {
                (
                    Severity::Info,
                    "connections to this host as another user or port (ssh -l, ssh -p)",
                )
            } else {
                (Severity::Warning, "connections to different hosts")
            };
            let mut missing = Vec::new();
            if !host {
                missing.push("%h");
            }
            if !used.contains(&'p') {
                missing.push("%p");
            }
            if !used.contains(&'r') {
                missing.push("%r");
            }
            let message = format!(
                "ControlPath {} is the same for {who} (it lacks {}): the second ssh finds the first one's socket and runs its session over that connection, on the wrong host or as the wrong user; use %C, a hash of local host, host, port and user",
                arg.value,
                missing.join(", ")
            );
            let mut f = value_finding(code, severity, file, line, d, message);
            let dir = match arg.value.rfind('/') {
                Some(at) => arg.value.get(..=at).unwrap_or(""),
                None => "",
            };
            let new_value = format!("{dir}cm-%C");
            let new_text = if new_value.contains([' ', '\t', '"', '\'', '\\']) {
                None
            } else {
                Some(new_value)
            };
            f.fixes.extend(
                new_text.and_then(|text| {
                    replace_arg_fix(file, line, arg, &format!("Use {text}"), &text)
                }),
            );
            out.push(f);
        }
    }
}

/// A ControlPath line naming a socket (not `none`), with the hosts of its
/// block that take their ControlPath from it.
struct SocketLine<'c> {
    file: &'c SourceFile,
    line: usize,
    d: &'c Directive,
    arg: &'c Arg,
    hosts: Vec<(String, Rc<Resolution>)>,
}

fn socket_lines<'c>(ctx: &'c LintContext) -> Vec<SocketLine<'c>> {
    let mut out = Vec::new();
    for file in &ctx.files {
        let all = blocks(file);
        for (line, d, arg) in first_args(file, "controlpath") {
            if arg.value.eq_ignore_ascii_case("none") {
                continue;
            }
            let Some(block) = block_at(&all, line) else {
                continue;
            };
            let hosts = hosts_set_by(ctx, file, block, line, "controlpath");
            out.push(SocketLine {
                file,
                line,
                d,
                arg,
                hosts,
            });
        }
    }
    out
}

/// The socket path ssh uses for a resolved host, with its tokens expanded.
fn expanded_control_path(ctx: &LintContext, r: &Resolution) -> Option<String> {
    let lines = effective(r, ctx.local, &|_| None).ok()?;
    let path = lines.iter().find(|l| l.keyword == "controlpath")?;
    Some(path.value.to_string())
}

/// SSH007: an expanded ControlPath too long for a Unix socket.
pub fn control_path_too_long(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    // `sizeof(sun_path)`: the longest Unix socket path plus its NUL.
    let sun_path = sun_path_of(ctx);
    let max = sun_path - 1;
    for socket in socket_lines(ctx) {
        // The first host for which this line is in effect and too long.
        let problem = socket.hosts.into_iter().find_map(|(host, r)| {
            let path = expanded_control_path(ctx, &r)?;
            let master = r
                .options
                .get("controlmaster")
                .map(|v| v.text.clone())
                .unwrap_or_else(|| String::from("false"));
            let len = path.len();
            let creates = master != "false";
            if len > max {
                Some((host, path, format!(
                    "ssh stops with \"ControlPath too long ('{{path}}' >= {sun_path} bytes)\" or \"path ... too long for Unix domain socket\": a socket path must fit in {sun_path} bytes with its final NUL"
                )))
            } else if creates && len + TEMP_SUFFIX > max {
                Some((host, path, format!(
                    "while creating the master socket ssh appends a {TEMP_SUFFIX}-character random suffix, making {} bytes, and stops with \"unix_listener: path \"...\" too long for Unix domain socket\" (a socket path must fit in {sun_path} bytes with its final NUL)",
                    len + TEMP_SUFFIX
                )))
            } else {
                None
            }
        });
        let Some((host, path, why)) = problem else {
            continue;
        };
        let why = why.replace("{path}", &path);
        let message = format!(
            "For {} this ControlPath expands to {} bytes ({path}): {why}; use a shorter directory, e.g. ControlPath ~/.ssh/cm-%C",
            host_words(&host),
            path.len()
        );
        let (file, line) = (socket.file, socket.line);
        let mut f = value_finding(code, Severity::Error, file, line, socket.d, message);
        let short = ctx.local.home.to_string_lossy().len() + "/.ssh/cm-".len() + 40;
        if short + TEMP_SUFFIX <= max {
            f.fixes.extend(replace_arg_fix(
                file,
                line,
                socket.arg,
                "Use ~/.ssh/cm-%C",
                "~/.ssh/cm-%C",
            ));
        }
        out.push(f);
    }
}

/// SSH008: ControlMaster on Windows, whose OpenSSH has no connection sharing.
pub fn control_master_on_windows(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    if ctx.platform != Platform::Windows {
        return;
    }
    for file in &ctx.files {
        for (line, d, arg) in first_args(file, "controlmaster") {
            if !master_on(&arg.value) {
                continue;
            }
            let message = format!(
                "ControlMaster {} breaks ssh on Windows: Windows' OpenSSH does not implement connection sharing over Unix sockets, and connections fail with \"getsockname failed: Not a socket\" (or \"Bad file descriptor\"); Remote-SSH then cannot connect. Set ControlMaster no for this machine",
                arg.value
            );
            let mut f = value_finding(code, Severity::Error, file, line, d, message);
            f.fixes.extend(replace_arg_fix(
                file,
                line,
                arg,
                "Set ControlMaster no",
                "no",
            ));
            out.push(f);
        }
    }
}

/// SSH031: a ControlPath whose directory does not exist, so the master
/// socket cannot be created.
pub fn control_path_directory_missing(
    code: &'static str,
    ctx: &LintContext,
    out: &mut Vec<Finding>,
) {
    if ctx.platform == Platform::Windows {
        return;
    }
    for socket in socket_lines(ctx) {
        let problem = socket.hosts.into_iter().find_map(|(host, r)| {
            let master = r.options.get("controlmaster").map(|v| v.text.as_str());
            if master.is_none_or(|m| m == "false") {
                return None;
            }
            let path = expanded_control_path(ctx, &r)?;
            let dir = std::path::Path::new(&path).parent()?.to_path_buf();
            (dir.is_absolute() && !ctx.fs.is_dir(&dir)).then_some((host, path, dir))
        });
        let Some((host, path, dir)) = problem else {
            continue;
        };
        let shown = dir.display().to_string();
        let message = format!(
            "The directory {shown} does not exist: when ssh sets up the shared connection for {} it stops with \"unix_listener: cannot bind to path {path}.XXXXXXXXXXXXXXXX: No such file or directory\" and the connection fails; create it with mkdir -p -m 700 {shown}",
            host_words(&host)
        );
        let mut f = value_finding(
            code,
            Severity::Error,
            socket.file,
            socket.line,
            socket.d,
            message,
        );
        f.fixes.extend(Some(command_fix(
            format!("Create {shown}"),
            vec![
                String::from("mkdir"),
                String::from("-p"),
                String::from("-m"),
                String::from("700"),
                shown,
            ],
            true,
        )));
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::ssh::config::resolve::memory::MemoryFs;
    use crate::ssh::lint::tests::{assert_says, at, columns, facts, lint_one, lint_text, only};
    use crate::ssh::lint::{lint, LintContext, Platform};

    #[test]
    fn ssh005_flags_controlmaster_without_controlpath() {
        let f = lint_one(
            "Host db\n  ControlMaster auto\n  ControlPersist 10m\n",
            "SSH005",
        );
        assert_eq!(at(&f), (1, 16, 20));
        assert_says(&f, "does nothing for db");
        let fix = f.fix().unwrap();
        assert_eq!(fix.edits[0].new_text, "\n  ControlPath ~/.ssh/cm-%C");
    }

    #[test]
    fn ssh005_accepts_a_controlpath_from_another_block() {
        let findings =
            lint_text("Host db\n  ControlMaster auto\nHost *\n  ControlPath ~/.ssh/cm-%C\n");
        assert!(only(&findings, "SSH005").is_empty());
        let global = lint_text("ControlMaster auto\n");
        assert!(only(&global, "SSH005")[0]
            .message
            .contains("any host the config does not name"));
    }

    #[test]
    fn ssh006_flags_controlpath_without_percent_c() {
        let findings = lint_text("Host *\n  ControlPath ~/.ssh/master-%h\n");
        let f = only(&findings, "SSH006")[0];
        assert_eq!(f.severity, crate::ssh::lint::Severity::Warning);
        assert_says(f, "lacks %p, %r");
        assert_eq!(columns(f), (14, 30));
        assert_eq!(f.fix().unwrap().edits[0].new_text, "~/.ssh/cm-%C");
        for ok in ["~/.ssh/cm-%C", "~/.ssh/%r@%h:%p", "none"] {
            let findings = lint_text(&format!("Host *\n  ControlPath {ok}\n"));
            assert!(only(&findings, "SSH006").is_empty(), "{ok}");
        }
    }

    #[test]
    fn ssh007_flags_a_controlpath_too_long_with_the_temporary_suffix() {
        let dir = "a".repeat(40);
        let f = lint_one(
            &format!("Host db\n  ControlMaster auto\n  ControlPath ~/{dir}/sockets/%C\n"),
            "SSH007",
        );
        assert_eq!(f.range().unwrap().start.line, 2);
        assert_says(&f, "expands to 98 bytes");
        assert_says(&f, "too long for Unix domain socket");
        assert_eq!(f.fix().unwrap().edits[0].new_text, "~/.ssh/cm-%C");
        let short = lint_text("Host db\n  ControlMaster auto\n  ControlPath ~/.ssh/cm-%C\n");
        assert!(only(&short, "SSH007").is_empty());
    }

    #[test]
    fn ssh007_uses_macos_s_104_bytes_for_apple_s_ssh() {
        // /home/me/ + 30 + /sockets/ + 40 (%C) = 88 bytes: with the 17-byte
        // suffix 105, which fits Linux's 107 and not macOS's 103.
        let dir = "a".repeat(30);
        let text = format!("Host db\n  ControlMaster auto\n  ControlPath ~/{dir}/sockets/%C\n");
        assert!(only(&lint_text(&text), "SSH007").is_empty());
        let apple = crate::ssh::release::which::Choice::of_version(
            crate::ssh::release::parse_version_argument("10.0p2-apple").unwrap(),
        );
        let mac = crate::ssh::lint::tests::lint_text_for(&text, apple);
        let f = only(&mac, "SSH007");
        assert_eq!(f.len(), 1, "{mac:#?}");
        assert_says(f[0], "expands to 88 bytes");
        assert_says(f[0], "fit in 104 bytes with its final NUL");
    }

    #[test]
    fn ssh031_flags_a_controlpath_in_a_missing_directory() {
        let text = "Host *\n  ControlMaster auto\n  ControlPath ~/.ssh/sockets/%r@%h-%p\n";
        let f = lint_one(text, "SSH031");
        assert_eq!(at(&f), (2, 14, 37));
        assert_says(&f, "cannot bind to path");
        assert_eq!(
            f.fix().unwrap().command.as_deref().unwrap(),
            ["mkdir", "-p", "-m", "700", "/home/me/.ssh/sockets"]
        );
        let present = crate::ssh::lint::tests::lint_files(&[
            ("/home/me/.ssh/config", text),
            ("/home/me/.ssh/sockets/.keep", ""),
        ]);
        assert!(only(&present, "SSH031").is_empty());
        let no_master = lint_text("Host *\n  ControlPath ~/.ssh/sockets/%C\n");
        assert!(only(&no_master, "SSH031").is_empty());
    }

    #[test]
    fn ssh008_flags_controlmaster_on_windows_only() {
        let text = "Host *\n  ControlMaster auto\n  ControlPath ~/.ssh/cm-%C\n";
        let fs = MemoryFs::with(&[("/home/me/.ssh/config", text)]);
        let local = facts();
        let mut ctx =
            LintContext::load(Path::new("/home/me/.ssh/config"), &fs, &local, false).unwrap();
        assert!(only(&lint(&ctx), "SSH008").is_empty());
        ctx.platform = Platform::Windows;
        let findings = lint(&ctx);
        let f = only(&findings, "SSH008")[0];
        assert_says(f, "getsockname failed: Not a socket");
        assert_eq!(f.fix().unwrap().edits[0].new_text, "no");
    }
}
