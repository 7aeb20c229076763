#!/usr/bin/env python3
"""gord remote check --all against a plain `ssh HOST true` loop, on real sshd daemons.

Starts N sshd on 127.0.0.1 (as tests/rig does: own host keys, UsePAM no,
StrictModes no, PidFile none), writes an ssh_config and known_hosts in a temp
dir, then times:
  - `gord remote check --all --jobs J -F CONFIG` (every check on every host);
  - `ssh -F CONFIG HOST true` for each host, one after another;
  - `gord remote check h0` alone: one host's full check;
  - with ControlMaster auto (ControlPath in the temp dir): the first and the
    second `ssh HOST true` to one host.
It also counts the logins each sshd accepted during one gord run (its log's
`Accepted publickey` lines): the SSH handshakes gord makes per host.
Standard library only. Needs root (sshd logs in as root with the rig's key).
"""
import argparse, os, resource, shutil, signal, socket, subprocess, sys, tempfile, time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def keygen(path):
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path], check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gord", default="target/release/gord")
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=8)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="gord-remote-bench-")
    os.chmod(tmp, 0o755)
    os.makedirs("/run/sshd", exist_ok=True)
    daemons = []
    try:
        key = os.path.join(tmp, "id_ed25519")
        keygen(key)
        shutil.copy(key + ".pub", os.path.join(tmp, "authorized_keys"))
        known = os.path.join(tmp, "known_hosts")
        config = []
        known_lines = []
        for i in range(args.hosts):
            hk = os.path.join(tmp, f"host{i}_key")
            keygen(hk)
            port = free_port()
            cfg = os.path.join(tmp, f"sshd{i}.conf")
            with open(cfg, "w") as f:
                f.write(f"ListenAddress 127.0.0.1:{port}\nHostKey {hk}\nPidFile none\nUsePAM no\n"
                        f"StrictModes no\nAuthorizedKeysFile {tmp}/authorized_keys\n"
                        "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
                        "PermitRootLogin prohibit-password\nMaxStartups 100\nLogLevel INFO\n"
                        "SetEnv PATH=/usr/local/go/bin:/root/go/bin:/usr/local/bin:/usr/bin:/bin\n")
            daemons.append(subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", cfg, "-E", cfg + ".log"]))
            pub = open(hk + ".pub").read().split()
            known_lines.append(f"[127.0.0.1]:{port} {pub[0]} {pub[1]}\n")
            config.append(f"Host h{i}\n  HostName 127.0.0.1\n  Port {port}\n  User root\n"
                          f"  IdentityFile {key}\n  IdentitiesOnly yes\n  UserKnownHostsFile {known}\n"
                          "  GlobalKnownHostsFile /dev/null\n")
            for _ in range(500):
                try:
                    socket.create_connection(("127.0.0.1", port), 0.1).close()
                    break
                except OSError:
                    time.sleep(0.01)
        open(known, "w").writelines(known_lines)
        conf = os.path.join(tmp, "ssh_config")
        open(conf, "w").write("".join(config))
        cm_conf = os.path.join(tmp, "ssh_config_cm")
        open(cm_conf, "w").write(f"Host *\n  ControlMaster auto\n  ControlPath {tmp}/cm-%C\n  ControlPersist 30\n" + "".join(config))
        env = dict(os.environ)
        for k in ("SSH_AUTH_SOCK", "SSH_ASKPASS", "DISPLAY"):
            env.pop(k, None)

        def timed(argv):
            t = time.perf_counter()
            p = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return (time.perf_counter() - t) * 1000, p.returncode

        logs = [os.path.join(tmp, f"sshd{i}.conf.log") for i in range(args.hosts)]

        def logins():
            n = 0
            for log in logs:
                try:
                    n += open(log, errors="replace").read().count("Accepted publickey for")
                except OSError:
                    pass
            return n

        tick = os.sysconf("SC_CLK_TCK")

        def sshd_cpu():
            """CPU seconds of the sshd daemons and their reaped children (the "remote" side)."""
            total = 0
            for d in daemons:
                try:
                    f = open(f"/proc/{d.pid}/stat").read().rsplit(")", 1)[1].split()
                    total += sum(int(x) for x in f[11:15])
                except OSError:
                    pass
            return total / tick

        def local_cpu():
            r = resource.getrusage(resource.RUSAGE_CHILDREN)
            return r.ru_utime + r.ru_stime

        cpu = {"gord": [0.0, 0.0], "loop": [0.0, 0.0]}
        gord_times, loop_times = [], []
        before = logins()
        handshakes = None
        for _ in range(args.runs):
            r0, l0 = sshd_cpu(), local_cpu()
            ms, code = timed([args.gord, "remote", "check", "--all", "--jobs", str(args.jobs), "-F", conf, "--timeout", "10"])
            time.sleep(0.3)  # let the daemons reap their last children
            cpu["gord"][0] += local_cpu() - l0
            cpu["gord"][1] += sshd_cpu() - r0
            if code not in (0, 1):
                sys.exit(f"gord failed with {code}")
            gord_times.append(ms)
            if handshakes is None:
                handshakes = (logins() - before) / args.hosts
            r0, l0 = sshd_cpu(), local_cpu()
            t = time.perf_counter()
            for i in range(args.hosts):
                _, code = timed(["ssh", "-F", conf, "-o", "BatchMode=yes", f"h{i}", "true"])
                if code != 0:
                    sys.exit(f"ssh h{i} true failed with {code}")
            loop_times.append((time.perf_counter() - t) * 1000)
            time.sleep(0.3)
            cpu["loop"][0] += local_cpu() - l0
            cpu["loop"][1] += sshd_cpu() - r0
        one = sorted(timed([args.gord, "remote", "check", "h0", "-F", conf, "--timeout", "10"])[0] for _ in range(args.runs))[args.runs // 2]
        first, _ = timed(["ssh", "-F", cm_conf, "-o", "BatchMode=yes", "h0", "true"])
        second, _ = timed(["ssh", "-F", cm_conf, "-o", "BatchMode=yes", "h0", "true"])
        subprocess.run(["ssh", "-F", cm_conf, "-O", "exit", "h0"], env=env, stderr=subprocess.DEVNULL)
        med = lambda xs: sorted(xs)[len(xs) // 2]
        g, l = med(gord_times), med(loop_times)
        print(f"metric | gord | peer | ratio")
        print(f"{args.hosts} hosts, every check (--jobs {args.jobs}) vs `ssh HOST true` loop, median of {args.runs} (ms) | {g:.0f} | {l:.0f} | {g / l:.2f}x ({l / g:.2f} times as fast)")
        print(f"SSH handshakes per host (sshd logins during one gord run) | {handshakes:.1f} | 1 | {handshakes:.2f}x")
        per = lambda side, i: cpu[side][i] / args.runs / args.hosts * 1000
        print(f"CPU per host, client side: gord and its ssh vs `ssh HOST true` (ms) | {per('gord', 0):.0f} | {per('loop', 0):.0f} | {per('gord', 0) / per('loop', 0):.2f}x")
        print(f"CPU per host, server side: sshd and what it ran (ms) | {per('gord', 1):.0f} | {per('loop', 1):.0f} | {per('gord', 1) / per('loop', 1):.2f}x")
        print(f"one host's full check, median (ms) | {one:.0f} | {l / args.hosts:.0f} (one `ssh HOST true`) | {one / (l / args.hosts):.2f}x")
        print(f"ControlMaster: first vs second `ssh HOST true` (ms) | {second:.1f} (second) | {first:.1f} (first) | {second / first:.2f}x")
    finally:
        for d in daemons:
            d.send_signal(signal.SIGTERM)
        for d in daemons:
            d.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
