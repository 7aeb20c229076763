//! The effective options for one host, built line by line as OpenSSH does:
//! the first value obtained wins, some keywords accumulate, and every value
//! remembers the file and line it came from.

use std::collections::BTreeMap;

use crate::ssh::config::keywords::{Keyword, Kind, ADD_KEYS, DIGESTS, FACILITIES, FLAG_WORDS};
use crate::ssh::config::lexer::Directive;

/// Where a value came from: a file (index into the resolution's files) and a
/// 0-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: usize,
    pub line: usize,
}

impl Origin {
    /// A value from the command line (`ssh user@host`), not from a file.
    pub const COMMAND_LINE: Origin = Origin {
        file: usize::MAX,
        line: 0,
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The value as `ssh -G` prints it (before token expansion).
    pub text: String,
    pub origin: Origin,
}

/// A port forward, as OpenSSH's `struct Forward`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub listen_host: Option<String>,
    /// None for a Unix socket path.
    pub listen_port: Option<i32>,
    pub listen_path: Option<String>,
    pub connect_host: Option<String>,
    pub connect_port: Option<i32>,
    pub connect_path: Option<String>,
    pub origin: Origin,
}

impl Forward {
    fn same_as(&self, other: &Forward) -> bool {
        self.listen_host == other.listen_host
            && self.listen_port == other.listen_port
            && self.listen_path == other.listen_path
            && self.connect_host == other.connect_host
            && self.connect_port == other.connect_port
            && self.connect_path == other.connect_path
    }

    pub fn is_dynamic(&self) -> bool {
        self.connect_host.as_deref() == Some("socks")
    }
}

/// The parsed ProxyJump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jump {
    /// `none`, or the last hop's host.
    pub host: String,
    pub user: Option<String>,
    pub port: Option<i32>,
    /// The hops before the last, as written.
    pub extra: Option<String>,
    pub origin: Origin,
}

/// Where RekeyLimit's interval is kept: ssh keeps it apart from the amount
/// (the first line that gives one sets it).
pub const REKEY_INTERVAL: &str = "rekeylimit interval";

/// Where ForwardAgent's socket path is kept: ssh keeps it apart from the
/// yes/no (each is first-wins on its own), and `ssh -G` prints the path
/// whenever one was given, even after `ForwardAgent no`.
pub const FORWARD_AGENT_SOCKET: &str = "forwardagent socket";

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Single-valued keywords, by canonical name.
    pub single: BTreeMap<&'static str, Value>,
    /// Accumulating and list keywords, by canonical name.
    pub lists: BTreeMap<&'static str, Vec<Value>>,
    pub local_forwards: Vec<Forward>,
    pub remote_forwards: Vec<Forward>,
    pub jump: Option<Jump>,
    /// Before 10.1 misc.c's `rtrim` blanked every white space after the
    /// first character, not just the trailing ones, so a ProxyJump list
    /// ended at its first blank (`a, b` is `a,`: refused; `b c` is `b`).
    /// 10.1 fixed rtrim (openssh-portable 8e85ad33c): the list is kept
    /// whole and a hop may hold blanks. The resolver sets this by release.
    pub jump_cut_at_blank: bool,
    /// From 10.3 (openssh-portable 0a0ef4515, which Debian's 9.2p1 has
    /// too) a ProxyCommand after `ProxyJump none` is kept, and `ProxyJump
    /// none` counts after a ProxyCommand (fill_default_options forgets it
    /// again); before, any ProxyJump obtained first made ProxyCommand a
    /// no-op. The resolver sets this by release.
    pub proxy_command_after_jump_none: bool,
    /// Before 9.7 readconf.c kept at most [`MAX_CANON_DOMAINS`]
    /// CanonicalDomains and CanonicalizePermittedCNAMEs (fixed arrays);
    /// 9.7 made them lists without a limit. The resolver sets this by
    /// release.
    pub limits_canonical_lists: bool,
    /// Before 8.9 PubkeyAuthentication was a plain flag: `unbound` and
    /// `host-bound` are unsupported options there. The resolver sets this
    /// by release.
    pub pubkey_auth_is_flag: bool,
    /// 8.7 to 9.1 read a PermitRemoteOpen line's first argument and never
    /// keep it (unless it is `any` or `none`): a line of one such argument
    /// adds nothing, and a later line may still set the list. The resolver
    /// sets this by release.
    pub permit_remote_open_skips_first: bool,
}

/// readconf.h's SSH_MAX_IDENTITY_FILES and SSH_MAX_CERTIFICATE_FILES (every
/// release): the files a config may add, duplicates not counted.
pub const MAX_KEY_FILES: usize = 100;
/// readconf.h's SSH_MAX_HOSTS_FILES (every release): the files of one
/// GlobalKnownHostsFile or UserKnownHostsFile line.
pub const MAX_HOSTS_FILES: usize = 32;
/// readconf.h's MAX_CANON_DOMAINS until 9.6 ([`Options::limits_canonical_lists`]).
pub const MAX_CANON_DOMAINS: usize = 32;

