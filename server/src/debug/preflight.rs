//! Preflight: everything that would make `dlv attach PID` fail or disappoint,
//! found before trying. A pure function over [`Facts`], gathered at the edge.

use serde::Serialize;

use crate::check::doc_path;
use crate::debug::discover::{ProcessInfo, SelfFacts};
use crate::debug::dlv::{parse_dlv_version, supported_go, DlvFacts};
use crate::finding::{Finding, Fix, Severity, Subject};
use crate::goenv::tools::pinned;

/// The verdict for one pid.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preflight {
    pub pid: u32,
    /// An error finding: attaching would fail or be pointless.
    pub blocked: bool,
    /// About the process: `detail` is what Delve itself would print.
    #[serde(serialize_with = "wire::findings")]
    pub findings: Vec<Finding>,
}

impl Preflight {
    /// One word for a table: `ok`, or the first blocking finding's code and title.
    pub fn verdict(&self) -> String {
        match self.findings.iter().max_by_key(|f| f.severity) {
            None => "ok".into(),
            Some(f) if f.severity == Severity::Error => format!("{} {}", f.code, title(&f.code)),
            Some(f) => format!("ok ({} {})", f.code, title(&f.code)),
        }
    }

    /// The findings as gord's reports show them (`gord procs`, `gord attach
    /// --dry-run` as JSON or SARIF): the rule's title leads the message, and
    /// Delve's own words are the detail.
    pub fn shown(&self) -> Vec<Finding> {
        self.findings
            .iter()
            .map(|f| Finding {
                message: format!("{}: {}", title(&f.code), f.message),
                detail: f.detail.as_ref().map(|e| format!("Delve would say: {e}")),
                ..f.clone()
            })
            .collect()
    }
}

/// Everything preflight looks at.
#[derive(Debug, Clone)]
pub struct Facts {
    pub me: SelfFacts,
    pub target: ProcessInfo,
    pub dlv: DlvFacts,
}

pub const TITLES: [(&str, &str); 9] = [
    ("DBG001", "ptrace blocked by Yama"),
    ("DBG002", "process owned by another user"),
    ("DBG003", "already being debugged"),
    ("DBG004", "dlv not installed"),
    ("DBG005", "dlv and Go versions do not match"),
    ("DBG006", "no DWARF debug info"),
    ("DBG007", "optimised build"),
    ("DBG008", "not a Go program"),
    ("DBG009", "executable unreadable"),
];

/// A rule's title, the short name a table shows.
pub fn title(code: &str) -> &'static str {
    TITLES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, t)| t)
}

/// A finding of rule `code`; [`preflight`] makes it about the target process.
fn finding(code: &'static str, severity: Severity, message: String) -> Finding {
    Finding::new(code, severity, message, Subject::Workspace).with_doc(doc_path(code))
}

/// The wire shape of a preflight finding (`gord/attach/preflight`,
/// `gord attach --dry-run --format json`), as before findings had one model:
/// `title` and `delveError` besides code, severity, message, fix and doc.
mod wire {
    use serde::ser::{SerializeSeq, Serializer};
    use serde::Serialize;

    use crate::check::wire::FixWire;
    use crate::finding::{Finding, Severity};

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct DebugFindingWire<'a> {
        code: &'a str,
        severity: Severity,
        title: &'static str,
        message: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        delve_error: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        fix: Option<FixWire>,
        doc: &'a str,
    }

    pub fn findings<S: Serializer>(findings: &[Finding], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(findings.len()))?;
        for f in findings {
            seq.serialize_element(&DebugFindingWire {
                code: &f.code,
                severity: f.severity,
                title: super::title(&f.code),
                message: &f.message,
                delve_error: f.detail.as_deref(),
                fix: f.fix().map(FixWire::from),
                doc: f.doc.as_deref().unwrap_or_default(),
            })?;
        }
        seq.end()
    }
}

