//! Facts about the local side that ssh_config resolution depends on: the
//! user's passwd entry (OpenSSH uses it, not $HOME), the host name, and the
//! services database for named ports.

use std::ffi::{CStr, CString};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFacts {
    /// The login name (`%u`, the default User, `Match localuser`).
    pub user: String,
    pub uid: u32,
    /// The passwd home directory (`~`, `%d`).
    pub home: PathBuf,
    /// `gethostname()` (`%l`; `%L` is the part before the first dot).
    pub hostname: String,
}

impl LocalFacts {
    /// Reads the real facts of this process.
    pub fn current() -> LocalFacts {
        let uid = rustix::process::getuid().as_raw();
        let (user, home) = passwd_entry(uid).unwrap_or_else(|| {
            (
                std::env::var("USER").unwrap_or_else(|_| uid.to_string()),
                PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| String::from("/"))),
            )
        });
        LocalFacts {
            user,
            uid,
            home,
            hostname: hostname(),
        }
    }
}

/// The passwd entry of `uid`. libc, not rustix: the lookup goes through
/// NSS (files, LDAP, sssd), which only the C library implements.
fn passwd_entry(uid: u32) -> Option<(String, PathBuf)> {
    let mut buffer = vec![0 as libc::c_char; 16 * 1024];
    // SAFETY: `entry` and `buffer` outlive the call; on success the returned
    // pointers point into `buffer`, which we read before it is dropped.
    unsafe {
        let mut entry: libc::passwd = std::mem::zeroed();
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(
            uid,
            &mut entry,
            buffer.as_mut_ptr(),
            buffer.len(),
            &mut result,
        );
        if rc != 0 || result.is_null() {
            return None;
        }
        let name = CStr::from_ptr(entry.pw_name).to_string_lossy().into_owned();
        let dir = CStr::from_ptr(entry.pw_dir).to_string_lossy().into_owned();
        Some((name, PathBuf::from(dir)))
    }
}

/// What `gethostname()` returns: on Linux, uname's node name.
fn hostname() -> String {
    let name = rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned();
    if name.is_empty() {
        String::from("localhost")
    } else {
        name
    }
}

/// A named port from the services database (`ssh` → 22), as `a2port` does.
/// libc, not rustix: /etc/services is read through NSS by the C library.
pub fn service_port(name: &str) -> Option<i32> {
    let name = CString::new(name).ok()?;
    let proto = CString::new("tcp").ok()?;
    // SAFETY: both strings are valid C strings for the call's duration; the
    // returned entry is read immediately (getservbyname is not re-entrant, so
    // a lock serialises callers).
    let _guard = SERVICES_LOCK.lock().ok()?;
    unsafe {
        let entry = libc::getservbyname(name.as_ptr(), proto.as_ptr());
        if entry.is_null() {
            return None;
        }
        Some(i32::from(u16::from_be((*entry).s_port as u16)))
    }
}

static SERVICES_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_processes_user_and_host() {
        let facts = LocalFacts::current();
        assert!(!facts.user.is_empty());
        assert!(facts.home.is_absolute());
        assert!(!facts.hostname.is_empty());
    }
}
