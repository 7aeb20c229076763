//! Who the local user is, as OpenSSH sees it: the login name, a numeric id
//! and the home directory that `~` means, plus the host name and the
//! services database (named ports).
//!
//! Unix: the passwd entry through NSS (OpenSSH uses it, not `$HOME`).
//! Windows: Win32-OpenSSH takes `~` as the user profile, so the answer comes
//! from `USERNAME` and `USERPROFILE` ([`from_windows_environment`]).

use std::path::PathBuf;

/// The local user and host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalUser {
    /// The login name (`%u`, the default User, `Match localuser`).
    pub name: String,
    /// The numeric user id (`%i`). Windows has none: 0, as Win32-OpenSSH's
    /// own `getuid()` answers.
    pub uid: u32,
    /// What `~` and `%d` mean.
    pub home: PathBuf,
    /// The host name (`%l`; `%L` is the part before the first dot).
    pub hostname: String,
}

/// This process's user and host.
#[cfg(unix)]
pub fn current() -> LocalUser {
    let uid = rustix::process::getuid().as_raw();
    let (name, home) = unix::passwd_entry(uid).unwrap_or_else(|| {
        (
            std::env::var("USER").unwrap_or_else(|_| uid.to_string()),
            PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| String::from("/"))),
        )
    });
    LocalUser {
        name,
        uid,
        home,
        hostname: unix::hostname(),
    }
}

/// This process's user and host.
#[cfg(windows)]
pub fn current() -> LocalUser {
    from_windows_environment(|key| std::env::var(key).ok())
}

/// The Windows answer from the environment `var` reads: the name from
/// `USERNAME`, `~` from `USERPROFILE` (else `HOMEDRIVE` + `HOMEPATH`, else
/// `C:\`), the host from `COMPUTERNAME` (else `localhost`). Empty values
/// count as unset.
pub fn from_windows_environment(var: impl Fn(&str) -> Option<String>) -> LocalUser {
    let var = |key: &str| var(key).filter(|v| !v.trim().is_empty());
    let home = var("USERPROFILE")
        .or_else(|| Some(format!("{}{}", var("HOMEDRIVE")?, var("HOMEPATH")?)))
        .unwrap_or_else(|| String::from("C:\\"));
    LocalUser {
        name: var("USERNAME").unwrap_or_else(|| String::from("user")),
        uid: 0,
        home: PathBuf::from(home),
        hostname: var("COMPUTERNAME").unwrap_or_else(|| String::from("localhost")),
    }
}

/// A named port from the services database (`ssh` → 22), as OpenSSH's
/// `a2port` does.
pub fn service_port(name: &str) -> Option<i32> {
    let name = std::ffi::CString::new(name).ok()?;
    // getservbyname is not re-entrant: one caller at a time.
    let _guard = SERVICES_LOCK.lock().ok()?;
    #[cfg(unix)]
    let port = unix::service_port(&name);
    #[cfg(windows)]
    let port = windows::service_port(&name);
    port
}

static SERVICES_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[cfg(unix)]
mod unix {
    use std::ffi::{CStr, CString};
    use std::path::PathBuf;

    /// The passwd entry of `uid`. libc, not rustix: the lookup goes through
    /// NSS (files, LDAP, sssd), which only the C library implements.
    pub(super) fn passwd_entry(uid: u32) -> Option<(String, PathBuf)> {
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

    /// What `gethostname()` returns: uname's node name.
    pub(super) fn hostname() -> String {
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

    /// libc, not rustix: /etc/services is read through NSS by the C library.
    /// The caller holds the lock.
    pub(super) fn service_port(name: &CString) -> Option<i32> {
        let proto = CString::new("tcp").ok()?;
        // SAFETY: both strings are valid C strings for the call's duration;
        // the returned entry is read immediately, under the caller's lock.
        unsafe {
            let entry = libc::getservbyname(name.as_ptr(), proto.as_ptr());
            if entry.is_null() {
                return None;
            }
            Some(i32::from(u16::from_be((*entry).s_port as u16)))
        }
    }
}

#[cfg(windows)]
mod windows {
    use std::ffi::CString;
    use windows_sys::Win32::Networking::WinSock::{getservbyname, WSACleanup, WSAStartup, WSADATA};

    /// Winsock's services database (`%SystemRoot%\System32\drivers\etc\services`).
    /// The caller holds the lock.
    pub(super) fn service_port(name: &CString) -> Option<i32> {
        let mut data = WSADATA::default();
        // SAFETY: WSAStartup/WSACleanup are reference counted and paired
        // here; the strings are valid C strings for the call's duration and
        // the returned entry is read before WSACleanup.
        unsafe {
            if WSAStartup(0x0202, &mut data) != 0 {
                return None;
            }
            let entry = getservbyname(name.as_ptr().cast(), c"tcp".as_ptr().cast());
            let port = (!entry.is_null()).then(|| i32::from(u16::from_be((*entry).s_port as u16)));
            WSACleanup();
            port
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_processes_user_has_a_name_an_absolute_home_and_a_host() {
        let user = current();
        assert!(!user.name.is_empty());
        assert!(user.home.is_absolute());
        assert!(!user.hostname.is_empty());
    }

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_string())
        }
    }

    #[test]
    fn on_windows_home_is_the_user_profile_and_the_name_is_username() {
        let user = from_windows_environment(env(&[
            ("USERNAME", "alice"),
            ("USERPROFILE", r"C:\Users\alice"),
            ("HOMEDRIVE", "D:"),
            ("HOMEPATH", r"\elsewhere"),
            ("COMPUTERNAME", "DESK-7"),
        ]));
        assert_eq!(
            user,
            LocalUser {
                name: String::from("alice"),
                uid: 0,
                home: PathBuf::from(r"C:\Users\alice"),
                hostname: String::from("DESK-7"),
            }
        );
    }

    #[test]
    fn on_windows_without_a_profile_home_is_homedrive_and_homepath() {
        let user = from_windows_environment(env(&[
            ("USERNAME", "bob"),
            ("USERPROFILE", " "),
            ("HOMEDRIVE", "D:"),
            ("HOMEPATH", r"\Users\bob"),
        ]));
        assert_eq!(user.home, PathBuf::from(r"D:\Users\bob"));
        assert_eq!(user.hostname, "localhost");
    }

    #[test]
    fn on_windows_with_nothing_set_the_answer_is_still_usable() {
        let user = from_windows_environment(env(&[("HOMEDRIVE", "D:")]));
        assert_eq!(user.name, "user");
        assert_eq!(user.home, PathBuf::from("C:\\"));
    }

    #[cfg(unix)]
    #[test]
    fn the_services_database_names_ssh_port_22() {
        assert_eq!(service_port("ssh"), Some(22));
        assert_eq!(service_port("no-such-service-gord"), None);
        assert_eq!(service_port("nul\0byte"), None);
    }
}
