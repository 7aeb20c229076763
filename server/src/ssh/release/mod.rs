//! Which OpenSSH a config is read by: the release model (`9.2p1`), the
//! flavour of the build (upstream, Debian/Ubuntu, Apple, Win32-OpenSSH), the
//! parsers of `ssh -V` and of `--ssh-version`, and the releases gord knows.
//! Pure: running `ssh -V` is [`which`]'s job.

pub mod algorithms;
pub mod history;
pub mod listing;
pub mod values;
pub mod which;

#[cfg(test)]
mod recorded;

use std::fmt;

/// An OpenSSH portable release: `major.minor` and the portable patch (`p1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release {
    pub major: u16,
    pub minor: u16,
    /// The `pN` of the portable release; 0 for OpenBSD's own (no `p`).
    pub patch: u16,
}

impl Release {
    pub const fn new(major: u16, minor: u16, patch: u16) -> Self {
        Release {
            major,
            minor,
            patch,
        }
    }

    /// `9.4`: how the release notes and ssh_config(5) name a release.
    pub fn short(self) -> String {
        format!("{}.{}", self.major, self.minor)
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.patch == 0 {
            write!(f, "{}.{}", self.major, self.minor)
        } else {
            write!(f, "{}.{}p{}", self.major, self.minor, self.patch)
        }
    }
}

/// Every portable release from 8.7p1 to 10.5p1 (the release tags of
/// openssh-portable), oldest first.
pub const KNOWN: &[Release] = &[
    Release::new(8, 7, 1),
    Release::new(8, 8, 1),
    Release::new(8, 9, 1),
    Release::new(9, 0, 1),
    Release::new(9, 1, 1),
    Release::new(9, 2, 1),
    Release::new(9, 3, 1),
    Release::new(9, 3, 2),
    Release::new(9, 4, 1),
    Release::new(9, 5, 1),
    Release::new(9, 6, 1),
    Release::new(9, 7, 1),
    Release::new(9, 8, 1),
    Release::new(9, 9, 1),
    Release::new(9, 9, 2),
    Release::new(10, 0, 1),
    Release::new(10, 0, 2),
    Release::new(10, 1, 1),
    Release::new(10, 2, 1),
    Release::new(10, 3, 1),
    Release::new(10, 4, 1),
    Release::new(10, 5, 1),
];

/// The newest release gord knows.
pub fn newest() -> Release {
    KNOWN[KNOWN.len() - 1]
}

/// The oldest release gord knows.
pub fn oldest() -> Release {
    KNOWN[0]
}

/// Whose build of OpenSSH: the keywords differ (Apple's `UseKeychain`,
/// Debian's GSSAPI key exchange).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flavour {
    Upstream,
    /// Debian's and Ubuntu's packages (their patches).
    Debian,
    /// macOS's /usr/bin/ssh.
    Apple,
    /// Win32-OpenSSH (Windows' own ssh.exe).
    Windows,
}

impl Flavour {
    /// The suffix of `--ssh-version` (`9.2p1-debian`); empty for upstream.
    pub fn suffix(self) -> &'static str {
        match self {
            Flavour::Upstream => "",
            Flavour::Debian => "debian",
            Flavour::Apple => "apple",
            Flavour::Windows => "windows",
        }
    }

    /// How a person names the build.
    pub fn describe(self) -> &'static str {
        match self {
            Flavour::Upstream => "OpenSSH",
            Flavour::Debian => "Debian's OpenSSH",
            Flavour::Apple => "Apple's OpenSSH",
            Flavour::Windows => "Win32-OpenSSH",
        }
    }
}

/// A release and whose build of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SshVersion {
    pub release: Release,
    pub flavour: Flavour,
}

impl SshVersion {
    pub const fn new(release: Release, flavour: Flavour) -> Self {
        SshVersion { release, flavour }
    }

    /// The newest release gord knows, upstream.
    pub fn newest() -> Self {
        SshVersion::new(newest(), Flavour::Upstream)
    }

    /// The release whose semantics apply: the newest known release not newer
    /// than this one (the oldest known for an older one).
    pub fn semantics(self) -> SshVersion {
        let release = KNOWN
            .iter()
            .rev()
            .find(|k| **k <= self.release)
            .copied()
            .unwrap_or_else(oldest);
        SshVersion::new(release, self.flavour)
    }
}

impl fmt::Display for SshVersion {
    /// `OpenSSH 9.2p1`, `Debian's OpenSSH 9.2p1`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.flavour.describe(), self.release)
    }
}

/// Why a version text was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("this is not OpenSSH (`ssh -V` printed \"{0}\")")]
    NotOpenSsh(String),
    #[error("`ssh -V` printed nothing")]
    Empty,
    #[error("\"{0}\" is not an OpenSSH version such as 10.5p1, 9.2p1-debian, 9.9p2-apple or 9.5p1-windows")]
    BadArgument(String),
}

