// Coalesces repeated requests for the same job, such as "restart the server".
//
// Pure module: no 'vscode'.

/**
 * Runs `job` so that at most one run is in progress and at most one waits.
 * A request made while a run is in progress queues one more run after it;
 * further requests share that queued run, since it will start after all of
 * them were made. Each caller's promise settles when the run that covers its
 * request settles.
 */
export class Coalescer {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly job: () => Promise<void>) {}

  request(): Promise<void> {
    if (this.queued !== undefined) {
      return this.queued;
    }
    if (this.running !== undefined) {
      const after = this.running.then(
        () => undefined,
        () => undefined,
      );
      this.queued = after.then(() => {
        this.queued = undefined;
        return this.start();
      });
      return this.queued;
    }
    return this.start();
  }

  /** The run in progress (or queued), if any: lets a command wait for a start to finish. */
  get pending(): Promise<void> | undefined {
    return this.queued ?? this.running;
  }

  private start(): Promise<void> {
    // Started from a resolved promise so that `run` is assigned before `finally` can read it,
    // even when the job throws synchronously.
    const run: Promise<void> = Promise.resolve()
      .then(() => this.job())
      .finally(() => {
        if (this.running === run) {
          this.running = undefined;
        }
      });
    this.running = run;
    return run;
  }
}
