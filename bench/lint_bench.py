#!/usr/bin/env python3
"""Benchmark gord's lint against the raw linter, and package-scoped lint against
linting the whole module, on a generated multi-package module. One table.

    bench/lint-run [--gord PATH] [--runs N] [--packages N] [--issues N] [--keep DIR]

Rows:
  (a) save -> diagnostics through `gord serve` (didSave to the publishDiagnostics
      of the saved file), against the same golangci-lint run by hand on the same
      package (`golangci-lint run --output.json.path=stdout ... ./pkgNN`), each
      after the same one-line edit of the file so the linter's cache for that
      package is stale, as after a real save. Overhead = gord - raw; the target
      is under 5% or 20 ms, whichever is larger.
  (b) mapping N issues (default 100,000): `gord lint --from-json REPORT --format
      json` on a golangci-lint v2 report of N issues spread over the module's
      files (parse, read each file once, place every issue in UTF-16, print).
  (c) lint on save of the saved file's package (gord) against linting the
      whole module (`./...`, what an editor that lints the workspace on every
      save does), same edit before each run, raw golangci-lint both.
  (d) `gord lint ./pkg00` on the command line with golangci-lint's probe
      (`--version`, `run --help`) kept from an earlier run (in
      XDG_CACHE_HOME/gord) against the same with the kept probe deleted before
      each run, so every run probes; no edit, so the linter's cache answers.

Medians of --runs runs (default 10). The gord binary defaults to
target/release/gord; golangci-lint comes from `$(go env GOPATH)/bin`. No
network: the module has no dependencies. Standard library only.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
import lsp_startup  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent


def fail(msg: str) -> None:
    print(f"bench/lint: {msg}", file=sys.stderr)
    sys.exit(2)


def go_bin_dir() -> Path:
    go = shutil.which("go")
    if not go:
        fail("go not found on PATH")
    out = subprocess.run([go, "env", "GOBIN", "GOPATH"], capture_output=True, text=True, check=True).stdout
    gobin, gopath = (out.splitlines() + ["", ""])[:2]
    return Path(gobin) if gobin else Path(gopath.split(os.pathsep)[0]) / "bin"


FILE_TEMPLATE = """// Package {pkg} is generated for bench/lint.
package {pkg}

import (
\t"fmt"
\t"os"
\t"strings"
{imports})

{funcs}
{uses}"""

FUNC_TEMPLATE = """// F{n} joins, prints and removes; its error goes unchecked.
func F{n}(parts []string) string {{
\tjoined := strings.Join(parts, ",")
\tif len(joined) > {n} {{
\t\tfmt.Println("long", joined)
\t}}
\tos.Remove(joined)
\tfor i, p := range parts {{
\t\tif strings.HasPrefix(p, "x") {{
\t\t\tjoined += fmt.Sprint(i)
\t\t}}
\t}}
\treturn joined
}}
"""


def generate_module(root: Path, packages: int, files: int, funcs: int) -> list[Path]:
    """Packages in a chain, each importing the one before, as a module's
    layers do: an edit of pkg00 makes every package above it stale."""
    (root / "go.mod").write_text("module example.com/benchlint\n\ngo 1.22\n")
    made = []
    for p in range(packages):
        pkg = f"pkg{p:02d}"
        d = root / pkg
        d.mkdir()
        for f in range(files):
            body = "\n".join(FUNC_TEMPLATE.format(n=f * funcs + k) for k in range(funcs))
            imports, uses = "", ""
            if p > 0 and f == 0:
                imports = f'\tprev "example.com/benchlint/pkg{p - 1:02d}"\n'
                uses = "// Prev calls the package below.\nfunc Prev() string { return prev.F0(nil) }\n"
            path = d / f"file{f:02d}.go"
            path.write_text(FILE_TEMPLATE.format(pkg=pkg, funcs=body, imports=imports, uses=uses))
            made.append(path)
    return made


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def touch_edit(path: Path, n: int) -> None:
    """A one-line edit, as a save writes: the package's cached results go stale."""
    text = path.read_text()
    lines = text.rstrip("\n").split("\n")
    if lines[-1].startswith("// edit "):
        lines.pop()
    lines.append(f"// edit {n}")
    path.write_text("\n".join(lines) + "\n")