impl Options {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.single.get(name)
    }

    pub fn list(&self, name: &str) -> &[Value] {
        self.lists.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    fn set_first(&mut self, name: &'static str, text: String, origin: Origin, active: bool) {
        if active {
            self.single.entry(name).or_insert(Value { text, origin });
        }
    }

    /// Applies one directive. Values are checked whether or not the block is
    /// active (OpenSSH rejects a bad value anywhere); they are kept only when
    /// `active`. Returns OpenSSH's error text for a bad line.
    pub fn apply(
        &mut self,
        keyword: &Keyword,
        d: &Directive,
        origin: Origin,
        active: bool,
    ) -> Result<(), String> {
        let args: Vec<&str> = d.args.iter().map(|a| a.value.as_str()).collect();
        let first = args.first().copied();
        let name = keyword.canonical;
        let mut used = 1usize;
        match keyword.kind {
            Kind::Flag => {
                let printed = choose(first, FLAG_WORDS).ok_or_else(|| unsupported(first))?;
                self.set_first(name, printed.to_string(), origin, active);
            }
            Kind::Choice(table) => {
                let printed = choose(first, table)
                    .filter(|p| {
                        !(self.pubkey_auth_is_flag
                            && name == "pubkeyauthentication"
                            && matches!(*p, "unbound" | "host-bound"))
                    })
                    .ok_or_else(|| unsupported(first))?;
                self.set_first(name, printed.to_string(), origin, active);
            }
            Kind::Int => {
                let value = atoi(first)?;
                self.set_first(name, value.to_string(), origin, active);
            }
            Kind::Port => {
                let arg = non_empty(first)?;
                let port = a2port(arg)
                    .filter(|p| *p > 0)
                    .ok_or_else(|| format!("Bad port '{arg}'."))?;
                self.set_first(name, port.to_string(), origin, active);
            }
            Kind::Time => {
                let arg = first
                    .filter(|a| !a.is_empty())
                    .ok_or("missing time value.")?;
                if arg != "none" {
                    let seconds = convtime(arg).ok_or("invalid time value.")?;
                    self.set_first(name, seconds.to_string(), origin, active);
                }
                // `none` is -1, which is also "unset": a later line may still set it.
            }
            Kind::Str | Kind::IdentityAgent => {
                let arg = non_empty(first)?;
                if keyword.kind == Kind::IdentityAgent {
                    check_agent_path(arg)?;
                }
                self.set_first(name, arg.to_string(), origin, active);
            }
            Kind::LogLevel => {
                let level = log_level(first).ok_or_else(|| {
                    format!("unsupported log level '{}'", first.unwrap_or("<NONE>"))
                })?;
                self.set_first(name, level.to_string(), origin, active);
            }
            Kind::Command => {
                used = args.len();
                self.set_first(name, command_text(&d.rest), origin, active);
            }
            Kind::ProxyCommand => {
                used = args.len();
                // A ProxyJump obtained first makes ProxyCommand a no-op
                // (`ProxyJump none` does not from 10.3).
                if self
                    .jump
                    .as_ref()
                    .is_none_or(|j| self.proxy_command_after_jump_none && j.host == "none")
                {
                    self.set_first(name, command_text(&d.rest), origin, active);
                }
            }
            Kind::ProxyJump => {
                used = args.len();
                self.apply_jump(&command_text(&d.rest), origin, active)?;
            }
            Kind::IdentityFile | Kind::CertificateFile => {
                let arg = non_empty(first)?;
                if active {
                    let list = self.lists.entry(name).or_default();
                    // Counted before a duplicate is dropped.
                    if list.len() >= MAX_KEY_FILES {
                        let what = if name == "identityfile" {
                            "identity"
                        } else {
                            "certificate"
                        };
                        return Err(format!(
                            "Too many {what} files specified (max {MAX_KEY_FILES})."
                        ));
                    }
                    if !list.iter().any(|v| v.text == arg) {
                        list.push(Value {
                            text: arg.to_string(),
                            origin,
                        });
                    }
                }
            }
            Kind::FileList => {
                used = args.len();
                let was_empty = self.list(name).is_empty();
                for (i, arg) in args.iter().enumerate() {
                    if arg.is_empty() {
                        return Err(format!("keyword {} empty argument", d.keyword));
                    }
                    if arg.eq_ignore_ascii_case("none") && (i > 0 || args.len() > 1) {
                        return Err(format!(
                            "keyword {} \"none\" argument must appear alone.",
                            d.keyword
                        ));
                    }
                    if active && was_empty {
                        let list = self.lists.entry(name).or_default();
                        if list.len() >= MAX_HOSTS_FILES {
                            return Err(format!("too many {name} entries."));
                        }
                        list.push(Value {
                            text: arg.to_string(),
                            origin,
                        });
                    }
                }
            }
            Kind::SendEnv => {
                used = args.len();
                for arg in &args {
                    if arg.is_empty() || arg.contains('=') {
                        return Err(String::from("Invalid environment name."));
                    }
                    if !active {
                        continue;
                    }
                    let list = self.lists.entry(name).or_default();
                    if let Some(pattern) = arg.strip_prefix('-') {
                        list.retain(|v| {
                            !crate::ssh::config::pattern::match_pattern(&v.text, pattern)
                        });
                    } else {
                        list.push(Value {
                            text: arg.to_string(),
                            origin,
                        });
                    }
                }
            }
            Kind::SetEnv => {
                used = args.len();
                let was_empty = self.list(name).is_empty();
                for arg in &args {
                    if !arg.contains('=') {
                        return Err(String::from("Invalid SetEnv."));
                    }
                    if !active || !was_empty {
                        continue;
                    }
                    let list = self.lists.entry(name).or_default();
                    let var = arg.split('=').next().unwrap_or("");
                    if !list.iter().any(|v| v.text.split('=').next() == Some(var)) {
                        list.push(Value {
                            text: arg.to_string(),
                            origin,
                        });
                    }
                }
            }
            Kind::LocalForward | Kind::RemoteForward | Kind::DynamicForward => {
                let arg = non_empty(first)?;
                let remote = keyword.kind == Kind::RemoteForward;
                let mut dynamic = keyword.kind == Kind::DynamicForward;
                let spec = if dynamic {
                    arg.to_string()
                } else {
                    used = 2;
                    match args.get(1).filter(|a| !a.is_empty()) {
                        Some(target) => format!("{arg}:{target}"),
                        None if remote => {
                            dynamic = true;
                            used = 1;
                            arg.to_string()
                        }
                        None => return Err(String::from("Missing target argument.")),
                    }
                };
                let forward = parse_forward(&spec, dynamic, remote, origin)
                    .ok_or("Bad forwarding specification.")?;
                if active {
                    let list = if remote {
                        &mut self.remote_forwards
                    } else {
                        &mut self.local_forwards
                    };
                    if !list.iter().any(|f| f.same_as(&forward)) {
                        list.push(forward);
                    }
                }
            }
            Kind::ForwardAgent => {
                let arg = non_empty(first).map_err(|_| String::from("missing argument."))?;
                match choose(Some(arg), FLAG_WORDS) {
                    Some(printed) => self.set_first(name, printed.to_string(), origin, active),
                    None => {
                        check_agent_path(arg)?;
                        // A socket path: the flag becomes yes if nothing set it yet.
                        self.set_first(name, String::from("yes"), origin, active);
                        self.set_first(FORWARD_AGENT_SOCKET, arg.to_string(), origin, active);
                    }
                }
            }
            Kind::ControlPersist => {
                let arg = first
                    .filter(|a| !a.is_empty())
                    .ok_or("Missing ControlPersist argument.")?;
                let printed = match arg {
                    "no" | "false" => String::from("no"),
                    "yes" | "true" => String::from("yes"),
                    other => match convtime(other) {
                        Some(0) => String::from("yes"),
                        Some(seconds) => seconds.to_string(),
                        None => return Err(String::from("Bad ControlPersist argument.")),
                    },
                };
                self.set_first(name, printed, origin, active);
            }
            Kind::AddKeysToAgent => {
                used = args.len().min(2);
                let second = args.get(1).copied();
                let choice = choose(first, ADD_KEYS);
                let printed = match (choice, second) {
                    (Some("confirm"), Some(time)) => match convtime(time) {
                        Some(0) => String::from("confirm"),
                        Some(seconds) => format!("confirm {seconds}"),
                        None => return Err(String::from("invalid time value.")),
                    },
                    (None, None) => match first.and_then(convtime) {
                        Some(0) => String::from("true"),
                        Some(seconds) => seconds.to_string(),
                        None => return Err(String::from("unsupported option")),
                    },
                    (Some(word), None) => word.to_string(),
                    _ => return Err(String::from("unsupported option")),
                };
                self.set_first(name, printed, origin, active);
            }
            Kind::Host | Kind::Match | Kind::Include => {
                unreachable_kind(keyword.name);
                used = args.len();
            }
            Kind::ObscureTiming => {
                used = args.len();
                let printed = obscure_timing(&args)?;
                self.set_first(name, printed, origin, active);
            }
            Kind::ChannelTimeout => {
                used = args.len();
                let printed = channel_timeouts(&d.keyword, &args)?;
                self.set_first(name, printed, origin, active);
            }
            Kind::Algorithms => {
                // Which names are valid depends on the release: the
                // resolver checks them first (crate::ssh::release::values).
                let arg = first.filter(|a| !a.is_empty()).ok_or("Missing argument.")?;
                self.set_first(name, arg.to_string(), origin, active);
            }
            Kind::RekeyLimit => {
                // The amount is checked the same way by every release; the
                // listing scales it by release (effective.rs).
                let arg = first.unwrap_or("");
                crate::ssh::config::rekey::rekey_limit(arg, crate::ssh::release::newest())?;
                self.set_first(name, arg.to_string(), origin, active);
                if let Some(interval) = args.get(1) {
                    used = 2;
                    if *interval != "none" {
                        if interval.is_empty() {
                            return Err(String::from("missing time value."));
                        }
                        let seconds = convtime(interval).ok_or("invalid time value.")?;
                        self.set_first(REKEY_INTERVAL, seconds.to_string(), origin, active);
                    }
                }
            }
            Kind::FingerprintHash => {
                let arg = non_empty(first)?;
                let digest = DIGESTS
                    .iter()
                    .find(|d| d.eq_ignore_ascii_case(arg))
                    .ok_or_else(|| format!("Invalid hash algorithm \"{arg}\"."))?;
                self.set_first(name, digest.to_string(), origin, active);
            }
            Kind::SyslogFacility => {
                let facility = first
                    .and_then(|a| FACILITIES.iter().find(|f| f.eq_ignore_ascii_case(a)))
                    .ok_or_else(|| {
                        format!("unsupported log facility '{}'", first.unwrap_or("<NONE>"))
                    })?;
                self.set_first(name, facility.to_string(), origin, active);
            }
            Kind::StreamLocalBindMask => {
                let arg = first
                    .filter(|a| !a.is_empty())
                    .ok_or("Missing StreamLocalBindMask argument.")?;
                let mask = strtol_octal(arg)
                    .filter(|m| (0..=0o777).contains(m))
                    .ok_or("Bad mask.")?;
                if active {
                    self.single.insert(
                        name,
                        Value {
                            text: format!("0{mask:o}"),
                            origin,
                        },
                    );
                }
            }
            Kind::ByRelease => {
                // Checked by release before (crate::ssh::config::special);
                // kept as written, every argument, from the first line.
                used = args.len();
                let adds_nothing = self.permit_remote_open_skips_first
                    && name == "permitremoteopen"
                    && matches!(args.as_slice(), [only] if *only != "any" && *only != "none");
                if active && self.list(name).is_empty() && !adds_nothing {
                    if self.limits_canonical_lists && args.len() > MAX_CANON_DOMAINS {
                        match name {
                            "canonicaldomains" => {
                                return Err(String::from("too many hostname suffixes."))
                            }
                            "canonicalizepermittedcnames" => {
                                return Err(String::from("too many permitted CNAMEs."))
                            }
                            _ => {}
                        }
                    }
                    let list = self.lists.entry(name).or_default();
                    list.extend(args.iter().map(|a| Value {
                        text: a.to_string(),
                        origin,
                    }));
                }
            }
            Kind::Ignore | Kind::Deprecated | Kind::Unsupported | Kind::Opaque => {
                used = args.len();
            }
        }
        if args.len() > used {
            return Err(format!(
                "keyword {} extra arguments at end of line",
                d.keyword
            ));
        }
        Ok(())
    }

    fn apply_jump(&mut self, spec: &str, origin: Origin, activated: bool) -> Result<(), String> {
        let active = activated && self.get("proxycommand").is_none() && self.jump.is_none();
        let invalid = || format!("Invalid ProxyJump \"{spec}\"");
        let uncommented = spec.split('#').next().unwrap_or("");
        let cleaned = if self.jump_cut_at_blank {
            uncommented
                .split([' ', '\t', '\n', '\r', '\x0b', '\x0c'])
                .next()
                .unwrap_or("")
        } else {
            uncommented.trim_end()
        };
        if spec.eq_ignore_ascii_case("none") {
            if active || (self.proxy_command_after_jump_none && activated && self.jump.is_none()) {
                self.jump = Some(Jump {
                    host: String::from("none"),
                    user: None,
                    port: None,
                    extra: None,
                    origin,
                });
            }
            return Ok(());
        }
        // Every hop must parse; the last one is the one ssh connects through.
        let hops: Vec<&str> = cleaned.split(',').collect();
        let mut last = None;
        for (i, hop) in hops.iter().rev().enumerate() {
            let parsed = parse_hop(hop).ok_or_else(invalid)?;
            if i == 0 {
                last = Some(parsed);
            }
        }
        let (user, host, port) = last.ok_or_else(invalid)?;
        if active {
            let extra = spec
                .rfind(',')
                .filter(|at| *at > 0)
                .map(|at| spec[..at].to_string());
            self.jump = Some(Jump {
                host,
                user,
                port,
                extra,
                origin,
            });
            self.single.entry("proxycommand").or_insert(Value {
                text: String::from("none"),
                origin,
            });
        }
        Ok(())
    }
}

