//! `gord ssh resolve --ssh-version REL` against the recorded `ssh -G` of
//! every reference client (tests/fixtures/ssh/releases/listing/, written by
//! scripts/record-ssh-g; no client is needed here).
//!
//! For each recording and case: when ssh refused the config (exit 255) gord
//! must refuse it too; when ssh printed a listing, gord's output must equal
//! the lines of that listing whose keyword gord models ([`MODELLED`]), in
//! ssh's order and spelling. Both sides are made machine-independent the
//! same way (the recording script's placeholders: @HOME@, @USER@, @LHOST@,
//! @LSHORT@, @HASH@). The test prints "parity REL: N/M cases" per release and
//! fails on any case not in [`KNOWN_DIVERGENCES`].

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{gord, repo_root};

/// The keywords of `ssh -G` that gord prints (server/src/ssh/config/effective.rs).
pub(crate) const MODELLED: &[&str] = &[
    "host",
    "user",
    "hostname",
    "port",
    "addressfamily",
    "batchmode",
    "canonicalizefallbacklocal",
    "canonicalizehostname",
    "checkhostip",
    "compression",
    "controlmaster",
    "enablesshkeysign",
    "clearallforwardings",
    "exitonforwardfailure",
    "fingerprinthash",
    "forwardx11",
    "forwardx11trusted",
    "gatewayports",
    // Debian's build only.
    "gssapiauthentication",
    "gssapikeyexchange",
    "gssapidelegatecredentials",
    "gssapitrustdns",
    "gssapirenewalforcesrekey",
    "gssapiclientidentity",
    "gssapiserveridentity",
    "gssapikexalgorithms",
    "hashknownhosts",
    "hostbasedauthentication",
    "identitiesonly",
    "kbdinteractiveauthentication",
    "nohostauthenticationforlocalhost",
    "passwordauthentication",
    "permitlocalcommand",
    "proxyusefdpass",
    "pubkeyauthentication",
    "requesttty",
    "sessiontype",
    "stdinnull",
    "forkafterauthentication",
    "streamlocalbindunlink",
    "stricthostkeychecking",
    "tcpkeepalive",
    "tunnel",
    "verifyhostkeydns",
    "visualhostkey",
    "updatehostkeys",
    "enableescapecommandline",
    "warnweakcrypto",
    "canonicalizemaxdots",
    "connectionattempts",
    "forwardx11timeout",
    "numberofpasswordprompts",
    "serveralivecountmax",
    "serveraliveinterval",
    "requiredrsasize",
    "obscurekeystroketiming",
    "ciphers",
    "hostkeyalgorithms",
    "hostbasedacceptedalgorithms",
    "kexalgorithms",
    "casignaturealgorithms",
    "macs",
    "pubkeyacceptedalgorithms",
    "bindaddress",
    "bindinterface",
    "controlpath",
    "hostkeyalias",
    "identityagent",
    "ignoreunknown",
    "kbdinteractivedevices",
    "localcommand",
    "remotecommand",
    "loglevel",
    "securitykeyprovider",
    "preferredauthentications",
    "revokedhostkeys",
    "xauthlocation",
    "knownhostscommand",
    "tag",
    "versionaddendum",
    "dynamicforward",
    "localforward",
    "remoteforward",
    "identityfile",
    "canonicaldomains",
    "certificatefile",
    "globalknownhostsfile",
    "userknownhostsfile",
    "sendenv",
    "setenv",
    "logverbose",
    "channeltimeout",
    "permitremoteopen",
    "addkeystoagent",
    "forwardagent",
    "connecttimeout",
    "tunneldevice",
    // (sic: dump_client_config's spelling)
    "canonicalizePermittedcnames",
    "controlpersist",
    "escapechar",
    "ipqos",
    "rekeylimit",
    "streamlocalbindmask",
    "syslogfacility",
    "proxyjump",
    "proxycommand",
];

/// (recording, config file, why): cases where gord is known to differ. Each
/// needs a reason; none may be added silently.
const KNOWN_DIVERGENCES: &[(&str, &str, &str)] = &[];

/// Keywords compared for some recordings only, with the reason.
pub(crate) fn compared(recording: &str, keyword: &str) -> bool {
    // Debian's ssh prints ForwardX11Trusted (yes by default there) and
    // XAuthLocation; gord's listing for Debian (the one it has always
    // printed, checked live by ssh_parity.rs) leaves both out unless set.
    let debian_only_when_set = ["forwardx11trusted", "xauthlocation"];
    !(recording.ends_with("-debian") && debian_only_when_set.contains(&keyword))
        && MODELLED.contains(&keyword)
}

struct Case {
    config: String,
    host: String,
    exit: i32,
    lines: Vec<String>,
}

fn read_recording(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut cases: Vec<Case> = Vec::new();
    for line in text.lines() {
        if line.starts_with("# ") {
            continue;
        }
        if let Some(rest) = line.strip_prefix("== ") {
            let (config, host) = rest.rsplit_once(' ').expect("== CONFIG HOST");
            cases.push(Case {
                config: config.to_string(),
                host: host.to_string(),
                exit: -1,
                lines: Vec::new(),
            });
            continue;
        }
        let case = cases.last_mut().expect("a line before the first case");
        match line.strip_prefix("exit ") {
            Some(code) if case.exit == -1 => case.exit = code.parse().unwrap(),
            _ => case.lines.push(line.to_string()),
        }
    }
    cases
}

/// The machine's own values, replaced as scripts/record-ssh-g replaces them.
struct Neutraliser {
    home: String,
    user: String,
    host: String,
    short: String,
}