/// Runs every preflight rule.
pub fn preflight(facts: &Facts) -> Preflight {
    let pid = facts.target.pid;
    let mut findings = Vec::new();
    findings.extend(ptrace_scope(facts));
    findings.extend(ownership(facts));
    findings.extend(already_traced(facts));
    findings.extend(program(facts));
    findings.extend(dlv(facts));
    for f in &mut findings {
        f.subject = Subject::Process {
            pid,
            name: Some(facts.target.name.clone()),
        };
    }
    Preflight {
        pid,
        blocked: findings.iter().any(|f| f.severity == Severity::Error),
        findings,
    }
}

fn ptrace_scope(facts: &Facts) -> Option<Finding> {
    let pid = facts.target.pid;
    let cap = facts.me.cap_sys_ptrace;
    let delve = format!(
        "Could not attach to pid {pid}: this could be caused by a kernel security setting, try writing \"0\" to /proc/sys/kernel/yama/ptrace_scope"
    );
    let relax = || {
        Fix::run(
            "Allow attaching to your own processes until the next reboot",
            ["sudo", "sysctl", "-w", "kernel.yama.ptrace_scope=0"],
        )
    };
    let message = match facts.me.ptrace_scope? {
        1 if !cap => format!(
            "kernel.yama.ptrace_scope is 1: a process may only be traced by its ancestors, and dlv (started by gord) is not an ancestor of pid {pid}; without CAP_SYS_PTRACE the attach fails"
        ),
        2 if !cap => format!(
            "kernel.yama.ptrace_scope is 2: only a process with CAP_SYS_PTRACE (normally root) may attach, and gord has not got it; run the debugger as root to attach to pid {pid}"
        ),
        3 => {
            return Some(
                finding(
                    "DBG001",
                    Severity::Error,
                    "kernel.yama.ptrace_scope is 3: no process may attach to another, not even root, and the setting cannot be lowered until the machine reboots".into(),
                )
                .with_detail(delve)
                .with_fix(Fix::advice(
                    "Set kernel.yama.ptrace_scope to 0 or 1 in /etc/sysctl.d/ and reboot, or start the program under dlv (dlv exec) instead of attaching",
                )),
            )
        }
        _ => return None,
    };
    Some(
        finding("DBG001", Severity::Error, message)
            .with_detail(delve)
            .with_fix(relax()),
    )
}

fn ownership(facts: &Facts) -> Option<Finding> {
    let pid = facts.target.pid;
    let target_uid = facts.target.uid?;
    if target_uid == facts.me.uid || facts.me.cap_sys_ptrace {
        return None;
    }
    Some(
        finding(
            "DBG002",
            Severity::Error,
            format!(
                "pid {pid} runs as {} (uid {target_uid}) and gord as uid {}, without CAP_SYS_PTRACE: the kernel refuses to let one user trace another's process",
                facts.target.user, facts.me.uid
            ),
        )
        .with_detail(format!(
            "Could not attach to pid {pid}: current user does not own the process"
        ))
        .with_fix(Fix::advice(format!(
            "Debug as the process's user ({}), e.g. open the remote window as that user, or as root",
            facts.target.user
        ))),
    )
}

fn already_traced(facts: &Facts) -> Option<Finding> {
    let pid = facts.target.pid;
    let tracer = facts.target.tracer_pid;
    if tracer == 0 {
        return None;
    }
    let who = facts
        .target
        .tracer_command
        .as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    Some(
        finding(
            "DBG003",
            Severity::Error,
            format!(
                "pid {pid} is already traced by pid {tracer}{who}; a process can have only one tracer"
            ),
        )
        .with_detail(format!(
            "could not attach to pid {pid}: already being debugged by pid {tracer}"
        ))
        .with_fix(Fix::advice(format!(
            "Detach or stop the other debugger (pid {tracer}), or connect to it instead if it is a dlv server"
        ))),
    )
}

const NO_DEBUG_INFO: &str = "Warning: no debug info found, some functionality will be missing such as stack traces and variable evaluation.";

