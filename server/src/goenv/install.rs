//! Whether a `go install PACKAGE@VERSION` fix can succeed on this machine,
//! and what to offer when it cannot: the tool version's minimum Go (the `go`
//! line of its go.mod, from the module proxy through the real go command)
//! against the local Go, GOTOOLCHAIN, and whether modules and toolchains can
//! be downloaded at all.
//!
//! The lookups run the user's own go command with the user's environment
//! (GOPROXY, GOFLAGS, GONOSUMDB, GOTOOLCHAIN), so whatever would make the
//! install fail for the network (an unreachable or `off` proxy, a GOFLAGS
//! the go command refuses) makes the lookup fail the same way. Only light
//! requests are made: `go list -m -json MODULE@VERSION` reads the version's
//! .info and .mod, never its zip; `go list -m -versions` reads a list.

use std::path::Path;
use std::sync::Mutex;

use futures::future::join_all;

use crate::check::CheckContext;
use crate::finding::Fix;
use crate::goenv::env::{snippet, GoEnv};
use crate::goenv::gomod::directives;
use crate::goenv::probe::go_command;
use crate::goenv::version::GoVersion;

/// How many older releases are looked at, at most, for one that builds with
/// the local Go.
pub const MAX_OLDER_LOOKUPS: usize = 6;
/// How many path prefixes of a package are tried to find its module.
const MAX_MODULE_PREFIXES: usize = 5;
/// The module the go command downloads toolchains as.
pub const TOOLCHAIN_MODULE: &str = "golang.org/toolchain";

