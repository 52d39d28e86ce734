import type { EntityManager } from 'typeorm';
import { Decimal } from '@postrade/kernel';
import type { PenaltyAccrualDraft } from '../domain/bookkeeper';
import type { AccruedPenalty } from '../domain/penalty-collection';

export interface PenaltyCollectionRow {
  collection_id: string;
  csd: string;
  month: string;
  currency: string;
  direction: 'PAY' | 'RECEIVE';
  amount: string;
  effective_date: string;
  penalties: number;
  recorded_by: string;
  recorded_at: Date;
}

export interface NewPenaltyCollection {
  collectionId: string;
  csd: string;
  month: string;
  currency: string;
  direction: 'PAY' | 'RECEIVE';
  amount: string;
  effectiveDate: string;
  penaltyIds: string[];
  recordedBy: string;
}

/**
 * Assessed penalties and the CSDs' monthly collections, all append-only: a penalty is collected by
 * the collection item that names it (its primary key: a penalty is collected once), never by
 * changing its row.
 */
export class PenaltyRepository {
  /** One statement for the batch. A penalty id booked a second time (under another event) fails the batch: settlement assesses each once. */
  async accrue(em: EntityManager, penalties: PenaltyAccrualDraft[]): Promise<void> {
    if (penalties.length === 0) return;
    await em.query(
      `insert into penalty_accruals (penalty_id, event_id, instruction_id, csd, month, counterparty_lei, currency, direction, amount, penalty_date)
       select * from json_to_recordset($1::json) as p(
         penalty_id text, event_id uuid, instruction_id text, csd text, month text, counterparty_lei text, currency text, direction text,
         amount numeric, penalty_date date)`,
      [
        JSON.stringify(
          penalties.map((p) => ({
            penalty_id: p.penaltyId,
            event_id: p.eventId,
            instruction_id: p.instructionId,
            csd: p.csd,
            month: p.month,
            counterparty_lei: p.counterpartyLei,
            currency: p.currency,
            direction: p.direction,
            amount: p.amount.toFixed(),
            penalty_date: p.date,
          })),
        ),
      ],
    );
  }

  /** The penalties of a CSD, month and currency not collected yet, in id order. */
  async uncollected(em: EntityManager, q: { csd: string; month: string; currency: string }): Promise<AccruedPenalty[]> {
    const rows: { penalty_id: string; counterparty_lei: string; direction: 'PAY' | 'RECEIVE'; amount: string; currency: string }[] = await em.query(
      `select a.penalty_id, a.counterparty_lei, a.direction, a.amount::text as amount, a.currency
         from penalty_accruals a
        where a.csd = $1 and a.month = $2 and a.currency = $3
          and not exists (select 1 from penalty_collection_items i where i.penalty_id = a.penalty_id)
        order by a.penalty_id`,
      [q.csd, q.month, q.currency],
    );
    return rows.map((r) => ({ penaltyId: r.penalty_id, counterpartyLei: r.counterparty_lei, direction: r.direction, amount: new Decimal(r.amount), currency: r.currency }));
  }

  async recordCollection(em: EntityManager, c: NewPenaltyCollection): Promise<void> {
    await em.query(
      `insert into penalty_collections (collection_id, csd, month, currency, direction, amount, effective_date, penalties, recorded_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [c.collectionId, c.csd, c.month, c.currency, c.direction, c.amount, c.effectiveDate, c.penaltyIds.length, c.recordedBy],
    );
    await em.query(`insert into penalty_collection_items (penalty_id, collection_id) select unnest($1::text[]), $2`, [c.penaltyIds, c.collectionId]);
  }

  async collections(em: EntityManager, q: { csd?: string; month?: string; afterId?: string; limit: number }): Promise<PenaltyCollectionRow[]> {
    return em.query(
      `select collection_id, csd, month, currency, direction, amount::text as amount, effective_date::text as effective_date, penalties, recorded_by, recorded_at
         from penalty_collections
        where ($1::text is null or csd = $1) and ($2::text is null or month = $2) and ($3::uuid is null or collection_id > $3)
        order by collection_id
        limit $4`,
      [q.csd ?? null, q.month ?? null, q.afterId ?? null, q.limit],
    );
  }
}
