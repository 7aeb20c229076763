//! The remote test rig: real OpenSSH `sshd` daemons on loopback ports, a
//! client key pair (and one with a passphrase), a generated `ssh_config` and
//! known_hosts in a temporary directory, a listener that accepts and never
//! speaks, and closed ports. Everything stops on drop, and [`Rig::drop`]
//! checks that no process started for the rig remains.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{free_port, wait};

pub const SSHD: &str = "/usr/sbin/sshd";

/// One running sshd.
pub struct Sshd {
    child: Child,
    pub port: u16,
    pub log: PathBuf,
    pub host_key_pub: PathBuf,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP port that accepts connections and never sends a byte.
pub struct BlackHole {
    pub port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for BlackHole {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A TCP relay on loopback that hands connection n to the n-th of its
/// targets in turn (round robin, as a DNS name or load balancer in front of
/// login nodes does), each after `delay` (a slow network or jump).
pub struct Relay {
    pub port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One client of [`Rig::connect_proxy`]: the request head, then a tunnel
/// or a refusal.
fn proxy_one(mut client: TcpStream, allow: bool, tunnels: &std::sync::atomic::AtomicUsize) {
    use std::io::Write;
    let _ = client.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut byte = [0_u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
        match client.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let target = head
        .strip_prefix("CONNECT ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|authority| authority.rsplit_once(':'))
        .filter(|(host, _)| host.starts_with("127."))
        .and_then(|(host, port)| Some((host.to_string(), port.parse::<u16>().ok()?)));
    let server = match (allow, target) {
        (true, Some((host, port))) => TcpStream::connect((host.as_str(), port)).ok(),
        _ => None,
    };
    let Some(server) = server else {
        let _ = client
            .write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    };
    tunnels.fetch_add(1, Ordering::SeqCst);
    let _ = client.set_read_timeout(None);
    if client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .is_err()
    {
        return;
    }
    let (Ok(client2), Ok(server2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    std::thread::spawn(move || pipe(client2, server2));
    pipe(server, client);
}

/// Copies `from` to `to` until either ends, then ends both.
fn pipe(mut from: TcpStream, mut to: TcpStream) {
    let _ = std::io::copy(&mut from, &mut to);
    let _ = from.shutdown(std::net::Shutdown::Both);
    let _ = to.shutdown(std::net::Shutdown::Both);
}

pub struct Rig {
    pub dir: tempfile::TempDir,
    pub client_key: PathBuf,
    pub locked_key: PathBuf,
    pub known_hosts: PathBuf,
    pub config: PathBuf,
    config_text: String,
    sshds: Vec<Sshd>,
    holes: Vec<BlackHole>,
    relays: Vec<Relay>,
    /// Other servers the rig started (the TLS server).
    children: Vec<Child>,
    /// Memory cgroups made for [`Rig::memory_limited_host`], removed on drop.
    cgroups: Vec<PathBuf>,
    /// What `gord remote check` gets as `GORD_TEST_EGRESS_TARGETS` (empty:
    /// no fixed targets, so no request leaves loopback) and
    /// `GORD_TEST_EGRESS_CACERT`.
    pub egress_targets: String,
    pub egress_cacert: Option<PathBuf>,
}

/// Runs `program` with `args` to the end; fails unless it succeeds.
pub fn run(program: &str, args: &[&str]) {
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(status.success(), "{program} {args:?} failed");
}

fn keygen(path: &Path, passphrase: &str) {
    run(
        "ssh-keygen",
        &[
            "-q",
            "-t",
            "ed25519",
            "-N",
            passphrase,
            "-C",
            "rig",
            "-f",
            path.to_str().unwrap(),
        ],
    );
}

impl Rig {
    pub fn new() -> Rig {
        let dir = tempfile::tempdir().unwrap();
        // sshd reads authorized_keys as the logging-in user: let it in.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let client_key = dir.path().join("id_ed25519");
        let locked_key = dir.path().join("id_locked");
        keygen(&client_key, "");
        keygen(&locked_key, "correct horse");
        let public = std::fs::read_to_string(client_key.with_extension("pub")).unwrap();
        let locked_public = std::fs::read_to_string(dir.path().join("id_locked.pub")).unwrap();
        let authorized = dir.path().join("authorized_keys");
        std::fs::write(&authorized, format!("{public}{locked_public}")).unwrap();
        std::fs::set_permissions(&authorized, std::fs::Permissions::from_mode(0o644)).unwrap();
        let known_hosts = dir.path().join("known_hosts");
        std::fs::write(&known_hosts, "").unwrap();
        let config = dir.path().join("ssh_config");
        // sshd refuses to start without its privilege separation directory.
        let _ = std::fs::create_dir_all("/run/sshd");
        Rig {
            dir,
            client_key,
            locked_key,
            known_hosts,
            config,
            config_text: String::new(),
            sshds: Vec::new(),
            holes: Vec::new(),
            relays: Vec::new(),
            children: Vec::new(),
            cgroups: Vec::new(),
            egress_targets: String::new(),
            egress_cacert: None,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A host `alias` whose login user `user` (its home returned) has a
    /// `flock` that fails. A directory where flock really fails needs an
    /// NFS mount without lockd, which the rig cannot make: this is a fault
    /// shim, first on the user's non-login PATH, failing the way
    /// util-linux's does on such a mount (ENOLCK's text). Needs root.
    pub fn flock_failing_host(&mut self, alias: &str, user: &str) -> PathBuf {
        self.shim_host(
            alias,
            user,
            "flock",
            "#!/bin/sh\necho \"flock: $2: No locks available\" >&2\nexit 1\n",
        )
    }

    /// A host `alias` whose login user `user` (its home, with an empty
    /// `.vscode-server`, returned) has the script `text` as `program`, first
    /// on its non-login PATH. Needs root.
    fn shim_host(&mut self, alias: &str, user: &str, program: &str, text: &str) -> PathBuf {
        let home = self.login_user(user, "/bin/bash", &[(program, text)]);
        std::fs::create_dir_all(home.join(".vscode-server")).unwrap();
        run("chmod", &["755", home.join(program).to_str().unwrap()]);
        run("chown", &["-R", user, home.to_str().unwrap()]);
        let path_env = format!(
            "SetEnv PATH={}:/usr/local/go/bin:/usr/local/bin:/usr/bin:/bin",
            home.display()
        );
        let port = self.start_sshd(alias, &[&path_env]);
        self.trust_sshd(port);
        let identity = format!("IdentityFile {}", self.client_key.display());
        self.host(alias, port, &[&format!("User {user}"), &identity]);
        home
    }

    /// A host `alias` whose login user `user` (its home returned) has its
    /// home on NFS as the script sees it. The machine the tests run on has
    /// no NFS client (no `nfs` in /proc/filesystems, no modprobe) and a FUSE
    /// mount reads as `fuseblk`, not as a network file system, so this is a
    /// fault shim like [`Rig::flock_failing_host`]'s: a `stat` first on the
    /// user's non-login PATH that names the home and what is in it `nfs`
    /// for `stat -f -c %T` and runs the real one otherwise. Needs root.
    pub fn nfs_home_host(&mut self, alias: &str, user: &str) -> PathBuf {
        self.shim_host(
            alias,
            user,
            "stat",
            "#!/bin/sh\nif [ \"$1 $2 $3\" = \"-f -c %T\" ]; then\n  case $4 in \"$HOME\"|\"$HOME\"/*) echo nfs; exit 0 ;; esac\nfi\nexec /usr/bin/stat \"$@\"\n",
        )
    }

    /// A host `alias` (root, the rig's key) whose sshd, and so every session
    /// it forks, runs in a memory cgroup of its own limited to `limit`
    /// bytes: cgroup v2 `memory.max` where /sys/fs/cgroup is the unified
    /// hierarchy with the memory controller, else a cgroup v1 child's
    /// `memory.limit_in_bytes`. Returns which it made (`"v2"`, `"v1"`), or
    /// None when this machine lets it make neither (then no host is added).
    pub fn memory_limited_host(&mut self, alias: &str, limit: u64) -> Option<&'static str> {
        let name = format!("gord-rig-{}-{alias}", std::process::id());
        let made = make_memory_cgroup(&name, limit)?;
        self.cgroups.push(made.0.clone());
        let port = self.start_sshd(
            alias,
            &["SetEnv PATH=/usr/local/go/bin:/usr/local/bin:/usr/bin:/bin"],
        );
        let pid = self.sshds.last().map(|s| s.child.id())?;
        std::fs::write(made.0.join("cgroup.procs"), pid.to_string()).ok()?;
        self.trust_sshd(port);
        let base = self.root_with_key();
        let lines: Vec<&str> = base.iter().map(String::as_str).collect();
        self.host(alias, port, &lines);
        Some(made.1)
    }

    /// The VS Code user settings.json gord's runs read and `--fix` edits.
    pub fn user_settings(&self) -> PathBuf {
        self.path("config/Code/User/settings.json")
    }

    /// Starts an sshd named `name` with `extra` sshd_config lines; returns its port.
    pub fn start_sshd(&mut self, name: &str, extra: &[&str]) -> u16 {
        let host_key = self.path(&format!("{name}_host_key"));
        keygen(&host_key, "");
        self.start_sshd_with_key(name, extra, &host_key)
    }

    /// Starts an sshd with the host key of another (`other`'s name): nodes
    /// behind one name share their key, so ssh trusts each of them.
    pub fn start_sshd_sharing_key(&mut self, name: &str, extra: &[&str], other: &str) -> u16 {
        let host_key = self.path(&format!("{other}_host_key"));
        self.start_sshd_with_key(name, extra, &host_key)
    }

    fn start_sshd_with_key(&mut self, name: &str, extra: &[&str], host_key: &Path) -> u16 {
        let port = free_port();
        let log = self.path(&format!("{name}.log"));
        let mut config = format!(
            "ListenAddress 127.0.0.1:{port}\nHostKey {}\nPidFile none\nUsePAM no\nStrictModes no\n\
AuthorizedKeysFile {}\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n\
PubkeyAuthentication yes\nPermitRootLogin prohibit-password\nLogLevel DEBUG1\n\
Subsystem sftp internal-sftp\n",
            host_key.display(),
            self.path("authorized_keys").display()
        );
        for line in extra {
            config.push_str(line);
            config.push('\n');
        }
        let config_path = self.path(&format!("{name}_sshd_config"));
        std::fs::write(&config_path, config).unwrap();
        let child = Command::new(SSHD)
            .args(["-D", "-e", "-f"])
            .arg(&config_path)
            .arg("-E")
            .arg(&log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sshd starts");
        let sshd = Sshd {
            child,
            port,
            log: log.clone(),
            host_key_pub: PathBuf::from(format!("{}.pub", host_key.display())),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "sshd {name} did not listen: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        self.sshds.push(sshd);
        port
    }

    pub fn sshd_log(&self, port: u16) -> String {
        self.sshds
            .iter()
            .find(|s| s.port == port)
            .map(|s| std::fs::read_to_string(&s.log).unwrap_or_default())
            .unwrap_or_default()
    }

    /// Records `key_pub`'s key for `[127.0.0.1]:port` in the rig's known_hosts.
    pub fn trust(&self, port: u16, key_pub: &Path) {
        let key = std::fs::read_to_string(key_pub).unwrap();
        let mut fields = key.split_whitespace();
        let line = format!(
            "[127.0.0.1]:{port} {} {}\n",
            fields.next().unwrap(),
            fields.next().unwrap()
        );
        let mut all = std::fs::read_to_string(&self.known_hosts).unwrap();
        all.push_str(&line);
        std::fs::write(&self.known_hosts, all).unwrap();
    }

    /// Records a key of its own making, not the sshd's, for `port` in the
    /// rig's known_hosts: to ssh the host's key has changed since it was
    /// first trusted.
    pub fn trust_an_old_key(&self, port: u16) {
        let old = self.path("old_host_key");
        keygen(&old, "");
        self.trust(port, &self.path("old_host_key.pub"));
    }

    /// Trusts the real host key of the sshd on `port`.
    pub fn trust_sshd(&self, port: u16) {
        let sshd = self.sshds.iter().find(|s| s.port == port).unwrap();
        self.trust(port, &sshd.host_key_pub.clone());
    }

    pub fn host_key_pub(&self, port: u16) -> PathBuf {
        self.sshds
            .iter()
            .find(|s| s.port == port)
            .unwrap()
            .host_key_pub
            .clone()
    }

    /// A listener that accepts and holds every connection, silent.
    pub fn black_hole(&mut self) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    held.push(stream);
                }
            }
            drop(held);
        });
        self.holes.push(BlackHole {
            port,
            stop,
            thread: Some(thread),
        });
        port
    }

    /// A relay to `targets` in turn, each connection after `delay`; its port.
    pub fn relay(&mut self, targets: &[u16], delay: Duration) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let targets = targets.to_vec();
        let thread = std::thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = stream else { continue };
                let target = targets[n % targets.len()];
                std::thread::spawn(move || {
                    std::thread::sleep(delay);
                    let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
                        return;
                    };
                    let (Ok(client2), Ok(server2)) = (client.try_clone(), server.try_clone())
                    else {
                        return;
                    };
                    std::thread::spawn(move || pipe(client2, server2));
                    pipe(server, client);
                });
            }
        });
        self.relays.push(Relay {
            port,
            stop,
            thread: Some(thread),
        });
        port
    }

