import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createLogger } from '@postrade/platform';
import { SettlementRetention } from './settlement-retention';

const log = createLogger('settlement-retention');

/** Runs the retention rules every `SETTLEMENT_RETENTION_INTERVAL_MS` (default one hour). */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly retention: SettlementRetention) {}

  onApplicationBootstrap(): void {
    const every = Number(process.env.SETTLEMENT_RETENTION_INTERVAL_MS ?? 3_600_000);
    this.timer = setInterval(() => {
      this.retention.run().then(
        (result) => log.debug(result, 'retention ran'),
        (error: unknown) => log.warn({ err: error }, 'retention failed; it runs again at the next interval'),
      );
    }, every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
