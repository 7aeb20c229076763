#!/usr/bin/env python3
"""Time JSON-RPC round trips through `gord serve`, to price its framing layer.

    bench/framing_roundtrip.py [--requests N] [--runs N] BIN [BIN...]

For each BIN (e.g. a build before and one after a change to the framing),
each run spawns `BIN serve`, sends `initialize`, then N `gord/version`
requests one at a time (each waits for its answer) and times them. Prints
per binary the median over runs of: total ms for N requests, and the median
and p90 round trip in microseconds. No `initialized`, so no health run
competes. Standard library only; reuses bench/lsp_startup.py's client.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the work tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import lsp_startup  # noqa: E402


def one_run(binary: str, requests: int, timeout: float) -> list[float]:
    """Round-trip times (s) of `requests` sequential gord/version requests."""
    workspace = lsp_startup.DEFAULT_WORKSPACE
    # The server runs in the workspace: a relative BIN is made absolute.
    if "/" in binary:
        binary = str(Path(binary).resolve())
    srv = lsp_startup.LspProcess([binary, "serve"], workspace)
    try:
        srv.send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": lsp_startup.initialize_params(workspace)})
        srv.wait_response(1, timeout)
        times = []
        for i in range(requests):
            req_id = 1000 + i
            t0 = time.perf_counter()
            srv.send({"jsonrpc": "2.0", "id": req_id, "method": "gord/version"})
            t1, _ = srv.wait_response(req_id, timeout)
            times.append(t1 - t0)
        return times
    finally:
        srv.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=1000, help="requests per run (default 1000)")
    ap.add_argument("--runs", type=int, default=5, help="server runs per binary (default 5)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for an answer")
    ap.add_argument("bins", nargs="+", metavar="BIN")
    a = ap.parse_args()
    print(f"{'binary':<50} {'total ms':>10} {'median us':>10} {'p90 us':>10}")
    for binary in a.bins:
        totals, medians, p90s = [], [], []
        for _ in range(a.runs):
            try:
                times = one_run(binary, a.requests, a.timeout)
            except (RuntimeError, TimeoutError, OSError) as exc:
                print(f"framing_roundtrip: {binary}: {exc}", file=sys.stderr)
                return 1
            totals.append(sum(times) * 1e3)
            medians.append(statistics.median(times) * 1e6)
            p90s.append(lsp_startup.percentile(times, 90) * 1e6)
        print(f"{binary:<50} {statistics.median(totals):>10.1f} "
              f"{statistics.median(medians):>10.1f} {statistics.median(p90s):>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
