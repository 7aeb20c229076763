import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StatusCheck, Summary } from "../src/protocol";
import { accessibleLabel, escapeMarkdown, formatStatus, type IdleView } from "../src/statusFormat";

function idle(summary: Partial<Summary>, checks: StatusCheck[] = []): IdleView {
  return {
    kind: "idle",
    summary: { status: "ok", ok: 0, warning: 0, error: 0, skipped: 0, ...summary },
    checks,
  };
}

const GO001: StatusCheck = { id: "GO001", title: "Go toolchain", status: "ok", message: "go1.22.1 at /usr/local/go/bin/go" };
const GO010: StatusCheck = {
  id: "GO010",
  title: "gopls (Go language server)",
  status: "warning",
  message: "gopls was built with go1.22.1, older than the toolchain",
};

describe("formatStatus", () => {
  it("shows a check mark when every check passed", () => {
    const p = formatStatus(idle({ ok: 9, skipped: 1 }, [GO001]));
    assert.equal(p.text, "$(pass) gord");
    assert.equal(p.severity, "ok");
    assert.equal(p.tooltip[0], "**Go Remote Doctor**: 9 ok, 0 warnings, 0 errors, 1 skipped");
  });

  it("counts warnings", () => {
    assert.equal(formatStatus(idle({ status: "warning", warning: 2 })).text, "$(warning) gord: 2 warnings");
    assert.equal(formatStatus(idle({ status: "warning", warning: 1 })).text, "$(warning) gord: 1 warning");
  });

  it("counts errors, and warnings too when there are both", () => {
    assert.equal(formatStatus(idle({ status: "error", error: 3 })).text, "$(error) gord: 3 errors");
    const both = formatStatus(idle({ status: "error", error: 1, warning: 2 }));
    assert.equal(both.text, "$(error) gord: 1 error, 2 warnings");
    assert.equal(both.severity, "error");
  });

  it("spins while checks run and keeps the last results in the tooltip", () => {
    const last = idle({ status: "warning", ok: 1, warning: 1 }, [GO001, GO010]);
    const p = formatStatus({ kind: "running", last });
    assert.equal(p.text, "$(sync~spin) gord");
    assert.match(p.tooltip.join("\n"), /running health checks/);
    assert.match(p.tooltip.join("\n"), /GO010/);
  });

  it("says the server stopped", () => {
    const p = formatStatus({ kind: "stopped" });
    assert.equal(p.text, "$(circle-slash) gord");
    assert.match(p.tooltip[0] ?? "", /server stopped/);
    assert.match(p.tooltip.join("\n"), /\[Restart\]\(command:gord\.restartServer\)/);
    assert.doesNotMatch(p.tooltip.join("\n"), /runHealthCheck/);
  });

  it("lists each check with its icon, id, title and message", () => {
    const p = formatStatus(idle({ status: "warning", ok: 1, warning: 1 }, [GO001, GO010]));
    assert.deepEqual(p.tooltip.slice(2, 4), [
      "- $(pass) `GO001` Go toolchain — go1\\.22\\.1 at /usr/local/go/bin/go",
      "- $(warning) `GO010` gopls \\(Go language server\\) — gopls was built with go1\\.22\\.1, older than the toolchain",
    ]);
    assert.match(p.tooltip.at(-1) ?? "", /\[Show Logs\]\(command:gord\.showLogs\) · \[Restart\]\(command:gord\.restartServer\)$/);
  });

  it("uses a distinct icon for skipped checks", () => {
    const skipped: StatusCheck = { id: "DBG001", title: "Delve", status: "skipped", message: "no Go workspace" };
    const p = formatStatus(idle({ skipped: 1 }, [skipped]));
    assert.match(p.tooltip.join("\n"), /^- \$\(debug-step-over\) `DBG001`/m);
  });
});

describe("escapeMarkdown", () => {
  it("keeps sidecar text from becoming links, icons or extra lines", () => {
    assert.equal(escapeMarkdown("[x](command:evil) $(zap)\nnext"), "\\[x\\]\\(command:evil\\) \\$\\(zap\\) next");
  });
});

describe("accessibleLabel", () => {
  it("reads the status without codicon syntax", () => {
    assert.equal(accessibleLabel("$(error) gord: 1 error, 4 warnings"), "Go Remote Doctor, gord: 1 error, 4 warnings");
    assert.equal(accessibleLabel("$(pass) gord"), "Go Remote Doctor, gord");
  });
});
