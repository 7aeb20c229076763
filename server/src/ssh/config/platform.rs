//! The client platform as a parameter of the engine: how ssh on Unix and
//! Win32-OpenSSH read paths in a config. Pure, so the Windows rules are
//! tested on Linux too.

/// Which client reads the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Unix,
    /// Win32-OpenSSH (ControlMaster unsupported, paths with drive letters
    /// and backslashes, `~` the user profile, permissions in ACLs).
    Windows,
}

/// Win32-OpenSSH's spelling of `%ProgramData%` in built-in paths; its
/// `realpath` replaces it when a file is opened.
pub const PROGRAM_DATA: &str = "__PROGRAMDATA__";

impl Platform {
    /// The platform gord runs on.
    pub fn current() -> Platform {
        if cfg!(windows) {
            Platform::Windows
        } else {
            Platform::Unix
        }
    }

    /// The platform of an ssh build: Windows for Win32-OpenSSH, else the
    /// one gord runs on.
    pub fn of(flavour: crate::ssh::release::Flavour) -> Platform {
        if flavour == crate::ssh::release::Flavour::Windows {
            Platform::Windows
        } else {
            Platform::current()
        }
    }

    /// `path_absolute`: on Unix a leading `/`; on Windows
    /// (`is_absolute_path`) also a leading `\`, a drive letter (`c:`, with or
    /// without a slash after it), or `__PROGRAMDATA__`, each possibly after
    /// one opening quote.
    pub fn is_absolute(self, path: &str) -> bool {
        match self {
            Platform::Unix => path.starts_with('/'),
            Platform::Windows => {
                let path = path.strip_prefix(['"', '\'']).unwrap_or(path);
                let bytes = path.as_bytes();
                path.starts_with(['/', '\\'])
                    || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
                    || path.starts_with(PROGRAM_DATA)
            }
        }
    }

    /// The directory of the system-wide config, as ssh spells it
    /// (`SSHDIR`): relative Includes of a system config are under it.
    pub fn system_dir(self) -> &'static str {
        match self {
            Platform::Unix => "/etc/ssh",
            Platform::Windows => "__PROGRAMDATA__\\ssh",
        }
    }

    /// The pattern ssh globs for one Include argument, before `~` is
    /// expanded (readconf.c): a relative path is anchored under `~/.ssh`
    /// (a user config) or the system directory, and on Windows every
    /// backslash becomes a slash (`convertToForwardslash`), so
    /// `Include conf.d\*` and `Include C:\ssh\*.conf` both work there.
    pub fn include_pattern(self, arg: &str, user: bool) -> String {
        let anchored = if self.is_absolute(arg) || arg.starts_with('~') {
            arg.to_string()
        } else if user {
            format!("~/.ssh/{arg}")
        } else {
            format!("{}/{arg}", self.system_dir())
        };
        match self {
            Platform::Unix => anchored,
            Platform::Windows => anchored.replace('\\', "/"),
        }
    }

    /// Whether `value` starts with `~\`, which Win32-OpenSSH (8.9 and later)
    /// reads as the home of a user named `\...` ("tilde_expand: No such user
    /// \.ssh\id_rsa") and exits; only `~` and `~/` name the profile.
    pub fn tilde_backslash(self, value: &str) -> bool {
        self == Platform::Windows && value.starts_with("~\\")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_paths_are_absolute_with_a_drive_a_slash_or_program_data() {
        for path in [
            "C:\\Users\\me\\.ssh\\config",
            "c:/keys/id",
            "d:",
            "\\\\server\\share\\ssh\\config",
            "/c/keys",
            "__PROGRAMDATA__\\ssh\\ssh_config",
            "\"C:\\Program Files\\keys\"",
        ] {
            assert!(Platform::Windows.is_absolute(path), "{path}");
        }
        for path in ["conf.d\\*", "~\\x", "1:", "é:/x", ".ssh/config"] {
            assert!(!Platform::Windows.is_absolute(path), "{path}");
        }
        assert!(!Platform::Unix.is_absolute("C:\\Users"));
        assert!(Platform::Unix.is_absolute("/etc/ssh"));
    }

    #[test]
    fn windows_includes_are_anchored_and_use_forward_slashes() {
        let w = Platform::Windows;
        assert_eq!(w.include_pattern("conf.d\\*", true), "~/.ssh/conf.d/*");
        assert_eq!(w.include_pattern("~\\work\\cfg", true), "~/work/cfg");
        assert_eq!(
            w.include_pattern("C:\\Users\\Jürgen Ü\\ssh conf\\*", true),
            "C:/Users/Jürgen Ü/ssh conf/*"
        );
        assert_eq!(
            w.include_pattern("\\\\server\\share\\cfg", true),
            "//server/share/cfg"
        );
        assert_eq!(
            w.include_pattern("extra.conf", false),
            "__PROGRAMDATA__/ssh/extra.conf"
        );
        // Unix keeps backslashes (they are part of the name there).
        assert_eq!(
            Platform::Unix.include_pattern("conf.d\\x", true),
            "~/.ssh/conf.d\\x"
        );
        assert_eq!(Platform::Unix.include_pattern("x", false), "/etc/ssh/x");
    }

    #[test]
    fn tilde_backslash_is_a_windows_problem_only() {
        assert!(Platform::Windows.tilde_backslash("~\\.ssh\\id_ed25519"));
        assert!(!Platform::Windows.tilde_backslash("~/.ssh/id_ed25519"));
        assert!(!Platform::Unix.tilde_backslash("~\\.ssh\\id_ed25519"));
    }
}
