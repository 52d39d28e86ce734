import type { EntityManager } from 'typeorm';
import type { TradeAction } from '@postrade/contracts';
import type { RawMessage } from '@postrade/messaging';

/** A lifecycle action that arrived before its trade's NEW, as it waits. */
export interface ParkedAction {
  sourceSystem: string;
  sourceTradeId: string;
  version: number;
  action: TradeAction;
  /** The reported payload as received, replayed when the NEW arrives. */
  payload: Record<string, unknown>;
  contentHash: string;
  /** ce_id of the message that was parked. */
  eventId: string | null;
  /** Kafka key of that message. */
  messageKey: string | null;
  /** The message as it was consumed, dead-lettered verbatim if the action expires or is rejected on release. */
  message: RawMessage | null;
  parkedAt: string;
  expiresAt: string;
}

interface Row {
  source_system: string;
  source_trade_id: string;
  version: number;
  action: TradeAction;
  payload: Record<string, unknown>;
  content_hash: string;
  event_id: string | null;
  message_key: string | null;
  message: RawMessage | null;
  parked_at: Date;
  expires_at: Date;
}

const toParked = (r: Row): ParkedAction => ({
  sourceSystem: r.source_system,
  sourceTradeId: r.source_trade_id,
  version: r.version,
  action: r.action,
  payload: r.payload,
  contentHash: r.content_hash,
  eventId: r.event_id,
  messageKey: r.message_key,
  message: r.message,
  parkedAt: r.parked_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
});

/** `parked_trade_actions`: inserted when an action waits, deleted when released or expired. */
export class ParkedActionRepository {
  async park(em: EntityManager, parked: Omit<ParkedAction, 'parkedAt' | 'expiresAt'>, timeoutMs: number): Promise<void> {
    // No "on conflict do nothing": the caller looked the version up under the trade's lock, so a
    // duplicate key here is a bug to surface, not an input to drop.
    await em.query(
      `insert into parked_trade_actions (source_system, source_trade_id, version, action, payload, content_hash, event_id, message_key, message, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + ($10::int * interval '1 millisecond'))`,
      [
        parked.sourceSystem, parked.sourceTradeId, parked.version, parked.action, JSON.stringify(parked.payload), parked.contentHash,
        parked.eventId, parked.messageKey, parked.message === null ? null : JSON.stringify(parked.message), timeoutMs,
      ],
    );
  }

  async at(em: EntityManager, sourceSystem: string, sourceTradeId: string, version: number): Promise<ParkedAction | null> {
    const rows: Row[] = await em.query(
      'select * from parked_trade_actions where source_system = $1 and source_trade_id = $2 and version = $3',
      [sourceSystem, sourceTradeId, version],
    );
    return rows[0] ? toParked(rows[0]) : null;
  }

  /** Removes and returns every action parked for the trade, in version order. */
  async releaseAll(em: EntityManager, sourceSystem: string, sourceTradeId: string): Promise<ParkedAction[]> {
    const rows: Row[] = await em.query(
      // Wrapped in a select: TypeORM answers a bare DELETE with [rows, count] rather than the rows.
      `with released as (
         delete from parked_trade_actions where source_system = $1 and source_trade_id = $2 returning *)
       select * from released order by version`,
      [sourceSystem, sourceTradeId],
    );
    return rows.map(toParked);
  }

  /**
   * Removes and returns up to `limit` actions whose wait is over. No row lock is taken first (the
   * runtime role may not UPDATE this table): an instance expiring the same rows concurrently waits
   * on the first delete and then finds them gone, so each is rejected once.
   */
  async takeExpired(em: EntityManager, limit: number): Promise<ParkedAction[]> {
    const rows: Row[] = await em.query(
      `with expired as (
         delete from parked_trade_actions where ctid in (
           select ctid from parked_trade_actions where expires_at <= now() order by expires_at limit $1)
         returning *)
       select * from expired order by expires_at`,
      [limit],
    );
    return rows.map(toParked);
  }

  async list(em: EntityManager, page: { after?: [string, string, string, number]; limit: number }): Promise<ParkedAction[]> {
    const [parkedAt, system, tradeId, version] = page.after ?? ['-infinity', '', '', 0];
    const rows: Row[] = await em.query(
      `select * from parked_trade_actions
       where (parked_at, source_system, source_trade_id, version) > ($1::timestamptz, $2, $3, $4)
       order by parked_at, source_system, source_trade_id, version limit $5`,
      [parkedAt, system, tradeId, version, page.limit],
    );
    return rows.map(toParked);
  }
}
