//! `gord remote check` against real sshd daemons on loopback (tests/rig).

use crate::common::{free_port, skip, str_of};
use crate::rig;

use std::time::Duration;

use std::process::Command;

use rig::{codes, Rig};

fn with<'a>(base: &'a [String], extra: &'a [&'a str]) -> Vec<&'a str> {
    base.iter()
        .map(String::as_str)
        .chain(extra.iter().copied())
        .collect()
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
    assert!(str_of(&host["probe"]["banner"]).starts_with("SSH-2.0-OpenSSH_"));
    assert_eq!(host["probe"]["hostKey"]["known"], "match");
    assert_eq!(host["probe"]["auth"]["result"], "succeeded");
    // A key that logs in makes asking for the offered methods (a round trip) needless.
    assert_eq!(
        host["probe"]["authMethods"],
        serde_json::json!([]),
        "{host:#}"
    );
    assert_eq!(host["forwarding"]["result"], "works");
    assert!(str_of(&host["remote"]["goVersion"]).starts_with("go version go"));
    assert!(host["control"]["secondConnectionMs"].is_u64(), "{host:#}");
    assert!(codes(&report, 0).iter().all(|c| c != "RMT010"), "{host:#}");
    assert!(code == Some(0) || code == Some(1), "{stderr}");
}

#[test]
fn a_host_reached_only_through_a_jump_host_is_probed_through_it() {
    let mut rig = Rig::new();
    let bastion = rig.start_sshd("bastion", &["AllowTcpForwarding yes"]);
    let inner = rig.start_sshd("inner", &[GO_PATH_ENV]);
    rig.trust_sshd(bastion);
    rig.trust_sshd(inner);
    let base = rig.root_with_key();
    rig.host("bastion", bastion, &with(&base, &[]));
    rig.host("inner", inner, &with(&base, &["ProxyJump bastion"]));
    let (report, _, _, stderr) = rig.gord_check(&["inner", "--timeout", "5"]);
    let host = &report["hosts"][0];
    assert_eq!(host["probe"]["route"]["kind"], "proxyJump", "{host:#}");
    assert_eq!(host["probe"]["route"]["hops"][0], "bastion");
    assert_eq!(
        host["probe"]["hostKey"]["known"], "match",
        "{host:#}\n{stderr}"
    );
    assert_eq!(host["summary"]["auth"], "yes");
    // The connect budget times the jump as one stage, up to the target's banner.
    assert_eq!(
        host["connect"]["stages"][0]["name"], "jump through bastion to the banner",
        "{host:#}"
    );
    // The target sees the probe's login and the master's, nothing more.
    assert_eq!(rig.logins_to(inner), 2, "{}", rig.sshd_log(inner));
    // The bastion opened the forward to the inner sshd's port.
    let log = rig.sshd_log(bastion);
    assert!(
        log.contains(&format!("port {inner}")) && log.contains("direct-tcpip"),
        "{log}"
    );
}

#[test]
fn a_host_that_refuses_tcp_forwarding_is_reported_naming_allowtcpforwarding() {
    let mut rig = Rig::new();
    let port = rig.start_sshd("noforward", &[GO_PATH_ENV, "AllowTcpForwarding no"]);
    rig.trust_sshd(port);
    let base = rig.root_with_key();
    rig.host("noforward", port, &with(&base, &[]));
    let (report, code, _, _) = rig.gord_check(&["noforward", "--timeout", "5"]);
    let host = &report["hosts"][0];
    assert_eq!(host["forwarding"]["result"], "refused", "{host:#}");
    assert!(codes(&report, 0).contains(&"RMT013".to_string()));
    let finding = crate::common::entry(&host["findings"], "code", "RMT013");
    assert!(str_of(&finding["message"]).contains("administratively prohibited"));
    assert!(str_of(&finding["fix"]["title"]).contains("AllowTcpForwarding yes"));
    assert_eq!(host["summary"]["vscodeServerReady"], "no");
    assert_eq!(code, Some(1));
}

#[test]
fn a_host_whose_key_changed_is_reported_with_its_fingerprint() {
    let mut rig = Rig::new();
    let port = rig.start_sshd("moved", &[]);
    // known_hosts holds another key for this host and port.
    rig.trust_an_old_key(port);
    let base = rig.root_with_key();
    rig.host("moved", port, &with(&base, &[]));
    let (report, code, _, _) = rig.gord_check(&["moved", "--timeout", "5"]);
    let host = &report["hosts"][0];
    assert_eq!(host["probe"]["hostKey"]["known"], "changed", "{host:#}");
    let fingerprint = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(rig.host_key_pub(port))
        .output()
        .unwrap();
    let fingerprint = String::from_utf8_lossy(&fingerprint.stdout)
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string();
    assert!(fingerprint.starts_with("SHA256:"));
    assert_eq!(
        host["probe"]["hostKey"]["fingerprint"],
        fingerprint.as_str()
    );
    let finding = &host["findings"][0];
    assert_eq!(finding["code"], "RMT006");
    let message = str_of(&finding["message"]);
    assert!(message.contains("REMOTE HOST IDENTIFICATION HAS CHANGED"));
    assert!(message.contains(&fingerprint));
    let fix = str_of(&finding["fix"]["title"]);
    assert!(
        fix.contains(&format!(
            "ssh-keygen -f {} -R [127.0.0.1]:{port}",
            rig.known_hosts.display()
        )),
        "{fix}"
    );
    assert!(
        finding["fix"].get("command").is_none(),
        "removing a key is advice, never automatic"
    );
    // gord never logs in to a host whose key changed.
    assert_eq!(host["probe"]["auth"]["result"], "notTried");
    assert_eq!(code, Some(1));
}

