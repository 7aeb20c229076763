//! The differential fuzzer: configs from a seeded, grammar-aware generator
//! ([`gen`]) resolved by gord (a library call with the client's release)
//! and by a real client (`ssh -G -F FILE HOST`, nothing else: it never
//! connects). Both must refuse, or both accept with the same listing on the
//! keywords gord prints (`ssh_release_parity::MODELLED`).
//!
//! In CI the client is the machine's ssh and [`DEFAULT_CASES`] seeds run.
//! bench/ssh-difffuzz.sh runs it longer against other clients through the
//! environment: `GORD_DIFFFUZZ_SSH` (the client), `GORD_DIFFFUZZ_CASES`,
//! `GORD_DIFFFUZZ_SEED` (the first seed). The test prints
//! "difffuzz vs <ssh -V>: N/M agree" and fails on any divergence, printing
//! its seed and config; each one found so far is modelled now, with a case
//! of its own in the release corpus (tests/fixtures/ssh/releases/corpus).

mod gen;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gord::ssh::config::effective::{effective_as, render_ssh_g};
use gord::ssh::config::local::LocalFacts;
use gord::ssh::config::resolve::{ExecPolicy, RealFs, Resolver};
use gord::ssh::release::listing::Listing;
use gord::ssh::release::{parse_ssh_v, SshVersion};

use crate::ssh_release_parity::compared;

/// About 20-30 s on the 2-core development machine (debug build).
const DEFAULT_CASES: u64 = 1500;
/// A client that takes longer than this on one config counts as a failure.
const SSH_TIMEOUT: Duration = Duration::from_secs(5);

struct Case {
    seed: u64,
    dir: PathBuf,
    host: String,
    files: Vec<(String, Vec<u8>)>,
}

impl Case {
    fn main(&self) -> PathBuf {
        self.dir.join(&self.files[0].0)
    }

    fn text(&self) -> String {
        let mut out = String::new();
        for (name, bytes) in &self.files {
            out.push_str(&format!("--- {name}\n{}", String::from_utf8_lossy(bytes)));
        }
        out
    }
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Accepts(Vec<String>),
    Refuses(String),
}

