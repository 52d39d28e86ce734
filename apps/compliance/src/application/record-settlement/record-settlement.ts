import type { EntityManager } from 'typeorm';
import type { Decimal } from '@postrade/kernel';
import type { ScreenedTradeRepository } from '../../persistence/screened-trade.repository';

/** A (partial) settlement of an instruction, as it lowers its trades' exposure. */
export interface SettlementRecorded {
  /** The settlement event's id: a parked settlement waits under it. */
  eventId: string;
  tradeIds: string[];
  /** Settled by this event, not in total. */
  settledAmount: Decimal;
  /** SETTLED settles the remainder, whatever the amount says. */
  settledInFull: boolean;
}

/**
 * Settled amounts no longer count towards counterparty exposure; a fully settled trade closes.
 * A settlement naming a trade compliance has not screened yet (topics are not ordered with each
 * other) is parked until the trade arrives, then applied.
 */
export class RecordSettlement {
  constructor(private readonly trades: ScreenedTradeRepository) {}

  async execute(em: EntityManager, settlement: SettlementRecorded): Promise<'applied' | 'parked'> {
    const known = await this.trades.knownTradeIds(em, settlement.tradeIds);
    if (settlement.tradeIds.some((id) => !known.has(id))) {
      await this.trades.parkSettlement(em, settlement.eventId, settlement);
      return 'parked';
    }
    await this.trades.settle(em, settlement.tradeIds, settlement.settledAmount, settlement.settledInFull);
    return 'applied';
  }

  /** Applies the settlements that waited for these trades (and re-parks those still waiting for another). */
  async releaseParked(em: EntityManager, tradeIds: readonly string[]): Promise<void> {
    if (tradeIds.length === 0) return;
    for (const parked of await this.trades.unparkSettlements(em, tradeIds)) await this.execute(em, parked);
  }
}