#[test]
fn a_port_that_accepts_but_never_sends_a_banner_costs_at_most_the_timeout() {
    let mut rig = Rig::new();
    let port = rig.black_hole();
    let base = rig.root_with_key();
    rig.host("silent", port, &with(&base, &[]));
    let (report, code, took, _) = rig.gord_check(&["silent", "--timeout", "2"]);
    // The host never answers, so only the timeout can end the wait: at least
    // its 2 s, and nowhere near ssh's own defaults (the margin is for a
    // loaded machine starting gord; speed is the benchmarks' business).
    assert!(took >= Duration::from_secs(2), "took {took:?}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(codes(&report, 0), ["RMT004"]);
    assert_eq!(report["hosts"][0]["summary"]["reachable"], "no");
    assert!(str_of(&report["hosts"][0]["findings"][0]["message"])
        .contains("sent no SSH banner within 2 s"));
    assert_eq!(code, Some(1));
}

#[test]
fn a_closed_port_is_reported_as_connection_refused() {
    let mut rig = Rig::new();
    let port = free_port();
    let base = rig.root_with_key();
    rig.host("closed", port, &with(&base, &[]));
    let (report, _, took, _) = rig.gord_check(&["closed", "--timeout", "5"]);
    assert!(took < Duration::from_secs(3));
    assert_eq!(codes(&report, 0), ["RMT003"]);
    assert!(str_of(&report["hosts"][0]["findings"][0]["message"])
        .contains(&format!("port {port}: Connection refused")));
}

#[test]
fn an_encrypted_key_without_an_agent_is_reported_never_prompted_for() {
    let mut rig = Rig::new();
    let port = rig.start_sshd("locked", &[]);
    rig.trust_sshd(port);
    let identity = format!("IdentityFile {}", rig.locked_key.display());
    rig.host("locked", port, &["User root", &identity]);
    let (report, _, took, _) = rig.gord_check(&["locked", "--timeout", "5"]);
    assert!(
        took < Duration::from_secs(5),
        "took {took:?}: something waited"
    );
    let found = codes(&report, 0);
    assert!(found.contains(&"RMT008".to_string()), "{report:#}");
    assert!(found.contains(&"RMT009".to_string()), "{report:#}");
    let host = &report["hosts"][0];
    // Refused: the methods the server offers are asked for, and named.
    assert!(host["probe"]["authMethods"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("publickey")));
    let rmt008 = crate::common::entry(&host["findings"], "code", "RMT008");
    assert!(
        str_of(&rmt008["message"]).contains("Permission denied (publickey"),
        "{rmt008:#}"
    );
    assert_eq!(
        host["probe"]["encryptedKeys"][0],
        rig.locked_key.display().to_string()
    );
    let rmt009 = crate::common::entry(&host["findings"], "code", "RMT009");
    assert_eq!(rmt009["fix"]["command"][0], "ssh-add");
}

#[test]
fn go_only_on_the_login_path_is_reported_with_both_paths() {
    if !rig::is_root() {
        skip::skip(
            "remote_cli go_only_on_the_login_path",
            "creating the rig's login user needs root",
        );
        return;
    }
    let mut rig = Rig::new();
    let home = rig.path("home");
    std::fs::create_dir_all(&home).unwrap();
    let go_dir = Command::new("sh")
        .args(["-c", "dirname \"$(command -v go)\""])
        .output()
        .unwrap();
    let go_dir = String::from_utf8_lossy(&go_dir.stdout).trim().to_string();
    assert!(!go_dir.is_empty(), "the test needs go on PATH");
    // Login shells read ~/.profile; `ssh host cmd` runs bash non-interactively,
    // which reads only ~/.bashrc (empty here).
    std::fs::write(home.join(".profile"), format!("PATH=\"{go_dir}:$PATH\"\n")).unwrap();
    std::fs::write(home.join(".bashrc"), "").unwrap();
    let user = "gordrig";
    let exists = Command::new("id")
        .arg(user)
        .output()
        .unwrap()
        .status
        .success();
    let home = home.to_str().unwrap();
    if !exists {
        // `*`: no password, yet not locked (sshd refuses locked accounts).
        rig::run(
            "useradd",
            &["-M", "-s", "/bin/bash", "-p", "*", "-d", home, user],
        );
    }
    rig::run("usermod", &["-d", home, user]);
    rig::run("chown", &["-R", user, home]);
    let port = rig.start_sshd("login", &[]);
    rig.trust_sshd(port);
    let identity = format!("IdentityFile {}", rig.client_key.display());
    let user_line = format!("User {user}");
    rig.host("login", port, &[&user_line, &identity]);
    let (report, _, _, _) = rig.gord_check(&["login", "--timeout", "5"]);
    let host = &report["hosts"][0];
    let rmt016 = crate::common::entry(&host["findings"], "code", "RMT016");
    let detail = str_of(&rmt016["detail"]);
    assert!(detail.contains("non-login PATH: ") && detail.contains("login PATH:"));
    assert!(detail.contains(&go_dir), "{detail}");
    assert_eq!(host["remote"]["go"], serde_json::Value::Null);
    assert_eq!(host["remote"]["loginGo"], format!("{go_dir}/go").as_str());
    assert_eq!(host["summary"]["goReady"], "no");
}

#[test]
fn thirty_hosts_with_three_black_holes_wait_for_them_side_by_side() {
    let mut rig = Rig::new();
    let healthy = rig.start_sshd("fleet", &[GO_PATH_ENV]);
    rig.trust_sshd(healthy);
    let base = rig.root_with_key();
    for i in 0..3 {
        let hole = rig.black_hole();
        rig.host(&format!("hole{i}"), hole, &with(&base, &[]));
    }
    for i in 0..3 {
        rig.host(&format!("ok{i}"), healthy, &with(&base, &[]));
    }
    for i in 0..24 {
        rig.host(&format!("gone{i}"), free_port(), &with(&base, &[]));
    }
    let (report, _, took, _) = rig.gord_check(&["--all", "--jobs", "8", "--timeout", "5"]);
    let hosts = report["hosts"].as_array().unwrap();
    assert_eq!(hosts.len(), 30);
    // Not a speed figure (bench/remote_fleet.py has those): the three black
    // holes, 5 s each, are waited for side by side, so the whole run takes
    // less than they would one after another (15 s). The 10 s between the
    // two leave room for a loaded machine (at load 19 the rest of the run
    // took 4 s), where a 2 s timeout's 4 s did not.
    let holes: u64 = hosts[..3]
        .iter()
        .map(|h| h["durationMs"].as_u64().unwrap())
        .sum();
    assert!(
        took < Duration::from_millis(holes),
        "took {took:?}; the black holes took {holes} ms together"
    );
    for (i, host) in hosts.iter().enumerate().take(3) {
        assert_eq!(codes(&report, i), ["RMT004"], "{host:#}");
    }
    for host in &hosts[3..6] {
        assert_eq!(host["summary"]["auth"], "yes", "{host:#}");
    }
}

#[test]
fn hostile_host_names_are_refused_before_anything_runs() {
    let rig = Rig::new();
    std::fs::write(&rig.config, "").unwrap();
    let marker = rig.path("pwned");
    for host in [
        format!("-oProxyCommand=touch {}", marker.display()),
        format!("a;touch {}", marker.display()),
        format!("a$(touch {})", marker.display()),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_gord"))
            .args(["remote", "check", "-F"])
            .arg(&rig.config)
            .arg("--")
            .arg(&host)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{host}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("RMT001") && stderr.contains("refused"),
            "{stderr}"
        );
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(!marker.exists(), "a hostile host name ran a command");
}

#[test]
fn a_config_host_with_shell_metacharacters_is_a_finding_and_runs_nothing() {
    let rig = Rig::new();
    let marker = rig.path("pwned");
    std::fs::write(
        &rig.config,
        format!(
            "Host x;touch${{IFS}}{}\n  HostName 127.0.0.1\n",
            marker.display()
        ),
    )
    .unwrap();
    let (report, code, _, _) = rig.gord_check(&["--all", "--timeout", "2"]);
    assert_eq!(codes(&report, 0), ["RMT001"]);
    assert_eq!(code, Some(1));
    assert!(!marker.exists());
}

#[test]
fn a_host_costs_two_handshakes_the_probes_and_one_master_every_ssh_run_shares() {
    let mut rig = Rig::new();
    let port = rig.start_sshd("shared", &[GO_PATH_ENV, "AllowTcpForwarding yes"]);
    rig.trust_sshd(port);
    let base = rig.root_with_key();
    rig.host("shared", port, &with(&base, &[]));
    let tmp = rig.path("tmp");
    std::fs::create_dir(&tmp).unwrap();
    // A master's directory left by a gord that was killed (its owner, "pid 1
    // started at another time", is gone) is swept before the check; a
    // directory whose name is not exactly gord's stays.
    let private = |name: &str| {
        use std::os::unix::fs::PermissionsExt;
        let dir = tmp.join(name);
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        dir
    };
    let init = std::fs::read_to_string("/proc/1/stat").unwrap();
    let init_start: u64 = init
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .nth(19)
        .unwrap()
        .parse()
        .unwrap();
    let stale = private(&format!("gord-1-{}-zzzzzz", init_start + 1));
    std::fs::write(stale.join("m"), "").unwrap();
    private("gord-zzzzzz");
    let (report, _, _, stderr) = rig.gord_check_in(&["shared", "--timeout", "5"], &tmp);
    let host = &report["hosts"][0];
    assert_eq!(host["summary"]["goReady"], "yes", "{host:#}\n{stderr}");
    assert!(host["control"]["secondConnectionMs"].is_u64(), "{host:#}");
    // The libssh2 probe's connection (host key, methods, its own landing)
    // and the master's: the script (which says where it landed) and the
    // forward (the timed second connection) are sessions over the master.
    assert_eq!(host["connect"]["connections"], 2, "{host:#}");
    assert_eq!(rig.logins_to(port), 2, "{}", rig.sshd_log(port));
    // Two commands ran on the host: the probe's landing and the script,
    // which says where it landed itself; the forward starts no shell.
    assert_eq!(
        rig.sshd_log(port)
            .matches("Starting session: command")
            .count(),
        2,
        "{}",
        rig.sshd_log(port)
    );
    // Both landed on this machine: no login-node finding, and within budget.
    assert_eq!(
        host["connect"]["probeLanded"], host["connect"]["sessionLanded"],
        "{host:#}"
    );
    assert!(host["connect"]["sessionLanded"]["hostname"].is_string());
    let found = codes(&report, 0);
    assert!(
        !found.iter().any(|c| c == "RMT040" || c == "RMT041"),
        "{found:?}"
    );
    // gord's control directory and socket are gone (its master process too:
    // the rig checks no process names the rig's directory).
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["gord-zzzzzz"], "left behind, or swept: {left:?}");
}

