import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "./repo";

const root = repoRoot();
const readme = readFileSync(path.join(root, "extension", "README.md"), "utf8");
const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  contributes: { commands: { title: string; category: string }[] };
};

describe("the marketplace README (extension/README.md)", () => {
  it("shows screenshots that exist in the repository", () => {
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1] ?? "");
    assert.ok(images.length >= 3, "at least three screenshots");
    for (const image of images) {
      assert.ok(!/^https?:/.test(image), `${image}: relative, so packaging points it at the repository`);
      assert.ok(existsSync(path.join(root, "extension", image)), `${image} exists under extension/`);
    }
  });

  it("lists exactly the commands the palette shows", () => {
    const table = readme.slice(readme.indexOf("## Commands"), readme.indexOf("## Settings"));
    const listed = [...table.matchAll(/^\| ([A-Z][^|]+?) \|/gm)].map((m) => m[1] ?? "").filter((t) => t !== "Command");
    const hidden = new Set(["Run Fix Command"]);
    const contributed = manifest.contributes.commands.map((c) => c.title).filter((t) => !hidden.has(t));
    assert.deepEqual([...listed].sort(), [...contributed].sort());
  });
});
