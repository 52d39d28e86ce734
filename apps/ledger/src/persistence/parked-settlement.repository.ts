import type { EntityManager } from 'typeorm';
import type { RawMessage } from '@postrade/messaging';

export interface ParkedSettlement {
  eventId: string;
  eventType: string;
  instructionId: string;
  waitingFor: string[];
  /** The message as it arrived: re-read when its trades arrive, dead-lettered when it expires. */
  message: RawMessage;
  /** Set when the settlement could not be booked once its trades arrived: it leaves at the next expiry sweep with this reason. */
  rejection: string | null;
  parkedAt: string;
  expiresAt: string;
}

interface Row {
  event_id: string;
  event_type: string;
  instruction_id: string;
  waiting_for: string[];
  message: RawMessage;
  rejection: string | null;
  parked_at: Date;
  expires_at: Date;
}

const toParked = (r: Row): ParkedSettlement => ({
  eventId: r.event_id,
  eventType: r.event_type,
  instructionId: r.instruction_id,
  waitingFor: r.waiting_for,
  message: r.message,
  rejection: r.rejection,
  parkedAt: r.parked_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
});

/** Settlements that arrived before the trades they settle: visibly waiting, with an expiry. */
export class ParkedSettlementRepository {
  /** Parks settlements; one taken out to be re-evaluated comes back as a new row (no update: the runtime role may only insert and delete here). */
  async park(em: EntityManager, parked: ParkedSettlement[]): Promise<void> {
    if (parked.length === 0) return;
    await em.query(
      `insert into parked_settlements (event_id, event_type, instruction_id, waiting_for, message, rejection, parked_at, expires_at)
       select e.event_id, e.event_type, e.instruction_id, array(select jsonb_array_elements_text(e.waiting_for)::uuid), e.message, e.rejection, e.parked_at, e.expires_at
         from jsonb_to_recordset($1::jsonb) as e(event_id uuid, event_type text, instruction_id text, waiting_for jsonb, message jsonb, rejection text, parked_at timestamptz, expires_at timestamptz)`,
      [JSON.stringify(parked.map((p) => ({ event_id: p.eventId, event_type: p.eventType, instruction_id: p.instructionId, waiting_for: p.waitingFor, message: p.message, rejection: p.rejection, parked_at: p.parkedAt, expires_at: p.expiresAt })))],
    );
  }

  /** Which of these events are parked already, with what each waits for. */
  async waitingAmong(em: EntityManager, eventIds: string[]): Promise<Map<string, string[]>> {
    if (eventIds.length === 0) return new Map();
    const rows: { event_id: string; waiting_for: string[] }[] = await em.query('select event_id, waiting_for from parked_settlements where event_id = any($1::uuid[])', [eventIds]);
    return new Map(rows.map((r) => [r.event_id, r.waiting_for]));
  }

  /** Takes (deletes and returns) the parked settlements waiting for any of these trades. */
  async takeWaitingFor(em: EntityManager, tradeIds: string[]): Promise<ParkedSettlement[]> {
    if (tradeIds.length === 0) return [];
    // A select around the delete: TypeORM hands back plain rows for a select.
    const rows: Row[] = await em.query('with taken as (delete from parked_settlements where waiting_for && $1::uuid[] returning *) select * from taken', [tradeIds]);
    return rows.map(toParked).sort((a, b) => (a.parkedAt < b.parkedAt ? -1 : 1));
  }

  /** Takes (deletes and returns) settlements past their expiry; of two concurrent sweeps, only one deletes (and so returns) a row. */
  async takeExpired(em: EntityManager, now: Date, limit: number): Promise<ParkedSettlement[]> {
    const rows: Row[] = await em.query(
      `with taken as (
         delete from parked_settlements
          where event_id in (select event_id from parked_settlements where expires_at <= $1 order by expires_at limit $2)
         returning *)
       select * from taken`,
      [now.toISOString(), limit],
    );
    return rows.map(toParked);
  }

  async list(em: EntityManager, after: { parkedAt: string; eventId: string } | undefined, limit: number): Promise<ParkedSettlement[]> {
    const rows: Row[] = await em.query(
      `select * from parked_settlements
        where ($1::timestamptz is null or (parked_at, event_id) > ($1::timestamptz, $2::uuid))
        order by parked_at, event_id limit $3`,
      [after?.parkedAt ?? null, after?.eventId ?? null, limit],
    );
    return rows.map(toParked);
  }
}
