//! The Unix side of [`crate::lifeline`]: sessions, the parent-death signal
//! (Linux) and the guardian that kills the listed sessions when gord dies.

use std::sync::{Mutex, OnceLock};

use rustix::process::{Pid, Signal};

use super::DeathSignal;

fn signal_of(death: DeathSignal) -> Signal {
    match death {
        DeathSignal::Kill => Signal::KILL,
        DeathSignal::Interrupt => Signal::INT,
    }
}

/// Arranges for `command`'s child to lead a session of its own and (Linux)
/// to get `death` when gord dies; if gord died between fork and this call,
/// the child does not start at all.
pub(super) fn prepare(command: &mut std::process::Command, death: DeathSignal) {
    use std::os::unix::process::CommandExt;
    let parent = rustix::process::getpid();
    let signal = signal_of(death);
    // SAFETY: the closure runs in the forked child before exec and makes
    // only raw system calls (setsid, prctl, getppid), which rustix issues
    // directly: async-signal-safe, no allocation, no locks. `pre_exec`
    // itself stays unsafe: std offers no safe way to run code between fork
    // and exec.
    unsafe {
        command.pre_exec(move || in_child(signal, parent));
    }
}

fn in_child(signal: Signal, parent: Pid) -> std::io::Result<()> {
    // A session of its own (and so a process group): its descendants stay
    // in it even when they move to groups of their own, as golangci-lint's
    // `go list` does, so the whole tree can be found and killed.
    rustix::process::setsid()?;
    // macOS has no parent-death signal: the guardian alone covers gord's death.
    #[cfg(target_os = "linux")]
    rustix::process::set_parent_process_death_signal(Some(signal))?;
    #[cfg(not(target_os = "linux"))]
    let _ = signal;
    if rustix::process::getppid() != Some(parent) {
        // gord died before the signal was set. A raw error: no allocation
        // between fork and exec.
        return Err(std::io::Error::from_raw_os_error(
            rustix::io::Errno::SRCH.raw_os_error(),
        ));
    }
    Ok(())
}

pub(super) fn ask_to_stop(pid: u32) -> bool {
    send(pid, Signal::TERM)
}

pub(super) fn interrupt(pid: u32) -> bool {
    send(pid, Signal::INT)
}

fn send(pid: u32, signal: Signal) -> bool {
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return false;
    };
    let _ = rustix::process::kill_process(pid, signal);
    true
}

/// A child's session, by its leader's id (also the session and group id).
#[derive(Debug)]
pub(super) struct Tree {
    sid: i32,
}

impl Tree {
    pub(super) fn adopt(pid: u32, death: DeathSignal) -> Option<Self> {
        let sid = i32::try_from(pid).ok()?;
        // dlv's session is never listed: it must get its SIGINT and detach.
        if death == DeathSignal::Kill {
            guard_group(sid);
        }
        Some(Tree { sid })
    }

    pub(super) fn kill(self) {
        kill_session(self.sid);
        release_group(self.sid);
    }

    pub(super) fn release(self) {
        release_group(self.sid);
    }
}

/// The guardian: a small `/bin/sh` loop, started once, that outlives gord.
/// gord tells it (over a pipe, `+ PGID` / `- PGID`) which process groups
/// are live; when the pipe ends because gord died, it SIGKILLs the groups
/// still listed. The parent-death signal reaches only direct children;
/// this reaches their children too (`go list` under golangci-lint, waiting
/// on a proxy that never answers). dlv's group is never listed: it must get
/// its SIGINT and detach, not SIGKILL. It sweeps the sessions' members
/// until a sweep finds none alive (at most 100 more): a process forked after
/// a sweep read /proc is caught by the next, and a killed one forks no more.
const GUARDIAN_SCRIPT: &str = r#"trap '' INT HUP TERM QUIT PIPE
groups=''
while read -r op g; do
  case $op in
    +) groups="$groups $g" ;;
    -) kept=''; for x in $groups; do [ "$x" = "$g" ] || kept="$kept $x"; done; groups=$kept ;;
  esac
