//! From what was observed on one host to findings (`RMT001`…) and the fleet
//! table's row. Pure: values in, values out.

use super::model::{
    AuthOutcome, ControlFacts, Forwarding, HostSummary, KnownHostState, ProbeFacts, ProbeStage,
    Verdict,
};
use super::script::{compare_versions, version_numbers, ExecProbe, RemoteFacts};
use super::target::Target;
use crate::finding::{Finding, Fix, Severity, Subject};

/// One platform requirement of the VS Code server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    pub what: &'static str,
    pub minimum: &'static str,
}

/// What the VS Code server (Remote-SSH) needs on a Linux host, from
/// code.visualstudio.com/docs/remote/linux: the one table of these figures.
pub const VSCODE_SERVER_NEEDS: [Requirement; 3] = [
    Requirement {
        what: "kernel",
        minimum: "4.18",
    },
    Requirement {
        what: "glibc",
        minimum: "2.28",
    },
    Requirement {
        what: "GLIBCXX (libstdc++)",
        minimum: "3.4.25",
    },
];

/// Commands the VS Code server's install script runs: each inner list is
/// "one of these".
pub const VSCODE_SERVER_COMMANDS: &[&[&str]] = &[&["bash"], &["tar"], &["curl", "wget"]];

/// Free space in the home directory below which the server install is at
/// risk (it unpacks about 200 MB per version), and free inodes likewise.
pub const LOW_DISK_KIB: u64 = 1024 * 1024;
pub const LOW_INODES: u64 = 20_000;

/// Memory the VS Code server needs on a remote: 1 GB is required, 2 GB and
/// 2 CPU cores are recommended (code.visualstudio.com/docs/remote/ssh,
/// "System requirements"). gopls comes on top of that (about 1 GB for a
/// mid-sized module in our measurements, see docs/rules/RMT024.md).
pub const SERVER_REQUIRED_KIB: u64 = 1024 * 1024;
pub const SERVER_RECOMMENDED_KIB: u64 = 2 * 1024 * 1024;
pub const RECOMMENDED_CPUS: u32 = 2;

/// Login shells that are not POSIX shells (Remote-SSH and `ssh HOST cmd`
/// hand them sh syntax) or that refuse commands altogether.
const NON_POSIX_SHELLS: [&str; 3] = ["fish", "tcsh", "csh"];
const NO_LOGIN_SHELLS: [&str; 2] = ["nologin", "false"];

/// Programs that, `exec`ed from a start-up file, replace the shell that was
/// to run the command.
const SHELL_PROGRAMS: [&str; 10] = [
    "bash", "zsh", "fish", "tcsh", "csh", "ksh", "sh", "dash", "tmux", "screen",
];

/// Text that tests for an interactive shell (`$-` holding `i`, PS1, a terminal).
const INTERACTIVE_TESTS: [&str; 6] = ["$-", "PS1", "-t 0", "-t 1", "-t 2", "interactive"];

/// Everything observed on one host, as the rules see it.
#[derive(Debug, Clone, Copy)]
pub struct Observed<'a> {
    pub target: &'a Target,
    pub probe: Option<&'a ProbeFacts>,
    pub control: Option<&'a ControlFacts>,
    pub forwarding: Option<&'a super::model::Forwarding>,
    pub remote: Option<&'a RemoteFacts>,
    pub remote_error: Option<&'a str>,
}

/// A finding of rule `code`; [`findings`] makes it about the host.
fn finding(code: &str, severity: Severity, message: String) -> Finding {
    Finding::new(code, severity, message, Subject::Workspace).with_rule_page()
}

/// The findings for one host, most fundamental first.
pub fn findings(o: &Observed<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let t = o.target;
    if let Some(p) = o.probe {
        probe_findings(t, p, &mut out);
    }
    if let Some(error) = o.remote_error {
        out.push(
            finding(
                "RMT010",
                Severity::Error,
                format!("`ssh {}` (BatchMode) could not run a command: {error}", t.alias),
            )
            .with_fix(Fix::advice(format!(
                "Run `ssh {}` in a terminal to see the whole error; Remote-SSH connects the same way",
                t.alias
            ))),
        );
    }
    if let Some(Forwarding::Refused { message }) = o.forwarding {
        out.push(
            finding(
                "RMT013",
                Severity::Error,
                format!(
                    "sshd on {} refuses TCP forwarding (`{message}`): Remote-SSH cannot reach its server through the tunnel",
                    t.alias
                ),
            )
            .with_fix(Fix::advice(
                "On the host, set `AllowTcpForwarding yes` (or `local`) in /etc/ssh/sshd_config (and in any Match block for your user), then reload sshd",
            )),
        );
    }
    if let Some(r) = o.remote {
        remote_findings(&t.alias, Some(&t.alias), r, &mut out);
    }
    for f in &mut out {
        f.subject = Subject::Host {
            host: t.alias.clone(),
        };
    }
    out
}

fn probe_findings(t: &Target, p: &ProbeFacts, out: &mut Vec<Finding>) {
    if let Some(failure) = &p.failure {
        let (code, fix) = match failure.stage {
            ProbeStage::Resolve => (
                "RMT002",
                format!("Check the spelling of HostName `{}` and the DNS or /etc/hosts entry for it", t.hostname),
            ),
            ProbeStage::Connect => (
                "RMT003",
                format!("Check that sshd listens on {}:{} and that no firewall drops the connection; a lower ConnectTimeout makes a dead host fail faster", t.hostname, t.port),
            ),
            ProbeStage::Banner => (
                "RMT004",
                String::from("Something accepts TCP connections there but is not a working sshd: check the port, a load balancer or a hung sshd (MaxStartups)"),
            ),
            ProbeStage::ProxyJump => (
                "RMT005",
                format!("Check the jump host first: `gord remote check {}`", t.proxy_jump.first().map(String::as_str).unwrap_or_default()),
            ),
            ProbeStage::HostKey | ProbeStage::Auth => ("RMT008", String::from("Run `ssh -v` to see the exchange")),
        };
        out.push(
            finding(
                code,
                Severity::Error,
                format!("{}: {}", t.alias, failure.message),
            )
            .with_fix(Fix::advice(fix)),
        );
        return;
    }
    if let Some(key) = &p.host_key {
        match key.known {
            KnownHostState::Changed => {
                let name = &key.lookup_name;
                let mut argv = vec![String::from("ssh-keygen")];
                if let Some(file) = key.files_read.first() {
                    argv.extend([String::from("-f"), file.clone()]);
                }
                argv.extend([String::from("-R"), name.clone()]);
                out.push(
                    finding(
                        "RMT006",
                        Severity::Error,
                        format!(
                            "WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED for {name}! The {} key it presents now, {}, is not the one in known_hosts. Someone could be intercepting the connection, or the host was reinstalled; ssh will refuse to connect.",
                            key.key_type, key.fingerprint
                        ),
                    )
                    .with_detail(format!("known_hosts files read: {}", key.files_read.join(", ")))
                    // Advice only: removing a key is the user's decision, after checking it.
                    .with_fix(Fix {
                        title: format!(
                            "Confirm {} with the host's administrator (on the host: `ssh-keygen -lf /etc/ssh/ssh_host_{}_key.pub`), then remove the old entry: {}",
                            key.fingerprint,
                            key.key_type.trim_start_matches("ssh-").split('-').next().unwrap_or("ed25519"),
                            argv.join(" ")
                        ),
                        edits: Vec::new(),
                        command: None,
                        safe: false,
                    }),
                );
            }
            KnownHostState::Unknown => out.push(
                finding(
                    "RMT007",
                    Severity::Warning,
                    format!(
                        "{} is not in your known_hosts: ssh (and Remote-SSH) will ask you to confirm its {} key {}, and BatchMode refuses to connect",
                        key.lookup_name, key.key_type, key.fingerprint
                    ),
                )
                .with_fix(Fix::advice(format!(
                    "Check the fingerprint {} with the host's administrator, then connect once with `ssh {}` and answer yes",
                    key.fingerprint, t.alias
                ))),
            ),
            KnownHostState::Match | KnownHostState::NotChecked => {}
        }
    }
    if let AuthOutcome::Failed { tried } = &p.auth {
        let methods = p.auth_methods.join(",");
        let mut f = finding(
            "RMT008",
            Severity::Error,
            format!(
                "{}@{}: Permission denied ({methods}): no key from the agent or the IdentityFile list was accepted",
                t.user, t.alias
            ),
        )
        .with_fix(Fix::advice(format!(
            "Install your public key on the host (`ssh-copy-id {}`), or name the right IdentityFile in the Host block",
            t.alias
        )));
        if !tried.is_empty() {
            f = f.with_detail(format!("tried: {}", tried.join(", ")));
        }
        out.push(f);
        if !p.encrypted_keys.is_empty() {
            out.push(key_without_agent(
                &p.encrypted_keys,
                cfg!(target_os = "macos"),
            ));
        }
    }
}

