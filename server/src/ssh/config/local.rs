//! Facts about the local side that ssh_config resolution depends on: the
//! user's passwd entry (OpenSSH uses it, not $HOME; on Windows the user
//! profile), the host name, and the services database for named ports. The
//! platform answers come from [`crate::platform::user`].

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
        let user = crate::platform::user::current();
        LocalFacts {
            user: user.name,
            uid: user.uid,
            home: user.home,
            hostname: user.hostname,
        }
    }
}

/// A named port from the services database (`ssh` → 22), as `a2port` does.
pub fn service_port(name: &str) -> Option<i32> {
    crate::platform::user::service_port(name)
}

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