fn unreachable_kind(_name: &str) {
    // Host, Match and Include are handled by the resolver before `apply`.
}

/// ProxyCommand and friends keep the raw rest of the line, minus a leading `=`.
fn command_text(rest: &str) -> String {
    rest.trim_start_matches([' ', '\t', '\r', '\n', '='])
        .to_string()
}

/// ObscureKeystrokeTiming's one argument, as `ssh -G` prints it: the
/// default interval (20 ms) is `yes`, off is `no`, any other interval its ms.
fn obscure_timing(args: &[&str]) -> Result<String, String> {
    const DEFAULT_MS: i32 = 20;
    let mut value = None;
    for arg in args {
        if value.is_some() {
            return Err(String::from("invalid arguments"));
        }
        value = Some(match *arg {
            "yes" | "true" => DEFAULT_MS,
            "no" | "false" => 0,
            _ => match arg.strip_prefix("interval:") {
                Some(ms) => {
                    let ms = ms
                        .parse::<i32>()
                        .map_err(|_| String::from("integer value invalid."))?;
                    if ms <= 0 || ms > 1000 {
                        return Err(String::from("value out of range."));
                    }
                    ms
                }
                None => return Err(format!("unsupported argument \"{arg}\"")),
            },
        });
    }
    Ok(match value {
        None => return Err(String::from("missing argument")),
        Some(DEFAULT_MS) => String::from("yes"),
        Some(0) => String::from("no"),
        Some(ms) => ms.to_string(),
    })
}

