import { LocalDate } from '@postrade/kernel';
import type { TransactionRunner } from '@postrade/persistence';
import type { ConfirmationRepository } from '../../persistence/confirmation.repository';
import type { TradeRepository } from '../../persistence/trade.repository';

/**
 * Retention: trades and confirmations (with their breaks and unmatch decisions) leave once their
 * trade date is more than `horizonDays` old. A pairing key includes the trade date, so a whole key
 * leaves at once and nothing still open is matched against a half-deleted key.
 */
export class MatchingRetention {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly trades: TradeRepository,
    private readonly confirmations: ConfirmationRepository,
    readonly horizonDays: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async prune(): Promise<{ trades: number; confirmations: number }> {
    const before = LocalDate.addDays(LocalDate.todayUtc(this.now()), -this.horizonDays);
    return this.transactions.run(async (em) => ({
      trades: await this.trades.deleteTradedBefore(em, before),
      confirmations: await this.confirmations.deleteTradedBefore(em, before),
    }));
  }
}
