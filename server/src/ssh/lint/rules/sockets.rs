//! Unix socket paths against `sizeof(sun_path)` of the system the user's ssh
//! runs on: 104 bytes on macOS, 108 on Linux (the path plus its NUL). The
//! ControlPath is SSH007's (control.rs); this is the other paths ssh itself
//! binds or connects to on this machine: a LocalForward's listening socket,
//! a RemoteForward's local target socket and the IdentityAgent socket.

use std::collections::HashSet;

use crate::finding::{Finding, Severity};
use crate::ssh::config::effective::{effective_as, Line};
use crate::ssh::config::lexer::Directive;
use crate::ssh::lint::rules::support::{
    directives, host_words, origin_directive, probe_hosts, span_finding, value_finding,
};
use crate::ssh::lint::{LintContext, Platform};
use crate::ssh::release::Flavour;

/// `sizeof(sun_path)` on macOS (and the BSDs).
pub const SUN_PATH_MACOS: usize = 104;
/// `sizeof(sun_path)` on Linux.
pub const SUN_PATH_LINUX: usize = 108;

/// `sizeof(sun_path)` where the user's ssh runs: macOS when it is Apple's
/// build or gord runs on macOS (a Homebrew ssh there has the same limit).
pub fn sun_path(flavour: Flavour, on_macos: bool) -> usize {
    if flavour == Flavour::Apple || on_macos {
        SUN_PATH_MACOS
    } else {
        SUN_PATH_LINUX
    }
}

/// [`sun_path`] for the ssh a lint follows.
pub fn sun_path_of(ctx: &LintContext) -> usize {
    sun_path(ctx.ssh.semantics.flavour, cfg!(target_os = "macos"))
}

/// Which system a `sun_path` size is.
fn system(sun_path: usize) -> &'static str {
    if sun_path == SUN_PATH_MACOS {
        "macOS"
    } else {
        "Linux"
    }
}

/// A socket path ssh uses on this machine, as one `ssh -G` line gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Socket {
    /// A LocalForward (or `-D`-style line without a TCP target) listening on
    /// a Unix socket: ssh binds it.
    Listen(String),
    /// A RemoteForward to a local Unix socket: ssh connects to it for each
    /// connection the server forwards.
    Target(String),
    /// IdentityAgent: ssh connects to it.
    Agent(String),
}

/// The socket path of one effective line, if it names one.
pub fn socket_of(line: &Line) -> Option<Socket> {
    match line.keyword {
        "identityagent" => {
            let v = &*line.value;
            (v != "none" && v != "SSH_AUTH_SOCK" && !v.is_empty())
                .then(|| Socket::Agent(v.to_string()))
        }
        // `ssh -G` prints a forward to a Unix socket under dynamicforward.
        "localforward" | "dynamicforward" => {
            let listen = line.value.split_whitespace().next()?;
            listen
                .contains('/')
                .then(|| Socket::Listen(listen.to_string()))
        }
        "remoteforward" => {
            let target = line.value.split_whitespace().nth(1)?;
            target
                .contains('/')
                .then(|| Socket::Target(target.to_string()))
        }
        _ => None,
    }
}

/// What ssh does with `socket` when it does not fit in `sun_path` bytes
/// with its NUL; None when it fits.
pub fn too_long(socket: &Socket, sun_path: usize) -> Option<String> {
    match socket {
        Socket::Listen(path) if path.len() > sun_path => Some(format!(
            "ssh logs \"Local listening path too long: {path}\" and does not forward it"
        )),
        Socket::Listen(path) if path.len() == sun_path => Some(format!(
            "ssh logs \"unix_listener: path \"{path}\" too long for Unix domain socket\" and does not forward it"
        )),
        Socket::Target(path) if path.len() > sun_path => Some(format!(
            "for each connection the server forwards, ssh logs \"{path}: File name too long\" and refuses it"
        )),
        Socket::Target(path) if path.len() == sun_path => Some(format!(
            "ssh cuts it to {} bytes without a word, so each connection the server forwards fails to connect",
            sun_path - 1
        )),
        Socket::Agent(path) if path.len() >= sun_path => Some(format!(
            "ssh cuts it to {} bytes without a word, cannot reach the agent there and goes on without it, so the agent's keys are never offered",
            sun_path - 1
        )),
        _ => None,
    }
}

