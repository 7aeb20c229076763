//! The GO checks. Each reads shared facts from the probe and decides in plain
//! code; ids are stable and documented under docs/rules/.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures::future::{join_all, BoxFuture};

use crate::check::{Area, Check, CheckContext, FnCheck, Outcome, RunFn, Status};
use crate::finding::{Finding, Fix, Severity, Subject};
use crate::goenv::env::{snippet, GoEnv, DOWNLOAD_VARS};
use crate::goenv::gomod::{directives, module_files, Directive};
use crate::goenv::install;
use crate::goenv::probe::{
    go_command, go_env, locate, toolchain_version, version_of, GO_NOT_FOUND,
};
use crate::goenv::tools::{parse_build_info, pinned, BuildInfo, ToolSpec};
use crate::goenv::version::GoVersion;
use crate::redact::has_url_credentials;
use crate::toolchain::{dir_is_on_path, Found};

/// Every GO check, in report order.
pub fn catalogue() -> Vec<Arc<dyn Check>> {
    let check = |id, title, run: RunFn| FnCheck::shared(id, title, Area::Go, run);
    vec![
        check("GO001", "Go toolchain on PATH", go001_go_on_path),
        check("GO002", "Go version", go002_version),
        check("GO003", "Go environment (go env)", go003_env),
        check("GO004", "Go binaries directory on PATH", go004_bin_on_path),
        check("GO005", "Module proxy and private modules", go005_proxy),
        check("GO006", "Workspace Go version", go006_workspace_version),
        check("GO010", "gopls (Go language server)", go010_gopls),
        check("GO011", "Delve debugger (dlv)", go011_dlv),
        check("GO012", "golangci-lint", go012_golangci_lint),
        check("GO013", "staticcheck", go013_staticcheck),
        check(
            "GO030",
            "VS Code Go and gopls settings",
            super::vscode::go030,
        ),
        check("GO047", "cgo and the C compiler", super::cgo::go047_cgo),
        check(
            "GO050",
            "golangci-lint config",
            super::golangci_config::go050,
        ),
    ]
}

fn install_go_fix() -> Fix {
    Fix::advice(
        "Install Go (https://go.dev/doc/install) and put its bin directory (e.g. /usr/local/go/bin) on PATH \
         in ~/.profile for login shells and ~/.bashrc for non-login shells",
    )
}

fn go001_go_on_path(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        let located = locate(ctx).await;
        let Some(go) = &located.go else {
            let dirs: Vec<String> = ctx
                .locator()
                .path_dirs()
                .iter()
                .map(|d| d.display().to_string())
                .collect();
            return Outcome::error(format!(
                "{GO_NOT_FOUND}: no executable `go` in any PATH directory"
            ))
            .with_detail(format!("PATH directories searched:\n{}", dirs.join("\n")))
            .with_fix(install_go_fix());
        };
        let version = match toolchain_version(ctx).await {
            Ok(v) => v,
            Err(message) => {
                return Outcome::error(format!("go at {} does not work: {message}", go.display()))
                    .with_fix(install_go_fix())
            }
        };
        let mut outcome = Outcome::ok(format!("{} at {}", version.version, go.display()));
        if located.shadowed.is_empty() {
            return outcome;
        }
        let others = join_all(located.shadowed.iter().map(|p| version_of(ctx, p))).await;
        let mut lines = Vec::new();
        let mut differing = Vec::new();
        for (path, other) in located.shadowed.iter().zip(others) {
            let text = match &other {
                Ok(v) if v.version != version.version => {
                    differing.push(format!("{} ({})", path.display(), v.version));
                    v.version.to_string()
                }
                Ok(v) => v.version.to_string(),
                Err(e) => format!("does not run: {e}"),
            };
            lines.push(format!("shadowed: {} — {text}", path.display()));
        }
        outcome = outcome.with_detail(lines.join("\n"));
        if !differing.is_empty() {
            outcome.status = Status::Warning;
            outcome.message = format!(
                "{} at {} shadows another Go on PATH: {}; a shell or tool with a different PATH (a non-login shell, \
                 a systemd unit, VS Code's server) may run that one instead",
                version.version,
                go.display(),
                differing.join(", ")
            );
            outcome.fix = Some(Fix::advice(
                "Remove the other Go installation, or make every shell profile put the same Go first on PATH",
            ));
        }
        outcome
    })
}