    /// An HTTPS server on loopback (`openssl s_server -www`: every GET gets
    /// 200) with a self-signed certificate for 127.0.0.1; its port and the
    /// certificate (PEM), for clients to trust.
    pub fn tls_server(&mut self) -> (u16, PathBuf) {
        let cert = self.path("tls_cert.pem");
        let key = self.path("tls_key.pem");
        run(
            "openssl",
            &[
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                key.to_str().unwrap(),
                "-out",
                cert.to_str().unwrap(),
            ],
        );
        std::fs::set_permissions(&cert, std::fs::Permissions::from_mode(0o644)).unwrap();
        let port = free_port();
        let child = Command::new("openssl")
            .args(["s_server", "-quiet", "-www", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(&cert)
            .arg("-key")
            .arg(&key)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openssl s_server starts");
        self.children.push(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "openssl s_server did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
        (port, cert)
    }

    /// An HTTP proxy on loopback for CONNECT: with `allow`, it tunnels to a
    /// 127.x address and counts the tunnels in `tunnels`; without, it
    /// answers every request `403 Forbidden`, as a proxy whose policy
    /// forbids the destination does. Its port.
    pub fn connect_proxy(
        &mut self,
        allow: bool,
        tunnels: Arc<std::sync::atomic::AtomicUsize>,
    ) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = stream else { continue };
                let tunnels = Arc::clone(&tunnels);
                std::thread::spawn(move || proxy_one(client, allow, &tunnels));
            }
        });
        self.relays.push(Relay {
            port,
            stop,
            thread: Some(thread),
        });
        port
    }