/// RMT009 for `keys`. On macOS the agent is launchd's, empty at each login:
/// Apple's ssh-add (/usr/bin/ssh-add, whatever PATH finds first) stores the
/// passphrase in the keychain too, and `UseKeychain yes` with
/// `AddKeysToAgent yes` lets ssh load the key again from there.
fn key_without_agent(keys: &[String], macos: bool) -> Finding {
    let listed = keys.join(", ");
    let mut message = format!(
        "{listed}: has a passphrase and no agent holds it, so nothing can use it without asking (gord never asks; Remote-SSH would prompt on every connection)"
    );
    let (title, mut argv) = if macos {
        message.push_str("; launchd's agent starts empty at each login: with UseKeychain yes and AddKeysToAgent yes in a \"Host *\" block, ssh loads the key again from the keychain");
        (
            "Load it into launchd's ssh-agent and your keychain once",
            vec![
                String::from("/usr/bin/ssh-add"),
                String::from("--apple-use-keychain"),
            ],
        )
    } else {
        (
            "Load it into your ssh-agent once",
            vec![String::from("ssh-add")],
        )
    };
    argv.extend(keys.iter().cloned());
    finding("RMT009", Severity::Warning, message).with_fix(Fix::run(title, argv))
}

fn below(have: &str, minimum: &str) -> bool {
    let have = version_numbers(have);
    !have.is_empty() && compare_versions(&have, &version_numbers(minimum)).is_lt()
}

/// The findings of the script's facts alone: what [`findings`] says about a
/// remote's facts, and what the health report says about this machine's.
/// About [`Subject::Workspace`]; `name` is how messages call the machine.
pub fn machine_findings(name: &str, r: &RemoteFacts) -> Vec<Finding> {
    let mut out = Vec::new();
    remote_findings(name, None, r, &mut out);
    out
}