GOLANGCI_FLAGS = [
    "--output.json.path=stdout", "--path-mode=abs", "--show-stats=false",
    "--max-issues-per-linter=0", "--max-same-issues=0", "--uniq-by-line=false",
    "--allow-parallel-runners",
]


def raw_run(golangci: Path, root: Path, pattern: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(golangci), "run", *GOLANGCI_FLAGS, pattern], cwd=root,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t0


def wait_lint_publication(server: lsp_startup.LspProcess, uri: str, timeout: float = 120.0) -> float:
    deadline = time.perf_counter() + timeout
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError("no lint diagnostics")
        t, msg = server.notifications.get(timeout=left)
        if msg.get("method") != "textDocument/publishDiagnostics":
            continue
        params = msg["params"]
        if params["uri"] == uri and all(d.get("source") == "golangci-lint" for d in params["diagnostics"]):
            return t


def bench_save(gord: Path, golangci: Path, root: Path, target: Path, runs: int):
    env_path = f"{golangci.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ["PATH"] = env_path
    server = lsp_startup.LspProcess([str(gord), "serve"], root)
    try:
        params = lsp_startup.initialize_params(root)
        params["initializationOptions"] = {"trusted": True, "settings": {"gord": {"lint": {"onOpen": False}}}}
        server.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params})
        server.wait_response(1, 30)
        server.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        uri = target.resolve().as_uri()
        server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "go", "version": 1, "text": target.read_text()}}})
        pattern = f"./{target.parent.name}"
        lsp, raw = [], []
        for n in range(runs + 1):
            touch_edit(target, n)
            t0 = time.perf_counter()
            server.send({"jsonrpc": "2.0", "method": "textDocument/didSave", "params": {"textDocument": {"uri": uri}}})
            t1 = wait_lint_publication(server, uri)
            time.sleep(0.4)  # past the save debounce: each save is linted at once
            touch_edit(target, n + 1000)
            r = raw_run(golangci, root, pattern)
            if n > 0:  # the first pair warms both
                lsp.append(t1 - t0)
                raw.append(r)
        return lsp, raw
    finally:
        server.close()


