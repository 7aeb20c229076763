//! Rules about Host and Match blocks: which block's value wins, blocks that
//! never apply, Include and settings that land in the wrong block, Match exec
//! that lint cannot evaluate.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::finding::{Edit, Finding, Severity};
use crate::ssh::config::blocks::{blocks, Block, Header};
use crate::ssh::config::lexer::Directive;
use crate::ssh::config::pattern::{has_wildcards, match_pattern};
use crate::ssh::config::source::SourceFile;
use crate::ssh::lint::rules::keywords::camel;
use crate::ssh::lint::rules::support::{
    append_lines, block_applied, block_at, block_indent, block_last_line, block_name, delete_lines,
    directive_span, directives, edit_fix, finding, first_value_wins, include_arg_targets,
    indentation, insert_line_before, keyword_lines, keyword_of, line_text, origin_directive,
    origin_path, own_value, place, replace, sets_slot, slot, span_finding, winner, written_keyword,
};
use crate::ssh::lint::{span_range, LintContext};
use crate::ssh::release::Release;

fn directive_at(file: &SourceFile, line: usize) -> Option<&Directive> {
    crate::ssh::config::blocks::directive(file, line)
}

/// The header line's patterns as a range (all of its arguments).
fn header_range(file: &SourceFile, block: &Block) -> Option<crate::finding::Range> {
    let line = block.header_line?;
    let d = directive_at(file, line)?;
    Some(crate::ssh::lint::rules::support::value_range(file, line, d))
}

/// When every line of `all[index]` (a `Host X` block) repeats a keyword an
/// earlier `Host X` block of the same file already sets, that earlier
/// block's header line.
/// The first block of each single-pattern `Host` line, by pattern.
fn first_single_pattern_blocks(all: &[Block]) -> std::collections::HashMap<&str, usize> {
    let mut first = std::collections::HashMap::new();
    for (index, block) in all.iter().enumerate() {
        if let Header::Host(patterns) = &block.header {
            if let [pattern] = patterns.as_slice() {
                first.entry(pattern.as_str()).or_insert(index);
            }
        }
    }
    first
}

fn shadowing_duplicate(
    file: &SourceFile,
    all: &[Block],
    first: &std::collections::HashMap<&str, usize>,
    index: usize,
    release: Release,
) -> Option<usize> {
    let block = all.get(index)?;
    let Header::Host(patterns) = &block.header else {
        return None;
    };
    let [pattern] = patterns.as_slice() else {
        return None;
    };
    if pattern.starts_with('!') || has_wildcards(pattern) || block.lines.is_empty() {
        return None;
    }
    let earlier = all.get(*first.get(pattern.as_str()).filter(|at| **at < index)?)?;
    let mut set: HashSet<&'static str> = HashSet::new();
    for &line in &earlier.lines {
        if let Some(keyword) = directive_at(file, line).and_then(|d| {
            keyword_of(d).filter(|k| first_value_wins(k.kind) && sets_slot(k, d, release))
        }) {
            set.insert(slot(keyword));
        }
    }
    let all_set = block.lines.iter().all(|&line| {
        directive_at(file, line)
            .and_then(keyword_of)
            .is_some_and(|k| first_value_wins(k.kind) && set.contains(slot(k)))
    });
    all_set.then_some(earlier.header_line).flatten()
}

