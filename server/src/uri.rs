//! `file://` URIs to and from paths, through `ls-types`' [`Uri`] (a
//! `fluent-uri` URI): it percent-encodes a path as VS Code does (everything
//! but letters, digits, `-._~` and `/`) and parses with RFC 3986's rules.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use tower_lsp_server::ls_types::Uri;

/// A `file://` URI for a path, percent-encoding what URIs reserve. A
/// relative path is taken from `/` (never from the current directory). On
/// Windows a drive path `C:\\a\\b` becomes `file:///C:/a/b` and a share
/// `\\\\server\\share\\x` becomes `file://server/share/x`, as VS Code writes them.
pub fn file_uri(path: &Path) -> String {
    file_uri_on(&path.to_string_lossy(), cfg!(windows))
}

/// The path of a `file://` URI; None for other schemes, bad escapes, an
/// empty path, or escapes that decode to something other than UTF-8. On
/// Unix an authority, if any, is dropped: only local files matter here. On
/// Windows `file:///C:/x` (or VS Code's `file:///c%3A/x`) is `C:\\x` and an
/// authority is a share's server.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    uri_to_path_on(uri, cfg!(windows)).map(PathBuf::from)
}

/// [`file_uri`] for a path as the given platform spells it (pure, so both
/// platforms are tested everywhere).
fn file_uri_on(path: &str, windows: bool) -> String {
    if windows {
        let slashed = path.replace('\\', "/");
        if let Some(share) = slashed.strip_prefix("//") {
            let (server, rest) = share.split_once('/').unwrap_or((share, ""));
            return format!("file://{}/{}", encode(server), encode(rest));
        }
        if has_drive(&slashed) {
            return format!("file:///{}", encode(&slashed));
        }
        return format!("file://{}", encode(&rooted(&slashed)));
    }
    format!("file://{}", encode(&rooted(path)))
}

fn uri_to_path_on(uri: &str, windows: bool) -> Option<String> {
    let uri = Uri::from_str(uri).ok()?;
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    let path = uri.path().decode().to_string().ok()?.into_owned();
    if !path.starts_with('/') {
        return None;
    }
    if !windows {
        return Some(path);
    }
    let server = uri
        .authority()
        .map(|authority| authority.host().to_owned())
        .filter(|host| !host.is_empty() && !host.eq_ignore_ascii_case("localhost"));
    Some(match server {
        Some(server) => format!("\\\\{server}{}", path.replace('/', "\\")),
        None if has_drive(&path[1..]) => path[1..].replace('/', "\\"),
        None => path.replace('/', "\\"),
    })
}

/// `C:` or `C:/…` at the start.
fn has_drive(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.len() >= 2
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && (bytes.len() == 2 || bytes[2] == b'/')
}

fn rooted(path: &str) -> String {
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

/// Percent-encodes everything but letters, digits, `-._~`, `/` (and the
/// drive's `:`), as VS Code does.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, byte) in text.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
            || (byte == b':' && index == 1 && has_drive(text));
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_unescapes_round_trip() {
        let path = Path::new("/a b/100%/ünï/go.mod");
        let uri = file_uri(path);
        assert_eq!(uri, "file:///a%20b/100%25/%C3%BCn%C3%AF/go.mod");
        assert_eq!(uri_to_path(&uri).unwrap(), path);
        // Reserved characters are escaped as VS Code escapes them.
        let path = Path::new("/go/pkg/mod/golang.org/x/tools@v0.1.0+incompatible/a#b?c");
        let uri = file_uri(path);
        assert_eq!(
            uri,
            "file:///go/pkg/mod/golang.org/x/tools%40v0.1.0%2Bincompatible/a%23b%3Fc"
        );
        assert_eq!(uri_to_path(&uri).unwrap(), path);
        assert_eq!(
            uri_to_path("file:///x/tools@v1/a").unwrap(),
            Path::new("/x/tools@v1/a")
        );
    }

    #[test]
    fn a_relative_path_is_taken_from_the_root() {
        assert_eq!(file_uri(Path::new("a b/c")), "file:///a%20b/c");
    }

    #[test]
    fn windows_drive_and_share_paths_round_trip_as_vs_code_writes_them() {
        let uri = file_uri_on("C:\\Users\\Zoë M\\.ssh\\config", true);
        assert_eq!(uri, "file:///C:/Users/Zo%C3%AB%20M/.ssh/config");
        assert_eq!(
            uri_to_path_on(&uri, true).unwrap(),
            "C:\\Users\\Zoë M\\.ssh\\config"
        );
        // VS Code's own spelling: a lower-case drive and an escaped colon.
        assert_eq!(
            uri_to_path_on("file:///c%3A/Users/me/.ssh/config", true).unwrap(),
            "c:\\Users\\me\\.ssh\\config"
        );
        let share = file_uri_on("\\\\server\\share\\ssh config", true);
        assert_eq!(share, "file://server/share/ssh%20config");
        assert_eq!(
            uri_to_path_on(&share, true).unwrap(),
            "\\\\server\\share\\ssh config"
        );
        assert_eq!(uri_to_path_on("file:///Z:/x", false).unwrap(), "/Z:/x");
    }

    #[test]
    fn refuses_other_schemes_and_broken_escapes() {
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
        assert_eq!(uri_to_path("vscode-remote://ssh-remote+h/x"), None);
        assert_eq!(uri_to_path("file:///a%zz"), None);
        assert_eq!(uri_to_path("file:///a%2"), None);
        assert_eq!(uri_to_path("file:///a%FF"), None, "not UTF-8");
        assert_eq!(uri_to_path("file://host"), None, "no path");
        assert_eq!(uri_to_path("file://host/x").unwrap(), PathBuf::from("/x"));
        assert_eq!(uri_to_path("FILE:///x").unwrap(), PathBuf::from("/x"));
    }
}
