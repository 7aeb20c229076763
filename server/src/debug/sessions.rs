//! A record of each dlv server gord runs, so that one a dead gord left
//! behind is found and detached at the next start.
//!
//! dlv gets SIGINT when gord dies (see `crate::lifeline`), and a headless
//! Delve then detaches by itself. This record covers the rest: a dlv that
//! was stopped, hung, or started before that signal was set. One small JSON
//! file per session, mode 0600, in a 0700 directory:
//! `$GORD_STATE_DIR/dlv-sessions`, else `$XDG_STATE_HOME/gord/dlv-sessions`,
//! else `~/.local/state/gord/dlv-sessions`. A session whose owner is dead is
//! ended as gord ends its own: halt if running, `RPCServer.Detach` with
//! `Kill: false`, then dlv is stopped (never killed with the target traced).

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::launch::ServerKind;
use super::procfs::parse_stat;

/// One running dlv server and who started it. Pids come with their start
/// times (clock ticks after boot), so a reused pid is never mistaken for
/// the process recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRecord {
    pub dlv_pid: u32,
    pub dlv_start: u64,
    pub addr: SocketAddr,
    pub kind: ServerKind,
    pub target_pid: u32,
    pub owner_pid: u32,
    pub owner_start: u64,
}

/// What the start-up sweep did with one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovered {
    /// dlv had already gone; the record was removed.
    Gone(SessionRecord),
    /// dlv was detached from its target and stopped.
    Detached(SessionRecord),
    /// Detach failed (the problem given); dlv was stopped with SIGINT, on
    /// which Delve detaches too.
    Interrupted(SessionRecord, String),
}

/// Records bigger than this are not gord's and are left alone.
const MAX_RECORD_BYTES: u64 = 4096;

/// The directory of session records (not created here).
pub fn sessions_dir() -> Option<PathBuf> {
    let base = std::env::var_os("GORD_STATE_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("XDG_STATE_HOME")
                .filter(|v| !v.is_empty())
                .map(|d| PathBuf::from(d).join("gord"))
        })
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".local/state/gord"))
        })?;
    Some(base.join("dlv-sessions"))
}

/// A process's start time, if it runs (zombies count as gone).
pub fn start_ticks(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let stat = parse_stat(&text)?;
    (stat.state != 'Z').then_some(stat.start_ticks)
}

fn alive(pid: u32, start: u64) -> bool {
    start_ticks(pid) == Some(start)
}

/// Writes the record for a dlv this process just started; its path, for
/// [`forget`]. Failures are logged: a session is not refused for want of
/// a record.
pub fn remember(
    dlv_pid: u32,
    addr: SocketAddr,
    kind: ServerKind,
    target_pid: u32,
) -> Option<PathBuf> {
    let owner_pid = std::process::id();
    let record = SessionRecord {
        dlv_pid,
        dlv_start: start_ticks(dlv_pid)?,
        addr,
        kind,
        target_pid,
        owner_pid,
        owner_start: start_ticks(owner_pid)?,
    };
    let dir = sessions_dir()?;
    match write_record(&dir, &record) {
        Ok(path) => Some(path),
        Err(e) => {
            tracing::warn!(dir = %dir.display(), "cannot record the dlv session: {e}");
            None
        }
    }
}

fn write_record(dir: &Path, record: &SessionRecord) -> std::io::Result<PathBuf> {
    use crate::platform::fs as pfs;
    pfs::dirs_with_mode(std::fs::DirBuilder::new().recursive(true), 0o700).create(dir)?;
    // An existing directory keeps its mode: make sure only we can read it.
    pfs::set_mode(dir, 0o700)?;
    let path = dir.join(format!("{}.json", record.dlv_pid));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    let mut file = pfs::no_follow(pfs::create_with_mode(&mut options, 0o600)).open(&path)?;
    file.write_all(&serde_json::to_vec(record).map_err(std::io::Error::other)?)?;
    Ok(path)
}