fn go002_version(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        let version = match toolchain_version(ctx).await {
            Ok(v) => &v.version,
            Err(message) => return Outcome::skipped(format!("no working go ({message})")),
        };
        let minimum = &ctx.settings.minimum_go;
        if version < minimum {
            Outcome::warning(format!(
                "{version} is older than the minimum {minimum}: current gopls and golangci-lint releases need a newer Go"
            ))
            .with_fix(Fix::advice(format!(
                "Install {minimum} or newer, or lower gord.go.minimumVersion (CLI: --min-go-version) if this is intended"
            )))
        } else {
            Outcome::ok(format!("{version} (minimum {minimum})"))
        }
    })
}

fn go003_env(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        if locate(ctx).await.go.is_none() {
            return Outcome::skipped(GO_NOT_FOUND);
        }
        match go_env(ctx).await {
            Ok(env) => Outcome::ok(format!(
                "GOROOT={} GOPATH={}",
                env.display("GOROOT"),
                env.display("GOPATH")
            ))
            .with_detail(env.summary_lines()),
            Err(message) => Outcome::error(message.to_string()).with_fix(Fix::advice(
                "Run `go env` in a terminal to see the error; check GOROOT, GOENV and the file `go env GOENV` names",
            )),
        }
    })
}

fn go004_bin_on_path(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        let env = match go_env(ctx).await {
            Ok(env) => env,
            Err(message) => return Outcome::skipped(format!("go env unavailable ({message})")),
        };
        let Some(dir) = crate::toolchain::install_dir(Some(env), &ctx.env) else {
            let outcome = Outcome::warning(
                "neither GOBIN nor GOPATH is set, so `go install` has nowhere to put tools",
            );
            // Go leaves GOPATH empty when ~/go is GOROOT itself; never suggest that.
            let goroot = env.get("GOROOT").map(PathBuf::from);
            return match ctx.env.home() {
                Some(home) => {
                    let mut dir = home.join("go");
                    if goroot.as_ref() == Some(&dir) {
                        dir = home.join("gopath");
                    }
                    let setting = format!("GOPATH={}", dir.display());
                    outcome.with_fix(Fix::run(
                        format!("Set {setting}"),
                        ["go".into(), "env".into(), "-w".into(), setting],
                    ))
                }
                None => outcome.with_fix(Fix::advice("Set GOPATH with `go env -w GOPATH=<dir>`")),
            };
        };
        let which = if env.get("GOBIN").is_some() {
            "GOBIN"
        } else {
            "GOPATH/bin"
        };
        if dir_is_on_path(&dir, &ctx.env.path_dirs()) {
            Outcome::ok(format!("{which} ({}) is on PATH", dir.display()))
        } else {
            Outcome::warning(format!(
                "{which} ({}) is not on PATH: tools installed with `go install` (gopls, dlv, golangci-lint) are not found by \
                 shells or by tools that search PATH",
                dir.display()
            ))
            .with_fix(Fix::advice(format!(
                "Add `export PATH=\"$PATH:{}\"` to ~/.profile (login shells) and ~/.bashrc (non-login shells, as \
                 Remote-SSH may start)",
                dir.display()
            )))
        }
    })
}

