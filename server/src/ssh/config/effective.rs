//! From resolved options to the effective configuration `ssh -G` prints:
//! defaults filled in, tokens expanded where OpenSSH expands them (ControlPath,
//! IdentityAgent, UserKnownHostsFile, RemoteCommand, forward paths, HostName's
//! `%h`), in `dump_client_config`'s order, each line with its origin.

use std::borrow::Cow;

use crate::ssh::config::local::LocalFacts;
use crate::ssh::config::options::{
    Forward, Options, Origin, Value, FORWARD_AGENT_SOCKET, REKEY_INTERVAL,
};
use crate::ssh::config::rekey::rekey_limit;
use crate::ssh::config::resolve::{effective_hostname, Resolution};
use crate::ssh::config::special;
use crate::ssh::config::tokens::{connection_hash, has_tokens, tilde_expand, TokenValues};
use crate::ssh::release::algorithms::{Algorithms, Assembled};
use crate::ssh::release::listing::Listing;
use crate::ssh::release::Release;

/// One line of the effective configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub keyword: &'static str,
    /// Borrowed for the fixed texts (defaults): most lines of a listing.
    pub value: Cow<'static, str>,
    /// None for a default.
    pub origin: Option<Origin>,
}

/// The flags and choices `ssh -G` prints, in order, with their defaults
/// (`fill_default_options`); lines some releases lack are filtered by
/// [`Listing::prints`].
const FLAGS: &[(&str, &str)] = &[
    ("addressfamily", "any"),
    ("batchmode", "no"),
    ("canonicalizefallbacklocal", "yes"),
    ("canonicalizehostname", "false"),
    ("checkhostip", "no"),
    ("compression", "no"),
    ("controlmaster", "false"),
    ("enablesshkeysign", "no"),
    ("clearallforwardings", "no"),
    ("exitonforwardfailure", "no"),
    ("fingerprinthash", "SHA256"),
    ("forwardx11", "no"),
    // Debian builds default ForwardX11Trusted to yes, upstream to no.
    ("forwardx11trusted", "@forwardx11trusted"),
    ("gatewayports", "no"),
    // Debian's build only (its GSSAPI patch).
    ("gssapiauthentication", "no"),
    ("gssapikeyexchange", "no"),
    ("gssapidelegatecredentials", "no"),
    ("gssapitrustdns", "no"),
    ("gssapirenewalforcesrekey", "no"),
    ("gssapiclientidentity", ""),
    ("gssapiserveridentity", ""),
    ("gssapikexalgorithms", GSS_KEX_DEFAULT),
    ("hashknownhosts", "no"),
    ("hostbasedauthentication", "no"),
    ("identitiesonly", "no"),
    ("kbdinteractiveauthentication", "yes"),
    ("nohostauthenticationforlocalhost", "no"),
    // Apple's build only.
    ("nohostauthenticationforproxycommand", "no"),
    ("passwordauthentication", "yes"),
    ("permitlocalcommand", "no"),
    ("proxyusefdpass", "no"),
    ("pubkeyauthentication", "true"),
    ("requesttty", "auto"),
    ("sessiontype", "default"),
    ("stdinnull", "no"),
    ("forkafterauthentication", "no"),
    ("streamlocalbindunlink", "no"),
    ("stricthostkeychecking", "ask"),
    ("tcpkeepalive", "yes"),
    ("tunnel", "false"),
    ("verifyhostkeydns", "false"),
    ("visualhostkey", "no"),
    ("updatehostkeys", "@updatehostkeys"),
    ("enableescapecommandline", "no"),
    // Apple's build only.
    ("applemultipath", "no"),
    ("warnweakcrypto", "yes"),
];

/// Debian's default GSSAPIKexAlgorithms.
const GSS_KEX_DEFAULT: &str = "gss-group14-sha256-,gss-group16-sha512-,gss-nistp256-sha256-,gss-curve25519-sha256-,gss-group14-sha1-,gss-gex-sha1-";

const INTEGERS: &[(&str, &str)] = &[
    ("canonicalizemaxdots", "1"),
    ("connectionattempts", "1"),
    ("forwardx11timeout", "1200"),
    ("numberofpasswordprompts", "3"),
    ("serveralivecountmax", "3"),
    ("serveraliveinterval", "0"),
    ("requiredrsasize", "1024"),
    ("obscurekeystroketiming", "yes"),
];

/// String options in order; "" means no default (not printed when unset).
/// The algorithm lists are among them: [`ALGORITHM`] marks them.
const STRINGS: &[(&str, &str)] = &[
    ("bindaddress", ""),
    ("bindinterface", ""),
    ("ciphers", ALGORITHM),
    ("controlpath", ""),
    ("hostkeyalgorithms", ALGORITHM),
    ("hostkeyalias", ""),
    ("hostbasedacceptedalgorithms", ALGORITHM),
    ("identityagent", ""),
    ("ignoreunknown", ""),
    ("kbdinteractivedevices", ""),
    ("kexalgorithms", ALGORITHM),
    ("casignaturealgorithms", ALGORITHM),
    ("localcommand", ""),
    ("remotecommand", ""),
    ("loglevel", "INFO"),
    ("macs", ALGORITHM),
    ("securitykeyprovider", "internal"),
    ("preferredauthentications", ""),
    ("pubkeyacceptedalgorithms", ALGORITHM),
    ("revokedhostkeys", ""),
    ("xauthlocation", ""),
    ("knownhostscommand", ""),
    ("tag", ""),
    ("versionaddendum", ""),
];

/// The default of an algorithm list: the release's, applied to the
/// configured value (`crate::ssh::release::algorithms`).
const ALGORITHM: &str = "@algorithms";