/// `ssh`: the alias to reach the machine by, for fixes run from here; None
/// for this machine.
fn remote_findings(name: &str, ssh: Option<&str>, r: &RemoteFacts, out: &mut Vec<Finding>) {
    let mut too_old = Vec::new();
    for need in VSCODE_SERVER_NEEDS {
        let have = match need.what {
            "kernel" => r.kernel.as_deref(),
            "glibc" => r.glibc.as_deref(),
            _ => r.glibcxx_max.as_deref(),
        };
        match have {
            Some(have) if below(have, need.minimum) => {
                too_old.push(format!("{} {have} (needs {})", need.what, need.minimum));
            }
            None if need.what == "glibc" => too_old.push(format!(
                "no glibc found ({}); the VS Code server needs glibc {}",
                r.libc_line.as_deref().unwrap_or("ldd not found"),
                need.minimum
            )),
            _ => {}
        }
    }
    if !too_old.is_empty() {
        out.push(
            finding(
                "RMT011",
                Severity::Error,
                format!(
                    "{} is below what the VS Code server needs: {}",
                    name,
                    too_old.join(", ")
                ),
            )
            .with_detail(format!(
                "{} {} {}",
                r.os.as_deref().unwrap_or("unknown OS"),
                r.arch.as_deref().unwrap_or(""),
                r.kernel.as_deref().unwrap_or("")
            ))
            .with_fix(Fix::advice(
                "Upgrade the host's OS, or use an older VS Code release that still supports it (see code.visualstudio.com/docs/remote/faq#_can-i-run-vs-code-server-on-older-linux-distributions)",
            )),
        );
    }
    let have = |name: &str| match name {
        "bash" => r.bash.is_some(),
        "tar" => r.tar.is_some(),
        "curl" => r.curl.is_some(),
        "wget" => r.wget.is_some(),
        _ => false,
    };
    let missing: Vec<String> = VSCODE_SERVER_COMMANDS
        .iter()
        .filter(|options| !options.iter().any(|c| have(c)))
        .map(|options| options.join(" or "))
        .collect();
    if !missing.is_empty() {
        out.push(
            finding(
                "RMT012",
                Severity::Error,
                format!(
                    "{} lacks {}, which the VS Code server's installer runs",
                    name,
                    missing.join(", ")
                ),
            )
            .with_fix(Fix::advice(format!(
                "Install them on the host (Debian/Ubuntu: `sudo apt-get install {}`)",
                missing
                    .iter()
                    .map(|m| m.split(' ').next().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(" ")
            ))),
        );
    }
    for (place, probe, status) in [
        ("/tmp", r.exec_tmp, Severity::Warning),
        ("the home directory", r.exec_home, Severity::Error),
        ("~/.vscode-server", r.exec_vscode_server, Severity::Error),
    ] {
        if probe == Some(ExecProbe::No) {
            out.push(
                finding(
                    "RMT014",
                    status,
                    format!("{place} on {} is mounted noexec: a program written there cannot run, and the VS Code server and `go test`/`dlv` binaries are started from there", name),
                )
                .with_fix(Fix::advice(if place == "/tmp" {
                    "Set TMPDIR (and GOTMPDIR) to a directory that allows execution, e.g. in ~/.profile: export GOTMPDIR=$HOME/.cache/go-tmp"
                } else {
                    "Ask for the noexec option to be removed from that mount, or set `remote.SSH.serverInstallPath` to a directory that allows execution"
                })),
            );
        }
    }
    let low_disk = r.home_free_kib.is_some_and(|k| k < LOW_DISK_KIB);
    let low_inodes = r.home_free_inodes.is_some_and(|i| i < LOW_INODES);
    if low_disk || low_inodes {
        out.push(
            finding(
                "RMT015",
                Severity::Warning,
                format!(
                    "the home directory on {} has {} MiB and {} inodes free: the VS Code server (about 200 MB a version), the Go module cache and build cache need room",
                    name,
                    r.home_free_kib.map_or(String::from("?"), |k| (k / 1024).to_string()),
                    r.home_free_inodes.map_or(String::from("?"), |i| i.to_string())
                ),
            )
            .with_fix(Fix::advice(
                "Free space: `go clean -cache -modcache`, and remove old servers under ~/.vscode-server/bin",
            )),
        );
    }
    match (&r.go, &r.login_go) {
        (None, Some(login_go)) => out.push(
            finding(
                "RMT016",
                Severity::Error,
                format!(
                    "go is on {}'s PATH in a login shell ({login_go}) but not in a non-login one, which is what `ssh {} command` and the VS Code server's processes get",
                    name, name
                ),
            )
            .with_detail(format!(
                "non-login PATH: {}\nlogin PATH:     {}",
                r.path.as_deref().unwrap_or(""),
                r.login_path.as_deref().unwrap_or("")
            ))
            .with_fix(Fix::advice(format!(
                "Login shells read ~/.profile (or ~/.bash_profile); `ssh host command` runs bash non-interactively, which reads only ~/.bashrc. Add `export PATH=\"$PATH:{}\"` near the top of ~/.bashrc (above its \"If not running interactively, return\" line)",
                std::path::Path::new(login_go).parent().map(|d| d.display().to_string()).unwrap_or_default()
            ))),
        ),
        (None, None) => out.push(
            finding(
                "RMT016",
                Severity::Error,
                format!("go is not installed on {} (neither a login nor a non-login shell finds it)", name),
            )
            .with_fix(Fix::advice(
                "Install Go from go.dev/dl into /usr/local/go and add /usr/local/go/bin to PATH in ~/.profile and ~/.bashrc",
            )),
        ),
        _ => {}
    }
    let missing_tools: Vec<&str> = r
        .tools
        .iter()
        .filter(|tool| tool.path.is_none())
        .map(|tool| tool.name.as_str())
        .collect();
    if (r.go.is_some() || r.login_go.is_some()) && !missing_tools.is_empty() {
        let install: Vec<String> = missing_tools
            .iter()
            .filter_map(|name| crate::goenv::tools::pinned(name))
            .map(|tool| tool.install_argv().join(" "))
            .collect();
        out.push(
            finding(
                "RMT017",
                Severity::Warning,
                format!(
                    "{} has no {}: the Go extension needs gopls, debugging needs dlv",
                    name,
                    missing_tools.join(", ")
                ),
            )
            .with_fix(Fix::advice(format!("On the host: {}", install.join("; ")))),
        );
    }
    if let Some(scope) = r.ptrace_scope.filter(|s| *s >= 1) {
        out.push(
            finding(
                "RMT018",
                if scope >= 3 { Severity::Error } else { Severity::Warning },
                format!(
                    "kernel.yama.ptrace_scope is {scope} on {}: `dlv attach` to a running process {}",
                    name,
                    match scope {
                        1 => "works only for the debugger's own children (dlv debug/test still work)",
                        2 => "needs root (CAP_SYS_PTRACE)",
                        _ => "is impossible until reboot",
                    }
                ),
            )
            .with_fix(Fix::advice(
                "For attach, on the host: `sudo sysctl kernel.yama.ptrace_scope=0` (persist in /etc/sysctl.d/10-ptrace.conf); or start programs under dlv instead",
            )),
        );
    }
    shell_findings(name, r, out);
    memory_findings(name, r, out);
    temp_findings(name, r, out);
    inotify_findings(name, r, out);
    server_findings(name, ssh, r, out);
    network_fs_findings(name, r, out);
    stale_lock_findings(name, ssh, r, out);
    flock_findings(name, r, out);
    orphan_findings(name, ssh, r, out);
    if let Some(egress) = &r.egress {
        super::egress::findings(name, egress, out);
    }
}

/// File-system types that are network file systems, as `stat -f -c %T`
/// names them (prefixes: `nfs` also covers `nfs4`, `smb` covers `smb2`).
const NETWORK_FS: [&str; 9] = [
    "nfs",
    "cifs",
    "smb",
    "afs",
    "ceph",
    "lustre",
    "gpfs",
    "glusterfs",
    "fuse.sshfs",
];

pub fn is_network_fs(fs_type: &str) -> bool {
    let fs_type = fs_type.trim().to_ascii_lowercase();
    NETWORK_FS.iter().any(|n| fs_type.starts_with(n))
}

/// Remote-SSH's settings for its install lock and server directory, in the
/// VS Code settings of the machine it runs on (see docs/rules/RMT029.md for
/// the sources): lock files in /tmp instead of the server's directory (a
/// boolean, false by default), `flock` for the lock (a boolean, true by
/// default), and where the server is installed per host (an object: host
/// -> absolute directory, which gets the `.vscode-server` directory).
pub const LOCKFILES_IN_TMP: &str = "remote.SSH.lockfilesInTmp";
pub const USE_FLOCK: &str = "remote.SSH.useFlock";
pub const SERVER_INSTALL_PATH: &str = "remote.SSH.serverInstallPath";

/// What keeps Go's own locks off a network file system.
pub const GO_CACHES_LOCAL: &str = "keep the Go caches on local disk: `go env -w GOMODCACHE=/var/tmp/$USER/gomod GOCACHE=/var/tmp/$USER/gocache`";

/// RMT030's way out for what no setting of Remote-SSH reaches.
pub const FLOCK_ELSEWHERE: &str = "move the Go caches to local disk: `go env -w GOMODCACHE=/var/tmp/$USER/gomod GOCACHE=/var/tmp/$USER/gocache`; or ask the administrator to enable locking on the mount (NFS: rpc.statd / lockd, or the `nolock` option's absence)";

/// RMT028: the server's directory, the home or the Go caches on a network
/// file system, where locks hang and file watching misses changes.
fn network_fs_findings(name: &str, r: &RemoteFacts, out: &mut Vec<Finding>) {
    let remote: Vec<String> = r
        .file_systems
        .iter()
        .filter(|f| is_network_fs(&f.fs_type))
        .map(|f| format!("{} ({})", f.what, f.fs_type))
        .collect();
    if remote.is_empty() {
        return;
    }
    out.push(
        finding(
            "RMT028",
            Severity::Warning,
            format!(
                "{} on {name} {} on a network file system: the VS Code server's lock file (`vscode-remote-lock.*`) and Go's module cache lock can hang there (`no locks available`), and gopls misses changes made elsewhere",
                remote.join(", "),
                if remote.len() == 1 { "is" } else { "are" }
            ),
        )
        .with_fix(Fix::advice(format!(
            "In your local VS Code settings set `\"{LOCKFILES_IN_TMP}\": true` (and `\"{USE_FLOCK}\": false` if locks still hang), or `{SERVER_INSTALL_PATH}` to a local disk; {GO_CACHES_LOCAL}",
        ))),
    );
}

/// The commit of the newest installed server build (by modification time).
fn newest_build_commit(r: &RemoteFacts) -> Option<String> {
    let newest = r
        .server_builds
        .iter()
        .max_by_key(|b| b.modified_unix.unwrap_or(0))?;
    super::script::server_commit(&format!(".vscode-server/{}/", newest.path))
}

/// RMT031: server processes of a build other than the newest installed
/// one: left running by an older VS Code after an update, or by a window
/// that went away.
fn orphan_findings(name: &str, ssh: Option<&str>, r: &RemoteFacts, out: &mut Vec<Finding>) {
    let Some(newest) = newest_build_commit(r) else {
        return;
    };
    let orphans: Vec<&super::script::ServerProcess> = r
        .server_processes
        .iter()
        .filter(|p| p.commit != newest)
        .collect();
    if orphans.is_empty() {
        return;
    }
    let mut commits: Vec<&str> = orphans.iter().map(|p| p.commit.as_str()).collect();
    commits.sort_unstable();
    commits.dedup();
    let detail: Vec<String> = orphans
        .iter()
        .map(|p| {
            let parent = match p.ppid {
                Some(1) => String::from(", parent init"),
                Some(pp) => format!(", parent {pp}"),
                None => String::new(),
            };
            format!("{} ({}{parent}): {}", p.pid, p.commit, p.command)
        })
        .collect();
    let argv = where_it_runs(
        ssh,
        &["kill", "--"],
        orphans.iter().map(|p| p.pid.to_string()),
    );
    out.push(
        finding(
            "RMT031",
            Severity::Warning,
            format!(
                "{name} runs {} VS Code server {} of {} other than the newest installed build ({newest}): they hold memory and file watches for a window that is gone, unless a VS Code of that version is still connected",
                orphans.len(),
                if orphans.len() == 1 { "process" } else { "processes" },
                if commits.len() == 1 {
                    format!("build {}", commits[0])
                } else {
                    format!("builds {}", commits.join(", "))
                }
            ),
        )
        .with_detail(detail.join("\n"))
        .with_fix(Fix::run(
            format!(
                "Stop the {} (you confirm; close any VS Code window of an older version first; the newest build's servers stay)",
                if orphans.len() == 1 { "process".to_string() } else { format!("{} processes", orphans.len()) }
            ),
            argv,
        )),
    );
}

/// RMT030: `flock` on a fresh file fails or hangs in a directory the
/// server or Go keeps its locks in.
fn flock_findings(name: &str, r: &RemoteFacts, out: &mut Vec<Finding>) {
    let failed: Vec<String> = r
        .flock_tests
        .iter()
        .filter(|t| t.works == Some(false))
        .map(|t| match &t.note {
            Some(note) => format!("{} ({note})", t.what),
            None => t.what.clone(),
        })
        .collect();
    if failed.is_empty() {
        return;
    }
    out.push(
        finding(
            "RMT030",
            Severity::Error,
            format!(
                "flock fails on {name} in {}: Remote-SSH's install lock hangs at \"Acquiring lock\" and Go stops with `no locks available`",
                failed.join(", ")
            ),
        )
        .with_detail(String::from(
            "Tested with `timeout 3 flock -n FILE true` on a temporary file the check created and removed",
        ))
        .with_fix(Fix::advice(format!(
            "In your local VS Code settings set `\"{USE_FLOCK}\": false` and `\"{LOCKFILES_IN_TMP}\": true`, or `{SERVER_INSTALL_PATH}` to a local disk; {FLOCK_ELSEWHERE}",
        ))),
    );
}

/// A lock file nobody holds (`flock -n` got it) older than this is stale:
/// Remote-SSH's install script removes its lock when it lets go, so one
/// that stays is left by an install that was killed.
pub const STALE_FREE_LOCK_SECS: u64 = 60;
/// Without `flock` to ask, a lock file is stale only when older than this:
/// an install (download and unpack) takes minutes, not an hour.
pub const STALE_UNKNOWN_LOCK_SECS: u64 = 3_600;

/// Characters a path may hold to be handed to the remote shell by
/// `ssh HOST rm ...` (ssh joins its arguments into one shell line).
fn shell_plain(path: &str) -> bool {
    !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/+@".contains(c))
}

/// RMT029: Remote-SSH install locks left by an install that died, and
/// server pid files naming processes that are gone.
fn stale_lock_findings(name: &str, ssh: Option<&str>, r: &RemoteFacts, out: &mut Vec<Finding>) {
    let mut stale: Vec<(&str, String)> = Vec::new();
    for lock in &r.lock_files {
        let age = match (r.now_unix, lock.modified_unix) {
            (Some(now), Some(at)) => now.saturating_sub(at),
            _ => continue,
        };
        let why = match lock.held {
            Some(false) if age >= STALE_FREE_LOCK_SECS => {
                format!("no process holds it (flock), {} min old", age / 60)
            }
            None if age >= STALE_UNKNOWN_LOCK_SECS => {
                format!(
                    "{} h old; whether it is held is unknown (no flock)",
                    age / 3_600
                )
            }
            _ => continue,
        };
        stale.push((&lock.path, why));
    }
    for pid in &r.pid_files {
        if pid.alive == Some(false) {
            stale.push((&pid.path, format!("process {} is gone", pid.pid)));
        }
    }
    if stale.is_empty() {
        return;
    }
    let detail: Vec<String> = stale
        .iter()
        .map(|(path, why)| format!("{path}: {why}"))
        .collect();
    let home = r
        .home
        .as_deref()
        .map(|h| format!("{}/", h.trim_end_matches('/')));
    let targets: Vec<String> = stale
        .iter()
        .filter_map(|(path, _)| match ssh {
            None => Some((*path).to_string()),
            Some(_) => {
                let relative = home
                    .as_deref()
                    .and_then(|h| path.strip_prefix(h))
                    .unwrap_or(path);
                shell_plain(relative).then(|| relative.to_string())
            }
        })
        .collect();
    let mut found = finding(
        "RMT029",
        Severity::Warning,
        format!(
            "{name} has {} stale VS Code server lock or pid {}: the next Remote-SSH connection can hang at \"Acquiring lock\" or look for a server that is gone",
            stale.len(),
            if stale.len() == 1 { "file" } else { "files" }
        ),
    )
    .with_detail(detail.join("\n"));
    if !targets.is_empty() {
        let argv = where_it_runs(ssh, &["rm", "-f", "--"], targets.iter().cloned());
        found = found.with_fix(Fix::run(
            format!(
                "Remove {} (you confirm; nothing else is touched)",
                if targets.len() == 1 {
                    String::from("this file")
                } else {
                    format!("these {} files", targets.len())
                }
            ),
            argv,
        ));
    }
    out.push(found.with_fix(Fix::advice(format!(
        "If locks keep going stale (a home on NFS, or installs cut off), set `\"{LOCKFILES_IN_TMP}\": true` in your local VS Code settings, and `\"{USE_FLOCK}\": false` where flock itself hangs",
    ))));
}

/// Server builds kept by RMT027's fix: the newest, and one to go back to.
pub const KEEP_SERVER_BUILDS: usize = 2;

/// RMT027: more VS Code server builds than the newest few, each about 200 MB.
fn server_findings(name: &str, ssh: Option<&str>, r: &RemoteFacts, out: &mut Vec<Finding>) {
    if r.server_builds.len() <= KEEP_SERVER_BUILDS + 1 {
        return;
    }
    let mut newest_first: Vec<&super::script::ServerBuild> = r.server_builds.iter().collect();
    newest_first.sort_by_key(|b| std::cmp::Reverse(b.modified_unix.unwrap_or(0)));
    let old: Vec<&super::script::ServerBuild> = newest_first
        .iter()
        .skip(KEEP_SERVER_BUILDS)
        .filter(|b| b.running == 0)
        .copied()
        .collect();
    if old.is_empty() {
        return;
    }
    let size = |builds: &[&super::script::ServerBuild]| -> u64 {
        builds.iter().filter_map(|b| b.size_kib).sum::<u64>() / 1024
    };
    let lines: Vec<String> = newest_first
        .iter()
        .map(|b| {
            let age = match (r.now_unix, b.modified_unix) {
                (Some(now), Some(at)) => format!("{} days old", now.saturating_sub(at) / 86_400),
                _ => String::from("age unknown"),
            };
            let running = match b.running {
                0 => String::new(),
                n => format!(", {n} running"),
            };
            format!(
                "~/.vscode-server/{}: {} MiB, {age}{running}",
                b.path,
                b.size_kib
                    .map_or(String::from("?"), |k| (k / 1024).to_string())
            )
        })
        .collect();
    let targets: Vec<String> = old
        .iter()
        .map(|b| match (ssh, &r.home) {
            (None, Some(home)) => format!("{home}/.vscode-server/{}", b.path),
            _ => format!(".vscode-server/{}", b.path),
        })
        .collect();
    let argv = where_it_runs(ssh, &["rm", "-rf", "--"], targets);
    out.push(
        finding(
            "RMT027",
            Severity::Warning,
            format!(
                "{name} keeps {} VS Code server builds ({} MiB); {} of them are older than the newest {KEEP_SERVER_BUILDS} and not running ({} MiB)",
                r.server_builds.len(),
                size(&newest_first),
                old.len(),
                size(&old)
            ),
        )
        .with_detail(lines.join("\n"))
        .with_fix(Fix::run(
            format!(
                "Remove the {} old builds (you confirm; the newest {KEEP_SERVER_BUILDS} and every running one stay)",
                old.len()
            ),
            argv,
        )),
    );
}

/// What VS Code's "unable to watch for file changes in this large
/// workspace" page tells users to set `fs.inotify.max_user_watches` to;
/// below [`LOW_INOTIFY_WATCHES`] (8,192 was the kernel default before 5.11)
/// a large Go workspace runs out.
pub const RECOMMENDED_INOTIFY_WATCHES: u64 = 524_288;
pub const LOW_INOTIFY_WATCHES: u64 = 65_536;
/// In use at or above this share (per cent) of a limit: the next window,
/// gopls or a `go test -watch` tool fails to watch.
pub const INOTIFY_FULL_PERCENT: u64 = 90;

/// RMT026: the inotify limits against the watches and instances in use.
fn inotify_findings(name: &str, r: &RemoteFacts, out: &mut Vec<Finding>) {
    let full = |used: Option<u64>, max: Option<u64>| match (used, max) {
        (Some(used), Some(max)) if max > 0 => used * 100 >= max * INOTIFY_FULL_PERCENT,
        _ => false,
    };
    let mut problems = Vec::new();
    if let Some(max) = r.inotify_max_watches.filter(|m| *m < LOW_INOTIFY_WATCHES) {
        problems.push(format!("max_user_watches is {max}"));
    }
    if full(r.inotify_watches, r.inotify_max_watches) {
        problems.push(format!(
            "{} of {} watches are in use",
            r.inotify_watches.unwrap_or_default(),
            r.inotify_max_watches.unwrap_or_default()
        ));
    }
    if full(r.inotify_instances, r.inotify_max_instances) {
        problems.push(format!(
            "{} of {} inotify instances are in use",
            r.inotify_instances.unwrap_or_default(),
            r.inotify_max_instances.unwrap_or_default()
        ));
    }
    if problems.is_empty() {
        return;
    }
    let show = |v: Option<u64>| v.map_or(String::from("?"), |n| n.to_string());
    out.push(
        finding(
            "RMT026",
            Severity::Warning,
            format!(
                "inotify on {name} is short: {}; VS Code then says \"unable to watch for file changes in this large workspace\" and gopls misses edits made outside the editor",
                problems.join(", ")
            ),
        )
        .with_detail(format!(
            "fs.inotify.max_user_watches {}, in use {}; fs.inotify.max_user_instances {}, in use {}",
            show(r.inotify_max_watches),
            show(r.inotify_watches),
            show(r.inotify_max_instances),
            show(r.inotify_instances)
        ))
        .with_fix(Fix::advice(format!(
            "On the host, as root: `printf 'fs.inotify.max_user_watches={RECOMMENDED_INOTIFY_WATCHES}\\nfs.inotify.max_user_instances=512\\n' > /etc/sysctl.d/60-inotify.conf && sysctl --system`; without root, exclude large folders from watching with the `files.watcherExclude` setting (e.g. `\"**/vendor/**\": true`)"
        ))),
    );
}

/// RMT025: /tmp, TMPDIR and GOTMPDIR must be writable directories with
/// room (the same figures as the home directory's, RMT015).
fn temp_findings(name: &str, r: &RemoteFacts, out: &mut Vec<Finding>) {
    for dir in &r.temp_dirs {
        let label = if dir.which == dir.path {
            dir.path.clone()
        } else {
            format!("{}={}", dir.which, dir.path)
        };
        if dir.usable == Some(false) {
            out.push(
                finding(
                    "RMT025",
                    Severity::Error,
                    format!(
                        "{label} on {name} is not a directory this user can write to: `go build`, `go test`, gopls and dlv put their work files there and fail"
                    ),
                )
                .with_fix(Fix::advice(if dir.which == "/tmp" {
                    String::from("Ask the host's administrator to restore /tmp (mode 1777), or set TMPDIR and GOTMPDIR to a directory of your own in ~/.bashrc")
                } else {
                    format!(
                        "Create it (`mkdir -p {}`) or point {} at a directory you can write to, in ~/.bashrc (GOTMPDIR also with `go env -w GOTMPDIR=...`)",
                        dir.path, dir.which
                    )
                })),
            );
            continue;
        }
        let low_space = dir.free_kib.is_some_and(|k| k < LOW_DISK_KIB);
        let low_inodes = dir.free_inodes.is_some_and(|i| i < LOW_INODES);
        if low_space || low_inodes {
            out.push(
                finding(
                    "RMT025",
                    Severity::Warning,
                    format!(
                        "{label} on {name} has {} MiB and {} inodes free: `go build` and `go test` link their binaries there, and the VS Code server keeps its sockets and logs in /tmp",
                        dir.free_kib.map_or(String::from("?"), |k| (k / 1024).to_string()),
                        dir.free_inodes.map_or(String::from("?"), |i| i.to_string())
                    ),
                )
                .with_fix(Fix::advice(
                    "Free space there, or point GOTMPDIR (`go env -w GOTMPDIR=$HOME/.cache/go-tmp`) and TMPDIR at a roomier file system that allows execution (RMT014)",
                )),
            );
        }
    }
}

/// Control characters shown as escapes, so quoted output cannot move the
/// cursor or colour a terminal; then secrets redacted.
fn quoted(text: &str) -> String {
    let shown: String = text
        .chars()
        .flat_map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    crate::redact::secrets(&shown)
}

/// The last word of a command path without quotes: `"/usr/bin/zsh"` -> `zsh`.
fn program_name(word: &str) -> &str {
    let word = word.trim_matches(|c| c == '"' || c == '\'');
    word.rsplit('/').next().unwrap_or(word)
}

/// The shell or multiplexer an rc line `exec`s, if it does.
pub fn exec_target(text: &str) -> Option<&str> {
    let code = text.split('#').next().unwrap_or_default();
    let mut words = code
        .split(|c: char| c.is_whitespace() || ";&|(){}".contains(c))
        .filter(|w| !w.is_empty());
    while let Some(word) = words.next() {
        if word != "exec" {
            continue;
        }
        // `exec -l zsh`, `exec -a name zsh`: skip the options.
        let mut next = words.next();
        while let Some(option) = next.filter(|w| w.starts_with('-')) {
            next = words.next();
            if option == "-a" {
                next = words.next();
            }
        }
        let name = program_name(next?);
        if SHELL_PROGRAMS.contains(&name) {
            return Some(name);
        }
    }
    None
}

fn tests_interactive(text: &str) -> bool {
    INTERACTIVE_TESTS.iter().any(|t| text.contains(t))
}

/// `exec` lines of start-up files with no test for an interactive shell on
/// them or above them in the same file: (the line, what it execs).
pub fn unguarded_execs(lines: &[super::script::RcLine]) -> Vec<(&super::script::RcLine, &str)> {
    let mut found = Vec::new();
    let mut guarded_files: Vec<&str> = Vec::new();
    for line in lines {
        let text = line.text.trim_start();
        if text.starts_with('#') {
            continue;
        }
        let guarded = guarded_files.contains(&line.file.as_str()) || tests_interactive(text);
        if let Some(program) = exec_target(text).filter(|_| !guarded) {
            found.push((line, program));
        }
        if tests_interactive(text) {
            guarded_files.push(line.file.as_str());
        }
    }
    found
}

fn shell_findings(name: &str, r: &RemoteFacts, out: &mut Vec<Finding>) {
    if let Some(printed) = &r.startup_output {
        let shown = if printed.bytes > printed.text.len() {
            format!(
                "{}\n[… {} bytes in all]",
                printed.text.trim_end(),
                printed.bytes
            )
        } else {
            printed.text.trim_end().to_string()
        };
        out.push(
            finding(
                "RMT021",
                Severity::Warning,
                format!(
                    "the shell start-up files on {name} print {} bytes to a non-interactive `ssh HOST command`: Remote-SSH's install script, scp, rsync and every tool that reads a command's output over ssh get them first",
                    printed.bytes
                ),
            )
            .with_detail(format!("printed before the command ran:\n{}", quoted(&shown)))
            .with_fix(Fix::advice(
                "Print only in interactive shells: in ~/.bashrc keep `case $- in *i*) ;; *) return;; esac` (or `[[ $- == *i* ]] || return`) above anything that prints, or guard each line with `[ -t 1 ] &&`; a login message belongs in /etc/motd",
            )),
        );
    }
    let login = r.login_shell.as_deref().or(r.shell.as_deref());
    if let Some(path) = login {
        let program = program_name(path);
        if NON_POSIX_SHELLS.contains(&program) {
            out.push(
                finding(
                    "RMT022",
                    Severity::Warning,
                    format!(
                        "the login shell on {name} is {program} ({path}): `ssh HOST command` and Remote-SSH's server install hand it POSIX sh syntax, which {program} does not speak, so the install can fail or hang"
                    ),
                )
                .with_fix(Fix::advice(format!(
                    "On the host, make bash the login shell (`chsh -s /bin/bash`) and start {program} from the end of ~/.bashrc for interactive shells only: `[[ $- == *i* ]] && exec {program}`"
                ))),
            );
        } else if NO_LOGIN_SHELLS.contains(&program) {
            out.push(
                finding(
                    "RMT022",
                    Severity::Error,
                    format!(
                        "the login shell on {name} is {path}: the account runs no commands, so Remote-SSH cannot install or start its server"
                    ),
                )
                .with_fix(Fix::advice(
                    "Ask the host's administrator for a login shell (`chsh -s /bin/bash USER`), or connect as another user",
                )),
            );
        }
    }
    for (line, program) in unguarded_execs(&r.rc_lines) {
        let bashrc = line.file == ".bashrc";
        let who = if bashrc {
            "every `ssh HOST command` (bash reads ~/.bashrc for it), so the command Remote-SSH sends never runs"
        } else {
            "every login shell (`bash -l`, which tools use to read your login environment)"
        };
        out.push(
            finding(
                "RMT023",
                if bashrc { Severity::Error } else { Severity::Warning },
                format!(
                    "~/{}:{} on {name} runs `exec {program}` for non-interactive shells too: it replaces {who}",
                    line.file, line.line
                ),
            )
            .with_detail(format!("~/{}:{}: {}", line.file, line.line, quoted(line.text.trim())))
            .with_fix(Fix::advice(format!(
                "Only for interactive shells: replace line {} of ~/{} with `if [[ $- == *i* ]]; then exec {program}; fi`",
                line.line, line.file
            ))),
        );
    }
}

fn mib(kib: u64) -> String {
    format!("{} MiB", kib / 1024)
}

fn memory_findings(name: &str, r: &RemoteFacts, out: &mut Vec<Finding>) {
    let limit_kib = r.cgroup_memory_max.map(|bytes| bytes / 1024);
    let usable = match (r.mem_total_kib, limit_kib) {
        (Some(total), Some(limit)) => Some(total.min(limit)),
        (total, limit) => total.or(limit),
    };
    let mut short = Vec::new();
    let mut severity = Severity::Warning;
    if let Some(usable) = usable {
        let from = match limit_kib {
            Some(limit) if limit == usable => "the cgroup memory limit",
            _ => "memory",
        };
        if usable < SERVER_REQUIRED_KIB {
            severity = Severity::Error;
            short.push(format!(
                "{from} is {} (the VS Code server requires 1 GB)",
                mib(usable)
            ));
        } else if usable < SERVER_RECOMMENDED_KIB {
            short.push(format!(
                "{from} is {} (2 GB recommended for the VS Code server, gopls comes on top)",
                mib(usable)
            ));
        }
    }
    if let Some(cpus) = r.cpus.filter(|n| *n < RECOMMENDED_CPUS) {
        short.push(format!(
            "{cpus} CPU (2 recommended: gopls type-checks while the server runs)"
        ));
    }
    if short.is_empty() {
        return;
    }
    let facts = [
        r.mem_total_kib.map(|k| format!("MemTotal {}", mib(k))),
        r.mem_available_kib
            .map(|k| format!("MemAvailable {}", mib(k))),
        limit_kib.map(|k| format!("cgroup limit {}", mib(k))),
        r.swap_total_kib.map(|k| format!("swap {}", mib(k))),
        r.cpus.map(|n| format!("CPUs {n}")),
    ];
    out.push(
        finding(
            "RMT024",
            severity,
            format!(
                "{name} is small for the VS Code server and gopls: {}; expect them to be OOM-killed or slow",
                short.join(", ")
            ),
        )
        .with_detail(facts.into_iter().flatten().collect::<Vec<_>>().join(", "))
        .with_fix(Fix::advice(
            "Use a host with at least 2 GB of memory and 2 CPUs; meanwhile keep gopls small: open one module rather than a whole tree, exclude large folders with `\"gopls\": {\"build.directoryFilters\": [\"-node_modules\"]}`, and add swap if the host has none",
        )),
    );
}

/// The fleet table's row: verdicts and the first problem.
pub fn summarize(o: &Observed<'_>, found: &[Finding]) -> HostSummary {
    let probe_failed_at = o.probe.and_then(|p| p.failure.as_ref()).map(|f| f.stage);
    let reachable = match (o.probe, probe_failed_at) {
        (
            _,
            Some(
                ProbeStage::Resolve
                | ProbeStage::Connect
                | ProbeStage::Banner
                | ProbeStage::ProxyJump,
            ),
        ) => Verdict::No,
        (Some(p), None) if p.banner.is_some() => Verdict::Yes,
        _ if o.remote.is_some() => Verdict::Yes,
        _ => Verdict::Unknown,
    };
    let auth = match o.probe.map(|p| &p.auth) {
        _ if o.remote.is_some() => Verdict::Yes,
        Some(AuthOutcome::Succeeded { .. }) => Verdict::Yes,
        Some(AuthOutcome::Failed { .. }) => Verdict::No,
        _ if reachable == Verdict::No => Verdict::No,
        _ => Verdict::Unknown,
    };
    let go_ready = match o.remote {
        Some(r) if r.go.is_some() && r.go_version.is_some() => Verdict::Yes,
        Some(_) => Verdict::No,
        None if reachable == Verdict::No || auth == Verdict::No => Verdict::No,
        None => Verdict::Unknown,
    };
    let blocks_server = |f: &&Finding| {
        f.severity == Severity::Error
            && ["RMT011", "RMT012", "RMT013", "RMT014"].contains(&f.code.as_str())
    };
    let vscode_server_ready = match o.remote {
        Some(_) if found.iter().any(|f| blocks_server(&f)) => Verdict::No,
        Some(_) if matches!(o.forwarding, Some(Forwarding::Works)) => Verdict::Yes,
        Some(_) => Verdict::Unknown,
        None if reachable == Verdict::No || auth == Verdict::No => Verdict::No,
        None => Verdict::Unknown,
    };
    let latency_ms = o
        .probe
        .and_then(|p| p.connect_ms.or(p.handshake_ms))
        .or_else(|| o.control.and_then(|c| c.first_connection_ms));
    // The first of the gravest findings: errors before warnings, then in order.
    let first_problem = found
        .iter()
        .map(|f| f.severity)
        .max()
        .filter(|s| *s >= Severity::Warning)
        .and_then(|worst| found.iter().find(|f| f.severity == worst))
        .map(|f| format!("{} {}", f.code, f.message));
    HostSummary {
        reachable,
        auth,
        go_ready,
        vscode_server_ready,
        latency_ms,
        first_problem,
    }
}

/// A confirmed command's argv: `command` and `operands` over `ssh -- ALIAS`
/// for a remote host, as they are on this machine (`ssh` None).
fn where_it_runs(
    ssh: Option<&str>,
    command: &[&str],
    operands: impl IntoIterator<Item = String>,
) -> Vec<String> {
    let mut argv: Vec<String> = match ssh {
        Some(alias) => vec!["ssh".into(), "--".into(), alias.to_string()],
        None => Vec::new(),
    };
    argv.extend(command.iter().map(|w| w.to_string()));
    argv.extend(operands);
    argv
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::script::parse_facts;
    use crate::ssh::config::effective::Line;

    fn target() -> Target {
        let lines = [Line {
            keyword: "user",
            value: "dev".into(),
            origin: None,
        }];
        Target::from_lines("box", &lines, std::path::Path::new("/home/dev"))
    }

    fn observe<'a>(t: &'a Target, r: &'a RemoteFacts) -> Observed<'a> {
        Observed {
            target: t,
            probe: None,
            control: None,
            forwarding: None,
            remote: Some(r),
            remote_error: None,
        }
    }

    fn codes(found: &[Finding]) -> Vec<&str> {
        found.iter().map(|f| f.code.as_str()).collect()
    }

    const HEALTHY: &str = "__gord_begin=1\nkernel=6.1.0\nglibc=2.36\nglibcxx=GLIBCXX_3.4.30\n\
cmd_bash=/bin/bash\ncmd_tar=/bin/tar\ncmd_curl=/usr/bin/curl\nexec_tmp=yes\nexec_home=yes\n\
df_home=/dev/x 100000000 1 90000000 1% /\ndfi_home=/dev/x 6000000 1 5000000 1% /\n\
go=/usr/local/go/bin/go\nlogin_go=/usr/local/go/bin/go\ngo_version=go version go1.22.1 linux/amd64\n\
tool_gopls=/g/gopls\ntool_dlv=/g/dlv\ntool_golangci-lint=/g/golangci-lint\nptrace_scope=0\n__gord_end=1\n";

    #[test]
    fn a_healthy_host_has_no_findings_and_reads_ready() {
        let t = target();
        let r = parse_facts(HEALTHY);
        let o = observe(&t, &r);
        let found = findings(&o);
        assert_eq!(codes(&found), Vec::<&str>::new());
        let forwarding = Forwarding::Works;
        let o = Observed {
            forwarding: Some(&forwarding),
            ..o
        };
        let row = summarize(&o, &found);
        assert_eq!(
            (
                row.reachable,
                row.auth,
                row.go_ready,
                row.vscode_server_ready
            ),
            (Verdict::Yes, Verdict::Yes, Verdict::Yes, Verdict::Yes)
        );
        assert_eq!(row.first_problem, None);
    }

    #[test]
    fn an_old_platform_is_held_against_the_one_requirements_table() {
        let t = target();
        let old = HEALTHY
            .replace("kernel=6.1.0", "kernel=3.10.0-1160.el7.x86_64")
            .replace("glibc=2.36", "glibc=2.17")
            .replace("GLIBCXX_3.4.30", "GLIBCXX_3.4.19");
        let r = parse_facts(&old);
        let found = findings(&observe(&t, &r));
        assert_eq!(codes(&found), ["RMT011"]);
        assert!(found[0]
            .message
            .contains("kernel 3.10.0-1160.el7.x86_64 (needs 4.18)"));
        assert!(found[0].message.contains("glibc 2.17 (needs 2.28)"));
        assert!(found[0]
            .message
            .contains("GLIBCXX (libstdc++) 3.4.19 (needs 3.4.25)"));
    }

    #[test]
    fn go_only_in_a_login_shell_shows_both_paths_and_explains_profile_versus_bashrc() {
        let t = target();
        let text = HEALTHY.replacen(
            "go=/usr/local/go/bin/go\n",
            "go=\npath=/usr/bin:/bin\nlogin_path=/usr/local/go/bin:/usr/bin:/bin\n",
            1,
        );
        let r = parse_facts(&text);
        let found = findings(&observe(&t, &r));
        assert_eq!(codes(&found), ["RMT016"]);
        let detail = found[0].detail.as_deref().unwrap_or_default();
        assert!(detail.contains("non-login PATH: /usr/bin:/bin"));
        assert!(detail.contains("login PATH:     /usr/local/go/bin:/usr/bin:/bin"));
        let fix = &found[0].fix().unwrap().title;
        assert!(fix.contains("~/.bashrc") && fix.contains("~/.profile"));
        assert_eq!(summarize(&observe(&t, &r), &found).go_ready, Verdict::No);
    }

    fn with_lines(extra: &str) -> RemoteFacts {
        parse_facts(&HEALTHY.replace("__gord_end=1", &format!("{extra}__gord_end=1")))
    }

    #[test]
    fn a_healthy_host_with_guarded_rc_files_a_bash_login_and_room_stays_quiet() {
        let t = target();
        let r = with_lines(
            "login_shell=/bin/bash\nrcline=.bashrc:5:case $- in\nrcline=.bashrc:7:    *) return;;\n\
rcline=.bashrc:40:exec zsh\nrcline=.profile:2:if [ -t 1 ]; then exec tmux; fi\nrcline=.profile:9:# exec fish\n\
meminfo=MemTotal: 8000000 kB MemAvailable: 6000000 kB SwapTotal: 0 kB\nnproc=4\n",
        );
        assert_eq!(codes(&findings(&observe(&t, &r))), Vec::<&str>::new());
    }

    #[test]
    fn what_rc_files_print_is_quoted_escaped_and_redacted() {
        let t = target();
        let printed = format!(
            "Welcome \x1b[31mred\x1b[0m GITHUB_TOKEN=ghp_{}\n",
            "a".repeat(36)
        );
        let text = format!("{printed}{HEALTHY}");
        let found = findings(&observe(&t, &parse_facts(&text)));
        assert_eq!(codes(&found), ["RMT021"]);
        assert!(
            found[0]
                .message
                .contains(&format!("print {} bytes", printed.len())),
            "{}",
            found[0].message
        );
        let detail = found[0].detail.as_deref().unwrap();
        assert!(detail.contains("Welcome \\u{1b}[31mred"), "{detail}");
        assert!(
            !detail.contains('\x1b') && !detail.contains("ghp_aaaa"),
            "{detail}"
        );
        assert!(found[0].fix().unwrap().title.contains("case $- in"));
    }

    #[test]
    fn fish_tcsh_and_nologin_login_shells_are_named() {
        let t = target();
        for (shell, severity) in [
            ("/usr/bin/fish", Severity::Warning),
            ("/bin/tcsh", Severity::Warning),
            ("/usr/sbin/nologin", Severity::Error),
        ] {
            let found = findings(&observe(&t, &with_lines(&format!("login_shell={shell}\n"))));
            assert_eq!(codes(&found), ["RMT022"], "{shell}");
            assert_eq!(found[0].severity, severity, "{shell}");
            assert!(found[0].message.contains(shell));
        }
        // $SHELL stands in when passwd could not be read.
        let found = findings(&observe(&t, &with_lines("shell=/usr/bin/fish\n")));
        assert_eq!(codes(&found), ["RMT022"]);
    }

    #[test]
    fn an_exec_of_another_shell_without_an_interactive_test_above_it_is_found() {
        assert_eq!(exec_target("exec zsh"), Some("zsh"));
        assert_eq!(
            exec_target("  [ -x /usr/bin/zsh ] && exec \"/usr/bin/zsh\" -l"),
            Some("zsh")
        );
        assert_eq!(exec_target("exec -a -fish fish"), Some("fish"));
        assert_eq!(exec_target("exec >/dev/null 2>&1"), None);
        assert_eq!(exec_target("exec_prefix=/usr"), None);
        assert_eq!(exec_target("echo x # exec zsh"), None);
        let t = target();
        let r = with_lines(
            "rcline=.bashrc:3:[ -x /bin/zsh ] && exec /bin/zsh\nrcline=.profile:8:exec tmux\n\
rcline=.profile:9:[[ $- == *i* ]] && exec fish\n",
        );
        let found = findings(&observe(&t, &r));
        assert_eq!(codes(&found), ["RMT023", "RMT023"]);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0]
            .message
            .starts_with("~/.bashrc:3 on box runs `exec zsh`"));
        assert_eq!(found[1].severity, Severity::Warning);
        assert!(found[1]
            .fix()
            .unwrap()
            .title
            .contains("line 8 of ~/.profile"));
    }

    #[test]
    fn memory_cpus_and_the_cgroup_limit_are_held_against_the_vscode_figures() {
        let t = target();
        let small = with_lines(
            "meminfo=MemTotal: 1500000 kB MemAvailable: 900000 kB SwapTotal: 0 kB\nnproc=1\n",
        );
        let found = findings(&observe(&t, &small));
        assert_eq!(codes(&found), ["RMT024"]);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(
            found[0].message.contains("memory is 1464 MiB"),
            "{}",
            found[0].message
        );
        assert!(found[0].message.contains("1 CPU"));
        assert!(found[0].detail.as_deref().unwrap().contains("swap 0 MiB"));
        // A cgroup limit below the machine's memory is what counts.
        let limited = with_lines(
            "meminfo=MemTotal: 16000000 kB MemAvailable: 9000000 kB\nnproc=8\ncgroup_memory_max=536870912\n",
        );
        let found = findings(&observe(&t, &limited));
        assert_eq!(found[0].severity, Severity::Error);
        assert!(
            found[0]
                .message
                .contains("the cgroup memory limit is 512 MiB (the VS Code server requires 1 GB)"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn inotify_limits_are_held_against_what_is_in_use() {
        let t = target();
        let roomy = "inotify_max_watches=524288\ninotify_max_instances=128\ninotify_watches=40000\ninotify_instances=12\n";
        assert_eq!(
            codes(&findings(&observe(&t, &with_lines(roomy)))),
            Vec::<&str>::new()
        );
        let old_default = with_lines("inotify_max_watches=8192\ninotify_max_instances=128\ninotify_watches=100\ninotify_instances=3\n");
        let found = findings(&observe(&t, &old_default));
        assert_eq!(codes(&found), ["RMT026"]);
        assert!(
            found[0].message.contains("max_user_watches is 8192"),
            "{}",
            found[0].message
        );
        assert!(found[0]
            .fix()
            .unwrap()
            .title
            .contains("max_user_watches=524288"));
        assert!(found[0]
            .fix()
            .unwrap()
            .title
            .contains("files.watcherExclude"));
        let busy = with_lines("inotify_max_watches=100000\ninotify_max_instances=128\ninotify_watches=95000\ninotify_instances=120\n");
        let found = findings(&observe(&t, &busy));
        assert!(
            found[0].message.contains(
                "95000 of 100000 watches are in use, 120 of 128 inotify instances are in use"
            ),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn old_server_builds_beyond_the_newest_two_are_removed_by_a_confirmed_command_never_running_ones(
    ) {
        let t = target();
        let day = 86_400;
        let builds = |n: u64| -> String {
            (0..n)
                .map(|i| {
                    format!(
                        "server=bin/c{i}|204800|{}|{}\n",
                        1_000 * day - i * day,
                        u8::from(i == 3)
                    )
                })
                .collect()
        };
        let three = with_lines(&format!("now={}\n{}", 1_000 * day, builds(3)));
        assert_eq!(codes(&findings(&observe(&t, &three))), Vec::<&str>::new());
        let five = with_lines(&format!(
            "now={}\nhome=/home/dev\n{}server=bin/../../etc|1|1|0\n",
            1_000 * day,
            builds(5)
        ));
        assert_eq!(
            five.server_builds.len(),
            5,
            "a path that is not a plain name is dropped"
        );
        let found = findings(&observe(&t, &five));
        assert_eq!(codes(&found), ["RMT027"]);
        assert!(found[0].message.starts_with("box keeps 5 VS Code server builds (1000 MiB); 2 of them are older than the newest 2 and not running (400 MiB)"), "{}", found[0].message);
        let detail = found[0].detail.as_deref().unwrap();
        assert!(
            detail.contains("~/.vscode-server/bin/c3: 200 MiB, 3 days old, 1 running"),
            "{detail}"
        );
        let fix = found[0].fix().unwrap();
        assert!(!fix.safe);
        assert_eq!(
            fix.command.as_deref().unwrap(),
            [
                "ssh",
                "--",
                "box",
                "rm",
                "-rf",
                "--",
                ".vscode-server/bin/c2",
                ".vscode-server/bin/c4"
            ]
        );
        // On this machine the command runs here, on absolute paths.
        let here = machine_findings("this machine", &five);
        assert_eq!(
            here[0].fix().unwrap().command.as_deref().unwrap()[..4],
            ["rm", "-rf", "--", "/home/dev/.vscode-server/bin/c2"]
        );
    }

    #[test]
    fn stale_locks_and_dead_pid_files_are_removed_by_a_confirmed_command_naming_only_them() {
        let t = target();
        let now = 1_700_000_000_u64;
        let lines = format!(
            "now={now}\nhome=/home/dev\n\
lock={}|no|/home/dev/.vscode-server/bin/c1/vscode-remote-lock.dev.c1\n\
lock={}|no|/home/dev/.vscode-server/bin/c2/vscode-remote-lock.dev.c2\n\
lock={}|yes|/home/dev/.vscode-server/bin/c3/vscode-remote-lock.dev.c3\n\
lock={}|unknown|/tmp/vscode-remote-lock.dev.c4\n\
lock={}|unknown|/tmp/vscode-remote-lock.dev.c5\n\
lock=|no|/tmp/vscode-remote-lock.dev.c6\n\
pidfile=4242|no|/home/dev/.vscode-server/.c1.pid\n\
pidfile=77|yes|/home/dev/.vscode-server/.c2.pid\n\
pidfile=78|unknown|/home/dev/.vscode-server/.c3.pid\n",
            now - 600,
            now - 10,
            now - 86_400,
            now - 7_200,
            now - 600,
        );
        let r = with_lines(&lines);
        let found = findings(&observe(&t, &r));
        assert_eq!(codes(&found), ["RMT029"]);
        assert!(
            found[0]
                .message
                .starts_with("box has 3 stale VS Code server lock or pid files"),
            "{}",
            found[0].message
        );
        let detail = found[0].detail.as_deref().unwrap();
        assert!(
            detail
                .contains("c1/vscode-remote-lock.dev.c1: no process holds it (flock), 10 min old"),
            "{detail}"
        );
        assert!(
            detail.contains("/tmp/vscode-remote-lock.dev.c4: 2 h old"),
            "{detail}"
        );
        assert!(detail.contains(".c1.pid: process 4242 is gone"), "{detail}");
        let fix = found[0].fix().unwrap();
        assert!(!fix.safe);
        assert_eq!(
            fix.command.as_deref().unwrap(),
            [
                "ssh",
                "--",
                "box",
                "rm",
                "-f",
                "--",
                ".vscode-server/bin/c1/vscode-remote-lock.dev.c1",
                "/tmp/vscode-remote-lock.dev.c4",
                ".vscode-server/.c1.pid"
            ]
        );
        assert!(found[0].fixes[1].title.contains("remote.SSH.useFlock"));
        // On this machine: absolute paths, run here.
        let here = machine_findings("this machine", &r);
        let rmt029 = here.iter().find(|f| f.code == "RMT029").unwrap();
        assert_eq!(
            rmt029.fix().unwrap().command.as_deref().unwrap()[..4],
            [
                "rm",
                "-f",
                "--",
                "/home/dev/.vscode-server/bin/c1/vscode-remote-lock.dev.c1"
            ]
        );
        // Held, fresh or alive: nothing to say.
        let quiet = with_lines(&format!(
            "now={now}\nlock={}|yes|/tmp/vscode-remote-lock.dev.c1\npidfile=77|yes|/home/dev/.vscode-server/.c2.pid\n",
            now - 86_400
        ));
        assert_eq!(codes(&findings(&observe(&t, &quiet))), Vec::<&str>::new());
    }

    #[test]
    fn a_stale_lock_under_a_home_with_shell_characters_is_reported_but_left_out_of_the_ssh_command()
    {
        let t = target();
        let r = with_lines(
            "now=100000\nhome=/home/o'brien\nlock=1|no|/tmp/a b/vscode-remote-lock.x\n\
pidfile=9|no|/home/o'brien/.vscode-server/.c1.pid\n",
        );
        let found = findings(&observe(&t, &r));
        assert_eq!(codes(&found), ["RMT029"]);
        assert_eq!(
            found[0].fix().unwrap().command.as_deref().unwrap(),
            [
                "ssh",
                "--",
                "box",
                "rm",
                "-f",
                "--",
                ".vscode-server/.c1.pid"
            ]
        );
        let r = with_lines("now=100000\nlock=1|no|/tmp/a;b/vscode-remote-lock.x\n");
        let found = findings(&observe(&t, &r));
        assert_eq!(found[0].fixes.len(), 1, "advice only");
        assert!(found[0].fix().unwrap().command.is_none());
    }

    #[test]
    fn a_directory_where_flock_fails_is_an_error_and_an_untested_one_is_not() {
        let t = target();
        let fine = with_lines(
            "flock_home=ok|\nflock_vscode=ok|\nflock_gomodcache=unknown|no flock or no timeout\n",
        );
        assert_eq!(codes(&findings(&observe(&t, &fine))), Vec::<&str>::new());
        let broken = with_lines(
            "flock_home=ok|\nflock_vscode=fail|flock: No locks available\nflock_gocache=fail|no answer within 3 s\n",
        );
        let found = findings(&observe(&t, &broken));
        assert_eq!(codes(&found), ["RMT030"]);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(
            found[0].message.starts_with(
                "flock fails on box in ~/.vscode-server (flock: No locks available), GOCACHE (no answer within 3 s)"
            ),
            "{}",
            found[0].message
        );
        let fix = &found[0].fix().unwrap().title;
        assert!(fix.contains("remote.SSH.useFlock") && fix.contains("GOMODCACHE"));
    }

    #[test]
    fn server_processes_of_a_build_other_than_the_newest_are_stopped_by_a_confirmed_kill() {
        let t = target();
        let builds = "server=bin/old1|1|100|1\nserver=cli/servers/Stable-new9|1|200|1\n";
        let quiet = with_lines(&format!(
            "{builds}proc=50|1|/h/.vscode-server/cli/servers/Stable-new9/server/node x\n\
proc=51|1|/h/.vscode-server/code-new9 command-shell\n"
        ));
        assert_eq!(quiet.server_processes.len(), 2);
        assert_eq!(codes(&findings(&observe(&t, &quiet))), Vec::<&str>::new());
        let r = with_lines(&format!(
            "{builds}proc=50|1|/h/.vscode-server/cli/servers/Stable-new9/server/node x\n\
proc=60|1|/h/.vscode-server/bin/old1/node /h/.vscode-server/bin/old1/out/server-main.js\n\
proc=61|60|/h/.vscode-server/bin/old1/node watcher\n\
proc=62|1|/h/.vscode-server/bin/gone0/node y\n"
        ));
        let found = findings(&observe(&t, &r));
        assert_eq!(codes(&found), ["RMT031"]);
        assert!(
            found[0].message.starts_with(
                "box runs 3 VS Code server processes of builds gone0, old1 other than the newest installed build (new9)"
            ),
            "{}",
            found[0].message
        );
        let detail = found[0].detail.as_deref().unwrap();
        assert!(
            detail.contains("60 (old1, parent init): /h/.vscode-server/bin/old1/node"),
            "{detail}"
        );
        assert!(detail.contains("61 (old1, parent 60)"), "{detail}");
        let fix = found[0].fix().unwrap();
        assert!(!fix.safe);
        assert_eq!(
            fix.command.as_deref().unwrap(),
            ["ssh", "--", "box", "kill", "--", "60", "61", "62"]
        );
        let here = machine_findings("this machine", &r);
        let rmt031 = here.iter().find(|f| f.code == "RMT031").unwrap();
        assert_eq!(
            rmt031.fix().unwrap().command.as_deref().unwrap(),
            ["kill", "--", "60", "61", "62"]
        );
        // No build installed: no newest to compare with, nothing said.
        let none = with_lines("proc=60|1|/h/.vscode-server/bin/old1/node\n");
        assert_eq!(codes(&findings(&observe(&t, &none))), Vec::<&str>::new());
    }

    #[test]
    fn a_server_directory_or_go_cache_on_nfs_is_named_with_the_lock_settings() {
        let t = target();
        let local = with_lines(
            "fs_home=ext2/ext3\nfs_vscode=ext2/ext3\nfs_gomodcache=btrfs\nfs_gocache=tmpfs\n",
        );
        assert_eq!(local.file_systems.len(), 4);
        assert_eq!(codes(&findings(&observe(&t, &local))), Vec::<&str>::new());
        let nfs = with_lines("fs_home=nfs\nfs_vscode=nfs\nfs_gomodcache=\nfs_gocache=smb2\n");
        assert_eq!(nfs.file_systems.len(), 3, "an absent directory has no type");
        let found = findings(&observe(&t, &nfs));
        assert_eq!(codes(&found), ["RMT028"]);
        assert!(found[0].message.starts_with("the home directory (nfs), ~/.vscode-server (nfs), GOCACHE (smb2) on box are on a network file system"), "{}", found[0].message);
        let fix = &found[0].fix().unwrap().title;
        assert!(fix.contains("remote.SSH.lockfilesInTmp") && fix.contains("remote.SSH.useFlock"));
        assert!(is_network_fs("nfs4") && is_network_fs("fuse.sshfs") && !is_network_fs("fuseblk"));
    }

    #[test]
    fn temporary_directories_need_to_be_writable_and_roomy() {
        let t = target();
        let roomy = "df_tmp=tmpfs 8000000 10 7999990 1% /tmp\ndfi_tmp=tmpfs 2000000 10 1999990 1% /tmp\nusable_tmp=yes\n";
        let r = with_lines(roomy);
        assert_eq!(r.temp_dirs.len(), 1);
        assert_eq!(codes(&findings(&observe(&t, &r))), Vec::<&str>::new());
        // btrfs counts no inodes: unknown, not zero.
        let r = with_lines("usable_tmp=yes\ndfi_tmp=/dev/sdb 0 0 0 - /tmp\n");
        assert_eq!(r.temp_dirs[0].free_inodes, None);
        assert_eq!(codes(&findings(&observe(&t, &r))), Vec::<&str>::new());
        let r = with_lines(&format!(
            "{roomy}tmpdir=/scratch/me\nusable_tmpdir=yes\ndf_tmpdir=/dev/sdc 100000 99000 1000 99% /scratch\n\
gotmpdir=/gone\nusable_gotmpdir=no\n"
        ));
        let found = findings(&observe(&t, &r));
        assert_eq!(codes(&found), ["RMT025", "RMT025"]);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(
            found[0]
                .message
                .starts_with("TMPDIR=/scratch/me on box has 0 MiB and ? inodes free"),
            "{}",
            found[0].message
        );
        assert_eq!(found[1].severity, Severity::Error);
        assert!(found[1]
            .message
            .starts_with("GOTMPDIR=/gone on box is not a directory"));
        assert!(found[1].fix().unwrap().title.contains("mkdir -p /gone"));
    }

    #[test]
    fn missing_commands_noexec_low_disk_and_ptrace_each_have_their_code() {
        let t = target();
        let text = HEALTHY
            .replace("cmd_curl=/usr/bin/curl", "cmd_curl=")
            .replace("exec_tmp=yes", "exec_tmp=no")
            .replace("90000000", "1000")
            .replace("ptrace_scope=0", "ptrace_scope=1")
            .replace("tool_dlv=/g/dlv", "tool_dlv=");
        let r = parse_facts(&text);
        let found = findings(&observe(&t, &r));
        assert_eq!(
            codes(&found),
            ["RMT012", "RMT014", "RMT015", "RMT017", "RMT018"]
        );
        assert!(found[0].message.contains("curl or wget"));
    }

    #[test]
    fn rmt009_on_macos_loads_the_key_into_launchd_s_agent_and_the_keychain() {
        let keys = [String::from("/Users/me/.ssh/id_ed25519")];
        let linux = key_without_agent(&keys, false);
        let fix = &linux.fixes[0];
        assert_eq!(fix.title, "Load it into your ssh-agent once");
        assert_eq!(
            fix.command.as_deref().unwrap(),
            ["ssh-add", "/Users/me/.ssh/id_ed25519"]
        );
        assert!(!linux.message.contains("launchd"));
        let mac = key_without_agent(&keys, true);
        assert_eq!(
            mac.fixes[0].command.as_deref().unwrap(),
            [
                "/usr/bin/ssh-add",
                "--apple-use-keychain",
                "/Users/me/.ssh/id_ed25519"
            ]
        );
        assert!(
            mac.message
                .ends_with("with UseKeychain yes and AddKeysToAgent yes in a \"Host *\" block, ssh loads the key again from the keychain"),
            "{}",
            mac.message
        );
    }
}
