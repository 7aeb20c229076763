//! What each ssh_config keyword does, in gord's own words, with the
//! spelling ssh_config(5) uses. Which release knows a keyword is
//! `crate::ssh::release::history`; its default is what that release's
//! `ssh -G` prints (see [`super::keyword_hover`]). Pure data.

/// One keyword's documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Doc {
    /// Lowercase, as readconf.c's table spells it.
    pub name: &'static str,
    /// As ssh_config(5) spells it.
    pub spelling: &'static str,
    /// What it does, in a sentence or two.
    pub text: &'static str,
}

const fn doc(name: &'static str, spelling: &'static str, text: &'static str) -> Doc {
    Doc {
        name,
        spelling,
        text,
    }
}

/// Every keyword gord offers (the current names; aliases and retired
/// keywords are described by [`super::keyword_hover`] from their kind).
pub const DOCS: &[Doc] = &[
    doc("host", "Host", "Starts a block that applies to the hosts whose name, as typed on the command line, matches one of its patterns (`*` and `?` wildcards, `!` to exclude). The block runs to the next Host or Match line."),
    doc("match", "Match", "Starts a block that applies when every criterion holds: `host`, `originalhost`, `user`, `localuser`, `exec`, `canonical`, `final`, `all` and, in newer releases, `tagged`, `localnetwork`, `command`, `sessiontype`, `version`."),
    doc("include", "Include", "Reads other config files here, as if their lines were written in place. Relative paths are under ~/.ssh; glob patterns are allowed. Inside a Host or Match block, the included lines belong to that block."),
    doc("hostname", "HostName", "The real name or address to connect to, when the name typed is an alias. `%h` stands for the name typed."),
    doc("user", "User", "The login name on the remote host, instead of your local user name."),
    doc("port", "Port", "The TCP port of the remote ssh server."),
    doc("identityfile", "IdentityFile", "A private key to try for public key authentication. Several lines add several keys, tried in order; tokens and `~` are expanded."),
    doc("identitiesonly", "IdentitiesOnly", "Use only the keys named by IdentityFile (and CertificateFile), even when the agent offers others. Avoids 'Too many authentication failures' on servers that count every key offered."),
    doc("identityagent", "IdentityAgent", "The socket of the agent to ask for keys, `none` to use no agent, or `SSH_AUTH_SOCK` to take it from the environment."),
    doc("certificatefile", "CertificateFile", "A certificate to present with the matching private key. Several lines add several certificates."),
    doc("addkeystoagent", "AddKeysToAgent", "Whether a key used from a file is added to the running agent: `yes`, `no`, `ask` (confirm each time), `confirm` (the agent asks before each use), optionally with a lifetime."),
    doc("proxyjump", "ProxyJump", "Reaches the host through one or more jump hosts (`[user@]host[:port]`, comma-separated), each connected to with ssh itself. `none` turns it off."),
    doc("proxycommand", "ProxyCommand", "A command whose standard input and output carry the connection instead of a TCP socket (`nc`, `ssh -W`, a corporate proxy helper). `none` turns it off."),
    doc("proxyusefdpass", "ProxyUseFdpass", "The ProxyCommand hands back a connected socket instead of relaying the data itself."),
    doc("localforward", "LocalForward", "Forwards a local port (or Unix socket) through the connection to an address reachable from the remote host."),
    doc("remoteforward", "RemoteForward", "Forwards a port (or socket) on the remote host back through the connection to an address reachable from here; without a target, acts as a SOCKS proxy on the remote side."),
    doc("dynamicforward", "DynamicForward", "Opens a local SOCKS proxy on this port whose connections leave from the remote host."),
    doc("forwardagent", "ForwardAgent", "Makes your agent usable on the remote host (`yes`, `no`, or a socket path). Anyone with root there can use your keys while you are connected."),
    doc("forwardx11", "ForwardX11", "Lets X11 programs started on the remote host display on your screen."),
    doc("forwardx11trusted", "ForwardX11Trusted", "Gives remote X11 programs full access to your display instead of the restricted, untrusted mode."),
    doc("forwardx11timeout", "ForwardX11Timeout", "How long untrusted X11 forwarding keeps accepting new connections."),
    doc("exitonforwardfailure", "ExitOnForwardFailure", "ssh quits when a requested port forwarding cannot be set up, instead of going on without it."),
    doc("clearallforwardings", "ClearAllForwardings", "Drops every port forwarding set so far, from the config or the command line."),
    doc("gatewayports", "GatewayPorts", "Local forwarded ports listen on every address, so other machines can connect to them, not only this one."),
    doc("serveraliveinterval", "ServerAliveInterval", "Seconds of silence after which ssh sends a keep-alive through the encrypted channel; 0 sends none. Keeps idle connections through NAT and firewalls."),
    doc("serveralivecountmax", "ServerAliveCountMax", "How many keep-alives may go unanswered before ssh gives up on the connection."),
    doc("tcpkeepalive", "TCPKeepAlive", "Lets the operating system send TCP keep-alives, which notice a dead peer (and can drop a connection on a short network outage)."),
    doc("connecttimeout", "ConnectTimeout", "Seconds to wait for the TCP connection (and the server's first words) before giving up; `none` waits as long as the system does."),
    doc("connectionattempts", "ConnectionAttempts", "How many times to try connecting, one second apart, before giving up."),
    doc("controlmaster", "ControlMaster", "Lets one connection carry later sessions to the same host: `yes` or `auto` to start a master, `ask`/`autoask` to confirm, `no` to only reuse one."),
    doc("controlpath", "ControlPath", "The socket of the shared connection; `%C` (a hash of the connection) keeps it short and unique. `none` turns sharing off."),
    doc("controlpersist", "ControlPersist", "Keeps the master connection open in the background after the first session ends: `yes` forever, a time, or `no`."),
    doc("stricthostkeychecking", "StrictHostKeyChecking", "What to do with a host key not yet in known_hosts: `ask`, `accept-new` (add it, but refuse changed keys), `yes` (refuse), `no`/`off` (add it and go on even if it changed, for some methods)."),
    doc("userknownhostsfile", "UserKnownHostsFile", "Your own files of known host keys (several, space-separated), or `none`."),
    doc("globalknownhostsfile", "GlobalKnownHostsFile", "The system-wide files of known host keys."),
    doc("knownhostscommand", "KnownHostsCommand", "A command whose output is read as more known_hosts lines."),
    doc("hashknownhosts", "HashKnownHosts", "New known_hosts entries store a hash of the host name instead of the name."),
    doc("checkhostip", "CheckHostIP", "Also records and checks the host's IP address in known_hosts, to notice DNS spoofing."),
    doc("hostkeyalias", "HostKeyAlias", "The name to look the host key up under in known_hosts, instead of the host name."),
    doc("hostkeyalgorithms", "HostKeyAlgorithms", "The host key types ssh accepts from the server, in order of preference (`+` appends, `-` removes, `^` puts first)."),
    doc("updatehostkeys", "UpdateHostKeys", "Learns the other host keys the server offers after authentication and records them in known_hosts (`ask` to confirm)."),
    doc("verifyhostkeydns", "VerifyHostKeyDNS", "Checks the host key against SSHFP records in DNS (`ask` to confirm what DNS says)."),
    doc("visualhostkey", "VisualHostKey", "Shows an ASCII-art picture of the host key's fingerprint at each login."),
    doc("revokedhostkeys", "RevokedHostKeys", "A file of host keys that are refused even when known_hosts accepts them."),
    doc("nohostauthenticationforlocalhost", "NoHostAuthenticationForLocalhost", "Skips the host key check for localhost, for a home directory shared between machines."),
    doc("fingerprinthash", "FingerprintHash", "The hash used to show key fingerprints: `sha256` or `md5`."),
    doc("ciphers", "Ciphers", "The ciphers ssh offers, in order of preference (`+` appends, `-` removes, `^` puts first)."),
    doc("macs", "MACs", "The message authentication codes ssh offers, in order of preference."),
    doc("kexalgorithms", "KexAlgorithms", "The key exchange methods ssh offers, in order of preference."),
    doc("pubkeyacceptedalgorithms", "PubkeyAcceptedAlgorithms", "The signature types ssh may use with your keys for public key authentication."),
    doc("hostbasedacceptedalgorithms", "HostbasedAcceptedAlgorithms", "The signature types ssh may use for host-based authentication."),
    doc("casignaturealgorithms", "CASignatureAlgorithms", "The signature types a certificate authority may have used on the certificates ssh accepts."),
    doc("requiredrsasize", "RequiredRSASize", "The smallest RSA key, in bits, ssh accepts from the server or uses itself."),
    doc("rekeylimit", "RekeyLimit", "How much data (and, optionally, how much time) before the session keys are renewed."),
    doc("compression", "Compression", "Compresses the data sent over the connection; helps on slow links only."),
    doc("pubkeyauthentication", "PubkeyAuthentication", "Tries public key authentication; `unbound`/`host-bound` choose whether signatures are bound to the host key (newer releases)."),
    doc("passwordauthentication", "PasswordAuthentication", "Tries password authentication."),
    doc("kbdinteractiveauthentication", "KbdInteractiveAuthentication", "Tries keyboard-interactive authentication (one-time codes, PAM prompts)."),
    doc("kbdinteractivedevices", "KbdInteractiveDevices", "Which keyboard-interactive methods to ask the server for."),
    doc("hostbasedauthentication", "HostbasedAuthentication", "Tries host-based authentication (the client machine's key vouches for the user)."),
    doc("gssapiauthentication", "GSSAPIAuthentication", "Tries Kerberos (GSSAPI) authentication."),
    doc("gssapidelegatecredentials", "GSSAPIDelegateCredentials", "Passes your Kerberos ticket on to the server."),
    doc("preferredauthentications", "PreferredAuthentications", "The order in which authentication methods are tried."),
    doc("numberofpasswordprompts", "NumberOfPasswordPrompts", "How many times a password is asked for before giving up."),
    doc("batchmode", "BatchMode", "Never asks anything (no password, no host key question): for scripts, where a question would hang."),
    doc("enablesshkeysign", "EnableSSHKeysign", "Lets ssh use the ssh-keysign helper for host-based authentication."),
    doc("pkcs11provider", "PKCS11Provider", "The PKCS#11 library that gives access to keys on a smart card or token."),
    doc("securitykeyprovider", "SecurityKeyProvider", "The library that talks to FIDO security keys for `-sk` keys."),
    doc("smartcarddevice", "SmartcardDevice", "The smart card device to read keys from (builds with smart card support)."),
    doc("sendenv", "SendEnv", "Local environment variables to send to the server (which must accept them); wildcards allowed, `-` removes."),
    doc("setenv", "SetEnv", "Sets environment variables (`NAME=value`) for the remote session."),
    doc("requesttty", "RequestTTY", "Whether to ask for a terminal: `yes`, `no`, `force`, or `auto` (when running interactively)."),
    doc("remotecommand", "RemoteCommand", "A command to run on the remote host instead of a login shell."),
    doc("localcommand", "LocalCommand", "A command run on this machine after connecting (needs PermitLocalCommand)."),
    doc("permitlocalcommand", "PermitLocalCommand", "Allows LocalCommand and the `!command` escape."),
    doc("sessiontype", "SessionType", "What the session is: `default` (a shell or command), `subsystem`, or `none` (forwarding only, like `-N`)."),
    doc("stdinnull", "StdinNull", "Reads standard input from /dev/null, like `-n`."),
    doc("forkafterauthentication", "ForkAfterAuthentication", "Goes to the background once authenticated, like `-f`."),
    doc("escapechar", "EscapeChar", "The escape character for `~.` and friends, or `none` to disable escapes."),
    doc("enableescapecommandline", "EnableEscapeCommandline", "Allows the `~C` command line for adding forwardings in a running session."),
    doc("loglevel", "LogLevel", "How much ssh reports: QUIET, FATAL, ERROR, INFO, VERBOSE, DEBUG1 to DEBUG3."),
    doc("logverbose", "LogVerbose", "Source files or functions whose debug messages are always shown."),
    doc("syslogfacility", "SyslogFacility", "The syslog facility for ssh's messages."),
    doc("addressfamily", "AddressFamily", "Which addresses to connect to: `inet` (IPv4), `inet6` (IPv6) or `any`."),
    doc("bindaddress", "BindAddress", "The local address connections leave from."),
    doc("bindinterface", "BindInterface", "The local network interface connections leave from."),
    doc("ipqos", "IPQoS", "The DSCP class for interactive and bulk traffic."),
    doc("canonicalizehostname", "CanonicalizeHostname", "Completes short host names with CanonicalDomains before connecting (`always` also for proxied connections); the config is then read again for the full name."),
    doc("canonicaldomains", "CanonicalDomains", "The domains tried when completing short host names."),
    doc("canonicalizefallbacklocal", "CanonicalizeFallbackLocal", "When no domain completes a name, uses the system's resolver instead of failing."),
    doc("canonicalizemaxdots", "CanonicalizeMaxDots", "Names with more dots than this are taken as complete already."),
    doc("canonicalizepermittedcnames", "CanonicalizePermittedCNAMEs", "Which CNAMEs may be followed while completing names."),
    doc("streamlocalbindmask", "StreamLocalBindMask", "The permission mask of Unix sockets made for forwardings."),
    doc("streamlocalbindunlink", "StreamLocalBindUnlink", "Removes a stale Unix socket before listening on it for a forwarding."),
    doc("tunnel", "Tunnel", "Opens a tun device on both ends (`point-to-point` or `ethernet`), a VPN over ssh."),
    doc("tunneldevice", "TunnelDevice", "Which tun devices to use, `local:remote`."),
    doc("permitremoteopen", "PermitRemoteOpen", "Where connections through a remote dynamic forwarding may go."),
    doc("xauthlocation", "XAuthLocation", "The xauth program used for X11 forwarding."),
    doc("ignoreunknown", "IgnoreUnknown", "Keywords (patterns) ssh may skip when it does not know them, instead of stopping; it must come before them."),
    doc("tag", "Tag", "A name for this configuration that `Match tagged` can test, also set with `-P`."),
    doc("obscurekeystroketiming", "ObscureKeystrokeTiming", "Sends keystrokes at a fixed rate, with fake ones, so their timing reveals nothing (`yes`, `no` or `interval:MILLISECONDS`)."),
    doc("channeltimeout", "ChannelTimeout", "Closes channels of a type (`session`, `x11`, `agent-connection`, forwardings...) idle for longer than an interval, `type=interval`."),
    doc("versionaddendum", "VersionAddendum", "Text appended to the version string ssh sends to the server, or `none`."),
    doc("refuseconnection", "RefuseConnection", "Refuses to connect, with this message: for a block of hosts that must not be used."),
    doc("warnweakcrypto", "WarnWeakCrypto", "Warns when the connection uses weak cryptography (`no-pq-kex` silences only the post-quantum warning)."),
    doc("usekeychain", "UseKeychain", "Stores key passphrases in the macOS keychain and reads them from it."),
    doc("applemultipath", "AppleMultipath", "Uses Multipath TCP on macOS (undocumented by Apple)."),
    doc("nohostauthenticationforproxycommand", "NoHostAuthenticationForProxyCommand", "Skips the host key check for connections made through a ProxyCommand."),
    doc("gssapikeyexchange", "GSSAPIKeyExchange", "Uses Kerberos (GSSAPI) for the key exchange itself, so the host needs no known host key."),
    doc("gssapiclientidentity", "GSSAPIClientIdentity", "The Kerberos identity to authenticate as."),
    doc("gssapiserveridentity", "GSSAPIServerIdentity", "The Kerberos identity expected of the server."),
    doc("gssapirenewalforcesrekey", "GSSAPIRenewalForcesRekey", "Renewing the Kerberos ticket renews the session keys too."),
    doc("gssapitrustdns", "GSSAPITrustDns", "Trusts DNS to turn the host name into the Kerberos principal's name."),
    doc("gssapikexalgorithms", "GSSAPIKexAlgorithms", "The GSSAPI key exchange methods offered."),
];

/// The documentation of keyword `name` (lowercase).
pub fn lookup(name: &str) -> Option<&'static Doc> {
    DOCS.iter().find(|d| d.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::config::keywords::{Kind, KEYWORDS};
    use crate::ssh::release::history::FLAVOUR_KEYWORDS;

    #[test]
    fn every_current_keyword_and_every_build_keyword_is_documented() {
        let current = KEYWORDS.iter().filter(|k| {
            k.name == k.canonical
                && !matches!(k.kind, Kind::Deprecated | Kind::Unsupported | Kind::Ignore)
        });
        for k in current {
            assert!(lookup(k.name).is_some(), "{} has no doc", k.name);
        }
        for b in FLAVOUR_KEYWORDS {
            let d = lookup(b.added.name).expect("a build keyword's doc");
            assert_eq!(d.spelling, b.added.spelling);
        }
    }

    #[test]
    fn spellings_are_the_names_and_each_is_documented_once() {
        for (i, d) in DOCS.iter().enumerate() {
            assert_eq!(d.spelling.to_ascii_lowercase(), d.name);
            assert!(!d.text.is_empty());
            assert!(
                DOCS[..i].iter().all(|other| other.name != d.name),
                "{} twice",
                d.name
            );
        }
    }
}