/// Removes a record once its session ended.
pub fn forget(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// Reads one record: a regular file (not a link to one) of a sane size,
/// else None. The bounded reader checks the opened file, so a record that
/// grows after the check is still cut at the cap.
fn read_record(path: &Path) -> Option<SessionRecord> {
    if std::fs::symlink_metadata(path)
        .ok()?
        .file_type()
        .is_symlink()
    {
        return None;
    }
    let bytes =
        crate::fsread::read_capped(path, crate::fsread::Kind::Settings, MAX_RECORD_BYTES).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Finds sessions whose owner is dead and ends them properly. Run at the
/// start of `gord serve` and `gord attach`.
pub fn recover_orphans() -> Vec<Recovered> {
    let Some(dir) = sessions_dir() else {
        return Vec::new();
    };
    recover_in(&dir)
}

pub fn recover_in(dir: &Path) -> Vec<Recovered> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut done = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let Some(record) = read_record(&path) else {
            continue;
        };
        if alive(record.owner_pid, record.owner_start) {
            continue;
        }
        let outcome = end_session(record);
        match &outcome {
            Recovered::Gone(_) => {}
            Recovered::Detached(r) => tracing::info!(
                dlv = r.dlv_pid,
                target = r.target_pid,
                "detached a dlv session a previous gord left behind"
            ),
            Recovered::Interrupted(r, problem) => tracing::warn!(
                dlv = r.dlv_pid,
                target = r.target_pid,
                %problem,
                "a dlv session a previous gord left behind did not detach; dlv got SIGINT"
            ),
        }
        forget(&path);
        done.push(outcome);
    }
    done
}

fn end_session(record: SessionRecord) -> Recovered {
    if !alive(record.dlv_pid, record.dlv_start) {
        return Recovered::Gone(record);
    }
    let detached = match record.kind {
        ServerKind::Headless => super::client::rpc_detach(record.addr, Duration::from_secs(10))
            .map_err(|e| e.to_string()),
        // Delve: a dap server's SIGTERM lets an attached process continue.
        ServerKind::Dap => {
            signal(&record, crate::lifeline::ask_to_stop);
            Ok(())
        }
    };
    if detached.is_ok() && wait_gone(&record, Duration::from_secs(5)) {
        return Recovered::Detached(record);
    }
    let problem = match detached {
        Err(problem) => problem,
        Ok(()) => String::from("dlv did not exit after the detach"),
    };
    signal(&record, crate::lifeline::interrupt);
    if !wait_gone(&record, Duration::from_secs(5)) {
        // Not SIGKILL: with the target traced that would leave Delve's
        // breakpoints in it. A dlv this stuck is left for the user.
        tracing::error!(
            dlv = record.dlv_pid,
            "dlv does not exit; it is left running"
        );
    }
    Recovered::Interrupted(record, problem)
}

/// Sends the record's dlv a signal (`send`: SIGTERM or SIGINT) if it still runs.
fn signal(record: &SessionRecord, send: fn(u32) -> bool) {
    if alive(record.dlv_pid, record.dlv_start) {
        send(record.dlv_pid);
    }
}

fn wait_gone(record: &SessionRecord, timeout: Duration) -> bool {
    let started = Instant::now();
    while alive(record.dlv_pid, record.dlv_start) {
        if started.elapsed() >= timeout {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(owner_pid: u32, owner_start: u64) -> SessionRecord {
        SessionRecord {
            dlv_pid: 999_999,
            dlv_start: 1,
            addr: "127.0.0.1:1".parse().unwrap(),
            kind: ServerKind::Headless,
            target_pid: 1,
            owner_pid,
            owner_start,
        }
    }

    #[test]
    fn records_are_private_and_a_dead_owners_gone_dlv_is_forgotten() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let sessions = dir.path().join("state/dlv-sessions");
        let me = std::process::id();
        let live = record(me, start_ticks(me).unwrap());
        let path = write_record(&sessions, &live).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(&sessions), mode(&path)), (0o700, 0o600));
        assert_eq!(read_record(&path), Some(live.clone()));
        // The owner (this test) lives: the record stays.
        assert!(recover_in(&sessions).is_empty());
        assert!(path.exists());
        // A dead owner (a start time that is not ours) and a gone dlv.
        let orphan = SessionRecord {
            dlv_pid: 999_998,
            ..record(me, 0)
        };
        let orphan_path = write_record(&sessions, &orphan).unwrap();
        assert_eq!(recover_in(&sessions), vec![Recovered::Gone(orphan)]);
        assert!(!orphan_path.exists() && path.exists());
    }

    #[test]
    fn oversized_or_odd_records_are_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("1.json"), vec![b' '; 5000]).unwrap();
        std::fs::write(dir.path().join("2.json"), b"not json").unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("3.json")).unwrap();
        assert!(recover_in(dir.path()).is_empty());
    }
}
