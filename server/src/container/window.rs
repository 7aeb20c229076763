//! Inside a container (a Dev Containers window, a Codespace, any Docker or
//! Podman container): say so, and check for real what Delve needs there:
//! CAP_SYS_PTRACE in CapEff, the `Seccomp:` mode, Yama's ptrace_scope.
//! Pure: the texts read from /proc and the evidence in, an outcome out.

use crate::check::Outcome;
use crate::debug::procfs::{parse_ptrace_scope, parse_status, CAP_SYS_PTRACE};
use crate::finding::Fix;

/// What was read from the system, as text (None when absent or unreadable).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub dockerenv: bool,
    pub containerenv: bool,
    /// `REMOTE_CONTAINERS` (set by the Dev Containers extension).
    pub remote_containers: Option<String>,
    pub cgroup: Option<String>,
    /// /proc/self/status.
    pub status: Option<String>,
    /// /proc/sys/kernel/yama/ptrace_scope (absent without Yama).
    pub ptrace_scope: Option<String>,
}

/// Why gord thinks it runs in a container; empty when it does not.
pub fn evidence(facts: &Facts) -> Vec<String> {
    let mut why = Vec::new();
    if facts.dockerenv {
        why.push(String::from("/.dockerenv"));
    }
    if facts.containerenv {
        why.push(String::from("/run/.containerenv"));
    }
    if facts
        .remote_containers
        .as_deref()
        .is_some_and(|v| !v.is_empty())
    {
        why.push(String::from("REMOTE_CONTAINERS"));
    }
    let hints = [
        "/docker",
        "docker-",
        "/kubepods",
        "/libpod",
        "containerd",
        "/lxc/",
    ];
    if let Some(line) = facts.cgroup.as_deref().and_then(|text| {
        text.lines()
            .find(|line| hints.iter().any(|hint| line.contains(hint)))
    }) {
        why.push(format!("cgroup {}", line.trim()));
    }
    why
}

/// The `Seccomp:` mode of a /proc/PID/status text: 0 none, 1 strict, 2 filter.
pub fn seccomp_mode(status: &str) -> Option<u8> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("Seccomp:"))
        .and_then(|v| v.trim().parse().ok())
}

/// Delve's own words when ptrace is refused.
const LAUNCH_REFUSED: &str = "could not launch process: fork/exec …: operation not permitted";
const ATTACH_REFUSED: &str = "could not attach to pid …: operation not permitted";

