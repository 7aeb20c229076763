//! A grammar-aware ssh_config generator for the differential fuzzer:
//! deterministic per seed, pure (it returns file contents; the driver writes
//! them). Keywords come from gord's own table (`keywords::KEYWORDS`), values
//! are drawn per kind from plausible and implausible ones, and the text is
//! varied the ways readconf.c must cope with: `=` separators, quoting, case,
//! indentation, comments, CRLF or LF, Host and Match blocks, Include trees
//! and `%` tokens.
//!
//! Nothing generated makes `ssh -G` touch the network or run a command: no
//! `Match exec`/`localnetwork`, no hostname canonicalisation other than
//! `no`, and host names under `.test`/`.invalid`.

use std::path::Path;

use gord::ssh::config::keywords::{Kind, KEYWORDS};

/// splitmix64: small, seedable, the same sequence on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One generated case: files (name relative to the case directory, bytes;
/// the first is the one given to `-F`) and the host to resolve.
pub struct Generated {
    pub files: Vec<(String, Vec<u8>)>,
    pub host: String,
}

const HOSTS: &[&str] = &["alpha", "beta.test", "db1", "web.prod.test", "x.invalid"];
const PATTERNS: &[&str] = &[
    "*",
    "alpha",
    "beta.test",
    "*.test",
    "db?",
    "!x.invalid",
    "web.*.test",
    "\"*.prod.test\"",
    "!*.test",
    "d[b]1",
];
const WORDS: &[&str] = &["alice", "bob", "root", "deploy-user", "a.b", "x"];
const TOKENS: &[&str] = &[
    "%h", "%p", "%r", "%u", "%n", "%d", "%C", "%%", "%L", "%l", "%i", "%k", "%j", "%X", "%",
];

/// Values for keywords gord does not model (it keeps them opaque): only
/// values every release from 8.7p1 accepts, so a divergence points at
/// something gord models.
const OPAQUE_VALUES: &[(&str, &[&str])] = &[
    ("gssapiauthentication", &["yes", "no"]),
    ("gssapidelegatecredentials", &["yes", "no"]),
    (
        "ciphers",
        &[
            "aes128-ctr",
            "+aes128-cbc",
            "-chacha20-poly1305@openssh.com",
        ],
    ),
    ("macs", &["hmac-sha2-256", "+hmac-sha1"]),
    (
        "kexalgorithms",
        &["curve25519-sha256", "-diffie-hellman-group14-sha256"],
    ),
    (
        "hostkeyalgorithms",
        &["ssh-ed25519", "+ssh-rsa", "^ssh-ed25519"],
    ),
    ("pubkeyacceptedalgorithms", &["+ssh-rsa", "ssh-ed25519"]),
    ("rekeylimit", &["1G", "default none", "512M 1h"]),
    ("fingerprinthash", &["sha256", "md5"]),
    ("syslogfacility", &["USER", "LOCAL0"]),
    ("streamlocalbindmask", &["0177", "0022"]),
];

/// Values of the keywords checked by release (`Kind::ByRelease`): (keyword,
/// accepted somewhere, refused). CanonicalizePermittedCNAMEs gets no rule:
/// with one, `ssh -G` resolves a direct host to check its CNAMEs.
const BY_RELEASE_VALUES: &[(&str, &[&str], &[&str])] = &[
    (
        "ipqos",
        &[
            "lowdelay", "af21 cs1", "none", "EF", "32 4", "0x10", "va", "le cs7",
        ],
        &["256", "af5", "ef cs0 cs1"],
    ),
    (
        "escapechar",
        &["~", "none", "^A", "^@", "%", "\\", "\" \"", "^"],
        &["^?", "~~", "^é"],
    ),
    (
        "tunneldevice",
        &["any", "1:2", "any:any", "0", "ANY:7"],
        &["tun0", "1:x", "-1"],
    ),
    (
        "canonicaldomains",
        &["a.test", "Ex.COM. b.test", "none", "_srv.test", "x-1.test"],
        &["a..b", "a.test none", "-a.test", "a!b"],
    ),
    (
        "canonicalizepermittedcnames",
        &["none"],
        &["a.test", "a:", "x none"],
    ),
    (
        "logverbose",
        &["kex.c:*:1000", "none", "a.c b.c"],
        &["a.c none"],
    ),
    (
        "permitremoteopen",
        &["any", "none", "h.test:22", "[::1]:80 h:*", "h:ssh"],
        &["h:0", "h", "h:1 any", "[x]y", "h/80"],
    ),
];

