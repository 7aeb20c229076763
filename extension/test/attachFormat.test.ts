import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseProcessId, pickRows, refusalText, verdictText } from "../src/attachFormat";
import type { DebugFinding, ProcessEntry, ProcsResult } from "../src/protocol";

function finding(code: string, severity: DebugFinding["severity"], title: string): DebugFinding {
  return { code, severity, title, message: `${title}, in detail`, doc: `docs/rules/${code}.md` };
}

function proc(pid: number, name: string, go: boolean, findings: DebugFinding[] = []): ProcessEntry {
  return {
    pid,
    user: "al",
    name,
    command: [`/srv/${name}`, "-addr", "127.0.0.1:8080"],
    tracerPid: 0,
    ...(go ? { binary: { dwarf: true, go: { goVersion: "go1.26.8", mainModule: { path: "example.com/app" } } } } : {}),
    preflight: { pid, blocked: findings.some((f) => f.severity === "error"), findings },
    verdict: findings[0] ? `${findings[0].code} ${findings[0].title}` : "ok",
  };
}

function procs(...processes: ProcessEntry[]): ProcsResult {
  return { me: { uid: 1000, capSysPtrace: false }, dlv: { searched: [] }, processes };
}

describe("the Attach Delve quick pick", () => {
  it("lists Go programs first, each with its verdict, then the other processes", () => {
    const rows = pickRows(
      procs(
        proc(30, "api", true),
        proc(20, "worker", true, [finding("DBG007", "warning", "optimised build")]),
        proc(10, "stripped", true, [finding("DBG006", "error", "no DWARF debug info")]),
        proc(5, "bash", false, [finding("DBG008", "error", "not a Go program")]),
      ),
    );
    assert.deepEqual(
      rows.map((r) => (r.separator === true ? `-- ${r.label}` : `${r.label} | ${r.detail.split(" · ")[0]}`)),
      [
        "-- Go programs",
        "api  pid 30 | $(check) ready",
        "worker  pid 20 | $(warning) optimised build: variables may be missing",
        "stripped  pid 10 | $(error) no DWARF debug info",
        "-- Other processes",
        "bash  pid 5 | $(error) not a Go program",
      ],
    );
  });

  it("describes a Go program by its Go version, module and user, and shows its command", () => {
    const [, row] = pickRows(procs(proc(30, "api", true)));
    assert.ok(row !== undefined && row.separator !== true);
    assert.equal(row.description, "go1.26.8 · example.com/app · al");
    assert.equal(row.detail, "$(check) ready · /srv/api -addr 127.0.0.1:8080");
  });

  it("leaves out a group with nothing in it", () => {
    assert.deepEqual(pickRows(procs()), []);
    assert.deepEqual(
      pickRows(procs(proc(1, "init", false))).filter((r) => r.separator === true).map((r) => r.label),
      ["Other processes"],
    );
  });

  it("a warning does not hide an error: the worst finding decides", () => {
    const preflight = {
      pid: 1,
      blocked: true,
      findings: [finding("DBG007", "warning", "optimised build"), finding("DBG003", "error", "already being debugged")],
    };
    assert.equal(verdictText(preflight), "$(error) already being debugged");
  });

  it("explains a refusal with each blocking finding and Delve's own words", () => {
    const blocking = { ...finding("DBG002", "error", "process owned by another user"), delveError: "current user does not own the process" };
    const text = refusalText({ pid: 1, blocked: true, findings: [finding("DBG007", "warning", "optimised build"), blocking] });
    assert.equal(
      text,
      'DBG002 process owned by another user: process owned by another user, in detail (Delve: "current user does not own the process")',
    );
  });

  it("reads a launch.json processId given as a number or a string of digits", () => {
    assert.equal(parseProcessId(4321), 4321);
    assert.equal(parseProcessId(" 4321 "), 4321);
    assert.equal(parseProcessId("${command:pickProcess}"), undefined);
    assert.equal(parseProcessId(0), undefined);
    assert.equal(parseProcessId(undefined), undefined);
  });
});
