//! The ssh_config keywords OpenSSH knows (readconf.c's table, 8.7p1 to
//! 10.5p1), what kind of value each takes, and the name `ssh -G` prints it
//! under. Which release has which keyword is `crate::ssh::release::history`.

/// How a keyword's arguments are read and kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// yes/no/true/false, printed yes/no.
    Flag,
    /// One of a fixed set: (accepted word, printed word), case-insensitive.
    Choice(&'static [(&'static str, &'static str)]),
    Int,
    Port,
    /// A time (`30`, `1m30s`) or `none`, printed in seconds.
    Time,
    /// The first argument, kept as written.
    Str,
    /// The rest of the line, raw (ProxyCommand, RemoteCommand, ...).
    Command,
    IdentityFile,
    CertificateFile,
    /// UserKnownHostsFile / GlobalKnownHostsFile: several files, first line wins.
    FileList,
    SendEnv,
    SetEnv,
    LocalForward,
    RemoteForward,
    DynamicForward,
    ForwardAgent,
    ControlPersist,
    AddKeysToAgent,
    ProxyJump,
    ProxyCommand,
    IdentityAgent,
    LogLevel,
    Host,
    Match,
    Include,
    /// Accepted and silently ignored (`Protocol`).
    Ignore,
    /// Removed from OpenSSH; accepted with a debug message.
    Deprecated,
    /// Not compiled into this client; OpenSSH logs an error but goes on.
    Unsupported,
    /// ObscureKeystrokeTiming: yes/no/`interval:N`, printed yes/no/N.
    ObscureTiming,
    /// ChannelTimeout: `none` alone, or `type=interval`s; first line wins.
    ChannelTimeout,
    /// An algorithm list (Ciphers, KexAlgorithms, ...): its first argument,
    /// checked and expanded by release (`crate::ssh::release::algorithms`).
    Algorithms,
    /// RekeyLimit: an amount (`crate::ssh::config::rekey`) and an optional
    /// interval, each first-wins on its own.
    RekeyLimit,
    /// FingerprintHash: a digest name, printed as ssh spells it.
    FingerprintHash,
    /// SyslogFacility: read on every line, active or not; the first wins.
    SyslogFacility,
    /// StreamLocalBindMask: an octal mask read on every line, active or
    /// not; the last wins.
    StreamLocalBindMask,
    /// IPQoS, EscapeChar, TunnelDevice, CanonicalDomains,
    /// CanonicalizePermittedCNAMEs, LogVerbose, PermitRemoteOpen: checked
    /// by release (`crate::ssh::config::special`), every argument kept as
    /// written; the first line wins.
    ByRelease,
    /// Valid, but gord does not model its value.
    Opaque,
}

/// The digests of digest-openssl.c, as `ssh -G` prints them.
pub const DIGESTS: &[&str] = &["MD5", "SHA1", "SHA256", "SHA384", "SHA512"];

/// log.c's syslog facilities.
pub const FACILITIES: &[&str] = &[
    "DAEMON", "USER", "AUTH", "AUTHPRIV", "LOCAL0", "LOCAL1", "LOCAL2", "LOCAL3", "LOCAL4",
    "LOCAL5", "LOCAL6", "LOCAL7",
];

