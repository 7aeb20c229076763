//! gord's own ControlMaster directories: each check's master lives in a
//! private directory named after the process that made it,
//! `gord-PID-START-XXXXXX` (START: the process's start time in clock ticks,
//! so a reused pid does not pass for its owner). It is removed when the
//! master is dropped; a gord that was killed (SIGKILL, a crash) leaves it
//! behind. [`sweep`] runs before a process's first check and removes such
//! leftovers, and nothing else: only a directory whose name is exactly
//! gord's, whose owner process is gone, that is a real directory (no
//! symlink) of this user with mode 0700, holding nothing but the socket
//! `m`. Linux only (it asks /proc who runs); elsewhere nothing is swept.

use std::path::{Path, PathBuf};

use super::system::MAX_SOCKET_PATH;

/// The name's prefix, before the owner.
const PREFIX: &str = "gord-";
/// The socket's name inside the directory.
pub const SOCKET: &str = "m";

/// The prefix of this process's directories: `gord-PID-START-`.
fn own_prefix() -> String {
    let pid = std::process::id();
    let start = crate::debug::sessions::start_ticks(pid).unwrap_or(0);
    format!("{PREFIX}{pid}-{start}-")
}

/// Where gord's masters live: a private directory (0700) of its own under
/// the temporary directory when that path is short enough for a socket,
/// else under /tmp. Removed when dropped.
pub fn make() -> std::io::Result<tempfile::TempDir> {
    let tmp = std::env::temp_dir();
    let prefix = own_prefix();
    // The prefix, 6 random characters, `/` and the socket's name.
    let base = if tmp.as_os_str().len() + 1 + prefix.len() + 6 + 1 + SOCKET.len() <= MAX_SOCKET_PATH
    {
        tmp
    } else {
        PathBuf::from("/tmp")
    };
    let dir = tempfile::Builder::new().prefix(&prefix).tempdir_in(base)?;
    crate::platform::fs::set_mode(dir.path(), 0o700)?;
    Ok(dir)
}

/// The process a directory name says made it: (pid, start ticks); None for
/// any name that is not exactly gord's.
pub fn owner(name: &str) -> Option<(u32, u64)> {
    let rest = name.strip_prefix(PREFIX)?;
    let mut parts = rest.split('-');
    let (pid, start, random) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let random_ok = random.len() == 6 && random.bytes().all(|b| b.is_ascii_alphanumeric());
    if parts.next().is_some() || !digits(pid) || !digits(start) || !random_ok {
        return None;
    }
    Some((pid.parse().ok()?, start.parse().ok()?))
}

/// Whether the directory named `name` was made by a process that is gone:
/// `started` answers a running pid's start ticks (None: not running).
/// This process's own directories are never stale.
pub fn stale(name: &str, own_pid: u32, started: &dyn Fn(u32) -> Option<u64>) -> bool {
    match owner(name) {
        Some((pid, _)) if pid == own_pid => false,
        Some((pid, start)) => started(pid) != Some(start),
        None => false,
    }
}

/// Removes the stale directories of gord's in `bases` (see the module
/// header); returns what it removed. Anything unexpected is left alone.
pub fn sweep_in(bases: &[PathBuf], started: &dyn Fn(u32) -> Option<u64>) -> Vec<PathBuf> {
    let own = std::process::id();
    let uid = crate::platform::effective_uid();
    let mut removed = Vec::new();
    let mut seen = Vec::new();
    for base in bases {
        let Ok(base) = std::fs::canonicalize(base) else {
            continue;
        };
        if seen.contains(&base) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&base) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if !stale(name, own, started) {
                continue;
            }
            let dir = entry.path();
            if remove_if_ours(&dir, uid) {
                tracing::info!("removed {}, left by a gord that is gone", dir.display());
                removed.push(dir);
            }
        }
        seen.push(base);
    }
    removed
}

/// Removes `dir` when it is a private directory of `uid` holding at most
/// the socket; false (and nothing touched) otherwise.
fn remove_if_ours(dir: &Path, uid: u32) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return false;
    };
    let private = crate::platform::fs::mode_and_owner(&meta)
        .is_some_and(|(mode, owner)| mode & 0o7777 == 0o700 && owner == uid);
    if !meta.is_dir() || !private {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let names: Vec<_> = entries.flatten().map(|e| e.file_name()).collect();
    if names.iter().any(|n| n != SOCKET) {
        return false;
    }
    let socket = dir.join(SOCKET);
    let socket_ok = match std::fs::symlink_metadata(&socket) {
        Ok(m) if m.is_dir() => false,
        Ok(_) => std::fs::remove_file(&socket).is_ok(),
        Err(_) => true,
    };
    socket_ok && std::fs::remove_dir(dir).is_ok()
}

