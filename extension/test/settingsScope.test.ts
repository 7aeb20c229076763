import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "./repo";

interface Property {
  scope?: string;
}
const manifest = JSON.parse(readFileSync(path.join(repoRoot(), "package.json"), "utf8")) as {
  contributes: { configuration: { properties: Record<string, Property> }[] };
};
const properties = Object.assign({}, ...manifest.contributes.configuration.map((c) => c.properties)) as Record<
  string,
  Property
>;

describe("settings a repository must not set (issue #13)", () => {
  // A `machine` setting is ignored in workspace and folder settings, so a
  // repository's .vscode/settings.json cannot make gord run its commands.
  for (const key of ["gord.ssh.allowMatchExec", "gord.ssh.configFile"]) {
    it(`${key} is machine-scoped`, () => {
      assert.equal(properties[key]?.scope, "machine");
    });
  }
});
