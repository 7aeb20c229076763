import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CrashPolicy } from "../src/crashPolicy";

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe("CrashPolicy", () => {
  it("restarts after the first four crashes in 3 minutes and stops at the fifth", () => {
    const policy = new CrashPolicy();
    const decisions = [0, 10, 20, 30, 40].map((s) => policy.recordCrash(s * SECOND));
    assert.deepEqual(decisions, ["restart", "restart", "restart", "restart", "stop"]);
  });

  it("lets crashes older than 3 minutes age out", () => {
    const policy = new CrashPolicy();
    for (const t of [0, 1, 2, 3]) {
      assert.equal(policy.recordCrash(t * MINUTE), "restart");
    }
    // Crashes at 0 and 1 min are out of the window at 4 min: 3 recent crashes.
    assert.equal(policy.recordCrash(4 * MINUTE), "restart");
    assert.equal(policy.recentCrashes, 3);
  });

  it("never stops a server that crashes at most 4 times in any 3 minutes", () => {
    const policy = new CrashPolicy();
    for (let i = 0; i < 100; i++) {
      assert.equal(policy.recordCrash(i * 45 * SECOND), "restart", `crash ${i}`);
    }
  });

  it("counts exactly 3 minutes ago as outside the window", () => {
    const policy = new CrashPolicy();
    for (const t of [0, 1, 2, 3]) {
      policy.recordCrash(t * SECOND);
    }
    assert.equal(policy.recordCrash(3 * MINUTE), "restart");
    assert.equal(policy.recordCrash(3 * MINUTE + 1), "stop");
  });

  it("forgets everything on reset", () => {
    const policy = new CrashPolicy(2, MINUTE);
    assert.equal(policy.recordCrash(0), "restart");
    assert.equal(policy.recordCrash(1), "stop");
    policy.reset();
    assert.equal(policy.recordCrash(2), "restart");
  });
});
