//! `gord remote check` against real sshd daemons on loopback (tests/rig).

mod rig;

use std::time::Duration;

use rig::{codes, Rig};

fn with<'a>(base: &'a [String], extra: &'a [&'a str]) -> Vec<&'a str> {
    base.iter().map(String::as_str).chain(extra.iter().copied()).collect()
}

/// sshd's non-login PATH for the rig's root sessions: Go and its tools on it.
const GO_PATH_ENV: &str = "SetEnv PATH=/usr/local/go/bin:/root/go/bin:/usr/local/bin:/usr/bin:/bin";

#[test]
fn a_healthy_host_is_reachable_authenticated_and_ready_for_go_and_vscode() {
    let mut rig = Rig::new();
    let port = rig.start_sshd("healthy", &[GO_PATH_ENV, "AllowTcpForwarding yes"]);
    rig.trust_sshd(port);
    let control = format!("ControlPath {}/cm-%C", rig.dir.path().display());
    let base = rig.root_with_key();
    rig.host(
        "healthy",
        port,
        &with(&base, &["ControlMaster auto", &control, "ControlPersist 5"]),
    );
    let (report, code, _, stderr) = rig.gord_check(&["healthy", "--timeout", "5"]);
    let host = &report["hosts"][0];
    let summary = &host["summary"];
    assert_eq!(
        (
            summary["reachable"].as_str(),
            summary["auth"].as_str(),
            summary["goReady"].as_str(),
            summary["vscodeServerReady"].as_str()
        ),
        (Some("yes"), Some("yes"), Some("yes"), Some("yes")),
        "{host:#}\n{stderr}"
    );
    assert!(host["probe"]["banner"]
        .as_str()
        .unwrap()
        .starts_with("SSH-2.0-OpenSSH_"));
    assert_eq!(host["probe"]["hostKey"]["known"], "match");
    assert_eq!(host["probe"]["auth"]["result"], "succeeded");
    assert!(host["probe"]["authMethods"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("publickey")));
    assert_eq!(host["forwarding"]["result"], "works");
    assert!(host["remote"]["goVersion"]
        .as_str()
        .unwrap()
        .starts_with("go version go"));
    assert!(host["control"]["secondConnectionMs"].is_u64(), "{host:#}");
    assert!(
        codes(&report, 0).iter().all(|c| c != "RMT010"),
        "{host:#}"
    );
    assert!(code == Some(0) || code == Some(1), "{stderr}");
}