#[test]
fn a_fleet_costs_one_connection_per_host_and_login_nodes_asks_for_the_second() {
    let mut rig = Rig::new();
    let base = rig.root_with_key();
    let mut ports = Vec::new();
    for name in ["fleet1", "fleet2"] {
        let port = rig.start_sshd(name, &[GO_PATH_ENV, "AllowTcpForwarding yes"]);
        rig.trust_sshd(port);
        rig.host(name, port, &with(&base, &[]));
        ports.push(port);
    }
    let tmp = rig.path("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let (report, _, _, stderr) = rig.gord_check_in(&["--all", "--timeout", "5"], &tmp);
    for (index, port) in ports.iter().enumerate() {
        let host = &report["hosts"][index];
        // Every fact of the script, from the probe's own connection: one
        // login, one command (the script, which says where it landed), and
        // the forward tried on the same connection.
        assert_eq!(host["summary"]["goReady"], "yes", "{host:#}\n{stderr}");
        assert_eq!(host["connect"]["connections"], 1, "{host:#}");
        assert!(
            host["connect"]["probeLanded"]["hostname"].is_string(),
            "{host:#}"
        );
        assert!(host["connect"]["sessionLanded"].is_null(), "{host:#}");
        assert!(host["connect"].get("systemSshMs").is_none(), "{host:#}");
        assert_eq!(host["forwarding"]["result"], "works", "{host:#}");
        assert!(host["control"]["firstConnectionMs"].is_u64(), "{host:#}");
        assert_eq!(rig.logins_to(*port), 1, "{}", rig.sshd_log(*port));
        assert_eq!(
            rig.sshd_log(*port)
                .matches("Starting session: command")
                .count(),
            1,
            "{}",
            rig.sshd_log(*port)
        );
    }
    // No master ran, so no control directory was made or left.
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    // --login-nodes: a second connection per host, the system ssh's master.
    let (report, _, _, stderr) =
        rig.gord_check_in(&["--all", "--login-nodes", "--timeout", "5"], &tmp);
    for (index, port) in ports.iter().enumerate() {
        let host = &report["hosts"][index];
        assert_eq!(host["connect"]["connections"], 2, "{host:#}\n{stderr}");
        assert!(
            host["connect"]["sessionLanded"]["hostname"].is_string(),
            "{host:#}"
        );
        assert_eq!(rig.logins_to(*port), 3, "{}", rig.sshd_log(*port));
    }
}

#[test]
fn a_fleet_host_the_probe_cannot_log_in_to_is_checked_through_the_system_ssh() {
    let mut rig = Rig::new();
    let port = rig.start_sshd("viacommand", &[GO_PATH_ENV]);
    rig.trust_sshd(port);
    let base = rig.root_with_key();
    // A ProxyCommand (bash's /dev/tcp relaying): gord does not run it, so
    // the system ssh's master connects instead, and it is still one connection.
    let proxy = "ProxyCommand bash -c 'exec 3<>/dev/tcp/%h/%p; cat <&3 & exec cat >&3'";
    rig.host("viacommand", port, &with(&base, &[proxy]));
    let (report, _, _, stderr) = rig.gord_check(&["--all", "--timeout", "5"]);
    let host = &report["hosts"][0];
    assert_eq!(host["summary"]["goReady"], "yes", "{host:#}\n{stderr}");
    assert_eq!(host["connect"]["connections"], 1, "{host:#}");
    assert!(
        host["connect"]["sessionLanded"]["hostname"].is_string(),
        "{host:#}"
    );
    assert_eq!(rig.logins_to(port), 1, "{}", rig.sshd_log(port));
}

#[test]
fn a_connection_slower_than_the_connect_timeout_is_reported_stage_by_stage() {
    let mut rig = Rig::new();
    let port = rig.start_sshd("far", &[GO_PATH_ENV]);
    // A relay that waits 1.5 s before it reaches sshd: a slow network, so the
    // banner is late (the stage the finding must name).
    let slow = rig.relay(&[port], Duration::from_millis(1500));
    rig.trust(slow, &rig.host_key_pub(port));
    let base = rig.root_with_key();
    rig.host("far", slow, &with(&base, &[]));
    let (report, code, _, stderr) =
        // A step timeout well above the relay's delay: under load the steps
        // after the late banner must still finish, so every stage is timed.
        rig.gord_check(&["far", "--timeout", "10", "--connect-timeout", "1"]);
    let host = &report["hosts"][0];
    let finding = crate::common::entry(&host["findings"], "code", "RMT040");
    assert_eq!(finding["status"], "error", "{host:#}\n{stderr}");
    assert!(str_of(&finding["message"]).contains("over Remote-SSH's connect timeout of 1.0 s"));
    let detail = str_of(&finding["detail"]);
    for stage in [
        "name resolution: ",
        "TCP connect: ",
        "banner: ",
        "key exchange: ",
        "authentication: ",
        "`ssh far` login, end to end: ",
    ] {
        assert!(detail.contains(stage), "{stage} missing: {detail}");
    }
    let banner = host["connect"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "banner")
        .unwrap()["ms"]
        .as_u64()
        .unwrap();
    // The relay's 1.5 s fall in the banner stage; where a loaded machine
    // takes the stage boundaries (the end of the TCP connect is when gord
    // gets to note it) can move a little of it to its neighbours.
    assert!(banner >= 1000, "banner {banner} ms");
    assert!(host["connect"]["systemSshMs"].as_u64().unwrap() >= 1400);
    assert!(str_of(&finding["fix"]["title"]).contains("remote.SSH.connectTimeout"));
    assert_eq!(code, Some(1));
    // Within the default 15 s budget the same host is fine.
    let (report, _, _, _) = rig.gord_check(&["far", "--timeout", "10"]);
    assert!(!codes(&report, 0).contains(&"RMT040".to_string()));
}

#[test]
fn two_login_nodes_behind_one_name_are_reported_with_controlmaster_as_the_fix() {
    let mut rig = Rig::new();
    // Both sshds run on this machine, so their machine ids are the same: a
    // fake `hostname` first on each node's PATH stands in for two machines.
    let mut nodes = Vec::new();
    for name in ["login1", "login2"] {
        let bin = rig.path(&format!("{name}-bin"));
        std::fs::create_dir_all(&bin).unwrap();
        let fake = bin.join("hostname");
        std::fs::write(&fake, format!("#!/bin/sh\necho {name}\n")).unwrap();
        std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let path = format!("SetEnv PATH={}:/usr/local/bin:/usr/bin:/bin", bin.display());
        let port = if nodes.is_empty() {
            rig.start_sshd(name, &[&path])
        } else {
            rig.start_sshd_sharing_key(name, &[&path], "login1")
        };
        nodes.push(port);
    }
    let front = rig.relay(&nodes, Duration::ZERO);
    rig.trust(front, &rig.host_key_pub(nodes[0]));
    let base = rig.root_with_key();
    rig.host("cluster", front, &with(&base, &[]));
    let (report, _, _, stderr) = rig.gord_check(&["cluster", "--timeout", "5"]);
    let host = &report["hosts"][0];
    // The probe and the master connect at once: which reaches which node
    // is the relay's accept order, so the two names are compared as a set.
    let mut landed = [
        str_of(&host["connect"]["probeLanded"]["hostname"]),
        str_of(&host["connect"]["sessionLanded"]["hostname"]),
    ];
    landed.sort_unstable();
    assert_eq!(landed, ["login1", "login2"], "{host:#}\n{stderr}");
    let finding = crate::common::entry(&host["findings"], "code", "RMT041");
    assert_eq!(finding["status"], "warning");
    let detail = str_of(&finding["detail"]);
    assert!(
        detail.contains("host name login1") && detail.contains("host name login2"),
        "{detail}"
    );
    assert!(str_of(&finding["fix"]["title"]).contains("ControlMaster auto"));
    // One handshake to each node: the probe's to one, the master's to the other.
    assert_eq!(rig.logins_to(nodes[0]), 1);
    assert_eq!(rig.logins_to(nodes[1]), 1);
}

#[test]
fn a_host_that_allows_one_session_per_connection_still_answers_every_check() {
    let mut rig = Rig::new();
    let port = rig.start_sshd("strict", &[GO_PATH_ENV, "MaxSessions 1"]);
    rig.trust_sshd(port);
    let base = rig.root_with_key();
    rig.host("strict", port, &with(&base, &[]));
    let (report, _, _, stderr) = rig.gord_check(&["strict", "--timeout", "5"]);
    let host = &report["hosts"][0];
    // The sessions over the master run one after another.
    assert_eq!(host["summary"]["goReady"], "yes", "{host:#}\n{stderr}");
    assert!(host["control"]["secondConnectionMs"].is_u64(), "{host:#}");
    assert!(host["connect"]["sessionLanded"]["hostname"].is_string());
    assert_eq!(rig.logins_to(port), 2);
}

/// The findings of host `alias` in a fleet report.
fn host_codes(report: &serde_json::Value, alias: &str) -> Vec<String> {
    let hosts = report["hosts"].as_array().unwrap();
    let index = hosts.iter().position(|h| h["host"] == alias).unwrap();
    codes(report, index)
}

#[test]
fn shell_start_up_problems_are_found_on_real_logins_and_a_guarded_bashrc_stays_quiet() {
    if !rig::is_root() {
        skip::skip(
            "remote_cli shell_start_up_problems",
            "creating the rig's login users needs root",
        );
        return;
    }
    let fish = ["/usr/bin/fish", "/bin/fish"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let mut rig = Rig::new();
    // Debian's own guard, then output and an exec that only interactive shells reach.
    rig.login_user(
        "gordquiet",
        "/bin/bash",
        &[(
            ".bashrc",
            "case $- in\n    *i*) ;;\n      *) return;;\nesac\necho welcome\nexec zsh\n",
        )],
    );
    rig.login_user(
        "gordnoisy",
        "/bin/bash",
        &[(".bashrc", "echo \"Welcome to the rig, $USER!\"\nprintf 'token=ghp_%s\\n' 0123456789abcdef0123456789abcdef0123\n")],
    );
    // The shell that was to run `sh -s` is replaced by dash, which reads
    // the script from the session instead: the script still reports.
    rig.login_user(
        "gordexec",
        "/bin/bash",
        &[(".bashrc", "export EDITOR=vi\nexec /bin/sh\n")],
    );
    if let Some(fish) = fish {
        rig.login_user("gordfish", fish, &[]);
    }
    let port = rig.start_sshd("shells", &[GO_PATH_ENV]);
    rig.trust_sshd(port);
    let identity = format!("IdentityFile {}", rig.client_key.display());
    let mut hosts = vec!["quiet", "noisy", "exec"];
    if fish.is_some() {
        hosts.push("fish");
    }
    for alias in &hosts {
        let user = format!("User gord{alias}");
        rig.host(alias, port, &[&user, &identity]);
    }
    let (report, _, _, stderr) = rig.gord_check(&["--all", "--timeout", "5"]);
    let shell_codes = |alias: &str| -> Vec<String> {
        host_codes(&report, alias)
            .into_iter()
            .filter(|c| ["RMT010", "RMT021", "RMT022", "RMT023"].contains(&c.as_str()))
            .collect()
    };
    assert_eq!(
        shell_codes("quiet"),
        Vec::<String>::new(),
        "{report:#}\n{stderr}"
    );
    assert_eq!(shell_codes("noisy"), ["RMT021"], "{report:#}");
    assert_eq!(shell_codes("exec"), ["RMT023"], "{report:#}");
    let hosts_json = report["hosts"].as_array().unwrap();
    let host = |alias: &str| hosts_json.iter().find(|h| h["host"] == alias).unwrap();
    let rmt021 = crate::common::entry(&host("noisy")["findings"], "code", "RMT021");
    let detail = str_of(&rmt021["detail"]);
    assert!(
        detail.contains("Welcome to the rig, gordnoisy!"),
        "{detail}"
    );
    assert!(
        !detail.contains("0123456789abcdef"),
        "a token is redacted: {detail}"
    );
    let facts = host("noisy")["remote"].to_string();
    assert!(
        !facts.contains("0123456789abcdef"),
        "and in the facts: {facts}"
    );
    assert_eq!(
        host("noisy")["remote"]["startupOutput"]["bytes"],
        "Welcome to the rig, gordnoisy!\n".len()
            + "token=ghp_0123456789abcdef0123456789abcdef0123\n".len()
    );
    let rmt023 = crate::common::entry(&host("exec")["findings"], "code", "RMT023");
    assert!(
        str_of(&rmt023["message"]).starts_with("~/.bashrc:2 on exec runs `exec sh`"),
        "{rmt023:#}"
    );
    assert_eq!(rmt023["status"], "error");
    match fish {
        Some(fish) => {
            assert_eq!(shell_codes("fish"), ["RMT022"], "{report:#}");
            assert_eq!(host("fish")["remote"]["loginShell"], fish);
        }
        None => skip::skip(
            "remote_cli shell_start_up_problems (fish)",
            "fish is not installed (scripts/install-deps installs it)",
        ),
    }
}

#[test]
fn a_tmpdir_that_does_not_exist_is_an_error_and_slash_tmp_with_room_is_quiet() {
    if !rig::is_root() {
        skip::skip(
            "remote_cli a_tmpdir_that_does_not_exist",
            "creating the rig's login users needs root",
        );
        return;
    }
    let mut rig = Rig::new();
    let home = rig.login_user("gordtmp", "/bin/bash", &[]);
    let missing = home.join("no such dir");
    std::fs::write(
        home.join(".bashrc"),
        format!("export TMPDIR='{}'\n", missing.display()),
    )
    .unwrap();
    let port = rig.start_sshd("tmp", &[GO_PATH_ENV]);
    rig.trust_sshd(port);
    let identity = format!("IdentityFile {}", rig.client_key.display());
    rig.host("tmp", port, &["User gordtmp", &identity]);
    let (report, _, _, stderr) = rig.gord_check(&["tmp", "--timeout", "5"]);
    let host = &report["hosts"][0];
    let temp: Vec<&str> = host["remote"]["tempDirs"]
        .as_array()
        .unwrap_or_else(|| panic!("{host:#}\n{stderr}"))
        .iter()
        .map(|d| d["which"].as_str().unwrap())
        .collect();
    assert_eq!(&temp[..2], ["/tmp", "TMPDIR"], "{host:#}");
    let rmt025: Vec<&serde_json::Value> = host["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "RMT025")
        .collect();
    assert_eq!(rmt025.len(), 1, "only TMPDIR, not /tmp: {host:#}");
    assert_eq!(rmt025[0]["status"], "error");
    assert!(
        str_of(&rmt025[0]["message"]).starts_with(&format!(
            "TMPDIR={} on tmp is not a directory",
            missing.display()
        )),
        "{host:#}"
    );
}

#[test]
fn a_user_whose_inotify_instances_are_nearly_all_taken_is_warned_and_the_limit_named() {
    if !rig::is_root() || !std::path::Path::new("/usr/bin/python3").exists() {
        skip::skip(
            "remote_cli a_user_whose_inotify_instances",
            "needs root (a login user) and /usr/bin/python3 (to hold inotify instances)",
        );
        return;
    }
    let max: u64 = std::fs::read_to_string("/proc/sys/fs/inotify/max_user_instances")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let mut rig = Rig::new();
    let home = rig.login_user("gordinotify", "/bin/bash", &[(".bashrc", "")]);
    // A process of the user's own holds all but 3 of its inotify instances,
    // each with one watch, as editors and watchers left running do.
    let hold = max.saturating_sub(3);
    let ready = home.join("ready");
    let script = format!(
        "import ctypes, time\nlibc = ctypes.CDLL(None)\nfds = [libc.inotify_init() for _ in range({hold})]\n\
for fd in fds: libc.inotify_add_watch(fd, b'/tmp', 2)\nopen('{}', 'w').close()\ntime.sleep(120)\n",
        ready.display()
    );
    /// Ends the holder even when an assertion fails first.
    struct Holder(std::process::Child);
    impl Drop for Holder {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let holder = Holder(
        // setpriv execs python itself (runuser would stay its parent).
        Command::new("setpriv")
            .args([
                "--reuid=gordinotify",
                "--regid=gordinotify",
                "--clear-groups",
                "/usr/bin/python3",
                "-c",
                &script,
            ])
            .spawn()
            .unwrap(),
    );
    crate::common::wait::until_empty(Duration::from_secs(10), "the holder is not ready", || {
        if ready.exists() {
            Vec::new()
        } else {
            vec![()]
        }
    });
    let port = rig.start_sshd("inotify", &[GO_PATH_ENV]);
    rig.trust_sshd(port);
    let identity = format!("IdentityFile {}", rig.client_key.display());
    rig.host("inotify", port, &["User gordinotify", &identity]);
    let (report, _, _, stderr) = rig.gord_check(&["inotify", "--timeout", "5"]);
    drop(holder);
    let host = &report["hosts"][0];
    assert_eq!(
        host["remote"]["inotifyMaxInstances"], max,
        "{host:#}\n{stderr}"
    );
    assert!(
        host["remote"]["inotifyInstances"].as_u64().unwrap() >= hold,
        "{host:#}"
    );
    let rmt026 = crate::common::entry(&host["findings"], "code", "RMT026");
    assert!(
        str_of(&rmt026["message"]).contains("inotify instances are in use"),
        "{rmt026:#}"
    );
    assert!(str_of(&rmt026["fix"]["title"]).contains("/etc/sysctl.d/"));
}

#[test]
fn old_server_builds_are_listed_and_the_fix_removes_only_old_ones_that_do_not_run() {
    if !rig::is_root() {
        skip::skip(
            "remote_cli old_server_builds",
            "creating the rig's login users needs root",
        );
        return;
    }
    let mut rig = Rig::new();
    let home = rig.login_user("gordservers", "/bin/bash", &[(".bashrc", "")]);
    let bin = home.join(".vscode-server/bin");
    // Newest first: c0 … c4; c3 is old but runs.
    let names = ["c0", "c1", "c2", "c3", "c4"];
    for name in names {
        std::fs::create_dir_all(bin.join(name)).unwrap();
        std::fs::write(bin.join(name).join("product.json"), vec![b'x'; 64 * 1024]).unwrap();
    }
    std::fs::copy("/bin/sleep", bin.join("c3/node")).unwrap();
    rig::run("chown", &["-R", "gordservers", home.to_str().unwrap()]);
    for (age, name) in names.iter().enumerate() {
        let stamp = format!("@{}", 1_700_000_000 - age * 86_400);
        rig::run("touch", &["-d", &stamp, bin.join(name).to_str().unwrap()]);
    }
    struct Running(std::process::Child);
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let running = Running(
        Command::new("setpriv")
            .args([
                "--reuid=gordservers",
                "--regid=gordservers",
                "--clear-groups",
            ])
            .arg(bin.join("c3/node"))
            .arg("120")
            .spawn()
            .unwrap(),
    );
    let port = rig.start_sshd("servers", &[GO_PATH_ENV]);
    rig.trust_sshd(port);
    let identity = format!("IdentityFile {}", rig.client_key.display());
    rig.host("servers", port, &["User gordservers", &identity]);
    let (report, _, _, stderr) = rig.gord_check(&["servers", "--timeout", "5"]);
    drop(running);
    let host = &report["hosts"][0];
    let builds = host["remote"]["serverBuilds"]
        .as_array()
        .unwrap_or_else(|| panic!("{host:#}\n{stderr}"));
    assert_eq!(builds.len(), 5, "{host:#}");
    let c3 = crate::common::entry(&host["remote"]["serverBuilds"], "path", "bin/c3");
    assert_eq!(c3["running"], 1, "{host:#}");
    let rmt027 = crate::common::entry(&host["findings"], "code", "RMT027");
    assert!(
        str_of(&rmt027["message"]).starts_with("servers keeps 5 VS Code server builds"),
        "{rmt027:#}"
    );
    assert_eq!(
        rmt027["fix"]["command"],
        serde_json::json!([
            "ssh",
            "--",
            "servers",
            "rm",
            "-rf",
            "--",
            ".vscode-server/bin/c2",
            ".vscode-server/bin/c4"
        ])
    );
    // Nothing was removed: the fix is the user's to run.
    assert!(bin.join("c4").exists());
}

#[test]
fn stale_install_locks_and_dead_pid_files_are_found_and_held_or_live_ones_stay_quiet() {
    if !rig::is_root() {
        skip::skip(
            "remote_cli stale_install_locks",
            "creating the rig's login users needs root",
        );
        return;
    }
    let mut rig = Rig::new();
    let stale_home = rig.login_user("gordlocks", "/bin/bash", &[(".bashrc", "")]);
    let ok_home = rig.login_user("gordlocksok", "/bin/bash", &[(".bashrc", "")]);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let hour_ago = format!("@{}", now - 3_600);
    // What an install cut off leaves: its lock, and the pid file of a
    // server that has exited (a real process, waited for).
    let stale_lock = stale_home.join(".vscode-server/bin/c1/vscode-remote-lock.gordlocks.c1");
    std::fs::create_dir_all(stale_lock.parent().unwrap()).unwrap();
    std::fs::write(&stale_lock, "").unwrap();
    let mut gone = Command::new("true").spawn().unwrap();
    let gone_pid = gone.id();
    gone.wait().unwrap();
    let stale_pid = stale_home.join(".vscode-server/.c1.pid");
    std::fs::write(&stale_pid, format!("{gone_pid}\n")).unwrap();
    rig::run("chown", &["-R", "gordlocks", stale_home.to_str().unwrap()]);
    rig::run("touch", &["-d", &hour_ago, stale_lock.to_str().unwrap()]);
    // The healthy user: an old lock an install still holds (a real flock
    // held by a process of that user), a lock just taken, and the pid file
    // of that running process.
    let held_lock = ok_home.join(".vscode-server/bin/c2/vscode-remote-lock.gordlocksok.c2");
    std::fs::create_dir_all(held_lock.parent().unwrap()).unwrap();
    std::fs::write(&held_lock, "").unwrap();
    let fresh_lock = ok_home.join(".vscode-server/bin/c3/vscode-remote-lock.gordlocksok.c3");
    std::fs::create_dir_all(fresh_lock.parent().unwrap()).unwrap();
    std::fs::write(&fresh_lock, "").unwrap();
    rig::run("chown", &["-R", "gordlocksok", ok_home.to_str().unwrap()]);
    rig::run("touch", &["-d", &hour_ago, held_lock.to_str().unwrap()]);
    let ready = ok_home.join("ready");
    struct Holder(std::process::Child);
    impl Drop for Holder {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let holder = Holder(
        Command::new("setpriv")
            .args([
                "--reuid=gordlocksok",
                "--regid=gordlocksok",
                "--clear-groups",
                "flock",
                "--no-fork",
            ])
            .arg(&held_lock)
            .args(["sh", "-c", "touch \"$0\"; exec sleep 120"])
            .arg(&ready)
            .spawn()
            .unwrap(),
    );
    crate::common::wait::until_empty(Duration::from_secs(10), "the lock is not held", || {
        if ready.exists() {
            Vec::new()
        } else {
            vec![()]
        }
    });
    std::fs::write(
        ok_home.join(".vscode-server/.c2.pid"),
        format!("{}\n", holder.0.id()),
    )
    .unwrap();
    rig::run("chown", &["-R", "gordlocksok", ok_home.to_str().unwrap()]);
    let port = rig.start_sshd("locks", &[GO_PATH_ENV]);
    rig.trust_sshd(port);
    let identity = format!("IdentityFile {}", rig.client_key.display());
    rig.host("locks", port, &["User gordlocks", &identity]);
    rig.host("locksok", port, &["User gordlocksok", &identity]);
    let (report, _, _, stderr) = rig.gord_check(&["--all", "--timeout", "5"]);
    drop(holder);
    let hosts = report["hosts"].as_array().unwrap();
    let host = |alias: &str| hosts.iter().find(|h| h["host"] == alias).unwrap();
    assert!(
        !host_codes(&report, "locksok").contains(&String::from("RMT029")),
        "{report:#}\n{stderr}"
    );
    assert!(
        !host_codes(&report, "locksok").contains(&String::from("RMT030")),
        "flock works in the rig's homes: {report:#}"
    );
    assert_eq!(
        host("locksok")["remote"]["flockTests"][0],
        serde_json::json!({"what": "the home directory", "works": true})
    );
    let ok_locks = host("locksok")["remote"]["lockFiles"].to_string();
    assert!(
        ok_locks.contains("\"held\":true") && ok_locks.contains("\"held\":false"),
        "the real flock test saw the held lock and the free one: {ok_locks}"
    );
    let rmt029 = crate::common::entry(&host("locks")["findings"], "code", "RMT029");
    assert!(
        str_of(&rmt029["message"])
            .starts_with("locks has 2 stale VS Code server lock or pid files"),
        "{rmt029:#}\n{stderr}"
    );
    assert!(
        str_of(&rmt029["detail"]).contains(&format!("process {gone_pid} is gone")),
        "{rmt029:#}"
    );
    assert_eq!(
        rmt029["fix"]["command"],
        serde_json::json!([
            "ssh",
            "--",
            "locks",
            "rm",
            "-f",
            "--",
            ".vscode-server/bin/c1/vscode-remote-lock.gordlocks.c1",
            ".vscode-server/.c1.pid"
        ])
    );
    // Nothing was removed: the fix is the user's to run.
    assert!(stale_lock.exists() && stale_pid.exists());
}

#[test]
fn a_home_where_flock_fails_is_an_error_naming_what_flock_said() {
    if !rig::is_root() {
        skip::skip(
            "remote_cli a_home_where_flock_fails",
            "creating the rig's login users needs root",
        );
        return;
    }
    let mut rig = Rig::new();
    let home = rig.flock_failing_host("nolocks", "gordnolocks");
    // The user's settings as people keep them: comments, a trailing comma,
    // CRLF; `--fix` adds the two lock settings and touches nothing else.
    let settings = rig.user_settings();
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    let before = "{\r\n  // mine\r\n  \"editor.tabSize\": 2, // two\r\n  \"remote.SSH.useFlock\": true,\r\n}\r\n";
    std::fs::write(&settings, before).unwrap();
    let (report, _, _, stderr) = rig.gord_check(&["nolocks", "--timeout", "5", "--fix"]);
    let host = &report["hosts"][0];
    let rmt030 = crate::common::entry(&host["findings"], "code", "RMT030");
    assert_eq!(
        std::fs::read_to_string(&settings).unwrap(),
        "{\r\n  // mine\r\n  \"editor.tabSize\": 2, // two\r\n  \"remote.SSH.useFlock\": false,\r\n  \"remote.SSH.lockfilesInTmp\": true,\r\n}\r\n",
        "{stderr}"
    );
    assert!(
        stderr.contains("gord: set \"remote.SSH.useFlock\": false (for nolocks)"),
        "{stderr}"
    );
    let backups: Vec<_> = std::fs::read_dir(rig.path("state/gord/backups"))
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert_eq!(backups, [before], "the previous version is kept");
    // The report's fix is that edit, on the settings file it was computed on.
    let uri = format!("file://{}", settings.display());
    let edits = rmt030["fix"]["edit"]["changes"][&uri].as_array().unwrap();
    assert_eq!(edits.len(), 2, "{rmt030:#}");
    // Everything is set now: a second --fix changes nothing.
    let (_, _, _, again) = rig.gord_check(&["nolocks", "--timeout", "5", "--fix"]);
    assert!(again.contains("gord: no setting to change in"), "{again}");
    let message = str_of(&rmt030["message"]);
    assert!(
        message.starts_with("flock fails on nolocks in the home directory (flock: "),
        "{rmt030:#}\n{stderr}"
    );
    assert!(message.contains("/.gord-flock-"), "{message}");
    assert!(
        message.contains(": No locks available), ~/.vscode-server ("),
        "{message}"
    );
    assert_eq!(rmt030["status"], "error");
    assert!(str_of(&rmt030["fix"]["title"]).contains("remote.SSH.useFlock"));
    // The temporary files were removed.
    let left: Vec<_> = std::fs::read_dir(&home)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".gord-flock-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_server_process_of_an_older_build_is_an_orphan_and_the_newest_builds_is_not() {
    if !rig::is_root() {
        skip::skip(
            "remote_cli a_server_process_of_an_older_build",
            "creating the rig's login users needs root",
        );
        return;
    }
    let mut rig = Rig::new();
    let home = rig.login_user("gordorphans", "/bin/bash", &[(".bashrc", "")]);
    let bin = home.join(".vscode-server/bin");
    for name in ["newc0mmit", "oldc0mmit"] {
        std::fs::create_dir_all(bin.join(name)).unwrap();
    }
    rig::run("chown", &["-R", "gordorphans", home.to_str().unwrap()]);
    rig::run(
        "touch",
        &["-d", "@1700000000", bin.join("oldc0mmit").to_str().unwrap()],
    );
    // Real, long-running processes whose command line is that of a server
    // of each build (`exec -a` sets what /proc shows); killed on drop.
    struct Running(std::process::Child);
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let server = |build: &str| {
        let node = bin.join(build).join("node");
        Running(
            Command::new("setpriv")
                .args([
                    "--reuid=gordorphans",
                    "--regid=gordorphans",
                    "--clear-groups",
                    "bash",
                    "-c",
                    "exec -a \"$0\" sleep 300",
                ])
                .arg(&node)
                .spawn()
                .unwrap(),
        )
    };
    let old = server("oldc0mmit");
    let new = server("newc0mmit");
    let old_pid = old.0.id();
    crate::common::wait::until_empty(Duration::from_secs(10), "the servers did not start", || {
        if rig::processes_mentioning("c0mmit/node 300").len() < 2 {
            vec![()]
        } else {
            Vec::new()
        }
    });
    let port = rig.start_sshd("orphans", &[GO_PATH_ENV]);
    rig.trust_sshd(port);
    let identity = format!("IdentityFile {}", rig.client_key.display());
    rig.host("orphans", port, &["User gordorphans", &identity]);
    let (report, _, _, stderr) = rig.gord_check(&["orphans", "--timeout", "5"]);
    let host = &report["hosts"][0];
    let processes = host["remote"]["serverProcesses"].to_string();
    assert!(
        processes.contains("\"commit\":\"newc0mmit\"")
            && processes.contains("\"commit\":\"oldc0mmit\""),
        "{host:#}\n{stderr}"
    );
    let rmt031 = crate::common::entry(&host["findings"], "code", "RMT031");
    assert!(
        str_of(&rmt031["message"]).starts_with(
            "orphans runs 1 VS Code server process of build oldc0mmit other than the newest installed build (newc0mmit)"
        ),
        "{rmt031:#}"
    );
    assert_eq!(
        rmt031["fix"]["command"],
        serde_json::json!(["ssh", "--", "orphans", "kill", "--", old_pid.to_string()])
    );
    // Nothing was stopped: the fix is the user's to run.
    assert!(std::path::Path::new(&format!("/proc/{old_pid}")).exists());
    drop((old, new));
    assert_eq!(
        rig::processes_mentioning("c0mmit/node"),
        Vec::<String>::new()
    );
}

#[test]
fn egress_through_a_tunnelling_proxy_or_none_is_quiet_a_refusing_proxy_and_a_dead_goproxy_are_named(
) {
    if !rig::is_root() || !std::path::Path::new("/usr/bin/openssl").exists() {
        skip::skip(
            "remote_cli egress",
            "needs root (login users) and /usr/bin/openssl (the loopback TLS server)",
        );
        return;
    }
    let mut rig = Rig::new();
    let (tls, cert) = rig.tls_server();
    let tunnels = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let good_proxy = rig.connect_proxy(true, std::sync::Arc::clone(&tunnels));
    let refusing = rig.connect_proxy(false, std::sync::Arc::clone(&tunnels));
    let closed = free_port();
    // The proxy is set in .bashrc above Debian's interactive guard: the part
    // a non-login `ssh HOST command` reads.
    let bashrc = |exports: &str| {
        format!("{exports}\ncase $- in\n    *i*) ;;\n      *) return;;\nesac\nexport HTTPS_PROXY=http://127.0.0.1:9\n")
    };
    rig.login_user("gordnet", "/bin/bash", &[(".bashrc", &bashrc(""))]);
    let proxied = format!("export HTTPS_PROXY=http://127.0.0.1:{good_proxy}");
    rig.login_user("gordproxy", "/bin/bash", &[(".bashrc", &bashrc(&proxied))]);
    let refused = format!("export https_proxy=http://127.0.0.1:{refusing}");
    rig.login_user("gordrefuse", "/bin/bash", &[(".bashrc", &bashrc(&refused))]);
    let dead = format!("export GOPROXY=http://127.0.0.1:{closed}/mirror,direct");
    rig.login_user("gordnoroute", "/bin/bash", &[(".bashrc", &bashrc(&dead))]);
    // A curl older than 7.66 (a fake: no such curl installs here): it does
    // not know --parallel, so the script asks one request at a time.
    let old_curl = "#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = --parallel ] && { echo 'curl: option --parallel: is unknown' >&2; exit 2; }; done\nexec /usr/bin/curl \"$@\"\n";
    let home = rig.login_user(
        "gordoldcurl",
        "/bin/bash",
        &[
            (".bashrc", &bashrc("export PATH=$HOME/old:$PATH")),
            ("curl", old_curl),
        ],
    );
    std::fs::create_dir_all(home.join("old")).unwrap();
    std::fs::rename(home.join("curl"), home.join("old/curl")).unwrap();
    rig::run("chmod", &["755", home.join("old/curl").to_str().unwrap()]);
    rig::run("chown", &["-R", "gordoldcurl", home.to_str().unwrap()]);
    let port = rig.start_sshd("egress", &[GO_PATH_ENV]);
    rig.trust_sshd(port);
    let identity = format!("IdentityFile {}", rig.client_key.display());
    for alias in ["net", "proxy", "refuse", "noroute", "oldcurl"] {
        let user = format!("User gord{alias}");
        rig.host(alias, port, &[&user, &identity]);
    }
    rig.egress_targets =
        format!("server=https://127.0.0.1:{tls}/ marketplace=https://127.0.0.1:{tls}/");
    rig.egress_cacert = Some(cert);
    let (report, _, took, stderr) = rig.gord_check(&["--all", "--timeout", "5"]);
    let egress_codes = |alias: &str| -> Vec<String> {
        host_codes(&report, alias)
            .into_iter()
            .filter(|c| ["RMT010", "RMT032", "RMT033"].contains(&c.as_str()))
            .collect()
    };
    let hosts_json = report["hosts"].as_array().unwrap();
    let host = |alias: &str| hosts_json.iter().find(|h| h["host"] == alias).unwrap();
    for quiet in ["net", "proxy", "oldcurl"] {
        assert_eq!(
            egress_codes(quiet),
            Vec::<String>::new(),
            "{:#}\n{stderr}",
            host(quiet)
        );
        let probes = host(quiet)["remote"]["egress"]["probes"]
            .as_array()
            .unwrap();
        let reached: Vec<&str> = probes
            .iter()
            .filter(|p| p["result"] == "reached")
            .map(|p| p["what"].as_str().unwrap())
            .collect();
        assert_eq!(reached, ["server", "marketplace"], "{probes:#?}");
        // Go's own hosts are not on loopback: named, never asked.
        assert!(
            probes
                .iter()
                .filter(|p| p["result"] == "skipped")
                .any(|p| p["url"] == "https://proxy.golang.org"),
            "{probes:#?}"
        );
    }
    assert_eq!(
        host("proxy")["remote"]["egress"]["proxyVars"][0],
        serde_json::json!({"name": "HTTPS_PROXY", "value": format!("http://127.0.0.1:{good_proxy}")})
    );
    assert_eq!(
        tunnels.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "the proxied host's two requests went through the proxy, the direct host's did not"
    );
    assert_eq!(egress_codes("refuse"), ["RMT033"], "{:#}", host("refuse"));
    let rmt033 = crate::common::entry(&host("refuse")["findings"], "code", "RMT033");
    assert_eq!(
        str_of(&rmt033["message"]),
        format!(
            "the proxy of refuse's non-login shell refuses to tunnel (CONNECT) to the VS Code server download https://127.0.0.1:{tls}/ (HTTP 403), the extension marketplace https://127.0.0.1:{tls}/ (HTTP 403): through the proxy https_proxy=http://127.0.0.1:{refusing}"
        )
    );
    assert_eq!(rmt033["status"], "error");
    assert!(str_of(&rmt033["fix"]["title"]).contains("remote.SSH.localServerDownload"));
    assert_eq!(egress_codes("noroute"), ["RMT032"], "{:#}", host("noroute"));
    let rmt032 = crate::common::entry(&host("noroute")["findings"], "code", "RMT032");
    let message = str_of(&rmt032["message"]);
    assert!(
        message.starts_with(&format!(
            "noroute cannot reach GOPROXY http://127.0.0.1:{closed}/mirror (curl: (7) Failed to connect to 127.0.0.1 port {closed}"
        )),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "the Go toolchain download http://127.0.0.1:{closed}/mirror/golang.org/toolchain/@v/list"
        )),
        "{message}"
    );
    assert!(message.contains("with no proxy set"), "{message}");
    let fix = str_of(&rmt032["fix"]["title"]);
    assert!(
        fix.contains("GOPROXY") && fix.contains("gord preload"),
        "{fix}"
    );
    assert!(
        !fix.contains("localServerDownload"),
        "the server was reached: {fix}"
    );
    // Four hosts side by side, each request bounded: well inside a check's time.
    assert!(took < Duration::from_secs(30), "{took:?}");
}

#[test]
fn a_session_memory_limit_is_rmt024_and_the_healthy_host_beside_it_has_none() {
    if !rig::is_root() {
        skip::skip(
            "remote_cli session memory limit",
            "creating a memory cgroup needs root",
        );
        return;
    }
    let mut rig = Rig::new();
    let port = rig.start_sshd("roomy", &[GO_PATH_ENV]);
    rig.trust_sshd(port);
    let base = rig.root_with_key();
    rig.host("roomy", port, &with(&base, &[]));
    let limit: u64 = 512 * 1024 * 1024;
    let Some(kind) = rig.memory_limited_host("small", limit) else {
        skip::skip(
            "remote_cli session memory limit",
            "this machine lets no memory cgroup be made (neither v2 nor v1)",
        );
        return;
    };
    let (report, _, _, stderr) = rig.gord_check(&["--all", "--timeout", "5"]);
    let small = &report["hosts"][1];
    assert_eq!(
        small["remote"]["cgroupMemoryMax"], limit,
        "cgroup {kind}: {small:#}\n{stderr}"
    );
    let rmt024 = crate::common::entry(&small["findings"], "code", "RMT024");
    assert_eq!(rmt024["status"], "error", "{rmt024:#}");
    assert!(
        str_of(&rmt024["message"]).contains("the cgroup memory limit is 512 MiB"),
        "{rmt024:#}"
    );
    // The host beside it has its memory and CPUs (this machine's): quiet,
    // where the machine itself meets the recommendation.
    let roomy = &report["hosts"][0];
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    if cpus >= 2 {
        assert!(
            !codes(&report, 0).contains(&"RMT024".to_string()),
            "{roomy:#}"
        );
    }
    assert_eq!(
        roomy["remote"]["cgroupMemoryMax"],
        serde_json::Value::Null,
        "{roomy:#}"
    );
}

#[test]
fn a_home_on_nfs_is_rmt028_and_fix_installs_the_server_on_local_disk_for_that_host() {
    if !rig::is_root() {
        skip::skip(
            "remote_cli a home on NFS",
            "creating the rig's login users needs root",
        );
        return;
    }
    let mut rig = Rig::new();
    let port = rig.start_sshd("local", &[GO_PATH_ENV]);
    rig.trust_sshd(port);
    let base = rig.root_with_key();
    rig.host("local", port, &with(&base, &[]));
    rig.nfs_home_host("nfshome", "gordnfshome");
    let settings = rig.user_settings();
    let _ = std::fs::remove_dir_all(settings.parent().unwrap());
    let (report, _, _, stderr) = rig.gord_check(&["--all", "--timeout", "5", "--fix"]);
    assert!(
        !codes(&report, 0).contains(&"RMT028".to_string()),
        "{:#}",
        report["hosts"][0]
    );
    let host = &report["hosts"][1];
    let rmt028 = crate::common::entry(&host["findings"], "code", "RMT028");
    assert!(
        str_of(&rmt028["message"])
            .starts_with("the home directory (nfs), ~/.vscode-server (nfs) on nfshome"),
        "{rmt028:#}\n{stderr}"
    );
    // Every fix on the wire: the settings edit, then the advice left.
    let fixes = rmt028["fixes"].as_array().unwrap();
    assert_eq!(fixes.len(), 2, "{rmt028:#}");
    assert!(str_of(&fixes[1]["title"]).contains("`ssh nfshome mkdir -m 700 /var/tmp/gordnfshome`"));
    // --fix made the settings file, the install path keyed by the host.
    assert_eq!(
        std::fs::read_to_string(&settings).unwrap(),
        "{\n    \"remote.SSH.lockfilesInTmp\": true,\n    \"remote.SSH.serverInstallPath\": { \"nfshome\": \"/var/tmp/gordnfshome\" }\n}\n",
        "{stderr}"
    );
}
