//! The `gord` command line: parse the arguments, set up logging once, run the
//! command (server/src/cli/), map how it ended to the exit code (0 clean, 1
//! findings at or above --fail-on, 2 gord itself failed).

use std::process::ExitCode;

use clap::Parser;

mod alloc;
mod cli;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let log = gord::logging::init(cli.command.log_filter());
    let exit = cli::dispatch(cli.command, log).unwrap_or_else(|error| cli::exit::report(&error));
    exit.into()
}