/// What `go list -m -json MODULE@VERSION` says, the fields gord needs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ListedModule {
    #[serde(rename = "Path")]
    pub path: String,
    #[serde(rename = "Version", default)]
    pub version: Option<String>,
    #[serde(rename = "Versions", default)]
    pub versions: Vec<String>,
    /// The version's go.mod in the module cache.
    #[serde(rename = "GoMod", default)]
    pub go_mod: Option<String>,
    #[serde(rename = "Error", default)]
    pub error: Option<ListError>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ListError {
    #[serde(rename = "Err")]
    pub err: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`go list -m -json` printed something that is not a module: {0}")]
pub struct BadListing(pub String);

/// Parses one `go list -m -json` object.
pub fn parse_listing(stdout: &str) -> Result<ListedModule, BadListing> {
    serde_json::from_str(stdout).map_err(|_| BadListing(snippet(stdout)))
}

/// The minimum Go of a go.mod text: its `go` line; None when it has none
/// (then any Go builds it).
pub fn min_go(go_mod: &str) -> Option<GoVersion> {
    directives(go_mod)
        .into_iter()
        .find(|d| d.keyword == "go")
        .and_then(|d| GoVersion::parse(&d.value).ok())
}

/// A release version `vX.Y.Z` (no prerelease, no build) as numbers.
pub fn release(version: &str) -> Option<(u64, u64, u64)> {
    let body = version.strip_prefix('v')?;
    let mut parts = body.split('.');
    let mut next = || -> Option<u64> {
        let part = parts.next()?;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let found = (next()?, next()?, next()?);
    parts.next().is_none().then_some(found)
}

/// The releases in `versions` older than `wanted`, newest first, at most `max`.
pub fn older_releases(versions: &[String], wanted: &str, max: usize) -> Vec<String> {
    let limit = release(wanted);
    let mut found: Vec<((u64, u64, u64), &String)> = versions
        .iter()
        .filter_map(|v| release(v).map(|r| (r, v)))
        .filter(|(r, _)| limit.is_none_or(|limit| *r < limit))
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    found.dedup_by(|a, b| a.0 == b.0);
    found
        .into_iter()
        .take(max)
        .map(|(_, v)| v.clone())
        .collect()
}

/// The toolchain the go command would switch to for `need` on `platform`
/// (`linux-amd64`), from the versions of golang.org/toolchain: the newest
/// release of `need`'s language version at or above it, else the oldest
/// newer release.
pub fn toolchain_for(versions: &[String], platform: &str, need: &GoVersion) -> Option<GoVersion> {
    let suffix = format!(".{platform}");
    let mut releases: Vec<GoVersion> = versions
        .iter()
        .filter_map(|v| v.strip_prefix("v0.0.1-")?.strip_suffix(suffix.as_str()))
        .filter_map(|v| GoVersion::parse(v).ok())
        .filter(|v| v.prerelease.is_none() && v >= need)
        .collect();
    releases.sort();
    let same_language = releases
        .iter()
        .rev()
        .find(|v| v.language() == need.language());
    same_language.or(releases.first()).cloned()
}

/// Whether GOTOOLCHAIN lets the go command download a newer toolchain.
pub fn switching_allowed(gotoolchain: &str) -> bool {
    gotoolchain == "auto" || gotoolchain.ends_with("+auto")
}

/// The GOTOOLCHAIN value that keeps the user's choice of default toolchain
/// but lets the go command switch when a module needs a newer one:
/// `local`/`path` become `auto`, `go1.25.0` and `go1.25.0+path` become
/// `go1.25.0+auto`.
pub fn switching_setting(gotoolchain: &str) -> String {
    let base = gotoolchain
        .strip_suffix("+path")
        .or_else(|| gotoolchain.strip_suffix("+auto"))
        .unwrap_or(gotoolchain);
    match base {
        "" | "local" | "path" | "auto" => String::from("auto"),
        version => format!("{version}+auto"),
    }
}

/// The facts a plan is made of, gathered by [`plan`]; each lookup is made
/// only when the one before leaves the question open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The package to install and the version the plain fix names.
    pub package: String,
    pub version: String,
    /// The module of `package` (found at `version`).
    pub module: String,
    /// The local Go (what `go version` runs under the user's GOTOOLCHAIN).
    pub local: GoVersion,
    pub gotoolchain: String,
    /// The wanted version's minimum Go.
    pub need: Option<GoVersion>,
    /// A toolchain at or above `need` the go command can download; None when
    /// there is none or the toolchain list could not be read.
    pub toolchain: Option<GoVersion>,
    /// Why the toolchain list could not be read (the go command verifies
    /// golang.org/toolchain against the checksum database, always).
    pub toolchain_error: Option<String>,
    /// The newest looked-at older release that builds with `local`, and how
    /// many were looked at.
    pub older: Option<String>,
    pub older_looked_at: usize,
}

/// What the fix of a missing or outdated tool should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// `go install` works as it is.
    Plain,
    /// `go install` works: the go command downloads `toolchain` for it.
    Switches { toolchain: GoVersion },
    /// The wanted version cannot build here; `version` can.
    Older { version: String },
    /// The wanted version builds once GOTOOLCHAIN lets go switch.
    Setting { value: String, toolchain: GoVersion },
    /// Nothing can be installed from here without a newer Go.
    NeedsGo,
    /// The module (or its go.mod) cannot be downloaded.
    Offline { reason: String },
}

/// Decides from the facts; pure.
pub fn decide(facts: &Facts) -> Plan {
    if facts.need.as_ref().is_none_or(|need| need <= &facts.local) {
        return Plan::Plain;
    }
    match (&facts.toolchain, switching_allowed(&facts.gotoolchain)) {
        (Some(toolchain), true) => Plan::Switches {
            toolchain: toolchain.clone(),
        },
        (toolchain, _) => match (&facts.older, toolchain) {
            (Some(version), _) => Plan::Older {
                version: version.clone(),
            },
            (None, Some(toolchain)) => Plan::Setting {
                value: switching_setting(&facts.gotoolchain),
                toolchain: toolchain.clone(),
            },
            (None, None) => Plan::NeedsGo,
        },
    }
}

/// `go install PACKAGE@VERSION` as argv.
pub fn install_argv(package: &str, version: &str) -> Vec<String> {
    vec![
        String::from("go"),
        String::from("install"),
        format!("{package}@{version}"),
    ]
}

/// The `PACKAGE@VERSION` of a `go install` fix's argv.
pub fn installed_by(fix: &Fix) -> Option<(String, String)> {
    match fix.command.as_deref()? {
        [go, install, target] if go == "go" && install == "install" => {
            let (package, version) = target.rsplit_once('@')?;
            Some((package.to_string(), version.to_string()))
        }
        _ => None,
    }
}

