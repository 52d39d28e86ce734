import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@postrade/platform';
import { SettlementRetention } from './settlement-retention';

/** Runs the retention rules every `SETTLEMENT_RETENTION_INTERVAL_MS` (default one hour). */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(retention: SettlementRetention) {
    this.task = new PeriodicTask('settlement retention', Number(process.env.SETTLEMENT_RETENTION_INTERVAL_MS ?? 3_600_000), () => retention.run());
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }
}