/// At most this much of a foreign `ssh -V` line is quoted back.
const QUOTED_CHARS: usize = 80;

/// Reads what `ssh -V` prints (on stderr): `OpenSSH_9.2p1 Debian-2+deb12u3,
/// OpenSSL 3.0.11 ...`, `OpenSSH_9.9p2, LibreSSL 3.3.6` (Apple's build: a
/// portable release linked to LibreSSL), `OpenSSH_for_Windows_9.5p1,
/// LibreSSL 3.8.2`, `OpenSSH_9.6p1 Ubuntu-3ubuntu13`. The first non-empty
/// line counts.
pub fn parse_ssh_v(output: &str) -> Result<SshVersion, VersionError> {
    let line = output
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .ok_or(VersionError::Empty)?;
    let not_openssh = || VersionError::NotOpenSsh(line.chars().take(QUOTED_CHARS).collect());
    let (rest, windows) = if let Some(rest) = line.strip_prefix("OpenSSH_for_Windows_") {
        (rest, true)
    } else if let Some(rest) = line.strip_prefix("OpenSSH_") {
        (rest, false)
    } else {
        return Err(not_openssh());
    };
    let end = rest
        .find(|c: char| c == ',' || c.is_whitespace())
        .unwrap_or(rest.len());
    let release = parse_release(&rest[..end]).ok_or_else(not_openssh)?;
    let after = &rest[end..];
    let vendor = after.trim_start().split(',').next().unwrap_or("");
    let flavour = if windows {
        Flavour::Windows
    } else if vendor.starts_with("Debian") || vendor.starts_with("Ubuntu") {
        Flavour::Debian
    } else if release.patch != 0 && after.contains("LibreSSL") {
        // A portable release on LibreSSL is Apple's build; OpenBSD's own
        // ssh has no `p` and other systems link OpenSSL.
        Flavour::Apple
    } else {
        Flavour::Upstream
    };
    Ok(SshVersion::new(release, flavour))
}

/// `9.2p1`, `10.5p1`, `9.9` (OpenBSD's, patch 0).
fn parse_release(text: &str) -> Option<Release> {
    let (major, rest) = text.split_once('.')?;
    let (minor, patch) = match rest.split_once('p') {
        Some((minor, patch)) => (minor, Some(patch)),
        None => (rest, None),
    };
    let number = |s: &str| {
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            None
        } else {
            s.parse::<u16>().ok()
        }
    };
    let patch = match patch {
        Some(p) => number(p).filter(|p| *p > 0)?,
        None => 0,
    };
    Some(Release::new(number(major)?, number(minor)?, patch))
}

