//! The parts of a .netrc the go command uses: `machine`/`login`/`password`
//! entries (after the GNU inetutils format, as go reads it). Passwords are
//! never kept: only whether an entry has one.

use std::path::{Path, PathBuf};

/// One complete entry: go uses an entry only when it has all three tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetrcEntry {
    pub machine: String,
    pub login: String,
}

/// The entries of a .netrc text. A `macdef` body (up to an empty line) is
/// skipped; `default` ends the machine entries.
pub fn parse_netrc(text: &str) -> Vec<NetrcEntry> {
    let mut entries = Vec::new();
    let (mut machine, mut login, mut has_password) = (None::<String>, None::<String>, false);
    let mut in_macro = false;
    'lines: for line in text.split('\n') {
        if in_macro {
            in_macro = !line.trim_end_matches('\r').is_empty();
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let mut pairs = words.chunks_exact(2);
        for pair in pairs.by_ref() {
            match pair[0] {
                "machine" => {
                    (machine, login, has_password) = (Some(pair[1].to_string()), None, false);
                }
                "default" => break 'lines,
                "login" => login = Some(pair[1].to_string()),
                "password" => has_password = true,
                "macdef" => in_macro = true,
                _ => {}
            }
            if let (Some(m), Some(l), true) = (&machine, &login, has_password) {
                entries.push(NetrcEntry {
                    machine: m.clone(),
                    login: l.clone(),
                });
                (machine, login, has_password) = (None, None, false);
            }
        }
        if pairs.remainder().first() == Some(&"default") {
            break;
        }
    }
    entries
}

/// The .netrc the go command reads: `$NETRC`, else `~/.netrc`.
pub fn netrc_path(netrc_var: Option<&str>, home: Option<&Path>) -> Option<PathBuf> {
    match netrc_var.filter(|v| !v.is_empty()) {
        Some(path) => Some(PathBuf::from(path)),
        None => home.map(|h| h.join(".netrc")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_complete_entries_and_keeps_no_password() {
        let text = "machine proxy.corp.example login bot password s3cret\nmachine git.corp.example\n  login me\n  password p4ss\nmachine half login x\n";
        let entries = parse_netrc(text);
        assert_eq!(
            entries,
            [
                NetrcEntry {
                    machine: "proxy.corp.example".into(),
                    login: "bot".into()
                },
                NetrcEntry {
                    machine: "git.corp.example".into(),
                    login: "me".into()
                }
            ]
        );
        assert!(!format!("{entries:?}").contains("s3cret"));
    }

    #[test]
    fn macro_bodies_are_skipped_and_default_ends_the_file() {
        let text = "macdef init\nmachine fake login f password f\n\nmachine a login b password c\ndefault login anon password x\nmachine late login l password p\n";
        let machines: Vec<String> = parse_netrc(text).into_iter().map(|e| e.machine).collect();
        assert_eq!(machines, ["a"]);
    }

    #[test]
    fn netrc_env_var_wins_over_home() {
        let home = Path::new("/home/u");
        assert_eq!(
            netrc_path(Some("/etc/n"), Some(home)),
            Some(PathBuf::from("/etc/n"))
        );
        assert_eq!(
            netrc_path(Some(""), Some(home)),
            Some(PathBuf::from("/home/u/.netrc"))
        );
        assert_eq!(netrc_path(None, None), None);
    }
}
