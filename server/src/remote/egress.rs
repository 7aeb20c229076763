//! Egress (RMT032, RMT033): whether a machine reaches what the VS Code
//! server and Go download from. The remote script makes one bounded HTTP(S)
//! request per target from its non-login shell (curl, else wget; in
//! parallel, 5 s each), through whatever `HTTPS_PROXY`/`NO_PROXY` that shell
//! has; this module says which targets the script tries, reads its
//! `egress…=` lines and judges them. Pure, except [`Mode::from_process_env`].
//!
//! Tests never leave 127.0.0.0/8: [`TEST_TARGETS_VAR`] replaces the fixed
//! targets, and gord accepts it only when every target is a loopback address
//! (otherwise the check is off). In that mode the script also skips every
//! target it derives itself (GOPROXY, GOSUMDB, the toolchain) that is not on
//! loopback, and everything when a proxy variable names another host.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Fix, Severity, Subject};
use crate::goenv::vscode::set::Change;

/// Test-only override of the targets: `LABEL=URL` words separated by
/// spaces, every URL `http://` or `https://` to a 127.x.y.z address. Set but
/// empty: no fixed targets (the derived ones are still skipped unless they
/// are on loopback).
pub const TEST_TARGETS_VAR: &str = "GORD_TEST_EGRESS_TARGETS";
/// Test-only: a CA certificate (PEM) for the test's TLS server, handed to
/// curl (`--cacert`) or GNU wget (`--ca-certificate`); only with
/// [`TEST_TARGETS_VAR`].
pub const TEST_CACERT_VAR: &str = "GORD_TEST_EGRESS_CACERT";

/// What each target is, as the script labels it.
pub const LABELS: [&str; 6] = [
    "server",
    "marketplace",
    "cdn",
    "goproxy",
    "sumdb",
    "toolchain",
];

/// At most this many targets are tried (the script stops at 16 too).
pub const MAX_PROBES: usize = 16;

/// Which targets the script tries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Mode {
    /// The real hosts: the server download, the marketplace and its CDN,
    /// every GOPROXY entry, GOSUMDB's host and the toolchain download.
    #[default]
    Real,
    /// Only loopback targets (tests).
    Test {
        cacert: Option<String>,
        targets: Vec<(String, String)>,
    },
    /// No requests at all: the override was refused.
    Off { why: String },
}

impl Mode {
    /// The mode the two variables ask for (None: unset).
    pub fn from_vars(targets: Option<&str>, cacert: Option<&str>) -> Mode {
        let Some(targets) = targets else {
            return Mode::Real;
        };
        match test_targets(targets, cacert) {
            Ok(mode) => mode,
            Err(why) => Mode::Off {
                why: format!("{TEST_TARGETS_VAR} refused: {why}"),
            },
        }
    }

    /// From this process's environment (the CLI and the language server).
    pub fn from_process_env() -> Mode {
        let var = |key: &str| std::env::var_os(key).map(|v| v.to_string_lossy().into_owned());
        let mode = Mode::from_vars(
            var(TEST_TARGETS_VAR).as_deref(),
            var(TEST_CACERT_VAR).as_deref(),
        );
        if let Mode::Off { why } = &mode {
            tracing::warn!("no egress check: {why}");
        }
        mode
    }

    /// From a check's environment.
    pub fn from_env(env: &crate::check::Environment) -> Mode {
        let var = |key: &str| env.get(key).map(|v| v.to_string_lossy().into_owned());
        Mode::from_vars(
            var(TEST_TARGETS_VAR).as_deref(),
            var(TEST_CACERT_VAR).as_deref(),
        )
    }

    /// The script's arguments: none, `off`, or `test CACERT|- LABEL=URL…`.
    /// Every word is checked to be free of shell syntax ([`test_targets`]),
    /// since ssh joins them into one command line.
    pub fn script_args(&self) -> Vec<String> {
        match self {
            Mode::Real => Vec::new(),
            Mode::Off { .. } => vec![String::from("off")],
            Mode::Test { cacert, targets } => {
                let mut args = vec![
                    String::from("test"),
                    cacert.clone().unwrap_or_else(|| String::from("-")),
                ];
                args.extend(targets.iter().map(|(label, url)| format!("{label}={url}")));
                args
            }
        }
    }
}