/// Values that mean "not set" once defaults are filled (CLEAR_ON_NONE:
/// `none` in any case), unless `fill_default_options` stopped before
/// ([`Assembled::fill_stopped`]).
const CLEARED_BY_NONE: &[&str] = &[
    "localcommand",
    "remotecommand",
    "proxycommand",
    "controlpath",
    "revokedhostkeys",
    "securitykeyprovider",
    "knownhostscommand",
];

/// Builds the effective configuration as gord has always printed it (Debian's
/// 9.2p1, [`Listing::legacy`]). `env` answers `${VAR}` lookups.
pub fn effective(
    r: &Resolution,
    local: &LocalFacts,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Line>, String> {
    effective_as(r, local, env, Listing::legacy())
}

/// Builds the effective configuration as `listing`'s release prints it.
pub fn effective_as(
    r: &Resolution,
    local: &LocalFacts,
    env: &dyn Fn(&str) -> Option<String>,
    listing: Listing,
) -> Result<Vec<Line>, String> {
    let o = &r.options;
    // The options a host sets (a dozen or so), found by a scan: the listing
    // asks about every keyword, and a scan of a dozen beats the map's
    // ordered comparisons.
    let single: Vec<(&str, &Value)> = o.single.iter().map(|(k, v)| (*k, v)).collect();
    // Most keywords asked about are not set: a bit per set keyword's length
    // and ends answers most of those without a scan.
    let present = single.iter().fold(0u64, |bits, (k, _)| bits | key_bit(k));
    let set = |key: &str| {
        if present & key_bit(key) == 0 {
            return None;
        }
        single.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    };
    // About 80 lines a host: one allocation for all of them.
    let mut lines = Vec::with_capacity(96);
    command_line_host_check(r, listing)?;
    // fill_default_options (and, for HostKeyAlgorithms, dump_client_config)
    // expands the algorithm lists; an empty one stops ssh, or (before 10.4)
    // stops fill_default_options short of its clean-up.
    let Assembled {
        lists: algorithms,
        fill_stopped,
    } = Algorithms::for_build(listing.release, listing.debian)
        .effective_all(&|key| set(key).map(|v| v.text.clone()))?;
    let get = |key: &str| {
        set(key).filter(|v| {
            fill_stopped || !(CLEARED_BY_NONE.contains(&key) && v.text.eq_ignore_ascii_case("none"))
        })
    };
    fn push(
        lines: &mut Vec<Line>,
        keyword: &'static str,
        value: impl Into<Cow<'static, str>>,
        origin: Option<Origin>,
    ) {
        lines.push(Line {
            keyword,
            value: value.into(),
            origin,
        });
    }
    let origin = |v: Option<&Value>| v.map(|v| v.origin);

    let host = effective_hostname(o, &r.host_arg).map_err(|e| format!("percent_expand: {e}"))?;
    let port = o
        .get("port")
        .map(|v| v.text.clone())
        .unwrap_or_else(|| String::from("22"));
    // fill_default_options forgets a bare `ProxyJump none` (unless it
    // stopped before); ssh.c then builds its ProxyCommand from what is left.
    let jump = o
        .jump
        .as_ref()
        .filter(|j| fill_stopped || !(j.host == "none" && j.user.is_none() && j.port.is_none()));
    let jump_host = jump.map(|j| j.host.clone());
    let key_alias = set("hostkeyalias").map(|v| v.text.to_ascii_lowercase());
    let short = local.hostname.split('.').next().unwrap_or("").to_string();
    let home = local.home.to_string_lossy().into_owned();
    // Every token but %r and %C (which need the user); %j from 9.6.
    let mut base = vec![
        ('L', short),
        ('i', local.uid.to_string()),
        ('k', key_alias.clone().unwrap_or_else(|| r.host_arg.clone())),
        ('l', local.hostname.clone()),
        ('n', r.host_arg.clone()),
        ('p', port.clone()),
        ('d', home.clone()),
        ('h', host.clone()),
        ('u', local.user.clone()),
    ];
    if listing.knows_jump_token() {
        base.push(('j', jump_host.clone().unwrap_or_default()));
    }
    let from_command_line = o
        .get("user")
        .is_some_and(|v| v.origin == Origin::COMMAND_LINE);
    let user = match set("user") {
        // From 10.0 User expands tokens (not %r nor %C) and ${VAR}; from
        // 10.1 not a user given on the command line.
        Some(v)
            if listing.expands_user_and_setenv()
                && (!from_command_line || listing.expands_command_line_user()) =>
        {
            if has_tokens(&v.text) {
                TokenValues::new(&base)
                    .expand(&v.text, true, env)
                    .map_err(|e| format!("User: {e}"))?
            } else {
                v.text.clone()
            }
        }
        Some(v) => v.text.clone(),
        None => local.user.clone(),
    };
    let expanded = set("user").is_some_and(|v| v.text != user);
    if listing.checks_user(from_command_line, expanded)
        && !valid_ruser(&user, listing.refuses_control_characters_in_users())
    {
        return Err(String::from(INVALID_USER));
    }
    if let Some(jump) = jump {
        let jump_port = jump
            .port
            .map_or_else(|| String::from("22"), |p| p.to_string());
        let jump_user = jump.user.as_deref().unwrap_or(&user);
        if jump.host == host && jump_port == port && jump_user == user {
            return Err(format!("jumphost loop via {}", jump.host));
        }
        // A ProxyJump sets ProxyCommand to `none`, which only
        // fill_default_options' clean-up takes back.
        let command = get("proxycommand").filter(|v| {
            !(listing.jump_allows_none_proxy_command() && v.text.eq_ignore_ascii_case("none"))
        });
        if command.is_some() {
            return Err(String::from("inconsistent options: ProxyCommand+ProxyJump"));
        }
    }
    ssh_c_checks(&|key| get(key).map(|v| v.text.as_str()))?;
    let hashed_jump = if listing.knows_jump_token() {
        jump_host.as_deref().unwrap_or("")
    } else {
        ""
    };
    let mut all = base;
    all.push((
        'C',
        connection_hash(&local.hostname, &host, &port, &user, hashed_jump),
    ));
    all.push(('r', user.clone()));
    let tokens = TokenValues::from_pairs(all);
    let expand_path = |text: &str| tokens.expand(&tilde_expand(text, &home), true, env);

    if listing.prints("host") {
        push(&mut lines, "host", r.host_arg.clone(), None);
    }
    push(&mut lines, "user", user.clone(), origin(set("user")));
    push(
        &mut lines,
        "hostname",
        host.clone(),
        origin(set("hostname")),
    );
    push(&mut lines, "port", port.clone(), origin(set("port")));

    let user_known_hosts = o.list("userknownhostsfile");
    // ClearAllForwardings also turns the tunnel off (readconf.c's
    // clear_forwardings sets tun_open to SSH_TUNMODE_NO).
    let forwardings_cleared = o
        .get("clearallforwardings")
        .is_some_and(|v| v.text == "yes");
    let printed = printed_by(listing);
    for (keyword, default) in printed.flags.iter().copied() {
        let value = match (set(keyword), *default) {
            (Some(v), _) if *keyword == "tunnel" && forwardings_cleared => {
                Some((Cow::Borrowed("false"), Some(v.origin)))
            }
            // ssh.c turns ProxyUseFDPass off when it builds the ProxyJump command.
            (_, _) if *keyword == "proxyusefdpass" && jump_host.is_some() => {
                Some((Cow::Borrowed("no"), None))
            }
            (Some(v), _) if *keyword == "updatehostkeys" && v.text == "ask" && !ask_possible(o) => {
                Some((Cow::Borrowed("false"), Some(v.origin)))
            }
            (Some(v), _) => Some((
                Cow::Owned(listing.printed_value(keyword, &v.text)),
                Some(v.origin),
            )),
            (None, "") => None,
            (None, "@forwardx11trusted") if listing.debian => None,
            (None, "@forwardx11trusted") => Some((Cow::Borrowed("no"), None)),
            (None, "true") if *keyword == "pubkeyauthentication" => {
                Some((Cow::Owned(listing.pubkey_auth_word("true")), None))
            }
            (None, "@updatehostkeys") => {
                let dns_off = set("verifyhostkeydns").is_none_or(|v| v.text == "false");
                let default_files = user_known_hosts.is_empty()
                    || (user_known_hosts.len() == 1
                        && user_known_hosts[0].text == "~/.ssh/known_hosts");
                Some((
                    Cow::Borrowed(if dns_off && default_files {
                        "true"
                    } else {
                        "false"
                    }),
                    None,
                ))
            }
            (None, d) => Some((Cow::Borrowed(d), None)),
        };
        if let Some((value, from)) = value {
            push(&mut lines, keyword, value, from);
        }
    }
    let batch = set("batchmode").is_some_and(|v| v.text == "yes");
    for (keyword, default) in printed.integers.iter().copied() {
        match set(keyword) {
            // Debian's ssh keeps batch connections alive: 300 s unless set.
            None if *keyword == "serveraliveinterval" && batch && listing.debian => {
                push(&mut lines, keyword, Cow::Borrowed("300"), None)
            }
            Some(v) => push(&mut lines, keyword, v.text.clone(), Some(v.origin)),
            None => push(&mut lines, keyword, *default, None),
        }
    }
    for (keyword, default) in printed.strings.iter().copied() {
        let value = match (*keyword, get(keyword)) {
            (_, v) if *default == ALGORITHM => algorithms
                .iter()
                .find(|(k, _)| k == keyword)
                .and_then(|(_, list)| list.clone())
                .map(|list| (list, origin(v))),
            ("controlpath", Some(v)) => Some((
                Cow::Owned(expand_path(&v.text).map_err(|e| format!("ControlPath: {e}"))?),
                Some(v.origin),
            )),
            ("identityagent", Some(v)) => Some((
                Cow::Owned(expand_path(&v.text).map_err(|e| format!("IdentityAgent: {e}"))?),
                Some(v.origin),
            )),
            ("hostkeyalias", Some(v)) => {
                Some((Cow::Owned(v.text.to_ascii_lowercase()), Some(v.origin)))
            }
            ("revokedhostkeys", Some(v)) if listing.expands_revoked_host_keys() => Some((
                Cow::Owned(expand_path(&v.text).map_err(|e| format!("RevokedHostKeys: {e}"))?),
                Some(v.origin),
            )),
            // Where configure found xauth on the build machine (Debian's
            // and a Linux build's /usr/bin/xauth); Debian's line is left
            // out of the listing gord has always printed.
            ("xauthlocation", None) if !listing.debian => {
                Some((Cow::Borrowed("/usr/bin/xauth"), None))
            }
            // `SecurityKeyProvider none` clears it: no line.
            ("securitykeyprovider", None) if set(keyword).is_some() => None,
            ("securitykeyprovider", None) => {
                Some((Cow::Borrowed(listing.security_key_provider()), None))
            }
            // ssh.c expands its tokens and ${VAR}s (every release that
            // has the keyword: 10.0 and later) before -G prints it.
            ("versionaddendum", Some(v)) => Some((
                Cow::Owned(
                    tokens
                        .expand(&listing.printed_value(keyword, &v.text), true, env)
                        .map_err(|e| format!("VersionAddendum: {e}"))?,
                ),
                Some(v.origin),
            )),
            ("remotecommand", Some(v)) => Some((
                Cow::Owned(
                    tokens
                        .expand(&v.text, false, env)
                        .map_err(|e| format!("RemoteCommand: {e}"))?,
                ),
                Some(v.origin),
            )),
            (_, Some(v)) => Some((
                Cow::Owned(listing.printed_value(keyword, &v.text)),
                Some(v.origin),
            )),
            (_, None) if !default.is_empty() => Some((Cow::Borrowed(*default), None)),
            _ => None,
        };
        if let Some((value, from)) = value {
            push(&mut lines, keyword, value, from);
        }
    }

    let cleared = o
        .get("clearallforwardings")
        .is_some_and(|v| v.text == "yes");
    let (local_fwd, remote_fwd): (&[Forward], &[Forward]) = if cleared {
        (&[], &[])
    } else {
        (&o.local_forwards, &o.remote_forwards)
    };
    let fwd_path = |p: &str| {
        tokens
            .expand(p, false, env)
            .map_err(|e| format!("forward path: {e}"))
    };
    // dump_cfg_forwards prints every local forward without a TCP target here,
    // Unix-socket targets included (they have no connect host).
    for f in local_fwd
        .iter()
        .filter(|f| f.connect_host.is_none() || f.is_dynamic())
    {
        push(
            &mut lines,
            "dynamicforward",
            endpoint(
                &f.listen_host,
                f.listen_port,
                &f.listen_path.as_deref().map(fwd_path).transpose()?,
            ),
            Some(f.origin),
        );
    }
    for (keyword, list) in [("localforward", local_fwd), ("remoteforward", remote_fwd)] {
        for f in list
            .iter()
            .filter(|f| keyword == "remoteforward" || !f.is_dynamic())
        {
            let listen = endpoint(
                &f.listen_host,
                f.listen_port,
                &f.listen_path.as_deref().map(fwd_path).transpose()?,
            );
            let connect = endpoint(
                &f.connect_host,
                f.connect_port.or(Some(0)),
                &f.connect_path.as_deref().map(fwd_path).transpose()?,
            );
            push(
                &mut lines,
                keyword,
                format!("{listen} {connect}"),
                Some(f.origin),
            );
        }
    }

    let identity = o.list("identityfile");
    if identity.is_empty() {
        for file in listing.default_identity_files() {
            push(&mut lines, "identityfile", file.to_string(), None);
        }
    }
    for v in identity {
        push(&mut lines, "identityfile", v.text.clone(), Some(v.origin));
    }
    push_special(
        &mut lines,
        o,
        &printed,
        "canonicaldomains",
        "canonicaldomains",
    );
    for v in o.list("certificatefile") {
        push(
            &mut lines,
            "certificatefile",
            v.text.clone(),
            Some(v.origin),
        );
    }
    match o.list("globalknownhostsfile") {
        [] => push(
            &mut lines,
            "globalknownhostsfile",
            Cow::Borrowed("/etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2"),
            None,
        ),
        files => push(
            &mut lines,
            "globalknownhostsfile",
            files
                .iter()
                .map(|v| v.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            Some(files[0].origin),
        ),
    }
    let known: Vec<&Value> = user_known_hosts.iter().collect();
    if known.is_empty() {
        push(
            &mut lines,
            "userknownhostsfile",
            format!("{home}/.ssh/known_hosts {home}/.ssh/known_hosts2"),
            None,
        );
    } else if known[0].text.eq_ignore_ascii_case("none") {
        push(
            &mut lines,
            "userknownhostsfile",
            Cow::Borrowed("none"),
            Some(known[0].origin),
        );
    } else {
        let files = known
            .iter()
            .map(|v| expand_path(&v.text))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("UserKnownHostsFile: {e}"))?;
        push(
            &mut lines,
            "userknownhostsfile",
            files.join(" "),
            Some(known[0].origin),
        );
    }
    if listing.revoked_host_keys_is_list() {
        match get("revokedhostkeys") {
            Some(v) => push(
                &mut lines,
                "revokedhostkeys",
                expand_path(&v.text).map_err(|e| format!("RevokedHostKeys: {e}"))?,
                Some(v.origin),
            ),
            None => push(&mut lines, "revokedhostkeys", Cow::Borrowed("none"), None),
        }
    }
    for v in o.list("sendenv") {
        push(&mut lines, "sendenv", v.text.clone(), Some(v.origin));
    }
    for v in o.list("setenv") {
        let text = match v.text.split_once('=') {
            // From 10.0 the value (not the name) expands tokens and ${VAR}.
            Some((name, value)) if listing.expands_user_and_setenv() => format!(
                "{name}={}",
                tokens
                    .expand(value, true, env)
                    .map_err(|e| format!("SetEnv: {e}"))?
            ),
            _ => v.text.clone(),
        };
        push(&mut lines, "setenv", text, Some(v.origin));
    }
    push_special(&mut lines, o, &printed, "logverbose", "logverbose");
    if listing.prints("channeltimeout") {
        match set("channeltimeout") {
            Some(v) => push(&mut lines, "channeltimeout", v.text.clone(), Some(v.origin)),
            None => push(&mut lines, "channeltimeout", Cow::Borrowed("none"), None),
        }
    }

    push_special(
        &mut lines,
        o,
        &printed,
        "permitremoteopen",
        "permitremoteopen",
    );
    match set("addkeystoagent") {
        Some(v) => push(&mut lines, "addkeystoagent", v.text.clone(), Some(v.origin)),
        None => push(&mut lines, "addkeystoagent", Cow::Borrowed("false"), None),
    }
    match (set(FORWARD_AGENT_SOCKET), set("forwardagent")) {
        (Some(path), _) => push(
            &mut lines,
            "forwardagent",
            expand_path(&path.text).map_err(|e| format!("ForwardAgent: {e}"))?,
            Some(path.origin),
        ),
        (None, Some(v)) => push(&mut lines, "forwardagent", v.text.clone(), Some(v.origin)),
        (None, None) => push(&mut lines, "forwardagent", Cow::Borrowed("no"), None),
    }
    match set("connecttimeout") {
        Some(v) => push(&mut lines, "connecttimeout", v.text.clone(), Some(v.origin)),
        None => push(&mut lines, "connecttimeout", Cow::Borrowed("none"), None),
    }
    push_special(&mut lines, o, &printed, "tunneldevice", "tunneldevice");
    match o.list("canonicalizepermittedcnames") {
        // `none` is a rule `none:` that only fill_default_options' clean-up
        // drops (8.8 took `none`).
        [v] if fill_stopped
            && listing.release >= Release::new(8, 8, 0)
            && v.text.eq_ignore_ascii_case("none") =>
        {
            push(
                &mut lines,
                "canonicalizePermittedcnames",
                format!("{}:", v.text),
                Some(v.origin),
            )
        }
        _ => push_special(
            &mut lines,
            o,
            &printed,
            "canonicalizepermittedcnames",
            // (sic: dump_client_config's spelling)
            "canonicalizePermittedcnames",
        ),
    }
    match set("controlpersist") {
        Some(v) => push(&mut lines, "controlpersist", v.text.clone(), Some(v.origin)),
        None => push(&mut lines, "controlpersist", Cow::Borrowed("no"), None),
    }
    push_special(&mut lines, o, &printed, "escapechar", "escapechar");
    push_special(&mut lines, o, &printed, "ipqos", "ipqos");
    let limit = match set("rekeylimit") {
        Some(v) => rekey_limit(&v.text, listing.release).map_err(|e| format!("RekeyLimit: {e}"))?,
        None => 0,
    };
    let interval = set(REKEY_INTERVAL);
    push(
        &mut lines,
        "rekeylimit",
        format!("{limit} {}", interval.map_or("0", |v| v.text.as_str())),
        origin(set("rekeylimit").or(interval)),
    );
    for (keyword, default) in [("streamlocalbindmask", "0177"), ("syslogfacility", "USER")] {
        match set(keyword) {
            Some(v) => push(&mut lines, keyword, v.text.clone(), Some(v.origin)),
            None => push(&mut lines, keyword, default, None),
        }
    }
    match jump {
        Some(j) => {
            let numeric =
                j.host.contains(':') || j.host.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            let mut text = String::new();
            if let Some(extra) = &j.extra {
                text.push_str(extra);
                text.push(',');
            }
            if let Some(u) = &j.user {
                text.push_str(u);
                text.push('@');
            }
            if numeric {
                text.push_str(&format!("[{}]", j.host));
            } else {
                text.push_str(&j.host);
            }
            if let Some(p) = j.port {
                text.push_str(&format!(":{p}"));
            }
            push(&mut lines, "proxyjump", text, Some(j.origin));
        }
        None => {
            if let Some(v) = get("proxycommand") {
                push(&mut lines, "proxycommand", v.text.clone(), Some(v.origin));
            }
        }
    }
    Ok(lines)
}

/// One of 64 bits for a keyword, from its length and its first and last
/// bytes: keywords with different bits differ.
fn key_bit(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let first = u64::from(bytes.first().copied().unwrap_or(0));
    let last = u64::from(bytes.last().copied().unwrap_or(0));
    1 << ((bytes.len() as u64 * 7 + first + last * 3) % 64)
}

/// The lines of [`FLAGS`], [`INTEGERS`] and [`STRINGS`] one listing prints.
struct Printed {
    listing: Listing,
    /// Each of [`SPECIAL`] unset, as the listing prints it (kept for the
    /// whole run, like the answer itself: a few short texts per listing).
    unset: Vec<(&'static str, Option<&'static str>)>,
    flags: Vec<&'static (&'static str, &'static str)>,
    integers: Vec<&'static (&'static str, &'static str)>,
    strings: Vec<&'static (&'static str, &'static str)>,
}

/// [`Printed`] for `listing`, worked out once per listing and run: asking
/// [`Listing::prints`] of every keyword costs more than a host's listing.
fn printed_by(listing: Listing) -> std::sync::Arc<Printed> {
    use std::sync::{Arc, Mutex, OnceLock, PoisonError};
    type Known = Mutex<Vec<(Listing, Arc<Printed>)>>;
    static KNOWN: OnceLock<Known> = OnceLock::new();
    let known = KNOWN.get_or_init(|| Mutex::new(Vec::new()));
    // Only finished answers are stored: a poisoned lock holds nothing partial.
    let mut known = known.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, printed)) = known.iter().find(|(l, _)| *l == listing) {
        return Arc::clone(printed);
    }
    let of = |table: &'static [(&'static str, &'static str)]| {
        table
            .iter()
            .filter(|(k, _)| listing.prints(k))
            .collect::<Vec<_>>()
    };
    let mut strings = of(STRINGS);
    if listing.revoked_host_keys_is_list() {
        strings.retain(|(k, _)| *k != "revokedhostkeys");
    }
    let unset = SPECIAL
        .iter()
        .map(|k| {
            let text = special::printed(listing.release, listing.debian, k, &[]);
            (*k, text.map(|t| &*Box::leak(t.into_boxed_str())))
        })
        .collect();
    let printed = Arc::new(Printed {
        listing,
        unset,
        flags: of(FLAGS),
        integers: of(INTEGERS),
        strings,
    });
    known.push((listing, Arc::clone(&printed)));
    printed
}