/// ChannelTimeout's list: `none` alone, or `type=interval` pairs, kept as
/// written and printed on one line.
fn channel_timeouts(keyword: &str, args: &[&str]) -> Result<String, String> {
    if args.is_empty() {
        return Err(format!("no {keyword} specified"));
    }
    for arg in args {
        if arg.eq_ignore_ascii_case("none") {
            if args.len() > 1 {
                return Err(format!(
                    "keyword {keyword} \"none\" argument must appear alone."
                ));
            }
            continue;
        }
        let valid = arg
            .split_once('=')
            .is_some_and(|(kind, time)| !kind.is_empty() && convtime(time).is_some());
        if !valid {
            return Err(format!("invalid channel timeout {arg}"));
        }
    }
    Ok(args.join(" "))
}

/// `strtol(arg, &end, 8)` where readconf.c only asks that some digits were
/// read: leading blanks and a sign are taken, what follows the digits is
/// ignored. None when no digit was read (or the number overflows).
fn strtol_octal(arg: &str) -> Option<i64> {
    let rest = arg.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, rest) = match rest.as_bytes().first() {
        Some(b'-') => (true, &rest[1..]),
        Some(b'+') => (false, &rest[1..]),
        _ => (false, rest),
    };
    let digits = rest
        .bytes()
        .take_while(|b| (b'0'..=b'7').contains(b))
        .count();
    if digits == 0 {
        return None;
    }
    let value = i64::from_str_radix(&rest[..digits], 8).ok()?;
    Some(if negative { -value } else { value })
}

