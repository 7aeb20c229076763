//! Every integration test of gord, in one test binary: one link instead of
//! one per file, and one run. Each module is what used to be its own test
//! target (`cargo test -p gord --test integration ssh_cli::` runs one);
//! `common` and `rig` are their shared helpers.

mod common;
mod rig;

mod attach_lsp;
mod cli;
mod cli_snapshots;
mod debug_cli;
mod devcontainer;
mod golangci_config;
mod hostile;
mod install_fix;
mod lint_cli;
mod lint_edges;
mod lint_lsp;
mod lsp_stdio;
mod parts;
mod platforms;
mod preload;
mod protocol_doc;
mod remote_cli;
mod remote_lsp;
mod remote_ssh_settings;
mod sarif_schema;
mod ssh_cli;
mod ssh_difffuzz;
mod ssh_edit_lsp;
mod ssh_parity;
mod ssh_release_cli;
mod ssh_release_parity;
mod ssh_windows_cli;
mod vscode_settings;
