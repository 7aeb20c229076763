//! This machine judged the way `gord remote check` judges a host. In a
//! Remote-SSH or container window gord runs where the code is, next to the
//! VS Code server; there the health report's RMT020 check runs the same
//! fixed script ([`REMOTE_SCRIPT`]) with `/bin/sh -c`, feeds its output to
//! the same parser, and [`rules::machine_findings`] judges the facts. One
//! fact collector, fed over ssh or locally.

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::future::BoxFuture;

use super::egress::Mode;
use super::rules;
use super::script::{parse_facts, RemoteFacts, REMOTE_SCRIPT};
use crate::check::{CheckContext, Environment, Outcome};
use crate::exec::{CommandSpec, ProcessRunner};
use crate::finding::Finding;

/// The script's bound on this machine: its own commands stop at 10 s each
/// (`timeout 10` where the machine has it); the whole run at this.
pub const LOCAL_LIMIT: Duration = Duration::from_secs(15);

/// Output read from the script, as over ssh.
const OUTPUT_CAP: usize = 1024 * 1024;

/// How messages name this machine.
pub const THIS_MACHINE: &str = "this machine";

/// Findings the health report's other checks already make about this
/// machine (RMT017: the Go tools, which GO checks report with their fixes).
const COVERED_ELSEWHERE: [&str; 1] = ["RMT017"];

/// What the environment says about the window gord runs in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowFacts {
    /// `VSCODE_AGENT_FOLDER`: set for the VS Code server (Remote-SSH, WSL, tunnels).
    pub agent_folder: Option<String>,
    /// `REMOTE_CONTAINERS`: set by the Dev Containers extension.
    pub remote_containers: Option<String>,
    /// `CODESPACES`.
    pub codespaces: Option<String>,
    /// `~/.vscode-server` is a directory: a VS Code server was installed here.
    pub vscode_server_dir: Option<PathBuf>,
}

impl WindowFacts {
    /// Reads the variables from `env` and looks for `~/.vscode-server`.
    pub fn read(env: &Environment) -> Self {
        let var = |key: &str| {
            env.get(key)
                .map(|v| v.to_string_lossy().into_owned())
                .filter(|v| !v.is_empty())
        };
        WindowFacts {
            agent_folder: var("VSCODE_AGENT_FOLDER"),
            remote_containers: var("REMOTE_CONTAINERS"),
            codespaces: var("CODESPACES"),
            vscode_server_dir: env
                .home()
                .map(|home| home.join(".vscode-server"))
                .filter(|dir| dir.is_dir()),
        }
    }
}

/// Why gord thinks it runs beside a VS Code server; empty when it does not
/// (a local window, or the CLI on a machine no VS Code server was ever
/// installed on), and then RMT020 is skipped.
pub fn remote_window_evidence(window: &WindowFacts) -> Vec<String> {
    let mut why = Vec::new();
    if let Some(folder) = &window.agent_folder {
        why.push(format!("VSCODE_AGENT_FOLDER={folder}"));
    }
    if window.remote_containers.is_some() {
        why.push(String::from("REMOTE_CONTAINERS"));
    }
    if window.codespaces.is_some() {
        why.push(String::from("CODESPACES"));
    }
    if let Some(dir) = &window.vscode_server_dir {
        why.push(format!("{} exists", dir.display()));
    }
    why
}

/// The script run here: `/bin/sh -c SCRIPT` (the fixed script, no user
/// data; the egress words, checked, as its arguments), HOME from `home`
/// when given, stdin closed, bounded in time and output.
pub fn local_spec(home: Option<&Path>, egress: &Mode) -> CommandSpec {
    // `sh -c SCRIPT NAME ARGS…`: NAME is $0, the egress words $1….
    let spec = CommandSpec::new("/bin/sh")
        .args(["-c", REMOTE_SCRIPT, "sh"])
        .args(egress.script_args())
        .timeout(LOCAL_LIMIT)
        .output_cap(OUTPUT_CAP);
    match home {
        Some(home) => spec.env("HOME", home.as_os_str()),
        None => spec,
    }
}