/// The line of a keyword readconf.c parses by hand, as `listing`'s release
/// prints it (`crate::ssh::config::special`), under `printed_as`.
fn push_special(
    lines: &mut Vec<Line>,
    o: &Options,
    printed: &Printed,
    keyword: &str,
    printed_as: &'static str,
) {
    let set = o.list(keyword);
    let value: Option<Cow<'static, str>> = if set.is_empty() {
        // What the listing prints for it unset, worked out once.
        match printed.unset.iter().find(|(k, _)| *k == keyword) {
            Some((_, text)) => text.map(Cow::Borrowed),
            None => special::printed(
                printed.listing.release,
                printed.listing.debian,
                keyword,
                &[],
            )
            .map(Cow::Owned),
        }
    } else {
        let args: Vec<&str> = set.iter().map(|v| v.text.as_str()).collect();
        special::printed(
            printed.listing.release,
            printed.listing.debian,
            keyword,
            &args,
        )
        .map(Cow::Owned)
    };
    if let Some(value) = value {
        lines.push(Line {
            keyword: printed_as,
            value,
            origin: set.first().map(|v| v.origin),
        });
    }
}

/// The keywords [`push_special`] prints.
const SPECIAL: &[&str] = &[
    "canonicaldomains",
    "logverbose",
    "permitremoteopen",
    "tunneldevice",
    "canonicalizepermittedcnames",
    "escapechar",
    "ipqos",
];