impl Neutraliser {
    fn current() -> Neutraliser {
        let local = gord::ssh::config::local::LocalFacts::current();
        let short = local.hostname.split('.').next().unwrap_or("").to_string();
        Neutraliser {
            home: local.home.to_string_lossy().into_owned(),
            user: local.user,
            host: local.hostname,
            short,
        }
    }

    fn line(&self, line: &str) -> String {
        let line = if self.home.is_empty() {
            line.to_string()
        } else {
            line.replace(&self.home, "@HOME@")
        };
        line.split_whitespace()
            .map(|word| {
                if word == self.user {
                    String::from("@USER@")
                } else if word == self.host {
                    String::from("@LHOST@")
                } else if word == self.short {
                    String::from("@LSHORT@")
                } else {
                    hide_hashes(word)
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Runs of 40 lowercase hex digits (a `%C`) become @HASH@.
fn hide_hashes(word: &str) -> String {
    let hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    let bytes = word.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if i + 40 <= bytes.len() && bytes[i..i + 40].iter().all(|b| hex(*b)) {
            out.push_str("@HASH@");
            i += 40;
        } else {
            out.push(bytes[i] as char);
            i += 1;
        }
    }
    out
}

/// `gord ssh resolve --ssh-version VERSION -F CONFIG HOST` in the recording
/// environment: exit status and stdout.
fn gord_resolve(root: &Path, version: &str, case: &Case) -> (i32, String) {
    let output = Command::new(gord())
        .current_dir(root)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", "/gord-home")
        .env("LC_ALL", "C")
        .env("GORD_PARITY_DIR", "/gord-parity")
        .args(["ssh", "resolve", "--ssh-version", version, "-F"])
        .arg(&case.config)
        .arg(&case.host)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn recordings() -> Vec<PathBuf> {
    let dir = repo_root().join("tests/fixtures/ssh/releases/listing");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

#[test]
fn gord_prints_each_recorded_release_s_ssh_g_listing() {
    let root = repo_root();
    let neutral = Neutraliser::current();
    let files = recordings();
    assert!(
        files.len() >= 8,
        "expected the recordings of 8 clients, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut summary = Vec::new();
    for file in &files {
        let version = file.file_stem().unwrap().to_str().unwrap().to_string();
        let cases = read_recording(file);
        // Every listed divergence must still diverge (no stale entries).
        let mut stale: Vec<&str> = KNOWN_DIVERGENCES
            .iter()
            .filter(|(v, _, _)| *v == version)
            .map(|(_, c, _)| *c)
            .collect();
        assert!(cases.len() >= 100, "{version}: only {} cases", cases.len());
        let mut equal = 0;
        for case in &cases {
            let (code, stdout) = gord_resolve(&root, &version, case);
            let problem = if case.exit != 0 {
                (code == 0).then(|| format!("ssh exits {}, gord accepts", case.exit))
            } else if code != 0 {
                Some(format!("ssh accepts, gord exits {code}"))
            } else {
                let want: Vec<&String> = case
                    .lines
                    .iter()
                    .filter(|l| compared(&version, l.split(' ').next().unwrap_or("")))
                    .collect();
                let got: Vec<String> = stdout
                    .lines()
                    .map(|l| neutral.line(l))
                    .filter(|l| compared(&version, l.split(' ').next().unwrap_or("")))
                    .collect();
                let want: Vec<String> = want.into_iter().cloned().collect();
                (want != got).then(|| first_difference(&want, &got))
            };
            let known = KNOWN_DIVERGENCES
                .iter()
                .any(|(v, c, _)| *v == version && case.config.ends_with(c));
            match problem {
                None => equal += 1,
                Some(_) if known => stale.retain(|c| !case.config.ends_with(c)),
                Some(p) => failures.push(format!("{version} {} {}: {p}", case.config, case.host)),
            }
        }
        for c in stale {
            failures.push(format!("{version} {c}: listed as divergent but now equal"));
        }
        let known = KNOWN_DIVERGENCES
            .iter()
            .filter(|(v, _, _)| *v == version)
            .count();
        summary.push(format!(
            "parity {version}: {equal}/{} cases ({known} known divergences)",
            cases.len()
        ));
    }
    for line in &summary {
        println!("{line}");
    }
    assert!(
        failures.is_empty(),
        "{} divergence(s):\n{}\n{}",
        failures.len(),
        failures.join("\n"),
        summary.join("\n")
    );
}

fn first_difference(want: &[String], got: &[String]) -> String {
    for i in 0..want.len().max(got.len()) {
        let w = want.get(i).map_or("(nothing)", String::as_str);
        let g = got.get(i).map_or("(nothing)", String::as_str);
        if w != g {
            return format!("line {}: ssh `{w}`, gord `{g}`", i + 1);
        }
    }
    String::from("equal")
}

#[test]
fn the_neutraliser_hides_machine_values_like_the_recording_script() {
    let n = Neutraliser {
        home: String::from("/home/alice"),
        user: String::from("alice"),
        host: String::from("box.example"),
        short: String::from("box"),
    };
    assert_eq!(n.line("user alice"), "user @USER@");
    assert_eq!(n.line("user alice2"), "user alice2");
    assert_eq!(
        n.line("userknownhostsfile /home/alice/.ssh/known_hosts"),
        "userknownhostsfile @HOME@/.ssh/known_hosts"
    );
    assert_eq!(
        n.line("controlpath /tmp/cm-3fdb64e85241694222ccdd99dd85e0f811c0669c"),
        "controlpath /tmp/cm-@HASH@"
    );
    assert_eq!(n.line("hostname box"), "hostname @LSHORT@");
}
