//! gord's keywords, `Match` criteria and `%` tokens by release, checked
//! against what the OpenSSH clients themselves accepted and refused, as
//! scripts/record-ssh-g recorded them (tests/fixtures/ssh/releases): the
//! test needs no client.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::ssh::config::resolve::memory::MemoryFs;
use crate::ssh::config::resolve::{ExecPolicy, Resolver};
use crate::ssh::lint::tests::{facts, lint_text_for, only};
use crate::ssh::release::which::Choice;
use crate::ssh::release::{parse_version_argument, SshVersion};

/// One `ssh -G -F FILE HOST` run as recorded.
struct Run {
    config: String,
    host: String,
    stderr: Vec<String>,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every recording: the version it was made with (from the file name) and
/// its runs.
fn recordings() -> Vec<(SshVersion, String, Vec<Run>)> {
    let dir = repo().join("tests/fixtures/ssh/releases/recorded");
    let mut out = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names {
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let version = parse_version_argument(&name).unwrap();
        let mut runs: Vec<Run> = Vec::new();
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            if let Some(case) = line.strip_prefix("== ") {
                let (config, host) = case.rsplit_once(' ').unwrap();
                runs.push(Run {
                    config: config.to_string(),
                    host: host.to_string(),
                    stderr: Vec::new(),
                });
            } else if line.starts_with('#') || line.starts_with("exit ") {
                continue;
            } else if let Some(run) = runs.last_mut() {
                run.stderr.push(line.to_string());
            }
        }
        out.push((version, name, runs));
    }
    out
}

/// The keyword and criterion refusals among `messages`, without places.
fn refusals<'a>(messages: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    messages
        .filter_map(|m| {
            [
                "Bad configuration option: ",
                "Unsupported Match attribute ",
                "Missing Match criteria for ",
                "missing argument for Match ",
                // Value refusals by release (release/values.rs).
                "Bad key types ",
                "Bad SSH2 cipher spec ",
                "Bad SSH2 MAC spec ",
                "Bad SSH2 KexAlgorithms ",
                // The keywords readconf.c parses by hand (config/special.rs).
                "Bad IPQoS value: ",
                "Bad escape character.",
                "Bad tun device.",
                "domain name ",
                "empty domain name",
                "Invalid permitted CNAME ",
                "no canonicaldomains specified",
                "no canonicalizepermittedcnames specified",
                "keyword ipqos ",
                "keyword escapechar ",
                "keyword tunneldevice ",
                "keyword canonicaldomains ",
                "keyword canonicalizepermittedcnames ",
                "keyword logverbose ",
                "keyword permitremoteopen ",
                "missing host in permitremoteopen",
                "bad port number in permitremoteopen",
                "missing permitremoteopen specification",
                "Bad GSSAPI KexAlgorithms ",
                "Invalid ProxyJump ",
                // The limits on lists (config/options.rs).
                "Too many identity files specified",
                "Too many certificate files specified",
                "too many ",
                // Match localnetwork's networks (config/cidr.rs).
                "Inconsistent mask length for network ",
                "Invalid network entry ",
            ]
            .iter()
            .find_map(|p| m.find(p).map(|at| m[at..].to_string()))
        })
        .collect()
}

/// The environment scripts/record-ssh-g runs every client in.
fn recording_env(name: &str) -> Option<String> {
    match name {
        "HOME" => Some(String::from("/gord-home")),
        "GORD_PARITY_DIR" => Some(String::from("/gord-parity")),
        "LC_ALL" => Some(String::from("C")),
        "PATH" => std::env::var("PATH").ok(),
        _ => None,
    }
}

#[test]
fn each_release_accepts_and_refuses_what_its_client_did() {
    let local = facts();
    let mut summary = Vec::new();
    let mut failures = Vec::new();
    for (version, name, runs) in recordings() {
        assert!(runs.len() >= 20, "{name}: {} runs", runs.len());
        let mut agree = 0;
        for run in &runs {
            let text = std::fs::read_to_string(repo().join(&run.config)).unwrap();
            let fs = MemoryFs::with(&[("/cfg", text.as_str())]);
            let resolution = Resolver::new(&fs, &local, ExecPolicy::Deny)
                .with_version(version)
                .with_env(&recording_env)
                .resolve(Path::new("/cfg"), &run.host);
            let gord = refusals(resolution.errors.iter().map(|e| e.message.as_str()));
            let ssh = refusals(run.stderr.iter().map(String::as_str));
            // % tokens are refused when expanded: compare with SSH030.
            let ssh_token = run.stderr.iter().any(|l| l.contains("unknown key %"));
            let findings = lint_text_for(&text, Choice::of_version(version));
            let gord_token = !only(&findings, "SSH030").is_empty();
            if gord == ssh && gord_token == ssh_token {
                agree += 1;
            } else {
                failures.push(format!(
                    "{name} {} {}: ssh refused {ssh:?} (token: {ssh_token}), gord {gord:?} (token: {gord_token})",
                    run.config, run.host
                ));
            }
        }
        summary.push(format!("{name}: {agree}/{} cases agree", runs.len()));
    }
    println!("release acceptance: {}", summary.join(", "));
    assert!(summary.len() >= 8, "{summary:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
