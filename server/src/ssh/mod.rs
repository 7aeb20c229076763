//! SSH: the config doctor's engine (and, later, host probes).

pub mod check;
pub mod config;
pub mod edit;
pub mod fix;
pub mod lint;
pub mod preconnect;
pub mod release;
pub mod remote_ssh;
pub mod windows;

use std::path::Path;
use std::time::Duration;

use config::effective::{effective_as, Line};
use config::local::LocalFacts;
use config::resolve::{ConfigSource, ExecPolicy, RealFs, Resolution, Resolver};

use crate::exec::{CommandSpec, ProcessRunner, SystemRunner};

/// Why a host could not be resolved: OpenSSH's own messages, one per problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveFailure {
    /// The first problems (at most 100), then a line counting the rest.
    pub messages: Vec<String>,
    /// How many problems there were in all.
    pub total: usize,
}

impl ResolveFailure {
    fn one(message: String) -> Self {
        ResolveFailure {
            messages: vec![message],
            total: 1,
        }
    }
}

/// Resolves `host` as `ssh -G` would (with `-F config` when given).
/// `allow_exec` lets `Match exec` run its command, as ssh would.
pub fn resolve_host(
    config: Option<&Path>,
    host: &str,
    allow_exec: bool,
) -> Result<(Resolution, Vec<Line>), ResolveFailure> {
    resolve_host_for(
        config,
        host,
        allow_exec,
        config::resolve::modelled_version(),
        release::listing::Listing::legacy(),
    )
}

/// [`resolve_host`] accepting the keywords and `Match` criteria of
/// `version`, printed as `listing`'s release prints them.
pub fn resolve_host_for(
    config: Option<&Path>,
    host: &str,
    allow_exec: bool,
    version: release::SshVersion,
    listing: release::listing::Listing,
) -> Result<(Resolution, Vec<Line>), ResolveFailure> {
    let local = LocalFacts::current();
    let sources = match config {
        Some(path) => vec![ConfigSource::explicit(path)],
        None => ConfigSource::defaults(&local.home),
    };
    let run = |command: &str| match_exec(command);
    let policy = if allow_exec {
        ExecPolicy::Allow(&run)
    } else {
        ExecPolicy::Deny
    };
    let resolution = Resolver::new(&RealFs, &local, policy)
        .with_version(version)
        .with_interfaces(crate::platform::net::interface_addresses())
        .with_env(&process_env)
        .resolve_sources(&sources, host);
    if !resolution.errors.is_empty() {
        let messages = resolution
            .errors
            .iter()
            .map(|e| match e.origin {
                Some(origin) => format!(
                    "{} line {}: {}",
                    resolution.origin_path(origin).display(),
                    origin.line + 1,
                    e.message
                ),
                None => e.message.clone(),
            })
            .collect();
        return Err(capped(messages));
    }
    let env = |name: &str| std::env::var(name).ok();
    let lines = effective_as(&resolution, &local, &env, listing).map_err(ResolveFailure::one)?;
    Ok((resolution, lines))
}

/// At most this many errors of one resolution are printed (a binary file
/// read as a config has one per line); one more line counts the rest.
const MAX_PRINTED_ERRORS: usize = 100;

fn capped(mut messages: Vec<String>) -> ResolveFailure {
    let total = messages.len();
    if total > MAX_PRINTED_ERRORS {
        messages.truncate(MAX_PRINTED_ERRORS);
        messages.push(format!(
            "... and {} more errors not shown",
            total - MAX_PRINTED_ERRORS
        ));
    }
    ResolveFailure { messages, total }
}

/// Runs a `Match exec` command the way ssh does: through the user's shell,
/// success when it exits 0. The command is the user's own config text, so a
/// shell is what it is written for.
pub fn match_exec(command: &str) -> Result<bool, String> {
    let shell = std::env::var("SHELL")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| String::from("/bin/sh"));
    let spec = CommandSpec::new(shell)
        .arg("-c")
        .arg(command)
        .timeout(Duration::from_secs(30));
    match SystemRunner.run_blocking(spec) {
        Ok(out) => Ok(out.code == Some(0)),
        Err(e) => Err(e.to_string()),
    }
}