/// Why the plain fix is not offered, and what is instead; None for a plain
/// plan (the fix stands as it is).
pub fn explain(facts: &Facts, plan: &Plan, name: &str, fix: &Fix) -> Option<(String, Fix)> {
    let wanted = format!("{}@{}", facts.module, facts.version);
    let need = facts.need.as_ref().map(plain_version).unwrap_or_default();
    let local = plain_version(&facts.local);
    let argv = install_argv(&facts.package, &facts.version);
    let why_not = || {
        let switching = if switching_allowed(&facts.gotoolchain) {
            let cause = facts
                .toolchain_error
                .as_ref()
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            format!(
                "no go {need} or newer toolchain can be downloaded for this platform (GOTOOLCHAIN={}){cause}",
                facts.gotoolchain
            )
        } else {
            format!(
                "GOTOOLCHAIN={} forbids switching to a newer toolchain",
                facts.gotoolchain
            )
        };
        format!("{wanted} requires go >= {need} (running go {local}) and {switching}")
    };
    match plan {
        Plan::Plain => None,
        Plan::Switches { toolchain } => Some((
            format!(
                "; {wanted} requires go >= {need} (running go {local}), so `go install` first downloads {toolchain} \
                 (GOTOOLCHAIN={})",
                facts.gotoolchain
            ),
            fix.clone(),
        )),
        Plan::Older { version } => {
            let argv = install_argv(&facts.package, version);
            Some((
                format!("; {}: {version} is the newest release that builds with go {local}", why_not()),
                Fix::run(format!("Install {name} {version} (builds with go {local}): {}", argv.join(" ")), argv),
            ))
        }
        Plan::Setting { value, toolchain } => Some((
            format!(
                "; {}; no release before {} builds with go {local} either ({} looked at)",
                why_not(),
                facts.version,
                facts.older_looked_at
            ),
            Fix::run(
                format!(
                    "Let go download {toolchain} for it: go env -w GOTOOLCHAIN={value}, then {}",
                    argv.join(" ")
                ),
                ["go".into(), "env".into(), "-w".into(), format!("GOTOOLCHAIN={value}")],
            ),
        )),
        Plan::NeedsGo => Some((
            format!(
                "; {}; no release before {} builds with go {local} either ({} looked at)",
                why_not(),
                facts.version,
                facts.older_looked_at
            ),
            Fix::advice(format!(
                "Install go {need} or newer on this machine, then: {}",
                argv.join(" ")
            )),
        )),
        Plan::Offline { reason } => Some((
            format!("; `go install` cannot download {wanted}: {reason}"),
            Fix::advice(format!(
                "Once the go command can download modules (GOPROXY, GOFLAGS, network access), run: {}",
                argv.join(" ")
            )),
        )),
    }
}

/// `go1.26.8` → `1.26.8`, as the go command words it in its errors.
fn plain_version(version: &GoVersion) -> String {
    version.to_string().trim_start_matches("go").to_string()
}

/// Answers about a module version (immutable content), per GOPROXY: those
/// that came back, never the failures, at most [`KEPT`] of each kind, for
/// the life of the process. The go command keeps the same answers in its
/// module cache and does not ask the proxy again either.
struct Answers<T> {
    kept: Mutex<Vec<(String, T)>>,
}

const KEPT: usize = 256;

impl<T: Clone> Answers<T> {
    const fn new() -> Self {
        Answers {
            kept: Mutex::new(Vec::new()),
        }
    }

