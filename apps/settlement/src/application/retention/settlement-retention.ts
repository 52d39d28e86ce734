import type { TransactionRunner } from '@postrade/persistence';
import type { ReferenceRepository } from '../../persistence/reference.repository';
import type { StatusUpdateRepository } from '../../persistence/status-update.repository';
import type { TradeGateRepository } from '../../persistence/trade-gate.repository';

export interface RetentionHorizons {
  /** Applied status update ids are kept this long for replay detection (default 400 days). */
  statusUpdateDays: number;
  /** Expired parked updates stay visible this long after expiry (default 30 days). */
  expiredParkedDays: number;
  /** Gate state of trades settled in full or cancelled is dropped after this long (default 90 days). */
  finishedTradeDays: number;
  /** Reference prices of days older than this are deleted (default 400 days). */
  referencePriceDays: number;
}

export const DEFAULT_RETENTION: RetentionHorizons = { statusUpdateDays: 400, expiredParkedDays: 30, finishedTradeDays: 90, referencePriceDays: 400 };

const DAY_MS = 86_400_000;

/**
 * The retention rules of the tables that only grow: parked updates expire (and later go), applied
 * update ids and finished trades' gate state are deleted past their horizon. Instructions, their
 * history, fail days and penalties are the settlement record and are kept; reference prices go
 * once no close will need them.
 */
export class SettlementRetention {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly statusUpdates: StatusUpdateRepository,
    private readonly trades: TradeGateRepository,
    private readonly reference: ReferenceRepository,
    private readonly horizons: RetentionHorizons = DEFAULT_RETENTION,
  ) {}

  async run(now: Date = new Date()): Promise<{ expired: number; deleted: number }> {
    const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
    return this.transactions.run(async (em) => {
      const expired = await this.statusUpdates.expire(em, now);
      const deleted =
        (await this.statusUpdates.deleteExpiredBefore(em, ago(this.horizons.expiredParkedDays))) +
        (await this.statusUpdates.deleteAppliedBefore(em, ago(this.horizons.statusUpdateDays))) +
        (await this.trades.deleteFinishedBefore(em, ago(this.horizons.finishedTradeDays))) +
        (await this.reference.deletePricesBefore(em, ago(this.horizons.referencePriceDays).toISOString().slice(0, 10)));
      return { expired, deleted };
    });
  }
}
