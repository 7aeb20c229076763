//! Which linter runs and with which flags: golangci-lint (its major version
//! read from `--version`, its flags from `run --help`, so gord never passes a
//! flag the installed version lacks), else `go vet`.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::exec::{CommandSpec, ExecError, ProcessRunner};
use crate::toolchain::ProgramMemo;

use super::model::ToolKind;

/// An installed linter, ready to build command lines for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Linter {
    pub kind: ToolKind,
    pub program: PathBuf,
    /// golangci-lint's version (`2.15.0`); empty for go vet.
    pub version: String,
    /// golangci-lint's major version: 1 or 2 (0 for go vet).
    pub major: u8,
    /// The `run` flags this golangci-lint accepts.
    flags: BTreeSet<String>,
}

/// Time allowed for `--version` and `run --help`.
const PROBE_TIMEOUT: Duration = Duration::from_secs(20);

/// The version in `golangci-lint --version` output: `golangci-lint has
/// version 2.15.0 built with ...` (v1 says the same; some builds add a `v`).
pub fn parse_version(text: &str) -> Option<(String, u8)> {
    let rest = &text[text.find("version ")? + "version ".len()..];
    let version: String = rest
        .trim_start_matches('v')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
        .collect();
    let major: u8 = version.split('.').next()?.parse().ok()?;
    Some((version, major))
}