/// Generates the case for `seed`. Include lines name files under `dir`
/// (the directory the driver writes the files to).
pub fn generate(seed: u64, dir: &Path) -> Generated {
    let mut rng = Rng::new(seed);
    let crlf = rng.chance(25);
    let includes = rng.below(3);
    let mut files = Vec::new();
    let mut main = Vec::new();
    if rng.chance(50) {
        let n = 1 + rng.below(3);
        body(&mut rng, &mut main, n);
    }
    for i in 0..includes {
        let target = if rng.chance(20) {
            format!("{}/inc*.conf", dir.display())
        } else if rng.chance(10) {
            format!("{}/missing{i}.conf", dir.display())
        } else {
            format!("{}/inc{i}.conf", dir.display())
        };
        let line = format!("{} {}", spell(&mut rng, "Include"), target);
        if rng.chance(50) {
            main.push(line);
        } else {
            main.push(host_line(&mut rng));
            main.push(format!("  {line}"));
        }
    }
    for _ in 0..1 + rng.below(4) {
        block(&mut rng, &mut main);
    }
    files.push((String::from("main.conf"), join(&main, crlf)));
    for i in 0..includes {
        let mut inc = Vec::new();
        let n = rng.below(3);
        body(&mut rng, &mut inc, n);
        if rng.chance(60) {
            block(&mut rng, &mut inc);
        }
        files.push((format!("inc{i}.conf"), join(&inc, rng.chance(25))));
    }
    let host = rng.pick(HOSTS).to_string();
    Generated { files, host }
}

fn join(lines: &[String], crlf: bool) -> Vec<u8> {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    for line in lines {
        out.push_str(line);
        out.push_str(eol);
    }
    out.into_bytes()
}

fn block(rng: &mut Rng, out: &mut Vec<String>) {
    if rng.chance(30) {
        out.push(match_line(rng));
    } else {
        out.push(host_line(rng));
    }
    let n = 1 + rng.below(5);
    body(rng, out, n);
}

fn host_line(rng: &mut Rng) -> String {
    let n = 1 + rng.below(3);
    let patterns: Vec<&str> = (0..n).map(|_| *rng.pick(PATTERNS)).collect();
    format!(
        "{}{}{}",
        spell(rng, "Host"),
        separator(rng),
        patterns.join(" ")
    )
}

fn match_line(rng: &mut Rng) -> String {
    let mut criteria = Vec::new();
    for _ in 0..1 + rng.below(2) {
        let negate = if rng.chance(20) { "!" } else { "" };
        let criterion = match rng.below(7) {
            0 => String::from("all"),
            1 => String::from("canonical"),
            2 => String::from("final"),
            3 => format!(
                "{negate}host {}",
                rng.pick(PATTERNS).trim_start_matches('!')
            ),
            4 => format!("{negate}originalhost {}", rng.pick(HOSTS)),
            5 => format!("{negate}user {}", rng.pick(WORDS)),
            _ => format!("{negate}localuser {}", rng.pick(WORDS)),
        };
        criteria.push(criterion);
    }
    format!("{} {}", spell(rng, "Match"), criteria.join(" "))
}

/// `n` keyword lines, with a comment or a blank line now and then.
fn body(rng: &mut Rng, out: &mut Vec<String>, n: usize) {
    for _ in 0..n {
        if rng.chance(8) {
            out.push(String::from("# a comment"));
        }
        if rng.chance(5) {
            out.push(String::new());
        }
        if let Some(line) = keyword_line(rng) {
            let indent = *rng.pick(&["", "  ", "\t", "    "]);
            out.push(format!("{indent}{line}"));
        }
    }
}

