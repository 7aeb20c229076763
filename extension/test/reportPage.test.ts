import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FleetReport, HealthReport } from "../src/protocol";
import { reportPage, resolveAction } from "../src/reportPage";

const range = { start: { line: 2, character: 0 }, end: { line: 2, character: 7 } };
const report: HealthReport = {
  version: "0.1.0",
  durationMs: 1,
  summary: { status: "error", ok: 0, warning: 0, error: 1, skipped: 0 },
  checks: [
    {
      id: "GO006",
      title: "Go version required by go.mod",
      area: "go",
      status: "error",
      message: "go.mod requires go >= 1.99",
      durationMs: 1,
      doc: "docs/rules/GO006.md",
      fix: { title: "Let go fetch the toolchain", command: ["go", "env", "-w", "GOTOOLCHAIN=auto"] },
      findings: [
        {
          message: "requires go 1.99",
          status: "error",
          location: { uri: "file:///ws/go.mod", range },
          fix: { title: "Edit", edit: { changes: {} } },
        },
      ],
    },
  ],
};

describe("a click in the report view", () => {
  it("runs the fix the report holds for the check, not anything the page says", () => {
    assert.deepEqual(resolveAction(report, { action: "fix", check: "GO006", command: ["rm", "-rf", "/"] } as never), {
      kind: "fix",
      fix: { title: "Let go fetch the toolchain", command: ["go", "env", "-w", "GOTOOLCHAIN=auto"] },
    });
  });

  it("takes a finding's own fix when the click names the finding", () => {
    const action = resolveAction(report, { action: "fix", check: "GO006", finding: "0" });
    assert.equal(action?.kind, "fix");
    assert.equal(action?.kind === "fix" ? action.fix.title : "", "Edit");
  });

  it("opens the rule page and the finding's place", () => {
    assert.deepEqual(resolveAction(report, { action: "doc", check: "GO006" }), {
      kind: "doc",
      doc: "docs/rules/GO006.md",
      id: "GO006",
    });
    assert.deepEqual(resolveAction(report, { action: "open", check: "GO006", finding: "0" }), {
      kind: "open",
      location: { uri: "file:///ws/go.mod", range },
    });
  });

  it("ignores unknown checks, findings and actions", () => {
    for (const message of [
      { action: "fix", check: "NOPE" },
      { action: "fix", check: "GO006", finding: "7" },
      { action: "fix", check: "GO006", finding: "-1" },
      { action: "open", check: "GO006" },
      { action: "rm", check: "GO006" },
      { action: "fix", check: 3 },
    ]) {
      assert.equal(resolveAction(report, message), undefined, JSON.stringify(message));
    }
    assert.equal(resolveAction(undefined, { action: "fix", check: "GO006" }), undefined);
  });
});

const fleet: FleetReport = {
  version: "0.1.0",
  durationMs: 1,
  hosts: [
    {
      host: "build",
      status: "error",
      durationMs: 1,
      summary: { reachable: "yes", auth: "no", goReady: "unknown", vscodeServerReady: "unknown" },
      findings: [
        {
          code: "RMT009",
          status: "error",
          message: "the key needs its passphrase",
          fix: { title: "Load it into your ssh-agent once", command: ["ssh-add", "/k"] },
        },
        { code: "RMT003", status: "error", message: "refused", fix: { title: "Start sshd" } },
      ],
    },
  ],
};

describe("a click on a remote host's finding", () => {
  it("runs the fix the fleet holds for that host's finding", () => {
    assert.deepEqual(resolveAction(report, { action: "fix", host: "0", finding: "0" }, fleet), {
      kind: "fix",
      fix: { title: "Load it into your ssh-agent once", command: ["ssh-add", "/k"] },
    });
  });

  it("opens the finding's rule page", () => {
    assert.deepEqual(resolveAction(report, { action: "doc", host: "0", finding: "1" }, fleet), {
      kind: "doc",
      doc: "docs/rules/RMT003.md",
      id: "RMT003",
    });
  });

  it("ignores unknown hosts and findings, missing fleets and other actions", () => {
    for (const message of [
      { action: "fix", host: "1", finding: "0" },
      { action: "fix", host: "0", finding: "2" },
      { action: "fix", host: "0" },
      { action: "fix", host: "x", finding: "0" },
      { action: "open", host: "0", finding: "0" },
    ]) {
      assert.equal(resolveAction(report, message, fleet), undefined, JSON.stringify(message));
    }
    assert.equal(resolveAction(report, { action: "fix", host: "0", finding: "0" }), undefined);
  });
});

describe("the report page", () => {
  it("allows only its own nonce'd style and script", () => {
    const page = reportPage("<p>hi</p>", "abc123");
    assert.match(page, /default-src 'none'; style-src 'nonce-abc123'; script-src 'nonce-abc123';/);
    assert.match(page, /<style nonce="abc123">/);
    assert.match(page, /<script nonce="abc123">/);
    assert.ok(page.includes("<p>hi</p>"));
  });
});