    /// Logins sshd on `port` accepted so far (its log's `Accepted
    /// publickey` lines): each is one full SSH handshake. (Counting its
    /// `Connection from` lines would count the rig's own readiness check.)
    pub fn logins_to(&self, port: u16) -> usize {
        self.sshd_log(port)
            .matches("Accepted publickey for")
            .count()
    }

    /// Adds a Host block: `Host alias`, HostName 127.0.0.1, the port, the
    /// rig's known_hosts, and `extra` lines (User, IdentityFile, ...).
    pub fn host(&mut self, alias: &str, port: u16, extra: &[&str]) {
        let _ = write!(
            self.config_text,
            "Host {alias}\n  HostName 127.0.0.1\n  Port {port}\n  UserKnownHostsFile {}\n  GlobalKnownHostsFile /dev/null\n  IdentitiesOnly yes\n",
            self.known_hosts.display()
        );
        for line in extra {
            let _ = writeln!(self.config_text, "  {line}");
        }
        std::fs::write(&self.config, &self.config_text).unwrap();
    }

    /// `User root` and the rig's passphrase-less key.
    pub fn root_with_key(&self) -> Vec<String> {
        vec![
            String::from("User root"),
            format!("IdentityFile {}", self.client_key.display()),
        ]
    }

    /// Runs `gord remote check` with the rig's config; returns the JSON
    /// report, the exit code and the time taken.
    pub fn gord_check(&self, args: &[&str]) -> (serde_json::Value, Option<i32>, Duration, String) {
        self.gord_check_in(args, &std::env::temp_dir())
    }

