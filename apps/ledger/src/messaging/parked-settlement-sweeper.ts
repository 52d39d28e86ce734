import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createLogger } from '@postrade/platform';
import { ExpireParkedSettlements } from '../application/expire-parked/expire-parked-settlements';

const log = createLogger('ledger');

/** Runs the parked-settlement expiry sweep every LEDGER_PARKED_SWEEP_SECONDS (default 60). */
@Injectable()
export class ParkedSettlementSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(@Inject(ExpireParkedSettlements) private readonly expiry: ExpireParkedSettlements) {}

  onApplicationBootstrap(): void {
    const seconds = Number(process.env.LEDGER_PARKED_SWEEP_SECONDS ?? 60);
    this.timer = setInterval(() => {
      this.expiry.sweep().catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'parked settlement sweep failed'));
    }, seconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

