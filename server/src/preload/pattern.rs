//! GOPRIVATE, GONOPROXY and GONOSUMDB matching, with Go's semantics: a
//! comma-separated list of globs, each matched with `path.Match` against the
//! prefix of the module path that has as many `/`-separated elements as the
//! glob (`corp.example/*` covers `corp.example/team/repo/v2`).

/// True when any glob in `globs` matches a path prefix of `module_path`.
pub fn matches_prefix_patterns(globs: &str, module_path: &str) -> bool {
    globs
        .split(',')
        .map(|glob| glob.strip_suffix('/').unwrap_or(glob))
        .filter(|glob| !glob.is_empty())
        .any(|glob| {
            let elements = glob.matches('/').count() + 1;
            let mut parts = module_path.splitn(elements + 1, '/');
            let mut len = 0;
            for index in 0..elements {
                match parts.next() {
                    Some(part) => len += part.len() + usize::from(index > 0),
                    None => return false,
                }
            }
            path_match(glob, &module_path[..len])
        })
}

/// Go's `path.Match`: `*` is any run of non-`/` bytes, `?` one non-`/`
/// character, `[...]` a class (`^` negates, `a-z` ranges), `\` escapes. A
/// malformed pattern matches nothing. Iterative, so no input can make it
/// recurse deeply.
pub fn path_match(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    let (mut p, mut n) = (0, 0);
    // Where to resume after the last `*`: (pattern index after it, name index).
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() {
            match pattern[p] {
                '*' => {
                    star = Some((p + 1, n));
                    p += 1;
                    continue;
                }
                '?' if name[n] != '/' => {
                    p += 1;
                    n += 1;
                    continue;
                }
                '[' => match class_matches(&pattern, p, name[n]) {
                    Some((true, next)) => {
                        p = next;
                        n += 1;
                        continue;
                    }
                    Some((false, _)) => {}
                    None => return false,
                },
                '\\' => {
                    if p + 1 >= pattern.len() {
                        return false;
                    }
                    if pattern[p + 1] == name[n] {
                        p += 2;
                        n += 1;
                        continue;
                    }
                }
                c if c != '?' && c == name[n] => {
                    p += 1;
                    n += 1;
                    continue;
                }
                _ => {}
            }
        }
        // Mismatch: let the last `*` take one more character, unless that
        // character is a `/`, which no `*` crosses.
        match star {
            Some((after, from)) if name[from] != '/' => {
                star = Some((after, from + 1));
                p = after;
                n = from + 1;
            }
            _ => return false,
        }
    }
    while p < pattern.len() && pattern[p] == '*' {
        p += 1;
    }
    p == pattern.len()
}

/// Matches `c` against the class starting at `pattern[start] == '['`.
/// Returns (matched, index after the class), or None when malformed.
fn class_matches(pattern: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negated = pattern.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let lo = *pattern.get(i)?;
        if lo == ']' && !first {
            i += 1;
            break;
        }
        first = false;
        let (lo, after_lo) = class_char(pattern, i)?;
        let (hi, after) = if pattern.get(after_lo) == Some(&'-') {
            class_char(pattern, after_lo + 1)?
        } else {
            (lo, after_lo)
        };
        if lo <= c && c <= hi {
            matched = true;
        }
        i = after;
    }
    Some((matched != negated && c != '/', i))
}

fn class_char(pattern: &[char], i: usize) -> Option<(char, usize)> {
    match *pattern.get(i)? {
        '-' | ']' => None,
        '\\' => pattern.get(i + 1).map(|&c| (c, i + 2)),
        c => Some((c, i + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glob_matches_the_prefix_with_as_many_elements() {
        let globs = "*.corp.example,rsc.io/private";
        assert!(matches_prefix_patterns(globs, "git.corp.example/team/repo"));
        assert!(matches_prefix_patterns(globs, "rsc.io/private"));
        assert!(matches_prefix_patterns(globs, "rsc.io/private/quux/v2"));
        assert!(!matches_prefix_patterns(globs, "rsc.io/public"));
        assert!(
            !matches_prefix_patterns(globs, "corp.example/x"),
            "* needs a character before .corp"
        );
        assert!(
            !matches_prefix_patterns("rsc.io/private", "rsc.io"),
            "too few elements"
        );
        assert!(matches_prefix_patterns(
            "github.com/acme/",
            "github.com/acme/tool"
        ));
        assert!(!matches_prefix_patterns("", "anything"));
        assert!(!matches_prefix_patterns(",,", "anything"));
    }

    #[test]
    fn path_match_follows_go() {
        assert!(path_match("a*b", "axxb"));
        assert!(!path_match("a*b", "ax/b"), "* does not cross /");
        assert!(path_match("a?c", "abc"));
        assert!(!path_match("a?c", "a/c"));
        assert!(path_match("[a-c]x", "bx"));
        assert!(path_match("[^a-c]x", "dx"));
        assert!(!path_match("[^a-c]x", "ax"));
        assert!(path_match("a\\*b", "a*b"));
        assert!(!path_match("a\\*b", "axb"));
        assert!(!path_match("[", "a"), "malformed matches nothing");
        assert!(!path_match("a\\", "a"));
        assert!(path_match("*", ""));
        assert!(path_match("**", "abc"));
        assert!(path_match("github.com/*", "github.com/acme"));
    }
}