pub fn judge(facts: &Facts) -> Outcome {
    let why = evidence(facts);
    if why.is_empty() {
        return Outcome::ok("not inside a container");
    }
    let status = facts.status.as_deref().map(parse_status);
    let ptrace = status.as_ref().map(|s| s.has_capability(CAP_SYS_PTRACE));
    let seccomp = facts.status.as_deref().and_then(seccomp_mode);
    let scope = facts.ptrace_scope.as_deref().and_then(parse_ptrace_scope);
    let detail = format!(
        "evidence: {}\nCapEff: {}\nSeccomp: {}\nkernel.yama.ptrace_scope: {}",
        why.join(", "),
        status
            .as_ref()
            .and_then(|s| s.cap_eff)
            .map_or_else(|| String::from("unknown"), |c| format!("{c:016x}")),
        seccomp.map_or_else(|| String::from("unknown"), |s| s.to_string()),
        scope.map_or_else(|| String::from("no Yama"), |s| s.to_string()),
    );
    let mut problems = Vec::new();
    if seccomp == Some(2) {
        problems.push(format!(
            "a seccomp filter is on (Seccomp: 2, no seccomp=unconfined): Docker's default profile can refuse what Delve does when it starts a program (\"{LAUNCH_REFUSED}\")"
        ));
    }
    if ptrace == Some(false) && scope.is_some_and(|s| s >= 1) {
        problems.push(format!(
            "CAP_SYS_PTRACE is not in the effective capabilities and kernel.yama.ptrace_scope is {}: attaching to a running process fails (\"{ATTACH_REFUSED}\")",
            scope.unwrap_or_default()
        ));
    }
    let inside = format!("inside a container ({})", why.join(", "));
    if problems.is_empty() {
        let caps = match ptrace {
            Some(true) => "CAP_SYS_PTRACE present",
            Some(false) => "no CAP_SYS_PTRACE, but no Yama restriction",
            None => "capabilities unknown",
        };
        let filter = match seccomp {
            Some(0) => ", no seccomp filter",
            Some(_) => ", seccomp filter on",
            None => "",
        };
        return Outcome::ok(format!("{inside}: {caps}{filter}")).with_detail(detail);
    }
    Outcome::warning(format!("{inside}: {}", problems.join("; ")))
        .with_detail(detail)
        .with_fix(Fix::advice(
            "Add \"capAdd\": [\"SYS_PTRACE\"] and \"securityOpt\": [\"seccomp=unconfined\"] to the devcontainer.json \
             (or --cap-add=SYS_PTRACE --security-opt seccomp=unconfined to docker run) and rebuild the container",
        ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Status;

    const DOCKER_DEFAULT: &str =
        "Name:\tgord\nCapEff:\t00000000a80425fb\nSeccomp:\t2\nSeccomp_filters:\t1\n";
    const UNCONFINED: &str = "Name:\tgord\nCapEff:\t00000000a80c25fb\nSeccomp:\t0\n";

    #[test]
    fn outside_a_container_there_is_nothing_to_say() {
        let outcome = judge(&Facts {
            cgroup: Some("0::/user.slice/user-1000.slice/session-2.scope\n".into()),
            status: Some(DOCKER_DEFAULT.into()),
            ..Facts::default()
        });
        assert_eq!(outcome.status, Status::Ok);
        assert_eq!(outcome.message, "not inside a container");
    }

    #[test]
    fn each_kind_of_evidence_is_named() {
        let facts = Facts {
            dockerenv: true,
            containerenv: true,
            remote_containers: Some("true".into()),
            cgroup: Some("12:pids:/docker/0123abcd\n0::/\n".into()),
            ..Facts::default()
        };
        assert_eq!(
            evidence(&facts),
            [
                "/.dockerenv",
                "/run/.containerenv",
                "REMOTE_CONTAINERS",
                "cgroup 12:pids:/docker/0123abcd"
            ]
        );
    }

    #[test]
    fn dockers_default_confinement_is_a_warning_quoting_delve() {
        let outcome = judge(&Facts {
            dockerenv: true,
            status: Some(DOCKER_DEFAULT.into()),
            ptrace_scope: Some("1\n".into()),
            ..Facts::default()
        });
        assert_eq!(outcome.status, Status::Warning);
        assert!(outcome
            .message
            .starts_with("inside a container (/.dockerenv): "));
        assert!(outcome.message.contains("Seccomp: 2"));
        assert!(outcome.message.contains(LAUNCH_REFUSED));
        assert!(outcome.message.contains(ATTACH_REFUSED));
        assert!(outcome.fix.unwrap().title.contains("SYS_PTRACE"));
        assert!(outcome.detail.unwrap().contains("CapEff: 00000000a80425fb"));
    }

    #[test]
    fn a_container_with_ptrace_and_no_filter_is_fine() {
        let outcome = judge(&Facts {
            remote_containers: Some("true".into()),
            status: Some(UNCONFINED.into()),
            ptrace_scope: Some("1".into()),
            ..Facts::default()
        });
        assert_eq!(outcome.status, Status::Ok);
        assert_eq!(
            outcome.message,
            "inside a container (REMOTE_CONTAINERS): CAP_SYS_PTRACE present, no seccomp filter"
        );
    }

    #[test]
    fn the_seccomp_mode_is_read_from_status() {
        assert_eq!(seccomp_mode(DOCKER_DEFAULT), Some(2));
        assert_eq!(seccomp_mode("Name:\tx\n"), None);
    }
}