fn non_empty(arg: Option<&str>) -> Result<&str, String> {
    arg.filter(|a| !a.is_empty())
        .ok_or_else(|| String::from("Missing argument."))
}

fn unsupported(arg: Option<&str>) -> String {
    match arg {
        None | Some("") => String::from("missing argument."),
        Some(a) => format!("unsupported option \"{a}\"."),
    }
}

fn choose(arg: Option<&str>, table: &[(&str, &'static str)]) -> Option<&'static str> {
    let arg = arg?;
    table
        .iter()
        .find(|(word, _)| word.eq_ignore_ascii_case(arg))
        .map(|(_, printed)| *printed)
}

fn atoi(arg: Option<&str>) -> Result<i32, String> {
    let arg = arg.unwrap_or("");
    if arg.is_empty() {
        return Err(String::from("integer value is missing."));
    }
    atoi_err(arg).map_err(|why| format!("integer value {why}."))
}

/// misc.c's `atoi_err`: `strtonum(arg, 0, INT_MAX)`, i.e. strtoll in base
/// 10 (leading white space and a sign allowed, nothing after the digits),
/// then the bounds. The error is strtonum's word.
pub(crate) fn atoi_err(arg: &str) -> Result<i32, &'static str> {
    let text = arg.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("invalid");
    }
    // Out of strtoll's range is ERANGE: too small or too large by sign.
    let magnitude = digits.parse::<u128>().unwrap_or(u128::MAX);
    if negative && magnitude > 0 {
        return Err("too small");
    }
    i32::try_from(magnitude).map_err(|_| "too large")
}

/// `a2port`: a number 0..65535, or a service name from the services database.
pub fn a2port(arg: &str) -> Option<i32> {
    if !arg.is_empty() && arg.bytes().all(|b| b.is_ascii_digit()) {
        return arg.parse::<i32>().ok().filter(|p| *p <= 65535);
    }
    crate::ssh::config::local::service_port(arg)
}

/// `convtime`: `90`, `1m30s`, `2h`, `1w`; None when malformed or too large.
pub fn convtime(text: &str) -> Option<i64> {
    if text.is_empty() {
        return None;
    }
    let bytes = text.as_bytes();
    let mut total: i64 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        let number: i64 = text[start..i].parse().ok()?;
        let multiplier = match bytes.get(i).map(u8::to_ascii_lowercase) {
            None => 1,
            Some(b's') => 1,
            Some(b'm') => 60,
            Some(b'h') => 3600,
            Some(b'd') => 86400,
            Some(b'w') => 604800,
            Some(_) => return None,
        };
        if i < bytes.len() {
            i += 1;
        }
        let seconds = number
            .checked_mul(multiplier)
            .filter(|s| *s <= i64::from(i32::MAX))?;
        total = total
            .checked_add(seconds)
            .filter(|t| *t <= i64::from(i32::MAX))?;
    }
    Some(total)
}

fn log_level(arg: Option<&str>) -> Option<&'static str> {
    const LEVELS: &[(&str, &str)] = &[
        ("quiet", "SILENT"),
        ("fatal", "FATAL"),
        ("error", "ERROR"),
        ("info", "INFO"),
        ("verbose", "VERBOSE"),
        ("debug", "DEBUG"),
        ("debug1", "DEBUG"),
        ("debug2", "DEBUG2"),
        ("debug3", "DEBUG3"),
    ];
    choose(arg, LEVELS)
}

/// The socket path an IdentityAgent or ForwardAgent line names, when it
/// names one with a `${VAR}` in it: readconf.c's parse_agent_path expands
/// those while it reads the line (active or not) and refuses the line when
/// a variable is not set, which only the environment can tell.
pub fn agent_path_with_variables<'d>(keyword: &Keyword, d: &'d Directive) -> Option<&'d str> {
    let arg = d.args.first().map(|a| a.value.as_str())?;
    let path = match keyword.kind {
        Kind::IdentityAgent => arg,
        Kind::ForwardAgent if choose(Some(arg), FLAG_WORDS).is_none() => arg,
        _ => return None,
    };
    path.contains("${").then_some(path)
}

/// The error ssh gives for `path` (from [`agent_path_with_variables`]) when
/// one of its `${VAR}`s is not set in `env`.
pub fn unset_agent_variable(path: &str, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    variable_names(path)?
        .into_iter()
        .any(|name| env(name).is_none())
        .then(|| format!("Invalid environment expansion {path}."))
}

