//! Differential tests of `gord ssh resolve` against the real `ssh -G`.
//!
//! The corpus lives in `tests/fixtures/ssh/parity/` (format: README.md there).
//! Every (config, host) case is run through both `ssh -G -F FILE HOST` and
//! `gord ssh resolve HOST --config FILE [--allow-exec]` with the same
//! environment, and the outputs are compared keyword by keyword.
//!
//! Two tests:
//! * `corpus_is_valid_for_the_real_ssh` runs ssh alone: every case must be
//!   accepted by ssh -G (or rejected, for `# expect-error` cases).
//! * `gord_resolve_matches_ssh_g` is the parity test proper. Its last output
//!   line is `ssh parity: N/M cases equal`; it fails unless N == M.
//!
//! OpenSSH must be installed: without `ssh` both tests fail, loudly.

use crate::common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{gord, repo_root};

/// Keywords gord must print whenever ssh -G prints them (and must omit when
/// ssh -G omits them). Any other keyword gord chooses to print is compared too.
const REQUIRED: &[&str] = &[
    "hostname",
    "user",
    "port",
    "proxyjump",
    "proxycommand",
    "identityfile",
    "identitiesonly",
    "certificatefile",
    "controlmaster",
    "controlpath",
    "controlpersist",
    "serveraliveinterval",
    "serveralivecountmax",
    "connecttimeout",
    "forwardagent",
    "stricthostkeychecking",
    "userknownhostsfile",
    "localforward",
    "remoteforward",
    "dynamicforward",
    "sendenv",
    "setenv",
    "requesttty",
    "remotecommand",
    "batchmode",
    "exitonforwardfailure",
    "hostkeyalias",
    "identityagent",
    "loglevel",
    "compression",
    "addkeystoagent",
];

/// The corpus must not shrink below this many (config, host) cases.
const MIN_CASES: usize = 170;

/// Per-process time limit; ssh -G and a config resolver finish in milliseconds.
const PROCESS_TIMEOUT: Duration = Duration::from_secs(30);

/// Name of the config generated at test time (2,000 Host blocks).
const GENERATED_CASE: &str = "500-generated-2000-hosts.conf";

// ---------------------------------------------------------------------------
// Corpus

struct Case {
    /// File name of the config, e.g. `013-identityfile-accumulate.conf`.
    file: String,
    /// Absolute path of the config inside the temporary copy.
    path: PathBuf,
    host: String,
    allow_exec: bool,
    expect_error: bool,
}

struct Corpus {
    dir: tempfile::TempDir,
    cases: Vec<Case>,
}

fn corpus_source() -> PathBuf {
    repo_root().join("tests/fixtures/ssh/parity")
}

/// Copies the corpus into a temporary directory, replacing `@DIR@` with that
/// directory's absolute path, writes the generated config, and reads every
/// case header.
fn prepare_corpus() -> Corpus {
    let source = corpus_source();
    assert!(
        source.is_dir(),
        "corpus directory {} is missing",
        source.display()
    );
    let dir = tempfile::Builder::new()
        .prefix("gord-ssh-parity-")
        .tempdir()
        .unwrap();
    // Canonical path so that ssh and gord see the same absolute names.
    let root = dir.path().canonicalize().unwrap();
    let placeholder = root.to_str().expect("temp dir path is not UTF-8");
    copy_tree(&source, &root, placeholder);
    write_generated(&root);

    let mut files: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".conf"))
        .collect();
    files.sort();

    let mut cases = Vec::new();
    for file in files {
        let path = root.join(&file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{file}: not UTF-8 text: {e}"));
        let header = parse_header(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        for host in header.hosts {
            cases.push(Case {
                file: file.clone(),
                path: path.clone(),
                host,
                allow_exec: header.allow_exec,
                expect_error: header.expect_error,
            });
        }
    }
    Corpus { dir, cases }
}

fn copy_tree(from: &Path, to: &Path, placeholder: &str) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target, placeholder);
        } else {
            let bytes = std::fs::read(entry.path()).unwrap();
            write_file(
                &target,
                &replace_bytes(&bytes, b"@DIR@", placeholder.as_bytes()),
            );
        }
    }
}

/// Writes a config file with mode 0644: ssh refuses included files that are
/// group- or world-writable.
fn write_file(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
}

