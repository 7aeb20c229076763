import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "./repo";
import {
  ALL_METHODS,
  LintWorkspace,
  Preload,
  REQUEST_CANCELLED,
  REQUEST_FAILED,
  Status,
  Version,
  isArgv,
  requestOutcome,
} from "../src/protocol";

const root = repoRoot();

describe("protocol.ts", () => {
  it("names the same gord/* methods as docs/protocol.md's headings, in order", () => {
    const doc = readFileSync(path.join(root, "docs", "protocol.md"), "utf8");
    const documented = [...doc.matchAll(/^###\s+`(gord\/[^`]+)`/gm)].map((m) => m[1]);
    assert.ok(documented.length > 0, "docs/protocol.md has no ### `gord/...` headings");
    assert.deepEqual([...ALL_METHODS], documented);
  });

  it("declares each method once, as a typed request or notification object", () => {
    assert.equal(Version.method, "gord/version");
    assert.equal(Version.numberOfParams, 0, "gord/version takes no params");
    assert.equal(LintWorkspace.method, "gord/lint/workspace");
    assert.equal(Preload.numberOfParams, 1);
    assert.equal(Status.method, "gord/status");
    assert.equal(new Set(ALL_METHODS).size, ALL_METHODS.length, "a method declared twice");
  });

  it("is the only module that spells a method name: the others use the typed objects", () => {
    const src = path.join(root, "extension", "src");
    const offenders: string[] = [];
    for (const file of readdirSync(src).filter((f) => f.endsWith(".ts") && f !== "protocol.ts")) {
      // Comments may name methods; code may not.
      const text = readFileSync(path.join(src, file), "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/\/\/.*$/gm, "");
      for (const m of text.matchAll(/["'`]((?:gord|window|workspace|textDocument|\$)\/[A-Za-z/]+)["'`]/g)) {
        offenders.push(`${file}: ${m[1] ?? ""}`);
      }
    }
    assert.deepEqual(offenders, [], "bare method strings outside protocol.ts");
  });

  it("has every method in the Rust definitions", () => {
    const ext = path.join(root, "server", "src", "lsp", "ext.rs");
    const rust = readFileSync(ext, "utf8");
    const missing = ALL_METHODS.filter((m) => !rust.includes(`"${m}"`));
    assert.deepEqual(missing, [], "methods not found as string literals in server/src/lsp/ext.rs");
  });

  it("keeps 'vscode' out of the pure modules the tests load", () => {
    const src = path.join(root, "extension", "src");
    const pure = ["protocol.ts", "locate.ts", "crashPolicy.ts", "coalesce.ts", "statusFormat.ts", "lintStatusFormat.ts", "reportPage.ts", "remotePick.ts", "attachFormat.ts", "parts.ts"];
    for (const file of pure) {
      const text = readFileSync(path.join(src, file), "utf8");
      assert.doesNotMatch(text, /from\s+["']vscode["']|require\(["']vscode["']\)/, `${file} imports vscode`);
    }
    // Every test imports only those.
    for (const test of readdirSync(path.join(root, "extension", "test")).filter((f) => f.endsWith(".test.ts"))) {
      const text = readFileSync(path.join(root, "extension", "test", test), "utf8");
      for (const m of text.matchAll(/from\s+"\.\.\/src\/([^"]+)"/g)) {
        assert.ok(pure.includes(`${m[1]}.ts`), `${test} imports ../src/${m[1]}, which is not a pure module`);
      }
    }
  });
});

describe("requestOutcome", () => {
  it("keeps RequestCancelled quiet", () => {
    assert.deepEqual(requestOutcome({ code: REQUEST_CANCELLED, message: "gord/preload cancelled" }), { kind: "cancelled" });
  });

  it("shows RequestFailed with the sidecar's own message", () => {
    const failed = { code: REQUEST_FAILED, message: "the workspace is not trusted: gord runs no linter on it" };
    assert.deepEqual(requestOutcome(failed), { kind: "failed", message: failed.message });
  });

  it("shows any other failure too", () => {
    assert.deepEqual(requestOutcome({ code: -32602, message: "name a sessionId or a port" }), {
      kind: "failed",
      message: "name a sessionId or a port",
    });
    assert.deepEqual(requestOutcome(new Error("connection closed")), { kind: "failed", message: "connection closed" });
    assert.deepEqual(requestOutcome(undefined), { kind: "failed", message: "undefined" });
  });

  it("uses LSP's codes", () => {
    assert.equal(REQUEST_CANCELLED, -32800);
    assert.equal(REQUEST_FAILED, -32803);
  });
});

describe("isArgv", () => {
  it("accepts a non-empty list of strings", () => {
    assert.ok(isArgv(["go", "install", "golang.org/x/tools/gopls@v0.23.0"]));
    assert.ok(isArgv(["gopls"]));
  });

  it("rejects anything else", () => {
    for (const bad of [[], [""], "go install x", [1, 2], ["go", 3], undefined, null, { 0: "go" }]) {
      assert.equal(isArgv(bad), false, JSON.stringify(bad));
    }
  });
});