/// Judges module-download settings; pure, for tests.
pub(crate) fn judge_proxy(env: &GoEnv) -> Outcome {
    let proxy = env.get("GOPROXY").unwrap_or("");
    let shown = env.display("GOPROXY");
    let detail = env.lines_of(DOWNLOAD_VARS);
    let outcome = if has_url_credentials(proxy) {
        Outcome::warning(format!(
            "GOPROXY carries credentials in its URL ({shown}): they show up in process lists, logs and bug reports"
        ))
        .with_fix(Fix::advice(
            "Remove the user:password from GOPROXY and put them in ~/.netrc (mode 600): \
             `machine <proxy host> login <user> password <token>`",
        ))
    } else if proxy == "off" {
        Outcome::warning(
            "GOPROXY=off: the go command cannot download any module; builds work only while every module is already cached",
        )
        .with_fix(Fix::run(
            "Restore the default proxy",
            ["go", "env", "-u", "GOPROXY"],
        ))
    } else if env.get("GOSUMDB") == Some("off") && env.get("GOPRIVATE").is_none() {
        Outcome::warning(
            "GOSUMDB=off turns off checksum verification for every module; for private modules set GOPRIVATE instead",
        )
        .with_fix(Fix::run("Restore checksum verification", ["go", "env", "-u", "GOSUMDB"]))
    } else {
        let private = env
            .get("GOPRIVATE")
            .map(|p| format!("; private modules: {p}"))
            .unwrap_or_default();
        Outcome::ok(format!("GOPROXY={shown}{private}"))
    };
    outcome.with_detail(detail)
}

fn go005_proxy(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        match go_env(ctx).await {
            Ok(env) => judge_proxy(env),
            Err(message) => Outcome::skipped(format!("go env unavailable ({message})")),
        }
    })
}

/// Compares one module file's directives with the local toolchain; pure.
pub(crate) fn judge_module_file(
    path: &std::path::Path,
    file_name: &str,
    found: &[Directive],
    local: &GoVersion,
    gotoolchain: &str,
    proxy_off: bool,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for directive in found {
        let at = Subject::file(path, directive.range);
        let parsed = match directive.keyword {
            "toolchain" if directive.value == "default" => continue,
            "toolchain" => directive
                .value
                .strip_prefix("go")
                .and_then(|v| GoVersion::parse(v).ok()),
            _ => GoVersion::parse(&directive.value)
                .ok()
                .filter(|_| !directive.value.starts_with("go")),
        };
        let Some(required) = parsed else {
            findings.push(Finding::new(
                "GO006",
                Severity::Error,
                format!(
                    "invalid {} version '{}': must match format {}",
                    directive.keyword,
                    directive.value,
                    if directive.keyword == "go" {
                        "1.23.0"
                    } else {
                        "go1.23.0"
                    }
                ),
                at,
            ));
            continue;
        };
        if &required <= local {
            continue;
        }
        // GOTOOLCHAIN=local or …path forbids downloads. Then a newer `toolchain`
        // line is only a preference go ignores; a newer `go` line is fatal.
        let no_download = gotoolchain == "local" || gotoolchain.ends_with("path");
        if directive.keyword == "toolchain" && no_download {
            continue;
        }
        let plain = required.to_string();
        let plain = plain.trim_start_matches("go");
        let local_plain = local.to_string();
        let local_plain = local_plain.trim_start_matches("go");
        let (message, severity, fix) = if no_download {
            (
                // Go's own words for this failure.
                format!(
                    "{file_name} requires go >= {plain} (running go {local_plain}; GOTOOLCHAIN={gotoolchain}): every go command \
                     in this module fails, and gopls cannot load it"
                ),
                Severity::Error,
                Fix::run(
                    "Let go fetch the required toolchain: go env -w GOTOOLCHAIN=auto",
                    ["go", "env", "-w", "GOTOOLCHAIN=auto"],
                ),
            )
        } else if proxy_off {
            (
                format!(
                    "{file_name} requires go >= {plain} but the local toolchain is go {local_plain}, and GOPROXY=off stops go \
                     from downloading go{plain}: every go command in this module fails"
                ),
                Severity::Error,
                Fix::advice(format!("Install go{plain} or newer on this machine")),
            )
        } else {
            (
                format!(
                    "{file_name} requires go >= {plain}; the local toolchain is go {local_plain}, so the first go command \
                     downloads go{plain} from GOPROXY (on a remote without network access it fails)"
                ),
                Severity::Warning,
                Fix::advice(format!(
                    "Install go{plain} or newer on this machine to avoid the download"
                )),
            )
        };
        findings.push(Finding::new("GO006", severity, message, at).with_fix(fix));
    }
    findings
}