/// A forward endpoint as `dump_cfg_forwards` prints it.
fn endpoint(host: &Option<String>, port: Option<i32>, path: &Option<String>) -> String {
    if let Some(path) = path {
        return path.clone();
    }
    match host {
        None => port.unwrap_or(0).to_string(),
        Some(h) => format!("[{h}]:{}", port.unwrap_or(0)),
    }
}

/// `ssh -G` text.
pub fn render_ssh_g(lines: &[Line]) -> String {
    let mut out = String::new();
    render_ssh_g_into(&mut out, lines);
    out
}

/// [`render_ssh_g`] appended to `out`.
pub fn render_ssh_g_into(out: &mut String, lines: &[Line]) {
    for line in lines {
        out.push_str(line.keyword);
        out.push(' ');
        out.push_str(&line.value);
        out.push('\n');
    }
}

/// [`render_ssh_g_into`] with every value from the config escaped for a
/// terminal (`crate::render::escape::text`); the fixed texts (borrowed
/// values, keywords) are printable already and are copied as they are.
pub fn render_ssh_g_escaped_into(out: &mut String, lines: &[Line]) {
    for line in lines {
        out.push_str(line.keyword);
        out.push(' ');
        match &line.value {
            Cow::Borrowed(text) => out.push_str(text),
            Cow::Owned(text) => out.push_str(&crate::render::escape::text(text)),
        }
        out.push('\n');
    }
}

