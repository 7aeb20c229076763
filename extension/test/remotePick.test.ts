import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hostPickItems } from "../src/remotePick";

const config = "/home/me/.ssh/config";

describe("the remote host quick pick", () => {
  it("offers All hosts first, then each host with its 1-based Host line", () => {
    const items = hostPickItems(
      [
        { host: "build", file: config, line: 0 },
        { host: "db", file: "/etc/ssh/extra", line: 11 },
      ],
      "/home/me",
    );
    assert.deepEqual(items, [
      { label: "All hosts", description: "2 hosts", hosts: "all" },
      { label: "build", description: "~/.ssh/config:1", hosts: ["build"] },
      { label: "db", description: "/etc/ssh/extra:12", hosts: ["db"] },
    ]);
  });

  it("has no All hosts entry for a single host", () => {
    assert.deepEqual(hostPickItems([{ host: "only", file: config, line: 3 }]), [
      { label: "only", description: `${config}:4`, hosts: ["only"] },
    ]);
  });
});