/// Reads `--ssh-version`: `10.5p1`, `9.2p1-debian` (or `-ubuntu`),
/// `9.9p2-apple`, `9.5p1-windows`, `10.0p2-upstream`; `10.5` is `10.5p1`.
pub fn parse_version_argument(text: &str) -> Result<SshVersion, VersionError> {
    let bad = || VersionError::BadArgument(text.chars().take(QUOTED_CHARS).collect());
    let trimmed = text.trim();
    let (number, flavour) = match trimmed.split_once('-') {
        Some((number, suffix)) => {
            let flavour = match suffix.to_ascii_lowercase().as_str() {
                "upstream" | "portable" => Flavour::Upstream,
                "debian" | "ubuntu" => Flavour::Debian,
                "apple" | "macos" => Flavour::Apple,
                "windows" | "win32" => Flavour::Windows,
                _ => return Err(bad()),
            };
            (number, flavour)
        }
        None => (trimmed, Flavour::Upstream),
    };
    let mut release = parse_release(number).ok_or_else(bad)?;
    if release.patch == 0 {
        release.patch = 1;
    }
    Ok(SshVersion::new(release, flavour))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(major: u16, minor: u16, patch: u16, flavour: Flavour) -> SshVersion {
        SshVersion::new(Release::new(major, minor, patch), flavour)
    }

    #[test]
    fn ssh_v_of_each_build_gives_its_release_and_flavour() {
        let cases = [
            (
                "OpenSSH_9.2p1 Debian-2+deb12u3, OpenSSL 3.0.11 19 Sep 2023\n",
                v(9, 2, 1, Flavour::Debian),
            ),
            (
                "OpenSSH_9.6p1 Ubuntu-3ubuntu13, OpenSSL 3.0.13 30 Jan 2024",
                v(9, 6, 1, Flavour::Debian),
            ),
            ("OpenSSH_9.9p2, LibreSSL 3.3.6", v(9, 9, 2, Flavour::Apple)),
            (
                "OpenSSH_for_Windows_9.5p1, LibreSSL 3.8.2",
                v(9, 5, 1, Flavour::Windows),
            ),
            (
                "OpenSSH_8.7p1, OpenSSL 3.0.7 1 Nov 2022",
                v(8, 7, 1, Flavour::Upstream),
            ),
            (
                "OpenSSH_10.5p1, OpenSSL 3.0.19 27 Jan 2026",
                v(10, 5, 1, Flavour::Upstream),
            ),
            ("OpenSSH_9.9, LibreSSL 4.0.0", v(9, 9, 0, Flavour::Upstream)),
            ("\n  OpenSSH_10.0p2\n", v(10, 0, 2, Flavour::Upstream)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_ssh_v(text), Ok(expected), "{text:?}");
        }
    }

    #[test]
    fn ssh_v_of_each_macos_release_is_apple_s_build() {
        // What /usr/bin/ssh -V prints on macOS: each version is one of
        // apple-oss-distributions/OpenSSH's tags (with the tag's date where
        // no user report names the macOS release); all link LibreSSL 3.3.6.
        for (macos, text, release) in [
            ("12.6", "OpenSSH_8.6p1, LibreSSL 3.3.6", (8, 6, 1)),
            ("13.5", "OpenSSH_9.0p1, LibreSSL 3.3.6", (9, 0, 1)),
            ("14.3.1", "OpenSSH_9.4p1, LibreSSL 3.3.6", (9, 4, 1)),
            (
                "14 (OpenSSH-328, March 2024)",
                "OpenSSH_9.6p1, LibreSSL 3.3.6",
                (9, 6, 1),
            ),
            (
                "15 (OpenSSH-341)",
                "OpenSSH_9.8p1, LibreSSL 3.3.6",
                (9, 8, 1),
            ),
            ("15.7.7", "OpenSSH_9.9p2, LibreSSL 3.3.6", (9, 9, 2)),
            (
                "26 (Darwin 25)",
                "OpenSSH_10.0p2, LibreSSL 3.3.6",
                (10, 0, 2),
            ),
        ] {
            let (major, minor, patch) = release;
            assert_eq!(
                parse_ssh_v(text),
                Ok(v(major, minor, patch, Flavour::Apple)),
                "macOS {macos}"
            );
        }
        // Monterey's 8.6p1 is older than gord knows: 8.7p1's rules, Apple's
        // keywords.
        let monterey = v(8, 6, 1, Flavour::Apple).semantics();
        assert_eq!(monterey, v(8, 7, 1, Flavour::Apple));
    }

    #[test]
    fn other_clients_and_garbage_are_not_openssh() {
        for text in [
            "Dropbear v2022.83",
            "plink: Release 0.78",
            "ssh wrapper 1.0",
            "OpenSSH_",
            "OpenSSH_9",
            "OpenSSH_9.x",
            "OpenSSH_9.2p",
            "OpenSSH_9.2p0",
            "OpenSSH_99999.1p1",
        ] {
            assert!(
                matches!(parse_ssh_v(text), Err(VersionError::NotOpenSsh(_))),
                "{text:?}"
            );
        }
        assert_eq!(parse_ssh_v(" \n\n"), Err(VersionError::Empty));
        let long = "x".repeat(500);
        let Err(VersionError::NotOpenSsh(quoted)) = parse_ssh_v(&long) else {
            panic!("not OpenSSH");
        };
        assert_eq!(quoted.len(), QUOTED_CHARS);
    }

    #[test]
    fn version_arguments_name_a_release_and_a_flavour() {
        let cases = [
            ("10.5p1", v(10, 5, 1, Flavour::Upstream)),
            ("9.2p1-debian", v(9, 2, 1, Flavour::Debian)),
            ("9.6p1-ubuntu", v(9, 6, 1, Flavour::Debian)),
            ("9.9p2-apple", v(9, 9, 2, Flavour::Apple)),
            ("9.5p1-windows", v(9, 5, 1, Flavour::Windows)),
            ("10.0p2-upstream", v(10, 0, 2, Flavour::Upstream)),
            ("10.5", v(10, 5, 1, Flavour::Upstream)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_version_argument(text), Ok(expected), "{text:?}");
        }
        for text in ["", "9", "9.2p1-debain", "latest", "9.2p1-", "-debian"] {
            assert!(parse_version_argument(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn the_known_releases_run_from_8_7p1_to_10_5p1_in_order() {
        assert_eq!(oldest().to_string(), "8.7p1");
        assert_eq!(newest().to_string(), "10.5p1");
        assert!(KNOWN.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(KNOWN.len(), 22);
    }

    #[test]
    fn an_unknown_release_follows_the_nearest_older_one() {
        let semantics = |text| parse_version_argument(text).unwrap().semantics().release;
        assert_eq!(semantics("9.3p3").to_string(), "9.3p2");
        assert_eq!(semantics("11.0p1").to_string(), "10.5p1");
        assert_eq!(semantics("7.4p1").to_string(), "8.7p1");
        assert_eq!(semantics("9.2p1").to_string(), "9.2p1");
        assert_eq!(
            v(9, 9, 2, Flavour::Apple).to_string(),
            "Apple's OpenSSH 9.9p2"
        );
    }
}
