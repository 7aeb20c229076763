//! Which ssh the user runs, and which release's rules gord follows for it:
//! `--ssh-version` without running anything, else the program the user
//! named (`--ssh`, `gord.ssh.path`, Remote-SSH's `remote.SSH.path`), else
//! `ssh` on PATH; its `-V` read once per path and modification time.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use super::{parse_ssh_v, SshVersion, VersionError};
use crate::exec::{CommandSpec, ExecError, ProcessRunner, SystemRunner};
use crate::toolchain::ProgramMemo;

/// `ssh -V` answers at once; one that takes longer is hung and killed.
pub const VERSION_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the program's name came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Source {
    /// `--ssh PROGRAM`.
    Cli,
    /// The `gord.ssh.path` setting.
    Setting,
    /// Remote-SSH's `remote.SSH.path` setting.
    RemoteSsh,
    /// `ssh` on PATH.
    Path,
    /// `--ssh-version`: nothing run.
    VersionArgument,
}

impl Source {
    fn describe(self) -> &'static str {
        match self {
            Source::Cli => "--ssh",
            Source::Setting => "the gord.ssh.path setting",
            Source::RemoteSsh => "Remote-SSH's remote.SSH.path setting",
            Source::Path => "PATH",
            Source::VersionArgument => "--ssh-version",
        }
    }
}

/// The ssh followed, as the JSON and SARIF reports name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Followed {
    /// The program whose `-V` was read; null with `--ssh-version`.
    pub program: Option<PathBuf>,
    pub source: Source,
    /// What it says it is (`9.2p1-debian`); null when it could not be told.
    pub version: Option<String>,
    /// The release whose rules were followed.
    pub rules: String,
    pub summary: String,
}

/// A version as `--ssh-version` takes it (`9.2p1-debian`).
fn version_argument(v: SshVersion) -> String {
    match v.flavour.suffix() {
        "" => v.release.to_string(),
        suffix => format!("{}-{suffix}", v.release),
    }
}

/// What the user asked for; empty: `ssh` on PATH.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `--ssh-version`: wins over any program.
    pub version: Option<SshVersion>,
    /// The program and where its name came from (`--ssh`, a setting).
    pub program: Option<(String, Source)>,
}

/// Why gord could not learn the release from the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The named program does not exist (or is not executable).
    Missing(String),
    /// No `ssh` on PATH.
    NotOnPath,
    /// `-V` printed something that is not OpenSSH's.
    NotOpenSsh(String),
    /// `-V` could not be run or failed.
    Failed(String),
    /// `-V` did not finish in time and was killed.
    Hung,
}

/// The ssh gord follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The program whose `-V` was read (None with `--ssh-version`, or when
    /// none was found).
    pub program: Option<PathBuf>,
    pub source: Source,
    /// What the program (or `--ssh-version`) says it is.
    pub reported: Option<SshVersion>,
    /// The release whose rules gord applies.
    pub semantics: SshVersion,
    pub problem: Option<Problem>,
}

impl Choice {
    /// For a known version, nothing run (tests, `--ssh-version`).
    pub fn of_version(version: SshVersion) -> Choice {
        Choice {
            program: None,
            source: Source::VersionArgument,
            reported: Some(version),
            semantics: version.semantics(),
            problem: None,
        }
    }

    /// How `gord ssh resolve` prints the configuration: as the release the
    /// ssh reported (or `--ssh-version`) prints it; with no release known
    /// (no ssh found, or a `-V` gord cannot read), as gord always has.
    pub fn listing(&self) -> super::listing::Listing {
        match self.reported {
            Some(_) => super::listing::Listing::of(self.semantics),
            None => super::listing::Listing::legacy(),
        }
    }

    /// What gord followed, for the JSON and SARIF reports.
    pub fn followed(&self) -> Followed {
        Followed {
            program: self.program.clone(),
            source: self.source,
            version: self.reported.map(version_argument),
            rules: version_argument(self.semantics),
            summary: self.summary(),
        }
    }

    /// One line naming what gord followed: "Debian's OpenSSH 9.2p1
    /// (/usr/bin/ssh, from PATH)".
    pub fn summary(&self) -> String {
        let what = match self.reported {
            Some(v) if v.release != self.semantics.release => {
                format!("{v}, read with the rules of {}", self.semantics.release)
            }
            Some(v) => v.to_string(),
            None if self.problem == Some(Problem::NotOnPath) => {
                format!("{} (newest gord knows; no ssh on PATH)", self.semantics)
            }
            None => format!("{} (newest gord knows)", self.semantics),
        };
        match &self.program {
            Some(p) => format!("{what} ({}, from {})", p.display(), self.source.describe()),
            None => format!("{what} (from {})", self.source.describe()),
        }
    }

