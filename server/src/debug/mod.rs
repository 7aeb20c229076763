//! Debugging running Go programs and core dumps with Delve.
//!
//! - [`discover`] lists processes from /proc and reads each executable's ELF
//!   ([`elf`]) for Go build info, DWARF and build IDs ([`buildinfo`]).
//! - [`preflight`] is a pure function from [`preflight::Facts`] to DBG findings:
//!   everything that would make `dlv attach` fail, with Delve's own error text.
//! - [`launch`] starts a dlv server on loopback and stops it by detaching, so
//!   the target keeps running; [`config`] gives the editor its configuration.
//! - [`core`] checks that a core dump belongs to a binary.
//!
//! The functions below are what the CLI (and later the LSP) call.

pub mod buildinfo;
pub mod client;
pub mod config;
pub mod core;
pub mod discover;
pub mod dlv;
pub mod elf;
pub mod launch;
pub mod preflight;
pub mod procfs;
pub mod sessions;
pub mod systemd;

use std::path::Path;

use serde::Serialize;

use discover::{DiscoverError, Discovery, ProcessInfo, SelfFacts};
use dlv::DlvFacts;
use preflight::{Facts, Preflight};

/// One row of `gord procs`: the process and its preflight verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProcessEntry {
    #[serde(flatten)]
    pub process: ProcessInfo,
    pub preflight: Preflight,
    /// Whether the Go build is optimised (None: not a Go program): the
    /// table's OPTIMISED column, kept here so JSON carries it too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optimised: Option<bool>,
    /// The table's VERDICT column: `ok`, `ok (CODE title)` or the blocking
    /// finding's `CODE title`.
    pub verdict: String,
}

impl ProcessEntry {
    pub fn new(process: ProcessInfo, preflight: Preflight) -> ProcessEntry {
        let optimised = process
            .binary
            .as_ref()
            .and_then(|b| b.go.as_ref())
            .map(|g| g.optimised());
        let verdict = preflight.verdict();
        ProcessEntry {
            process,
            preflight,
            optimised,
            verdict,
        }
    }
}

/// The result of `gord procs` / `gord/procs`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProcessList {
    pub me: SelfFacts,
    pub dlv: DlvFacts,
    pub processes: Vec<ProcessEntry>,
}

/// Lists the processes on this machine (only Go programs when `go_only`),
/// each with its preflight. `dlv` is gathered once by the caller.
pub fn list_processes(
    discovery: &mut Discovery,
    dlv: DlvFacts,
    go_only: bool,
) -> Result<ProcessList, DiscoverError> {
    let me = SelfFacts::gather(discovery.proc_root());
    let own_pid = std::process::id();
    let processes = discovery
        .list()?
        .into_iter()
        .filter(|p| p.pid != own_pid && (!go_only || p.is_go()))
        .map(|process| {
            let preflight = preflight::preflight(&Facts {
                me: me.clone(),
                target: process.clone(),
                dlv: dlv.clone(),
            });
            ProcessEntry::new(process, preflight)
        })
        .collect();
    Ok(ProcessList { me, dlv, processes })
}

/// Orders processes for a picker: Go programs first (those that can be
/// debugged before those that cannot), then the rest; newest first within each.
pub fn order_for_picking(processes: &mut [ProcessEntry]) {
    processes.sort_by_key(|e| {
        (
            !e.process.is_go(),
            e.preflight.blocked,
            std::cmp::Reverse(e.process.pid),
        )
    });
}

/// Gathers the facts about one pid and runs the preflight.
pub fn preflight_pid(
    discovery: &mut Discovery,
    dlv: DlvFacts,
    pid: u32,
) -> Result<(ProcessInfo, Preflight), DiscoverError> {
    let target = discovery.inspect(pid)?;
    let me = SelfFacts::gather(discovery.proc_root());
    let result = preflight::preflight(&Facts {
        me,
        target: target.clone(),
        dlv,
    });
    Ok((target, result))
}

/// The source directory of a process, when its working directory holds the
/// go.mod of its main module (used for `substitutePath` with `-trimpath`).
pub fn source_dir_of(proc_root: &Path, process: &ProcessInfo) -> Option<std::path::PathBuf> {
    let module = process.binary.as_ref()?.go.as_ref()?.main_module.as_ref()?;
    let cwd = std::fs::read_link(proc_root.join(process.pid.to_string()).join("cwd")).ok()?;
    let gomod =
        crate::fsread::read_to_string(&cwd.join("go.mod"), crate::fsread::Kind::GoModule).ok()?;
    let declared = gomod
        .lines()
        .find_map(|l| l.trim().strip_prefix("module "))?
        .trim()
        .trim_matches('"');
    (declared == module.path).then_some(cwd)
}
