//! From resolved options to the effective configuration `ssh -G` prints:
//! defaults filled in, tokens expanded where OpenSSH expands them (ControlPath,
//! IdentityAgent, UserKnownHostsFile, RemoteCommand, forward paths, HostName's
//! `%h`), in `dump_client_config`'s order, each line with its origin.

use crate::ssh::config::local::LocalFacts;
use crate::ssh::config::options::{Forward, Options, Origin, Value, REKEY_INTERVAL};
use crate::ssh::config::rekey::rekey_limit;
use crate::ssh::config::resolve::{effective_hostname, Resolution};
use crate::ssh::config::special;
use crate::ssh::config::tokens::{connection_hash, tilde_expand, TokenValues};
use crate::ssh::release::algorithms::Algorithms;
use crate::ssh::release::listing::Listing;

/// One line of the effective configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub keyword: &'static str,
    pub value: String,
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

/// Values that mean "not set" once defaults are filled (CLEAR_ON_NONE).
const CLEARED_BY_NONE: &[&str] = &[
    "localcommand",
    "remotecommand",
    "proxycommand",
    "controlpath",
    "revokedhostkeys",
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
    let mut lines = Vec::new();
    let get = |key: &str| {
        o.get(key)
            .filter(|v| !(CLEARED_BY_NONE.contains(&key) && v.text == "none"))
    };
    let push =
        |lines: &mut Vec<Line>, keyword: &'static str, value: String, origin: Option<Origin>| {
            lines.push(Line {
                keyword,
                value,
                origin,
            });
        };
    let origin = |v: Option<&Value>| v.map(|v| v.origin);

    let host = effective_hostname(o, &r.host_arg).map_err(|e| format!("percent_expand: {e}"))?;
    let port = o
        .get("port")
        .map(|v| v.text.clone())
        .unwrap_or_else(|| String::from("22"));
    let jump_host = o
        .jump
        .as_ref()
        .filter(|j| j.host != "none")
        .map(|j| j.host.clone());
    let key_alias = o.get("hostkeyalias").map(|v| v.text.to_ascii_lowercase());
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
    let user = match o.get("user") {
        // From 10.0 User expands tokens (not %r nor %C) and ${VAR}; from
        // 10.1 not a user given on the command line.
        Some(v)
            if listing.expands_user_and_setenv()
                && (!from_command_line || listing.expands_command_line_user()) =>
        {
            TokenValues::new(&base)
                .expand(&v.text, true, env)
                .map_err(|e| format!("User: {e}"))?
        }
        Some(v) => v.text.clone(),
        None => local.user.clone(),
    };
    let expanded = o.get("user").is_some_and(|v| v.text != user);
    if listing.checks_user(from_command_line, expanded)
        && !valid_ruser(&user, listing.refuses_control_characters_in_users())
    {
        return Err(String::from("remote username contains invalid characters"));
    }
    if let Some(jump) = o.jump.as_ref().filter(|j| j.host != "none") {
        let jump_port = jump
            .port
            .map_or_else(|| String::from("22"), |p| p.to_string());
        let jump_user = jump.user.as_deref().unwrap_or(&user);
        if jump.host == host && jump_port == port && jump_user == user {
            return Err(format!("jumphost loop via {}", jump.host));
        }
    }
    // fill_default_options (and, for HostKeyAlgorithms, dump_client_config)
    // expands the algorithm lists; an empty one stops ssh.
    let algorithms = Algorithms::for_build(listing.release, listing.debian)
        .effective_all(&|key| o.get(key).map(|v| v.text.clone()))?;
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
    let tokens = TokenValues::new(&all);
    let expand_path = |text: &str| tokens.expand(&tilde_expand(text, &home), true, env);

    if listing.prints("host") {
        push(&mut lines, "host", r.host_arg.clone(), None);
    }
    push(&mut lines, "user", user.clone(), origin(o.get("user")));
    push(
        &mut lines,
        "hostname",
        host.clone(),
        origin(o.get("hostname")),
    );
    push(&mut lines, "port", port.clone(), origin(o.get("port")));

    let user_known_hosts = o.list("userknownhostsfile");
    // ClearAllForwardings also turns the tunnel off (readconf.c's
    // clear_forwardings sets tun_open to SSH_TUNMODE_NO).
    let forwardings_cleared = o
        .get("clearallforwardings")
        .is_some_and(|v| v.text == "yes");
    for (keyword, default) in FLAGS.iter().filter(|(k, _)| listing.prints(k)) {
        let value = match (o.get(keyword), *default) {
            (Some(v), _) if *keyword == "tunnel" && forwardings_cleared => {
                Some((String::from("false"), Some(v.origin)))
            }
            // ssh.c turns ProxyUseFDPass off when it builds the ProxyJump command.
            (_, _) if *keyword == "proxyusefdpass" && jump_host.is_some() => {
                Some((String::from("no"), None))
            }
            (Some(v), _) if *keyword == "updatehostkeys" && v.text == "ask" && !ask_possible(o) => {
                Some((String::from("false"), Some(v.origin)))
            }
            (Some(v), _) => Some((listing.printed_value(keyword, &v.text), Some(v.origin))),
            (None, "") => None,
            (None, "@forwardx11trusted") if listing.debian => None,
            (None, "@forwardx11trusted") => Some((String::from("no"), None)),
            (None, "true") if *keyword == "pubkeyauthentication" => {
                Some((listing.pubkey_auth_word("true"), None))
            }
            (None, "@updatehostkeys") => {
                let dns_off = o.get("verifyhostkeydns").is_none_or(|v| v.text == "false");
                let default_files = user_known_hosts.is_empty()
                    || (user_known_hosts.len() == 1
                        && user_known_hosts[0].text == "~/.ssh/known_hosts");
                Some((
                    String::from(if dns_off && default_files {
                        "true"
                    } else {
                        "false"
                    }),
                    None,
                ))
            }
            (None, d) => Some((d.to_string(), None)),
        };
        if let Some((value, from)) = value {
            push(&mut lines, keyword, value, from);
        }
    }
    let batch = o.get("batchmode").is_some_and(|v| v.text == "yes");
    for (keyword, default) in INTEGERS.iter().filter(|(k, _)| listing.prints(k)) {
        match o.get(keyword) {
            // Debian's ssh keeps batch connections alive: 300 s unless set.
            None if *keyword == "serveraliveinterval" && batch && listing.debian => {
                push(&mut lines, keyword, String::from("300"), None)
            }
            Some(v) => push(&mut lines, keyword, v.text.clone(), Some(v.origin)),
            None => push(&mut lines, keyword, default.to_string(), None),
        }
    }
    let strings = STRINGS.iter().filter(|(k, _)| {
        listing.prints(k) && !(*k == "revokedhostkeys" && listing.revoked_host_keys_is_list())
    });
    for (keyword, default) in strings {
        let value = match (*keyword, get(keyword)) {
            (_, v) if *default == ALGORITHM => algorithms
                .iter()
                .find(|(k, _)| k == keyword)
                .and_then(|(_, list)| list.clone())
                .map(|list| (list, origin(v))),
            ("controlpath", Some(v)) => Some((
                expand_path(&v.text).map_err(|e| format!("ControlPath: {e}"))?,
                Some(v.origin),
            )),
            ("identityagent", Some(v)) => Some((
                expand_path(&v.text).map_err(|e| format!("IdentityAgent: {e}"))?,
                Some(v.origin),
            )),
            ("hostkeyalias", Some(v)) => Some((v.text.to_ascii_lowercase(), Some(v.origin))),
            ("revokedhostkeys", Some(v)) if listing.expands_revoked_host_keys() => Some((
                expand_path(&v.text).map_err(|e| format!("RevokedHostKeys: {e}"))?,
                Some(v.origin),
            )),
            // Where configure found xauth on the build machine (Debian's
            // and a Linux build's /usr/bin/xauth); Debian's line is left
            // out of the listing gord has always printed.
            ("xauthlocation", None) if !listing.debian => {
                Some((String::from("/usr/bin/xauth"), None))
            }
            ("securitykeyprovider", None) => {
                Some((listing.security_key_provider().to_string(), None))
            }
            ("remotecommand", Some(v)) => Some((
                tokens
                    .expand(&v.text, false, env)
                    .map_err(|e| format!("RemoteCommand: {e}"))?,
                Some(v.origin),
            )),
            (_, Some(v)) => Some((listing.printed_value(keyword, &v.text), Some(v.origin))),
            (_, None) if !default.is_empty() => Some((default.to_string(), None)),
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
        listing,
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
            String::from("/etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2"),
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
            String::from("none"),
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
            None => push(&mut lines, "revokedhostkeys", String::from("none"), None),
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
    push_special(&mut lines, o, listing, "logverbose", "logverbose");
    if listing.prints("channeltimeout") {
        match o.get("channeltimeout") {
            Some(v) => push(&mut lines, "channeltimeout", v.text.clone(), Some(v.origin)),
            None => push(&mut lines, "channeltimeout", String::from("none"), None),
        }
    }

    push_special(
        &mut lines,
        o,
        listing,
        "permitremoteopen",
        "permitremoteopen",
    );
    match o.get("addkeystoagent") {
        Some(v) => push(&mut lines, "addkeystoagent", v.text.clone(), Some(v.origin)),
        None => push(&mut lines, "addkeystoagent", String::from("false"), None),
    }
    match o.get("forwardagent") {
        Some(v) if v.text == "yes" || v.text == "no" => {
            push(&mut lines, "forwardagent", v.text.clone(), Some(v.origin))
        }
        Some(v) => push(
            &mut lines,
            "forwardagent",
            expand_path(&v.text).map_err(|e| format!("ForwardAgent: {e}"))?,
            Some(v.origin),
        ),
        None => push(&mut lines, "forwardagent", String::from("no"), None),
    }
    match o.get("connecttimeout") {
        Some(v) => push(&mut lines, "connecttimeout", v.text.clone(), Some(v.origin)),
        None => push(&mut lines, "connecttimeout", String::from("none"), None),
    }
    push_special(&mut lines, o, listing, "tunneldevice", "tunneldevice");
    push_special(
        &mut lines,
        o,
        listing,
        "canonicalizepermittedcnames",
        // (sic: dump_client_config's spelling)
        "canonicalizePermittedcnames",
    );
    match o.get("controlpersist") {
        Some(v) => push(&mut lines, "controlpersist", v.text.clone(), Some(v.origin)),
        None => push(&mut lines, "controlpersist", String::from("no"), None),
    }
    push_special(&mut lines, o, listing, "escapechar", "escapechar");
    push_special(&mut lines, o, listing, "ipqos", "ipqos");
    let limit = match o.get("rekeylimit") {
        Some(v) => rekey_limit(&v.text, listing.release).map_err(|e| format!("RekeyLimit: {e}"))?,
        None => 0,
    };
    let interval = o.get(REKEY_INTERVAL);
    push(
        &mut lines,
        "rekeylimit",
        format!("{limit} {}", interval.map_or("0", |v| v.text.as_str())),
        origin(o.get("rekeylimit").or(interval)),
    );
    for (keyword, default) in [("streamlocalbindmask", "0177"), ("syslogfacility", "USER")] {
        match o.get(keyword) {
            Some(v) => push(&mut lines, keyword, v.text.clone(), Some(v.origin)),
            None => push(&mut lines, keyword, default.to_string(), None),
        }
    }
    match o
        .jump
        .as_ref()
        .filter(|j| !(j.host == "none" && j.user.is_none() && j.port.is_none()))
    {
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

/// The line of a keyword readconf.c parses by hand, as `listing`'s release
/// prints it (`crate::ssh::config::special`), under `printed_as`.
fn push_special(
    lines: &mut Vec<Line>,
    o: &Options,
    listing: Listing,
    keyword: &str,
    printed_as: &'static str,
) {
    let set = o.list(keyword);
    let args: Vec<&str> = set.iter().map(|v| v.text.as_str()).collect();
    if let Some(value) = special::printed(listing.release, listing.debian, keyword, &args) {
        lines.push(Line {
            keyword: printed_as,
            value,
            origin: set.first().map(|v| v.origin),
        });
    }
}

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
    for line in lines {
        out.push_str(line.keyword);
        out.push(' ');
        out.push_str(&line.value);
        out.push('\n');
    }
    out
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

/// ssh.c's `valid_ruser`: no leading `-`, none of `'`\";&<>|(){}`, no `-`
/// after a blank, no `\` at the end (and, from 10.1, no control character).
fn valid_ruser(user: &str, no_control: bool) -> bool {
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
