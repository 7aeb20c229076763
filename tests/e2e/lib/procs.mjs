// Processes, read from /proc: who is whose child, and which ones a test left
// behind. Linux only, like the rest of the rig.
/* global setTimeout */

import { readFileSync, readdirSync } from "node:fs";

/**
 * Every process visible now: { pid, ppid, pgid, cmdline }. A process that
 * exits while being read is skipped.
 */
export function listProcesses() {
  const out = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    try {
      // Fields after the command name (which may hold spaces and parentheses).
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8").replace(/\0+$/, "").split("\0").join(" ");
      if (fields[0] === "Z") {
        continue; // a zombie is already dead; only its parent's wait is missing
      }
      out.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]), cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The processes descending from `root` (not including it). */
export function descendants(root, processes = listProcesses()) {
  const children = new Map();
  for (const p of processes) {
    children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  }
  const found = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns a truthy value, or throws after `timeoutMs`.
 * An error the probe throws counts as "not yet", unless it has `fatal: true`.
 */
export async function waitFor(what, probe, { timeoutMs = 30_000, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) {
        return value;
      }
    } catch (err) {
      if (err?.fatal) {
        throw err;
      }
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${last.message}` : ""}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * The processes `matches` selects, after giving them `graceMs` to go away on
 * their own. Whatever is still there then is killed (SIGKILL) and returned, so
 * a caller can report it as left behind.
 */
export async function reapLeftovers(matches, graceMs = 5_000) {
  const deadline = Date.now() + graceMs;
  let left = listProcesses().filter(matches);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(100);
    left = listProcesses().filter(matches);
  }
  for (const p of left) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
  return left;
}
