//! Go version strings: `go1.26.8`, `1.21`, `go1.22rc1`, `devel go1.27-abc`.

use std::cmp::Ordering;
use std::fmt;

/// A Go release version. Ordering follows Go's: `1.21rc1 < 1.21.0 == 1.21`
/// for comparisons that matter here (a language version `1.21` means `1.21.0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: Option<u32>,
    /// `rc1`, `beta2`; None for a release.
    pub prerelease: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a Go version (expected e.g. 1.21 or go1.26.8)")]
pub struct BadGoVersion(pub String);

impl GoVersion {
    pub fn new(major: u32, minor: u32, patch: Option<u32>) -> Self {
        GoVersion {
            major,
            minor,
            patch,
            prerelease: None,
        }
    }

    /// Parses `1.21`, `1.21.3`, `go1.21.3`, `go1.22rc1`.
    pub fn parse(text: &str) -> Result<Self, BadGoVersion> {
        let bad = || BadGoVersion(text.to_string());
        let body = text.trim();
        let body = body.strip_prefix("go").unwrap_or(body);
        let mut parts = body.splitn(3, '.');
        let major = parts.next().ok_or_else(bad)?;
        let major: u32 = digits(major).ok_or_else(bad)?;
        let second = parts.next().ok_or_else(bad)?;
        let (minor, pre_after_minor) = split_number(second).ok_or_else(bad)?;
        let (patch, prerelease) = match parts.next() {
            Some(third) if pre_after_minor.is_none() => {
                let (patch, pre) = split_number(third).ok_or_else(bad)?;
                (Some(patch), pre)
            }
            Some(_) => return Err(bad()),
            None => (None, pre_after_minor),
        };
        if let Some(pre) = &prerelease {
            let known = ["rc", "beta", "alpha"]
                .iter()
                .any(|p| pre.strip_prefix(p).is_some_and(|n| digits(n).is_some()));
            if !known {
                return Err(bad());
            }
        }
        Ok(GoVersion {
            major,
            minor,
            patch,
            prerelease,
        })
    }

    /// Finds the first `goX.Y[.Z]` word in a line such as
    /// `go version go1.26.8 linux/amd64` or `/usr/bin/gopls: go1.24.2`.
    pub fn find_in(line: &str) -> Option<Self> {
        line.split(|c: char| c.is_whitespace() || c == ':')
            .filter(|w| w.starts_with("go1") || w.starts_with("go2"))
            .find_map(|w| GoVersion::parse(w).ok())
    }

    /// The language version, `1.N`, which is what tool compatibility turns on.
    pub fn language(&self) -> (u32, u32) {
        (self.major, self.minor)
    }
}

fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `22rc1` → (22, Some("rc1")); `8` → (8, None).
fn split_number(text: &str) -> Option<(u32, Option<String>)> {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let number = digits(&text[..end])?;
    let rest = &text[end..];
    Some((number, (!rest.is_empty()).then(|| rest.to_string())))
}

impl Ord for GoVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch.unwrap_or(0))
            .cmp(&(other.major, other.minor, other.patch.unwrap_or(0)))
            // A prerelease comes before the release it leads to.
            .then_with(|| match (&self.prerelease, &other.prerelease) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => prerelease_key(a).cmp(&prerelease_key(b)),
            })
    }
}

fn prerelease_key(pre: &str) -> (u8, u32) {
    let rank = if pre.starts_with("alpha") {
        0
    } else if pre.starts_with("beta") {
        1
    } else {
        2
    };
    let n = pre
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .unwrap_or(0);
    (rank, n)
}

impl PartialOrd for GoVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for GoVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "go{}.{}", self.major, self.minor)?;
        if let Some(patch) = self.patch {
            write!(f, ".{patch}")?;
        }
        if let Some(pre) = &self.prerelease {
            write!(f, "{pre}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_go_prints_and_users_write() {
        assert_eq!(
            GoVersion::parse("go1.26.8").unwrap(),
            GoVersion::new(1, 26, Some(8))
        );
        assert_eq!(
            GoVersion::parse("1.21").unwrap(),
            GoVersion::new(1, 21, None)
        );
        let rc = GoVersion::parse("go1.22rc1").unwrap();
        assert_eq!(rc.prerelease.as_deref(), Some("rc1"));
        assert_eq!(rc.to_string(), "go1.22rc1");
    }

    #[test]
    fn rejects_what_is_not_a_version() {
        for bad in [
            "", "go", "1", "1.x", "1.21.x", "one.two", "1.21.0.1", "1.21foo", "1..2", "-1.2",
        ] {
            assert!(GoVersion::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn orders_like_go_does() {
        let v = |s| GoVersion::parse(s).unwrap();
        assert!(v("1.21") < v("1.21.1"));
        assert_eq!(v("1.21").cmp(&v("1.21.0")), Ordering::Equal);
        assert!(v("1.22rc1") < v("1.22.0"));
        assert!(v("1.22beta1") < v("1.22rc1"));
        assert!(v("1.9") < v("1.10"));
        assert!(v("go1.26.8") > v("1.21"));
    }

    #[test]
    fn finds_the_version_word_in_tool_output() {
        assert_eq!(
            GoVersion::find_in("go version go1.26.8 linux/amd64"),
            Some(GoVersion::new(1, 26, Some(8)))
        );
        assert_eq!(
            GoVersion::find_in("/root/go/bin/gopls: go1.24.2"),
            Some(GoVersion::new(1, 24, Some(2)))
        );
        assert_eq!(GoVersion::find_in("no version here"), None);
    }
}
