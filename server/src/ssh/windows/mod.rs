//! Win32-OpenSSH, the ssh of Windows 10 and 11 (PowerShell/openssh-portable):
//! what it does differently from OpenSSH on Unix, as pure functions the
//! rules use on every platform, and (on Windows only) the reader of files'
//! security descriptors.

pub mod acl;
#[cfg(windows)]
pub mod reader;

use std::path::{Path, PathBuf};

use acl::{FileSecurity, Principal};

/// Why a file's security could not be read.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum SecurityError {
    #[error("the file does not exist")]
    NotFound,
    /// A Win32 error code and its words.
    #[error("{message} (Windows error {code})")]
    Failed { code: u32, message: String },
}

/// What the ACL rules ask of the machine: who ssh runs as, where the system
/// config is, and each file's owner and DACL.
pub trait SecurityReader {
    /// The user ssh runs as (the process token's user), with the account
    /// name when it can be looked up.
    fn user(&self) -> Result<Principal, SecurityError>;
    /// `%ProgramData%` (`__PROGRAMDATA__` in Win32-OpenSSH's paths).
    fn program_data(&self) -> Option<PathBuf>;
    /// The owner and DACL of `path`.
    fn read(&self, path: &Path) -> Result<FileSecurity, SecurityError>;
}

/// The reader of this machine: Windows' own security descriptors, or none
/// elsewhere (Unix permissions are SSH013/SSH014's).
pub fn system_reader() -> Option<&'static dyn SecurityReader> {
    #[cfg(windows)]
    {
        Some(&reader::SystemSecurity)
    }
    #[cfg(not(windows))]
    {
        None
    }
}

/// A message as ssh writes it to stderr (`strnvis` with `VIS_SAFE |
/// VIS_OCTAL`, log.c): a backslash doubled, each byte that is not printable
/// ASCII (a control character, any byte of a non-ASCII character) as `\ooo`.
/// So `C:\Users\José/.ssh/config` reads `C:\\Users\\Jos\303\251/.ssh/config`.
pub fn stderr_vis(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        match b {
            b'\\' => out.push_str("\\\\"),
            b' ' | b'\t' | b'\n' | b'\r' | 0x07 | 0x08 => out.push(char::from(b)),
            _ if b.is_ascii_graphic() => out.push(char::from(b)),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out
}

#[cfg(test)]
pub mod memory {
    //! Security descriptors held in memory, for tests on any platform.

    use super::*;
    use std::collections::HashMap;

    pub struct MemorySecurity {
        pub user: Result<Principal, SecurityError>,
        pub program_data: Option<PathBuf>,
        pub files: HashMap<PathBuf, Result<FileSecurity, SecurityError>>,
    }

    impl MemorySecurity {
        pub fn new(user: Principal) -> Self {
            MemorySecurity {
                user: Ok(user),
                program_data: Some(PathBuf::from("C:\\ProgramData")),
                files: HashMap::new(),
            }
        }

        pub fn with(mut self, path: &str, security: Result<FileSecurity, SecurityError>) -> Self {
            self.files.insert(PathBuf::from(path), security);
            self
        }
    }

    impl SecurityReader for MemorySecurity {
        fn user(&self) -> Result<Principal, SecurityError> {
            self.user.clone()
        }

        fn program_data(&self) -> Option<PathBuf> {
            self.program_data.clone()
        }

        fn read(&self, path: &Path) -> Result<FileSecurity, SecurityError> {
            self.files
                .get(path)
                .cloned()
                .unwrap_or(Err(SecurityError::NotFound))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stderr_text_doubles_backslashes_and_escapes_non_ascii_bytes() {
        assert_eq!(
            stderr_vis("Bad owner or permissions on C:\\Users\\me/.ssh/config"),
            "Bad owner or permissions on C:\\\\Users\\\\me/.ssh/config"
        );
        assert_eq!(
            stderr_vis("C:\\Users\\José"),
            "C:\\\\Users\\\\Jos\\303\\251"
        );
        assert_eq!(stderr_vis("a b\x01"), "a b\\001");
    }
}