    /// Why the rules followed are not the ssh's own, if they are not: the
    /// text of one finding, and whether it is only informative.
    pub fn note(&self) -> Option<(String, bool)> {
        let newest = super::newest();
        let fallback = format!("gord follows the newest OpenSSH it knows, {newest}");
        let text = match &self.problem {
            Some(Problem::Missing(program)) => format!(
                "{program} (from {}) does not exist or is not executable: {fallback}; set it to the ssh you run (which ssh), or remove the setting to use ssh on PATH",
                self.source.describe()
            ),
            // Checking a config where no ssh runs (CI) is ordinary: the
            // summary says which rules were followed.
            Some(Problem::NotOnPath) => return None,
            Some(Problem::NotOpenSsh(line)) => format!(
                "{} is not OpenSSH (-V printed \"{line}\"): {fallback}; its own config rules may differ",
                self.program_name()
            ),
            Some(Problem::Failed(why)) => format!(
                "{} -V failed ({why}): {fallback}; pass --ssh-version (e.g. 9.2p1) to choose",
                self.program_name()
            ),
            Some(Problem::Hung) => format!(
                "{} -V did not answer within {} s and was stopped: {fallback}; pass --ssh-version (e.g. 9.2p1) to choose",
                self.program_name(),
                VERSION_TIMEOUT.as_secs()
            ),
            None => {
                let reported = self.reported?;
                if reported.release > newest {
                    format!(
                        "{reported} is newer than the releases gord knows (8.7p1 to {newest}): gord follows {newest}'s rules, and may not know what is new in {}",
                        reported.release
                    )
                } else if reported.release < super::oldest() {
                    format!(
                        "{reported} is older than the releases gord knows ({} to {newest}): gord follows {}'s rules",
                        super::oldest(),
                        super::oldest()
                    )
                } else {
                    return None;
                }
            }
        };
        Some((text, self.problem.is_none()))
    }

    fn program_name(&self) -> String {
        self.program
            .as_ref()
            .map_or_else(|| String::from("ssh"), |p| p.display().to_string())
    }
}

/// Works out the ssh to follow. Runs `PROGRAM -V` at most once per path and
/// modification time in this process.
pub fn choose(request: &Request) -> Choice {
    if let Some(version) = request.version {
        return Choice::of_version(version);
    }
    let (program, source) = match &request.program {
        Some((name, source)) => match find(name) {
            Some(path) => (path, *source),
            None => return fallback(None, *source, Problem::Missing(name.clone())),
        },
        None => match crate::toolchain::Locator::from_process()
            .all_on_path("ssh")
            .into_iter()
            .next()
        {
            Some(path) => (path, Source::Path),
            None => return fallback(None, Source::Path, Problem::NotOnPath),
        },
    };
    match version_of(&program) {
        Ok(version) => Choice {
            program: Some(program),
            source,
            reported: Some(version),
            semantics: version.semantics(),
            problem: None,
        },
        Err(problem) => fallback(Some(program), source, problem),
    }
}

fn fallback(program: Option<PathBuf>, source: Source, problem: Problem) -> Choice {
    Choice {
        program,
        source,
        reported: None,
        semantics: SshVersion::newest(),
        problem: Some(problem),
    }
}

/// A program name: a path as it is (`~/` expanded), a bare name on PATH.
fn find(name: &str) -> Option<PathBuf> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    if !name.contains('/') {
        return crate::toolchain::Locator::from_process()
            .all_on_path(name)
            .into_iter()
            .next();
    }
    let path = match name.strip_prefix("~/") {
        Some(rest) => crate::ssh::config::local::LocalFacts::current()
            .home
            .join(rest),
        None => PathBuf::from(name),
    };
    // `which` checks that this user may execute it, as the shell would.
    which::which(&path).ok()
}

/// `program -V`, once per binary (path and modification time).
pub fn version_of(program: &Path) -> Result<SshVersion, Problem> {
    static ANSWERS: ProgramMemo<Result<SshVersion, Problem>> = ProgramMemo::new();
    if let Some(known) = ANSWERS.get(program) {
        return known;
    }
    let found = run_version(&SystemRunner, program, VERSION_TIMEOUT);
    ANSWERS.insert(program, found.clone());
    found
}