fn keyword_line(rng: &mut Rng) -> Option<String> {
    let keyword = rng.pick(KEYWORDS);
    let value = match keyword.kind {
        Kind::Host | Kind::Match | Kind::Include => return None,
        Kind::Opaque => {
            let values = OPAQUE_VALUES.iter().find(|(k, _)| *k == keyword.name)?.1;
            rng.pick(values).to_string()
        }
        Kind::ByRelease => {
            let (_, good, bad) = BY_RELEASE_VALUES
                .iter()
                .find(|(k, _, _)| *k == keyword.name)?;
            if rng.chance(10) {
                rng.pick(bad).to_string()
            } else {
                rng.pick(good).to_string()
            }
        }
        _ if keyword.name == "canonicalizehostname" => String::from("no"),
        kind => value(rng, kind),
    };
    let value = if rng.chance(10) && !value.contains(['"', ' ']) {
        format!("\"{value}\"")
    } else {
        value
    };
    Some(format!(
        "{}{}{}",
        spell(rng, keyword.name),
        separator(rng),
        value
    ))
}

/// The keyword as written: lower, Capitalised or UPPER.
fn spell(rng: &mut Rng, name: &str) -> String {
    match rng.below(4) {
        0 => name.to_ascii_lowercase(),
        1 => name.to_ascii_uppercase(),
        _ => {
            let mut chars = name.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        }
    }
}

fn separator(rng: &mut Rng) -> &'static str {
    const SEPARATORS: &[&str] = &[" ", " ", " ", "=", " = ", "\t", "  "];
    rng.pick::<&str>(SEPARATORS)
}

fn token_word(rng: &mut Rng) -> String {
    let mut word = rng.pick(WORDS).to_string();
    if rng.chance(40) {
        word.push('-');
        word.push_str(rng.pick::<&str>(TOKENS));
    }
    word
}