/// Characters a test URL or CA path may hold: none a shell treats specially.
fn plain(text: &str, extra: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c) || extra.contains(c))
}

/// `http(s)://127.x.y.z[:port][/path]`, or why not.
pub fn loopback_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`{url}` is not an http:// or https:// URL"))?;
    if !plain(rest, ":") {
        return Err(format!(
            "`{url}` holds characters other than letters, digits and `/._-:`"
        ));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let loopback = host.parse::<Ipv4Addr>().is_ok_and(|a| a.is_loopback());
    if !loopback {
        return Err(format!("`{url}` is not on 127.0.0.0/8"));
    }
    if port.is_some_and(|p| p.parse::<u16>().is_err()) {
        return Err(format!("`{url}` has a bad port"));
    }
    Ok(())
}

fn test_targets(text: &str, cacert: Option<&str>) -> Result<Mode, String> {
    let mut targets = Vec::new();
    for word in text.split_whitespace() {
        let (label, url) = word
            .split_once('=')
            .ok_or_else(|| format!("`{word}` is not LABEL=URL"))?;
        if !LABELS.contains(&label) {
            return Err(format!("`{label}` is not one of {}", LABELS.join(", ")));
        }
        loopback_url(url)?;
        targets.push((label.to_string(), url.to_string()));
    }
    if targets.len() > MAX_PROBES {
        return Err(format!("more than {MAX_PROBES} targets"));
    }
    let cacert = match cacert.filter(|c| !c.is_empty()) {
        Some(path) if path.starts_with('/') && plain(path, "+") && !path.contains("..") => {
            Some(path.to_string())
        }
        Some(path) => {
            return Err(format!(
                "{TEST_CACERT_VAR} `{path}` is not a plain absolute path"
            ))
        }
        None => None,
    };
    Ok(Mode::Test { cacert, targets })
}

/// A proxy variable of the shell that ran the requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProxyVar {
    pub name: String,
    /// Credentials redacted.
    pub value: String,
}

/// How one request went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "result")]
pub enum EgressOutcome {
    /// The server answered with an HTTP status (any: a 404 still proves
    /// the way out).
    Reached { status: u16 },
    Failed {
        /// The tool's exit code (124: `timeout` stopped it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exit: Option<i32>,
        /// The proxy's answer to CONNECT when it was not 200 (curl only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        proxy_status: Option<u16>,
        message: String,
    },
    /// Not tried (no tool; in test mode, not on loopback).
    Skipped { reason: String },
}

/// One target and its request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EgressProbe {
    /// One of [`LABELS`].
    pub what: String,
    /// Credentials redacted.
    pub url: String,
    #[serde(flatten)]
    pub outcome: EgressOutcome,
}

/// What the script found about the way out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EgressFacts {
    /// `curl` or `wget`; None when neither is there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proxy_vars: Vec<ProxyVar>,
    /// `go env GOPROXY` and `go env GOSUMDB` (the variables, or Go's
    /// defaults, without go).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goproxy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gosumdb: Option<String>,
    /// In the order of [`LABELS`], then by URL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<EgressProbe>,
}

const PROXY_VARS: [&str; 8] = [
    "https_proxy",
    "HTTPS_PROXY",
    "http_proxy",
    "HTTP_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
];

