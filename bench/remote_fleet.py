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
With --rtt MS it does all of that twice, side by side: on plain loopback,
and with each host behind a relay that gives it a network round trip of MS
ms (each direction delayed by half, and a new connection's opening by one
round trip, as TCP's handshake costs). On this rig the 20 sshd share the
machine's cores with the loop, which no real fleet does; the round trip is
what a real fleet adds. The relay is userspace (asyncio, in this process, so
its CPU is not counted on either side) because this kernel has no netem
(CONFIG_NET_SCH_NETEM and CONFIG_NET_SCH_PRIO are off, and it loads no
modules); it touches no port but its own.
Standard library only. Needs root. By default (--account fresh) the hosts are
logged in to as a fresh account made for the run (`gordbenchPID`, home in the
temp dir, bash as login shell, Go's bin directory on its login PATH from a
one-line ~/.profile as Go's install instructions have it, or with
`--remote-go none` no start-up file and no Go at all; the Go tools of
/root/go/bin linked into its GOPATH), as a remote host's account would be: this machine's
root runs `pyenv init` in every shell, which both sides would pay on every
login. `--account root` logs in as root, as before. The account is removed at
the end. The egress check asks an `openssl s_server` on loopback (the
script's test mode), never the internet.
"""
import argparse, asyncio, os, pwd, resource, shutil, signal, socket, subprocess, sys, tempfile, threading, time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def keygen(path):
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path], check=True)


class Relay:
    """Loopback TCP relays, one per target port, that delay every byte by
    half a round trip each way (order kept, pipelined) and a new connection
    by a whole one. Runs an asyncio loop in a daemon thread; stop() closes
    every listener and connection."""

    def __init__(self, targets, rtt_ms):
        self.half = rtt_ms / 2000.0
        self.rtt = rtt_ms / 1000.0
        self.loop = asyncio.new_event_loop()
        self.servers = []
        self.ports = []
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        for target in targets:
            server = asyncio.run_coroutine_threadsafe(self._listen(target), self.loop).result()
            self.servers.append(server)
            self.ports.append(server.sockets[0].getsockname()[1])

    async def _listen(self, target):
        return await asyncio.start_server(lambda r, w: self._serve(r, w, target), "127.0.0.1", 0)

    async def _pipe(self, reader, writer):
        queue = asyncio.Queue()

        async def read():
            while True:
                data = await reader.read(65536)
                queue.put_nowait((time.monotonic() + self.half, data))
                if not data:
                    return

        async def write():
            while True:
                due, data = await queue.get()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()

        try:
            await asyncio.gather(read(), write())
        except (OSError, asyncio.CancelledError):
            pass

    async def _serve(self, client_r, client_w, target):
        try:
            await asyncio.sleep(self.rtt)
            server_r, server_w = await asyncio.open_connection("127.0.0.1", target)
        except (OSError, asyncio.CancelledError):
            client_w.close()
            return
        try:
            await asyncio.gather(self._pipe(client_r, server_w), self._pipe(server_r, client_w))
        except asyncio.CancelledError:
            pass
        finally:
            for w in (client_w, server_w):
                w.close()

    def stop(self):
        async def close():
            for server in self.servers:
                server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def interrupted(*_):
    raise KeyboardInterrupt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gord", default="target/release/gord")
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=8)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rtt", type=float, default=0,
                    help="also measure with this network round trip (ms) per host, side by side")
    ap.add_argument("--account", choices=["fresh", "root"], default="fresh",
                    help="log in as a fresh account made for the run (default) or as root")
    ap.add_argument("--remote-go", choices=["login", "none"], default="login",
                    help="the fresh account finds Go on its login PATH (~/.profile, the "
                    "default, as Go's install instructions set it up) or nowhere")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="gord-remote-bench-")
    os.chmod(tmp, 0o755)
    os.makedirs("/run/sshd", exist_ok=True)
    daemons = []
    relay = None
    # Ctrl-C raises KeyboardInterrupt; a TERM does the same, so `finally` always runs.
    signal.signal(signal.SIGTERM, interrupted)
    account = "root" if args.account == "root" else f"gordbench{os.getpid()}"
    made_account = False
    try:
        if account != "root":
            home = os.path.join(tmp, "home")
            os.makedirs(os.path.join(home, "go", "bin"))
            for tool in ("gopls", "dlv", "golangci-lint"):
                source = os.path.join("/root/go/bin", tool)
                if os.path.exists(source):
                    try:
                        os.link(source, os.path.join(home, "go", "bin", tool))
                    except OSError:
                        shutil.copy2(source, os.path.join(home, "go", "bin", tool))
            if args.remote_go == "login":
                # As Go's install instructions say: its bin directory on the
                # login shell's PATH, from ~/.profile.
                go = shutil.which("go") or "/usr/local/go/bin/go"
                with open(os.path.join(home, ".profile"), "w") as f:
                    f.write(f'export PATH="$PATH:{os.path.dirname(os.path.realpath(go))}"\n')
            subprocess.run(["useradd", "-M", "-d", home, "-s", "/bin/bash", "-p", "*", account], check=True)
            made_account = True
            # Not -R: the tools are hard links to root's own, which keep their owner.
            for path in (home, os.path.join(home, "go"), os.path.join(home, "go", "bin"),
                         os.path.join(home, ".profile")):
                if os.path.exists(path):
                    os.chown(path, pwd.getpwnam(account).pw_uid, -1)
        key = os.path.join(tmp, "id_ed25519")
        keygen(key)
        shutil.copy(key + ".pub", os.path.join(tmp, "authorized_keys"))
        known = os.path.join(tmp, "known_hosts")
        ports, host_keys = [], []
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
            ports.append(port)
            host_keys.append(open(hk + ".pub").read().split())
            for _ in range(500):
                try:
                    socket.create_connection(("127.0.0.1", port), 0.1).close()
                    break
                except OSError:
                    time.sleep(0.01)
        if args.rtt > 0:
            relay = Relay(ports, args.rtt)
        # Every port a host may be reached on (its sshd's, its relay's) is known.
        with open(known, "w") as f:
            for i, pub in enumerate(host_keys):
                for port in [ports[i]] + ([relay.ports[i]] if relay else []):
                    f.write(f"[127.0.0.1]:{port} {pub[0]} {pub[1]}\n")

        def write_configs(name, host_ports):
            config = "".join(
                f"Host h{i}\n  HostName 127.0.0.1\n  Port {port}\n  User {account}\n"
                f"  IdentityFile {key}\n  IdentitiesOnly yes\n  UserKnownHostsFile {known}\n"
                "  GlobalKnownHostsFile /dev/null\n"
                for i, port in enumerate(host_ports))
            conf = os.path.join(tmp, f"ssh_config_{name}")
            open(conf, "w").write(config)
            cm_conf = os.path.join(tmp, f"ssh_config_{name}_cm")
            open(cm_conf, "w").write(f"Host *\n  ControlMaster auto\n  ControlPath {tmp}/cm-%C\n  ControlPersist 30\n" + config)
            return conf, cm_conf

        env = dict(os.environ)
        for k in ("SSH_AUTH_SOCK", "SSH_ASKPASS", "DISPLAY"):
            env.pop(k, None)
        # The egress check asks a TLS server on loopback (its test mode, as
        # the rig's tests do) rather than the internet: this machine has none
        # to speak of, and its resolver times out under parallel lookups,
        # which would time the sandbox, not gord.
        cert, tls_key = os.path.join(tmp, "tls.crt"), os.path.join(tmp, "tls.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", tls_key, "-out", cert], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.chmod(cert, 0o644)
        tls_port = free_port()
        daemons.append(subprocess.Popen(["openssl", "s_server", "-quiet", "-www", "-accept", f"127.0.0.1:{tls_port}",
                                         "-cert", cert, "-key", tls_key], stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        env["GORD_TEST_EGRESS_TARGETS"] = f"server=https://127.0.0.1:{tls_port}/ marketplace=https://127.0.0.1:{tls_port}/"
        env["GORD_TEST_EGRESS_CACERT"] = cert

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

        def machine_busy():
            """CPU seconds every core spent busy (/proc/stat), less this process's own (the relay)."""
            f = open("/proc/stat").readline().split()[1:]
            busy = sum(int(f[i]) for i in (0, 1, 2, 5, 6, 7)) / tick
            me = resource.getrusage(resource.RUSAGE_SELF)
            return busy - me.ru_utime - me.ru_stime - local_cpu()

        def sshd_cpu():
            """CPU seconds of the "remote" side. As root: the sshd daemons and their
            reaped children. As the fresh account, whose sessions' times do not reach
            the daemons here: the machine's busy time less the client side and the
            relay (so anything else running on the machine counts too)."""
            if made_account:
                return machine_busy()
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

        med = lambda xs: sorted(xs)[len(xs) // 2]

        def measure(conf, cm_conf):
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
            one = med([timed([args.gord, "remote", "check", "h0", "-F", conf, "--timeout", "10"])[0] for _ in range(args.runs)])
            first, _ = timed(["ssh", "-F", cm_conf, "-o", "BatchMode=yes", "h0", "true"])
            second, _ = timed(["ssh", "-F", cm_conf, "-o", "BatchMode=yes", "h0", "true"])
            subprocess.run(["ssh", "-F", cm_conf, "-O", "exit", "h0"], env=env, stderr=subprocess.DEVNULL)
            per = lambda side, i: cpu[side][i] / args.runs / args.hosts * 1000
            return {"gord": med(gord_times), "loop": med(loop_times), "handshakes": handshakes,
                    "cpu_client": (per("gord", 0), per("loop", 0)), "cpu_server": (per("gord", 1), per("loop", 1)),
                    "one": one, "first": first, "second": second}

        plain = measure(*write_configs("plain", ports))
        print(f"logged in as {account}" + (" (a fresh account, removed at the end)" if made_account else ""))
        print(f"metric | gord | peer | ratio")
        print_rows(plain, args, "")
        if relay:
            slow = measure(*write_configs("rtt", relay.ports))
            print()
            print(f"with a {args.rtt:g} ms round trip per host (userspace relay; plain loopback above):")
            print(f"metric | gord | peer | ratio")
            print_rows(slow, args, f" [RTT {args.rtt:g} ms]")
            print()
            print(f"fleet, side by side | plain loopback | RTT {args.rtt:g} ms")
            print(f"gord remote check --all --jobs {args.jobs} (ms) | {plain['gord']:.0f} | {slow['gord']:.0f}")
            print(f"sequential `ssh HOST true` loop (ms) | {plain['loop']:.0f} | {slow['loop']:.0f}")
            print(f"gord is this many times as fast as the loop | {plain['loop'] / plain['gord']:.2f}x | {slow['loop'] / slow['gord']:.2f}x")
    finally:
        if relay:
            relay.stop()
        for d in daemons:
            d.send_signal(signal.SIGTERM)
        for d in daemons:
            d.wait()
        if made_account:
            subprocess.run(["pkill", "-u", account], stderr=subprocess.DEVNULL)
            subprocess.run(["userdel", account], stderr=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)


def print_rows(m, args, label):
    g, l = m["gord"], m["loop"]
    print(f"{args.hosts} hosts, every check (--jobs {args.jobs}) vs `ssh HOST true` loop, median of {args.runs} (ms){label} | {g:.0f} | {l:.0f} | {g / l:.2f}x ({l / g:.2f} times as fast)")
    print(f"SSH handshakes per host (sshd logins during one gord run){label} | {m['handshakes']:.1f} | 1 | {m['handshakes']:.2f}x")
    (gc, lc), (gs, ls) = m["cpu_client"], m["cpu_server"]
    print(f"CPU per host, client side: gord and its ssh vs `ssh HOST true` (ms){label} | {gc:.0f} | {lc:.0f} | {gc / lc:.2f}x")
    print(f"CPU per host, server side: sshd and what it ran (ms){label} | {gs:.0f} | {ls:.0f} | {gs / ls:.2f}x")
    print(f"one host's full check, median (ms){label} | {m['one']:.0f} | {l / args.hosts:.0f} (one `ssh HOST true`) | {m['one'] / (l / args.hosts):.2f}x")
    print(f"ControlMaster: first vs second `ssh HOST true` (ms){label} | {m['second']:.1f} (second) | {m['first']:.1f} (first) | {m['second'] / m['first']:.2f}x")


if __name__ == "__main__":
    main()
