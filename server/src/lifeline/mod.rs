//! Children die with gord, and gord picks which toolchain they run.
//!
//! Every child's whole tree (the child and all its descendants) is one
//! [`ProcessTree`], killed on timeout or cancellation and when gord dies:
//!
//! - Linux: the child leads a session of its own and gets a parent-death
//!   signal (`PR_SET_PDEATHSIG`), set between fork and exec, so a SIGKILL
//!   or OOM kill of gord still ends it; a guardian ([`unix`]) SIGKILLs the
//!   listed sessions when gord dies. The kernel sends the death signal when
//!   the *thread* that forked the child exits, not the process; tokio's
//!   blocking threads exit after 10 s idle, so every fork happens on one
//!   spawner thread that lives as long as the process ([`spawn_on_lifeline`]).
//! - macOS: the same sessions and guardian; there is no parent-death signal,
//!   so the guardian alone ends the children when gord dies.
//! - Windows: no sessions or signals. Each child is put in a Job Object that
//!   kills every process in it when its last handle closes ([`windows`]);
//!   gord holds the only handle, so the tree dies with gord.
//!
//! The toolchain rule ([`toolchain_override`]): a go.mod `toolchain` line
//! must not make gord download and run another Go, so every child gets
//! `GOTOOLCHAIN=local` unless the user chose a fixed toolchain or opted in
//! to switching.

use std::ffi::OsStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, sync_channel, Sender};
use std::sync::{Arc, Mutex, OnceLock};

#[cfg(unix)]
pub mod unix;
#[cfg(unix)]
use unix as platform;
#[cfg(windows)]
pub mod windows;
#[cfg(windows)]
use windows as platform;

/// Which signal a child gets when gord dies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeathSignal {
    /// Most children: nothing to clean up, so end them at once.
    Kill,
    /// dlv: a headless Delve detaches from an attached target on SIGINT
    /// (removing its breakpoints, the target keeps running). SIGKILL would
    /// leave breakpoint instructions in the target, which then dies of
    /// SIGTRAP at the next hit. (Windows has no SIGINT: there dlv's job
    /// is killed like any other.)
    Interrupt,
}

/// Prepares `command` so its child gets a tree of its own and `death` when
/// gord dies (Unix: a session and the parent-death signal; Windows: no
/// console window, the job comes with [`ProcessTree::adopt`]).
pub fn set_death_signal(command: &mut std::process::Command, death: DeathSignal) {
    platform::prepare(command, death);
}

/// A started child's whole tree: the child and every descendant (Unix: its
/// session; Windows: its Job Object). Kill it with [`ProcessTree::kill`];
/// [`ProcessTree::release`] it when the child exited normally. Dropping it
/// does neither (on Windows the job is released).
#[derive(Debug)]
pub struct ProcessTree(platform::Tree);

impl ProcessTree {
    /// Takes charge of the tree of the child `pid` (which the caller has
    /// not reaped yet, so the id is still its own). Every child started from
    /// a command [`set_death_signal`] prepared must come here: on Windows it
    /// was created suspended and runs only once it is in its job. With [`DeathSignal::Kill`]
    /// the tree also dies when gord dies. None if the id does not fit or
    /// (Windows) the job could not be made.
    pub fn adopt(pid: u32, death: DeathSignal) -> Option<Self> {
        platform::Tree::adopt(pid, death).map(ProcessTree)
    }

    /// Kills the whole tree now.
    pub fn kill(self) {
        self.0.kill();
    }

    /// The child exited normally: forget the tree without killing it (its id
    /// may be reused from now on).
    pub fn release(self) {
        self.0.release();
    }
}

/// Asks the child `pid` (not yet reaped) to stop: SIGTERM on Unix. False
/// where there is no such request (Windows): the caller kills at once.
pub fn ask_to_stop(pid: u32) -> bool {
    platform::ask_to_stop(pid)
}

/// SIGINT to `pid` (dlv detaches on it). False where there is no such
/// signal (Windows).
pub fn interrupt(pid: u32) -> bool {
    platform::interrupt(pid)
}

type Job = Box<dyn FnOnce() + Send>;

