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
 * What a run of settlements leaves unsettled on their trades, in the run's order: each lowers its
 * open trades' unsettled amounts trade by trade in id order (the order of `open`) by the amount it
 * settled, or to zero when it settled in full; a trade with nothing left is closed and takes no
 * more. `open` holds the open trades' unsettled amounts in id order; returns the changed ones.
 */
export function unsettledAfter(
  open: ReadonlyMap<string, Decimal>,
  settlements: readonly Pick<SettlementRecorded, 'tradeIds' | 'settledAmount' | 'settledInFull'>[],
): Map<string, Decimal> {
  const left = new Map(open);
  const changed = new Map<string, Decimal>();
  for (const settlement of settlements) {
    const named = new Set(settlement.tradeIds);
    let remaining = settlement.settledAmount.abs();
    for (const [tradeId, unsettled] of left) {
      if (!named.has(tradeId)) continue;
      const settled = settlement.settledInFull ? unsettled : Decimal.min(unsettled, remaining);
      remaining = remaining.minus(settled);
      const after = unsettled.minus(settled);
      changed.set(tradeId, after);
      if (after.isZero()) left.delete(tradeId);
      else left.set(tradeId, after);
    }
  }
  return changed;
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
    const [outcome] = await this.executeAll(em, [settlement], parked);
    return outcome;
  }

  /**
   * Applies a run of settlements in their order with two statements whatever its length: their
   * trades locked and read in id order (as a batch of trade events locks them), the amounts worked
   * out in memory, and the changed trades written at once. A settlement naming a trade not
   * screened yet waits in the parking lot.
   */
  async executeAll(em: EntityManager, settlements: readonly SettlementRecorded[], parked?: ParkedInput<ParkedSettlementPayload>): Promise<('applied' | 'parked')[]> {
    const stored = await this.trades.lockMany(em, settlements.flatMap((s) => s.tradeIds));
    const outcomes: ('applied' | 'parked')[] = [];
    const ready: SettlementRecorded[] = [];
    for (const settlement of settlements) {
      const missing = settlement.tradeIds.filter((id) => !stored.has(id)).map((id) => id.toLowerCase());
      if (missing.length === 0) {
        ready.push(settlement);
        outcomes.push('applied');
        continue;
      }
      await this.park(em, settlement, missing, parked);
      outcomes.push('parked');
    }
    const open = new Map([...stored].filter(([, trade]) => !trade.closed).map(([id, trade]) => [id, trade.unsettled]));
    await this.trades.saveUnsettled(em, unsettledAfter(open, ready));
    return outcomes;
  }

  private async park(em: EntityManager, settlement: SettlementRecorded, missing: string[], parked?: ParkedInput<ParkedSettlementPayload>): Promise<void> {
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