done
sweep() {
  found=''
  for p in /proc/[0-9]*; do
    l=''
    read -r l < "$p/stat" 2>/dev/null || continue
    set -- ${l##*) }
    [ "$1" = Z ] && continue
    for x in $groups; do
      [ "$4" = "$x" ] && kill -s KILL "${p#/proc/}" 2>/dev/null && found=1
    done
  done
}
for x in $groups; do kill -s KILL -- "-$x" 2>/dev/null; done
rounds=0
sweep
while [ -n "$found" ] && [ "$rounds" -lt 100 ]; do
  rounds=$((rounds + 1))
  sweep
done
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
    let (read, write) = cloexec_pipe()?;
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

/// A pipe whose ends no child inherits. macOS has no `pipe2`: the flag is
/// set right after, so a child forked by another thread in that instant
/// could inherit the write end and hold the guardian's pipe open until it
/// exits (a delay of the guardian's kill, on macOS only; it happens once).
fn cloexec_pipe() -> std::io::Result<(rustix::fd::OwnedFd, rustix::fd::OwnedFd)> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let pipe = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let pipe = {
        use rustix::io::{fcntl_setfd, FdFlags};
        let (read, write) = rustix::pipe::pipe()?;
        fcntl_setfd(&read, FdFlags::CLOEXEC)?;
        fcntl_setfd(&write, FdFlags::CLOEXEC)?;
        (read, write)
    };
    Ok(pipe)
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
/// Sweeps until one finds no live member (a process forked while a sweep
/// ran is caught by the next), at most [`MAX_SWEEPS`] times.
pub fn kill_session(sid: i32) {
    use rustix::process::{kill_process, kill_process_group};
    let Some(leader) = Pid::from_raw(sid) else {
        return;
    };
    let _ = kill_process_group(leader, Signal::KILL);
    for _ in 0..MAX_SWEEPS {
        let members = session_members(sid);
        if members.is_empty() {
            break;
        }
        for pid in members {
            let _ = kill_process(pid, Signal::KILL);
        }
    }
}

/// Sweeps of a session before [`kill_session`] gives up (a member stuck in
/// an uninterruptible sleep outlives any number of them).
const MAX_SWEEPS: usize = 100;

/// The live processes of session `sid` (zombies left out: they are dead
/// and wait only for their parent), read from /proc.
#[cfg(target_os = "linux")]
fn session_members(sid: i32) -> Vec<Pid> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<i32>().ok())
                .and_then(Pid::from_raw)?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            (session_of(&stat) == Some(sid) && !is_zombie(&stat)).then_some(pid)
        })
        .collect()
}

/// The live processes of session `sid`: every process id the kernel lists
/// (`proc_listallpids`), kept when `getsid` names the session.
#[cfg(target_os = "macos")]
fn session_members(sid: i32) -> Vec<Pid> {
    let mut pids: Vec<libc::pid_t> = vec![0; 8192];
    let bytes = i32::try_from(pids.len() * std::mem::size_of::<libc::pid_t>()).unwrap_or(0);
    // SAFETY: the buffer is `bytes` long and writable; the call fills at
    // most that many bytes and returns how many pids it wrote.
    let count = unsafe { libc::proc_listallpids(pids.as_mut_ptr().cast(), bytes) };
    pids.truncate(usize::try_from(count).unwrap_or(0));
    pids.into_iter()
        .filter_map(Pid::from_raw)
        .filter(|&pid| rustix::process::getsid(Some(pid)).ok() == Pid::from_raw(sid))
        .collect()
}

/// Other Unix systems: the session's own group only (killed above).
#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn session_members(_sid: i32) -> Vec<Pid> {
    Vec::new()
}

/// Field 6 of /proc/PID/stat (after the parenthesised command).
#[cfg(any(target_os = "linux", test))]
fn session_of(stat: &str) -> Option<i32> {
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    rest.split_whitespace().nth(6 - 3)?.parse().ok()
}

/// Field 3 of /proc/PID/stat is `Z`: the process is dead.
#[cfg(any(target_os = "linux", test))]
fn is_zombie(stat: &str) -> bool {
    stat.get(stat.rfind(')').map_or(0, |at| at + 1)..)
        .and_then(|rest| rest.split_whitespace().next())
        == Some("Z")
}

/// Takes a group off the guardian's list (it ended or was killed).
pub fn release_group(pgid: i32) {
    tell_guardian(&format!("- {pgid}\n"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifeline::spawn_on_lifeline;

    #[test]
    fn the_session_is_read_after_the_last_parenthesis() {
        let stat = "42 (a) b (c) S 1 42 4242 0 -1 4194560 100";
        assert_eq!(session_of(stat), Some(4242));
        assert_eq!(session_of("garbage"), None);
        assert!(!is_zombie(stat));
        assert!(is_zombie("42 (a) Z) Z 1 42 4242 0"));
        assert!(!is_zombie("garbage"));
    }

    #[cfg(target_os = "linux")]
    /// `sleep 30`, to be killed when its parent (thread) dies.
    fn sleep_killed_with_its_parent() -> std::io::Result<std::process::Child> {
        let mut command = std::process::Command::new("/bin/sleep");
        command.arg("30");
        prepare(&mut command, DeathSignal::Kill);
        command.spawn()
    }

    #[cfg(target_os = "linux")]
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

    #[cfg(target_os = "linux")]
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