/// This machine's facts, through the remote script and its parser.
pub async fn collect_local(
    runner: &dyn ProcessRunner,
    home: Option<&Path>,
    egress: &Mode,
) -> Result<RemoteFacts, String> {
    let out = runner
        .run(local_spec(home, egress))
        .await
        .map_err(|e| e.to_string())?;
    let facts = parse_facts(&out.stdout_text());
    if facts.complete {
        Ok(facts)
    } else {
        Err(format!(
            "the script stopped before its end (exit {:?}): {}",
            out.code,
            out.first_error_line()
        ))
    }
}

/// This machine's findings (about the workspace's machine as a whole).
pub fn local_findings(facts: &RemoteFacts) -> Vec<Finding> {
    rules::machine_findings(THIS_MACHINE, facts)
        .into_iter()
        .filter(|f| !COVERED_ELSEWHERE.contains(&f.code.as_str()))
        .collect()
}

/// A one-line summary of the facts for the check's detail.
fn facts_line(facts: &RemoteFacts) -> String {
    let mut parts = Vec::new();
    if let Some(os) = &facts.os {
        parts.push(os.clone());
    }
    if let Some(kernel) = &facts.kernel {
        parts.push(format!("kernel {kernel}"));
    }
    if let Some(glibc) = &facts.glibc {
        parts.push(format!("glibc {glibc}"));
    }
    if let Some(kib) = facts.mem_total_kib {
        parts.push(format!("{} MiB memory", kib / 1024));
    }
    if let Some(cpus) = facts.cpus {
        parts.push(format!("{cpus} CPUs"));
    }
    if let Some(shell) = facts.login_shell.as_ref().or(facts.shell.as_ref()) {
        parts.push(format!("login shell {shell}"));
    }
    parts.join(", ")
}

/// The outcome of RMT020 for facts collected here.
pub fn judge(evidence: &[String], facts: &RemoteFacts) -> Outcome {
    let findings = local_findings(facts);
    // The report carries only located findings; these are about the
    // machine, so the detail lists each of them.
    let mut detail = format!(
        "a remote window: {}\nfacts: {}",
        evidence.join(", "),
        facts_line(facts)
    );
    for f in &findings {
        detail.push_str(&format!("\n{} {}", f.code, f.message));
    }
    let outcome = match Outcome::from_findings(&findings) {
        Some(outcome) => outcome,
        None => Outcome::ok("this machine is fit for the VS Code server and Go"),
    };
    outcome.with_detail(detail).with_findings(findings)
}

/// The health report's check of this machine (after the SSH config's).
pub fn catalogue() -> Vec<std::sync::Arc<dyn crate::check::Check>> {
    vec![crate::check::FnCheck::shared(
        "RMT020",
        "This machine's server",
        crate::check::Area::Remote,
        rmt020_this_machine,
    )]
}

