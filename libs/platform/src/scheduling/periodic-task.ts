import { createLogger } from '../logging/logger';

const log = createLogger('periodic-task');

/**
 * A housekeeping job run every `everyMs` (retention sweeps, expiry of parked items): one run at a
 * time (a tick that finds the last run still going is skipped), a failed run is logged and tried
 * again at the next tick, and the timer never keeps the process alive. `stop` waits for a run in
 * progress to finish.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly everyMs: number,
    private readonly run: () => Promise<unknown>,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.run()
        .then(() => undefined)
        .catch((err: unknown) => log.warn({ task: this.name, err: err instanceof Error ? err.message : String(err) }, 'periodic task failed; next time'))
        .finally(() => (this.running = undefined));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
