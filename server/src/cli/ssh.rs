//! `gord ssh lint | fix | resolve`: the SSH config tools.

use std::path::{Path, PathBuf};

use gord::ssh::release::which::Choice;

use super::exit::{CliResult, Exit};
use super::output::{write_stdout, Format, OutputArgs};

#[derive(clap::Subcommand)]
pub enum SshCommand {
    /// Check an SSH config (default ~/.ssh/config) and the files it includes.
    Lint(LintArgs),
    /// Apply the safe fixes to an SSH config: prints a diff, writes atomically,
    /// keeps a backup under $XDG_STATE_HOME/gord/backups (default
    /// ~/.local/state/gord/backups), refuses when the file changed since it
    /// was read or is read-only.
    Fix(FixArgs),
    /// Print the effective configuration for HOST, in the format of `ssh -G`.
    Resolve(ResolveArgs),
}

#[derive(clap::Args)]
#[command(mut_arg("format", |arg| super::output::writes(arg, "text (`file:line:col: severity[CODE] message`, with the fix), json or sarif (SARIF 2.1.0, for code-scanning tools)")))]
pub struct LintArgs {
    /// The config file to check (default ~/.ssh/config).
    #[arg(long, short = 'F', value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Evaluate `Match exec` blocks (off: they are reported as not evaluated).
    #[arg(long)]
    allow_exec: bool,
    #[command(flatten)]
    ssh: SshArgs,
}

/// Which ssh's rules to follow.
#[derive(clap::Args)]
pub struct SshArgs {
    /// The ssh whose release's rules to follow (its `-V` is read); default:
    /// ssh on PATH.
    #[arg(long = "ssh", value_name = "PROGRAM")]
    program: Option<String>,
    /// Follow this OpenSSH release without running anything: 10.5p1,
    /// 9.2p1-debian, 9.9p2-apple, 9.5p1-windows (8.7p1 to 10.5p1 known).
    #[arg(long, value_name = "VERSION", value_parser = parse_ssh_version)]
    ssh_version: Option<gord::ssh::release::SshVersion>,
}

fn parse_ssh_version(text: &str) -> Result<gord::ssh::release::SshVersion, String> {
    gord::ssh::release::parse_version_argument(text).map_err(|e| e.to_string())
}

impl SshArgs {
    fn choose(&self) -> gord::ssh::release::which::Choice {
        use gord::ssh::release::which::{choose, Request, Source};
        choose(&Request {
            version: self.ssh_version,
            program: self.program.clone().map(|p| (p, Source::Cli)),
        })
    }
}

#[derive(clap::Args)]
pub struct FixArgs {
    /// The config file to fix (default ~/.ssh/config).
    #[arg(long, short = 'F', value_name = "FILE")]
    config: Option<PathBuf>,
    /// Show the diff, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Replace read-only files too (their mode is kept).
    #[arg(long)]
    force: bool,
}

#[derive(clap::Args)]
pub struct ResolveArgs {
    /// The host, as you would type it after `ssh` (`user@host` too).
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    host: Option<String>,
    /// Resolve every host the config names (literal Host patterns), one
    /// `ssh -G` listing after another.
    #[arg(long)]
    all: bool,
    /// Read this file instead of ~/.ssh/config and /etc/ssh/ssh_config (like `ssh -F`).
    #[arg(long, short = 'F', value_name = "FILE")]
    config: Option<PathBuf>,
    /// Run `Match exec` commands, as ssh would. Off by default: a config's
    /// commands run only when you allow them.
    #[arg(long)]
    allow_exec: bool,
    #[command(flatten)]
    ssh: SshArgs,
}

pub fn run(command: SshCommand) -> CliResult {
    match command {
        SshCommand::Lint(args) => lint(args),
        SshCommand::Fix(args) => fix(args.config.as_deref(), args.dry_run, args.force),
        SshCommand::Resolve(ResolveArgs {
            all: true,
            config,
            ssh,
            ..
        }) => resolve_all(config.as_deref(), &ssh),
        SshCommand::Resolve(ResolveArgs {
            host: Some(host),
            config,
            allow_exec,
            ssh,
            ..
        }) => resolve(&host, config.as_deref(), allow_exec, &ssh),
        SshCommand::Resolve(ResolveArgs { host: None, .. }) => {
            Err(super::exit::Usage("name a HOST or pass --all".into()).into())
        }
    }
}