    /// [`Rig::gord_check`] with TMPDIR set to `tmp` (where gord's control
    /// sockets go).
    pub fn gord_check_in(
        &self,
        args: &[&str],
        tmp: &Path,
    ) -> (serde_json::Value, Option<i32>, Duration, String) {
        let started = Instant::now();
        let mut command = Command::new(env!("CARGO_BIN_EXE_gord"));
        command.env("GORD_TEST_EGRESS_TARGETS", &self.egress_targets);
        match &self.egress_cacert {
            Some(cacert) => command.env("GORD_TEST_EGRESS_CACERT", cacert),
            None => command.env_remove("GORD_TEST_EGRESS_CACERT"),
        };
        // This machine's VS Code user settings and gord's backups live in
        // the rig: `--fix` edits `Rig::user_settings`, never the tester's.
        let out = command
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_STATE_HOME", self.path("state"))
            .env("TMPDIR", tmp)
            .args(["remote", "check", "--format", "json", "-F"])
            .arg(&self.config)
            .args(args)
            .env_remove("SSH_AUTH_SOCK")
            .env_remove("SSH_ASKPASS")
            .env_remove("DISPLAY")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let took = started.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}\nstderr: {stderr}",
                String::from_utf8_lossy(&out.stdout)
            )
        });
        (json, out.status.code(), took, stderr)
    }
}