/// ssh.c turns `UpdateHostKeys ask` off (prints `false`) when it cannot ask:
/// with a ControlPersist master, a remote command, RequestTTY no, or a log
/// level below INFO (the question would not be seen).
fn ask_possible(o: &Options) -> bool {
    let text = |k: &str| o.get(k).map(|v| v.text.as_str());
    let persists = text("controlpersist").is_some_and(|v| v != "no")
        && text("controlpath").is_some_and(|v| v != "none");
    let command = text("remotecommand").is_some_and(|v| v != "none");
    let quiet = matches!(
        text("loglevel"),
        Some("QUIET" | "SILENT" | "FATAL" | "ERROR")
    );
    !(persists || command || text("requesttty") == Some("false") || quiet)
}

const INVALID_USER: &str = "remote username contains invalid characters";

/// ssh.c refuses a host named on the command line with characters a shell
/// would act on (`valid_hostname`, before it reads any config; HostName
/// lines are not checked). From 10.3 it checks the command line's user
/// first.
fn command_line_host_check(r: &Resolution, listing: Listing) -> Result<(), String> {
    let Some(forbidden) = listing.hostname_forbids() else {
        return Ok(());
    };
    if valid_hostname(&r.host_arg, forbidden) {
        return Ok(());
    }
    let user = r
        .options
        .get("user")
        .filter(|v| v.origin == Origin::COMMAND_LINE);
    if listing.checks_user_before_host() && user.is_some_and(|u| !valid_ruser(&u.text, true)) {
        return Err(String::from(INVALID_USER));
    }
    Err(String::from("hostname contains invalid characters"))
}