fn lint(args: LintArgs) -> CliResult {
    use gord::ssh::lint::output;
    type Render = fn(&Path, &[gord::finding::Finding], bool, &Choice) -> String;
    let render: Render = match args.output.format {
        Format::Text => |_, findings, colour, ssh| {
            format!(
                "{}rules of: {}\n",
                output::render_text(findings, colour),
                ssh.summary()
            )
        },
        Format::Json => {
            |path, findings, _, ssh| output::render_json_for(path, findings, ssh) + "\n"
        }
        Format::Sarif => |_, findings, _, ssh| {
            output::render_sarif_for(findings, gord::docs::docs_root().as_deref(), ssh) + "\n"
        },
        Format::Markdown => {
            let writes = [Format::Text, Format::Json, Format::Sarif];
            return Err(args.output.unwritten("gord ssh lint", &writes));
        }
    };
    let ssh = args.ssh.choose();
    let (path, findings) =
        gord::ssh::lint_config_for(args.config.as_deref(), args.allow_exec, &ssh)
            .map_err(anyhow::Error::msg)?;
    write_stdout(&render(&path, &findings, args.output.colour(), &ssh))?;
    Ok(Exit::for_findings(
        findings.iter().map(|f| f.severity),
        args.output.fail_on,
    ))
}

/// The ssh to follow; when gord cannot follow it as it is, why (stderr).
fn followed(args: &SshArgs) -> Choice {
    let ssh = args.choose();
    if let Some((note, _)) = ssh.note() {
        gord::say!("gord: {note}");
    }
    ssh
}

fn resolve(host: &str, config: Option<&Path>, allow_exec: bool, ssh: &SshArgs) -> CliResult {
    let ssh = followed(ssh);
    match gord::ssh::resolve_host_for(config, host, allow_exec, ssh.semantics, ssh.listing()) {
        Ok((_, lines)) => {
            write_stdout(&gord::render::escape::text(
                &gord::ssh::config::effective::render_ssh_g(&lines),
            ))?;
            Ok(Exit::Clean)
        }
        Err(failure) => {
            for message in &failure.messages {
                gord::say!("gord: {message}");
            }
            gord::say!(
                "gord: cannot resolve {host}: {} problem(s) in the configuration",
                failure.total
            );
            Ok(Exit::Failed)
        }
    }
}

/// `resolve --all` writes its output a block of this size at a time: a
/// config of thousands of hosts prints megabytes, which need not be held.
const RESOLVE_ALL_BLOCK: usize = 64 * 1024;

fn resolve_all(config: Option<&Path>, ssh: &SshArgs) -> CliResult {
    let ssh = followed(ssh);
    let mut out = String::with_capacity(RESOLVE_ALL_BLOCK + 16 * 1024);
    let mut failed = 0;
    let mut written = Ok(());
    gord::ssh::resolve_each_for(config, ssh.semantics, ssh.listing(), &mut |host, result| {
        match result {
            Ok(lines) => {
                gord::ssh::config::effective::render_ssh_g_escaped_into(&mut out, &lines);
                out.push('\n');
                if out.len() >= RESOLVE_ALL_BLOCK {
                    // After a failed write the rest is not written; the
                    // error is returned once every host is resolved.
                    if written.is_ok() {
                        written = write_stdout(&out);
                    }
                    out.clear();
                }
            }
            Err(failure) => {
                failed += 1;
                gord::say!(
                    "gord: cannot resolve {host}: {}",
                    failure.messages.join("; ")
                );
            }
        }
    })
    .map_err(anyhow::Error::msg)?;
    written?;
    write_stdout(&out)?;
    Ok(if failed > 0 {
        Exit::Failed
    } else {
        Exit::Clean
    })
}

fn fix(config: Option<&Path>, dry_run: bool, force: bool) -> CliResult {
    let (path, plan) = gord::ssh::plan_fixes(config).map_err(anyhow::Error::msg)?;
    let mut out = String::new();
    for file in &plan.files {
        out.push_str(&gord::edit::unified_diff(
            &file.path,
            &file.original,
            &file.new,
        ));
    }
    for file in &plan.files {
        for applied in &file.applied {
            out.push_str(&format!("fixed: {applied}\n"));
        }
    }
    for deferred in &plan.deferred {
        out.push_str(&format!(
            "next run: {deferred} (overlaps a fix applied now)\n"
        ));
    }
    for manual in &plan.manual {
        out.push_str(&format!("not automatic: {manual}\n"));
    }
    if plan.files.is_empty() {
        out.push_str(&format!("{}: no safe fix to apply\n", path.display()));
    }
    // The diff quotes config lines: secrets and escape sequences in them are
    // shown redacted and escaped (the file gets the real text).
    let out = gord::render::escape::text(&gord::redact::secrets(&out)).into_owned();
    write_stdout(&out)?;
    if dry_run {
        return Ok(Exit::Clean);
    }
    let options = gord::edit::WriteOptions::new(force).map_err(anyhow::Error::new)?;
    let (done, failure) = match gord::ssh::fix::write(&plan, &options) {
        Ok(done) => (done, None),
        Err((done, e)) => (done, Some(e)),
    };
    for outcome in &done {
        gord::say!("gord: {}", gord::ssh::fix::wrote_message(outcome));
    }
    match failure {
        Some(e) => Err(anyhow::anyhow!(e)),
        None => Ok(Exit::Clean),
    }
}