/// The `${VAR}`s ssh expands while it reads a config, from this process's
/// environment: the CLI's is the shell's, the sidecar's the editor's, which
/// is also what Remote-SSH runs ssh with.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The user's default config file: ~/.ssh/config of the passwd home.
pub fn default_config_path() -> std::path::PathBuf {
    LocalFacts::current().home.join(".ssh").join("config")
}

/// Reads `config` (default ~/.ssh/config) and the files it includes.
fn load_config<'a>(
    config: Option<&Path>,
    local: &'a LocalFacts,
    allow_exec: bool,
    platform: config::platform::Platform,
) -> Result<(std::path::PathBuf, lint::LintContext<'a>), String> {
    let path = config
        .map(Path::to_path_buf)
        .unwrap_or_else(default_config_path);
    let ctx = lint::LintContext::load_on(&path, &RealFs, local, allow_exec, platform)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok((path, ctx))
}

/// Lints `config` (default ~/.ssh/config) and the files it includes.
pub fn lint_config(
    config: Option<&Path>,
    allow_exec: bool,
) -> Result<(std::path::PathBuf, Vec<crate::finding::Finding>), String> {
    let modelled = release::which::Choice::of_version(config::resolve::modelled_version());
    lint_config_for(config, allow_exec, &modelled)
}

/// [`lint_config`] by the rules of the ssh `ssh` (see [`release::which`]).
///
/// For a command that exits after one lint: the run's resolutions and
/// parsed files are left for the process's exit to reclaim, not freed one
/// by one (for thousands of hosts that costs more than some rules).
pub fn lint_config_for(
    config: Option<&Path>,
    allow_exec: bool,
    ssh: &release::which::Choice,
) -> Result<(std::path::PathBuf, Vec<crate::finding::Finding>), String> {
    let local = LocalFacts::current();
    let platform = config::platform::Platform::of(ssh.semantics.flavour);
    let (path, ctx) = load_config(config, &local, allow_exec, platform)?;
    let mut ctx = ctx.with_ssh(ssh.clone()).with_env(&process_env);
    if allow_exec {
        ctx = ctx.with_exec(&match_exec);
    }
    let findings = lint::lint(&ctx);
    std::mem::forget(ctx);
    Ok((path, findings))
}

/// Lints `config` and plans its safe fixes against the files on disk.
/// The texts edited are the very texts linted, so a later change on disk
/// makes the write refuse rather than apply edits to the wrong bytes.
pub fn plan_fixes(config: Option<&Path>) -> Result<(std::path::PathBuf, fix::FixPlan), String> {
    let local = LocalFacts::current();
    let (path, ctx) = load_config(config, &local, false, config::platform::Platform::current())?;
    let findings = lint::lint(&ctx);
    let read = |p: &Path| ctx.file(p).filter(|f| f.utf8).map(|f| f.text.clone());
    Ok((path, fix::plan(&findings, &read)))
}

/// Where a config first names a host literally: its `Host` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostLine {
    pub host: String,
    pub file: std::path::PathBuf,
    /// 0-based line of the `Host` line.
    pub line: usize,
    /// UTF-16 columns of the alias on that line (start, end).
    pub columns: (u32, u32),
}

/// Every host `config` (default ~/.ssh/config) names literally, across the
/// files it includes, with the `Host` line that first names it. A missing
/// default config names no host; a missing explicit one is an error.
pub fn host_lines(config: Option<&Path>) -> Result<(std::path::PathBuf, Vec<HostLine>), String> {
    let local = LocalFacts::current();
    let path = config
        .map(Path::to_path_buf)
        .unwrap_or_else(default_config_path);
    let ctx = match lint::LintContext::load(&path, &RealFs, &local, false) {
        Ok(ctx) => ctx,
        Err(e) if config.is_none() && e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((path, Vec::new()))
        }
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    Ok((path, host_lines_in(&ctx.files)))
}