/// ssh.c's `valid_hostname`: no leading `-`, none of `forbidden`, no blank
/// nor control character.
pub(crate) fn valid_hostname(host: &str, forbidden: &str) -> bool {
    !host.starts_with('-')
        && !host.chars().any(|c| {
            forbidden.contains(c)
                || matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
                || c.is_ascii_control()
        })
}

/// ssh.c's `valid_ruser`: no leading `-`, none of `'`\";&<>|(){}`, no `-`
/// after a blank, no `\` at the end (and, from 10.1, no control character).
pub(crate) fn valid_ruser(user: &str, no_control: bool) -> bool {
    let bytes = user.as_bytes();
    if bytes.first() == Some(&b'-') {
        return false;
    }
    bytes.iter().enumerate().all(|(i, &c)| {
        let next = bytes.get(i + 1).copied();
        let control = no_control && c.is_ascii_control();
        let shell = b"'`\";&<>|(){}".contains(&c);
        let dash_after_blank =
            matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) && next == Some(b'-');
        let final_backslash = c == b'\\' && next.is_none();
        !(control || shell || dash_after_blank || final_backslash)
    })
}

/// The checks ssh.c makes on the options after reading the files and before
/// `-G` prints them (`fatal()`, so ssh exits 255 with this text). No
/// command is given on gord's command line, so only RemoteCommand counts.
fn ssh_c_checks<'a>(get: &dyn Fn(&str) -> Option<&'a str>) -> Result<(), String> {
    let attempts = get("connectionattempts").map_or(Some(1), |v| v.parse::<i32>().ok());
    if attempts.is_some_and(|n| n <= 0) {
        return Err(String::from("Invalid number of ConnectionAttempts"));
    }
    let forks = get("forkafterauthentication") == Some("yes");
    if forks && get("remotecommand").is_none() && get("sessiontype") != Some("none") {
        return Err(String::from(
            "Cannot fork into background without a command to execute.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod render_tests {
    use super::*;

    #[test]
    fn values_from_the_config_are_escaped_for_the_terminal_and_fixed_texts_copied() {
        let lines = [
            Line {
                keyword: "user",
                value: Cow::Owned(String::from("me\u{1b}[31m")),
                origin: None,
            },
            Line {
                keyword: "port",
                value: Cow::Borrowed("22"),
                origin: None,
            },
        ];
        let mut out = String::new();
        render_ssh_g_escaped_into(&mut out, &lines);
        assert_eq!(out, "user me\\x1b[31m\nport 22\n");
        assert_eq!(
            out,
            crate::render::escape::text(&render_ssh_g(&lines)).into_owned()
        );
    }
}

#[cfg(test)]
mod ssh_c_check_tests {
    use super::ssh_c_checks;

    fn check(pairs: &[(&str, &str)]) -> Result<(), String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ssh_c_checks(&|key| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        })
    }

    #[test]
    fn user_names_with_shell_characters_are_invalid() {
        use super::valid_ruser;
        assert!(valid_ruser("bob", true));
        assert!(valid_ruser("b ob", true));
        assert!(valid_ruser("dom\\bob", true));
        for bad in ["-bob", "b;ob", "b`x`", "a -b", "bob\\", "a$(x)"] {
            assert!(!valid_ruser(bad, true), "{bad}");
        }
        assert!(valid_ruser("a\u{1}b", false));
        assert!(!valid_ruser("a\u{1}b", true));
    }

    #[test]
    fn zero_connection_attempts_are_refused_as_ssh_c_refuses_them() {
        assert_eq!(
            check(&[("connectionattempts", "0")]).unwrap_err(),
            "Invalid number of ConnectionAttempts"
        );
        assert!(check(&[("connectionattempts", "1")]).is_ok());
        assert!(check(&[]).is_ok());
    }

    #[test]
    fn forking_after_authentication_needs_a_command_or_no_session() {
        let fork = ("forkafterauthentication", "yes");
        assert_eq!(
            check(&[fork]).unwrap_err(),
            "Cannot fork into background without a command to execute."
        );
        assert!(check(&[fork, ("remotecommand", "uptime")]).is_ok());
        assert!(check(&[fork, ("sessiontype", "none")]).is_ok());
        assert!(check(&[fork, ("sessiontype", "subsystem")]).is_err());
        assert!(check(&[("forkafterauthentication", "no")]).is_ok());
    }
}

#[cfg(test)]
mod release_tests {
    use std::path::Path;

    use super::{effective_as, Line};
    use crate::ssh::config::resolve::memory::MemoryFs;
    use crate::ssh::config::resolve::{ExecPolicy, Resolver};
    use crate::ssh::lint::tests::facts;
    use crate::ssh::release::listing::Listing;
    use crate::ssh::release::parse_version_argument;

    /// What `version`'s `ssh -G -F CONFIG host` gives for `config`.
    fn ssh_g(version: &str, config: &str, host: &str) -> Result<Vec<Line>, String> {
        let version = parse_version_argument(version).expect("a version");
        let fs = MemoryFs::with(&[("/cfg", config)]);
        let local = facts();
        let r = Resolver::new(&fs, &local, ExecPolicy::Deny)
            .with_version(version)
            .resolve(Path::new("/cfg"), host);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        effective_as(&r, &local, &|_| None, Listing::of(version))
    }

    fn value(lines: &[Line], keyword: &str) -> Option<String> {
        lines
            .iter()
            .find(|l| l.keyword == keyword)
            .map(|l| l.value.to_string())
    }

    const EMPTY_CA_LIST: &str = "CASignatureAlgorithms *-cert-v01@openssh.com\n";

    #[test]
    fn forward_agent_prints_the_first_socket_path_even_after_a_no() {
        // readconf.c keeps the yes/no and the path apart, each first-wins;
        // dump_client_config prints the path whenever there is one.
        let path_after_no = "ForwardAgent no\nForwardAgent ~/agent.%h\nForwardAgent /tmp/b\n";
        for version in ["8.7p1", "9.2p1-debian", "10.5p1"] {
            let lines = ssh_g(version, path_after_no, "a.test").unwrap();
            assert_eq!(
                value(&lines, "forwardagent").as_deref(),
                Some("/home/me/agent.a.test"),
                "{version}"
            );
        }
        let lines = ssh_g("10.5p1", "ForwardAgent yes\nForwardAgent no\n", "a.test").unwrap();
        assert_eq!(value(&lines, "forwardagent").as_deref(), Some("yes"));
        let lines = ssh_g("10.5p1", "Host other\n  ForwardAgent /tmp/a\n", "a.test").unwrap();
        assert_eq!(value(&lines, "forwardagent").as_deref(), Some("no"));
    }

    #[test]
    fn version_addendum_is_printed_with_its_tokens_expanded() {
        let lines = ssh_g("10.0p1", "VersionAddendum gord-%h-%r\n", "a.test").unwrap();
        assert_eq!(
            value(&lines, "versionaddendum").as_deref(),
            Some("gord-a.test-me")
        );
        let lines = ssh_g("10.5p1", "VersionAddendum none\n", "a.test").unwrap();
        assert_eq!(value(&lines, "versionaddendum").as_deref(), Some(""));
        assert_eq!(
            ssh_g("10.5p1", "VersionAddendum %z\n", "a.test").unwrap_err(),
            "VersionAddendum: unknown key %z"
        );
    }

    #[test]
    fn none_clears_nothing_once_an_empty_list_stopped_fill_default_options() {
        let config = format!(
            "{EMPTY_CA_LIST}ControlPath none\nRemoteCommand NONE\nProxyJump none\nCanonicalizePermittedCNAMEs none\n"
        );
        let lines = ssh_g("9.6p1", &config, "a.test").unwrap();
        assert_eq!(value(&lines, "controlpath").as_deref(), Some("none"));
        assert_eq!(value(&lines, "remotecommand").as_deref(), Some("NONE"));
        assert_eq!(value(&lines, "proxyjump").as_deref(), Some("none"));
        assert_eq!(
            value(&lines, "canonicalizePermittedcnames").as_deref(),
            Some("none:")
        );
        assert_eq!(value(&lines, "casignaturealgorithms"), None);
        // Without the empty list every `none` (in any case) clears.
        let lines = ssh_g("9.6p1", &config.replace(EMPTY_CA_LIST, ""), "a.test").unwrap();
        for keyword in ["controlpath", "remotecommand", "proxyjump"] {
            assert_eq!(value(&lines, keyword), None, "{keyword}");
        }
        // From 10.4 the empty list itself stops ssh.
        assert_eq!(
            ssh_g("10.4p1", &config, "a.test").unwrap_err(),
            "fill_default_options: ca_sign_algorithms: invalid argument"
        );
    }

    #[test]
    fn a_jump_host_after_an_empty_list_is_inconsistent_until_10_3() {
        let config = format!("{EMPTY_CA_LIST}ProxyJump u@bastion.test:2222\n");
        for version in ["8.7p1", "9.6p1", "10.2p1"] {
            assert_eq!(
                ssh_g(version, &config, "a.test").unwrap_err(),
                "inconsistent options: ProxyCommand+ProxyJump",
                "{version}"
            );
        }
        // 10.3 (and Debian's 9.2) let the ProxyCommand `none` a jump sets pass.
        for version in ["10.3p1", "9.2p1-debian"] {
            let lines = ssh_g(version, &config, "a.test").unwrap();
            assert_eq!(
                value(&lines, "proxyjump").as_deref(),
                Some("u@bastion.test:2222")
            );
        }
    }

    #[test]
    fn a_proxy_command_after_proxy_jump_none_counts_from_10_3() {
        let config = "ProxyJump none\nProxyCommand nc %h %p\n";
        let lines = ssh_g("10.2p1", config, "a.test").unwrap();
        assert_eq!(value(&lines, "proxycommand"), None);
        for version in ["10.3p1", "9.2p1-debian"] {
            let lines = ssh_g(version, config, "a.test").unwrap();
            assert_eq!(
                value(&lines, "proxycommand").as_deref(),
                Some("nc %h %p"),
                "{version}"
            );
        }
    }

    #[test]
    fn security_key_provider_none_prints_no_line() {
        let lines = ssh_g("9.6p1", "SecurityKeyProvider None\n", "a.test").unwrap();
        assert_eq!(value(&lines, "securitykeyprovider"), None);
        let lines = ssh_g("9.6p1", "", "a.test").unwrap();
        assert!(value(&lines, "securitykeyprovider").is_some());
    }

    #[test]
    fn the_host_on_the_command_line_is_checked_from_9_6() {
        const INVALID: &str = "hostname contains invalid characters";
        for host in ["a;b.test", "a b.test", "a$(x).test", "-a.test", "a\u{1}b"] {
            assert!(ssh_g("9.2p1", "", host).is_ok(), "{host}");
            assert_eq!(ssh_g("9.6p1", "", host).unwrap_err(), INVALID, "{host}");
        }
        // A comma from 10.0 (Debian's 9.2 too).
        assert!(ssh_g("9.9p1", "", "a,b.test").is_ok());
        assert_eq!(ssh_g("10.0p1", "", "a,b.test").unwrap_err(), INVALID);
        assert_eq!(ssh_g("9.2p1-debian", "", "a,b.test").unwrap_err(), INVALID);
        // HostName lines are not checked.
        assert!(ssh_g("10.5p1", "HostName a;b.test\n", "a.test").is_ok());
        // Both bad: the host first until 10.2, the user first from 10.3.
        assert_eq!(ssh_g("10.2p1", "", "u|x@a$b.test").unwrap_err(), INVALID);
        assert_eq!(
            ssh_g("10.3p1", "", "u|x@a$b.test").unwrap_err(),
            "remote username contains invalid characters"
        );
    }
}
