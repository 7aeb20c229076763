//! Children die with gord, and gord picks which toolchain they run.
//!
//! Every child gets a parent-death signal (`PR_SET_PDEATHSIG`), set in the
//! child between fork and exec, so a SIGKILL or OOM kill of gord still ends
//! it. The kernel sends that signal when the *thread* that forked the child
//! exits, not the process; tokio's blocking threads exit after 10 s idle,
//! so every fork happens on one spawner thread that lives as long as the
//! process ([`spawn_on_lifeline`]).
//!
//! The toolchain rule ([`toolchain_override`]): a go.mod `toolchain` line
//! must not make gord download and run another Go, so every child gets
//! `GOTOOLCHAIN=local` unless the user chose a fixed toolchain or opted in
//! to switching.

use std::ffi::OsStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, sync_channel, Sender};
use std::sync::{Arc, Mutex, OnceLock};

use rustix::process::Signal;

/// Which signal a child gets when gord dies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeathSignal {
    /// Most children: nothing to clean up, so end them at once.
    Kill,
    /// dlv: a headless Delve detaches from an attached target on SIGINT
    /// (removing its breakpoints, the target keeps running). SIGKILL would
    /// leave breakpoint instructions in the target, which then dies of
    /// SIGTRAP at the next hit.
    Interrupt,
}

impl DeathSignal {
    fn signal(self) -> Signal {
        match self {
            DeathSignal::Kill => Signal::KILL,
            DeathSignal::Interrupt => Signal::INT,
        }
    }
}

/// Arranges for `command`'s child to get `death` when gord dies; if gord
/// died between fork and this call, the child does not start at all.
pub fn set_death_signal(command: &mut std::process::Command, death: DeathSignal) {
    use std::os::unix::process::CommandExt;
    let parent = rustix::process::getpid();
    let signal = death.signal();
    // SAFETY: the closure runs in the forked child before exec and makes
    // only raw system calls (setsid, prctl, getppid), which rustix issues
    // directly: async-signal-safe, no allocation, no locks. `pre_exec`
    // itself stays unsafe: std offers no safe way to run code between fork
    // and exec.
    unsafe {
        command.pre_exec(move || in_child(signal, parent));
    }
}

fn in_child(signal: Signal, parent: rustix::process::Pid) -> std::io::Result<()> {
    // A session of its own (and so a process group): its descendants stay
    // in it even when they move to groups of their own, as golangci-lint's
    // `go list` does, so the whole tree can be found and killed.
    rustix::process::setsid()?;
    rustix::process::set_parent_process_death_signal(Some(signal))?;
    if rustix::process::getppid() != Some(parent) {
        // gord died before the signal was set. A raw error: no allocation
        // between fork and exec.
        return Err(std::io::Error::from_raw_os_error(
            rustix::io::Errno::SRCH.raw_os_error(),
        ));
    }
    Ok(())
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

/// The guardian: a small `/bin/sh` loop, started once, that outlives gord.
/// gord tells it (over a pipe, `+ PGID` / `- PGID`) which process groups
/// are live; when the pipe ends because gord died, it SIGKILLs the groups
/// still listed. The parent-death signal reaches only direct children;
/// this reaches their children too (`go list` under golangci-lint, waiting
/// on a proxy that never answers). dlv's group is never listed: it must get
/// its SIGINT and detach, not SIGKILL.
const GUARDIAN_SCRIPT: &str = r#"trap '' INT HUP TERM QUIT PIPE
groups=''
while read -r op g; do
  case $op in
    +) groups="$groups $g" ;;
    -) kept=''; for x in $groups; do [ "$x" = "$g" ] || kept="$kept $x"; done; groups=$kept ;;
  esac
done
sweep() {
  for p in /proc/[0-9]*; do
    l=''
    read -r l < "$p/stat" 2>/dev/null || continue
    set -- ${l##*) }
    for x in $groups; do
      [ "$4" = "$x" ] && kill -s KILL "${p#/proc/}" 2>/dev/null
    done
  done
}
for x in $groups; do kill -s KILL -- "-$x" 2>/dev/null; done
sweep
sweep
"#;

fn guardian() -> Option<&'static Mutex<std::fs::File>> {
    static GUARDIAN: OnceLock<Option<Mutex<std::fs::File>>> = OnceLock::new();
    GUARDIAN
        .get_or_init(|| match start_guardian() {
            Ok(pipe) => Some(Mutex::new(pipe)),
            Err(e) => {
                tracing::warn!("cannot start the guardian of child process groups: {e}");
                None
            }
        })
        .as_ref()
}