def issues_report(files: list[Path], count: int) -> str:
    """A golangci-lint v2 JSON report of `count` issues spread over `files`."""
    issues = []
    texts = {f: f.read_text().split("\n") for f in files}
    per_file = max(1, count // len(files))
    new = base64.b64encode(b"Joined").decode()
    for f in files:
        lines = texts[f]
        offsets = []
        at = 0
        for line in lines:
            offsets.append(at)
            at += len(line.encode()) + 1
        for k in range(per_file):
            if len(issues) >= count:
                break
            line = (k % (len(lines) - 1)) + 1
            col = 2
            fixes = []
            if k % 3 == 0:
                start = offsets[line - 1] + 1
                fixes = [{"Message": "", "TextEdits": [{"Pos": start, "End": start + 1, "NewText": new}]}]
            issues.append({
                "FromLinter": "misspell", "Text": f"issue {len(issues)}", "Severity": "",
                "SourceLines": [lines[line - 1]],
                "Pos": {"Filename": str(f), "Offset": offsets[line - 1] + 1, "Line": line, "Column": col},
                "SuggestedFixes": fixes,
            })
    return json.dumps({"Issues": issues, "Report": {}})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gord", type=Path, default=REPO_ROOT / "target" / "release" / "gord")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--packages", type=int, default=30)
    ap.add_argument("--issues", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, help="generate the module here and keep it")
    args = ap.parse_args()
    if not args.gord.is_file():
        fail(f"{args.gord} not found: cargo build --release --locked -p gord")
    golangci = go_bin_dir() / "golangci-lint"
    if not golangci.is_file():
        fail(f"{golangci} not found: scripts/install-deps installs it")

    tmp = None
    if args.keep:
        root = args.keep.resolve()
        root.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="gord-bench-lint-")
        root = Path(tmp.name).resolve()
    try:
        files = generate_module(root, args.packages, files=8, funcs=12)
        lines = sum(len(f.read_text().split("\n")) for f in files)
        print(f"module: {args.packages} packages, {len(files)} files, {lines} lines; "
              f"golangci-lint {subprocess.run([str(golangci), '--version'], capture_output=True, text=True).stdout.split()[3]}")
        raw_run(golangci, root, "./...")  # warm the cache for every package
        target = root / "pkg00" / "file00.go"

        lsp, raw = bench_save(args.gord, golangci, root, target, args.runs)
        overhead = median_ms(lsp) - median_ms(raw)
        limit = max(0.05 * median_ms(raw), 20.0)

        report = root / "report.json"
        report.write_text(issues_report(files, args.issues))
        mapping = []
        for _ in range(max(3, args.runs // 2)):
            t0 = time.perf_counter()
            subprocess.run([str(args.gord), "lint", "--from-json", str(report), "--format", "json"], cwd=root,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            mapping.append(time.perf_counter() - t0)
        parse_only = []
        for _ in range(3):
            t0 = time.perf_counter()
            json.loads(report.read_text())
            parse_only.append(time.perf_counter() - t0)

        package, module = [], []
        for n in range(args.runs):
            touch_edit(target, 2000 + n)
            package.append(raw_run(golangci, root, "./pkg00"))
            touch_edit(target, 3000 + n)
            module.append(raw_run(golangci, root, "./..."))

        cli_env = dict(os.environ, XDG_CACHE_HOME=str(root / "xdg-cache"))
        kept_probe = root / "xdg-cache" / "gord" / "golangci-lint-probes.json"

        def cli_lint(forget: bool) -> float:
            if forget:
                kept_probe.unlink(missing_ok=True)
            t0 = time.perf_counter()
            subprocess.run([str(args.gord), "lint", "./pkg00"], cwd=root, env=cli_env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            return time.perf_counter() - t0

        cli_lint(False)
        kept, probed = [], []
        for _ in range(args.runs):
            kept.append(cli_lint(False))
            probed.append(cli_lint(True))

        rows = [
            ("(a) save -> diagnostics, median (ms)", f"{median_ms(lsp):.1f} (gord serve)",
             f"{median_ms(raw):.1f} (golangci-lint by hand)", f"overhead {overhead:+.1f} ms "
             f"({'within' if overhead <= limit else 'OVER'} the {limit:.0f} ms budget)"),
            (f"(b) place {args.issues:,} issues, median (ms)", f"{median_ms(mapping):.0f} (gord lint --from-json)",
             f"{median_ms(parse_only):.0f} (python json.loads alone)", f"{median_ms(mapping) / median_ms(parse_only):.2f}x"),
            ("(c) lint after a save, median (ms)", f"{median_ms(package):.0f} (the saved package)",
             f"{median_ms(module):.0f} (the whole module)", f"{median_ms(package) / median_ms(module):.2f}x"),
            ("(d) gord lint ./pkg00 (CLI), median (ms)", f"{median_ms(kept):.0f} (probe kept)",
             f"{median_ms(probed):.0f} (probed every run)", f"{median_ms(probed) - median_ms(kept):+.0f} ms saved"),
        ]
        print(f"{'metric':<40} | {'gord':<34} | {'peer':<36} | result")
        print("-" * 130)
        for r in rows:
            print(f"{r[0]:<40} | {r[1]:<34} | {r[2]:<36} | {r[3]}")
    finally:
        if tmp:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
