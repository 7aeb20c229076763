// How `gord/procs` results look in the "Attach Delve to Process..." quick
// pick: Go programs first, each with its preflight verdict.
//
// Pure module: it must not import 'vscode' (unit tests load it under plain Node).

import type { DebugFinding, Preflight, ProcessEntry, ProcsResult } from "./protocol";

/** A row of the quick pick: a group heading, or a process. */
export type PickRow =
  | { separator: true; label: string }
  | { separator?: false; label: string; description: string; detail: string; entry: ProcessEntry };

/** Shorter than the rule titles where a user needs the consequence, not the cause. */
const VERDICT_TEXT: Readonly<Record<string, string>> = {
  DBG007: "optimised build: variables may be missing",
};

/** The finding that decides the verdict: the most severe, the first among equals. */
export function worstFinding(preflight: Preflight): DebugFinding | undefined {
  const rank = { info: 0, warning: 1, error: 2 } as const;
  let worst: DebugFinding | undefined;
  for (const f of preflight.findings) {
    if (worst === undefined || rank[f.severity] > rank[worst.severity]) {
      worst = f;
    }
  }
  return worst;
}

/** `$(check) ready`, `$(warning) optimised build: ...`, `$(error) no DWARF debug info`. */
export function verdictText(preflight: Preflight): string {
  const worst = worstFinding(preflight);
  if (worst === undefined || worst.severity === "info") {
    return "$(check) ready";
  }
  const text = VERDICT_TEXT[worst.code] ?? worst.title;
  return `${worst.severity === "error" ? "$(error)" : "$(warning)"} ${text}`;
}

function isGo(entry: ProcessEntry): boolean {
  return entry.binary?.go !== undefined;
}

function commandLine(entry: ProcessEntry): string {
  const text = entry.command.length > 0 ? entry.command.join(" ") : `[${entry.name}]`;
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** One process as a row: name and pid; Go version, module, user; verdict and command. */
export function processRow(entry: ProcessEntry): PickRow {
  const go = entry.binary?.go;
  const facts = [go?.goVersion, go?.mainModule?.path, entry.user].filter((f): f is string => f !== undefined && f !== "");
  return {
    label: `${entry.name}  pid ${entry.pid}`,
    description: facts.join(" · "),
    detail: `${verdictText(entry.preflight)} · ${commandLine(entry)}`,
    entry,
  };
}

/**
 * The rows for `result`: "Go programs" then "Other processes", each group
 * keeping the sidecar's order (debuggable first, newest first).
 */
export function pickRows(result: ProcsResult): PickRow[] {
  const go = result.processes.filter(isGo);
  const other = result.processes.filter((p) => !isGo(p));
  const rows: PickRow[] = [];
  if (go.length > 0) {
    rows.push({ separator: true, label: "Go programs" }, ...go.map(processRow));
  }
  if (other.length > 0) {
    rows.push({ separator: true, label: "Other processes" }, ...other.map(processRow));
  }
  return rows;
}

/** The text that explains why a process cannot be debugged: each blocking finding, with Delve's words. */
export function refusalText(preflight: Preflight): string {
  return preflight.findings
    .filter((f) => f.severity === "error")
    .map((f) => `${f.code} ${f.title}: ${f.message}${f.delveError ? ` (Delve: "${f.delveError}")` : ""}`)
    .join("\n");
}

/** The pid in a launch.json `processId`: a number, or a string of digits. */
export function parseProcessId(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value) && value > 0) {
    return value;
  }
  if (typeof value === "string" && /^\d+$/.test(value.trim())) {
    return Number(value.trim());
  }
  return undefined;
}
