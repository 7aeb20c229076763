//! GO047: cgo switched on (`CGO_ENABLED=1` in `go env`) with no C compiler
//! (`go env CC`) to run. Since Go 1.20 the go command turns cgo off by
//! itself when it finds no compiler, so this is a setting someone made;
//! every package that imports "C" (and the standard library's runtime/cgo)
//! then fails to build.

use std::path::Path;

use futures::future::BoxFuture;

use crate::check::{CheckContext, Outcome};
use crate::finding::Fix;
use crate::fsread::{self, Kind};
use crate::goenv::probe::go_env;

/// The program of a `CC` value: its first word (`gcc -m32` runs `gcc`).
pub fn compiler_program(cc: &str) -> &str {
    cc.split_whitespace().next().unwrap_or("gcc")
}

/// The command that installs a C compiler on the distribution an
/// /etc/os-release text describes (its `ID` and `ID_LIKE`).
pub fn install_compiler(os_release: &str) -> Option<Vec<&'static str>> {
    let ids: Vec<String> = os_release
        .lines()
        .filter_map(|l| l.strip_prefix("ID=").or_else(|| l.strip_prefix("ID_LIKE=")))
        .flat_map(|v| {
            v.trim_matches('"')
                .split_whitespace()
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
        })
        .collect();
    let is = |names: &[&str]| ids.iter().any(|id| names.contains(&id.as_str()));
    if is(&["debian", "ubuntu"]) {
        Some(vec!["sudo", "apt-get", "install", "-y", "gcc"])
    } else if is(&["fedora", "rhel", "centos"]) {
        Some(vec!["sudo", "dnf", "install", "-y", "gcc"])
    } else if is(&["alpine"]) {
        Some(vec!["sudo", "apk", "add", "build-base"])
    } else if is(&["arch"]) {
        Some(vec!["sudo", "pacman", "-S", "--needed", "gcc"])
    } else if is(&["suse", "opensuse"]) {
        Some(vec!["sudo", "zypper", "install", "-y", "gcc"])
    } else {
        None
    }
}

/// The verdict from the facts; pure.
/// `found` is where the compiler is, None when it is nowhere on PATH.
pub fn judge(
    cgo_enabled: Option<&str>,
    cc: &str,
    found: Option<&Path>,
    from_environment: bool,
    install: Option<Vec<&'static str>>,
) -> Outcome {
    if cgo_enabled != Some("1") {
        return Outcome::ok("CGO_ENABLED=0: cgo is off, so no C compiler is needed");
    }
    let program = compiler_program(cc);
    if let Some(path) = found {
        return Outcome::ok(format!(
            "CGO_ENABLED=1, C compiler {program} at {}",
            path.display()
        ));
    }
    let install_fix = match install {
        Some(argv) => Fix::run(format!("Install a C compiler: {}", argv.join(" ")), argv),
        None => {
            Fix::advice("Install a C compiler (gcc or clang) with the system's package manager")
        }
    };
    let off_fix = if from_environment {
        Fix::advice(
            "Where the workspace does not need cgo, remove CGO_ENABLED=1 from the environment (shell profile, \
             devcontainer.json containerEnv) or set it to 0",
        )
    } else {
        Fix::run(
            "Turn cgo off where the workspace does not need it: go env -w CGO_ENABLED=0",
            ["go", "env", "-w", "CGO_ENABLED=0"],
        )
    };
    let mut outcome = Outcome::error(format!(
        "CGO_ENABLED=1 but the C compiler {program} is not on PATH: every build fails with \
         `cgo: C compiler \"{program}\" not found: exec: \"{program}\": executable file not found in $PATH`"
    ))
    .with_fix(install_fix);
    outcome.detail = Some(format!(
        "CGO_ENABLED=1 ({}), CC={cc}\n{}",
        if from_environment {
            "from the environment"
        } else {
            "from go env"
        },
        off_fix.title
    ));
    outcome
}

pub(super) fn go047_cgo(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        let env = match go_env(ctx).await {
            Ok(env) => env,
            Err(message) => return Outcome::skipped(format!("go env unavailable ({message})")),
        };
        let cc = env.get("CC").unwrap_or("gcc").to_string();
        let program = compiler_program(&cc);
        let found = if program.contains('/') {
            let path = Path::new(program);
            path.is_file().then(|| path.to_path_buf())
        } else {
            ctx.locator().all_on_path(program).into_iter().next()
        };
        let from_environment = ctx.env.get("CGO_ENABLED").is_some();
        let install = if found.is_none() {
            fsread::read_to_string(Path::new("/etc/os-release"), Kind::Settings)
                .ok()
                .and_then(|text| install_compiler(&text))
        } else {
            None
        };
        judge(
            env.get("CGO_ENABLED"),
            &cc,
            found.as_deref(),
            from_environment,
            install,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Status;

    #[test]
    fn cgo_off_or_a_compiler_on_path_is_fine() {
        assert_eq!(
            judge(Some("0"), "gcc", None, false, None).status,
            Status::Ok
        );
        let ok = judge(
            Some("1"),
            "gcc",
            Some(Path::new("/usr/bin/gcc")),
            false,
            None,
        );
        assert_eq!(ok.message, "CGO_ENABLED=1, C compiler gcc at /usr/bin/gcc");
    }

    #[test]
    fn cgo_on_without_a_compiler_quotes_go_and_offers_the_distros_package() {
        let install =
            install_compiler("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n");
        let outcome = judge(Some("1"), "clang -fno-color", None, false, install);
        assert_eq!(outcome.status, Status::Error);
        assert!(outcome.message.contains(
            "cgo: C compiler \"clang\" not found: exec: \"clang\": executable file not found in $PATH"
        ));
        let fix = outcome.fix.unwrap();
        assert_eq!(
            fix.command.unwrap(),
            ["sudo", "apt-get", "install", "-y", "gcc"]
        );
        assert!(outcome.detail.unwrap().contains("go env -w CGO_ENABLED=0"));
    }

    #[test]
    fn distributions_are_known_by_id_or_id_like() {
        assert_eq!(
            install_compiler("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n").unwrap()[1],
            "apt-get"
        );
        assert_eq!(
            install_compiler("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n").unwrap()[1],
            "dnf"
        );
        assert_eq!(install_compiler("ID=alpine\n").unwrap()[2], "add");
        assert_eq!(install_compiler("ID=nixos\n"), None);
    }
}