/// The names of `arg`'s `${NAME}`s in order; None when one has no `}`.
fn variable_names(arg: &str) -> Option<Vec<&str>> {
    let mut names = Vec::new();
    let mut rest = arg;
    while let Some(at) = rest.find("${") {
        let after = &rest[at + 2..];
        let close = after.find('}')?;
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    Some(names)
}

/// IdentityAgent and ForwardAgent paths may name environment variables.
fn check_agent_path(arg: &str) -> Result<(), String> {
    if let Some(rest) = arg.strip_prefix('$') {
        if !rest.starts_with('{') && !valid_env_name(rest) {
            return Err(format!("Invalid environment name {arg}."));
        }
    }
    match variable_names(arg) {
        Some(names) if names.iter().all(|n| !n.is_empty()) => Ok(()),
        _ => Err(format!("Invalid environment expansion {arg}.")),
    }
}

fn valid_env_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// One ProxyJump hop: `[user@]host[:port]` or `ssh://[user@]host[:port]`.
pub(crate) fn parse_hop(hop: &str) -> Option<(Option<String>, String, Option<i32>)> {
    // (Blanks are kept from 10.1; before, the list ends at the first one:
    // `Options::jump_cut_at_blank`.)
    if hop.is_empty() {
        return None;
    }
    if let Some(uri) = hop.strip_prefix("ssh://") {
        let uri = uri.strip_suffix('/').unwrap_or(uri);
        if uri.contains('/') {
            return None;
        }
        return parse_user_host_port(uri);
    }
    parse_user_host_port(hop)
}

fn parse_user_host_port(text: &str) -> Option<(Option<String>, String, Option<i32>)> {
    let (user, rest) = match text.rfind('@') {
        Some(0) => return None,
        Some(at) => (Some(text[..at].to_string()), &text[at + 1..]),
        None => (None, text),
    };
    let (host, port_text) = if let Some(inner) = rest.strip_prefix('[') {
        let close = inner.find(']')?;
        let after = &inner[close + 1..];
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return None,
        };
        (inner[..close].to_string(), port)
    } else {
        match rest.find([':', '/']) {
            Some(at) => (rest[..at].to_string(), Some(&rest[at + 1..])),
            None => (rest.to_string(), None),
        }
    };
    if host.is_empty() {
        return None;
    }
    let port = match port_text {
        Some(p) if !p.is_empty() => Some(a2port(p).filter(|n| *n > 0)?),
        _ => None,
    };
    Some((user, host, port))
}

/// `parse_forward` (readconf.c): `[bind:]port:host:hostport`, Unix paths,
/// bracketed IPv6, and the one- or two-field dynamic form.
fn parse_forward(spec: &str, dynamic: bool, remote: bool, origin: Origin) -> Option<Forward> {
    let spec = spec.trim_start();
    let mut fields: Vec<(String, bool)> = Vec::new();
    let mut rest = spec;
    while !rest.is_empty() && fields.len() < 4 {
        let (field, is_path, next) = fwd_field(rest)?;
        fields.push((field, is_path));
        rest = next;
    }
    if !rest.is_empty() {
        return None;
    }
    let port = |s: &str| a2port(s).unwrap_or(-1);
    let mut f = Forward {
        listen_host: None,
        listen_port: None,
        listen_path: None,
        connect_host: None,
        connect_port: None,
        connect_path: None,
        origin,
    };
    match fields.as_slice() {
        [(a, a_path)] => {
            if *a_path {
                f.listen_path = Some(a.clone());
            } else {
                f.listen_port = Some(port(a));
            }
            f.connect_host = Some(String::from("socks"));
        }
        [(a, a_path), (b, b_path)] => {
            if *a_path && *b_path {
                f.listen_path = Some(a.clone());
                f.connect_path = Some(b.clone());
            } else if *b_path {
                f.listen_port = Some(port(a));
                f.connect_path = Some(b.clone());
            } else {
                f.listen_host = Some(a.clone());
                f.listen_port = Some(port(b));
                f.connect_host = Some(String::from("socks"));
            }
        }
        [(a, a_path), (b, _), (c, c_path)] => {
            if *a_path {
                f.listen_path = Some(a.clone());
                f.connect_host = Some(b.clone());
                f.connect_port = Some(port(c));
            } else if *c_path {
                f.listen_host = Some(a.clone());
                f.listen_port = Some(port(b));
                f.connect_path = Some(c.clone());
            } else {
                f.listen_port = Some(port(a));
                f.connect_host = Some(b.clone());
                f.connect_port = Some(port(c));
            }
        }
        [(a, _), (b, _), (c, _), (d, _)] => {
            f.listen_host = Some(a.clone());
            f.listen_port = Some(port(b));
            f.connect_host = Some(c.clone());
            f.connect_port = Some(port(d));
        }
        _ => return None,
    }
    let count = fields.len();
    if dynamic {
        if !(count == 1 || count == 2) {
            return None;
        }
    } else {
        if !(count == 3 || count == 4) && f.connect_path.is_none() && f.listen_path.is_none() {
            return None;
        }
        if f.connect_port.unwrap_or(0) <= 0 && f.connect_path.is_none() {
            return None;
        }
    }
    let listen_port = f.listen_port.unwrap_or(0);
    if (f.listen_path.is_none() && listen_port < 0)
        || (!remote && f.listen_path.is_none() && listen_port == 0)
    {
        return None;
    }
    Some(f)
}

