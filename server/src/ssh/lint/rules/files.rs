//! The config files themselves: permissions ssh refuses, and Include lines
//! that read nothing.

use crate::ssh::config::resolve::ConfigFs;
use std::path::Path;

use crate::finding::{Position, Range};

use crate::finding::{Edit, Finding, Severity};
use crate::ssh::config::pattern::has_wildcards;
use crate::ssh::lint::rules::support::{
    command_fix, edit_fix, finding, include_arg_targets, keyword_lines, line_text, show_path,
    span_finding,
};
use crate::ssh::lint::{span_range, LintContext, Platform};

/// What is wrong with a file's owner or mode, by OpenSSH's test
/// (`(uid != 0 && uid != getuid()) || (mode & 022) != 0`).
fn bad_owner_or_mode(ctx: &LintContext, path: &Path) -> Option<(u32, u32, String)> {
    let (mode, owner) = ctx.fs.mode_and_owner(path)?;
    if owner != 0 && owner != ctx.local.uid {
        return Some((
            mode,
            owner,
            format!("it is owned by uid {owner}, not by you or root"),
        ));
    }
    if mode & 0o022 != 0 {
        let who = match (mode & 0o020 != 0, mode & 0o002 != 0) {
            (true, true) => "group and others",
            (true, false) => "its group",
            _ => "everyone",
        };
        return Some((
            mode,
            owner,
            format!("it is writable by {who}, mode 0{:03o}", mode & 0o777),
        ));
    }
    None
}

/// Where a finding about a whole file goes: its start.
fn file_start() -> Range {
    Range::new(Position::new(0, 0), Position::new(0, 0))
}

/// SSH014: the config, a file it includes, or ~/.ssh with an owner or mode
/// that lets someone else change them.
pub fn config_permissions(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    if ctx.platform == Platform::Windows {
        return;
    }
    let Some(main) = ctx.files.first() else {
        return;
    };
    let ssh_dir = ctx.local.home.join(".ssh");
    if ctx.main == ssh_dir.join("config") {
        if let Some((_, owner, why)) = bad_owner_or_mode(ctx, &ctx.main) {
            let path = ctx.main.display().to_string();
            let message = format!(
                "ssh refuses to run: \"Bad owner or permissions on {path}\" ({why}; ssh will not read a config someone else could change)"
            );
            let mut f = finding(code, Severity::Error, main, file_start(), message);
            if owner == ctx.local.uid || owner == 0 {
                f.fixes.extend(Some(command_fix(
                    String::from("Make the config writable only by you"),
                    vec![String::from("chmod"), String::from("600"), path],
                    true,
                )));
            }
            out.push(f);
        }
    }
    if let Some((_, owner, why)) = bad_owner_or_mode(ctx, &ssh_dir) {
        let dir = ssh_dir.display().to_string();
        let message = format!(
            "~/.ssh is not private ({why}): ssh does not check the directory, but whoever can write there can replace your config, keys and known_hosts, and sshd on this machine ignores keys in it (\"bad ownership or modes for directory {dir}\")"
        );
        let mut f = finding(code, Severity::Warning, main, file_start(), message);
        if owner == ctx.local.uid {
            f.fixes.extend(Some(command_fix(
                String::from("Make ~/.ssh accessible only by you"),
                vec![String::from("chmod"), String::from("700"), dir],
                true,
            )));
        }
        out.push(f);
    }
    // Each pattern's files are checked once, at its first Include: a
    // fan-out of includes repeats one pattern in every file.
    let mut checked = std::collections::HashSet::new();
    for file in &ctx.files {
        for (line, d) in keyword_lines(file, "include") {
            for arg in &d.args {
                let (pattern, targets) = include_arg_targets(ctx, &arg.value);
                if !checked.insert(pattern) {
                    continue;
                }
                for target in targets {
                    if ctx.fs.is_dir(&target) {
                        continue;
                    }
                    let Some((_, owner, why)) = bad_owner_or_mode(ctx, &target) else {
                        continue;
                    };
                    let path = target.display().to_string();
                    let message = format!(
                        "ssh refuses to run: \"Bad owner or permissions on {path}\" ({why}; ssh checks every included file)"
                    );
                    let span = arg.span.clone();
                    let mut f = span_finding(code, Severity::Error, file, line, span, message);
                    if owner == ctx.local.uid || owner == 0 {
                        f.fixes.extend(Some(command_fix(
                            format!("Make {} writable only by you", show_path(ctx, &target)),
                            vec![String::from("chmod"), String::from("600"), path],
                            true,
                        )));
                    }
                    out.push(f);
                }
            }
        }
    }
}