impl EgressFacts {
    /// Takes the script's `egress…` line `key=raw`; false when the key is
    /// not one of them.
    pub fn read(facts: &mut Option<EgressFacts>, key: &str, raw: &str) -> bool {
        if !key.starts_with("egress") {
            return false;
        }
        let e = facts.get_or_insert_with(EgressFacts::default);
        let value = raw.trim();
        let text = (!value.is_empty()).then(|| crate::redact::secrets(cut(value, 1000)));
        match key {
            "egress_tool" => e.tool = text.filter(|t| t == "curl" || t == "wget"),
            "egress_goproxy" => e.goproxy = text,
            "egress_gosumdb" => e.gosumdb = text,
            "egress" => {
                if e.probes.len() < MAX_PROBES {
                    e.probes.extend(probe_line(raw));
                    // The requests finish in any order: report them in one.
                    e.probes.sort_by(|a, b| {
                        let rank = |p: &EgressProbe| LABELS.iter().position(|l| *l == p.what);
                        rank(a).cmp(&rank(b)).then_with(|| a.url.cmp(&b.url))
                    });
                }
            }
            _ => {
                let Some(name) = key.strip_prefix("egress_env_") else {
                    return true;
                };
                if let (true, Some(value)) = (PROXY_VARS.contains(&name), text) {
                    e.proxy_vars.retain(|p| p.name != name);
                    e.proxy_vars.push(ProxyVar {
                        name: name.to_string(),
                        value,
                    });
                }
            }
        }
        true
    }

    /// The proxy an https request goes through, as curl picks it
    /// (`https_proxy`, `HTTPS_PROXY`, then `all_proxy`, `ALL_PROXY`).
    pub fn https_proxy(&self) -> Option<&ProxyVar> {
        ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
            .iter()
            .find_map(|name| self.proxy_vars.iter().find(|p| p.name == *name))
    }

    fn no_proxy(&self) -> Option<&ProxyVar> {
        ["no_proxy", "NO_PROXY"]
            .iter()
            .find_map(|name| self.proxy_vars.iter().find(|p| p.name == *name))
    }
}