fn go006_workspace_version(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        let Some(workspace) = &ctx.workspace else {
            return Outcome::skipped("no workspace folder to look at");
        };
        // The walk and the reads block: off the async workers, so the
        // check's timeout still fires on a hostile tree.
        let root = workspace.clone();
        let Ok((files, texts)) = tokio::task::spawn_blocking(move || {
            let files = module_files(&root);
            let texts: Vec<_> = files
                .iter()
                .map(|file| crate::fsread::read_module_file(file, &root))
                .collect();
            (files, texts)
        })
        .await
        else {
            return Outcome::error("reading the module files failed");
        };
        if files.is_empty() {
            return Outcome::skipped(format!(
                "no go.mod or go.work under {}",
                workspace.display()
            ));
        }
        let local = match toolchain_version(ctx).await {
            Ok(v) => v.version.clone(),
            Err(message) => return Outcome::skipped(format!("no working go ({message})")),
        };
        let (gotoolchain, proxy_off) = match go_env(ctx).await {
            Ok(env) => (
                env.get("GOTOOLCHAIN").unwrap_or("auto").to_string(),
                env.get("GOPROXY") == Some("off"),
            ),
            Err(_) => (String::from("auto"), false),
        };
        let mut findings = Vec::new();
        let mut unreadable = Vec::new();
        for (file, text) in files.iter().zip(texts) {
            let text = match text {
                Ok(text) => text,
                Err(e) => {
                    unreadable.push(e.to_string());
                    continue;
                }
            };
            let name = relative_name(workspace, file);
            findings.extend(judge_module_file(
                file,
                &name,
                &directives(&text),
                &local,
                &gotoolchain,
                proxy_off,
            ));
        }
        let names: Vec<String> = files.iter().map(|f| relative_name(workspace, f)).collect();
        let detail = format!(
            "module files: {}\nlocal toolchain: {local}\nGOTOOLCHAIN={gotoolchain}{}",
            names.join(", "),
            if unreadable.is_empty() {
                String::new()
            } else {
                format!("\nunreadable: {}", unreadable.join("; "))
            }
        );
        let worst = crate::finding::worst(&findings);
        let outcome = match worst {
            None if unreadable.is_empty() => Outcome::ok(format!(
                "{} module file{} within {local}",
                files.len(),
                if files.len() == 1 { "" } else { "s" }
            )),
            // Each entry names its file and says why (fsread's errors).
            None => Outcome::warning(unreadable.join("; ")),
            Some(_) => {
                let first = findings[0].message.clone();
                let more = findings.len() - 1;
                let mut outcome = if worst == Some(Severity::Error) {
                    Outcome::error(first)
                } else {
                    Outcome::warning(first)
                };
                if more > 0 {
                    outcome.message.push_str(&format!(" (and {more} more)"));
                }
                outcome.fix = findings[0].fix().cloned();
                outcome
            }
        };
        outcome.with_detail(detail).with_findings(findings)
    })
}

fn relative_name(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string()
}

/// GO010..GO013: one installed Go tool each.
fn go010_gopls(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(check_tool(ctx, "gopls"))
}

fn go011_dlv(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(check_tool(ctx, "dlv"))
}

fn go012_golangci_lint(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(check_tool(ctx, "golangci-lint"))
}

fn go013_staticcheck(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(check_tool(ctx, "staticcheck"))
}

/// What a user loses without the tool, said after "not installed".
fn missing_consequence(name: &str) -> &'static str {
    match name {
        "gopls" => ". The Go extension's completion, navigation and diagnostics need it",
        "dlv" => ". Debugging (and gord's attach) needs it",
        "golangci-lint" => {
            ". Lint on save falls back to go vet, with fewer linters and fewer quick fixes"
        }
        _ => "",
    }
}

/// Checks one tool, then makes sure its `go install` fix, if it has one,
/// can succeed here ([`crate::goenv::install`]).
async fn check_tool(ctx: &CheckContext, name: &str) -> Outcome {
    let outcome = check_tool_as_found(ctx, name).await;
    installable(ctx, name, outcome).await
}

