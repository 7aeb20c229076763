import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Coalescer } from "../src/coalesce";

/** A job whose runs finish only when the test says so. */
function controlledJob() {
  const finishers: (() => void)[] = [];
  let started = 0;
  const job = () =>
    new Promise<void>((resolve) => {
      started += 1;
      finishers.push(resolve);
    });
  return {
    job,
    started: () => started,
    finishNext: async () => {
      finishers.shift()?.();
      // Let the promise chains settle.
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe("Coalescer", () => {
  it("runs at most one job and queues at most one more", async () => {
    const c = controlledJob();
    const coalescer = new Coalescer(c.job);
    const first = coalescer.request();
    await new Promise((r) => setImmediate(r));
    const second = coalescer.request();
    const third = coalescer.request();
    assert.equal(second, third, "requests made during a run share the queued run");
    assert.equal(c.started(), 1);

    await c.finishNext();
    await first;
    assert.equal(c.started(), 2, "the queued run starts after the first");

    await c.finishNext();
    await second;
    assert.equal(c.started(), 2);
    assert.equal(coalescer.pending, undefined);
  });

  it("starts afresh once idle", async () => {
    const c = controlledJob();
    const coalescer = new Coalescer(c.job);
    const a = coalescer.request();
    await new Promise((r) => setImmediate(r));
    await c.finishNext();
    await a;
    const b = coalescer.request();
    await new Promise((r) => setImmediate(r));
    assert.equal(c.started(), 2);
    await c.finishNext();
    await b;
  });

  it("runs the queued job even when the running one fails", async () => {
    let runs = 0;
    const coalescer = new Coalescer(() => {
      runs += 1;
      return runs === 1 ? Promise.reject(new Error("boom")) : Promise.resolve();
    });
    const first = coalescer.request();
    const second = coalescer.request();
    await assert.rejects(first, /boom/);
    await second;
    assert.equal(runs, 2);
  });

  it("reports a synchronous throw as a rejection", async () => {
    const coalescer = new Coalescer(() => {
      throw new Error("sync");
    });
    await assert.rejects(coalescer.request(), /sync/);
    assert.equal(coalescer.pending, undefined);
  });
});
