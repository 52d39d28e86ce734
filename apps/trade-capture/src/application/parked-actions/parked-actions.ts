import type { EntityManager } from 'typeorm';
import type { TradeAction } from '@postrade/contracts';
import type { ParkedInput, ParkedPosition, ParkingLot } from '@postrade/messaging';
import type { TradeAcknowledgements } from '../report-trade/trade-acknowledgements';

/** The kinds an action waiting for its trade's NEW is parked as (its action). */
export const PARKED_ACTION_KINDS: readonly TradeAction[] = ['AMEND', 'CANCEL'];

/** What a parked action keeps: who it is, the reported payload (re-read when the NEW arrives) and its content hash. */
export interface ParkedActionPayload {
  sourceSystem: string;
  sourceTradeId: string;
  version: number;
  action: TradeAction;
  /** The reported payload as received. */
  reported: Record<string, unknown>;
  contentHash: string;
}

export type ParkedAction = ParkedInput<ParkedActionPayload>;

/** What a parked action waits for: its trade's NEW, by upstream keys. */
export const awaitedNew = (sourceSystem: string, sourceTradeId: string): string => `${sourceSystem}/${sourceTradeId}`;

/** Its identity in the parking lot: one parked action per upstream trade and version. */
export const parkedActionKey = (sourceSystem: string, sourceTradeId: string, version: number): string => `${sourceSystem}/${sourceTradeId}/${version}`;

/** A parked action as `GET /api/v1/parked-actions` lists it. */
export interface ParkedActionView {
  sourceSystem: string;
  sourceTradeId: string;
  version: number;
  action: string;
  reason: string;
  messageId: string | null;
  parkedAt: string;
  expiresAt: string;
  /** Seconds since it was parked. */
  ageSeconds: number;
}

/**
 * Actions waiting for their trade's NEW, in the service's parking lot: what operations see
 * (`GET /api/v1/parked-actions`, the same rows as `GET /api/v1/parked`), and what their expiry
 * adds. An action whose NEW has not come within TRADE_CAPTURE_PARKED_EXPIRY is dead-lettered by
 * the parking lot's sweep (`dead_letters` and `trade-capture.dlq.v1`, the original message, the
 * reason in `dlq_error`); in the same transaction its sender gets a REJECTED acknowledgement with
 * the reason.
 */
export class ParkedActions {
  constructor(
    private readonly reads: EntityManager,
    private readonly parking: ParkingLot,
    private readonly acknowledgements: TradeAcknowledgements,
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const kind of PARKED_ACTION_KINDS) parking.onExpiry(kind, (em, parked, reason) => this.rejectExpired(em, parked as ParkedAction, reason));
  }

  async list(page: { after?: ParkedPosition; limit: number }): Promise<(ParkedActionView & { id: string })[]> {
    const rows = await this.parking.list<ParkedActionPayload>(this.reads, { kind: PARKED_ACTION_KINDS, after: page.after, limit: page.limit });
    const now = this.now().getTime();
    return rows.map((parked) => ({
      id: parked.id,
      sourceSystem: parked.payload.sourceSystem,
      sourceTradeId: parked.payload.sourceTradeId,
      version: parked.payload.version,
      action: parked.payload.action,
      reason: parked.reason,
      messageId: parked.eventId,
      parkedAt: parked.parkedAt,
      expiresAt: parked.expiresAt,
      ageSeconds: Math.max(0, Math.floor((now - Date.parse(parked.parkedAt)) / 1000)),
    }));
  }

  private async rejectExpired(em: EntityManager, parked: ParkedAction, reason: string): Promise<void> {
    const { sourceSystem, sourceTradeId, version, action } = parked.payload;
    await this.acknowledgements.acknowledge(em, { messageId: parked.eventId ?? '', sourceSystem, sourceTradeId, version, action }, 'REJECTED', null, [
      { field: 'version', message: reason },
    ]);
  }
}