impl Kind {
    /// readconf.c keeps these from every line, in a block that applies or
    /// not (it does not look at `*activep` for them).
    pub fn kept_when_inactive(self) -> bool {
        matches!(self, Kind::SyslogFacility | Kind::StreamLocalBindMask)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Keyword {
    /// As written in the table (lowercase).
    pub name: &'static str,
    /// The name the value is kept and printed under (aliases share it).
    pub canonical: &'static str,
    pub kind: Kind,
}

pub const FLAG_WORDS: &[(&str, &str)] = &[
    ("true", "yes"),
    ("false", "no"),
    ("yes", "yes"),
    ("no", "no"),
];
const YES_NO_ASK: &[(&str, &str)] = &[
    ("true", "true"),
    ("false", "false"),
    ("yes", "true"),
    ("no", "false"),
    ("ask", "ask"),
];
pub const STRICT_HOST_KEY: &[(&str, &str)] = &[
    ("true", "true"),
    ("false", "false"),
    ("yes", "true"),
    ("no", "false"),
    ("ask", "ask"),
    ("off", "false"),
    ("accept-new", "accept-new"),
];
pub const CONTROL_MASTER: &[(&str, &str)] = &[
    ("true", "true"),
    ("yes", "true"),
    ("false", "false"),
    ("no", "false"),
    ("auto", "auto"),
    ("ask", "ask"),
    ("autoask", "autoask"),
];
const REQUEST_TTY: &[(&str, &str)] = &[
    ("true", "true"),
    ("yes", "true"),
    ("false", "false"),
    ("no", "false"),
    ("force", "force"),
    ("auto", "auto"),
];
const PUBKEY_AUTH: &[(&str, &str)] = &[
    ("true", "true"),
    ("false", "false"),
    ("yes", "true"),
    ("no", "false"),
    ("unbound", "unbound"),
    ("host-bound", "host-bound"),
];
const WARN_WEAK_CRYPTO: &[(&str, &str)] = &[
    ("true", "yes"),
    ("false", "no"),
    ("yes", "yes"),
    ("no", "no"),
    ("no-pq-kex", "no"),
];
const COMPRESSION: &[(&str, &str)] = &[("yes", "yes"), ("no", "no")];
const ADDRESS_FAMILY: &[(&str, &str)] = &[("inet", "inet"), ("inet6", "inet6"), ("any", "any")];
const TUNNEL: &[(&str, &str)] = &[
    ("ethernet", "ethernet"),
    ("point-to-point", "point-to-point"),
    // SSH_TUNMODE_DEFAULT is point-to-point, and -G prints the first name
    // of a value.
    ("true", "point-to-point"),
    ("yes", "point-to-point"),
    ("false", "false"),
    ("no", "false"),
];
const SESSION_TYPE: &[(&str, &str)] = &[
    ("none", "none"),
    ("subsystem", "subsystem"),
    ("default", "default"),
];
const CANONICALIZE: &[(&str, &str)] = &[
    ("true", "true"),
    ("false", "false"),
    ("yes", "true"),
    ("no", "false"),
    ("always", "always"),
];
pub const ADD_KEYS: &[(&str, &str)] = &[
    ("true", "true"),
    ("false", "false"),
    ("yes", "true"),
    ("no", "false"),
    ("ask", "ask"),
    ("confirm", "confirm"),
];

const fn kw(name: &'static str, kind: Kind) -> Keyword {
    Keyword {
        name,
        canonical: name,
        kind,
    }
}

const fn alias(name: &'static str, canonical: &'static str, kind: Kind) -> Keyword {
    Keyword {
        name,
        canonical,
        kind,
    }
}

use Kind::*;

/// Every keyword of OpenSSH 9.2's client, in readconf.c's order, then
/// those added since.
pub const KEYWORDS: &[Keyword] = &[
    kw("protocol", Ignore),
    kw("cipher", Deprecated),
    kw("fallbacktorsh", Deprecated),
    kw("globalknownhostsfile2", Deprecated),
    kw("rhostsauthentication", Deprecated),
    kw("userknownhostsfile2", Deprecated),
    kw("useroaming", Deprecated),
    kw("usersh", Deprecated),
    kw("useprivilegedport", Deprecated),
    kw("afstokenpassing", Unsupported),
    kw("kerberosauthentication", Unsupported),
    kw("kerberostgtpassing", Unsupported),
    kw("rsaauthentication", Unsupported),
    kw("rhostsrsaauthentication", Unsupported),
    kw("compressionlevel", Unsupported),
    kw("gssapiauthentication", Opaque),
    kw("gssapidelegatecredentials", Opaque),
    kw("pkcs11provider", Str),
    kw("smartcarddevice", Opaque),
    kw("forwardagent", ForwardAgent),
    kw("forwardx11", Flag),
    kw("forwardx11trusted", Flag),
    kw("forwardx11timeout", Time),
    kw("exitonforwardfailure", Flag),
    kw("xauthlocation", Str),
    kw("gatewayports", Flag),
    kw("passwordauthentication", Flag),
    kw("kbdinteractiveauthentication", Flag),
    kw("kbdinteractivedevices", Str),
    alias(
        "challengeresponseauthentication",
        "kbdinteractiveauthentication",
        Flag,
    ),
    alias("skeyauthentication", "kbdinteractiveauthentication", Flag),
    alias("tisauthentication", "kbdinteractiveauthentication", Flag),
    kw("pubkeyauthentication", Choice(PUBKEY_AUTH)),
    alias(
        "dsaauthentication",
        "pubkeyauthentication",
        Choice(PUBKEY_AUTH),
    ),
    kw("hostbasedauthentication", Flag),
    kw("identityfile", IdentityFile),
    alias("identityfile2", "identityfile", IdentityFile),
    kw("identitiesonly", Flag),
    kw("certificatefile", CertificateFile),
    kw("addkeystoagent", AddKeysToAgent),
    kw("identityagent", IdentityAgent),
    kw("hostname", Str),
    kw("hostkeyalias", Str),
    kw("proxycommand", ProxyCommand),
    kw("port", Port),
    kw("ciphers", Algorithms),
    kw("macs", Algorithms),
    kw("remoteforward", RemoteForward),
    kw("localforward", LocalForward),
    kw("permitremoteopen", ByRelease),
    kw("user", Str),
    kw("host", Host),
    kw("match", Match),
    kw("escapechar", ByRelease),
    kw("globalknownhostsfile", FileList),
    kw("userknownhostsfile", FileList),
    kw("connectionattempts", Int),
    kw("batchmode", Flag),
    kw("checkhostip", Flag),
    kw("stricthostkeychecking", Choice(STRICT_HOST_KEY)),
    kw("compression", Choice(COMPRESSION)),
    kw("tcpkeepalive", Flag),
    alias("keepalive", "tcpkeepalive", Flag),
    kw("numberofpasswordprompts", Int),
    kw("syslogfacility", SyslogFacility),
    kw("loglevel", LogLevel),
    kw("logverbose", ByRelease),
    kw("dynamicforward", DynamicForward),
    kw("preferredauthentications", Str),
    kw("hostkeyalgorithms", Algorithms),
    kw("casignaturealgorithms", Algorithms),
    kw("bindaddress", Str),
    kw("bindinterface", Str),
    kw("clearallforwardings", Flag),
    kw("enablesshkeysign", Flag),
    kw("verifyhostkeydns", Choice(YES_NO_ASK)),
    kw("nohostauthenticationforlocalhost", Flag),
    kw("rekeylimit", RekeyLimit),
    kw("connecttimeout", Time),
    kw("addressfamily", Choice(ADDRESS_FAMILY)),
    kw("serveraliveinterval", Time),
    kw("serveralivecountmax", Int),
    kw("sendenv", SendEnv),
    kw("setenv", SetEnv),
    kw("controlpath", Str),
    kw("controlmaster", Choice(CONTROL_MASTER)),
    kw("controlpersist", ControlPersist),
    kw("hashknownhosts", Flag),
    kw("include", Include),
    kw("tunnel", Choice(TUNNEL)),
    kw("tunneldevice", ByRelease),
    kw("localcommand", Command),
    kw("permitlocalcommand", Flag),
    kw("remotecommand", Command),
    kw("visualhostkey", Flag),
    kw("kexalgorithms", Algorithms),
    kw("ipqos", ByRelease),
    kw("requesttty", Choice(REQUEST_TTY)),
    kw("sessiontype", Choice(SESSION_TYPE)),
    kw("stdinnull", Flag),
    kw("forkafterauthentication", Flag),
    kw("proxyusefdpass", Flag),
    kw("canonicaldomains", ByRelease),
    kw("canonicalizefallbacklocal", Flag),
    kw("canonicalizehostname", Choice(CANONICALIZE)),
    kw("canonicalizemaxdots", Int),
    kw("canonicalizepermittedcnames", ByRelease),
    kw("streamlocalbindmask", StreamLocalBindMask),
    kw("streamlocalbindunlink", Flag),
    kw("revokedhostkeys", Str),
    kw("fingerprinthash", FingerprintHash),
    kw("updatehostkeys", Choice(YES_NO_ASK)),
    kw("hostbasedacceptedalgorithms", Algorithms),
    alias(
        "hostbasedkeytypes",
        "hostbasedacceptedalgorithms",
        Algorithms,
    ),
    kw("pubkeyacceptedalgorithms", Algorithms),
    alias(
        "pubkeyacceptedkeytypes",
        "pubkeyacceptedalgorithms",
        Algorithms,
    ),
    kw("ignoreunknown", Str),
    kw("proxyjump", ProxyJump),
    kw("securitykeyprovider", Str),
    kw("knownhostscommand", Command),
    kw("requiredrsasize", Int),
    kw("enableescapecommandline", Flag),
    // Added after 9.2p1 (see crate::ssh::release::history): accepted by the
    // releases that know them, printed by `ssh -G` from the release that
    // added them (crate::ssh::release::listing).
    kw("tag", Str),
    kw("obscurekeystroketiming", ObscureTiming),
    kw("channeltimeout", ChannelTimeout),
    kw("versionaddendum", Command),
    kw("refuseconnection", Opaque),
    kw("warnweakcrypto", Choice(WARN_WEAK_CRYPTO)),
];

/// Keywords of one build whose values gord checks and keeps (which build
/// and from which release: `crate::ssh::release::history::FLAVOUR_KEYWORDS`).
/// Apple's are flags (`parse_flag`), printed by its `ssh -G` except
/// UseKeychain. Not in [`lookup`]: other builds stop on them.
const BUILD_KEYWORDS: &[Keyword] = &[
    kw("usekeychain", Flag),
    kw("applemultipath", Flag),
    kw("nohostauthenticationforproxycommand", Flag),
    // Debian's GSSAPI patch: flags and strings its `ssh -G` prints
    // (GSSAPIKexAlgorithms is checked in crate::ssh::release::values).
    kw("gssapikeyexchange", Flag),
    kw("gssapitrustdns", Flag),
    kw("gssapirenewalforcesrekey", Flag),
    kw("gssapiclientidentity", Str),
    kw("gssapiserveridentity", Str),
    kw("gssapikexalgorithms", Str),
];

/// GSSAPIAuthentication and GSSAPIDelegateCredentials in a build with
/// GSSAPI (Debian's): flags. Upstream's default build ignores them.
const GSSAPI_FLAGS: &[Keyword] = &[
    kw("gssapiauthentication", Flag),
    kw("gssapidelegatecredentials", Flag),
];

/// `keyword` as a Debian build reads it when `debian`.
pub fn for_build(keyword: &'static Keyword, debian: bool) -> &'static Keyword {
    match GSSAPI_FLAGS.iter().find(|k| k.name == keyword.name) {
        Some(flag) if debian => flag,
        _ => keyword,
    }
}

/// A keyword of one build only (Apple's `UseKeychain`), if gord models it.
pub fn lookup_build(name: &str) -> Option<&'static Keyword> {
    BUILD_KEYWORDS.iter().find(|k| k.name == name)
}

pub fn lookup(name: &str) -> Option<&'static Keyword> {
    // Asked for every line of every file (and again by the rules): a table
    // by name, built once, hashed with FNV-1a (the names are a dozen bytes;
    // the table is fixed, so nothing a config says can crowd one bucket).
    type ByName = std::collections::HashMap<
        &'static str,
        &'static Keyword,
        std::hash::BuildHasherDefault<Fnv>,
    >;
    static BY_NAME: std::sync::OnceLock<ByName> = std::sync::OnceLock::new();
    BY_NAME
        .get_or_init(|| {
            let mut by_name = ByName::default();
            // The first entry of a name wins, as the scan it replaces found it.
            for k in KEYWORDS.iter().rev() {
                by_name.insert(k.name, k);
            }
            by_name
        })
        .get(name)
        .copied()
}

/// FNV-1a: a few instructions a byte, for short trusted keys.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The closest known keyword, for "did you mean" (edit distance at most 2,
/// or 3 for long names).
pub fn suggest(name: &str) -> Option<&'static str> {
    let limit = if name.len() > 12 { 3 } else { 2 };
    KEYWORDS
        .iter()
        .filter(|k| !matches!(k.kind, Deprecated | Unsupported | Ignore))
        .map(|k| (distance(name, k.name), k.name))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_share_the_canonical_name() {
        assert_eq!(
            lookup("challengeresponseauthentication").unwrap().canonical,
            "kbdinteractiveauthentication"
        );
        assert_eq!(lookup("identityfile").unwrap().kind, IdentityFile);
        assert!(
            lookup("IdentityFile").is_none(),
            "lookup takes the lowercased name"
        );
        assert!(lookup("nosuchthing").is_none());
    }

    #[test]
    fn suggests_the_nearest_keyword() {
        assert_eq!(suggest("serveraliveinterva"), Some("serveraliveinterval"));
        assert_eq!(suggest("identifyfile"), Some("identityfile"));
        assert_eq!(suggest("hostnme"), Some("hostname"));
        assert_eq!(suggest("completelydifferent"), None);
    }
}