fn program(facts: &Facts) -> Vec<Finding> {
    let pid = facts.target.pid;
    let target = &facts.target;
    let Some(binary) = &target.binary else {
        let reason = target
            .exe_error
            .clone()
            .unwrap_or_else(|| "the process has no executable (a kernel thread?)".into());
        // A different user's executable is unreadable for the same reason as DBG002.
        if facts.target.uid.is_some_and(|u| u != facts.me.uid) && !facts.me.cap_sys_ptrace {
            return Vec::new();
        }
        return vec![finding(
            "DBG009",
            Severity::Error,
            format!("cannot read the executable of pid {pid}: {reason}"),
        )
        .with_fix(Fix::advice(
            "Check that the process still exists and that its executable is readable by you",
        ))];
    };
    let Some(go) = &binary.go else {
        return vec![finding(
            "DBG008",
            Severity::Error,
            format!(
                "pid {pid} ({}) is not a Go program: its executable has no Go build info, so Delve cannot debug it",
                target.exe.as_deref().unwrap_or(&target.name)
            ),
        )
        .with_detail(NO_DEBUG_INFO)
        .with_fix(Fix::advice("Pick a Go process (gord procs --go)"))];
    };
    let mut found = Vec::new();
    if !binary.dwarf {
        found.push(
            finding(
                "DBG006",
                Severity::Error,
                format!(
                    "pid {pid} was built without DWARF debug info (-ldflags=-w, -s or strip): Delve can attach but shows no source, stack traces or variables"
                ),
            )
            .with_detail(NO_DEBUG_INFO)
            .with_fix(Fix::advice(
                "Rebuild without -w/-s in -ldflags and do not strip the binary, then restart it",
            )),
        );
    } else if go.optimised() {
        found.push(
            finding(
                "DBG007",
                Severity::Warning,
                format!(
                    "pid {pid} is an optimised build: variables may show as optimized away and stepping can jump around"
                ),
            )
            .with_fix(Fix::advice(
                "For a full debugging view, rebuild with go build -gcflags='all=-N -l' and restart it",
            )),
        );
    }
    found
}

