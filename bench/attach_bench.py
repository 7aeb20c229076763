#!/usr/bin/env python3
"""Time from `gord/attach` to a debugger that answers, against dlv started by hand.

    bench/attach [--gord PATH] [--dlv PATH] [--runs N]

Builds the debug fixture (tests/fixtures/debug, `-gcflags=all=-N -l`, loopback
only) and starts it. Then, --runs times each (default 10), medians printed:

  - headless: `gord/attach {pid}` sent to `gord serve` until `RPCServer.GetVersion`
    answers on the port it returns, against `dlv attach PID --headless ...` (the
    argv gord uses) run by hand until GetVersion answers on the port it prints;
  - dap: `gord/attach {pid, server: "dap"}` until dlv dap answers DAP
    `initialize`, then `attach {mode: local, processId}` answered (the debugger
    attached), against `dlv dap` by hand, the same two requests.

Every run is detached (`gord/detach`, or RPCServer.Detach / DAP disconnect by hand)
and the fixture is checked to be alive and untraced before the next one.
Standard library only; Linux only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from lsp_startup import LspProcess  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURE = REPO_ROOT / "tests" / "fixtures" / "debug"


def tracer_of(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"^TracerPid:\s+(\d+)", f.read(), re.M).group(1))


def wait_untraced(pid: int) -> None:
    deadline = time.time() + 20
    while tracer_of(pid) != 0:
        if time.time() > deadline:
            raise RuntimeError(f"pid {pid} still traced")
        time.sleep(0.02)


def rpc_call(port: int, method: str, params: dict, timeout: float = 30) -> dict:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall((json.dumps({"method": method, "params": [params], "id": 1}) + "\n").encode())
        reply = s.makefile("r").readline()
    return json.loads(reply)


class Dap:
    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.file = self.sock.makefile("rb")
        self.seq = 0

    def request(self, command: str, arguments: dict) -> dict:
        self.seq += 1
        body = json.dumps({"seq": self.seq, "type": "request", "command": command, "arguments": arguments}).encode()
        self.sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        while True:
            length = None
            while True:
                line = self.file.readline().strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            msg = json.loads(self.file.read(length))
            if msg.get("type") == "response" and msg.get("request_seq") == self.seq:
                if not msg.get("success"):
                    raise RuntimeError(f"{command}: {msg.get('message')}")
                return msg

    def close(self) -> None:
        self.sock.close()


def answered_dap(port: int, pid: int) -> None:
    dap = Dap(port)
    dap.request("initialize", {"clientID": "bench", "adapterID": "go", "pathFormat": "path"})
    dap.request("attach", {"mode": "local", "processId": pid})
    dap.request("disconnect", {"terminateDebuggee": False})
    dap.close()


def by_hand(dlv: str, pid: int, kind: str) -> float:
    argv = ([dlv, "attach", str(pid), "--headless", "--listen=127.0.0.1:0", "--api-version=2",
             "--accept-multiclient", "--continue"] if kind == "headless"
            else [dlv, "dap", "--listen=127.0.0.1:0"])
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = None
        for line in proc.stdout:
            m = re.search(r"server listening at: 127\.0\.0\.1:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        if port is None:
            raise RuntimeError(f"{argv[0]} printed no address")
        if kind == "headless":
            rpc_call(port, "RPCServer.GetVersion", {})
            elapsed = time.perf_counter() - t0
            # Untimed: a detach that races dlv's own --continue may not answer;
            # then dlv is ended (no breakpoints were set, so the target is safe).
            try:
                rpc_call(port, "RPCServer.Detach", {"Kill": False}, timeout=5)
            except (TimeoutError, OSError):
                proc.terminate()
        else:
            answered_dap(port, pid)
            elapsed = time.perf_counter() - t0
        proc.wait(timeout=10)
        return elapsed * 1000
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def through_gord(lsp: LspProcess, pid: int, kind: str, req_id: int) -> float:
    t0 = time.perf_counter()
    lsp.send({"jsonrpc": "2.0", "id": req_id, "method": "gord/attach", "params": {"pid": pid, "server": kind}})
    _, msg = lsp.wait_response(req_id, timeout=60)
    result = msg["result"]
    if kind == "headless":
        rpc_call(result["port"], "RPCServer.GetVersion", {})
        elapsed = time.perf_counter() - t0
    else:
        answered_dap(result["port"], pid)
        elapsed = time.perf_counter() - t0
    lsp.send({"jsonrpc": "2.0", "id": req_id + 1, "method": "gord/detach", "params": {"sessionId": result["sessionId"]}})
    lsp.wait_response(req_id + 1, timeout=60)
    return elapsed * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gord", default=str(REPO_ROOT / "target" / "release" / "gord"))
    ap.add_argument("--dlv", default=shutil.which("dlv") or os.path.expanduser("~/go/bin/dlv"))
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    if not os.access(args.gord, os.X_OK):
        sys.exit(f"bench/attach: no gord at {args.gord} (cargo build --release --locked -p gord)")
    if not os.access(args.dlv, os.X_OK):
        sys.exit("bench/attach: dlv not found (scripts/install-deps installs it)")

    with tempfile.TemporaryDirectory(prefix="gord-bench-attach.") as work:
        binary = Path(work) / "fixture"
        subprocess.run(["go", "build", "-buildvcs=false", "-gcflags=all=-N -l", "-o", str(binary), "."],
                       cwd=FIXTURE, check=True)
        target = subprocess.Popen([str(binary)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        env = dict(os.environ, PATH=f"{Path(args.dlv).parent}:{os.environ.get('PATH', '')}")
        lsp = None
        try:
            target.stdout.readline()
            pid = target.pid
            lsp = start_gord(args.gord, env)
            rows = []
            req = 10
            for kind in ("headless", "dap"):
                gord_ms, hand_ms = [], []
                for _ in range(args.runs):
                    req += 2
                    gord_ms.append(through_gord(lsp, pid, kind, req))
                    wait_untraced(pid)
                    hand_ms.append(by_hand(args.dlv, pid, kind))
                    wait_untraced(pid)
                assert target.poll() is None, "the fixture died"
                rows.append((kind, statistics.median(gord_ms), statistics.median(hand_ms)))
        finally:
            if lsp is not None:
                lsp.close()
            target.kill()
            target.wait()

    print(f"runs: {args.runs}, dlv: {args.dlv}")
    print(f"{'metric':<62} {'gord':>9} {'by hand':>9} {'ratio':>7}")
    labels = {
        "headless": "headless: request -> RPCServer.GetVersion answers (ms)",
        "dap": "dap: request -> DAP initialize + attach answered (ms)",
    }
    for kind, g, h in rows:
        print(f"{labels[kind]:<62} {g:>9.1f} {h:>9.1f} {g / h:>6.2f}x")
    return 0


def start_gord(gord: str, env: dict) -> LspProcess:
    os.environ["PATH"] = env["PATH"]  # LspProcess inherits the environment
    lsp = LspProcess([gord, "serve"], cwd=FIXTURE)
    lsp.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": os.getpid(), "rootUri": FIXTURE.as_uri(), "capabilities": {},
        "initializationOptions": {"trusted": True}}})
    lsp.wait_response(1, timeout=30)
    lsp.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    return lsp


if __name__ == "__main__":
    sys.exit(main())
