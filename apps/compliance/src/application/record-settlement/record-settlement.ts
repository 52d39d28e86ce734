import type { EntityManager } from 'typeorm';
import { Decimal } from '@postrade/kernel';
import type { ParkedInput, ParkingLot, RawMessage } from '@postrade/messaging';
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
  eventType?: string | null;
  /** The message as consumed: kept while the settlement waits, dead-lettered if it expires. */
  message?: RawMessage | null;
}

/** The kind of a settlement waiting in the parking lot for trades compliance has not screened yet. */
export const PARKED_SETTLEMENT = 'SETTLEMENT';

/** What a parked settlement keeps to be applied later (amounts as decimal strings). */
export interface ParkedSettlementPayload {
  tradeIds: string[];
  settledAmount: string;
  settledInFull: boolean;
}

/**
 * Settled amounts no longer count towards counterparty exposure; a fully settled trade closes.
 * A settlement naming a trade compliance has not screened yet (topics are not ordered with each
 * other) is parked (the shared parking lot, `GET /api/v1/parked`) until the trade arrives, then
 * applied; one whose trade never comes goes to the dead letters with the reason after
 * COMPLIANCE_PARKED_EXPIRY.
 */
export class RecordSettlement {
  constructor(
    private readonly trades: ScreenedTradeRepository,
    private readonly parking: ParkingLot,
    private readonly parkedExpiryMs: number,
  ) {}

  /** `parked`: the settlement comes out of the parking lot (its parking time and expiry are kept if it must wait again). */
  async execute(em: EntityManager, settlement: SettlementRecorded, parked?: ParkedInput<ParkedSettlementPayload>): Promise<'applied' | 'parked'> {
    const known = await this.trades.knownTradeIds(em, settlement.tradeIds);
    const missing = settlement.tradeIds.filter((id) => !known.has(id)).map((id) => id.toLowerCase());
    if (missing.length > 0) {
      await this.parking.park(em, [
        {
          kind: PARKED_SETTLEMENT,
          inputKey: settlement.eventId,
          waitingFor: missing,
          reason: `waiting for trade ${missing.join(', ')}`,
          payload: { tradeIds: settlement.tradeIds, settledAmount: settlement.settledAmount.toFixed(), settledInFull: settlement.settledInFull },
          message: settlement.message ?? null,
          eventId: settlement.eventId,
          eventType: settlement.eventType ?? null,
          ...(parked ? { parkedAt: parked.parkedAt, expiresAt: parked.expiresAt, topic: parked.topic } : { expiresInMs: this.parkedExpiryMs }),
        },
      ]);
      return 'parked';
    }
    await this.trades.settle(em, settlement.tradeIds, settlement.settledAmount, settlement.settledInFull);
    return 'applied';
  }

  /** Applies the settlements that waited for these trades (and parks again those still waiting for another). */
  async releaseParked(em: EntityManager, tradeIds: readonly string[]): Promise<void> {
    if (tradeIds.length === 0) return;
    const taken = await this.parking.takeFor<ParkedSettlementPayload>(em, tradeIds.map((id) => id.toLowerCase()), [PARKED_SETTLEMENT]);
    for (const parked of taken) {
      const { tradeIds: settles, settledAmount, settledInFull } = parked.payload;
      await this.execute(
        em,
        { eventId: parked.inputKey, tradeIds: settles, settledAmount: new Decimal(settledAmount), settledInFull, eventType: parked.eventType, message: parked.message },
        parked,
      );
    }
  }
}
