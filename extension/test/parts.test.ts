import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  PARTS_PROTOCOL,
  judgePeer,
  machines,
  mergeReport,
  mergeStatusView,
  mergeSummary,
  parseHello,
  parsePartAction,
  parseSection,
  peerNotice,
  sshDoctor,
  type Section,
} from "../src/parts";
import type { StatusCheck, Summary } from "../src/protocol";
import { formatStatus, type IdleView } from "../src/statusFormat";

const UI_HELLO = { protocol: PARTS_PROTOCOL, part: "ui", version: "0.1.0", host: "ui" };

function summary(partial: Partial<Summary>): Summary {
  return { status: "ok", ok: 0, warning: 0, error: 0, skipped: 0, ...partial };
}

const SSH000: StatusCheck = {
  id: "SSH000",
  title: "SSH config (~/.ssh/config)",
  status: "error",
  message: "1 error(s) and 0 warning(s) in /home/me/.ssh/config",
};
const GO001: StatusCheck = { id: "GO001", title: "Go toolchain on PATH", status: "ok", message: "go1.24.1" };

const UI_SECTION: Section = {
  protocol: PARTS_PROTOCOL,
  state: "idle",
  summary: summary({ status: "error", error: 1, ok: 2 }),
  checks: [SSH000],
  html: "<h2>SSH config</h2><p>SSH000 …</p>",
};

function workspaceIdle(): IdleView {
  return { kind: "idle", summary: summary({ status: "warning", ok: 10, warning: 1, skipped: 8 }), checks: [GO001] };
}

describe("the handshake", () => {
  it("accepts a Hello of this protocol from either part, and nothing else", () => {
    assert.deepEqual(parseHello(UI_HELLO), UI_HELLO);
    assert.deepEqual(parseHello({ ...UI_HELLO, part: "workspace", host: "workspace" })?.part, "workspace");
    for (const bad of [
      undefined,
      null,
      "hello",
      [UI_HELLO],
      { ...UI_HELLO, protocol: "1" },
      { ...UI_HELLO, protocol: 1.5 },
      { ...UI_HELLO, part: "laptop" },
      { ...UI_HELLO, host: "local" },
      { protocol: 1, part: "ui", host: "ui" },
    ]) {
      assert.equal(parseHello(bad), undefined, JSON.stringify(bad));
    }
  });

  it("makes the UI part the SSH doctor only when it answered in a protocol this part speaks", () => {
    const ok = judgePeer(UI_HELLO);
    assert.equal(ok.kind, "ok");
    assert.equal(sshDoctor(ok), "ui");
    assert.equal(peerNotice(ok, "workspace"), undefined);

    const missing = judgePeer(undefined, "command 'gord.ui.hello' not found");
    assert.deepEqual(missing, { kind: "missing", why: "command 'gord.ui.hello' not found" });
    assert.equal(sshDoctor(missing), "workspace");
    assert.equal(judgePeer(undefined).kind, "missing");
  });

  it("tells a too old and a too new peer apart, and says which plainly, once per kind", () => {
    const newer = judgePeer({ ...UI_HELLO, protocol: PARTS_PROTOCOL + 1 });
    assert.deepEqual(newer, { kind: "tooNew", protocol: PARTS_PROTOCOL + 1 });
    assert.equal(sshDoctor(newer), "workspace");
    const older = judgePeer({ ...UI_HELLO, protocol: 0 });
    assert.deepEqual(older, { kind: "tooOld", protocol: 0 });
    // A newer peer whose Hello changed shape is still "newer", not "broken".
    assert.deepEqual(judgePeer({ protocol: PARTS_PROTOCOL + 3, renamed: true }), {
      kind: "tooNew",
      protocol: PARTS_PROTOCOL + 3,
    });
    // Something that is no Hello at all: an old part that answered otherwise.
    assert.deepEqual(judgePeer("yes"), { kind: "tooOld" });

    const notice = peerNotice(older, "workspace") ?? "";
    assert.match(notice, /"Go Remote Doctor \(this computer\)" is too old/);
    assert.match(notice, /its protocol 0, this one 1/);
    assert.match(notice, /Update both extensions\.$/);
    assert.match(peerNotice(newer, "workspace") ?? "", /is newer than this one/);
    assert.match(peerNotice(judgePeer(undefined, "x"), "workspace") ?? "", /is not installed or not enabled, so the SSH config doctor/);
    assert.match(peerNotice(judgePeer(undefined, "x"), "ui") ?? "", /"Go Remote Doctor" is not installed/);
  });
});

