//! The `gord` command line: the command tree, and one module per command
//! that turns its arguments into a library call, writes the report and says
//! how the run ended ([`exit::Exit`]).

mod attach;
mod check;
mod debug;
pub mod exit;
mod lint;
mod output;
mod preload;
mod procs;
mod progress;
mod remote;
mod serve;
mod ssh;

use clap::{Parser, Subcommand};

use exit::CliResult;

#[derive(Parser)]
#[command(
    name = "gord",
    version,
    about = "Go Remote Doctor: finds what stops Go development on a remote machine, and says how to fix it",
    long_about = "Go Remote Doctor checks the Go toolchain and tools a remote Go developer depends on, and says \
                  what is wrong and how to fix it. `gord check` prints a report; `gord serve` is the language \
                  server the VS Code extension starts.",
    after_help = "Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 gord itself failed.\n\
                  Logs go to stderr; set GORD_LOG or RUST_LOG (e.g. GORD_LOG=debug) for more."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run every health check and print the report.
    Check(check::CheckArgs),
    /// Run the language server on stdin/stdout (started by the VS Code extension).
    Serve,
    /// SSH config tools.
    #[command(subcommand)]
    Ssh(ssh::SshCommand),
    /// Remote host doctor: probe SSH hosts and check they are ready for
    /// Remote-SSH and Go.
    #[command(subcommand)]
    Remote(remote::RemoteCommand),
    /// Lint Go packages with golangci-lint (go vet when it is not installed):
    /// exact positions, suggested fixes, text, JSON or SARIF.
    Lint(lint::LintArgs),
    /// List the processes you could debug, with what their executables say.
    Procs(procs::ProcsArgs),
    /// Check that a process can be debugged, start dlv on loopback attached to it
    /// and print the debug configuration; Ctrl-C, SIGTERM or closing stdin
    /// detaches and leaves the process running.
    Attach(attach::AttachArgs),
    /// Debugging helpers.
    #[command(subcommand)]
    Debug(debug::DebugCommand),
    /// Warm the caches for a workspace: download its modules, fill the build
    /// cache, run gopls once, then prove it builds offline (GOPROXY=off).
    Preload(preload::PreloadArgs),
}

impl Command {
    /// The log filter when GORD_LOG and RUST_LOG say nothing: the language
    /// server logs what it does, a command only its warnings.
    pub fn log_filter(&self) -> &'static str {
        match self {
            Command::Serve => "info",
            _ => "warn",
        }
    }
}

/// Why `gord procs` needs Linux.
const PROC_NEEDS: &str = "reads /proc";
/// Why `gord attach` needs Linux.
const ATTACH_NEEDS: &str = "reads /proc and attaches with ptrace";

/// Runs `command`; logging is already set up (`log` changes its level).
pub fn dispatch(command: Command, log: gord::logging::LogLevel) -> CliResult {
    match command {
        Command::Check(args) => check::run(args),
        Command::Serve => serve::run(log),
        Command::Ssh(command) => ssh::run(command),
        Command::Remote(command) => remote::run(command),
        Command::Lint(args) => lint::run(args),
        Command::Procs(args) => {
            gord::platform::linux_only("gord procs", PROC_NEEDS)?;
            procs::run(args)
        }
        Command::Attach(args) => {
            gord::platform::linux_only("gord attach", ATTACH_NEEDS)?;
            attach::run(args)
        }
        Command::Debug(command) => debug::run(command),
        Command::Preload(args) => preload::run(args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_tree_is_consistent_with_every_per_command_default() {
        // Panics on a mut_arg naming no argument, a bad default, a clash.
        Cli::command().debug_assert();
    }

    #[test]
    fn fail_on_defaults_keep_each_commands_documented_exit_codes() {
        let default_of = |args: &[&str]| {
            let mut cmd = Cli::command();
            let mut sub = &mut cmd;
            for name in args {
                sub = sub.find_subcommand_mut(name).expect("a subcommand");
            }
            let arg = sub.get_arguments().find(|a| a.get_id() == "fail_on");
            arg.and_then(|a| a.get_default_values().first().cloned())
                .map(|v| v.to_string_lossy().into_owned())
        };
        let defaults = [
            (&["check"][..], "warning"),
            (&["ssh", "lint"], "warning"),
            (&["remote", "check"], "warning"),
            (&["lint"], "info"),
            (&["procs"], "never"),
            (&["attach"], "error"),
            (&["debug", "core"], "error"),
            (&["preload"], "warning"),
        ];
        for (command, expected) in defaults {
            assert_eq!(
                default_of(command).as_deref(),
                Some(expected),
                "{command:?}"
            );
        }
    }
}
