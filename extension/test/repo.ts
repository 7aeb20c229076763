// Where the repository is, for tests that read its files.
import { existsSync } from "node:fs";
import * as path from "node:path";

/** The repository root: the nearest directory above the tests holding package.json and docs/protocol.md. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, "docs", "protocol.md")) || !existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`no repository root above ${__dirname}`);
    }
    dir = parent;
  }
  return dir;
}
