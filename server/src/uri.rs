//! `file://` URIs to and from paths, through `ls-types`' [`Uri`] (a
//! `fluent-uri` URI): it percent-encodes a path as VS Code does (everything
//! but letters, digits, `-._~` and `/`) and parses with RFC 3986's rules.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use tower_lsp_server::ls_types::Uri;

/// A `file://` URI for a path, percent-encoding what URIs reserve. A
/// relative path is taken from `/` (never from the current directory, which
/// `Uri::from_file_path` would look up on disk).
pub fn file_uri(path: &Path) -> String {
    let absolute;
    let path = if path.is_absolute() {
        path
    } else {
        absolute = Path::new("/").join(path);
        &absolute
    };
    Uri::from_file_path(path).map_or_else(
        // An absolute path always gives a valid URI; this cannot be reached.
        || String::from("file:///"),
        |uri| uri.as_str().to_owned(),
    )
}

/// The path of a `file://` URI; None for other schemes, bad escapes, an
/// empty path, or escapes that decode to something other than UTF-8. An
/// authority, if any, is dropped: only local files matter here.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let uri = Uri::from_str(uri).ok()?;
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    let path = uri.path().decode().to_string().ok()?;
    path.starts_with('/')
        .then(|| PathBuf::from(path.into_owned()))
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