/// [`sweep_in`] over the places [`make`] uses, once per process, before
/// its first check; on Linux only.
pub fn sweep_once() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if crate::platform::is_linux() {
            let bases = [std::env::temp_dir(), PathBuf::from("/tmp")];
            sweep_in(&bases, &crate::debug::sessions::start_ticks);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_exactly_like_gords_have_an_owner() {
        assert_eq!(owner("gord-4242-123456-aB3xYz"), Some((4242, 123456)));
        for name in [
            "gord-aB3xYz",
            "gord-4242-aB3xYz",
            "gord-4242-123456-aB3xY",
            "gord-4242-123456-aB3xYz-more",
            "gord--123456-aB3xYz",
            "gord-42x-123456-aB3xYz",
            "xgord-4242-123456-aB3xYz",
            "gord-4242-123456-aB3.Yz",
        ] {
            assert_eq!(owner(name), None, "{name}");
        }
    }

    #[test]
    fn a_directory_is_stale_when_its_process_is_gone_or_its_pid_was_reused() {
        let running = |pid: u32| (pid == 7).then_some(100);
        assert!(!stale("gord-7-100-aaaaaa", 1, &running), "running");
        assert!(stale("gord-7-99-aaaaaa", 1, &running), "pid reused");
        assert!(stale("gord-8-100-aaaaaa", 1, &running), "gone");
        assert!(!stale("gord-8-100-aaaaaa", 8, &running), "our own");
        assert!(!stale("gord-aaaaaa", 1, &running), "not a name of ours");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_sweep_removes_only_private_socket_dirs_of_processes_that_are_gone() {
        use std::os::unix::fs::{symlink, PermissionsExt};
        let base = tempfile::tempdir().unwrap();
        let init = crate::debug::sessions::start_ticks(1).expect("pid 1 runs");
        let gone = format!("gord-1-{}-", init + 1);
        let make = |name: &str, mode: u32| {
            let dir = base.path().join(name);
            std::fs::create_dir(&dir).unwrap();
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode)).unwrap();
            dir
        };
        let with_socket = make(&format!("{gone}aaaaaa"), 0o700);
        let _listener = std::os::unix::net::UnixListener::bind(with_socket.join(SOCKET)).unwrap();
        let empty = make(&format!("{gone}bbbbbb"), 0o700);
        let running = make(&format!("gord-1-{init}-cccccc"), 0o700);
        let other_file = make(&format!("{gone}dddddd"), 0o700);
        std::fs::write(other_file.join("notes"), "mine").unwrap();
        let open = make(&format!("{gone}eeeeee"), 0o755);
        let old_style = make("gord-ffffff", 0o700);
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::set_permissions(elsewhere.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        let link = base.path().join(format!("{gone}gggggg"));
        symlink(elsewhere.path(), &link).unwrap();

        let mut removed = sweep_in(
            &[base.path().to_path_buf(), base.path().to_path_buf()],
            &crate::debug::sessions::start_ticks,
        );
        removed.sort();
        let canonical = std::fs::canonicalize(base.path()).unwrap();
        let names: Vec<_> = removed
            .iter()
            .map(|p| p.strip_prefix(&canonical).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            names,
            [
                PathBuf::from(format!("{gone}aaaaaa")),
                PathBuf::from(format!("{gone}bbbbbb"))
            ]
        );
        assert!(!with_socket.exists() && !empty.exists());
        for kept in [&running, &other_file, &open, &old_style, &link] {
            assert!(
                kept.symlink_metadata().is_ok(),
                "{} was kept",
                kept.display()
            );
        }
        assert!(other_file.join("notes").exists());
        assert!(elsewhere.path().exists());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_directory_made_now_is_named_after_this_process_and_private() {
        let dir = make().unwrap();
        let name = dir
            .path()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let (pid, _) = owner(&name).expect("a name of gord's");
        assert_eq!(pid, std::process::id());
        assert!(!stale(
            &name,
            std::process::id(),
            &crate::debug::sessions::start_ticks
        ));
        assert!(
            !stale(&name, 0, &crate::debug::sessions::start_ticks),
            "its owner runs"
        );
        let meta = std::fs::metadata(dir.path()).unwrap();
        let (mode, uid) = crate::platform::fs::mode_and_owner(&meta).unwrap();
        assert_eq!(
            (mode & 0o7777, uid),
            (0o700, crate::platform::effective_uid())
        );
    }
}