fn replace_bytes(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

struct Header {
    hosts: Vec<String>,
    allow_exec: bool,
    expect_error: bool,
}

/// Reads the leading comment block of a case file: `# hosts: a b c`,
/// optional `# allow-exec` and `# expect-error`; other comments are free text.
fn parse_header(text: &str) -> Result<Header, String> {
    let mut header = Header {
        hosts: Vec::new(),
        allow_exec: false,
        expect_error: false,
    };
    let mut saw_hosts = false;
    for line in text.lines() {
        let line = line.trim_end_matches('\r').trim();
        let Some(comment) = line.strip_prefix('#') else {
            break;
        };
        let comment = comment.trim();
        if let Some(hosts) = comment.strip_prefix("hosts:") {
            if saw_hosts {
                return Err("two `# hosts:` lines".into());
            }
            saw_hosts = true;
            header.hosts = hosts.split_whitespace().map(str::to_owned).collect();
        } else if comment == "allow-exec" {
            header.allow_exec = true;
        } else if comment == "expect-error" {
            header.expect_error = true;
        }
    }
    if header.hosts.is_empty() {
        return Err("no `# hosts:` line (or it names no host) in the header comments".into());
    }
    Ok(header)
}

// ---------------------------------------------------------------------------
// The generated config: 2,000 Host blocks, part of them through Include,
// and a Host * at the end.

const GENERATED_HOSTS: &[&str] = &[
    "fleet-0000",
    "fleet-0007",
    "alias-0420",
    "fleet-0999",
    "fleet-1000",
    "fleet-1234",
    "db.rack3.example.com",
    "fleet-1499",
    "fleet-1500",
    "fleet-1999",
    "fleet-2000",
];

fn generated_block(i: usize) -> String {
    let mut b = String::new();
    let mut patterns = format!("fleet-{i:04}");
    if i % 10 == 0 {
        write!(patterns, " alias-{i:04}").unwrap();
    }
    if i == 1100 {
        patterns.push_str(" *.rack3.example.com");
    }
    writeln!(b, "Host {patterns}").unwrap();
    if i % 3 == 0 {
        writeln!(b, "    HostName 10.{}.{}.1", i / 256, i % 256).unwrap();
    } else {
        writeln!(b, "    HostName %h.dc{}.example.com", i % 4).unwrap();
    }
    if i % 2 == 0 {
        writeln!(b, "    User svc{}", i % 7).unwrap();
    }
    if i % 5 == 0 {
        writeln!(b, "    Port {}", 2000 + i % 100).unwrap();
    }
    if i % 4 == 1 {
        writeln!(b, "    IdentityFile ~/.ssh/fleet_{}", i % 13).unwrap();
    }
    if i % 6 == 0 {
        writeln!(
            b,
            "    ProxyJump ops@bastion{}.example.com:22{:02}",
            i % 3,
            i % 50
        )
        .unwrap();
    }
    if i % 17 == 0 {
        writeln!(
            b,
            "    LocalForward {} 127.0.0.1:{}",
            10000 + i,
            1000 + i % 1000
        )
        .unwrap();
    }
    if i % 9 == 0 {
        writeln!(b, "    ServerAliveInterval {}s", 10 + i % 50).unwrap();
    }
    b.push('\n');
    b
}

fn write_generated(root: &Path) {
    let gen_dir = root.join("generated");
    let mut main = String::new();
    writeln!(main, "# hosts: {}", GENERATED_HOSTS.join(" ")).unwrap();
    main.push_str("# Generated by tests/ssh_parity.rs at test time: 2,000 Host blocks.\n\n");
    for i in 0..1000 {
        main.push_str(&generated_block(i));
    }
    writeln!(main, "Include {}/part-*.conf\n", gen_dir.display()).unwrap();
    for part in 0..5 {
        let mut text = String::new();
        for i in 1000 + part * 100..1000 + (part + 1) * 100 {
            text.push_str(&generated_block(i));
        }
        write_file(&gen_dir.join(format!("part-{part}.conf")), text.as_bytes());
    }
    for i in 1500..2000 {
        main.push_str(&generated_block(i));
    }
    main.push_str(
        "Host *\n    User fleet-default\n    ServerAliveInterval 30\n    IdentityFile ~/.ssh/id_ed25519\n    ControlMaster auto\n    ControlPath ~/.ssh/cm-%C\n    ControlPersist 5m\n",
    );
    write_file(&root.join(GENERATED_CASE), main.as_bytes());
}

// ---------------------------------------------------------------------------
// Running ssh and gord

struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn ssh_binary() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("ssh"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "the SSH parity tests need the OpenSSH client (`ssh`) on PATH, and none was found; \
                 install it (Debian/Ubuntu: apt-get install openssh-client)"
            )
        })
}