    fn get(&self, key: &str) -> Option<T> {
        let kept = self.kept.lock().ok()?;
        kept.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    fn insert(&self, key: String, value: T) {
        if let Ok(mut kept) = self.kept.lock() {
            if kept.len() >= KEPT {
                kept.remove(0);
            }
            kept.push((key, value));
        }
    }
}

/// The minimum Go of `MODULE@VERSION`.
static MIN_GO: Answers<Option<GoVersion>> = Answers::new();
/// The module of `PACKAGE@VERSION` and its minimum Go.
static MODULES: Answers<(String, Option<GoVersion>)> = Answers::new();

/// The go command's error as a reason in a message: without its `go: `,
/// on one line, at most [`REASON_CHARS`] characters, secrets redacted.
pub fn reason(error: &str) -> String {
    let one_line = error.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = one_line.strip_prefix("go: ").unwrap_or(&one_line);
    let cut: String = text.chars().take(REASON_CHARS).collect();
    let cut = crate::redact::secrets(&cut);
    if text.chars().count() > REASON_CHARS {
        format!("{cut}…")
    } else if cut.is_empty() {
        String::from("the go command gave no reason")
    } else {
        cut
    }
}

const REASON_CHARS: usize = 300;

/// Time limit for one lookup: up to four run one after the other within a
/// check's time.
fn lookup_timeout(ctx: &CheckContext) -> std::time::Duration {
    crate::goenv::probe::command_timeout(ctx) / 5
}

/// Runs `go list -m -json ARGS…` with the user's environment.
async fn go_list(ctx: &CheckContext, go: &Path, args: &[&str]) -> Result<ListedModule, String> {
    let out = ctx
        .runner
        .run(
            go_command(ctx, go)
                .timeout(lookup_timeout(ctx))
                .args(["list", "-m", "-json"])
                .args(args),
        )
        .await
        .map_err(|e| e.to_string())?;
    if !out.success() {
        return Err(reason(&out.first_error_line()));
    }
    let listed = parse_listing(&out.stdout_text()).map_err(|e| e.to_string())?;
    match &listed.error {
        Some(error) => Err(reason(&error.err)),
        None => Ok(listed),
    }
}

/// The module and minimum Go of `target` (`MODULE@VERSION`).
async fn min_go_of(
    ctx: &CheckContext,
    go: &Path,
    proxy: &str,
    target: &str,
) -> Result<Option<GoVersion>, String> {
    let key = format!("{proxy} {target}");
    if let Some(known) = MIN_GO.get(&key) {
        return Ok(known);
    }
    let listed = go_list(ctx, go, &[target]).await?;
    let go_mod = listed
        .go_mod
        .ok_or_else(|| format!("`go list -m` named no go.mod for {target}"))?;
    let text = crate::fsread::read_to_string(Path::new(&go_mod), crate::fsread::Kind::GoModule)
        .map_err(|e| e.to_string())?;
    let found = min_go(&text);
    MIN_GO.insert(key, found.clone());
    Ok(found)
}

/// The module `package@version` belongs to and that version's minimum Go:
/// the longest path prefix the proxy knows, all tried at once as the go
/// command does.
async fn module_of(
    ctx: &CheckContext,
    go: &Path,
    proxy: &str,
    package: &str,
    version: &str,
) -> Result<(String, Option<GoVersion>), String> {
    let key = format!("{proxy} {package}@{version}");
    if let Some(known) = MODULES.get(&key) {
        return Ok(known);
    }
    let mut prefixes = vec![package.to_string()];
    let mut rest = package;
    while let Some((shorter, _)) = rest.rsplit_once('/') {
        if !shorter.contains('/') {
            break;
        }
        prefixes.push(shorter.to_string());
        rest = shorter;
    }
    prefixes.truncate(MAX_MODULE_PREFIXES);
    let answers = join_all(
        prefixes
            .iter()
            .map(|p| async move { min_go_of(ctx, go, proxy, &format!("{p}@{version}")).await }),
    )
    .await;
    // The package path's own error names what the user asked for.
    let mut first_error = None;
    for (prefix, answer) in prefixes.iter().zip(answers) {
        match answer {
            Ok(need) => {
                MODULES.insert(key, (prefix.clone(), need.clone()));
                return Ok((prefix.clone(), need));
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_default())
}

/// The plan for a `go install PACKAGE@VERSION` fix, with the facts behind it.
pub async fn plan(
    ctx: &CheckContext,
    go: &Path,
    env: Option<&GoEnv>,
    local: &GoVersion,
    package: &str,
    version: &str,
) -> (Facts, Plan) {
    let get = |key: &str| env.and_then(|e| e.get(key)).unwrap_or("").to_string();
    let proxy = get("GOPROXY");
    let mut facts = Facts {
        package: package.to_string(),
        version: version.to_string(),
        module: package.to_string(),
        local: local.clone(),
        gotoolchain: env
            .and_then(|e| e.get("GOTOOLCHAIN"))
            .unwrap_or("auto")
            .to_string(),
        need: None,
        toolchain: None,
        toolchain_error: None,
        older: None,
        older_looked_at: 0,
    };
    if proxy == "off" {
        let reason = String::from("GOPROXY=off stops the go command from downloading modules");
        return (facts, Plan::Offline { reason });
    }
    match module_of(ctx, go, &proxy, package, version).await {
        Ok((module, need)) => {
            facts.module = module;
            facts.need = need;
        }
        Err(reason) => return (facts, Plan::Offline { reason }),
    }
    let Some(need) = facts.need.clone().filter(|need| need > local) else {
        return (facts, Plan::Plain);
    };
    let platform = format!("{}-{}", get("GOOS"), get("GOARCH"));
    match go_list(ctx, go, &["-versions", TOOLCHAIN_MODULE]).await {
        Ok(listed) => facts.toolchain = toolchain_for(&listed.versions, &platform, &need),
        Err(reason) => facts.toolchain_error = Some(reason),
    }
    if !(facts.toolchain.is_some() && switching_allowed(&facts.gotoolchain)) {
        if let Ok(listed) = go_list(ctx, go, &["-versions", &facts.module]).await {
            let candidates = older_releases(&listed.versions, version, MAX_OLDER_LOOKUPS);
            facts.older_looked_at = candidates.len();
            let module = facts.module.clone();
            let needs = join_all(candidates.iter().map(|candidate| {
                let target = format!("{module}@{candidate}");
                let proxy = proxy.clone();
                async move { min_go_of(ctx, go, &proxy, &target).await }
            }))
            .await;
            facts.older = candidates
                .iter()
                .zip(needs)
                .find(|(_, need)| matches!(need, Ok(n) if n.as_ref().is_none_or(|n| n <= local)))
                .map(|(candidate, _)| candidate.clone());
        }
    }
    let plan = decide(&facts);
    (facts, plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> GoVersion {
        GoVersion::parse(text).unwrap()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    /// Facts of installing example.com/tool/cmd/tool@v1.1.0 (which needs
    /// `need`) with the local go 1.26.8.
    fn facts(
        need: Option<&str>,
        gotoolchain: &str,
        toolchain: Option<&str>,
        older: Option<&str>,
    ) -> Facts {
        Facts {
            package: "example.com/tool/cmd/tool".into(),
            version: "v1.1.0".into(),
            module: "example.com/tool".into(),
            local: v("go1.26.8"),
            gotoolchain: gotoolchain.into(),
            need: need.map(v),
            toolchain: toolchain.map(v),
            toolchain_error: None,
            older: older.map(String::from),
            older_looked_at: 3,
        }
    }

    fn plain_fix() -> Fix {
        let argv = install_argv("example.com/tool/cmd/tool", "v1.1.0");
        Fix::run(format!("Install tool: {}", argv.join(" ")), argv)
    }

    #[test]
    fn the_minimum_go_is_the_go_line_not_the_toolchain_line() {
        assert_eq!(
            min_go("module example.com/tool\n\ngo 1.25.0\n\ntoolchain go1.26.1\n"),
            Some(v("1.25.0"))
        );
        assert_eq!(
            min_go("module example.com/old\n"),
            None,
            "no go line: any Go"
        );
        assert_eq!(min_go("module m\ngo one\n"), None);
    }

    #[test]
    fn older_releases_are_newest_first_without_prereleases_or_pseudo_versions() {
        let versions = strings(&[
            "v1.9.0",
            "v1.10.0",
            "v1.10.1-rc.1",
            "v0.0.0-20240101000000-abcdefabcdef",
            "v1.11.0",
            "v1.12.0",
            "v1.2",
        ]);
        assert_eq!(
            older_releases(&versions, "v1.12.0", 10),
            ["v1.11.0", "v1.10.0", "v1.9.0"]
        );
        assert_eq!(
            older_releases(&versions, "v1.12.0", 2),
            ["v1.11.0", "v1.10.0"]
        );
        assert!(older_releases(&versions, "v1.9.0", 10).is_empty());
    }

    #[test]
    fn a_toolchain_is_the_newest_patch_of_the_needed_language_version_for_this_platform() {
        let versions = strings(&[
            "v0.0.1-go1.27.0.linux-amd64",
            "v0.0.1-go1.27.2.linux-amd64",
            "v0.0.1-go1.27.3.darwin-arm64",
            "v0.0.1-go1.28rc1.linux-amd64",
            "v0.0.1-go1.28.0.linux-amd64",
            "v0.0.1-go1.26.9.linux-amd64",
        ]);
        assert_eq!(
            toolchain_for(&versions, "linux-amd64", &v("1.27.1")),
            Some(v("go1.27.2"))
        );
        assert_eq!(
            toolchain_for(&versions, "linux-amd64", &v("1.27.3")),
            Some(v("go1.28.0"))
        );
        assert_eq!(
            toolchain_for(&versions, "darwin-arm64", &v("1.27.0")),
            Some(v("go1.27.3"))
        );
        assert_eq!(toolchain_for(&versions, "linux-amd64", &v("1.29")), None);
        assert_eq!(toolchain_for(&versions, "linux-386", &v("1.27")), None);
    }

    #[test]
    fn gotoolchain_lets_go_switch_only_with_auto() {
        for allowed in ["auto", "go1.25.0+auto", "local+auto"] {
            assert!(switching_allowed(allowed), "{allowed}");
        }
        for forbidden in ["local", "path", "go1.25.0+path", "go1.25.0", ""] {
            assert!(!switching_allowed(forbidden), "{forbidden}");
        }
        assert_eq!(switching_setting("local"), "auto");
        assert_eq!(switching_setting("path"), "auto");
        assert_eq!(switching_setting("go1.25.0+path"), "go1.25.0+auto");
        assert_eq!(switching_setting("go1.25.0"), "go1.25.0+auto");
    }

    #[test]
    fn the_plain_install_stands_when_the_local_go_is_new_enough() {
        assert_eq!(
            decide(&facts(Some("1.26.8"), "local", None, None)),
            Plan::Plain
        );
        assert_eq!(
            decide(&facts(Some("1.21"), "local", None, None)),
            Plan::Plain
        );
        assert_eq!(decide(&facts(None, "local", None, None)), Plan::Plain);
        assert!(explain(
            &facts(None, "local", None, None),
            &Plan::Plain,
            "tool",
            &plain_fix()
        )
        .is_none());
    }

    #[test]
    fn a_newer_go_is_downloaded_when_gotoolchain_allows_and_a_toolchain_exists() {
        let f = facts(Some("1.99.0"), "auto", Some("go1.99.1"), None);
        let plan = decide(&f);
        assert_eq!(
            plan,
            Plan::Switches {
                toolchain: v("go1.99.1")
            }
        );
        let (why, fix) = explain(&f, &plan, "tool", &plain_fix()).unwrap();
        assert_eq!(fix, plain_fix());
        assert!(
            why.contains("example.com/tool@v1.1.0 requires go >= 1.99.0 (running go 1.26.8)"),
            "{why}"
        );
        assert!(why.contains("first downloads go1.99.1"), "{why}");
    }

    #[test]
    fn an_older_release_that_builds_is_offered_when_go_cannot_switch() {
        for (gotoolchain, toolchain, reason) in [
            (
                "local",
                Some("go1.99.1"),
                "GOTOOLCHAIN=local forbids switching",
            ),
            (
                "auto",
                None,
                "no go 1.99.0 or newer toolchain can be downloaded",
            ),
        ] {
            let f = facts(Some("1.99.0"), gotoolchain, toolchain, Some("v1.0.0"));
            let plan = decide(&f);
            assert_eq!(
                plan,
                Plan::Older {
                    version: "v1.0.0".into()
                }
            );
            let (why, fix) = explain(&f, &plan, "tool", &plain_fix()).unwrap();
            assert!(why.contains(reason), "{why}");
            assert!(
                why.contains("v1.0.0 is the newest release that builds with go 1.26.8"),
                "{why}"
            );
            assert_eq!(
                fix.command.unwrap(),
                ["go", "install", "example.com/tool/cmd/tool@v1.0.0"]
            );
        }
    }

    #[test]
    fn the_gotoolchain_setting_is_offered_when_no_older_release_builds() {
        let f = facts(Some("1.99.0"), "local", Some("go1.99.1"), None);
        let plan = decide(&f);
        assert_eq!(
            plan,
            Plan::Setting {
                value: "auto".into(),
                toolchain: v("go1.99.1")
            }
        );
        let (why, fix) = explain(&f, &plan, "tool", &plain_fix()).unwrap();
        assert!(
            why.contains("no release before v1.1.0 builds with go 1.26.8 either (3 looked at)"),
            "{why}"
        );
        assert_eq!(
            fix.command.unwrap(),
            ["go", "env", "-w", "GOTOOLCHAIN=auto"]
        );
        assert!(
            fix.title
                .contains("then go install example.com/tool/cmd/tool@v1.1.0"),
            "{}",
            fix.title
        );
    }

    #[test]
    fn nothing_runnable_is_offered_when_nothing_can_work() {
        let f = facts(Some("1.99.0"), "auto", None, None);
        let plan = decide(&f);
        assert_eq!(plan, Plan::NeedsGo);
        let (_, fix) = explain(&f, &plan, "tool", &plain_fix()).unwrap();
        assert_eq!(fix.command, None);
        assert!(
            fix.title.starts_with("Install go 1.99.0 or newer"),
            "{}",
            fix.title
        );

        let offline = Plan::Offline {
            reason: "GOPROXY=off stops the go command from downloading modules".into(),
        };
        let (why, fix) = explain(
            &facts(None, "auto", None, None),
            &offline,
            "tool",
            &plain_fix(),
        )
        .unwrap();
        assert_eq!(fix.command, None);
        assert!(
            why.contains("cannot download example.com/tool@v1.1.0: GOPROXY=off"),
            "{why}"
        );
    }

    #[test]
    fn a_reason_is_the_go_commands_error_on_one_line_bounded_and_without_secrets() {
        assert_eq!(
            reason("go: example.com/tool@v1.1.0: reading https://bob:s3cret@proxy.corp/x: 404 Not Found\n\tserver response: gone"),
            "example.com/tool@v1.1.0: reading https://***@proxy.corp/x: 404 Not Found server response: gone"
        );
        let long = reason(&"x".repeat(1000));
        assert_eq!(long.chars().count(), REASON_CHARS + 1);
        assert!(long.ends_with('…'));
        assert_eq!(reason("  "), "the go command gave no reason");
    }

    #[test]
    fn kept_answers_are_bounded_and_the_oldest_go_first() {
        let answers: Answers<u32> = Answers::new();
        for n in 0..(KEPT as u32 + 1) {
            answers.insert(format!("proxy m@v{n}"), n);
        }
        assert_eq!(answers.get("proxy m@v0"), None, "the oldest went");
        assert_eq!(answers.get("proxy m@v1"), Some(1));
        assert_eq!(answers.get(&format!("proxy m@v{KEPT}")), Some(KEPT as u32));
        assert_eq!(answers.get("other-proxy m@v1"), None);
    }

    #[test]
    fn only_go_install_fixes_are_judged() {
        assert_eq!(
            installed_by(&plain_fix()),
            Some(("example.com/tool/cmd/tool".into(), "v1.1.0".into()))
        );
        assert_eq!(
            installed_by(&Fix::run("x", ["go", "env", "-u", "GOPROXY"])),
            None
        );
        assert_eq!(installed_by(&Fix::advice("Install Go")), None);
    }

    #[test]
    fn a_listing_carries_its_go_mod_or_its_error() {
        let ok = parse_listing(
            r#"{"Path":"example.com/tool","Version":"v1.1.0","GoMod":"/c/v1.1.0.mod"}"#,
        )
        .unwrap();
        assert_eq!(ok.go_mod.as_deref(), Some("/c/v1.1.0.mod"));
        let failed =
            parse_listing(r#"{"Path":"example.com/tool","Error":{"Err":"not found"}}"#).unwrap();
        assert_eq!(failed.error.unwrap().err, "not found");
        let listed = parse_listing(r#"{"Path":"m","Versions":["v1.0.0","v1.1.0"]}"#).unwrap();
        assert_eq!(listed.versions, ["v1.0.0", "v1.1.0"]);
        assert!(parse_listing("go: module m: not found").is_err());
    }
}
