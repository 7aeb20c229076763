import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "./repo";

const src = path.join(repoRoot(), "extension", "src");

/** Each module of extension/src with the local modules it imports (type-only imports too). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync(src).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(path.join(src, file), "utf8");
    const local = [...text.matchAll(/\bfrom\s+["']\.\/([^"']+)["']/g)].map((m) => `${m[1]}.ts`);
    graph.set(file, local);
  }
  return graph;
}

/** The first import cycle found, as a path of modules, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const trail: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "open") {
      return [...trail.slice(trail.indexOf(node)), node];
    }
    if (state.get(node) === "done") {
      return undefined;
    }
    state.set(node, "open");
    trail.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) {
        return cycle;
      }
    }
    trail.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) {
      return cycle;
    }
  }
  return undefined;
}

describe("extension/src imports", () => {
  it("form no cycle, not even through type-only imports", () => {
    const cycle = findCycle(importGraph());
    assert.equal(cycle, undefined, `import cycle: ${cycle?.join(" -> ")}`);
  });

  it("the cycle finder finds a cycle when there is one", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
    ]);
    assert.deepEqual(findCycle(graph), ["a.ts", "b.ts", "c.ts", "a.ts"]);
  });
});