/// [`host_lines`] over parsed files (the main one first).
pub fn host_lines_in(files: &[std::sync::Arc<config::source::SourceFile>]) -> Vec<HostLine> {
    let mut found: Vec<HostLine> = Vec::new();
    for file in files {
        for block in config::blocks::blocks(file).iter() {
            let Some(line) = block.header_line else {
                continue;
            };
            let Some(directive) = config::blocks::directive(file, line) else {
                continue;
            };
            let text = file.lines.get(line).map_or("", |l| file.line_text(l));
            for alias in block.literal_hosts() {
                if found.iter().any(|h| h.host == alias) {
                    continue;
                }
                let span = directive
                    .args
                    .iter()
                    .find(|a| a.value == alias)
                    .map_or(0..text.len(), |a| a.span.clone());
                found.push(HostLine {
                    host: alias.to_string(),
                    file: file.path.clone(),
                    line,
                    columns: (
                        crate::text::utf16_column(text, span.start),
                        crate::text::utf16_column(text, span.end),
                    ),
                });
            }
        }
    }
    found
}

/// One host of [`resolve_all`]: its name and its `ssh -G` lines, or why not.
pub type HostResolution = (String, HostResult);

/// A host's `ssh -G` lines, or why it could not be resolved.
pub type HostResult = Result<Vec<Line>, ResolveFailure>;

/// Every host a config names literally (`Host` patterns without wildcards or
/// `!`), across the files it includes, in order of first appearance, each
/// resolved as `ssh -G` would. One run shares the parsed files.
pub fn resolve_all(config: Option<&Path>) -> Result<Vec<HostResolution>, String> {
    resolve_all_for(
        config,
        config::resolve::modelled_version(),
        release::listing::Listing::legacy(),
    )
}

/// [`resolve_all`] accepting the keywords and `Match` criteria of `version`.
pub fn resolve_all_for(
    config: Option<&Path>,
    version: release::SshVersion,
    listing: release::listing::Listing,
) -> Result<Vec<HostResolution>, String> {
    let mut out = Vec::new();
    resolve_each_for(config, version, listing, &mut |host, result| {
        out.push((host.to_string(), result));
    })?;
    Ok(out)
}

/// [`resolve_all_for`] handing each host to `each` as soon as it is
/// resolved, so a caller that prints them holds one host's lines at a time.
pub fn resolve_each_for(
    config: Option<&Path>,
    version: release::SshVersion,
    listing: release::listing::Listing,
    each: &mut dyn FnMut(&str, HostResult),
) -> Result<(), String> {
    let local = LocalFacts::current();
    let platform = config::platform::Platform::of(version.flavour);
    let (_, ctx) = load_config(config, &local, false, platform)?;
    let ctx = ctx
        .with_ssh(release::which::Choice::of_version(version))
        .with_env(&process_env);
    let mut hosts: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for file in &ctx.files {
        for block in config::blocks::blocks(file).iter() {
            for alias in block.literal_hosts() {
                if seen.insert(alias.to_string()) {
                    hosts.push(alias.to_string());
                }
            }
        }
    }
    let env = |name: &str| std::env::var(name).ok();
    for host in &hosts {
        let resolution = ctx.resolve(host);
        let result = if resolution.errors.is_empty() {
            effective_as(&resolution, &local, &env, listing).map_err(ResolveFailure::one)
        } else {
            Err(capped(
                resolution
                    .errors
                    .iter()
                    .map(|e| e.message.clone())
                    .collect(),
            ))
        };
        each(host, result);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use config::source::SourceFile;
    use std::sync::Arc;

    #[test]
    fn host_lines_name_each_literal_alias_at_its_first_host_line() {
        let main = SourceFile::parse(
            "/c".into(),
            "User me\nHost web db\n  Port 2\nHost *.lan !x\nHost web\nMatch all\n",
        );
        let included = SourceFile::parse("/inc".into(), "# included\n  Host  café\n");
        let lines = host_lines_in(&[Arc::new(main), Arc::new(included)]);
        let brief: Vec<(&str, &str, usize, (u32, u32))> = lines
            .iter()
            .map(|h| (h.host.as_str(), h.file.to_str().unwrap(), h.line, h.columns))
            .collect();
        assert_eq!(
            brief,
            [
                ("web", "/c", 1, (5, 8)),
                ("db", "/c", 1, (9, 11)),
                ("café", "/inc", 1, (8, 12)),
            ]
        );
    }

    #[test]
    fn a_missing_explicit_config_is_an_error() {
        let error = host_lines(Some(Path::new("/nonexistent/gord/config"))).unwrap_err();
        assert!(
            error.contains("cannot read /nonexistent/gord/config"),
            "{error}"
        );
    }
}