/// Cuts `text` to at most `max` bytes, on a character boundary.
fn cut(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `LABEL|TOOL|EXIT|HTTP|CONNECT|MESSAGE|URL` (EXIT `skip`: MESSAGE says
/// why) as a probe; None for an unknown label or a short line.
pub fn probe_line(value: &str) -> Option<EgressProbe> {
    let mut parts = value.splitn(7, '|');
    let what = parts.next()?.trim();
    if !LABELS.contains(&what) {
        return None;
    }
    let _tool = parts.next()?;
    let exit = parts.next()?.trim();
    let http: Option<u16> = parts.next()?.trim().parse().ok();
    let connect: Option<u16> = parts.next()?.trim().parse().ok();
    let message = crate::redact::secrets(cut(parts.next()?.trim(), 300));
    let url = crate::redact::secrets(cut(parts.next()?.trim(), 1000));
    if url.is_empty() {
        return None;
    }
    let outcome = if exit == "skip" {
        EgressOutcome::Skipped { reason: message }
    } else {
        match http.filter(|s| (100..=599).contains(s)) {
            Some(status) => EgressOutcome::Reached { status },
            None => EgressOutcome::Failed {
                exit: exit.parse().ok(),
                proxy_status: connect.filter(|c| *c != 0 && *c != 200),
                message: if message.is_empty() {
                    String::from("no answer")
                } else {
                    message
                },
            },
        }
    };
    Some(EgressProbe {
        what: what.to_string(),
        url,
        outcome,
    })
}

/// How a message names a target.
fn describe(what: &str) -> &'static str {
    match what {
        "server" => "the VS Code server download",
        "marketplace" => "the extension marketplace",
        "cdn" => "the marketplace's CDN",
        "goproxy" => "GOPROXY",
        "sumdb" => "GOSUMDB",
        _ => "the Go toolchain download",
    }
}

/// The proxy refused the tunnel: curl's CONNECT status, or wget's words.
fn proxy_refused(outcome: &EgressOutcome) -> Option<String> {
    match outcome {
        EgressOutcome::Failed {
            proxy_status: Some(status),
            ..
        } => Some(format!("HTTP {status}")),
        EgressOutcome::Failed { message, .. } if message.contains("Proxy tunneling failed") => {
            Some(message.clone())
        }
        _ => None,
    }
}

fn finding(code: &str, severity: Severity, message: String) -> Finding {
    Finding::new(code, severity, message, Subject::Workspace).with_rule_page()
}

/// Every probe, one a line, and the environment it ran in.
fn detail(e: &EgressFacts) -> String {
    let mut lines = Vec::new();
    lines.push(format!(
        "from a non-login shell with {}; proxy variables: {}",
        e.tool.as_deref().unwrap_or("no curl or wget"),
        if e.proxy_vars.is_empty() {
            String::from("none")
        } else {
            e.proxy_vars
                .iter()
                .map(|p| format!("{}={}", p.name, p.value))
                .collect::<Vec<_>>()
                .join(" ")
        }
    ));
    lines.push(format!(
        "GOPROXY={} GOSUMDB={}",
        e.goproxy.as_deref().unwrap_or("?"),
        e.gosumdb.as_deref().unwrap_or("?")
    ));
    for p in &e.probes {
        let how = match &p.outcome {
            EgressOutcome::Reached { status } => format!("reached (HTTP {status})"),
            EgressOutcome::Failed { message, .. } => format!("failed: {message}"),
            EgressOutcome::Skipped { reason } => format!("not tried: {reason}"),
        };
        lines.push(format!("{} {}: {how}", p.what, p.url));
    }
    lines.join("\n")
}

/// The advice for what could not be reached: settings where they are
/// settings, else what to run.
fn advice(name: &str, failed: &[&EgressProbe]) -> String {
    let mut steps: Vec<String> = settings_for(failed)
        .iter()
        .map(|change| match change.key() {
            LOCAL_SERVER_DOWNLOAD => format!(
                "in your local VS Code settings set `{}` (VS Code downloads the server here and copies it over ssh)",
                change.shown()
            ),
            _ => format!(
                "set `{}` (extensions are downloaded here and sent over)",
                change.shown()
            ),
        })
        .collect();
    steps.extend(go_advice(name, failed));
    steps.join("; ")
}

/// RMT033's way out that no setting gives.
pub fn proxy_advice(name: &str) -> String {
    format!("Ask the proxy's administrators to allow CONNECT to port 443 of these hosts, or list them in NO_PROXY if {name} reaches them directly")
}

/// Remote-SSH's setting for downloading the server on the local machine:
/// `"auto"` (its default), `"always"` or `"off"` (see docs/rules/RMT032.md).
pub const LOCAL_SERVER_DOWNLOAD: &str = "remote.SSH.localServerDownload";
/// VS Code's setting for downloading extensions on the local machine and
/// sending them to the remote: a boolean, false by default.
pub const DOWNLOAD_EXTENSIONS_LOCALLY: &str = "remote.downloadExtensionsLocally";

/// The settings of the machine Remote-SSH runs on that route around what
/// could not be reached: the server download and the marketplace.
pub fn settings_for(failed: &[&EgressProbe]) -> Vec<Change> {
    let any = |labels: &[&str]| failed.iter().any(|p| labels.contains(&p.what.as_str()));
    let mut out = Vec::new();
    if any(&["server"]) {
        out.push(Change::set(LOCAL_SERVER_DOWNLOAD, "always"));
    }
    if any(&["marketplace", "cdn"]) {
        out.push(Change::set(DOWNLOAD_EXTENSIONS_LOCALLY, true));
    }
    out
}

/// What no setting does: Go's module proxy and toolchain downloads.
pub fn go_advice(name: &str, failed: &[&EgressProbe]) -> Option<String> {
    failed
        .iter()
        .any(|p| ["goproxy", "sumdb", "toolchain"].contains(&p.what.as_str()))
        .then(|| format!(
            "point Go at a proxy {name} can reach (`go env -w GOPROXY=https://YOUR-MIRROR,direct`, and `GOTOOLCHAIN=local` when toolchains cannot be downloaded), or fill the module cache where there is network: run `gord preload` in the workspace on a machine that reaches the proxy and share or copy its GOMODCACHE"
        ))
}

/// `text` with its first letter upper-case.
pub(crate) fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The probes a proxy refused to tunnel (RMT033).
pub fn refused_probes(e: &EgressFacts) -> Vec<&EgressProbe> {
    e.probes
        .iter()
        .filter(|p| proxy_refused(&p.outcome).is_some())
        .collect()
}

/// The probes that failed otherwise (RMT032).
pub fn failed_probes(e: &EgressFacts) -> Vec<&EgressProbe> {
    e.probes
        .iter()
        .filter(|p| matches!(p.outcome, EgressOutcome::Failed { .. }))
        .filter(|p| proxy_refused(&p.outcome).is_none())
        .collect()
}

/// RMT032 and RMT033 for one machine's egress facts.
pub fn findings(name: &str, e: &EgressFacts, out: &mut Vec<Finding>) {
    if e.tool.is_none() {
        out.push(
            finding(
                "RMT032",
                Severity::Info,
                format!("{name} has neither curl nor wget: whether it reaches the VS Code server download, the marketplace and the Go module proxy was not tested"),
            )
            .with_detail(detail(e))
            .with_fix(Fix::advice(format!("Install curl on {name} (Debian/Ubuntu: `sudo apt-get install curl`), then check again"))),
        );
        return;
    }
    let via = match e.https_proxy() {
        Some(proxy) => format!(
            "through the proxy {}={}{}",
            proxy.name,
            proxy.value,
            e.no_proxy()
                .map(|n| format!(" ({}={})", n.name, n.value))
                .unwrap_or_default()
        ),
        None => String::from("with no proxy set"),
    };
    let refused: Vec<(&EgressProbe, String)> = e
        .probes
        .iter()
        .filter_map(|p| proxy_refused(&p.outcome).map(|why| (p, why)))
        .collect();
    let failed = failed_probes(e);
    if !refused.is_empty() {
        let list: Vec<String> = refused
            .iter()
            .map(|(p, why)| format!("{} {} ({why})", describe(&p.what), p.url))
            .collect();
        let probes: Vec<&EgressProbe> = refused.iter().map(|(p, _)| *p).collect();
        out.push(
            finding(
                "RMT033",
                Severity::Error,
                format!(
                    "the proxy of {name}'s non-login shell refuses to tunnel (CONNECT) to {}: {via}",
                    list.join(", ")
                ),
            )
            .with_detail(detail(e))
            .with_fix(Fix::advice(format!(
                "{}; meanwhile: {}",
                proxy_advice(name),
                advice(name, &probes)
            ))),
        );
    }
    if !failed.is_empty() {
        let list: Vec<String> = failed
            .iter()
            .map(|p| match &p.outcome {
                EgressOutcome::Failed { message, .. } => {
                    format!("{} {} ({message})", describe(&p.what), p.url)
                }
                _ => format!("{} {}", describe(&p.what), p.url),
            })
            .collect();
        out.push(
            finding(
                "RMT032",
                Severity::Warning,
                format!(
                    "{name} cannot reach {} from a non-login shell, {via}: downloads of the VS Code server, extensions or Go modules fail there",
                    list.join(", ")
                ),
            )
            .with_detail(detail(e))
            .with_fix(Fix::advice(capitalize(&advice(name, &failed)))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(lines: &str) -> EgressFacts {
        let mut e = None;
        for line in lines.lines() {
            let (key, raw) = line.split_once('=').unwrap();
            assert!(EgressFacts::read(&mut e, key, raw), "{key}");
        }
        e.unwrap()
    }

    fn codes(e: &EgressFacts) -> Vec<String> {
        let mut out = Vec::new();
        findings("box", e, &mut out);
        out.into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn the_override_is_taken_only_when_every_target_is_on_loopback() {
        assert_eq!(Mode::from_vars(None, Some("/x.pem")), Mode::Real);
        let mode = Mode::from_vars(
            Some(" server=https://127.0.0.1:8443/  goproxy=http://127.1.2.3/mod "),
            Some("/tmp/rig/ca.pem"),
        );
        assert_eq!(
            mode.script_args(),
            [
                "test",
                "/tmp/rig/ca.pem",
                "server=https://127.0.0.1:8443/",
                "goproxy=http://127.1.2.3/mod"
            ]
        );
        assert_eq!(Mode::from_vars(Some(""), None).script_args(), ["test", "-"]);
        assert_eq!(Mode::Real.script_args(), Vec::<String>::new());
        for refused in [
            "server=https://update.code.visualstudio.com/",
            "server=https://127.0.0.1.example.com/",
            "server=https://10.0.0.1/",
            "server=ftp://127.0.0.1/",
            "server=https://127.0.0.1:99999/",
            "server=https://127.0.0.1/;touch${IFS}x",
            "server=https://127.0.0.1/`id`",
            "nosuchlabel=https://127.0.0.1/",
            "https://127.0.0.1/",
        ] {
            let mode = Mode::from_vars(Some(refused), None);
            assert!(matches!(mode, Mode::Off { .. }), "{refused}: {mode:?}");
            assert_eq!(mode.script_args(), ["off"], "{refused}");
        }
        for cacert in ["ca.pem", "/tmp/a b.pem", "/tmp/../etc/x", "/tmp/$(id)"] {
            let mode = Mode::from_vars(Some("server=https://127.0.0.1/"), Some(cacert));
            assert!(matches!(mode, Mode::Off { .. }), "{cacert}: {mode:?}");
        }
        let many = "server=http://127.0.0.1/ ".repeat(MAX_PROBES + 1);
        assert!(matches!(
            Mode::from_vars(Some(&many), None),
            Mode::Off { .. }
        ));
    }

    #[test]
    fn probe_lines_are_read_as_reached_failed_or_skipped() {
        let e = facts(
            "egress_tool=curl\n\
egress_env_HTTPS_PROXY=http://alice:s3cret@proxy.corp:3128\n\
egress_env_NO_PROXY=.corp\n\
egress_env_EDITOR=vi\n\
egress_goproxy=https://proxy.golang.org,direct\n\
egress=server|curl|0|404|000||https://update.code.visualstudio.com/\n\
egress=goproxy|curl|56|000|403|curl: (56) CONNECT tunnel failed, response 403|https://proxy.golang.org\n\
egress=sumdb|curl|28|000|000|curl: (28) Connection timed out after 4001 ms|https://sum.golang.org/\n\
egress=cdn|curl|skip|||not a loopback address (test mode)|https://x/\n\
egress=nonsense|curl|0|200|000||https://x/\n\
egress=marketplace|curl|0|200\n\
egress=toolchain|curl|7|000|000||https://go.dev/dl/",
        );
        assert_eq!(e.tool.as_deref(), Some("curl"));
        assert_eq!(
            e.https_proxy().map(|p| p.value.as_str()),
            Some("http://***@proxy.corp:3128"),
            "credentials are redacted"
        );
        assert_eq!(e.proxy_vars.len(), 2, "{:?}", e.proxy_vars);
        let outcomes: Vec<(&str, &EgressOutcome)> = e
            .probes
            .iter()
            .map(|p| (p.what.as_str(), &p.outcome))
            .collect();
        assert_eq!(
            outcomes,
            [
                ("server", &EgressOutcome::Reached { status: 404 }),
                (
                    "cdn",
                    &EgressOutcome::Skipped {
                        reason: "not a loopback address (test mode)".into()
                    }
                ),
                (
                    "goproxy",
                    &EgressOutcome::Failed {
                        exit: Some(56),
                        proxy_status: Some(403),
                        message: "curl: (56) CONNECT tunnel failed, response 403".into()
                    }
                ),
                (
                    "sumdb",
                    &EgressOutcome::Failed {
                        exit: Some(28),
                        proxy_status: None,
                        message: "curl: (28) Connection timed out after 4001 ms".into()
                    }
                ),
                (
                    "toolchain",
                    &EgressOutcome::Failed {
                        exit: Some(7),
                        proxy_status: None,
                        message: "no answer".into()
                    }
                ),
            ]
        );
        assert!(!EgressFacts::read(&mut None, "user", "dev"));
    }

    #[test]
    fn a_refused_tunnel_is_rmt033_and_other_failures_rmt032_each_with_the_proxy_named() {
        let e = facts(
            "egress_tool=curl\negress_env_https_proxy=http://127.0.0.1:3128\n\
egress=goproxy|curl|56|000|403|curl: (56) CONNECT tunnel failed, response 403|https://proxy.golang.org\n\
egress=server|curl|7|000|000|curl: (7) Failed to connect|https://update.code.visualstudio.com/\n\
egress=cdn|curl|0|200|200||https://golang.gallerycdn.vsassets.io/",
        );
        let mut out = Vec::new();
        findings("box", &e, &mut out);
        assert_eq!(
            out.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
            ["RMT033", "RMT032"]
        );
        assert_eq!(out[0].severity, Severity::Error);
        assert_eq!(
            out[0].message,
            "the proxy of box's non-login shell refuses to tunnel (CONNECT) to GOPROXY https://proxy.golang.org (HTTP 403): through the proxy https_proxy=http://127.0.0.1:3128"
        );
        assert!(
            out[0].fixes[0].title.contains("GOPROXY"),
            "{:?}",
            out[0].fixes
        );
        assert_eq!(
            out[1].message,
            "box cannot reach the VS Code server download https://update.code.visualstudio.com/ (curl: (7) Failed to connect) from a non-login shell, through the proxy https_proxy=http://127.0.0.1:3128: downloads of the VS Code server, extensions or Go modules fail there"
        );
        let fix = &out[1].fixes[0].title;
        assert!(
            fix.starts_with("In your local VS Code settings set `\"remote.SSH.localServerDownload\": \"always\"`"),
            "{fix}"
        );
        assert!(
            !fix.contains("downloadExtensionsLocally"),
            "the CDN answered: {fix}"
        );
        let detail = out[1].detail.as_deref().unwrap();
        assert!(
            detail.contains("cdn https://golang.gallerycdn.vsassets.io/: reached (HTTP 200)"),
            "{detail}"
        );
    }

    #[test]
    fn every_target_reached_or_skipped_is_quiet_and_no_tool_is_only_information() {
        let e = facts(
            "egress_tool=wget\n\
egress=server|wget|8|404||wget: server returned error: HTTP/1.1 404 Not Found|https://update.code.visualstudio.com/\n\
egress=sumdb|wget|skip|||not a loopback address (test mode)|https://sum.golang.org/",
        );
        assert_eq!(codes(&e), Vec::<String>::new());
        let e = facts("egress_tool=none\negress=server||skip|||neither curl nor wget|https://x/");
        let mut out = Vec::new();
        findings("box", &e, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].severity, Severity::Info);
        assert!(out[0].message.starts_with("box has neither curl nor wget"));
        let e = facts(
            "egress_tool=wget\n\
egress=marketplace|wget|4||| Proxy tunneling failed: ForbiddenUnable to establish SSL connection.|https://marketplace.visualstudio.com/",
        );
        assert_eq!(codes(&e), ["RMT033"]);
    }

    #[test]
    fn hostile_probe_lines_are_bounded_redacted_and_never_misread() {
        let long = "é".repeat(400);
        let many: String = (0..100)
            .map(|i| format!("egress=goproxy|curl|7|000|000|x|https://127.0.0.1/{i}\n"))
            .collect();
        let e = facts(&format!(
            "egress_tool=curl; rm -rf /\n\
egress=server|curl|7|000|000|{long}|https://127.0.0.1/a|b\n\
egress=server|curl|x|y|z|w|https://user:hunter2@127.0.0.1/\n\
egress=server|curl|0|99999|000||https://127.0.0.1/\n\
egress=|||||\n{many}"
        ));
        assert_eq!(e.tool, None, "only curl or wget is a tool");
        assert_eq!(e.probes.len(), MAX_PROBES);
        let first = e.probes.iter().find(|p| p.url.ends_with("/a|b")).unwrap();
        match &first.outcome {
            EgressOutcome::Failed { message, exit, .. } => {
                assert!(
                    message.len() <= 300 && message.starts_with('é'),
                    "{message}"
                );
                assert_eq!(*exit, Some(7));
            }
            other => panic!("{other:?}"),
        }
        assert!(e.probes.iter().all(|p| !p.url.contains("hunter2")));
        // A status that is no HTTP status is no answer.
        assert!(e
            .probes
            .iter()
            .filter(|p| p.url == "https://127.0.0.1/")
            .all(|p| matches!(p.outcome, EgressOutcome::Failed { .. })));
    }
}
