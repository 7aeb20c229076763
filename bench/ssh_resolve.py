#!/usr/bin/env python3
"""Benchmark gord's ssh_config engine against `ssh -G` on a large config.

    bench/ssh_resolve.py [--gord PATH] [--ssh PATH] [--blocks N] [--included N]
                         [--runs N] [--parity N] [--keep DIR]
                         [--ssh-version V ...] [--ssh-dir DIR] [--instructions]

Generates, in a temporary directory, a config of --blocks (default 2,000) Host
blocks in the shapes real configs have: aliases with HostName, User, Port and
IdentityFile; every 10th host behind ProxyJump to a bastion the file defines;
some wildcard and negated patterns, multi-alias lines, forwards, a Match block;
an Include of a second file with --included (default 200) more blocks; and a
`Host *` block at the end (ServerAliveInterval, IdentityFile, ControlMaster...).

Then it measures:
  (a) `gord ssh lint --config FILE`: one process that loads the config and the
      file it includes and resolves the hosts the rules look at, median of
      --runs runs (default 5);
  (b) `ssh -G -F FILE HOST`, once per literal host of both files, in total and
      per host; and `ssh -G` for 10 hosts (median of --runs loops), the figure
      of the target "gord handles the whole config in less time than ssh -G
      takes for 10 hosts";
  (c) `gord ssh resolve HOST --config FILE` for the same 10 hosts, and per host
      over every literal host, for a like-for-like per-process figure.
Before timing, --parity hosts (default 20, spread over the config) are checked
the way server/tests/ssh_parity.rs checks: every keyword gord prints has ssh -G's
value, and the keywords of REQUIRED that ssh -G prints, gord prints too; else
the run fails (a benchmark of wrong answers would be no benchmark).

With --ssh-version V (repeatable; `all` for every client found) it measures
release by release instead: for each V, the client DIR/V/ssh (or DIR/V/bin/ssh;
--ssh-dir, default ../shared/openssh, the reference clients) is the peer, and
gord follows that release's rules (`--ssh-version V`). It checks parity on
--parity hosts against that client, then prints one row per release: gord ssh
lint + resolve --all of the whole config against that release's `ssh -G` for
10 hosts, side by side with the ratio (the every-host pass is left out there).
With --instructions it also counts the instructions both sides execute, under
valgrind's callgrind (the stable figure on a busy machine; needs valgrind):
gord ssh lint + resolve --all against the sum of the 10 `ssh -G` runs.

The gord binary defaults to target/release/gord (build it with
`cargo build --release -p gord`). Needs OpenSSH's client and no network
(`ssh -G` connects to nothing). Standard library only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BASTIONS = 4
# Keywords gord must print when ssh -G does (the generated config sets them).
REQUIRED = ["hostname", "user", "port", "proxyjump", "identityfile", "identitiesonly",
            "controlmaster", "controlpath", "controlpersist", "serveraliveinterval",
            "serveralivecountmax", "connecttimeout", "forwardagent", "stricthostkeychecking",
            "userknownhostsfile", "localforward", "addkeystoagent"]


def fail(msg: str, code: int = 2) -> None:
    print(f"bench/ssh_resolve.py: {msg}", file=sys.stderr)
    sys.exit(code)


def host_block(i: int, prefix: str) -> tuple[list[str], list[str]]:
    """One Host block (its lines) and the literal aliases it defines."""
    roles = ["web", "api", "db", "cache", "worker", "build", "git", "mq"]
    envs = ["prod", "stage", "dev"]
    role = roles[i % len(roles)]
    env = envs[(i // len(roles)) % len(envs)]
    name = f"{prefix}{role}-{env}-{i:04d}"
    aliases = [name]
    lines: list[str] = []
    if i % 25 == 7:
        # A wildcard block: options for a family of hosts.
        lines.append(f"Host {prefix}{role}-{env}-{i // 100:02d}?? !{name}")
        lines.append(f"    User {role}-ops")
        lines.append("    StrictHostKeyChecking accept-new")
        lines.append("")
        lines.append(f"Host {name}")
    elif i % 17 == 3:
        aliases.append(f"{name}.internal")
        lines.append(f"Host {name} {name}.internal")
    else:
        lines.append(f"Host {name}")
    if i % 4 == 0:
        lines.append(f"    HostName 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}")
    else:
        lines.append(f"    HostName {role}{i}.{env}.example.com")
    lines.append(f"    User {['deploy', 'ubuntu', 'admin', 'git'][i % 4]}")
    if i % 3 == 0:
        lines.append(f"    Port {2200 + i % 50}")
    if i % 5 == 1:
        lines.append(f"    IdentityFile ~/.ssh/id_ed25519_{env}")
        lines.append("    IdentitiesOnly yes")
    if i % 10 == 0:
        lines.append(f"    ProxyJump bastion-{i % BASTIONS}")
    if i % 50 == 11:
        lines.append(f"    LocalForward {15000 + i} localhost:5432")
    if i % 40 == 13:
        lines.append("    ForwardAgent no")
        lines.append("    ServerAliveInterval 15")
    if i % 100 == 42:
        lines.append("    # legacy host")
        lines.append("    HostKeyAlgorithms +ssh-rsa")
        lines.append("    PubkeyAcceptedAlgorithms +ssh-rsa")
    lines.append("")
    return lines, aliases


def generate(directory: Path, blocks: int, included: int) -> tuple[Path, list[str]]:
    """Writes config and extra.conf under directory; returns the config's path
    and every literal host alias, bastions first."""
    main = directory / "config"
    extra = directory / "extra.conf"
    hosts: list[str] = []

    extra_lines = [f"# {included} more hosts, pulled in with Include", ""]
    for i in range(included):
        lines, aliases = host_block(i, "x-")
        extra_lines += lines
        hosts += aliases

    main_lines = [
        "# Generated by bench/ssh_resolve.py",
        f"Include {extra}",
        "",
    ]
    for b in range(BASTIONS):
        main_lines += [
            f"Host bastion-{b}",
            f"    HostName bastion{b}.example.net",
            "    User jump",
            "    IdentityFile ~/.ssh/id_ed25519_jump",
            "    ControlMaster auto",
            "    ControlPersist 5m",
            "",
        ]
    bastions = [f"bastion-{b}" for b in range(BASTIONS)]
    main_hosts: list[str] = []
    for i in range(blocks):
        lines, aliases = host_block(i, "")
        main_lines += lines
        main_hosts += aliases
    main_lines += [
        "Host *.example.com !bastion*",
        "    UserKnownHostsFile ~/.ssh/known_hosts.d/%k",
        "",
        "Match host 10.*",
        "    ConnectTimeout 5",
        "",
        "Host *",
        "    ServerAliveInterval 30",
        "    ServerAliveCountMax 3",
        "    IdentityFile ~/.ssh/id_ed25519",
        "    AddKeysToAgent yes",
        "    ControlPath ~/.ssh/cm-%C",
        "    HashKnownHosts yes",
        "",
    ]
    extra.write_text("\n".join(extra_lines))
    main.write_text("\n".join(main_lines))
    for f in (main, extra):
        f.chmod(0o600)
    return main, bastions + main_hosts + hosts


def keywords(output: str) -> dict[str, list[str]]:
    """`ssh -G` output as keyword -> values (some keywords repeat)."""
    out: dict[str, list[str]] = {}
    for line in output.splitlines():
        key, _, value = line.partition(" ")
        out.setdefault(key, []).append(value)
    return out


def parity_problems(gord_out: str, ssh_out: str) -> list[str]:
    g, s = keywords(gord_out), keywords(ssh_out)
    problems = [f"{k}: gord {v} != ssh {s.get(k)}" for k, v in g.items() if s.get(k) != v]
    problems += [f"{k}: missing in gord" for k in REQUIRED if k in s and k not in g]
    return problems


def run(argv: list[str], ok_codes: tuple[int, ...] = (0,)) -> str:
    p = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if p.returncode not in ok_codes:
        fail(f"{' '.join(argv)} exited {p.returncode}: {p.stderr.strip()[-500:]}", 1)
    return p.stdout


def time_once(argv: list[str], ok_codes: tuple[int, ...] = (0,)) -> float:
    """Wall ms of one run, output discarded."""
    t0 = time.perf_counter()
    rc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                        stdin=subprocess.DEVNULL).returncode
    dt = (time.perf_counter() - t0) * 1000.0
    if rc not in ok_codes:
        fail(f"{' '.join(argv)} exited {rc}", 1)
    return dt


def instructions(argv: list[str], ok_codes: tuple[int, ...] = (0,)) -> int:
    """Instructions one run executes, counted by valgrind's callgrind."""
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    if p.returncode not in ok_codes:
        fail(f"valgrind {' '.join(argv)} exited {p.returncode}: {p.stderr.strip()[-500:]}", 1)
    for line in p.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1].strip().replace(",", ""))
    fail(f"no instruction count from valgrind for {' '.join(argv)}", 1)
    return 0


