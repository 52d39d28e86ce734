import type { TransactionRunner } from '@postrade/persistence';
import { createLogger } from '@postrade/platform';
import type { ScreenedTradeRepository } from '../../persistence/screened-trade.repository';

const log = createLogger('compliance-retention');
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Scheduled deletes of what compliance no longer needs: the screening copy of trades closed
 * (cancelled or settled) more than the retention horizon ago, and settlements parked that long
 * for trades that never arrived. Decisions, alerts, release requests and the audit trail are kept
 * (see README "Retention"). Runs hourly; Nest calls the lifecycle hooks.
 */
export class ComplianceRetention {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly trades: ScreenedTradeRepository,
    private readonly horizonDays: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async runOnce(): Promise<{ closedTrades: number; parkedSettlements: number }> {
    const horizon = new Date(this.now().getTime() - this.horizonDays * DAY_MS);
    return this.tx.run(async (em) => {
      const closedTrades = await this.trades.deleteClosedBefore(em, horizon);
      const parkedSettlements = await this.trades.deleteParkedBefore(em, horizon);
      if (parkedSettlements > 0) log.warn({ parkedSettlements, horizon }, 'expired settlements whose trades never arrived');
      return { closedTrades, parkedSettlements };
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.runOnce().catch((error: unknown) => log.error({ err: error }, 'retention run failed; next run in an hour'));
    }, HOUR_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
