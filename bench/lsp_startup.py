#!/usr/bin/env python3
"""Measure how fast an LSP server over stdio answers `initialize`, and its idle RSS.

    bench/lsp_startup.py [--runs N] [--rss-runs N] [--idle S] [--workspace DIR] [--json] BIN [ARGS...]

Each run spawns BIN ARGS..., sends a real `initialize` request (Content-Length
framing) and times spawn -> complete response. For the first --rss-runs runs it
then sends `initialized`, waits --idle seconds and reads VmRSS from
/proc/PID/status (and the sum over the server and its child processes). Every run ends with `shutdown` + `exit`.

Requests the server sends meanwhile (workspace/configuration,
window/workDoneProgress/create, ...) get a minimal answer, as an editor would
give, so a server that waits on them is not stalled.

Standard library only; Linux only (for /proc).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WORKSPACE = REPO_ROOT / "examples" / "hello-remote"


class LspProcess:
    """A language server child process spoken to with LSP framing over stdio."""

    def __init__(self, argv: list[str], cwd: Path):
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.responses: queue.Queue = queue.Queue()
        # (time received, message) of every notification, for callers that wait on one.
        self.notifications: queue.Queue = queue.Queue()
        self._write_lock = threading.Lock()
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # -- framing ---------------------------------------------------------
    def send(self, msg: dict) -> None:
        body = json.dumps(msg, separators=(",", ":")).encode()
        data = b"Content-Length: %d\r\n\r\n" % len(body) + body
        with self._write_lock:
            try:
                self.proc.stdin.write(data)
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError):
                pass

    def _read_message(self):
        out = self.proc.stdout
        length = None
        while True:
            line = out.readline()
            if not line:
                return None  # EOF
            line = line.strip()
            if not line:
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        if length is None:
            raise ValueError("LSP message without Content-Length")
        body = out.read(length)
        if len(body) < length:
            return None
        return json.loads(body)

    def _read_loop(self) -> None:
        try:
            while True:
                msg = self._read_message()
                if msg is None:
                    break
                if "method" in msg and "id" in msg:
                    self._answer_server_request(msg)
                elif "id" in msg:
                    self.responses.put((time.perf_counter(), msg))
                else:
                    self.notifications.put((time.perf_counter(), msg))
        except Exception as exc:  # noqa: BLE001 - reported to the waiting side
            self.responses.put((time.perf_counter(), {"readerError": repr(exc)}))
        finally:
            self.responses.put((time.perf_counter(), None))

    def _answer_server_request(self, msg: dict) -> None:
        result = None
        if msg["method"] == "workspace/configuration":
            items = (msg.get("params") or {}).get("items") or []
            result = [None] * len(items)
        self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})

    def wait_response(self, req_id, timeout: float):
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no response to request {req_id} within {timeout}s")
            t, msg = self.responses.get(timeout=left)
            if msg is None:
                raise RuntimeError(f"server closed stdout before answering request {req_id} "
                                   f"(exit status {self.proc.poll()})")
            if "readerError" in msg:
                raise RuntimeError(f"bad message from server: {msg['readerError']}")
            if msg.get("id") == req_id:
                if "error" in msg:
                    raise RuntimeError(f"request {req_id} failed: {msg['error']}")
                return t, msg

    def close(self) -> None:
        try:
            self.send({"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
            try:
                self.wait_response(99, timeout=5)
            except (TimeoutError, RuntimeError, queue.Empty):
                pass
            self.send({"jsonrpc": "2.0", "method": "exit"})
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def initialize_params(workspace: Path) -> dict:
    uri = workspace.resolve().as_uri()
    return {
        "processId": os.getpid(),
        "clientInfo": {"name": "gord-bench", "version": "0"},
        "rootUri": uri,
        "rootPath": str(workspace.resolve()),
        "workspaceFolders": [{"uri": uri, "name": workspace.name}],
        "capabilities": {
            "workspace": {"configuration": True, "workspaceFolders": True},
            "textDocument": {"publishDiagnostics": {"relatedInformation": True}},
            "window": {"workDoneProgress": True},
        },
        "initializationOptions": {},
        "trace": "off",
    }


def vm_rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def children(pid: int) -> list[int]:
    """Direct and indirect children of pid (from /proc/*/stat)."""
    parent_of = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name may hold spaces and parens: fields start after the last ')'
        parent_of[int(d)] = int(stat.rpartition(")")[2].split()[1])
    found, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parent_of.items() if pp == p]
        found += kids
        frontier += kids
    return found


def tree_rss_kib(pid: int) -> int:
    total = vm_rss_kib(pid)
    for c in children(pid):
        try:
            total += vm_rss_kib(c)
        except (OSError, RuntimeError):
            pass  # gone, or a zombie without VmRSS
    return total


def one_run(argv: list[str], workspace: Path, idle: float | None, timeout: float):
    """Returns (ms to initialize response, (RSS KiB, tree RSS KiB) after idle, or None)."""
    srv = LspProcess(argv, workspace)
    try:
        srv.send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": initialize_params(workspace)})
        t, _ = srv.wait_response(1, timeout)
        ms = (t - srv.t0) * 1000.0
        rss = None
        if idle is not None:
            srv.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
            time.sleep(idle)
            if srv.proc.poll() is not None:
                raise RuntimeError(f"server exited while idle (status {srv.proc.returncode})")
            rss = (vm_rss_kib(srv.proc.pid), tree_rss_kib(srv.proc.pid))
        return ms, rss
    finally:
        srv.close()


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))
    return s[int(k)]


def measure(argv: list[str], runs: int = 20, rss_runs: int = 5, idle: float = 2.0,
            workspace: Path = DEFAULT_WORKSPACE, timeout: float = 30.0, verbose: bool = False) -> dict:
    times, rss, tree = [], [], []
    for i in range(runs):
        ms, kib = one_run(argv, workspace, idle if i < rss_runs else None, timeout)
        times.append(ms)
        if verbose:
            print(f"run {i + 1}: initialize {ms:.1f} ms" + (f", RSS {kib[0]} KiB, with children {kib[1]} KiB"
                                                            if kib else ""), file=sys.stderr)
        if kib is not None:
            rss.append(kib[0])
            tree.append(kib[1])
    return {
        "argv": argv,
        "runs": runs,
        "initialize_ms_median": statistics.median(times),
        "initialize_ms_p90": percentile(times, 90),
        "initialize_ms_min": min(times),
        "idle_rss_kib": int(statistics.median(rss)) if rss else None,
        "idle_rss_tree_kib": int(statistics.median(tree)) if tree else None,
        "rss_runs": len(rss),
        "idle_seconds": idle,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20, help="spawn/initialize runs (default 20)")
    ap.add_argument("--rss-runs", type=int, default=5,
                    help="of those, how many also idle and read RSS (default 5)")
    ap.add_argument("--idle", type=float, default=2.0, help="idle seconds before reading RSS (default 2)")
    ap.add_argument("--workspace", type=Path, default=DEFAULT_WORKSPACE,
                    help="the server's cwd and rootUri (default examples/hello-remote)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for initialize")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every run's numbers to stderr")
    ap.add_argument("bin")
    ap.add_argument("args", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    if a.runs < 1:
        ap.error("--runs must be at least 1")

    argv = [a.bin, *a.args]
    if not (os.sep in a.bin and os.access(a.bin, os.X_OK)) and not _which(a.bin):
        print(f"lsp_startup: {a.bin}: not found or not executable", file=sys.stderr)
        return 2
    try:
        r = measure(argv, a.runs, min(a.rss_runs, a.runs), a.idle, a.workspace, a.timeout, a.verbose)
    except (RuntimeError, TimeoutError, OSError, ValueError) as exc:
        print(f"lsp_startup: {' '.join(argv)}: {exc}", file=sys.stderr)
        return 1
    if a.json:
        print(json.dumps(r))
    else:
        print(f"server:                {' '.join(argv)}")
        print(f"runs:                  {r['runs']}")
        print(f"initialize median ms:  {r['initialize_ms_median']:.1f}")
        print(f"initialize p90 ms:     {r['initialize_ms_p90']:.1f}")
        print(f"idle RSS KiB:          {r['idle_rss_kib']} "
              f"(median of {r['rss_runs']}, {r['idle_seconds']:g} s after initialized)")
        print(f"  with its children:   {r['idle_rss_tree_kib']}")
    return 0


def _which(name: str) -> str | None:
    from shutil import which
    return which(name)


if __name__ == "__main__":
    sys.exit(main())