/// Replaces a `go install` fix that cannot succeed with one that can (or
/// with advice), and says why in the message. Without a working go the fix
/// stays: GO001 says to install Go first.
async fn installable(ctx: &CheckContext, name: &str, mut outcome: Outcome) -> Outcome {
    let Some((package, version)) = outcome.fix.as_ref().and_then(install::installed_by) else {
        return outcome;
    };
    let (Some(go), Ok(local)) = (locate(ctx).await.go.clone(), toolchain_version(ctx).await) else {
        return outcome;
    };
    let local = local.version.clone();
    let env = go_env(ctx).await.ok();
    let (facts, plan) = install::plan(ctx, &go, env, &local, &package, &version).await;
    let Some(fix) = outcome.fix.clone() else {
        return outcome;
    };
    if let Some((why, instead)) = install::explain(&facts, &plan, name, &fix) {
        outcome.message.push_str(&why);
        outcome.fix = Some(instead);
    }
    outcome
}

async fn check_tool_as_found(ctx: &CheckContext, name: &str) -> Outcome {
    let Some(spec) = pinned(name) else {
        return Outcome::error(format!(
            "{name} is not pinned in versions.env; this is a bug in gord"
        ));
    };
    let env = go_env(ctx).await.ok();
    let install_fix = Fix::run(
        format!("Install {name}: {}", spec.install_argv().join(" ")),
        spec.install_argv(),
    );
    let found = ctx.locator().find(name, env);
    // The program the Go extension starts, when its own order (settings,
    // GOBIN, GOPATH before PATH) picks another one than a shell would.
    let tools = crate::goenv::vscode::editor_tools(ctx).await;
    let editor = ctx
        .locator()
        .find_as_editor(name, &tools, env)
        .filter(|(p, _)| Some(p.as_path()) != found.path());
    if let Some((path, why)) = editor {
        let instead = match found.path() {
            Some(other) => format!("not {}", other.display()),
            None => String::from("which a shell does not find"),
        };
        let mut outcome = judge_found(ctx, name, &spec, &path, install_fix).await;
        outcome.message.push_str(&format!(
            "; the Go extension starts this one ({}), {instead}",
            why.describe()
        ));
        return outcome;
    }
    let path = match found {
        Found::Missing { install_dir } => {
            let also = install_dir
                .iter()
                .map(|d| format!(", nor in {}", d.display()))
                .collect::<String>();
            return Outcome::warning(format!(
                "{name} is not installed: not on PATH{also}{}",
                missing_consequence(name)
            ))
            .with_fix(install_fix);
        }
        Found::InInstallDir(path) => {
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            return Outcome::warning(format!(
                "{name} is installed at {} but {} is not on PATH, so shells and tools that search PATH do not find it",
                path.display(),
                dir.display()
            ))
            .with_fix(Fix::advice(format!(
                "Add `export PATH=\"$PATH:{}\"` to ~/.profile and ~/.bashrc",
                dir.display()
            )));
        }
        Found::OnPath(path) => path,
    };
    judge_found(ctx, name, &spec, &path, install_fix).await
}

/// Reads the build of the `name` at `path` and judges it.
async fn judge_found(
    ctx: &CheckContext,
    name: &str,
    spec: &ToolSpec,
    path: &Path,
    install_fix: Fix,
) -> Outcome {
    let toolchain = toolchain_version(ctx).await.ok().map(|t| t.version.clone());
    let Some(go) = locate(ctx).await.go.clone() else {
        return Outcome::warning(format!(
            "{name} is at {}, but without go its version and build cannot be read",
            path.display()
        ));
    };
    let out = ctx
        .runner
        .run(
            go_command(ctx, &go)
                .args(["version", "-m"])
                .arg(path.as_os_str()),
        )
        .await;
    let info = match out {
        Ok(out) if out.success() => parse_build_info(&out.stdout_text()).map_err(|e| e.to_string()),
        Ok(out) => Err(snippet(&out.first_error_line())),
        Err(e) => Err(e.to_string()),
    };
    match info {
        Ok(info) => judge_tool(name, path, &info, toolchain.as_ref(), spec),
        Err(message) => Outcome::warning(format!(
            "{name} at {} is not a Go program gord can read the build of: {message}",
            path.display()
        ))
        .with_fix(install_fix),
    }
}