/// The one child not started through [`crate::exec`]: the process builder
/// there registers every child with this guardian and gives it a
/// parent-death signal, and the guardian must have neither (it outlives gord
/// on purpose).
fn start_guardian() -> std::io::Result<std::fs::File> {
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    // Close-on-exec: no other child may hold the write end, or the
    // guardian would not see gord's death.
    let (read, write) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?;
    let mut command = std::process::Command::new("/bin/sh");
    command
        .arg("-c")
        .arg(GUARDIAN_SCRIPT)
        .arg("gord-guardian")
        .current_dir("/")
        // It needs nothing from gord's environment (kill is a builtin).
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::from(read))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own group: a Ctrl-C meant for gord does not end it.
        .process_group(0);
    let mut child = command.spawn()?;
    // Reaped when it exits (after gord's normal exit it has nothing to do).
    std::thread::Builder::new()
        .name("gord-guardian-reaper".into())
        .spawn(move || {
            let _ = child.wait();
        })?;
    Ok(std::fs::File::from(write))
}

fn tell_guardian(line: &str) {
    use std::io::Write;
    if let Some(pipe) = guardian() {
        // One short write per line: atomic on a pipe.
        let _ = pipe
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .write_all(line.as_bytes());
    }
}

/// Lists a child's process group with the guardian: it is SIGKILLed if
/// gord dies while the group is listed.
pub fn guard_group(pgid: i32) {
    tell_guardian(&format!("+ {pgid}\n"));
}

/// SIGKILLs every process of the session `sid` (a child gord started, which
/// leads its own session, and all its descendants, whatever their group).
/// Twice, for a process forked while the first sweep ran.
pub fn kill_session(sid: i32) {
    use rustix::process::{kill_process, kill_process_group, Pid, Signal};
    let Some(leader) = Pid::from_raw(sid) else {
        return;
    };
    let _ = kill_process_group(leader, Signal::KILL);
    for _ in 0..2 {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return;
        };
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<i32>().ok())
                .and_then(Pid::from_raw)
            else {
                continue;
            };
            let in_session = std::fs::read_to_string(entry.path().join("stat"))
                .ok()
                .and_then(|stat| session_of(&stat))
                == Some(sid);
            if in_session {
                let _ = kill_process(pid, Signal::KILL);
            }
        }
    }
}

/// Field 6 of /proc/PID/stat (after the parenthesised command).
fn session_of(stat: &str) -> Option<i32> {
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    rest.split_whitespace().nth(6 - 3)?.parse().ok()
}

/// Takes a group off the guardian's list (it ended or was killed).
pub fn release_group(pgid: i32) {
    tell_guardian(&format!("- {pgid}\n"));
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

    #[test]
    fn the_session_is_read_after_the_last_parenthesis() {
        let stat = "42 (a) b (c) S 1 42 4242 0 -1 4194560 100";
        assert_eq!(session_of(stat), Some(4242));
        assert_eq!(session_of("garbage"), None);
    }

    /// `sleep 30`, to be killed when its parent (thread) dies.
    fn sleep_killed_with_its_parent() -> std::io::Result<std::process::Child> {
        let mut command = std::process::Command::new("/bin/sleep");
        command.arg("30");
        set_death_signal(&mut command, DeathSignal::Kill);
        command.spawn()
    }

    #[test]
    fn a_child_outlives_the_thread_that_asked_for_it() {
        // The parent-death signal is tied to the forking thread: a child
        // asked for on a short-lived thread must still run after that
        // thread has ended.
        let mut child = std::thread::spawn(|| spawn_on_lifeline(sleep_killed_with_its_parent))
            .join()
            .unwrap()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child died with the thread that asked for it"
        );
        child.kill().unwrap();
        child.wait().unwrap();
    }

    #[test]
    fn without_the_spawner_the_child_dies_with_its_thread() {
        // The control for the test above: forked on the short-lived thread
        // itself, the child gets its death signal when that thread ends.
        let mut child = std::thread::spawn(sleep_killed_with_its_parent)
            .join()
            .unwrap()
            .unwrap();
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if started.elapsed() > std::time::Duration::from_secs(5) {
                break None;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let Some(status) = status else {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("the parent-death signal was not set");
        };
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(Signal::KILL.as_raw()));
    }
}
