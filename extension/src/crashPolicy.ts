// When to restart a crashed sidecar: the pure half of client.ts's error handler.
//
// Pure module: no 'vscode'. The caller passes the clock in.

export type CrashDecision = "restart" | "stop";

/**
 * Restarts after a crash unless the server crashed `maxCrashes` times within
 * the last `windowMs` milliseconds (5 in 3 minutes by default); then stops.
 * Crashes older than the window age out.
 */
export class CrashPolicy {
  private crashes: number[] = [];

  constructor(
    readonly maxCrashes = 5,
    readonly windowMs = 3 * 60 * 1000,
  ) {}

  /** Records a crash at `nowMs` and says what to do about it. */
  recordCrash(nowMs: number): CrashDecision {
    this.crashes = this.crashes.filter((t) => nowMs - t < this.windowMs);
    this.crashes.push(nowMs);
    return this.crashes.length >= this.maxCrashes ? "stop" : "restart";
  }

  /** Crashes still inside the window as of the last recordCrash. */
  get recentCrashes(): number {
    return this.crashes.length;
  }

  /** Forgets all crashes, e.g. after the user restarts the server by hand. */
  reset(): void {
    this.crashes = [];
  }
}