impl Rig {
    /// A login user `name` (created once, reused by later runs) whose home
    /// is a fresh directory of the rig holding `files`, with `shell` as its
    /// login shell; returns the home. Needs root.
    pub fn login_user(&self, name: &str, shell: &str, files: &[(&str, &str)]) -> PathBuf {
        let home = self.path(&format!("home-{name}"));
        std::fs::create_dir_all(&home).unwrap();
        for (file, text) in files {
            std::fs::write(home.join(file), text).unwrap();
        }
        let home_text = home.to_str().unwrap();
        let exists = Command::new("id")
            .arg(name)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success();
        if !exists {
            // `*`: no password, yet not locked (sshd refuses locked accounts).
            run(
                "useradd",
                &["-M", "-s", shell, "-p", "*", "-d", home_text, name],
            );
        }
        run("usermod", &["-d", home_text, "-s", shell, name]);
        run("chown", &["-R", name, home_text]);
        home
    }
}

/// Processes whose command line mentions `needle` (besides this test).
pub fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let me = std::process::id().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.chars().all(|c| c.is_ascii_digit()) || name == me {
            continue;
        }
        let mut cmdline = Vec::new();
        if std::fs::File::open(entry.path().join("cmdline"))
            .and_then(|mut f| f.read_to_end(&mut cmdline))
            .is_ok()
        {
            let text = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if text.contains(needle) {
                found.push(format!("{name}: {text}"));
            }
        }
    }
    found
}

impl Drop for Rig {
    fn drop(&mut self) {
        let dir = self.dir.path().display().to_string();
        self.sshds.clear();
        self.holes.clear();
        self.relays.clear();
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        if !std::thread::panicking() {
            // ssh ControlPersist masters end when their sshd goes; give them a moment.
            wait::until_empty(Duration::from_secs(5), "processes outlived the rig", || {
                processes_mentioning(&dir)
            });
        }
        // A cgroup goes once its last process has.
        for cgroup in &self.cgroups {
            let deadline = Instant::now() + Duration::from_secs(5);
            while std::fs::remove_dir(cgroup).is_err() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

/// Makes the memory cgroup `name` limited to `limit` bytes: its directory
/// and `"v2"` or `"v1"`; None when neither hierarchy takes it.
fn make_memory_cgroup(name: &str, limit: u64) -> Option<(PathBuf, &'static str)> {
    let v2 = Path::new("/sys/fs/cgroup");
    let controllers = std::fs::read_to_string(v2.join("cgroup.controllers")).unwrap_or_default();
    if controllers.split_whitespace().any(|c| c == "memory") {
        let _ = std::fs::write(v2.join("cgroup.subtree_control"), "+memory");
        let dir = v2.join(name);
        if std::fs::create_dir(&dir).is_ok() {
            if std::fs::write(dir.join("memory.max"), limit.to_string()).is_ok() {
                return Some((dir, "v2"));
            }
            let _ = std::fs::remove_dir(&dir);
        }
    }
    let dir = Path::new("/sys/fs/cgroup/memory").join(name);
    std::fs::create_dir(&dir).ok()?;
    if std::fs::write(dir.join("memory.limit_in_bytes"), limit.to_string()).is_err() {
        let _ = std::fs::remove_dir(&dir);
        return None;
    }
    Some((dir, "v1"))
}

/// The findings' codes of host `index` in a JSON report.
pub fn codes(report: &serde_json::Value, index: usize) -> Vec<String> {
    report["hosts"][index]["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["code"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}
