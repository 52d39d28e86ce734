import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask, readEnv } from '@postrade/platform';
import { SettlementRetention } from './settlement-retention';

/** Runs the retention rules every `SETTLEMENT_RETENTION_INTERVAL_MS` (default one hour). */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(retention: SettlementRetention) {
    const intervalMs = readEnv(process.env, (env) => env.integer('SETTLEMENT_RETENTION_INTERVAL_MS', { default: 3_600_000, min: 1 }));
    this.task = new PeriodicTask('settlement retention', intervalMs, () => retention.run());
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }
}