/// RMT020, "This machine's server": the remote checks on this machine, in a
/// remote-like window only.
pub fn rmt020_this_machine(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        if let Err(refusal) = crate::platform::linux_only("This check", "reads /proc") {
            return Outcome::skipped(refusal.to_string());
        }
        let window = WindowFacts::read(&ctx.env);
        let evidence = remote_window_evidence(&window);
        if evidence.is_empty() {
            return Outcome::skipped(
                "not a Remote-SSH or container window (no VSCODE_AGENT_FOLDER, REMOTE_CONTAINERS, CODESPACES or ~/.vscode-server)",
            );
        }
        let home = ctx.env.home();
        let egress = Mode::from_env(&ctx.env);
        match collect_local(ctx.runner.as_ref(), home.as_deref(), &egress).await {
            Ok(facts) => judge(&evidence, &facts),
            Err(error) => Outcome::error(format!(
                "the remote script could not run on this machine: {error}"
            )),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::SystemRunner;

    /// No request leaves this machine: no fixed targets, and Go's own
    /// (proxy.golang.org, sum.golang.org) are skipped as not on loopback.
    fn offline() -> Mode {
        Mode::from_vars(Some(""), None)
    }

    #[test]
    fn a_window_is_remote_when_the_server_left_a_trace() {
        let home = tempfile::tempdir().unwrap();
        let env = Environment::from_pairs([("HOME", home.path().as_os_str())]);
        assert_eq!(
            remote_window_evidence(&WindowFacts::read(&env)),
            Vec::<String>::new()
        );
        std::fs::create_dir(home.path().join(".vscode-server")).unwrap();
        let why = remote_window_evidence(&WindowFacts::read(&env));
        assert_eq!(why.len(), 1);
        assert!(why[0].ends_with(".vscode-server exists"), "{why:?}");
        let env = Environment::from_pairs([
            ("HOME", "/nonexistent"),
            ("VSCODE_AGENT_FOLDER", "/home/me/.vscode-server"),
            ("REMOTE_CONTAINERS", "true"),
        ]);
        assert_eq!(
            remote_window_evidence(&WindowFacts::read(&env)),
            [
                "VSCODE_AGENT_FOLDER=/home/me/.vscode-server",
                "REMOTE_CONTAINERS"
            ]
        );
    }

    #[tokio::test]
    async fn this_machines_facts_come_through_the_same_script_and_parser() {
        let home = tempfile::tempdir().unwrap();
        let facts = collect_local(&SystemRunner, Some(home.path()), &offline())
            .await
            .unwrap();
        assert!(facts.complete);
        assert_eq!(facts.home.as_deref(), home.path().to_str());
        let uname = std::process::Command::new("uname")
            .arg("-r")
            .output()
            .unwrap();
        assert_eq!(
            facts.kernel.as_deref(),
            Some(String::from_utf8_lossy(&uname.stdout).trim())
        );
        let total = std::fs::read_to_string("/proc/meminfo").unwrap();
        let total: u64 = total
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap();
        assert_eq!(facts.mem_total_kib, Some(total));
        let cpus = std::thread::available_parallelism().unwrap().get();
        assert_eq!(facts.cpus, u32::try_from(cpus).ok());
        assert_eq!(facts.exec_home, Some(super::super::script::ExecProbe::Yes));
        // sh -c reads no start-up file: nothing is printed before the script.
        assert_eq!(facts.startup_output, None);
    }

    #[tokio::test]
    async fn with_no_tools_at_all_the_script_still_ends_and_the_new_rules_stay_quiet() {
        // PATH names nothing: only the shell's builtins run. Every fact a
        // tool would give is unknown, which is no finding of its own.
        let home = tempfile::tempdir().unwrap();
        let out = SystemRunner
            .run(local_spec(Some(home.path()), &offline()).env("PATH", "/nonexistent"))
            .await
            .unwrap();
        let facts = parse_facts(&out.stdout_text());
        assert!(facts.complete, "{}", out.stdout_text());
        assert_eq!(facts.mem_total_kib, None);
        assert_eq!(facts.file_systems, []);
        let codes: Vec<String> = local_findings(&facts).into_iter().map(|f| f.code).collect();
        for quiet in [
            "RMT021", "RMT022", "RMT023", "RMT024", "RMT025", "RMT026", "RMT027", "RMT028",
            "RMT029", "RMT030", "RMT031",
        ] {
            assert!(!codes.iter().any(|c| c == quiet), "{quiet} in {codes:?}");
        }
    }

    #[tokio::test]
    async fn an_rc_file_that_execs_another_shell_is_judged_here_as_on_a_remote() {
        let home = tempfile::tempdir().unwrap();
        std::fs::write(home.path().join(".bashrc"), "export EDITOR=vi\nexec zsh\n").unwrap();
        let facts = collect_local(&SystemRunner, Some(home.path()), &offline())
            .await
            .unwrap();
        let outcome = judge(&[String::from("test")], &facts);
        let codes: Vec<&str> = outcome.findings.iter().map(|f| f.code.as_str()).collect();
        assert!(codes.contains(&"RMT023"), "{codes:?}");
        let rmt023 = outcome
            .findings
            .iter()
            .find(|f| f.code == "RMT023")
            .unwrap();
        assert!(rmt023.message.starts_with("~/.bashrc:2 on this machine"));
        assert_eq!(rmt023.subject, crate::finding::Subject::Workspace);
        assert!(!codes.contains(&"RMT017"), "the GO checks report the tools");
    }

    /// Writes an executable shell script `name` into `dir`.
    fn fake(dir: &Path, name: &str, body: &str) {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap();
        crate::platform::fs::set_mode(&path, 0o755).unwrap();
    }

    /// A temp home with an empty `bin` directory for the test's programs.
    fn home_with_bin() -> (tempfile::TempDir, PathBuf) {
        let home = tempfile::tempdir().unwrap();
        let bin = home.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        (home, bin)
    }

    /// The script's facts, run in `home` with `bin` first on PATH and then
    /// only the system's own programs; the script must have ended.
    async fn facts_with_bin_first(home: &Path, bin: &Path) -> RemoteFacts {
        let path = format!("{}:/usr/bin:/bin", bin.display());
        let out = SystemRunner
            .run(local_spec(Some(home), &offline()).env("PATH", &path))
            .await
            .unwrap();
        let facts = parse_facts(&out.stdout_text());
        assert!(facts.complete, "{}", out.stdout_text());
        facts
    }

    /// (name, version) of each Go tool, in the order the script reports them.
    fn tool_versions(facts: &RemoteFacts) -> Vec<(&str, Option<&str>)> {
        facts
            .tools
            .iter()
            .map(|t| (t.name.as_str(), t.version.as_deref()))
            .collect()
    }

    #[tokio::test]
    async fn go_is_asked_once_for_its_environment_and_once_for_every_tools_build_info() {
        let (home, bin) = home_with_bin();
        let log = home.path().join("go-calls");
        // A `go` that logs its arguments, answers `go env` in the order
        // asked, and gives gopls and dlv build info; golangci-lint's is a
        // devel build, so that tool alone is run for its version.
        fake(
            &bin,
            "go",
            &format!(
                r#"printf '%s\n' "$*" >> '{}'
case $1 in
  env) printf 'go1.99.1\nlinux\namd64\n/g/path\n/g/path/pkg/mod\n/g/cache\n/g/tmp\n' ;;
  version)
    shift 2
    for f in "$@"; do
      printf '%s: go1.99.1\n' "$f"
      case $f in
        */gopls) printf '\tpath\tgolang.org/x/tools/gopls\n\tmod\tgolang.org/x/tools/gopls\tv0.99.0\th1:x=\n' ;;
        */dlv) printf '\tpath\tgithub.com/go-delve/delve/cmd/dlv\n\tmod\tgithub.com/go-delve/delve\tv1.99.2\th1:y=\n' ;;
        *) printf '\tpath\tgithub.com/golangci/golangci-lint/v2/cmd/golangci-lint\n\tmod\tgithub.com/golangci/golangci-lint/v2\t(devel)\t\n' ;;
      esac
    done ;;
