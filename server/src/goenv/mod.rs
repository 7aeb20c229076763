//! The Go toolchain and tools on this machine: where they are, which versions,
//! and whether they fit together and with the workspace.

mod cgo;
mod checks;
pub mod env;
pub mod golangci_config;
pub mod gomod;
pub mod install;
pub mod probe;
pub mod tools;
pub mod version;
pub mod vscode;

pub use checks::catalogue;
pub use probe::GoProbe;