/// One `:`-separated field of a forward spec: (text, looks like a path, rest).
fn fwd_field(text: &str) -> Option<(String, bool, &str)> {
    if let Some(inner) = text.strip_prefix('[') {
        let close = inner.find(']')?;
        let field = &inner[..close];
        let after = &inner[close + 1..];
        let rest = match after.strip_prefix(':') {
            Some(r) => r,
            None if after.is_empty() => after,
            None => return None,
        };
        return Some((field.to_string(), field.contains('/'), rest));
    }
    let mut field = String::new();
    let mut is_path = false;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, escaped)) => field.push(escaped),
                None => return None,
            },
            '/' => {
                is_path = true;
                field.push(c);
            }
            ':' => return Some((field, is_path, &text[i + 1..])),
            _ => field.push(c),
        }
    }
    Some((field, is_path, ""))
}

#[cfg(test)]
mod tests {
    #[test]
    fn integers_are_read_as_strtonum_reads_them_with_its_words_for_errors() {
        use super::atoi_err;
        assert_eq!(atoi_err("5"), Ok(5));
        assert_eq!(atoi_err(" +3"), Ok(3));
        assert_eq!(atoi_err("007"), Ok(7));
        assert_eq!(atoi_err("-0"), Ok(0));
        assert_eq!(atoi_err("-1"), Err("too small"));
        assert_eq!(atoi_err("2147483647"), Ok(i32::MAX));
        assert_eq!(atoi_err("2147483648"), Err("too large"));
        assert_eq!(
            atoi_err("99999999999999999999999999999999999999999"),
            Err("too large")
        );
        assert_eq!(atoi_err("abc"), Err("invalid"));
        assert_eq!(atoi_err("5x"), Err("invalid"));
        assert_eq!(atoi_err("-"), Err("invalid"));
    }

    use super::*;
    use crate::ssh::config::keywords::lookup;
    use crate::ssh::config::lexer::{parse_line, LineSyntax};

