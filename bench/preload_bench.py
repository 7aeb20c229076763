#!/usr/bin/env python3
"""How much faster does gopls start after `gord preload`? And what does preload cost?

    bench/preload [--gord PATH] [--gopls PATH] [--workspace DIR] [--keep DIR] [--variants LIST] [--repeat N]

Each variant starts from fresh, empty GOMODCACHE, GOCACHE and GOPLSCACHE
directories (temporary, removed afterwards unless --keep), runs a warm-up, then
starts gopls on the workspace as an editor would and times it:
  - load: spawn -> end of the "Setting up workspace" progress ("Finished loading packages.");
  - ready: spawn -> end of "diagnosing initial workspace load" (verboseWorkDoneProgress),
    i.e. every workspace package type-checked and diagnosed.

Variants (warm-up before the measured gopls start):
  cold        nothing: gopls downloads modules itself (through go list) and checks from scratch
  download    go mod download
  listexport  go mod download; go list -export -deps -test ./...
  build       go mod download; go build ./...; go test -run=^$ ./... (the compile-everything habit)
  goplsonly   go mod download; one headless gopls session (no build step)
  preload     gord preload (downloads, go list -export -deps -test offline, headless gopls)

It also times `gord preload` against plain `go mod download` (both on cold caches).

The workspace defaults to bench/fixtures/preload-real (gin v1.10.0's dependency graph).
Uses the network: the modules come from GOPROXY (default https://proxy.golang.org).
Standard library only; Linux.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WORKSPACE = REPO_ROOT / "bench" / "fixtures" / "preload-real"
ALL_VARIANTS = ["cold", "download", "listexport", "build", "goplsonly", "preload"]


def fail(msg: str) -> None:
    print(f"bench/preload: {msg}", file=sys.stderr)
    sys.exit(2)


class Gopls:
    """gopls serve over stdio; records when its initial-load progress tokens end."""

    def __init__(self, gopls: str, folder: Path, env: dict):
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen([gopls, "serve"], cwd=folder, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.titles: dict = {}
        self.ends: dict = {}
        self.done = threading.Event()
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        uri = folder.as_uri()
        self.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": os.getpid(), "rootUri": uri,
            "workspaceFolders": [{"uri": uri, "name": folder.name}],
            "capabilities": {"window": {"workDoneProgress": True},
                             "workspace": {"configuration": True, "workspaceFolders": True}},
            "initializationOptions": {"verboseWorkDoneProgress": True}}})

    def send(self, msg: dict) -> None:
        body = json.dumps(msg).encode()
        with self.lock:
            try:
                self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError):
                pass

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.done.set()
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            body = out.read(length) if length else b""
            if not body or len(body) < length:
                self.done.set()  # gopls exited mid-message (after `exit`)
                return
            msg = json.loads(body)
            method = msg.get("method")
            if method is None and msg.get("id") == 1:
                self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
            elif method is not None and "id" in msg:
                result = None
                if method == "workspace/configuration":
                    result = [{} for _ in (msg.get("params") or {}).get("items") or []]
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
            elif method == "$/progress":
                token = json.dumps(msg["params"]["token"])
                value = msg["params"]["value"]
                if value.get("kind") == "begin":
                    self.titles[token] = value.get("title", "")
                elif value.get("kind") == "end":
                    title = self.titles.get(token, "")
                    self.ends[title] = (time.perf_counter() - self.t0, value.get("message", ""))
                    if title == "diagnosing initial workspace load":
                        self.done.set()

    def wait(self, timeout: float) -> dict:
        self.done.wait(timeout)
        self.send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        self.send({"jsonrpc": "2.0", "method": "exit"})
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return self.ends


def run(argv: list, cwd: Path, env: dict) -> float:
    t0 = time.perf_counter()
    res = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t0
    if res.returncode != 0:
        print(f"  note: `{' '.join(map(str, argv))}` exited {res.returncode}: {res.stderr.strip()[:300]}",
              file=sys.stderr)
    return dt


def fresh_env(base: Path, name: str) -> dict:
    env = dict(os.environ)
    for var in ("GOMODCACHE", "GOCACHE", "GOPLSCACHE"):
        d = base / name / var.lower()
        d.mkdir(parents=True, exist_ok=True)
        env[var] = str(d)
    env["GOTOOLCHAIN"] = "local"
    env["GOFLAGS"] = "-mod=mod"
    return env


def warm(variant: str, ws: Path, env: dict, gord: str, gopls: str) -> float:
    t0 = time.perf_counter()
    if variant == "cold":
        pass
    elif variant == "preload":
        run([gord, "preload", "--workspace", str(ws)], ws, env)
    else:
        run(["go", "mod", "download"], ws, env)
        if variant == "listexport":
            run(["go", "list", "-e", "-export", "-deps", "-test", "./..."], ws, env)
        elif variant == "build":
            run(["go", "build", "./..."], ws, env)
            run(["go", "test", "-count=1", "-run=^$", "./..."], ws, env)
        elif variant == "goplsonly":
            Gopls(gopls, ws, env).wait(600)
    return time.perf_counter() - t0


def du(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gord", default=str(REPO_ROOT / "target" / "release" / "gord"))
    ap.add_argument("--gopls", default=None)
    ap.add_argument("--workspace", default=str(DEFAULT_WORKSPACE))
    ap.add_argument("--keep", default=None, help="keep the caches under this directory")
    ap.add_argument("--variants", default=",".join(ALL_VARIANTS))
    ap.add_argument("--repeat", type=int, default=1, help="rounds over the variants; medians are printed")
    args = ap.parse_args()
    gopls = args.gopls or shutil.which("gopls") or str(Path(subprocess.run(
        ["go", "env", "GOPATH"], capture_output=True, text=True).stdout.strip()) / "bin" / "gopls")
    if not os.access(args.gord, os.X_OK):
        fail(f"{args.gord} not found; build it: cargo build --release --locked -p gord")
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="gord-preload-bench-"))
    src = Path(args.workspace)
    rows = []
    try:
        samples: dict = {}
        for round_no in range(args.repeat):
            for variant in args.variants.split(","):
                # A fresh copy per run: go may write go.sum; the fixture stays clean.
                name = f"{variant}-{round_no}"
                ws = base / name / "ws"
                shutil.copytree(src, ws, dirs_exist_ok=True)
                env = fresh_env(base, name)
                warm_s = warm(variant, ws, env, args.gord, gopls)
                ends = Gopls(gopls, ws, env).wait(900)
                load = ends.get("Setting up workspace", (float("nan"), ""))
                ready = ends.get("diagnosing initial workspace load", (float("nan"), ""))
                samples.setdefault(variant, []).append((warm_s, load[0], ready[0]))
                print(f"{variant:>10}: warm-up {warm_s:7.2f} s, gopls load {load[0]:6.2f} s, "
                      f"ready {ready[0]:6.2f} s ({load[1]}), caches {du(base / name) / 2**20:.0f} MiB",
                      file=sys.stderr)
                if not args.keep:
                    shutil.rmtree(base / name, ignore_errors=True)
        for variant, runs in samples.items():
            rows.append((variant,) + tuple(statistics.median(r[i] for r in runs) for i in range(3)) + ("",))
        # preload's own cost against plain `go mod download`, both cold.
        ws = base / "cost" / "ws"
        shutil.copytree(src, ws, dirs_exist_ok=True)
        t_download = run(["go", "mod", "download"], ws, fresh_env(base, "cost-download"))
        t0 = time.perf_counter()
        res = subprocess.run([args.gord, "preload", "--workspace", str(ws), "--format", "json"], cwd=ws,
                             env=fresh_env(base, "cost-preload"), capture_output=True, text=True)
        t_preload = time.perf_counter() - t0
        try:
            steps = json.loads(res.stdout)["steps"]
        except (ValueError, KeyError):
            steps = []
            print(f"  note: gord preload exited {res.returncode}: {res.stderr.strip()[-300:]}", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)

    print(f"medians of {args.repeat} run(s)")
    print("| warm-up before gopls starts | warm-up (s) | gopls load (s) | gopls ready (s) | ready vs cold |")
    print("|---|---|---|---|---|")
    cold_ready = next((r[3] for r in rows if r[0] == "cold"), None)
    for variant, warm_s, load, ready, _ in rows:
        ratio = f"{cold_ready / ready:.1f}x faster" if cold_ready and ready == ready and ready > 0 else "-"
        print(f"| {variant} | {warm_s:.2f} | {load:.2f} | {ready:.2f} | {ratio} |")
    print()
    print(f"| preload cost, cold caches | gord preload | go mod download | ratio |")
    print(f"|---|---|---|---|")
    print(f"| wall time (s) | {t_preload:.2f} | {t_download:.2f} | {t_preload / t_download:.1f}x |")
    if steps:
        print()
        print("| gord preload step | status | time (s) |")
        print("|---|---|---|")
        for st in steps:
            print(f"| {st['step']} | {st['status']} | {st['durationMs'] / 1000:.2f} |")


if __name__ == "__main__":
    main()