/// Verdict on one found tool; pure, for tests.
pub(crate) fn judge_tool(
    name: &str,
    path: &Path,
    info: &BuildInfo,
    toolchain: Option<&GoVersion>,
    spec: &ToolSpec,
) -> Outcome {
    let version = info
        .module
        .as_ref()
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| String::from("(unknown version)"));
    let built = &info.go_version;
    let detail = format!(
        "path: {}\nmodule: {}\nbuilt with: {built}\ngord is tested with: {}",
        path.display(),
        info.module
            .as_ref()
            .map(|(m, v)| format!("{m} {v}"))
            .unwrap_or_else(|| String::from("(none)")),
        spec.version
    );
    if let Some(toolchain) = toolchain {
        if built.language() < toolchain.language() {
            let rebuild_version = if version.starts_with('v') {
                &version
            } else {
                &spec.version
            };
            let argv = vec![
                String::from("go"),
                String::from("install"),
                format!("{}@{rebuild_version}", spec.package),
            ];
            return Outcome::warning(format!(
                "{name} {version} was built with {built}, older than the toolchain ({toolchain}): it may not understand \
                 code that uses newer language features; rebuild it with the current Go"
            ))
            .with_detail(detail)
            .with_fix(Fix::run(format!("Rebuild {name}: {}", argv.join(" ")), argv));
        }
    }
    Outcome::ok(format!(
        "{name} {version} (built with {built}) at {}",
        path.display()
    ))
    .with_detail(detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Position, Range};
    use std::path::Path;

    /// GO006's findings for a go.mod with `found`, run by the local go
    /// 1.26.8 under this GOTOOLCHAIN, with or without GOPROXY=off.
    fn judged(found: &[Directive], gotoolchain: &str, proxy_off: bool) -> Vec<Finding> {
        judge_module_file(
            Path::new("/m/go.mod"),
            "go.mod",
            found,
            &local(),
            gotoolchain,
            proxy_off,
        )
    }

    fn directive(keyword: &'static str, value: &str) -> Directive {
        Directive {
            keyword,
            value: value.into(),
            range: Range::new(
                Position::new(2, 3),
                Position::new(2, 3 + value.len() as u32),
            ),
        }
    }

    fn local() -> GoVersion {
        GoVersion::new(1, 26, Some(8))
    }

    #[test]
    fn go006_passes_a_module_within_the_local_toolchain() {
        let found = [directive("go", "1.22"), directive("toolchain", "go1.26.0")];
        assert!(judged(&found, "auto", false).is_empty());
    }

    #[test]
    fn go006_is_an_error_when_a_newer_go_is_required_and_gotoolchain_is_local() {
        let found = [directive("go", "1.27.1")];
        let findings = judged(&found, "local", false);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Error);
        assert!(findings[0]
            .message
            .starts_with("go.mod requires go >= 1.27.1 (running go 1.26.8; GOTOOLCHAIN=local)"));
        assert_eq!(findings[0].range().unwrap().start, Position::new(2, 3));
        let fix = findings[0].fix().unwrap();
        assert_eq!(
            fix.command.as_deref().unwrap(),
            ["go", "env", "-w", "GOTOOLCHAIN=auto"]
        );
    }

    #[test]
    fn go006_warns_about_the_toolchain_download_when_switching_is_allowed() {
        let found = [directive("toolchain", "go1.27.0")];
        let findings = judged(&found, "auto", false);
        assert_eq!(findings[0].severity, Severity::Warning);
        assert!(findings[0]
            .message
            .contains("downloads go1.27.0 from GOPROXY"));
        let offline = judged(&found, "auto", true);
        assert_eq!(offline[0].severity, Severity::Error);
    }

    #[test]
    fn go006_ignores_a_newer_toolchain_line_when_downloads_are_off() {
        let found = [directive("go", "1.22"), directive("toolchain", "go1.27.0")];
        for setting in ["local", "path", "go1.26.8+path"] {
            let findings = judged(&found, setting, false);
            assert!(findings.is_empty(), "GOTOOLCHAIN={setting}: {findings:?}");
        }
        let newer_go = [directive("go", "1.27.0")];
        let findings = judged(&newer_go, "path", false);
        assert_eq!(findings[0].severity, Severity::Error);
        assert!(findings[0].message.contains("GOTOOLCHAIN=path"));
    }

    #[test]
    fn go006_flags_a_malformed_version_in_go_words() {
        let findings = judged(&[directive("go", "1.x")], "auto", false);
        assert_eq!(
            findings[0].message,
            "invalid go version '1.x': must match format 1.23.0"
        );
        let findings = judged(&[directive("go", "go1.22")], "auto", false);
        assert_eq!(
            findings[0].severity,
            Severity::Error,
            "the go line takes no go prefix"
        );
    }

    #[test]
    fn go005_flags_credentials_in_goproxy_without_printing_them() {
        let env =
            GoEnv::from_pairs(&[("GOPROXY", "https://bob:hunter2@athens.corp.example,direct")]);
        let outcome = judge_proxy(&env);
        assert_eq!(outcome.status, Status::Warning);
        let everything = format!("{outcome:?}");
        assert!(!everything.contains("hunter2"), "{everything}");
        assert!(outcome.message.contains("https://***@athens.corp.example"));
    }

    #[test]
    fn go005_warns_when_downloads_or_checksums_are_off() {
        let off = judge_proxy(&GoEnv::from_pairs(&[("GOPROXY", "off")]));
        assert_eq!(off.status, Status::Warning);
        assert_eq!(
            off.fix.unwrap().command.unwrap(),
            ["go", "env", "-u", "GOPROXY"]
        );
        let nosum = judge_proxy(&GoEnv::from_pairs(&[
            ("GOPROXY", "https://proxy.golang.org"),
            ("GOSUMDB", "off"),
        ]));
        assert_eq!(nosum.status, Status::Warning);
        let fine = judge_proxy(&GoEnv::from_pairs(&[
            ("GOPROXY", "https://proxy.golang.org,direct"),
            ("GOPRIVATE", "git.corp.example"),
        ]));
        assert_eq!(fine.status, Status::Ok);
        assert!(fine.message.contains("private modules: git.corp.example"));
    }

    fn gopls_spec() -> ToolSpec {
        pinned("gopls").unwrap()
    }

    /// judge_tool on the gopls at `at`, built by `go` from gopls `version`
    /// (with `main` as its main package path, when recorded).
    fn judge_gopls(at: &str, go: GoVersion, main: Option<&str>, version: &str) -> Outcome {
        let info = BuildInfo {
            go_version: go,
            path: main.map(String::from),
            module: Some(("golang.org/x/tools/gopls".into(), version.into())),
        };
        judge_tool("gopls", Path::new(at), &info, Some(&local()), &gopls_spec())
    }

    #[test]
    fn tools_built_with_an_older_go_are_flagged_with_a_rebuild_command() {
        let outcome = judge_gopls(
            "/u/go/bin/gopls",
            GoVersion::new(1, 24, Some(2)),
            Some("golang.org/x/tools/gopls"),
            "v0.21.0",
        );
        assert_eq!(outcome.status, Status::Warning);
        assert!(outcome
            .message
            .contains("built with go1.24.2, older than the toolchain (go1.26.8)"));
        assert_eq!(
            outcome.fix.unwrap().command.unwrap(),
            ["go", "install", "golang.org/x/tools/gopls@v0.21.0"]
        );
    }

    #[test]
    fn a_patch_level_difference_is_not_a_problem() {
        let outcome = judge_gopls("/g", GoVersion::new(1, 26, Some(1)), None, "v0.23.0");
        assert_eq!(outcome.status, Status::Ok);
        assert!(outcome
            .message
            .starts_with("gopls v0.23.0 (built with go1.26.1)"));
    }
}