    #[test]
    fn build_dependent_values_are_read_as_readconf_c_reads_them() {
        let (o, errors) = apply_lines(&[
            "FingerprintHash sha1",
            "FingerprintHash md5",
            "SyslogFacility local3",
            "StreamLocalBindMask 077",
            "StreamLocalBindMask \" 0700x\"",
            "RekeyLimit 1G",
            "RekeyLimit 2G 1h",
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        let text = |k: &str| o.get(k).map(|v| v.text.clone());
        assert_eq!(text("fingerprinthash").as_deref(), Some("SHA1"));
        assert_eq!(text("syslogfacility").as_deref(), Some("LOCAL3"));
        // The last mask wins; strtol ignores what follows the digits.
        assert_eq!(text("streamlocalbindmask").as_deref(), Some("0700"));
        assert_eq!(text("rekeylimit").as_deref(), Some("1G"));
        assert_eq!(text(REKEY_INTERVAL).as_deref(), Some("3600"));
        let (_, errors) = apply_lines(&[
            "FingerprintHash sha3",
            "SyslogFacility kern",
            "StreamLocalBindMask 1000",
            "StreamLocalBindMask -1",
            "StreamLocalBindMask 9",
            "RekeyLimit 8",
            "RekeyLimit 1G soon",
            "RekeyLimit 1G 1h more",
        ]);
        assert_eq!(
            errors,
            [
                "Invalid hash algorithm \"sha3\".",
                "unsupported log facility 'kern'",
                "Bad mask.",
                "Bad mask.",
                "Bad mask.",
                "RekeyLimit too small",
                "invalid time value.",
                "keyword rekeylimit extra arguments at end of line",
            ]
        );
    }

    fn apply_lines(lines: &[&str]) -> (Options, Vec<String>) {
        let mut options = Options::default();
        let mut errors = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let LineSyntax::Directive(d) = parse_line(line) else {
                panic!("{line}")
            };
            let keyword = lookup(&d.keyword).unwrap();
            if let Err(e) = options.apply(keyword, &d, Origin { file: 0, line: i }, true) {
                errors.push(e);
            }
        }
        (options, errors)
    }

    #[test]
    fn obscure_keystroke_timing_prints_as_ssh_g_does_and_refuses_with_its_words() {
        // Checked against 10.5p1's `ssh -G`.
        assert_eq!(obscure_timing(&["yes"]).unwrap(), "yes");
        assert_eq!(obscure_timing(&["interval:20"]).unwrap(), "yes");
        assert_eq!(obscure_timing(&["false"]).unwrap(), "no");
        assert_eq!(obscure_timing(&["interval:50"]).unwrap(), "50");
        assert_eq!(
            obscure_timing(&["interval:0"]).unwrap_err(),
            "value out of range."
        );
        assert_eq!(
            obscure_timing(&["interval:1001"]).unwrap_err(),
            "value out of range."
        );
        assert_eq!(
            obscure_timing(&["interval:x"]).unwrap_err(),
            "integer value invalid."
        );
        assert_eq!(
            obscure_timing(&["Yes"]).unwrap_err(),
            "unsupported argument \"Yes\""
        );
        assert_eq!(
            obscure_timing(&["yes", "no"]).unwrap_err(),
            "invalid arguments"
        );
        assert_eq!(obscure_timing(&[]).unwrap_err(), "missing argument");
    }

    #[test]
    fn channel_timeouts_are_none_alone_or_type_interval_pairs() {
        assert_eq!(
            channel_timeouts("ChannelTimeout", &["session=5m", "global=10"]).unwrap(),
            "session=5m global=10"
        );
        assert_eq!(
            channel_timeouts("ChannelTimeout", &["none"]).unwrap(),
            "none"
        );
        assert_eq!(
            channel_timeouts("ChannelTimeout", &["none", "x=1"]).unwrap_err(),
            "keyword ChannelTimeout \"none\" argument must appear alone."
        );
        for bad in ["session", "=5", "session=", "session=5q"] {
            assert_eq!(
                channel_timeouts("ChannelTimeout", &[bad]).unwrap_err(),
                format!("invalid channel timeout {bad}")
            );
        }
        assert_eq!(
            channel_timeouts("channeltimeout", &[]).unwrap_err(),
            "no channeltimeout specified"
        );
    }

    #[test]
    fn the_first_value_obtained_wins_and_remembers_its_line() {
        let (o, errors) = apply_lines(&["User alice", "User bob", "Port 2222"]);
        assert!(errors.is_empty());
        assert_eq!(o.get("user").unwrap().text, "alice");
        assert_eq!(o.get("user").unwrap().origin.line, 0);
        assert_eq!(o.get("port").unwrap().text, "2222");
    }

    #[test]
    fn identity_files_accumulate_without_duplicates() {
        let (o, _) = apply_lines(&[
            "IdentityFile ~/.ssh/a",
            "IdentityFile ~/.ssh/b",
            "IdentityFile ~/.ssh/a",
        ]);
        let files: Vec<_> = o
            .list("identityfile")
            .iter()
            .map(|v| v.text.as_str())
            .collect();
        assert_eq!(files, ["~/.ssh/a", "~/.ssh/b"]);
    }

    #[test]
    fn choices_print_like_ssh_g() {
        let (o, _) = apply_lines(&[
            "StrictHostKeyChecking no",
            "ControlMaster yes",
            "RequestTTY Force",
            "BatchMode true",
        ]);
        assert_eq!(o.get("stricthostkeychecking").unwrap().text, "false");
        assert_eq!(o.get("controlmaster").unwrap().text, "true");
        assert_eq!(o.get("requesttty").unwrap().text, "force");
        assert_eq!(o.get("batchmode").unwrap().text, "yes");
    }

    #[test]
    fn times_are_seconds_and_none_leaves_the_value_unset() {
        let (o, _) = apply_lines(&[
            "ConnectTimeout none",
            "ConnectTimeout 1m30s",
            "ServerAliveInterval 2h",
        ]);
        assert_eq!(o.get("connecttimeout").unwrap().text, "90");
        assert_eq!(o.get("serveraliveinterval").unwrap().text, "7200");
        assert_eq!(convtime("1x"), None);
        assert_eq!(convtime("99999999999"), None);
    }

    #[test]
    fn proxyjump_wins_over_a_later_proxycommand_and_prints_its_hops() {
        let (o, errors) = apply_lines(&["ProxyJump alice@hop1:2200,hop2", "ProxyCommand nc %h %p"]);
        assert!(errors.is_empty(), "{errors:?}");
        let jump = o.jump.as_ref().unwrap();
        assert_eq!(jump.host, "hop2");
        assert_eq!(jump.extra.as_deref(), Some("alice@hop1:2200"));
        assert_eq!(o.get("proxycommand").unwrap().text, "none");
    }

    #[test]
    fn bad_values_give_openssh_errors_even_when_inactive() {
        let mut options = Options::default();
        let LineSyntax::Directive(d) = parse_line("Port abc") else {
            panic!()
        };
        let err = options
            .apply(
                lookup("port").unwrap(),
                &d,
                Origin { file: 0, line: 0 },
                false,
            )
            .unwrap_err();
        assert_eq!(err, "Bad port 'abc'.");
        let (_, errors) = apply_lines(&["User a b"]);
        assert_eq!(errors, ["keyword user extra arguments at end of line"]);
    }

    #[test]
    fn forwards_parse_every_form() {
        let (o, errors) = apply_lines(&[
            "LocalForward 8080 127.0.0.1:80",
            "LocalForward [::1]:9000 [::1]:90",
            "DynamicForward 1080",
            "RemoteForward 2222 localhost:22",
            "RemoteForward 1081",
            "LocalForward /tmp/a.sock /tmp/b.sock",
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(o.local_forwards.len(), 4);
        assert!(o.local_forwards[2].is_dynamic());
        assert_eq!(o.remote_forwards.len(), 2);
        assert!(o.remote_forwards[1].is_dynamic());
        let (_, errors) = apply_lines(&["LocalForward 8080"]);
        assert_eq!(errors, ["Missing target argument."]);
    }

    #[test]
    fn sendenv_removes_with_a_leading_dash_and_setenv_takes_the_first_line() {
        let (o, _) = apply_lines(&[
            "SendEnv LANG LC_*",
            "SendEnv -LC_*",
            "SetEnv A=1 B=2",
            "SetEnv C=3",
        ]);
        let send: Vec<_> = o.list("sendenv").iter().map(|v| v.text.as_str()).collect();
        assert_eq!(send, ["LANG"]);
        let set: Vec<_> = o.list("setenv").iter().map(|v| v.text.as_str()).collect();
        assert_eq!(set, ["A=1", "B=2"]);
    }

    #[test]
    fn add_keys_to_agent_takes_a_lifetime() {
        let (o, _) = apply_lines(&["AddKeysToAgent confirm 1h"]);
        assert_eq!(o.get("addkeystoagent").unwrap().text, "confirm 3600");
        let (o, _) = apply_lines(&["AddKeysToAgent 30m"]);
        assert_eq!(o.get("addkeystoagent").unwrap().text, "1800");
    }
}