/// `ssh -V` (which prints on stderr): the oracle's version, for the logs.
/// The corpus was written against OpenSSH_9.2p1 Debian; see NOTES.md.
fn ssh_version(ssh: &Path) -> String {
    let out = Command::new(ssh).arg("-V").output().unwrap();
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    first_line(&text).to_owned()
}

/// The same environment for ssh and gord: nothing inherited but PATH, HOME,
/// USER and LOGNAME; a fixed shell for Match exec; and two variables the
/// corpus uses in `${VAR}` expansions.
fn command(program: &Path, corpus_root: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_clear();
    for key in ["PATH", "HOME", "USER", "LOGNAME"] {
        if let Some(value) = std::env::var_os(key) {
            cmd.env(key, value);
        }
    }
    cmd.env("SHELL", "/bin/sh")
        .env("LC_ALL", "C")
        .env("GORD_PARITY_DIR", corpus_root)
        .env("SSH_AUTH_SOCK", corpus_root.join("auth.sock"))
        .current_dir(corpus_root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn run(mut cmd: Command) -> Output {
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        out.read_to_end(&mut s).ok();
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        err.read_to_end(&mut s).ok();
        s
    });
    let deadline = Instant::now() + PROCESS_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() >= deadline {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let mut stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    if status.is_none() {
        stderr.push_str(&format!("\n(killed after {PROCESS_TIMEOUT:?})"));
    }
    Output {
        code: status.and_then(|s| s.code()),
        stdout,
        stderr,
    }
}

fn run_ssh(ssh: &Path, root: &Path, case: &Case) -> Output {
    let mut cmd = command(ssh, root);
    cmd.arg("-G").arg("-F").arg(&case.path).arg(&case.host);
    run(cmd)
}

fn run_gord(root: &Path, case: &Case) -> Output {
    let mut cmd = command(Path::new(gord()), root);
    cmd.args(["ssh", "resolve", &case.host, "--config"])
        .arg(&case.path);
    if case.allow_exec {
        cmd.arg("--allow-exec");
    }
    run(cmd)
}

// ---------------------------------------------------------------------------
// Comparison

/// `keyword value` lines, in order. The keyword is kept exactly as printed.
fn lines(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(' ') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (l.to_owned(), String::new()),
        })
        .collect()
}

fn grouped(lines: &[(String, String)]) -> BTreeMap<&str, Vec<&str>> {
    let mut map: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (k, v) in lines {
        map.entry(k.as_str()).or_default().push(v.as_str());
    }
    map
}

fn show(values: Option<&Vec<&str>>) -> String {
    match values {
        None => "(absent)".to_owned(),
        Some(v) if v.len() == 1 => format!("`{}`", v[0]),
        Some(v) => v
            .iter()
            .map(|x| format!("`{x}`"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn first_line(s: &str) -> &str {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}

/// Compares one case; returns None when equal, else a readable report.
fn compare(case: &Case, ssh: &Output, gord: &Output) -> Option<String> {
    let title = format!("--- {} (host `{}`)", case.file, case.host);
    if case.expect_error {
        return match (ssh.code, gord.code) {
            (Some(0), _) => Some(format!(
                "{title}\n  corpus error: marked expect-error but ssh -G exits 0"
            )),
            (_, Some(0)) => Some(format!(
                "{title}\n  ssh -G fails ({}), gord exits 0",
                first_line(&ssh.stderr)
            )),
            _ => None,
        };
    }
    if ssh.code != Some(0) {
        return Some(format!(
            "{title}\n  corpus error: ssh -G exits {:?}: {}",
            ssh.code,
            first_line(&ssh.stderr)
        ));
    }
    if gord.code != Some(0) {
        return Some(format!(
            "{title}\n  gord exits {:?} where ssh -G succeeds: {}",
            gord.code,
            first_line(&gord.stderr)
        ));
    }
    let ssh_lines = lines(&ssh.stdout);
    let gord_lines = lines(&gord.stdout);
    let ssh_map = grouped(&ssh_lines);
    let gord_map = grouped(&gord_lines);

    let mut report = String::new();
    // Every keyword gord prints, and every required keyword.
    let mut keys: Vec<&str> = gord_map.keys().copied().collect();
    for k in REQUIRED {
        if !keys.contains(k) {
            keys.push(k);
        }
    }
    for key in keys {
        let (s, g) = (ssh_map.get(key), gord_map.get(key));
        if s != g {
            writeln!(
                report,
                "  {key}\n    ssh -G: {}\n    gord  : {}",
                show(s),
                show(g)
            )
            .unwrap();
        }
    }
    // Relative order: ssh's lines restricted to gord's keywords must be
    // exactly gord's lines.
    if report.is_empty() {
        let expected: Vec<&(String, String)> = ssh_lines
            .iter()
            .filter(|(k, _)| gord_map.contains_key(k.as_str()))
            .collect();
        let actual: Vec<&(String, String)> = gord_lines.iter().collect();
        if expected != actual {
            let order = |v: &[&(String, String)]| {
                let mut seen: Vec<&str> = Vec::new();
                for (k, _) in v {
                    if seen.last() != Some(&k.as_str()) {
                        seen.push(k);
                    }
                }
                seen.join(" ")
            };
            writeln!(
                report,
                "  keyword order differs\n    ssh -G: {}\n    gord  : {}",
                order(&expected),
                order(&actual)
            )
            .unwrap();
        }
    }
    if report.is_empty() {
        None
    } else {
        Some(format!("{title}\n{report}"))
    }
}

/// Runs `f` over all cases on a few threads; results keep the corpus order.
fn parallel<T: Send>(cases: &[Case], f: impl Fn(&Case) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 8);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..cases.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= cases.len() {
                    break;
                }
                let r = f(&cases[i]);
                results.lock().unwrap()[i] = Some(r);
            });
        }
    });
    results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|r| r.unwrap())
        .collect()
}