/// The long flags (`--name`) a `--help` text lists.
pub fn parse_flags(help: &str) -> BTreeSet<String> {
    help.lines()
        .flat_map(|line| line.split_whitespace())
        .filter_map(|word| word.strip_prefix("--"))
        .map(|flag| {
            flag.split(['=', ',', '[', ' '])
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .filter(|flag| {
            !flag.is_empty()
                && flag
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        })
        .collect()
}

/// golangci-lint probes, once per binary (path and modification time): in
/// this process, and kept in the user's cache directory
/// ([`PROBES_FILE`]) for the next one, so `gord lint` and `gord check` do
/// not run `--version` and `run --help` (about 0.1 s together) every time.
static PROBED: ProgramMemo<Linter> = ProgramMemo::new();

/// The file under gord's cache directory that keeps [`PROBED`].
pub const PROBES_FILE: &str = "golangci-lint-probes.json";

impl Linter {
    /// The golangci-lint at `program`: what it said before, while it is the
    /// same binary, else probed ([`Self::probe_golangci`]) and remembered.
    pub async fn golangci(
        runner: &dyn ProcessRunner,
        program: &Path,
    ) -> Result<Linter, ProbeError> {
        static LOADED: std::sync::Once = std::sync::Once::new();
        let env = crate::check::Environment::from_process();
        let kept = crate::toolchain::user_cache_file(&env, PROBES_FILE);
        if let Some(file) = &kept {
            LOADED.call_once(|| PROBED.load(file));
        }
        if let Some(known) = PROBED.get(program) {
            return Ok(known);
        }
        let linter = Self::probe_golangci(runner, program).await?;
        PROBED.insert(program, linter.clone());
        if let Some(file) = &kept {
            if let Err(e) = PROBED.save(file) {
                tracing::debug!(
                    "cannot keep golangci-lint's probe in {}: {e}",
                    file.display()
                );
            }
        }
        Ok(linter)
    }

    /// Asks the golangci-lint at `program` its version and `run` flags.
    pub async fn probe_golangci(
        runner: &dyn ProcessRunner,
        program: &Path,
    ) -> Result<Linter, ProbeError> {
        let version_out = runner
            .run(
                CommandSpec::new(program)
                    .arg("--version")
                    .timeout(PROBE_TIMEOUT),
            )
            .await?;
        let text = version_out.stdout_text() + &version_out.stderr_text();
        let (version, major) = parse_version(&text).ok_or_else(|| ProbeError::Version {
            program: program.to_path_buf(),
            output: text.lines().next().unwrap_or_default().to_string(),
        })?;
        let help = runner
            .run(
                CommandSpec::new(program)
                    .args(["run", "--help"])
                    .timeout(PROBE_TIMEOUT),
            )
            .await?;
        let flags = parse_flags(&(help.stdout_text() + &help.stderr_text()));
        Ok(Linter {
            kind: ToolKind::GolangciLint,
            program: program.to_path_buf(),
            version,
            major,
            flags,
        })
    }

    /// `go vet`, through the `go` at `program`.
    pub fn go_vet(program: &Path) -> Linter {
        Linter {
            kind: ToolKind::GoVet,
            program: program.to_path_buf(),
            version: String::new(),
            major: 0,
            flags: BTreeSet::new(),
        }
    }

    pub fn accepts(&self, flag: &str) -> bool {
        self.flags.contains(flag)
    }

    /// A golangci-lint that reports in v2's form; the v1 flags otherwise.
    fn json_flags(&self) -> Vec<String> {
        let mut wanted: Vec<(&str, &str)> = if self.major >= 2 {
            vec![
                ("output.json.path", "stdout"),
                ("path-mode", "abs"),
                ("show-stats", "false"),
            ]
        } else {
            vec![
                ("out-format", "json"),
                ("print-issued-lines", "false"),
                ("show-stats", "false"),
            ]
        };
        // An editor shows every issue: no per-linter caps, several per line.
        wanted.extend([
            ("max-issues-per-linter", "0"),
            ("max-same-issues", "0"),
            ("uniq-by-line", "false"),
        ]);
        let mut flags: Vec<String> = wanted
            .into_iter()
            .filter(|(flag, _)| self.accepts(flag))
            .map(|(flag, value)| format!("--{flag}={value}"))
            .collect();
        // A golangci-lint the user runs in a terminal must not block ours.
        if self.accepts("allow-parallel-runners") {
            flags.push("--allow-parallel-runners".into());
        }
        flags
    }

    /// The command that lints `patterns` (`./pkg`, `./...`) of the module
    /// at `module_root`, from there.
    pub fn command(
        &self,
        module_root: &Path,
        patterns: &[String],
        timeout: Duration,
    ) -> CommandSpec {
        let mut args: Vec<OsString> = match self.kind {
            ToolKind::GolangciLint => {
                let mut args: Vec<OsString> = vec!["run".into()];
                args.extend(self.json_flags().into_iter().map(OsString::from));
                args
            }
            ToolKind::GoVet => vec!["vet".into(), "-json".into()],
        };
        // Patterns start with `./`, so none is read as a flag.
        args.extend(patterns.iter().map(OsString::from));
        CommandSpec::new(&self.program)
            .args(args)
            .cwd(module_root)
            .timeout(timeout)
            // 100,000 issues are tens of megabytes of JSON.
            .output_cap(512 * 1024 * 1024)
    }

    /// What to call it in messages.
    pub fn describe(&self) -> String {
        match self.kind {
            ToolKind::GolangciLint => format!("golangci-lint {}", self.version),
            ToolKind::GoVet => "go vet".to_string(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error(transparent)]
    Exec(#[from] ExecError),
    #[error("{} did not say its version (it printed: {output:?})", program.display())]
    Version { program: PathBuf, output: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_v1_and_v2_version_lines() {
        assert_eq!(
            parse_version("golangci-lint has version 2.15.0 built with go1.26.8 from (unknown)"),
            Some(("2.15.0".into(), 2))
        );
        assert_eq!(
            parse_version("golangci-lint has version v1.64.8 built with go1.26.8"),
            Some(("1.64.8".into(), 1))
        );
        assert_eq!(parse_version("something else"), None);
        assert_eq!(parse_version("version x.y"), None);
    }

    const V2_HELP: &str = "      --output.json.path stdout           Output path...\n      --path-mode string                  Path mode\n      --show-stats                        Show statistics (default true)\n      --max-issues-per-linter int\n      --max-same-issues int\n      --uniq-by-line\n      --allow-parallel-runners            Allow...\n  -c, --config PATH\n";

    #[test]
    fn help_text_gives_the_accepted_flags() {
        let flags = parse_flags(V2_HELP);
        for flag in [
            "output.json.path",
            "path-mode",
            "show-stats",
            "config",
            "allow-parallel-runners",
        ] {
            assert!(flags.contains(flag), "{flag} in {flags:?}");
        }
        assert!(!flags.contains("out-format"));
    }

    fn linter(major: u8, help: &str) -> Linter {
        Linter {
            kind: ToolKind::GolangciLint,
            program: "/bin/golangci-lint".into(),
            version: format!("{major}.0.0"),
            major,
            flags: parse_flags(help),
        }
    }

    fn args(spec: &CommandSpec) -> Vec<String> {
        spec.args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn v2_runs_with_json_on_stdout_and_absolute_paths() {
        let spec =
            linter(2, V2_HELP).command(Path::new("/m"), &["./pkg".into()], Duration::from_secs(5));
        assert_eq!(
            args(&spec),
            [
                "run",
                "--output.json.path=stdout",
                "--path-mode=abs",
                "--show-stats=false",
                "--max-issues-per-linter=0",
                "--max-same-issues=0",
                "--uniq-by-line=false",
                "--allow-parallel-runners",
                "./pkg"
            ]
        );
        assert_eq!(spec.cwd.as_deref(), Some(Path::new("/m")));
    }

    #[test]
    fn flags_the_installed_version_lacks_are_never_passed() {
        let v1_help = "      --out-format string\n      --max-same-issues int\n";
        let spec =
            linter(1, v1_help).command(Path::new("/m"), &["./...".into()], Duration::from_secs(5));
        assert_eq!(
            args(&spec),
            ["run", "--out-format=json", "--max-same-issues=0", "./..."]
        );
    }

    #[test]
    fn go_vet_runs_with_json() {
        let spec = Linter::go_vet(Path::new("/usr/bin/go")).command(
            Path::new("/m"),
            &["./a".into()],
            Duration::from_secs(5),
        );
        assert_eq!(args(&spec), ["vet", "-json", "./a"]);
    }
}
