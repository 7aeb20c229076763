import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatLintStatus } from "../src/lintStatusFormat";

describe("the lint status hint", () => {
  it("spins while a package is linted, naming the package without its module path", () => {
    const view = formatLintStatus({ state: "running", scope: "./issues in /home/u/ws", linter: "golangci-lint 2.15.0", issues: 0 });
    assert.equal(view.visible, true);
    assert.equal(view.text, "$(sync~spin) Linting ./issues");
    assert.match(view.tooltip, /golangci-lint 2\.15\.0 is linting \.\/issues in \/home\/u\/ws/);
  });

  it("warns while the linter's last run failed, with the failure in the tooltip", () => {
    const view = formatLintStatus({
      state: "idle",
      scope: "./x in /ws",
      linter: "golangci-lint 2.15.0",
      issues: 0,
      failures: ["golangci-lint failed: unknown linters: 'nosuchlinter'"],
    });
    assert.equal(view.visible, true);
    assert.equal(view.warning, true);
    assert.equal(view.text, "$(warning) Lint failed");
    assert.match(view.tooltip, /nosuchlinter/);
  });

  it("hides after a successful run: the Problems panel has the results", () => {
    const view = formatLintStatus({ state: "idle", scope: "the workspace", linter: "go vet", issues: 1 });
    assert.equal(view.visible, false);
    assert.equal(view.tooltip, "go vet: 1 issue in the workspace");
  });
});