esac
"#,
                log.display()
            ),
        );
        fake(&bin, "gopls", "echo ran gopls\n");
        fake(&bin, "dlv", "echo ran dlv\n");
        fake(
            &bin,
            "golangci-lint",
            "echo 'golangci-lint has version 9.9.9 built from source'\n",
        );
        let facts = facts_with_bin_first(home.path(), &bin).await;
        assert_eq!(
            facts.go_version.as_deref(),
            Some("go version go1.99.1 linux/amd64")
        );
        assert_eq!(facts.gopath.as_deref(), Some("/g/path"));
        assert_eq!(facts.gomodcache.as_deref(), Some("/g/path/pkg/mod"));
        let gotmpdir = facts.temp_dirs.iter().find(|d| d.which == "GOTMPDIR");
        assert_eq!(gotmpdir.map(|d| d.path.as_str()), Some("/g/tmp"));
        assert_eq!(
            tool_versions(&facts),
            [
                ("gopls", Some("golang.org/x/tools/gopls v0.99.0")),
                ("dlv", Some("1.99.2")),
                (
                    "golangci-lint",
                    Some("golangci-lint has version 9.9.9 built from source")
                ),
            ]
        );
        let calls = std::fs::read_to_string(&log).unwrap();
        let calls: Vec<&str> = calls
            .lines()
            .map(|l| l.split(' ').next().unwrap_or(""))
            .collect();
        assert_eq!(calls, ["env", "version"], "{calls:?}");
        let version_args = std::fs::read_to_string(&log).unwrap();
        assert!(
            version_args.contains("version -m ")
                && ["gopls", "dlv", "golangci-lint"]
                    .iter()
                    .all(|t| version_args.contains(&format!("/bin/{t}"))),
            "{version_args}"
        );
    }

    /// A file that is a shell script to run (it logs that it ran) and
    /// carries a Go 1.18+ build info blob after it, as a Go binary does.
    fn go_binary(dir: &Path, name: &str, log: &Path, module: &str, version: &str) {
        let mut bytes =
            format!("#!/bin/sh\necho {name} >> '{}'\nexit 0\n", log.display()).into_bytes();
        // A decoy the way a real binary's format strings are: no version.
        bytes.extend_from_slice(b"\x00\x01\nmod\t%s\t%s\n\x02");
        bytes.extend_from_slice(b"\xff Go buildinf:\x08\x02");
        bytes.extend_from_slice(&[0u8; 16]);
        bytes.extend_from_slice(b"\x08go1.99.3\x9e\x01");
        bytes.extend_from_slice(b"0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6");
        bytes.extend_from_slice(
            format!("path\t{module}/cmd/x\nmod\t{module}\t{version}\th1:x=\n").as_bytes(),
        );
        bytes.extend_from_slice(b"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2\x00\x00");
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        crate::platform::fs::set_mode(&path, 0o755).unwrap();
    }

    #[tokio::test]
    async fn with_no_go_to_ask_tool_versions_come_from_their_own_build_info_and_none_is_run() {
        let (home, bin) = home_with_bin();
        let log = home.path().join("ran");
        go_binary(&bin, "gopls", &log, "golang.org/x/tools/gopls", "v0.99.0");
        go_binary(&bin, "dlv", &log, "github.com/go-delve/delve", "v1.99.2");
        go_binary(
            &bin,
            "golangci-lint",
            &log,
            "github.com/golangci/golangci-lint/v2",
            "v2.99.1",
        );
        // PATH has the tools and the system's programs, and no `go`.
        let facts = facts_with_bin_first(home.path(), &bin).await;
        assert_eq!(
            facts.go, None,
            "this machine's go must not be on the test's PATH"
        );
        assert_eq!(
            tool_versions(&facts),
            [
                ("gopls", Some("golang.org/x/tools/gopls v0.99.0")),
                ("dlv", Some("1.99.2")),
                (
                    "golangci-lint",
                    Some("golangci-lint has version 2.99.1 built with go1.99.3")
                ),
            ]
        );
        assert!(
            !log.exists(),
            "a tool was run: {:?}",
            std::fs::read_to_string(&log)
        );
    }

    #[tokio::test]
    async fn under_busybox_without_flock_timeout_or_stat_the_script_ends_with_what_it_can_say() {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let busybox = std::env::split_paths(&path)
            .map(|dir| dir.join("busybox"))
            .find(|p| p.is_file())
            .expect("busybox is installed by scripts/install-deps");
        let home = tempfile::tempdir().unwrap();
        let bin = home.path().join("bb");
        std::fs::create_dir(&bin).unwrap();
        let applets = std::process::Command::new(&busybox)
            .arg("--list")
            .output()
            .unwrap();
        for applet in String::from_utf8_lossy(&applets.stdout).lines() {
            if !["flock", "timeout", "stat"].contains(&applet) {
                std::os::unix::fs::symlink(&busybox, bin.join(applet)).unwrap();
            }
        }
        let spec = CommandSpec::new(bin.join("sh"))
            .args(["-c", REMOTE_SCRIPT, "sh"])
            .args(offline().script_args())
            .timeout(LOCAL_LIMIT)
            .output_cap(OUTPUT_CAP)
            .env("HOME", home.path().as_os_str())
            .env("PATH", bin.as_os_str());
        let out = SystemRunner.run(spec).await.unwrap();
        let facts = parse_facts(&out.stdout_text());
        assert!(facts.complete, "{}", out.stdout_text());
        // BusyBox's df and nproc still answer; without stat -f the mount
        // table still names the home's file system; flock is missing.
        assert!(facts.home_free_kib.is_some(), "{}", out.stdout_text());
        assert!(facts.cpus.is_some(), "{}", out.stdout_text());
        assert!(
            facts
                .file_systems
                .iter()
                .any(|f| f.what == "the home directory" && !f.fs_type.is_empty()),
            "{:?}",
            facts.file_systems
        );
        assert!(
            facts.flock_tests.iter().all(|t| t.works.is_none()),
            "{:?}",
            facts.flock_tests
        );
        assert_eq!(facts.exec_home, Some(super::super::script::ExecProbe::Yes));
    }

    #[tokio::test]
    async fn the_script_says_where_it_ran_as_the_landing_script_does() {
        use super::super::connect::{parse_landing, LANDING_SCRIPT};
        let home = tempfile::tempdir().unwrap();
        let script = SystemRunner
            .run(local_spec(Some(home.path()), &offline()))
            .await
            .unwrap();
        let landing = SystemRunner
            .run(CommandSpec::new("/bin/sh").args(["-c", LANDING_SCRIPT]))
            .await
            .unwrap();
        let here = parse_landing(&landing.stdout_text());
        assert!(
            here.as_ref().is_some_and(|l| l.hostname.is_some()),
            "{here:?}"
        );
        assert_eq!(parse_landing(&script.stdout_text()), here);
        // Inside the markers: nothing counts as start-up output.
        assert_eq!(parse_facts(&script.stdout_text()).startup_output, None);
    }

    /// A loopback HTTP server answering every request with 204; its port.
    fn http_204() -> u16 {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut request = [0_u8; 4096];
                let _ = stream.read(&mut request);
                let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
            }
        });
        port
    }

    #[tokio::test]
    async fn egress_is_checked_here_as_on_a_remote_and_an_unreachable_goproxy_is_named() {
        let open = http_204();
        // A port that was free a moment ago: nothing listens there.
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let home = tempfile::tempdir().unwrap();
        let targets =
            format!("server=http://127.0.0.1:{open}/ goproxy=http://127.0.0.1:{closed}/mirror");
        let mode = Mode::from_vars(Some(&targets), None);
        let facts = collect_local(&SystemRunner, Some(home.path()), &mode)
            .await
            .unwrap();
        let egress = facts.egress.clone().unwrap();
        let seen: Vec<(&str, &str, bool)> = egress
            .probes
            .iter()
            .map(|p| {
                (
                    p.what.as_str(),
                    p.url.as_str(),
                    matches!(
                        p.outcome,
                        super::super::egress::EgressOutcome::Reached { status: 204 }
                    ),
                )
            })
            .filter(|(_, url, _)| url.starts_with("http://127.0.0.1:"))
            .collect();
        let server = format!("http://127.0.0.1:{open}/");
        let mirror = format!("http://127.0.0.1:{closed}/mirror");
        assert!(
            seen.contains(&("server", server.as_str(), true)),
            "{egress:#?}"
        );
        assert!(
            seen.contains(&("goproxy", mirror.as_str(), false)),
            "{egress:#?}"
        );
        let outcome = judge(&[String::from("test")], &facts);
        let rmt032 = outcome
            .findings
            .iter()
            .find(|f| f.code == "RMT032")
            .unwrap_or_else(|| panic!("{outcome:#?}"));
        assert!(
            rmt032
                .message
                .starts_with(&format!("this machine cannot reach GOPROXY {mirror} (")),
            "{}",
            rmt032.message
        );
        assert!(!rmt032.message.contains(&server), "{}", rmt032.message);
        assert!(
            rmt032.fix().unwrap().title.contains("gord preload"),
            "{:?}",
            rmt032.fixes
        );
        assert!(outcome.detail.unwrap_or_default().contains("RMT032"));
    }

    #[tokio::test]
    async fn without_curl_wget_makes_the_requests_and_reads_the_status() {
        if !Path::new("/usr/bin/wget").exists() {
            eprintln!("skipped: no /usr/bin/wget");
            return;
        }
        // PATH: everything of /usr/bin but curl.
        let bin = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir("/usr/bin").unwrap().flatten() {
            if entry.file_name() != "curl" {
                let _ =
                    std::os::unix::fs::symlink(entry.path(), bin.path().join(entry.file_name()));
            }
        }
        let open = http_204();
        let home = tempfile::tempdir().unwrap();
        let targets = format!("server=http://127.0.0.1:{open}/");
        let out = SystemRunner
            .run(
                local_spec(Some(home.path()), &Mode::from_vars(Some(&targets), None))
                    .env("PATH", bin.path().as_os_str()),
            )
            .await
            .unwrap();
        let facts = parse_facts(&out.stdout_text());
        let egress = facts.egress.unwrap();
        assert_eq!(egress.tool.as_deref(), Some("wget"));
        assert_eq!(
            egress.probes[0].outcome,
            super::super::egress::EgressOutcome::Reached { status: 204 },
            "{egress:#?}"
        );
    }
}