fn dlv(facts: &Facts) -> Option<Finding> {
    let install = || {
        pinned("dlv").map(|spec| {
            Fix::run(
                format!("Install Delve {}", spec.version),
                spec.install_argv(),
            )
        })
    };
    let Some(path) = &facts.dlv.path else {
        let searched = facts
            .dlv
            .searched
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(":");
        let mut f = finding(
            "DBG004",
            Severity::Error,
            format!(
                "dlv (Delve) is not installed: not on PATH nor in GOPATH/bin (searched {searched})"
            ),
        );
        f.fixes.extend(install());
        return Some(f);
    };
    let Some(version) = facts
        .dlv
        .version
        .as_deref()
        .and_then(|v| parse_dlv_version(&format!("Version: {v}")))
    else {
        let mut f = finding(
            "DBG005",
            Severity::Warning,
            format!(
                "the version of {} is unknown ({}), so gord cannot tell whether it supports this program's Go",
                path.display(),
                facts.dlv.error.as_deref().unwrap_or("dlv version printed none")
            ),
        );
        f.fixes.extend(install());
        return Some(f);
    };
    let go_version = facts
        .target
        .binary
        .as_ref()
        .and_then(|b| b.go.as_ref())
        .and_then(|g| g.version())?;
    let ((min_major, min_minor), (max_major, max_minor)) = supported_go(version);
    let lang = go_version.language();
    let (dlv_text, go_text) = (
        format!("{}.{}.{}", version.0, version.1, version.2),
        format!("go{}.{}", lang.0, lang.1),
    );
    let mut f = if lang > (max_major, max_minor) {
        finding(
            "DBG005",
            Severity::Error,
            format!(
                "dlv {dlv_text} supports Go up to {max_major}.{max_minor}, and pid {} was built with {go_text}: install a newer Delve",
                facts.target.pid
            ),
        )
        .with_detail(format!(
            "Version of Delve is too old for Go version {go_text} (maximum supported version {max_major}.{max_minor}, suppress this error with --check-go-version=false)"
        ))
    } else if lang < (min_major, min_minor) {
        finding(
            "DBG005",
            Severity::Error,
            format!(
                "dlv {dlv_text} supports Go from {min_major}.{min_minor}, and pid {} was built with {go_text}: use an older Delve or rebuild with a newer Go",
                facts.target.pid
            ),
        )
        .with_detail(format!(
            "Go version {go_text} is too old for this version of Delve (minimum supported version {min_major}.{min_minor}, suppress this error with --check-go-version=false)"
        ))
    } else {
        return None;
    };
    f.fixes.extend(install());
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::debug::buildinfo::{parse_modinfo, BinaryInfo};
    use std::path::PathBuf;

    #[test]
    fn shown_findings_lead_with_the_rules_title_and_quote_delve() {
        let preflight = Preflight {
            pid: 4242,
            blocked: true,
            findings: vec![Finding::new(
                "DBG006",
                Severity::Error,
                "the binary was built with -ldflags=-w",
                Subject::Process {
                    pid: 4242,
                    name: Some("server".into()),
                },
            )
            .with_detail("could not attach")
            .with_doc("docs/rules/DBG006.md")],
        };
        let shown = preflight.shown();
        assert_eq!(
            shown[0].message,
            "no DWARF debug info: the binary was built with -ldflags=-w"
        );
        assert_eq!(
            shown[0].detail.as_deref(),
            Some("Delve would say: could not attach")
        );
        assert_eq!(
            (
                shown[0].severity,
                &shown[0].subject,
                shown[0].doc.as_deref()
            ),
            (
                Severity::Error,
                &Subject::Process {
                    pid: 4242,
                    name: Some("server".into())
                },
                Some("docs/rules/DBG006.md")
            )
        );
    }

    fn go_program(modinfo: &str, dwarf: bool) -> BinaryInfo {
        let mut go = parse_modinfo(modinfo);
        go.go_version = "go1.26.8".into();
        BinaryInfo {
            go: Some(go),
            dwarf,
            go_build_id: None,
            gnu_build_id: None,
        }
    }

    fn facts() -> Facts {
        Facts {
            me: SelfFacts {
                uid: 1000,
                cap_sys_ptrace: false,
                ptrace_scope: Some(0),
            },
            target: ProcessInfo {
                pid: 4321,
                ppid: Some(1),
                uid: Some(1000),
                user: "al".into(),
                name: "server".into(),
                command: vec!["/srv/server".into()],
                started_unix: Some(0),
                exe: Some("/srv/server".into()),
                exe_error: None,
                binary: Some(go_program("build\t-gcflags=\"all=-N -l\"\n", true)),
                tracer_pid: 0,
                tracer_command: None,
            },
            dlv: DlvFacts {
                path: Some(PathBuf::from("/home/al/go/bin/dlv")),
                version: Some("1.27.2".into()),
                searched: vec![],
                error: None,
            },
        }
    }

    fn codes(facts: &Facts) -> Vec<String> {
        preflight(facts)
            .findings
            .iter()
            .map(|f| f.code.clone())
            .collect()
    }

    #[test]
    fn a_debug_build_of_your_own_go_program_is_clear_to_attach() {
        let result = preflight(&facts());
        assert_eq!(result.findings, []);
        assert!(!result.blocked);
        assert_eq!(result.verdict(), "ok");
    }

    #[test]
    fn dbg001_ptrace_scope_1_blocks_without_cap_sys_ptrace_and_quotes_delve() {
        let mut f = facts();
        f.me.ptrace_scope = Some(1);
        let result = preflight(&f);
        assert!(result.blocked);
        assert!(result.findings[0].message.contains("ancestors"));
        assert_eq!(
            result.findings[0].detail.as_deref(),
            Some("Could not attach to pid 4321: this could be caused by a kernel security setting, try writing \"0\" to /proc/sys/kernel/yama/ptrace_scope")
        );
        f.me.cap_sys_ptrace = true;
        assert_eq!(codes(&f), Vec::<&str>::new());
    }

    #[test]
    fn dbg001_ptrace_scope_2_is_admin_only_and_3_blocks_even_root() {
        let mut f = facts();
        f.me.ptrace_scope = Some(2);
        assert!(preflight(&f).findings[0].message.contains("CAP_SYS_PTRACE"));
        f.me.cap_sys_ptrace = true;
        assert!(codes(&f).is_empty());
        f.me.ptrace_scope = Some(3);
        let result = preflight(&f);
        assert_eq!(codes(&f), ["DBG001"]);
        assert!(result.findings[0]
            .message
            .contains("until the machine reboots"));
        f.me.ptrace_scope = None;
        assert!(codes(&f).is_empty(), "no Yama, no restriction");
    }

    #[test]
    fn dbg002_another_users_process_needs_cap_sys_ptrace() {
        let mut f = facts();
        f.target.uid = Some(0);
        f.target.user = "root".into();
        f.target.binary = None;
        f.target.exe_error = Some("permission denied".into());
        let result = preflight(&f);
        assert_eq!(
            codes(&f),
            ["DBG002"],
            "the unreadable exe is the same cause"
        );
        assert_eq!(
            result.findings[0].detail.as_deref(),
            Some("Could not attach to pid 4321: current user does not own the process")
        );
        f.me.cap_sys_ptrace = true;
        assert_eq!(codes(&f), ["DBG009"]);
    }

    #[test]
    fn dbg003_names_the_tracer_and_its_command() {
        let mut f = facts();
        f.target.tracer_pid = 99;
        f.target.tracer_command = Some("gdb -p 4321".into());
        let result = preflight(&f);
        assert_eq!(codes(&f), ["DBG003"]);
        assert!(result.findings[0].message.contains("pid 99 (gdb -p 4321)"));
        assert_eq!(
            result.findings[0].detail.as_deref(),
            Some("could not attach to pid 4321: already being debugged by pid 99")
        );
    }

    #[test]
    fn dbg004_missing_dlv_offers_the_pinned_install() {
        let mut f = facts();
        f.dlv.path = None;
        let result = preflight(&f);
        assert_eq!(codes(&f), ["DBG004"]);
        let argv = result.findings[0].fix().unwrap().command.clone().unwrap();
        assert_eq!(argv[..2], ["go", "install"]);
        assert!(argv[2].starts_with("github.com/go-delve/delve/cmd/dlv@v"));
    }

    #[test]
    fn dbg005_dlv_too_old_for_the_programs_go_quotes_delve() {
        let mut f = facts();
        f.dlv.version = Some("1.26.1".into());
        let result = preflight(&f);
        assert_eq!(codes(&f), ["DBG005"]);
        assert_eq!(
            result.findings[0].detail.as_deref(),
            Some("Version of Delve is too old for Go version go1.26 (maximum supported version 1.25, suppress this error with --check-go-version=false)")
        );
        f.dlv.version = Some("1.31.0".into());
        assert!(preflight(&f).findings[0]
            .message
            .contains("supports Go from 1.28"));
        f.dlv.version = None;
        f.dlv.error = Some("timed out".into());
        assert_eq!(preflight(&f).findings[0].severity, Severity::Warning);
    }

    #[test]
    fn dbg006_no_dwarf_blocks_and_dbg007_optimised_warns() {
        let mut f = facts();
        f.target.binary = Some(go_program("", false));
        assert_eq!(codes(&f), ["DBG006"]);
        f.target.binary = Some(go_program("build\t-ldflags=-X main.v=1\n", true));
        let result = preflight(&f);
        assert_eq!(codes(&f), ["DBG007"]);
        assert!(!result.blocked, "an optimised build can still be debugged");
        assert_eq!(result.verdict(), "ok (DBG007 optimised build)");
    }

    #[test]
    fn dbg008_a_program_without_go_build_info_is_not_go() {
        let mut f = facts();
        f.target.binary = Some(BinaryInfo {
            go: None,
            dwarf: true,
            go_build_id: None,
            gnu_build_id: None,
        });
        assert_eq!(codes(&f), ["DBG008"]);
        assert_eq!(preflight(&f).verdict(), "DBG008 not a Go program");
    }

    #[test]
    fn every_code_has_a_rule_page() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let index = std::fs::read_to_string(root.join("docs/rules/README.md")).unwrap();
        for (code, _) in TITLES {
            assert!(root.join(doc_path(code)).is_file(), "{code} has no page");
            assert!(
                index.contains(&format!("[{code}]({code}.md)")),
                "{code} not indexed"
            );
        }
    }
}