fn ssh_g(ssh: &Path, home: &Path, case: &Case) -> Outcome {
    let mut child = Command::new(ssh)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", home)
        .env("LC_ALL", "C")
        .arg("-G")
        .arg("-F")
        .arg(case.main())
        .arg(&case.host)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", ssh.display()));
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > SSH_TIMEOUT {
            child.kill().unwrap();
            panic!(
                "seed {}: ssh -G took over {SSH_TIMEOUT:?}\n{}",
                case.seed,
                case.text()
            );
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let output = child.wait_with_output().unwrap();
    if output.status.success() {
        Outcome::Accepts(
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .map(str::to_string)
                .collect(),
        )
    } else {
        Outcome::Refuses(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn gord_g(version: SshVersion, local: &LocalFacts, home: &Path, case: &Case) -> Outcome {
    let home = home.to_string_lossy().into_owned();
    let env = move |name: &str| match name {
        "HOME" => Some(home.clone()),
        "PATH" => Some(String::from("/usr/bin:/bin")),
        "LC_ALL" => Some(String::from("C")),
        _ => None,
    };
    let resolution = Resolver::new(&RealFs, local, ExecPolicy::Deny)
        .with_version(version)
        .with_env(&env)
        .resolve(&case.main(), &case.host);
    if !resolution.errors.is_empty() {
        let messages: Vec<&str> = resolution
            .errors
            .iter()
            .map(|e| e.message.as_str())
            .collect();
        return Outcome::Refuses(messages.join("\n"));
    }
    match effective_as(&resolution, local, &env, Listing::of(version)) {
        Ok(lines) => Outcome::Accepts(render_ssh_g(&lines).lines().map(str::to_string).collect()),
        Err(message) => Outcome::Refuses(message),
    }
}

/// None when ssh and gord agree, else what differs.
fn divergence(recording: &str, ssh: &Outcome, gord: &Outcome) -> Option<String> {
    let keep = |lines: &[String]| -> Vec<String> {
        lines
            .iter()
            .filter(|l| compared(recording, l.split(' ').next().unwrap_or("")))
            .cloned()
            .collect()
    };
    match (ssh, gord) {
        (Outcome::Refuses(_), Outcome::Refuses(_)) => None,
        (Outcome::Refuses(why), Outcome::Accepts(_)) => {
            Some(format!("ssh refuses, gord accepts; ssh said:\n{why}"))
        }
        (Outcome::Accepts(_), Outcome::Refuses(why)) => {
            Some(format!("ssh accepts, gord refuses; gord said:\n{why}"))
        }
        (Outcome::Accepts(s), Outcome::Accepts(g)) => {
            let (s, g) = (keep(s), keep(g));
            (s != g).then(|| first_difference(&s, &g))
        }
    }
}

fn first_difference(ssh: &[String], gord: &[String]) -> String {
    for i in 0..ssh.len().max(gord.len()) {
        let s = ssh.get(i).map_or("(nothing)", String::as_str);
        let g = gord.get(i).map_or("(nothing)", String::as_str);
        if s != g {
            return format!("compared line {}: ssh `{s}`, gord `{g}`", i + 1);
        }
    }
    String::from("equal")
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name}={v}: not a number"))
        })
        .unwrap_or(default)
}

/// The client's `ssh -V` line, and the release gord follows for it.
fn client(ssh: &Path) -> (String, SshVersion) {
    let output = Command::new(ssh)
        .arg("-V")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{}: {e} (OpenSSH must be installed)", ssh.display()));
    let text = String::from_utf8_lossy(&output.stderr).into_owned();
    let version = parse_ssh_v(&text).unwrap_or_else(|e| panic!("{}: {e}", ssh.display()));
    let line = text.lines().next().unwrap_or("").to_string();
    (line, version.semantics())
}

/// The name ssh_release_parity's recordings use for a version.
fn recording_name(version: SshVersion) -> String {
    match version.flavour.suffix() {
        "" => version.release.to_string(),
        suffix => format!("{}-{suffix}", version.release),
    }
}

#[test]
fn gord_and_the_machine_s_ssh_agree_on_generated_configs() {
    let ssh =
        PathBuf::from(std::env::var("GORD_DIFFFUZZ_SSH").unwrap_or_else(|_| String::from("ssh")));
    let cases = env_number("GORD_DIFFFUZZ_CASES", DEFAULT_CASES);
    let first = env_number("GORD_DIFFFUZZ_SEED", 1);
    let (banner, version) = client(&ssh);
    let recording = recording_name(version);
    let local = LocalFacts::current();
    let scratch = tempfile::tempdir().unwrap();
    let home = scratch.path().join("home");
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    let started = Instant::now();
    let (mut agree, mut refused_both) = (0u64, 0u64);
    let mut failures = Vec::new();
    for seed in first..first + cases {
        let dir = scratch.path().join(format!("case{seed}"));
        std::fs::create_dir_all(&dir).unwrap();
        let generated = gen::generate(seed, &dir);
        let case = Case {
            seed,
            dir,
            host: generated.host,
            files: generated.files,
        };
        for (name, bytes) in &case.files {
            std::fs::write(case.dir.join(name), bytes).unwrap();
        }
        let by_ssh = ssh_g(&ssh, &home, &case);
        let by_gord = gord_g(version, &local, &home, &case);
        match divergence(&recording, &by_ssh, &by_gord) {
            None => {
                agree += 1;
                refused_both += u64::from(matches!(by_ssh, Outcome::Refuses(_)));
            }
            Some(what) => failures.push(format!(
                "seed {seed}, host {}: {what}\n{}",
                case.host,
                case.text()
            )),
        }
        std::fs::remove_dir_all(&case.dir).unwrap();
    }
    let summary = format!(
        "difffuzz vs {banner}: {agree}/{cases} agree ({refused_both} refused by both, {} divergences) in {:.1} s, seeds {first}..{}",
        failures.len(),
        started.elapsed().as_secs_f64(),
        first + cases - 1
    );
    println!("{summary}");
    assert!(
        failures.is_empty(),
        "{} divergence(s):\n{}\n{summary}",
        failures.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}