def time_hosts(argv_for, hosts: list[str], ok_codes: tuple[int, ...] = (0,)) -> float:
    """Wall ms of running argv_for(host) once for each host, one after another."""
    return sum(time_once(argv_for(h), ok_codes) for h in hosts)


def median_of(runs: int, measure) -> float:
    measure()  # warm-up: page cache, dynamic loader
    return statistics.median(measure() for _ in range(runs))


def spread(hosts: list[str], n: int) -> list[str]:
    """n hosts evenly spread over the list (bastions, proxied, wildcard-covered, included)."""
    if n >= len(hosts):
        return list(hosts)
    step = len(hosts) / n
    return [hosts[int(k * step)] for k in range(n)]


def find_client(directory: Path, version: str) -> Path | None:
    """The ssh of release `version` under directory (V/ssh or V/bin/ssh)."""
    for candidate in (directory / version / "ssh", directory / version / "bin" / "ssh"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def release_key(version: str) -> tuple[int, ...]:
    """10.0p2 -> (10, 0, 2), so releases sort as numbers; unknown shapes last."""
    digits = version.replace("p", ".").split("-")[0].split(".")
    return tuple(int(d) for d in digits if d.isdigit()) or (999,)


def wanted_releases(asked: list[str], directory: Path) -> list[tuple[str, Path]]:
    """(version, client) for each --ssh-version; `all` is every client under directory."""
    if "all" in asked:
        found = [d.name for d in directory.iterdir() if d.is_dir() and find_client(directory, d.name)] \
            if directory.is_dir() else []
        asked = sorted(set(found) | {v for v in asked if v != "all"}, key=release_key)
    out = []
    for version in asked:
        client = find_client(directory, version)
        if client is None:
            fail(f"no ssh for release {version} under {directory} (expected {version}/ssh or {version}/bin/ssh)")
        out.append((version, client))
    if not out:
        fail(f"no ssh client found under {directory}")
    return out


def by_release(a, gord: Path, releases: list[tuple[str, Path]]) -> int:
    """The per-release table: gord following each release against that release's ssh -G."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="gord-ssh-bench-") as tmp:
        directory = a.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        config, hosts = generate(directory, a.blocks, a.included)
        lines = sum(1 for f in (config, directory / "extra.conf") for _ in f.open())
        ten = spread(hosts, 10)
        print(f"gord: {gord}", file=sys.stderr)
        print(f"config: {config} ({a.blocks} + {a.included} blocks, {len(hosts)} literal hosts, {lines} lines)",
              file=sys.stderr)
        for version, client in releases:
            ssh_version = subprocess.run([str(client), "-V"], capture_output=True, text=True).stderr.strip()
            follow = ["--ssh-version", version]
            ssh_g = lambda h: [str(client), "-G", "-F", str(config), h]  # noqa: E731
            gord_resolve = lambda h: [str(gord), "ssh", "resolve", h, "--config", str(config), *follow]  # noqa: E731
            for h in spread(hosts, a.parity):
                problems = parity_problems(run(gord_resolve(h)), run(ssh_g(h)))
                if problems:
                    fail(f"{version}: gord ssh resolve {h} disagrees with ssh -G: {'; '.join(problems)}", 1)
            print(f"{version}: parity on {min(a.parity, len(hosts))} hosts; measuring ({a.runs} runs)...",
                  file=sys.stderr)
            lint = [str(gord), "ssh", "lint", "--config", str(config), "--format", "json", *follow]
            resolve_all = [str(gord), "ssh", "resolve", "--all", "--config", str(config), *follow]
            gord_lint = median_of(a.runs, lambda: time_once(lint, ok_codes=(0, 1)))
            gord_batch = median_of(a.runs, lambda: time_once(resolve_all))
            ssh_ten = median_of(a.runs, lambda: time_hosts(ssh_g, ten))
            counted = None
            if a.instructions:
                print(f"{version}: counting instructions (callgrind)...", file=sys.stderr)
                counted = (instructions(lint, ok_codes=(0, 1)) + instructions(resolve_all),
                           sum(instructions(ssh_g(h)) for h in ten))
            rows.append((version, ssh_version.split(",")[0], gord_lint, gord_batch, ssh_ten, counted))

    n = len(hosts)
    head = ("release", "ssh -V", "gord lint (ms)", "gord resolve --all (ms)",
            f"gord lint + resolve, {n} hosts (ms)", "ssh -G x 10 (ms)", "ratio")
    if a.instructions:
        head += ("gord lint + resolve (M instr)", "ssh -G x 10 (M instr)", "ratio (instr)")
    body = []
    for v, ident, lint, batch, ten, counted in rows:
        row = (v, ident, f"{lint:.1f}", f"{batch:.1f}", f"{lint + batch:.1f}", f"{ten:.1f}",
               f"{(lint + batch) / ten:.2f}x" if ten else "-")
        if counted:
            g, s = counted
            row += (f"{g / 1e6:.1f}", f"{s / 1e6:.1f}", f"{g / s:.2f}x" if s else "-")
        body.append(row)
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    line = lambda r: " | ".join(c.ljust(w) if i < 2 else c.rjust(w)  # noqa: E731
                                for i, (c, w) in enumerate(zip(r, widths)))
    print(line(head))
    print("-|-".join("-" * w for w in widths))
    for r in body:
        print(line(r))
    print()
    print(f"{a.blocks} + {a.included} Host blocks, {n} literal hosts, {lines} lines; gord follows each release "
          f"(--ssh-version); medians of {a.runs} runs. ratio = gord lint + resolve --all / ssh -G x 10 "
          "(below 1.00x: the whole config in less time than ssh -G takes for 10 hosts)"
          + ("; ratio (instr): the same in instructions executed, counted by callgrind." if a.instructions else "."))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gord", type=Path,
                    default=Path(os.environ.get("GORD_BIN", REPO_ROOT / "target/release/gord")),
                    help="gord binary (default target/release/gord, or $GORD_BIN)")
    ap.add_argument("--ssh", default=shutil.which("ssh") or "ssh", help="OpenSSH client (default: ssh on PATH)")
    ap.add_argument("--blocks", type=int, default=2000, help="Host blocks in the main file (default 2000)")
    ap.add_argument("--included", type=int, default=200, help="Host blocks in the included file (default 200)")
    ap.add_argument("--runs", type=int, default=5, help="runs of each whole-config and 10-host measurement (default 5)")
    ap.add_argument("--parity", type=int, default=20, help="hosts whose output is compared first (default 20)")
    ap.add_argument("--keep", type=Path, help="write the config here and keep it, instead of a temp dir")
    ap.add_argument("--ssh-version", action="append", default=[], metavar="V",
                    help="measure release V (its client under --ssh-dir) with gord following it; "
                         "repeatable; `all` for every client found")
    ap.add_argument("--ssh-dir", type=Path, default=REPO_ROOT.parent / "shared" / "openssh",
                    help="where the clients of --ssh-version are, as V/ssh or V/bin/ssh "
                         "(default ../shared/openssh)")
    ap.add_argument("--instructions", action="store_true",
                    help="with --ssh-version: also count instructions under valgrind's callgrind")
    a = ap.parse_args()
    if a.instructions and not shutil.which("valgrind"):
        fail("--instructions needs valgrind (apt-get install valgrind)")

    gord = a.gord if a.gord.is_absolute() else Path.cwd() / a.gord
    if not (gord.is_file() and os.access(gord, os.X_OK)):
        fail(f"gord binary not found at {gord}: build it with `cargo build --release -p gord` (or pass --gord PATH)")
    if a.ssh_version:
        return by_release(a, gord, wanted_releases(a.ssh_version, a.ssh_dir))
    if not shutil.which(a.ssh):
        fail(f"OpenSSH client not found ({a.ssh}): install openssh-client or pass --ssh PATH")
    ssh_version = subprocess.run([a.ssh, "-V"], capture_output=True, text=True).stderr.strip()

    with tempfile.TemporaryDirectory(prefix="gord-ssh-bench-") as tmp:
        directory = a.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        config, hosts = generate(directory, a.blocks, a.included)
        lines = sum(1 for f in (config, directory / "extra.conf") for _ in f.open())
        ten = spread(hosts, 10)
        print(f"gord: {gord}", file=sys.stderr)
        print(f"peer: {a.ssh} ({ssh_version})", file=sys.stderr)
        print(f"config: {config} ({a.blocks} + {a.included} blocks, {len(hosts)} literal hosts, {lines} lines)",
              file=sys.stderr)

        ssh_g = lambda h: [a.ssh, "-G", "-F", str(config), h]  # noqa: E731
        gord_resolve = lambda h: [str(gord), "ssh", "resolve", h, "--config", str(config)]  # noqa: E731

        for h in spread(hosts, a.parity):
            problems = parity_problems(run(gord_resolve(h)), run(ssh_g(h)))
            if problems:
                fail(f"gord ssh resolve {h} disagrees with ssh -G: {'; '.join(problems)}", 1)
        print(f"parity: gord ssh resolve == ssh -G for {min(a.parity, len(hosts))} hosts", file=sys.stderr)

        lint = [str(gord), "ssh", "lint", "--config", str(config), "--format", "json"]
        print(f"measuring gord ssh lint ({a.runs} runs)...", file=sys.stderr)
        gord_lint = median_of(a.runs, lambda: time_once(lint, ok_codes=(0, 1)))
        resolve_all = [str(gord), "ssh", "resolve", "--all", "--config", str(config)]
        print(f"measuring gord ssh resolve --all ({a.runs} runs)...", file=sys.stderr)
        gord_batch = median_of(a.runs, lambda: time_once(resolve_all))
        # "Lint and resolve every host": both passes over the whole config.
        gord_whole = gord_lint + gord_batch
        print(f"measuring 10 hosts ({a.runs} runs each)...", file=sys.stderr)
        ssh_ten = median_of(a.runs, lambda: time_hosts(ssh_g, ten))
        gord_ten = median_of(a.runs, lambda: time_hosts(gord_resolve, ten))
        print(f"measuring every host once: ssh -G, then gord ssh resolve ({len(hosts)} each)...", file=sys.stderr)
        ssh_all = time_hosts(ssh_g, hosts)
        gord_all = time_hosts(gord_resolve, hosts)

    n = len(hosts)
    rows = [
        (f"lint + resolve all {n} hosts (ms)", "gord ssh lint + resolve --all", gord_whole, f"ssh -G x {n}", ssh_all),
        ("  of which lint (ms)", "gord ssh lint", gord_lint, f"ssh -G x {n}", ssh_all),
        ("  of which resolve every host (ms)", "gord ssh resolve --all", gord_batch, f"ssh -G x {n}", ssh_all),
        ("per host, one process each (ms)", "gord ssh resolve", gord_all / n, "ssh -G", ssh_all / n),
        ("10 hosts, one process each (ms)", "gord ssh resolve x 10", gord_ten, "ssh -G x 10", ssh_ten),
        ("target: whole config vs 10 hosts (ms)", "lint + resolve --all", gord_whole, "ssh -G x 10", ssh_ten),
    ]
    head = ("metric", "gord", "ms", "peer", "ms", "ratio")
    body = [(m, g, f"{x:.1f}", p, f"{y:.1f}", f"{x / y:.2f}x" if y else "-") for m, g, x, p, y in rows]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    line = lambda r: " | ".join(c.ljust(w) if i in (0, 1, 3) else c.rjust(w)  # noqa: E731
                                for i, (c, w) in enumerate(zip(r, widths)))
    print(line(head))
    print("-|-".join("-" * w for w in widths))
    for r in body:
        print(line(r))
    print()
    met = gord_whole < ssh_ten
    print(f"target {'met' if met else 'NOT met'}: gord ssh lint + resolve --all on the whole config took {gord_whole:.1f} ms, "
          f"ssh -G for 10 hosts {ssh_ten:.1f} ms.")
    print(f"{ssh_version}; {a.blocks} + {a.included} Host blocks, {n} literal hosts, {lines} lines; "
          f"medians of {a.runs} runs except the every-host rows (one pass). ratio = gord / peer (lower is better).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
