import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask, readEnv } from '@postrade/platform';
import { ExpireParkedSettlements } from '../application/expire-parked/expire-parked-settlements';

/** Runs the parked-settlement expiry sweep every LEDGER_PARKED_SWEEP_SECONDS (default 60). */
@Injectable()
export class ParkedSettlementSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(@Inject(ExpireParkedSettlements) expiry: ExpireParkedSettlements) {
    const seconds = readEnv(process.env, (env) => env.integer('LEDGER_PARKED_SWEEP_SECONDS', { default: 60, min: 1 }));
    this.task = new PeriodicTask('parked settlement expiry', seconds * 1000, () => expiry.sweep());
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }
}