/// SSH021: an Include that reads nothing: no file matches, or it names a
/// directory.
pub fn empty_include(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    // The directory each pattern matches, looked for once per pattern.
    let mut dirs: std::collections::HashMap<String, Option<std::path::PathBuf>> =
        std::collections::HashMap::new();
    for file in &ctx.files {
        for (line, d) in keyword_lines(file, "include") {
            for arg in &d.args {
                let (pattern, targets) = include_arg_targets(ctx, &arg.value);
                let range = span_range(file, line, arg.span.clone());
                if targets.is_empty() {
                    let (severity, what) = if has_wildcards(&pattern) {
                        (Severity::Info, "matches no file")
                    } else {
                        (Severity::Warning, "names a file that does not exist")
                    };
                    let message = format!(
                        "Include {} {what} ({pattern}): ssh silently reads nothing here (ssh -v: \"include {pattern} matched no files\"); relative paths are under ~/.ssh",
                        arg.value
                    );
                    out.push(finding(code, severity, file, range, message));
                    continue;
                }
                let dir = dirs
                    .entry(pattern)
                    .or_insert_with(|| targets.iter().find(|t| ctx.fs.is_dir(t)).cloned());
                let Some(dir) = dir.as_ref() else {
                    continue;
                };
                let message = format!(
                    "Include {} names the directory {}: ssh opens it as a file and reads nothing, silently; to read the files in it write {}/*",
                    arg.value,
                    show_path(ctx, dir),
                    arg.value.trim_end_matches('/')
                );
                let mut f = finding(code, Severity::Warning, file, range, message);
                let raw = line_text(file, line).get(arg.span.clone()).unwrap_or("");
                if !raw.ends_with(['"', '\'']) {
                    let at = arg.span.end;
                    let text = if raw.ends_with('/') { "*" } else { "/*" };
                    f.fixes.extend(edit_fix(
                        file,
                        format!("Include the files in it ({}{text})", raw),
                        vec![Edit {
                            path: file.path.clone(),
                            range: span_range(file, line, at..at),
                            new_text: text.to_string(),
                        }],
                        false,
                    ));
                }
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
    use crate::ssh::lint::tests::{
        assert_says, at, columns, lint_files, lint_modes, lint_text, only,
    };

    #[test]
    fn ssh014_flags_a_group_writable_config_with_openssh_words() {
        let findings = lint_modes(&[("/home/me/.ssh/config", "Host a\n  User b\n", 0o664)]);
        let f = only(&findings, "SSH014")[0];
        assert_eq!(f.severity, Severity::Error);
        assert_says(f, "\"Bad owner or permissions on /home/me/.ssh/config\"");
        assert_says(f, "mode 0664");
        let fix = f.fix().unwrap();
        assert_eq!(
            fix.command.as_deref().unwrap(),
            ["chmod", "600", "/home/me/.ssh/config"]
        );
        let fine = lint_modes(&[("/home/me/.ssh/config", "Host a\n", 0o644)]);
        assert!(only(&fine, "SSH014").is_empty());
    }

    #[test]
    fn ssh014_flags_a_world_writable_include_on_its_line() {
        let findings = lint_modes(&[
            ("/home/me/.ssh/config", "Include conf.d/*\n", 0o600),
            ("/home/me/.ssh/conf.d/work", "Host w\n", 0o666),
        ]);
        let f = only(&findings, "SSH014")[0];
        assert_eq!(at(f), (0, 8, 16));
        assert_says(f, "Bad owner or permissions on /home/me/.ssh/conf.d/work");
    }

    #[test]
    fn ssh014_warns_about_a_group_writable_ssh_directory() {
        let findings = lint_modes(&[
            ("/home/me/.ssh/config", "Host a\n", 0o600),
            ("/home/me/.ssh", "", 0o775),
        ]);
        let f = only(&findings, "SSH014")[0];
        assert_eq!(f.severity, Severity::Warning);
        assert_says(f, "~/.ssh is not private");
        assert_eq!(
            f.fix().unwrap().command.as_deref().unwrap(),
            ["chmod", "700", "/home/me/.ssh"]
        );
    }

    #[test]
    fn ssh021_flags_an_include_of_a_missing_file() {
        let findings = lint_text("Include ~/.ssh/work.conf conf.d/*\n");
        let found = only(&findings, "SSH021");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].severity, Severity::Warning);
        assert_eq!(columns(found[0]), (8, 24));
        assert_says(found[0], "/home/me/.ssh/work.conf");
        assert_eq!(found[1].severity, Severity::Info);
        assert_says(found[1], "matched no files");
    }

    #[test]
    fn ssh021_flags_an_include_of_a_directory() {
        let findings = lint_files(&[
            ("/home/me/.ssh/config", "Include config.d\n"),
            ("/home/me/.ssh/config.d/a", "Host a\n"),
        ]);
        let f = only(&findings, "SSH021")[0];
        assert_says(f, "names the directory ~/.ssh/config.d");
        let edit = &f.fix().unwrap().edits[0];
        assert_eq!(edit.new_text, "/*");
        assert_eq!(edit.range.start.character, 16);
    }
}
