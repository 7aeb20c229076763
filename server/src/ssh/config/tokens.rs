//! `%` tokens and `${VAR}` in ssh_config values, expanded in exactly the
//! keywords and at exactly the moment OpenSSH expands them.

/// The values of the client's tokens for one connection.
#[derive(Debug, Clone, Default)]
pub struct TokenValues {
    /// A dozen pairs at most: a scan beats hashing. A later pair for the
    /// same token wins.
    pairs: Vec<(char, String)>,
}

impl TokenValues {
    pub fn new(pairs: &[(char, String)]) -> Self {
        Self::from_pairs(pairs.to_vec())
    }

    /// [`TokenValues::new`] taking the pairs as they are.
    pub fn from_pairs(pairs: Vec<(char, String)>) -> Self {
        TokenValues { pairs }
    }

    fn get(&self, key: char) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Expands `%x` (and `%%`); with `dollar`, also `${VAR}` from `env`.
    /// Errors use OpenSSH's words.
    pub fn expand(
        &self,
        text: &str,
        dollar: bool,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<String, String> {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if dollar && c == '$' && chars.peek() == Some(&'{') {
                chars.next();
                let mut name = String::new();
                let mut closed = false;
                for n in chars.by_ref() {
                    if n == '}' {
                        closed = true;
                        break;
                    }
                    name.push(n);
                }
                if !closed {
                    return Err(format!(
                        "environment variable '{name}' missing closing '}}'"
                    ));
                }
                if name.is_empty() {
                    return Err(String::from("zero-length environment variable"));
                }
                match env(&name) {
                    Some(value) => out.push_str(&value),
                    None => return Err(format!("env var ${{{name}}} has no value")),
                }
                continue;
            }
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('%') => out.push('%'),
                None => return Err(String::from("invalid format")),
                Some(key) => match self.get(key) {
                    Some(value) => out.push_str(value),
                    None => return Err(format!("unknown key %{key}")),
                },
            }
        }
        Ok(out)
    }
}

/// Whether `text` has anything [`TokenValues::expand`] would change or
/// refuse: a `%`, or a `${` (with `dollar`). Without, it expands to itself.
pub fn has_tokens(text: &str) -> bool {
    text.contains('%') || text.contains("${")
}

/// `ssh_connection_hash`: SHA-1 of local host, remote host, port, user and
/// (from 9.6) the ProxyJump host, hex (`%C`). Before 9.6, or with no jump
/// host, `jump` is empty and adds nothing.
pub fn connection_hash(local_host: &str, host: &str, port: &str, user: &str, jump: &str) -> String {
    let mut hasher = sha1_smol::Sha1::new();
    for part in [local_host, host, port, user, jump] {
        hasher.update(part.as_bytes());
    }
    // Hex by hand: formatting each byte costs more than the hash.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(40);
    for byte in hasher.digest().bytes() {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

/// `~` or `~/...` at the start of a path becomes the home directory.
pub fn tilde_expand(text: &str, home: &str) -> String {
    if text == "~" {
        return home.to_string();
    }
    match text.strip_prefix("~/") {
        Some(rest) => format!("{}/{rest}", home.trim_end_matches('/')),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> TokenValues {
        TokenValues::new(&[
            ('h', "host.example".into()),
            ('p', "22".into()),
            ('r', "alice".into()),
        ])
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn expands_known_tokens_and_percent_signs() {
        assert_eq!(
            values().expand("%r@%h:%p 100%%", false, &no_env).unwrap(),
            "alice@host.example:22 100%"
        );
    }

    #[test]
    fn unknown_tokens_and_dangling_percent_are_errors() {
        assert_eq!(
            values().expand("%z", false, &no_env).unwrap_err(),
            "unknown key %z"
        );
        assert_eq!(
            values().expand("50%", false, &no_env).unwrap_err(),
            "invalid format"
        );
    }

    #[test]
    fn environment_variables_only_where_asked() {
        let env = |name: &str| (name == "SOCK").then(|| String::from("/run/agent"));
        assert_eq!(
            values().expand("${SOCK}/x", true, &env).unwrap(),
            "/run/agent/x"
        );
        assert_eq!(values().expand("${SOCK}", false, &env).unwrap(), "${SOCK}");
        assert!(values().expand("${NOPE}", true, &env).is_err());
    }

    #[test]
    fn connection_hash_is_sha1_hex_of_the_four_parts() {
        let hash = connection_hash("local", "remote", "22", "user", "");
        assert_eq!(hash.len(), 40);
        assert_eq!(
            hash,
            connection_hash("loc", "alremote", "22", "user", ""),
            "plain concatenation, as OpenSSH does"
        );
    }

    #[test]
    fn connection_hash_matches_the_reference_clients_with_and_without_the_jump_host() {
        // `ssh -G` of 9.2p1 and 10.5p1 on a machine named `vm`, user root,
        // `Host a.test` / `ProxyJump j@jump:2222` / `ControlPath /tmp/%C`
        // (the recordings hide the hash, which depends on the machine).
        assert_eq!(
            connection_hash("vm", "a.test", "22", "root", ""),
            "c4c637b35c4b42962f825d1a302dfe0426a40eba",
            "9.2p1: the jump host is not hashed"
        );
        assert_eq!(
            connection_hash("vm", "a.test", "22", "root", "jump"),
            "3fdb64e85241694222ccdd99dd85e0f811c0669c",
            "10.5p1: the jump host is hashed last"
        );
    }

    #[test]
    fn tilde_means_home_only_at_the_start() {
        assert_eq!(tilde_expand("~/.ssh/x", "/home/u"), "/home/u/.ssh/x");
        assert_eq!(tilde_expand("/a/~/b", "/home/u"), "/a/~/b");
        assert_eq!(tilde_expand("~", "/home/u"), "/home/u");
    }
}
