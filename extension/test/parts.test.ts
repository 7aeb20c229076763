import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  PARTS_PROTOCOL,
  UI_ALONE_CONTEXT,
  UI_COMMANDS,
  UI_OWNERSHIP_AT_START,
  UI_STATUS,
  judgePeer,
  machines,
  mergeReport,
  mergeStatusView,
  mergeSummary,
  onAloneTimer,
  onBye,
  onHello,
  parseHello,
  parsePartAction,
  parseSection,
  peerNotice,
  sshDoctor,
  uiShowsStatus,
  type Section,
  type UiOwnership,
} from "../src/parts";
import type { StatusCheck, Summary } from "../src/protocol";
import { formatStatus, type IdleView } from "../src/statusFormat";
import { repoRoot } from "./repo";

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

const WORKSPACE_HELLO = { protocol: PARTS_PROTOCOL, part: "workspace", version: "0.1.0", host: "workspace" };

/**
 * A window with both parts: what each shows after each event. The UI part
 * follows `UiOwnership`; the workspace part shows its item once its
 * handshake is over (the answer, whatever it was), and not after its bye.
 */
type WindowEvent = "uiAloneTimer" | { hello: unknown } | "workspaceBye";
function play(events: WindowEvent[]): { ui: boolean; workspace: boolean; linked: boolean }[] {
  let state: UiOwnership = UI_OWNERSHIP_AT_START;
  let workspace = false;
  const seen = [];
  for (const event of events) {
    if (event === "uiAloneTimer") {
      state = onAloneTimer(state);
    } else if (event === "workspaceBye") {
      state = onBye();
      workspace = false;
    } else {
      state = onHello(state, judgePeer(event.hello));
      // Only a workspace part greets; a hello that says "ui" is none.
      workspace ||= parseHello(event.hello)?.part !== "ui";
    }
    seen.push({ ui: uiShowsStatus(state), workspace, linked: state.linked });
  }
  return seen;
}

describe("the UI part alone, and the hand-over to a workspace part", () => {
  it("shows nothing of its own while it waits for a hello, and its own status item once none came", () => {
    assert.equal(uiShowsStatus(UI_OWNERSHIP_AT_START), false);
    assert.deepEqual(play(["uiAloneTimer"]), [{ ui: true, workspace: false, linked: false }]);
  });

  it("hands the status item over to a workspace part that comes later, and sends it its section", () => {
    assert.deepEqual(play(["uiAloneTimer", { hello: WORKSPACE_HELLO }]), [
      { ui: true, workspace: false, linked: false },
      { ui: false, workspace: true, linked: true },
    ]);
  });

  it("stays handed over when its wait ends after a workspace part greeted it", () => {
    assert.deepEqual(play([{ hello: WORKSPACE_HELLO }, "uiAloneTimer"]).at(-1), { ui: false, workspace: true, linked: true });
  });

  it("hands over to a workspace part of another protocol too, without sending it anything", () => {
    // An older or newer workspace part shows a status item of its own all the same.
    for (const hello of [{ ...WORKSPACE_HELLO, protocol: PARTS_PROTOCOL + 1 }, { ...WORKSPACE_HELLO, protocol: 0 }, { protocol: 7 }]) {
      assert.deepEqual(play(["uiAloneTimer", { hello }]).at(-1), { ui: false, workspace: true, linked: false }, JSON.stringify(hello));
    }
  });

  it("keeps its item for a hello that says it is from a UI part", () => {
    assert.deepEqual(play(["uiAloneTimer", { hello: UI_HELLO }]).at(-1), { ui: true, workspace: false, linked: false });
  });

  it("takes the status item back when the workspace part says bye, and gives it again on the next hello", () => {
    assert.deepEqual(play([{ hello: WORKSPACE_HELLO }, "workspaceBye", { hello: WORKSPACE_HELLO }]), [
      { ui: false, workspace: true, linked: true },
      { ui: true, workspace: false, linked: false },
      { ui: false, workspace: true, linked: true },
    ]);
  });

  it("never shows two status items, whatever the order of the events", () => {
    const events: WindowEvent[] = [
      "uiAloneTimer",
      { hello: WORKSPACE_HELLO },
      { hello: { protocol: 9 } },
      { hello: UI_HELLO },
      "workspaceBye",
    ];
    // Every sequence of up to four events (a part may greet again on each restart).
    const sequences: WindowEvent[][] = [[]];
    for (let length = 1; length <= 4; length++) {
      for (const prefix of sequences.filter((s) => s.length === length - 1)) {
        for (const event of events) {
          sequences.push([...prefix, event]);
        }
      }
    }
    for (const sequence of sequences) {
      for (const shown of play(sequence)) {
        assert.ok(!(shown.ui && shown.workspace), `two status items after ${JSON.stringify(sequence)}`);
      }
    }
  });

  it("speaks the protocol an older peer speaks: bye and the status item of its own added nothing an older part must know", () => {
    // A workspace part of version 0.1.0 (protocol 1, no bye) hands over and is linked.
    assert.equal(PARTS_PROTOCOL, 1);
    assert.deepEqual(play(["uiAloneTimer", { hello: { protocol: 1, part: "workspace", version: "0.1.0", host: "workspace" } }]).at(-1), {
      ui: false,
      workspace: true,
      linked: true,
    });
  });

  it("offers its own commands in the palette only while it is alone, each one activating it", () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot(), "extension-ui", "package.json"), "utf8")) as {
      activationEvents: string[];
      contributes: { commands: { command: string }[]; menus: { commandPalette: { command: string; when: string }[] } };
    };
    const own = [UI_STATUS.runHealthCheck, UI_STATUS.showReport, UI_STATUS.showLogs, UI_STATUS.restartServer, UI_COMMANDS.checkRemoteHost];
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), [...own].sort());
    for (const command of own) {
      assert.equal(manifest.contributes.menus.commandPalette.find((m) => m.command === command)?.when, UI_ALONE_CONTEXT, command);
    }
    for (const command of [...own, ...Object.values(UI_COMMANDS)]) {
      assert.ok(manifest.activationEvents.includes(`onCommand:${command}`), command);
    }
  });

  it("names itself and links its own commands in its status item", () => {
    const p = formatStatus(workspaceIdle(), UI_STATUS);
    assert.match(p.tooltip[0] ?? "", /^\*\*Go Remote Doctor \(this computer\)\*\*: /);
    const links = p.tooltip.at(-1) ?? "";
    assert.match(links, /command:gord\.ui\.palette\.runHealthCheck\)/);
    assert.match(links, /command:gord\.ui\.palette\.restartServer\)/);
    assert.doesNotMatch(links, /command:gord\.(runHealthCheck|showReport|showLogs|restartServer)\)/);
  });
});
