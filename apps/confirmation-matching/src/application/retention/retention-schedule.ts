import { createLogger } from '@postrade/platform';
import type { MatchingRetention } from './matching-retention';

const log = createLogger('matching-retention');

/** Runs the retention rule now and then every `intervalMs`, in the background, until stopped. */
export class RetentionSchedule {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly retention: MatchingRetention,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    const run = () =>
      this.retention
        .prune()
        .then((pruned) => (pruned.trades + pruned.confirmations > 0 ? log.info({ ...pruned, horizonDays: this.retention.horizonDays }, 'pruned matching items past retention') : undefined))
        .catch((err: unknown) => log.warn({ err }, 'matching retention failed; retrying at the next interval'));
    this.timer = setInterval(run, this.intervalMs);
    this.timer.unref();
    void run();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