/// Fails the test without the panic hook's message, so that the summary
/// printed just before stays the last line of the test's output.
fn fail_quietly() -> ! {
    std::panic::resume_unwind(Box::new("ssh parity failed"))
}

// ---------------------------------------------------------------------------
// Tests

#[test]
fn corpus_is_valid_for_the_real_ssh() {
    let ssh = ssh_binary();
    let corpus = prepare_corpus();
    let root = corpus.dir.path().canonicalize().unwrap();
    assert!(
        corpus.cases.len() >= MIN_CASES,
        "the corpus has {} cases, fewer than {MIN_CASES}",
        corpus.cases.len()
    );

    // Static rules: no DNS, no exec without the header.
    let mut problems = Vec::new();
    let mut files: Vec<&Case> = corpus.cases.iter().collect();
    files.dedup_by(|a, b| a.file == b.file);
    for case in &files {
        let text = std::fs::read_to_string(&case.path).unwrap().to_lowercase();
        for line in text.lines() {
            let words: Vec<&str> = line
                .split(|c: char| c.is_whitespace() || c == '=')
                .filter(|w| !w.is_empty())
                .collect();
            if words.first() == Some(&"canonicalizehostname") && words.get(1) != Some(&"no") {
                problems.push(format!("{}: CanonicalizeHostname other than no", case.file));
            }
            if words.first() == Some(&"match")
                && words.iter().any(|w| *w == "exec" || *w == "!exec")
                && !case.allow_exec
            {
                problems.push(format!("{}: Match exec without `# allow-exec`", case.file));
            }
        }
    }

    let outputs = parallel(&corpus.cases, |case| run_ssh(&ssh, &root, case));
    for (case, out) in corpus.cases.iter().zip(&outputs) {
        let ok = if case.expect_error {
            out.code.is_some() && out.code != Some(0)
        } else {
            out.code == Some(0) && out.stdout.starts_with("host ")
        };
        if !ok {
            problems.push(format!(
                "{} (host `{}`): ssh -G exits {:?}{}: {}",
                case.file,
                case.host,
                out.code,
                if case.expect_error {
                    " but the case is marked expect-error"
                } else {
                    ""
                },
                first_line(&out.stderr)
            ));
        }
    }
    let errors = corpus.cases.iter().filter(|c| c.expect_error).count();
    println!(
        "ssh corpus: {} cases ({} expect-error) in {} files, checked with {}",
        corpus.cases.len(),
        errors,
        files.len(),
        ssh_version(&ssh)
    );
    assert!(
        problems.is_empty(),
        "invalid corpus:\n{}",
        problems.join("\n")
    );
}

#[test]
fn gord_resolve_matches_ssh_g() {
    let ssh = ssh_binary();
    let corpus = prepare_corpus();
    let root = corpus.dir.path().canonicalize().unwrap();
    let reports = parallel(&corpus.cases, |case| {
        let s = run_ssh(&ssh, &root, case);
        let g = run_gord(&root, case);
        compare(case, &s, &g)
    });
    let total = reports.len();
    let mut equal = 0;
    for report in &reports {
        match report {
            None => equal += 1,
            Some(text) => println!("{text}"),
        }
    }
    println!("ssh parity: {equal}/{total} cases equal");
    if equal != total || total < MIN_CASES {
        fail_quietly();
    }
}