fn value(rng: &mut Rng, kind: Kind) -> String {
    let bogus = rng.chance(4);
    let pick = |rng: &mut Rng, good: &[&str], bad: &[&str]| -> String {
        if bogus && !bad.is_empty() {
            rng.pick(bad).to_string()
        } else {
            rng.pick(good).to_string()
        }
    };
    match kind {
        Kind::Flag => pick(
            rng,
            &["yes", "no", "true", "false", "YES", "No"],
            &["maybe", "1"],
        ),
        Kind::Choice(table) => {
            if bogus {
                String::from("sometimes")
            } else {
                rng.pick(table).0.to_string()
            }
        }
        Kind::Int => pick(rng, &["0", "1", "3", "10"], &["-1", "x", "99999999999"]),
        Kind::Port => pick(
            rng,
            &["22", "2222", "65535", "ssh"],
            &["0", "65536", "nosuch"],
        ),
        Kind::Time => pick(
            rng,
            &["30", "1m30s", "0", "none", "1h", "5M"],
            &["5x", "-3"],
        ),
        Kind::Str => token_word(rng),
        Kind::Command => pick(rng, &["echo %h %p", "none", "true"], &[]),
        Kind::IdentityFile | Kind::CertificateFile => pick(
            rng,
            &[
                "~/.ssh/id_%h",
                "/tmp/k_%r",
                "none",
                "${HOME}/k",
                "\"/tmp/with space\"",
            ],
            &["${GORD_NO_SUCH_VAR}/k", "~/.ssh/%X"],
        ),
        Kind::FileList => pick(
            rng,
            &["~/.ssh/kh1 ~/.ssh/kh2", "none", "/tmp/kh_%h", "/dev/null"],
            &[],
        ),
        Kind::SendEnv => pick(rng, &["LANG LC_*", "-LANG", "GORD_*"], &[]),
        Kind::SetEnv => pick(rng, &["FOO=bar", "\"A=b c\" D=e", "X=%h"], &["BAD", "=x"]),
        Kind::LocalForward => pick(
            rng,
            &[
                "8080 localhost:80",
                "[::1]:8080 h.test:80",
                "/tmp/s.sock /tmp/r.sock",
            ],
            &["bad", "8080"],
        ),
        Kind::RemoteForward => pick(
            rng,
            &["9090 localhost:90", "9090", "[::]:9 h.test:9"],
            &["x y z"],
        ),
        Kind::DynamicForward => pick(rng, &["1080", "localhost:1080", "[::1]:1080"], &["a:b:c"]),
        Kind::ForwardAgent => pick(
            rng,
            &[
                "yes",
                "no",
                "~/agent.sock",
                "$SSH_AUTH_SOCK",
                "${HOME}/a.%h",
            ],
            &["${GORD_NO_SUCH_VAR}/a"],
        ),
        Kind::ControlPersist => pick(rng, &["yes", "no", "10m", "0", "4h"], &["bad"]),
        Kind::AddKeysToAgent => pick(
            rng,
            &["yes", "no", "ask", "confirm", "1h", "confirm 1h"],
            &["bad"],
        ),
        Kind::ProxyJump => pick(
            rng,
            &[
                "bastion.test",
                "u@b.test:2222,c.test",
                "none",
                "%h.jump.test",
            ],
            &["bad host", "a@@b"],
        ),
        Kind::ProxyCommand => pick(rng, &["ssh -W %h:%p bastion.test", "none", "nc %h %p"], &[]),
        Kind::IdentityAgent => pick(
            rng,
            &[
                "none",
                "SSH_AUTH_SOCK",
                "~/agent.%h",
                "$SSH_AUTH_SOCK",
                "${HOME}/a",
            ],
            &["${GORD_NO_SUCH_VAR}"],
        ),
        Kind::LogLevel => pick(
            rng,
            &["QUIET", "FATAL", "ERROR", "INFO", "VERBOSE", "DEBUG3"],
            &["LOUD"],
        ),
        Kind::ObscureTiming => pick(rng, &["yes", "no", "interval:20"], &["interval:x"]),
        Kind::ChannelTimeout => pick(
            rng,
            &["none", "session=5m", "global=1h session=0"],
            &["bad"],
        ),
        // Names of every list, so a name lands in the wrong list too; the
        // modifiers and patterns as ssh_config(5) allows them.
        Kind::Algorithms => {
            let name = pick(
                rng,
                &[
                    "aes128-ctr",
                    "aes256-gcm@openssh.com",
                    "hmac-sha2-256",
                    "umac-64-etm@openssh.com",
                    "curve25519-sha256",
                    "mlkem768x25519-sha256",
                    "sntrup761x25519-sha512",
                    "ssh-ed25519",
                    "rsa-sha2-*",
                    "ssh-rsa",
                    "ssh-ed25519-cert-v01@openssh.com",
                    "*-cert-v01@openssh.com",
                ],
                &["ssh-dss", "bogus", "aes*", "!ssh-rsa", "RSA"],
            );
            let modifier = rng.pick(&["", "", "+", "-", "^"]);
            if rng.chance(30) {
                let other = rng.pick(&["aes128-cbc", "hmac-sha1", "ecdh-sha2-nistp256", "ssh-rsa"]);
                format!("{modifier}{name},{other}")
            } else {
                format!("{modifier}{name}")
            }
        }
        Kind::RekeyLimit => pick(
            rng,
            &["1G", "500M 1h", "default none", "1.5K 30", "0", "16"],
            &["8", "1X", "1G x", "-1G", "1G 1h extra"],
        ),
        Kind::FingerprintHash => pick(rng, &["md5", "SHA256", "sha512"], &["sha3", "none"]),
        Kind::SyslogFacility => pick(rng, &["USER", "local7", "AUTHPRIV"], &["KERN", "x"]),
        Kind::StreamLocalBindMask => {
            pick(rng, &["0177", "077", "0", "0777x"], &["0800", "-1", "x"])
        }
        Kind::Ignore | Kind::Deprecated | Kind::Unsupported => String::from("yes"),
        Kind::Host | Kind::Match | Kind::Include | Kind::Opaque | Kind::ByRelease => {
            String::from("x")
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_case_and_others_differ() {
    let dir = Path::new("/case");
    let a = generate(7, dir);
    let b = generate(7, dir);
    assert_eq!(a.files, b.files);
    assert_eq!(a.host, b.host);
    let distinct: std::collections::HashSet<Vec<u8>> = (0..50)
        .map(|s| generate(s, dir).files[0].1.clone())
        .collect();
    assert!(
        distinct.len() > 45,
        "only {} distinct configs",
        distinct.len()
    );
}