describe("the UI part's section", () => {
  it("survives the JSON trip between extension hosts", () => {
    assert.deepEqual(parseSection(JSON.parse(JSON.stringify(UI_SECTION))), UI_SECTION);
  });

  it("refuses what is not a section and drops fields of the wrong shape", () => {
    assert.equal(parseSection({ protocol: 1, state: "sleeping" }), undefined);
    assert.equal(parseSection({ state: "idle" }), undefined);
    assert.equal(parseSection("idle"), undefined);
    const section = parseSection({
      protocol: 1,
      state: "idle",
      summary: { status: "fine" },
      checks: [{ id: "SSH000" }],
      html: 42,
      report: { checks: "none" },
    });
    assert.deepEqual(section, { protocol: 1, state: "idle" });
  });

  it("relays only the ids and indexes of a click", () => {
    assert.deepEqual(parsePartAction({ protocol: 1, action: "fix", check: "SSH050", finding: "0", run: ["rm"] }), {
      protocol: 1,
      action: "fix",
      check: "SSH050",
      finding: "0",
    });
    assert.equal(parsePartAction({ action: "fix" }), undefined);
  });
});

describe("one status and one report for two machines", () => {
  it("counts two machines only in a remote window whose UI part runs on this computer", () => {
    assert.equal(machines("ssh-remote", "ui"), 2);
    assert.equal(machines("ssh-remote", "workspace"), 1, "code-server: the UI part fell back beside the workspace");
    assert.equal(machines(undefined, "ui"), 1, "a local window");
    assert.equal(machines("", "ui"), 1);
    assert.equal(machines("ssh-remote", undefined), 1);
  });

  it("adds the counts and keeps the worse status", () => {
    const merged = mergeSummary(workspaceIdle().summary, UI_SECTION.summary);
    assert.deepEqual(merged, { status: "error", ok: 12, warning: 1, error: 1, skipped: 8 });
    assert.deepEqual(mergeSummary(workspaceIdle().summary, undefined), workspaceIdle().summary);
    assert.equal(mergeSummary(summary({ status: "error" }), summary({ status: "warning" })).status, "error");
  });

  it("shows both machines' checks in one status item, each named by machine in a remote window", () => {
    const two = mergeStatusView(workspaceIdle(), UI_SECTION, 2);
    assert.equal(two.kind, "idle");
    const p = formatStatus(two);
    assert.equal(p.text, "$(error) gord: 1 error, 1 warning");
    assert.equal(p.severity, "error");
    const text = p.tooltip.join("\n");
    assert.match(text, /This computer: SSH config/);
    assert.match(text, /The remote: Go toolchain on PATH/);

    const one = mergeStatusView(workspaceIdle(), UI_SECTION, 1);
    assert.ok(one.kind === "idle" && one.checks.map((c) => c.title).includes("SSH config (~/.ssh/config)"));
  });

  it("leaves the status as the workspace part has it while the UI part has no report", () => {
    const view = workspaceIdle();
    assert.equal(mergeStatusView(view, undefined, 2), view);
    assert.equal(mergeStatusView(view, { protocol: 1, state: "running" }, 2), view);
    assert.deepEqual(mergeStatusView({ kind: "starting" }, UI_SECTION, 2), { kind: "starting" });
    const running = mergeStatusView({ kind: "running", last: view }, UI_SECTION, 2);
    assert.ok(running.kind === "running" && running.last?.summary.error === 1);
  });

  it("puts this computer first and the remote second in one report, each part's HTML in its own section", () => {
    const html = mergeReport("<h2>Go toolchain</h2>", UI_SECTION, 2, "ssh-remote+devbox");
    const computer = html.indexOf("<h1 class=\"machine\">This computer</h1>");
    const remote = html.indexOf("<h1 class=\"machine\">The remote (ssh-remote+devbox)</h1>");
    assert.ok(computer >= 0 && remote > computer, html);
    assert.ok(html.indexOf('<section data-part="ui"><h2>SSH config</h2>') > computer);
    assert.ok(html.indexOf('<section data-part="workspace"><h2>Go toolchain</h2>') > remote);
  });

  it("shows one machine without machine headings and without the UI part's checks twice", () => {
    const html = mergeReport("<h2>Go toolchain</h2>", UI_SECTION, 1, undefined);
    assert.ok(!html.includes("This computer"));
    assert.equal(html.split("SSH000").length - 1, 1);
    assert.equal(mergeReport("<p>w</p>", undefined, 1, undefined), '<section data-part="workspace"><p>w</p></section>');
  });

  it("says why a machine's section is empty, escaping what the other part sent", () => {
    const stopped = mergeReport("", { protocol: 1, state: "stopped", reason: "no <gord> binary" }, 2, "r");
    assert.match(stopped, /The sidecar on this computer is not running: no &#60;gord&#62; binary\./);
    assert.match(mergeReport("", undefined, 2, "r"), /did not answer/);
    assert.match(mergeReport("", { protocol: 1, state: "running" }, 2, "r"), /still running/);
  });
});