/// SSH047: a LocalForward socket or IdentityAgent path too long for a Unix
/// socket, after token expansion, for some host.
pub fn socket_path_too_long(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    if ctx.platform == Platform::Windows {
        return;
    }
    // Only configs that name such a socket need resolving.
    let names_one = ctx.files.iter().any(|f| {
        directives(f).any(|(_, d)| {
            matches!(
                d.keyword.as_str(),
                "localforward" | "remoteforward" | "identityagent"
            )
        })
    });
    if !names_one {
        return;
    }
    let sun_path = sun_path_of(ctx);
    let listing = ctx.ssh.listing();
    // One finding per line and path.
    let mut seen = HashSet::new();
    for host in probe_hosts(ctx) {
        let r = ctx.resolved(&host);
        if !r.errors.is_empty() {
            continue;
        }
        let Ok(lines) = effective_as(&r, ctx.local, &|_| None, listing) else {
            continue;
        };
        for line in &lines {
            let (Some(socket), Some(origin)) = (socket_of(line), line.origin) else {
                continue;
            };
            let Some(what) = too_long(&socket, sun_path) else {
                continue;
            };
            let Some((file, d)) = origin_directive(ctx, &r, origin) else {
                continue;
            };
            if !seen.insert((file.path.clone(), origin.line, socket.clone())) {
                continue;
            }
            out.push(socket_finding(
                code,
                file,
                origin.line,
                d,
                &socket,
                &host,
                &what,
                sun_path,
            ));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn socket_finding(
    code: &'static str,
    file: &crate::ssh::config::source::SourceFile,
    line: usize,
    d: &Directive,
    socket: &Socket,
    host: &str,
    what: &str,
    sun_path: usize,
) -> Finding {
    let limit = format!(
        "a Unix socket path must fit in {sun_path} bytes with its final NUL on {}",
        system(sun_path)
    );
    match socket {
        Socket::Listen(path) => {
            let message = format!(
                "For {} this LocalForward listens on a socket path of {} bytes ({path}): {what} (\"Could not request local forwarding.\", or ssh stops with ExitOnForwardFailure yes); {limit}: listen on a shorter path",
                host_words(host),
                path.len()
            );
            // The listening socket is the first argument.
            match d.args.first() {
                Some(arg) => {
                    span_finding(code, Severity::Error, file, line, arg.span.clone(), message)
                }
                None => value_finding(code, Severity::Error, file, line, d, message),
            }
        }
        Socket::Target(path) => {
            let message = format!(
                "For {} this RemoteForward's local socket is {} bytes ({path}): {what}; {limit}: use a shorter path",
                host_words(host),
                path.len()
            );
            // The local target is the second argument.
            match d.args.get(1) {
                Some(arg) => {
                    span_finding(code, Severity::Error, file, line, arg.span.clone(), message)
                }
                None => value_finding(code, Severity::Error, file, line, d, message),
            }
        }
        Socket::Agent(path) => {
            let message = format!(
                "For {} IdentityAgent expands to {} bytes ({path}): {what}; {limit}: link the socket from a shorter path (ln -s {path} ~/.ssh/agent.sock) and name that",
                host_words(host),
                path.len()
            );
            value_finding(code, Severity::Warning, file, line, d, message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::lint::tests::{columns, lint_text, lint_text_for, only};
    use crate::ssh::release::parse_version_argument;
    use crate::ssh::release::which::Choice;

    fn version(text: &str) -> Choice {
        Choice::of_version(parse_version_argument(text).unwrap())
    }

    #[test]
    fn the_limit_is_the_system_s_sun_path() {
        assert_eq!(sun_path(Flavour::Apple, false), 104);
        assert_eq!(sun_path(Flavour::Upstream, true), 104);
        assert_eq!(sun_path(Flavour::Debian, false), 108);
        assert_eq!(sun_path(Flavour::Upstream, false), 108);
    }

    #[test]
    fn a_listening_socket_fails_from_sun_path_bytes_an_agent_one_too() {
        let path = |n: usize| format!("/{}", "s".repeat(n - 1));
        assert_eq!(too_long(&Socket::Listen(path(107)), 108), None);
        let at = too_long(&Socket::Listen(path(108)), 108).unwrap();
        assert!(at.contains("too long for Unix domain socket"), "{at}");
        let over = too_long(&Socket::Listen(path(109)), 108).unwrap();
        assert!(
            over.starts_with("ssh logs \"Local listening path too long: /"),
            "{over}"
        );
        assert_eq!(too_long(&Socket::Agent(path(103)), 104), None);
        assert_eq!(too_long(&Socket::Target(path(107)), 108), None);
        let target = too_long(&Socket::Target(path(109)), 108).unwrap();
        assert!(
            target.ends_with(": File name too long\" and refuses it"),
            "{target}"
        );
        let agent = too_long(&Socket::Agent(path(104)), 104).unwrap();
        assert!(agent.contains("cuts it to 103 bytes"), "{agent}");
    }

    #[test]
    fn effective_lines_name_their_sockets() {
        let line = |keyword, value: &str| Line {
            keyword,
            value: value.to_string().into(),
            origin: None,
        };
        assert_eq!(
            socket_of(&line("localforward", "/run/a.sock [db]:5432")),
            Some(Socket::Listen(String::from("/run/a.sock")))
        );
        assert_eq!(
            socket_of(&line("dynamicforward", "/run/b.sock")),
            Some(Socket::Listen(String::from("/run/b.sock")))
        );
        assert_eq!(
            socket_of(&line("localforward", "[localhost]:8080 [db]:80")),
            None
        );
        assert_eq!(
            socket_of(&line("remoteforward", "/run/remote.sock /run/local.sock")),
            Some(Socket::Target(String::from("/run/local.sock")))
        );
        assert_eq!(
            socket_of(&line("remoteforward", "[localhost]:80 [db]:80")),
            None
        );
        assert_eq!(socket_of(&line("identityagent", "SSH_AUTH_SOCK")), None);
        assert_eq!(socket_of(&line("identityagent", "none")), None);
        assert_eq!(
            socket_of(&line("identityagent", "/x/agent")),
            Some(Socket::Agent(String::from("/x/agent")))
        );
    }

    /// A directory name that makes `/home/me/<dir>/<name>` exactly `len`
    /// bytes long.
    fn path_of(len: usize, name: &str) -> String {
        let fixed = "/home/me/".len() + 1 + name.len();
        format!("/home/me/{}/{name}", "d".repeat(len - fixed))
    }

    #[test]
    fn ssh047_flags_a_long_forward_socket_on_macos_and_not_on_linux() {
        // 106 bytes: fits Linux's 108, not macOS's 104.
        let path = path_of(106, "fwd-%h.sock");
        let host = "db";
        let expanded = path.replace("%h", host);
        assert_eq!(expanded.len(), 106);
        let text = format!("Host db\n  LocalForward {path} localhost:5432\n");
        let mac = lint_text_for(&text, version("9.9p2-apple"));
        let found = only(&mac, "SSH047");
        assert_eq!(found.len(), 1, "{mac:#?}");
        let f = found[0];
        assert_eq!(f.range().unwrap().start.line, 1);
        assert_eq!(columns(f), (15, 15 + path.len() as u32));
        assert!(
            f.message.starts_with(&format!(
                "For db this LocalForward listens on a socket path of {} bytes ({expanded}): ssh logs \"Local listening path too long: {expanded}\"",
                expanded.len()
            )),
            "{}",
            f.message
        );
        assert!(f.message.contains("104 bytes with its final NUL on macOS"));
        assert!(only(&lint_text(&text), "SSH047").is_empty());
    }

    #[test]
    fn ssh047_flags_an_agent_socket_cut_short() {
        let path = path_of(110, "agent.sock");
        let text = format!("Host *\n  IdentityAgent {path}\n");
        let findings = lint_text(&text);
        let f = only(&findings, "SSH047");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message.contains("cuts it to 107 bytes"),
            "{}",
            f[0].message
        );
        // launchd's agent socket and the usual names are short.
        let fine = "Host *\n  IdentityAgent /private/tmp/com.apple.launchd.AbCdEf1234/Listeners\nHost b\n  IdentityAgent SSH_AUTH_SOCK\n";
        assert!(only(&lint_text_for(fine, version("10.0p2-apple")), "SSH047").is_empty());
    }

    #[test]
    fn ssh047_flags_a_remote_forward_s_long_local_target_on_its_argument() {
        let path = path_of(109, "local.sock");
        let text = format!("Host a\n  RemoteForward /run/remote.sock {path}\n");
        let findings = lint_text(&text);
        let f = only(&findings, "SSH047");
        assert_eq!(f.len(), 1, "{findings:#?}");
        let start = "  RemoteForward /run/remote.sock ".len() as u32;
        assert_eq!(columns(f[0]), (start, start + 109));
        assert!(
            f[0].message
                .contains("RemoteForward's local socket is 109 bytes"),
            "{}",
            f[0].message
        );
    }
}