/// SSH002: a line of a specific Host block whose value an earlier, broader
/// block (or the global section) already decided.
pub fn shadowed_setting(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    let release = ctx.ssh.semantics.semantics().release;
    // The blocks of the files that win, computed once each.
    let mut block_cache: std::collections::HashMap<std::path::PathBuf, std::sync::Arc<Vec<Block>>> =
        std::collections::HashMap::new();
    for file in &ctx.files {
        let all = blocks(file);
        let first = first_single_pattern_blocks(&all);
        for (index, block) in all.iter().enumerate() {
            let (Some(header), Header::Host(_)) = (block.header_line, &block.header) else {
                continue;
            };
            if shadowing_duplicate(file, &all, &first, index, release).is_some() {
                continue; // SSH022 reports the whole block.
            }
            let mut hosts: Vec<&str> = block.literal_hosts();
            hosts.dedup();
            for &line in &block.lines {
                let Some(d) = directive_at(file, line) else {
                    continue;
                };
                let Some(keyword) = keyword_of(d) else {
                    continue;
                };
                if !first_value_wins(keyword.kind) || !sets_slot(keyword, d, release) {
                    continue;
                }
                let Some(own) = own_value(keyword, d) else {
                    continue;
                };
                for host in &hosts {
                    let r = ctx.resolved(host);
                    if !block_applied(ctx, &r, file, block) {
                        continue;
                    }
                    let Some((origin, value)) = winner(&r, keyword) else {
                        continue;
                    };
                    let Some(path) = origin_path(&r, origin) else {
                        continue;
                    };
                    let same_file = path == file.path;
                    if same_file && origin.line >= header && origin.line <= line {
                        continue; // This line, or SSH004's repeated keyword.
                    }
                    if value == own {
                        continue;
                    }
                    let Some((win_file, _)) = origin_directive(ctx, &r, origin) else {
                        continue;
                    };
                    let win_blocks = block_cache
                        .entry(win_file.path.clone())
                        .or_insert_with(|| blocks(win_file));
                    let Some(win_block) = block_at(win_blocks, origin.line) else {
                        continue;
                    };
                    let written = written_keyword(file, line, d);
                    let message = format!(
                        "{written} {} does not apply to {host}: ssh keeps the first value it obtains, and {} in {} already set it, so {host} gets {} {value}; put specific Host blocks before general ones such as \"Host *\"",
                        d.args
                            .iter()
                            .map(|a| a.value.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                        place(ctx, path, origin.line),
                        block_name(win_file, win_block),
                        camel(keyword.canonical),
                    );
                    let span = directive_span(d);
                    let mut f = span_finding(code, Severity::Warning, file, line, span, message);
                    f.fixes
                        .extend(move_broad_block_fix(file, same_file, win_block, header));
                    out.push(f);
                    break;
                }
            }
        }
    }
}

/// Moves a `Host *` block (without Include) of the same file, above the
/// shadowed block, to the end of the file.
fn move_broad_block_fix(
    file: &SourceFile,
    same_file: bool,
    broad: &Block,
    shadowed_header: usize,
) -> Option<crate::finding::Fix> {
    if !same_file {
        return None;
    }
    let Header::Host(patterns) = &broad.header else {
        return None;
    };
    let first = broad.header_line?;
    if patterns.as_slice() != [String::from("*")] || first >= shadowed_header {
        return None;
    }
    let has_include = broad
        .lines
        .iter()
        .any(|&l| directive_at(file, l).is_some_and(|d| d.keyword == "include"));
    if has_include {
        return None;
    }
    let last = block_last_line(broad)?;
    let moved: Vec<String> = (first..=last)
        .map(|l| line_text(file, l).to_string())
        .collect();
    edit_fix(
        file,
        String::from("Move the \"Host *\" block to the end of the file"),
        vec![delete_lines(file, first, last), append_lines(file, &moved)],
        false,
    )
}

/// SSH022: a Host block that can never apply.
pub fn never_matches(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    let release = ctx.ssh.semantics.semantics().release;
    for file in &ctx.files {
        let all = blocks(file);
        let first = first_single_pattern_blocks(&all);
        for (index, block) in all.iter().enumerate() {
            let Header::Host(patterns) = &block.header else {
                continue;
            };
            let Some(header) = block.header_line else {
                continue;
            };
            let Some(range) = header_range(file, block) else {
                continue;
            };
            let negated: Vec<&str> = patterns
                .iter()
                .filter_map(|p| p.strip_prefix('!'))
                .collect();
            let positive: Vec<&String> = patterns.iter().filter(|p| !p.starts_with('!')).collect();
            if positive.is_empty() && !negated.is_empty() {
                let message = String::from(
                    "This block never applies: ssh activates a Host block only when one of its patterns matches, and a \"!pattern\" can only exclude a host; to mean \"every host except these\", add \"*\" (Host * !name)",
                );
                let mut f = finding(code, Severity::Warning, file, range, message);
                let d = directive_at(file, header);
                f.fixes
                    .extend(d.and_then(|d| d.args.first()).and_then(|first| {
                        edit_fix(
                            file,
                            String::from("Match every host except these (add \"*\")"),
                            vec![replace(
                                file,
                                header,
                                first.span.start..first.span.start,
                                "* ",
                            )],
                            false,
                        )
                    }));
                out.push(f);
                continue;
            }
            let all_excluded = !positive.is_empty()
                && positive
                    .iter()
                    .all(|p| !has_wildcards(p) && negated.iter().any(|n| match_pattern(p, n)));
            if all_excluded {
                let message = String::from(
                    "This block never applies: every host it names is also excluded by one of its \"!\" patterns, and a negated match always wins",
                );
                out.push(finding(code, Severity::Warning, file, range, message));
                continue;
            }
            if let Some(earlier) = shadowing_duplicate(file, &all, &first, index, release) {
                let message = format!(
                    "No line of this block takes effect: \"{}\" on line {} already sets every keyword it sets, and ssh keeps the first value it obtains; merge the two blocks",
                    line_text(file, earlier).trim(),
                    earlier + 1
                );
                out.push(finding(code, Severity::Warning, file, range, message));
            }
        }
    }
}

/// SSH023: a `Match exec` lint did not run.
pub fn match_exec_not_evaluated(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    if ctx.allow_exec {
        return;
    }
    for file in &ctx.files {
        for (line, d) in keyword_lines(file, "match") {
            let Some(at) = d.args.iter().position(|a| {
                a.value.eq_ignore_ascii_case("exec") || a.value.eq_ignore_ascii_case("!exec")
            }) else {
                continue;
            };
            let (Some(word), command) = (d.args.get(at), d.args.get(at + 1)) else {
                continue;
            };
            let end = command.map(|c| c.span.end).unwrap_or(word.span.end);
            let command_text = command.map(|c| c.value.as_str()).unwrap_or("");
            let message = format!(
                "gord did not run \"{command_text}\", so it counts this block as not matching and its settings are left out of the other findings; ssh runs the command on every connection. To evaluate it, run gord ssh lint --allow-exec or turn on the gord.ssh.allowMatchExec setting"
            );
            let span = word.span.start..end;
            out.push(span_finding(
                code,
                Severity::Info,
                file,
                line,
                span,
                message,
            ));
        }
    }
}

/// The files an Include line pulls in that define Host or Match blocks.
fn included_hosts_files(ctx: &LintContext, d: &Directive) -> Vec<PathBuf> {
    d.args
        .iter()
        .flat_map(|a| include_arg_targets(ctx, &a.value).1)
        .filter(|path| {
            ctx.file(path).is_some_and(|f| {
                directives(f).any(|(_, d)| d.keyword == "host" || d.keyword == "match")
            })
        })
        .collect()
}

fn is_specific(block: &Block) -> bool {
    block.header_line.is_some() && !block.matches_everything()
}

/// SSH026: an Include of host definitions inside a specific Host or Match
/// block: those hosts exist only while connecting to that block's hosts.
pub fn conditional_include(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for file in &ctx.files {
        let all = blocks(file);
        for (line, d) in keyword_lines(file, "include") {
            let Some(block) = block_at(&all, line).filter(|b| is_specific(b)) else {
                continue;
            };
            let targets = included_hosts_files(ctx, d);
            let Some(first_target) = targets.first() else {
                continue;
            };
            let message = format!(
                "This Include is inside {}: ssh reads {} only while that block applies, so the Host and Match blocks in it take effect only when you connect to a host of that block (ssh_config has no block end; an Include inside a block is a conditional include); move the Include above the first Host or Match line",
                block_name(file, block),
                crate::ssh::lint::rules::support::show_path(ctx, first_target)
            );
            let span = directive_span(d);
            let mut f = span_finding(code, Severity::Warning, file, line, span, message);
            let first_header = all.iter().find_map(|b| b.header_line);
            f.fixes.extend(first_header.and_then(|top| {
                let text = line_text(file, line).trim().to_string();
                edit_fix(
                    file,
                    String::from("Move the Include above the first Host or Match line"),
                    vec![
                        insert_line_before(file, top, &text),
                        delete_lines(file, line, line),
                    ],
                    false,
                )
            }));
            out.push(f);
        }
    }
}

/// SSH027: a Host pattern with a comma (Host takes space-separated patterns).
pub fn comma_in_host_pattern(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for file in &ctx.files {
        for (line, d) in keyword_lines(file, "host") {
            for arg in &d.args {
                if !arg.value.contains(',') {
                    continue;
                }
                let parts: Vec<&str> = arg.value.split(',').filter(|p| !p.is_empty()).collect();
                let message = format!(
                    "\"{}\" is one pattern, not {}: Host patterns are separated by spaces (commas separate patterns only in Match host and other lists), and no host name contains a comma, so it never matches",
                    arg.value,
                    parts.join(" and ")
                );
                let span = arg.span.clone();
                let mut f = span_finding(code, Severity::Warning, file, line, span, message);
                let plain = parts
                    .iter()
                    .all(|p| !p.contains([' ', '\t', '"', '\'', '\\']));
                if plain && !parts.is_empty() {
                    f.fixes.extend(edit_fix(
                        file,
                        format!("Write it as {}", parts.join(" ")),
                        vec![replace(file, line, arg.span.clone(), &parts.join(" "))],
                        false,
                    ));
                }
                out.push(f);
            }
        }
    }
}

/// SSH029: a line written at column 0, as if global, inside a specific
/// block whose other lines are indented.
pub fn looks_global(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for file in &ctx.files {
        for block in blocks(file).iter() {
            let Some(header) = block.header_line.filter(|_| is_specific(block)) else {
                continue;
            };
            if !indentation(file, header).is_empty() {
                continue;
            }
            let mut seen_indented = false;
            for &line in &block.lines {
                if !indentation(file, line).is_empty() {
                    seen_indented = true;
                    continue;
                }
                if !seen_indented {
                    continue;
                }
                let Some(d) = directive_at(file, line) else {
                    continue;
                };
                if d.keyword == "include" && !included_hosts_files(ctx, d).is_empty() {
                    continue; // SSH026
                }
                let message = format!(
                    "This line is not indented, as if it applied to every host, but it belongs to {} and ssh applies it only there (ssh_config has no block end: a block runs to the next Host or Match); to make it global move it above the first Host or Match line, or under a \"Host *\" at the end of the file",
                    block_name(file, block)
                );
                let span = directive_span(d);
                let mut f = span_finding(code, Severity::Warning, file, line, span, message);
                let indent = block_indent(file, block);
                if !indent.is_empty() {
                    f.fixes.extend(edit_fix(
                        file,
                        String::from("Indent it under its block (no change in behaviour)"),
                        vec![Edit {
                            path: file.path.clone(),
                            range: span_range(file, line, 0..0),
                            new_text: indent,
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
    use crate::ssh::lint::tests::{
        assert_says, at, columns, lint_files, lint_one, lint_text, only,
    };

    #[test]
    fn ssh002_flags_a_specific_setting_shadowed_by_an_earlier_host_star() {
        let f = lint_one("Host *\n  User everyone\n  ServerAliveInterval 15\n\nHost db\n  User dba\n  Port 5432\n", "SSH002");
        assert_eq!(at(&f), (5, 2, 10));
        assert_says(&f, "~/.ssh/config line 2");
        assert_says(&f, "db gets User everyone");
        let fix = f.fix().unwrap();
        assert!(!fix.safe);
        assert_eq!(fix.edits.len(), 2);
        assert_eq!(fix.edits[0].range.start.line, 0);
        assert_eq!(fix.edits[0].range.end.line, 3);
        assert_eq!(
            fix.edits[1].new_text, "\nHost *\n  User everyone\n  ServerAliveInterval 15\n",
            "a blank line, then the block"
        );
        assert_eq!(fix.edits[1].range.start.line, 7);
    }

    #[test]
    fn ssh002_ignores_a_specific_block_that_comes_first() {
        let findings = lint_text("Host db\n  User dba\nHost *\n  User everyone\n");
        assert!(only(&findings, "SSH002").is_empty());
    }

    #[test]
    fn ssh002_ignores_identity_files_which_accumulate() {
        let findings =
            lint_text("Host *\n  IdentityFile ~/.ssh/a\nHost db\n  IdentityFile ~/.ssh/b\n");
        assert!(only(&findings, "SSH002").is_empty());
    }

    #[test]
    fn ssh002_names_a_wildcard_block_without_moving_it() {
        let f = lint_one(
            "Host *.corp\n  Port 2222\nHost db.corp\n  Port 22\n",
            "SSH002",
        );
        assert_says(&f, "\"Host *.corp\" (line 1)");
        assert!(f.fix().is_none());
    }

    #[test]
    fn ssh022_flags_a_host_block_with_only_negated_patterns() {
        let f = lint_one("Host !bastion\n  ForwardAgent no\n", "SSH022");
        assert_eq!(columns(&f), (5, 13));
        assert_says(&f, "never applies");
        let fix = f.fix().unwrap();
        assert_eq!(fix.edits[0].new_text, "* ");
        assert_eq!(fix.edits[0].range.start.character, 5);
    }

    #[test]
    fn ssh022_flags_a_duplicate_block_whose_lines_are_all_already_set() {
        let findings = lint_text("Host db\n  User a\n  Port 1\nHost db\n  User b\n");
        let f = only(&findings, "SSH022")[0];
        assert_eq!(f.range().unwrap().start.line, 3);
        assert_says(f, "\"Host db\" on line 1");
        assert!(
            only(&findings, "SSH002").is_empty(),
            "reported once, as SSH022"
        );
        let partly = lint_text("Host db\n  User a\nHost db\n  User b\n  Port 1\n");
        assert!(only(&partly, "SSH022").is_empty());
        assert_eq!(only(&partly, "SSH002").len(), 1);
    }

    #[test]
    fn ssh023_notes_a_match_exec_that_was_not_run() {
        let f = lint_one(
            "Match host x exec \"test -f /tmp/on\"\n  User y\n",
            "SSH023",
        );
        assert_eq!(f.severity, crate::ssh::lint::Severity::Info);
        assert_eq!(columns(&f), (13, 35));
        assert_says(&f, "--allow-exec");
        assert_says(&f, "gord.ssh.allowMatchExec");
    }

    #[test]
    fn ssh026_flags_an_include_of_hosts_inside_a_host_block() {
        let findings = lint_files(&[
            (
                "/home/me/.ssh/config",
                "Host web\n  User w\nInclude ~/.colima/ssh_config\n",
            ),
            ("/home/me/.colima/ssh_config", "Host colima\n  Port 60022\n"),
        ]);
        let f = only(&findings, "SSH026")[0];
        assert_eq!(f.range().unwrap().start.line, 2);
        assert_says(f, "\"Host web\" (line 1)");
        let fix = f.fix().unwrap();
        assert_eq!(fix.edits[0].new_text, "Include ~/.colima/ssh_config\n");
        assert_eq!(fix.edits[0].range.start.line, 0);
        assert!(only(&findings, "SSH029").is_empty());
    }

    #[test]
    fn ssh026_accepts_an_include_of_plain_settings_in_a_block() {
        let findings = lint_files(&[
            ("/home/me/.ssh/config", "Host web\n  Include web.conf\n"),
            ("/home/me/.ssh/web.conf", "User w\n"),
        ]);
        assert!(only(&findings, "SSH026").is_empty());
    }

    #[test]
    fn ssh027_flags_a_comma_separated_host_line() {
        let f = lint_one("Host web1,web2\n  User deploy\n", "SSH027");
        assert_eq!(columns(&f), (5, 14));
        assert_says(&f, "one pattern");
        assert_eq!(f.fix().unwrap().edits[0].new_text, "web1 web2");
    }

    #[test]
    fn ssh029_flags_an_unindented_line_after_indented_ones() {
        let f = lint_one("Host web\n  User w\nForwardAgent no\n", "SSH029");
        assert_eq!(f.range().unwrap().start.line, 2);
        assert_says(&f, "\"Host web\" (line 1)");
        assert_eq!(f.fix().unwrap().edits[0].new_text, "  ");
        let under_star = lint_text("Host *\n  User w\nForwardAgent no\n");
        assert!(only(&under_star, "SSH029").is_empty());
    }
}
