// zipModes.mjs on archives made by Info-ZIP's zip (the system `zip`), which records Unix modes as
// vsce's zip writer does.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";

import { zipEntryModes } from "./zipModes.mjs";

const dir = mkdtempSync(path.join(os.tmpdir(), "gord-zipmodes-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function archive(files) {
  const tree = mkdtempSync(path.join(dir, "tree-"));
  for (const [name, mode] of files) {
    mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
    writeFileSync(path.join(tree, name), `${name}\n`);
    chmodSync(path.join(tree, name), mode);
  }
  const out = path.join(dir, `${path.basename(tree)}.zip`);
  const zipped = spawnSync("zip", ["-q", "-X", "-D", out, ...files.map(([name]) => name)], { cwd: tree });
  assert.equal(zipped.status, 0, `zip failed: ${zipped.stderr}`);
  return readFileSync(out);
}

describe("zipEntryModes", () => {
  it("reads each entry's Unix mode: the sidecar's executable bit and a plain file's", () => {
    const modes = zipEntryModes(
      archive([
        ["extension/bin/gord", 0o755],
        ["extension/package.json", 0o644],
      ]),
    );
    assert.deepEqual(
      [...modes].map(([name, mode]) => [name, (mode & 0o777).toString(8)]),
      [
        ["extension/bin/gord", "755"],
        ["extension/package.json", "644"],
      ],
    );
  });

  it("tells a file that lost its executable bit", () => {
    const modes = zipEntryModes(archive([["extension/bin/gord.exe", 0o644]]));
    assert.equal((modes.get("extension/bin/gord.exe") ?? 0) & 0o111, 0);
  });

  it("refuses bytes that are not a zip archive, and an archive cut short", () => {
    assert.throws(() => zipEntryModes(Buffer.from("not a zip at all, just text")), /no end-of-central-directory/);
    const whole = archive([["a", 0o644]]);
    assert.throws(() => zipEntryModes(whole.subarray(0, whole.length - 10)), /no end-of-central-directory/);
    // The directory's offset pointing elsewhere: the entry is not where it says.
    const moved = Buffer.from(whole);
    const end = moved.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    moved.writeUInt32LE(1, end + 16);
    assert.throws(() => zipEntryModes(moved), /not where the directory says/);
  });
});