/// The spawner thread's queue; the thread lives as long as the process.
fn spawner() -> Option<&'static Sender<Job>> {
    static SPAWNER: OnceLock<Option<Sender<Job>>> = OnceLock::new();
    SPAWNER
        .get_or_init(|| {
            let (sender, jobs) = channel::<Job>();
            let started = std::thread::Builder::new()
                .name("gord-spawner".into())
                .spawn(move || {
                    for job in jobs {
                        job();
                    }
                });
            match started {
                Ok(_) => Some(sender),
                Err(e) => {
                    tracing::warn!("cannot start the spawner thread: {e}");
                    None
                }
            }
        })
        .as_ref()
}

/// Runs `spawn` (a fork) on the spawner thread and returns its result, so
/// the parent-death signal is tied to a thread that never exits. Runs it on
/// the calling thread only if the spawner thread could not be started.
pub fn spawn_on_lifeline<T, F>(spawn: F) -> std::io::Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> std::io::Result<T> + Send + 'static,
{
    // The closure waits in a slot both threads can reach, so it comes back
    // if the job is never run.
    let slot = Arc::new(Mutex::new(Some(spawn)));
    let Some(spawner) = spawner() else {
        return take(&slot).map_or_else(|| Err(gone()), |spawn| spawn());
    };
    let theirs = Arc::clone(&slot);
    let (result_tx, result_rx) = sync_channel(1);
    let job: Job = Box::new(move || {
        if let Some(spawn) = take(&theirs) {
            let _ = result_tx.send(spawn());
        }
    });
    if spawner.send(job).is_ok() {
        if let Ok(result) = result_rx.recv() {
            return result;
        }
    }
    Err(gone())
}

fn take<F>(slot: &Mutex<Option<F>>) -> Option<F> {
    slot.lock().unwrap_or_else(|p| p.into_inner()).take()
}

fn gone() -> std::io::Error {
    std::io::Error::other("gord's spawner thread is gone")
}

static ALLOW_TOOLCHAIN_SWITCH: AtomicBool = AtomicBool::new(false);

/// The user's opt-in (`gord.go.allowToolchainSwitch`, `--allow-toolchain-switch`):
/// let go.mod's `toolchain` line pick (and download) the Go that runs.
pub fn allow_toolchain_switch(allow: bool) {
    ALLOW_TOOLCHAIN_SWITCH.store(allow, Ordering::Relaxed);
}

pub fn toolchain_switch_allowed() -> bool {
    ALLOW_TOOLCHAIN_SWITCH.load(Ordering::Relaxed)
}

/// The GOTOOLCHAIN a child must get, or None to leave the user's value.
/// `local` and a plain `goX.Y.Z` are the user's fixed choice and kept;
/// unset, `auto`, `path` and `…+auto`/`…+path` let the workspace choose
/// and become `local`. With the opt-in nothing is changed.
pub fn toolchain_override(user: Option<&OsStr>, allow_switch: bool) -> Option<&'static str> {
    if allow_switch {
        return None;
    }
    let fixed = user
        .and_then(OsStr::to_str)
        .map(str::trim)
        .is_some_and(|v| v == "local" || is_plain_go_version(v));
    if fixed {
        None
    } else {
        Some("local")
    }
}

/// `go1.22`, `go1.22.3`, `go1.23rc1`: a name without `+`.
fn is_plain_go_version(value: &str) -> bool {
    value.strip_prefix("go").is_some_and(|rest| {
        rest.starts_with(|c: char| c.is_ascii_digit())
            && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    #[test]
    fn workspace_choosing_values_become_local_and_fixed_ones_stay() {
        let over = |v: Option<&str>| toolchain_override(v.map(OsStr::new), false);
        for choosing in [
            None,
            Some("auto"),
            Some("path"),
            Some("go1.22.0+auto"),
            Some("go1.22.0+path"),
            Some("local+auto"),
            Some(""),
            Some("go"),
            Some("go1.22;rm"),
        ] {
            assert_eq!(over(choosing), Some("local"), "{choosing:?}");
        }
        for fixed in ["local", "go1.22.0", "go1.23rc1", "go1.21"] {
            assert_eq!(over(Some(fixed)), None, "{fixed}");
        }
        assert_eq!(
            toolchain_override(Some(&OsString::from("auto")), true),
            None
        );
        assert_eq!(toolchain_override(None, true), None);
    }
}