/// Runs `program -V` (argv only, no shell) within `timeout` and reads it.
pub fn run_version(
    runner: &dyn ProcessRunner,
    program: &Path,
    timeout: Duration,
) -> Result<SshVersion, Problem> {
    let spec = CommandSpec::new(program)
        .arg("-V")
        .timeout(timeout)
        .output_cap(64 * 1024);
    let output = match runner.run_blocking(spec) {
        Ok(output) => output,
        Err(ExecError::Timeout { .. }) => return Err(Problem::Hung),
        Err(e) => return Err(Problem::Failed(e.to_string())),
    };
    // OpenSSH prints its version on stderr; a wrapper may use stdout.
    let text = format!("{}\n{}", output.stderr_text(), output.stdout_text());
    if !output.success() {
        let line = output.first_error_line();
        return Err(Problem::Failed(format!(
            "exit status {}{}",
            output
                .code
                .map_or_else(|| String::from("signal"), |c| c.to_string()),
            if line.is_empty() {
                String::new()
            } else {
                format!(": {}", crate::render::escape::text(&line))
            }
        )));
    }
    match parse_ssh_v(&text) {
        Ok(version) => Ok(version),
        Err(VersionError::NotOpenSsh(line)) => Err(Problem::NotOpenSsh(
            crate::render::escape::text(&line).into_owned(),
        )),
        Err(e) => Err(Problem::Failed(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::release::{parse_version_argument, Flavour};
    use std::os::unix::fs::PermissionsExt;

    /// An executable shell script `dir/name` with `body`.
    fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[test]
    fn the_version_is_read_from_stderr_of_dash_v() {
        let dir = tempfile::tempdir().unwrap();
        let ssh = script(
            dir.path(),
            "ssh",
            "[ \"$1\" = -V ] || exit 9\necho 'OpenSSH_9.6p1 Ubuntu-3ubuntu13, OpenSSL 3.0.13 30 Jan 2024' >&2",
        );
        let choice = choose(&Request {
            version: None,
            program: Some((ssh.display().to_string(), Source::Cli)),
        });
        assert_eq!(choice.problem, None);
        assert_eq!(
            choice.reported,
            Some(parse_version_argument("9.6p1-debian").unwrap())
        );
        assert_eq!(choice.semantics.flavour, Flavour::Debian);
        assert_eq!(choice.note(), None);
        assert_eq!(
            choice.summary(),
            format!("Debian's OpenSSH 9.6p1 ({}, from --ssh)", ssh.display())
        );
    }

    #[test]
    fn a_hung_dash_v_is_killed_and_the_newest_rules_apply() {
        let dir = tempfile::tempdir().unwrap();
        let ssh = script(dir.path(), "ssh", "sleep 30");
        let started = std::time::Instant::now();
        let found = run_version(&SystemRunner, &ssh, Duration::from_millis(300));
        assert_eq!(found, Err(Problem::Hung));
        assert!(started.elapsed() < Duration::from_secs(10));
        let choice = fallback(Some(ssh), Source::Setting, Problem::Hung);
        assert_eq!(choice.semantics, SshVersion::newest());
        let (text, info) = choice.note().unwrap();
        assert!(text.contains("did not answer within 5 s"), "{text}");
        assert!(text.contains("newest OpenSSH it knows, 10.5p1"), "{text}");
        assert!(!info);
    }

    #[test]
    fn other_clients_and_failures_fall_back_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let dropbear = script(dir.path(), "dbclient", "echo 'Dropbear v2022.83' >&2");
        assert_eq!(
            run_version(&SystemRunner, &dropbear, VERSION_TIMEOUT),
            Err(Problem::NotOpenSsh(String::from("Dropbear v2022.83")))
        );
        let failing = script(dir.path(), "broken", "echo 'no such option' >&2; exit 3");
        let Err(Problem::Failed(why)) = run_version(&SystemRunner, &failing, VERSION_TIMEOUT)
        else {
            panic!("a failing -V");
        };
        assert_eq!(why, "exit status 3: no such option");
    }

    #[test]
    fn a_missing_program_is_a_finding_with_the_fix() {
        let choice = choose(&Request {
            version: None,
            program: Some((String::from("/nonexistent/gord/ssh"), Source::RemoteSsh)),
        });
        assert_eq!(
            choice.problem,
            Some(Problem::Missing(String::from("/nonexistent/gord/ssh")))
        );
        let (text, _) = choice.note().unwrap();
        assert!(
            text.starts_with(
                "/nonexistent/gord/ssh (from Remote-SSH's remote.SSH.path setting) does not exist"
            ),
            "{text}"
        );
        assert!(text.contains("which ssh"), "{text}");
    }

    #[test]
    fn a_version_argument_runs_nothing_and_a_newer_one_is_noted() {
        let choice = choose(&Request {
            version: Some(parse_version_argument("11.2p1").unwrap()),
            program: Some((String::from("/nonexistent"), Source::Cli)),
        });
        assert_eq!(choice.program, None);
        assert_eq!(choice.semantics.release.to_string(), "10.5p1");
        let (text, info) = choice.note().unwrap();
        assert!(info);
        assert!(
            text.starts_with("OpenSSH 11.2p1 is newer than the releases gord knows"),
            "{text}"
        );
        assert_eq!(
            choice.summary(),
            "OpenSSH 11.2p1, read with the rules of 10.5p1 (from --ssh-version)"
        );
    }

    #[test]
    fn dash_v_is_read_once_per_path_and_modification_time() {
        let dir = tempfile::tempdir().unwrap();
        let count = dir.path().join("count");
        let ssh = script(
            dir.path(),
            "ssh",
            &format!(
                "echo x >> '{}'\necho 'OpenSSH_9.2p1, OpenSSL 3.0.0' >&2",
                count.display()
            ),
        );
        for _ in 0..3 {
            assert_eq!(
                version_of(&ssh).map(|v| v.release.to_string()),
                Ok(String::from("9.2p1"))
            );
        }
        assert_eq!(std::fs::read_to_string(&count).unwrap().lines().count(), 1);
    }
}
