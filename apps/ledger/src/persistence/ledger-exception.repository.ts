import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { LedgerExceptionDraft, LedgerExceptionKind } from '../domain/bookkeeper';

export interface LedgerExceptionRow {
  exception_id: string;
  sequence: string;
  event_id: string;
  kind: LedgerExceptionKind;
  trade_id: string;
  instruction_id: string | null;
  book: string;
  isin: string;
  currency: string;
  quantity: string;
  amount: string;
  effective_date: string;
  detail: string;
  raised_at: Date;
}

/** What the ledger raised for operations (append-only: an exception is never changed or removed by the service). */
export class LedgerExceptionRepository {
  /** One statement for the batch; an exception already raised by the same event is kept as it is. */
  async raise(em: EntityManager, exceptions: LedgerExceptionDraft[]): Promise<void> {
    if (exceptions.length === 0) return;
    await em.query(
      `insert into ledger_exceptions (exception_id, event_id, kind, trade_id, instruction_id, book, isin, currency, quantity, amount, effective_date, detail)
       select * from json_to_recordset($1::json) as x(
         exception_id uuid, event_id uuid, kind text, trade_id uuid, instruction_id text, book text, isin text, currency text,
         quantity numeric, amount numeric, effective_date date, detail text)
       on conflict (event_id, kind, trade_id) do nothing`,
      [
        JSON.stringify(
          exceptions.map((x) => ({
            exception_id: randomUUID(),
            event_id: x.eventId,
            kind: x.kind,
            trade_id: x.tradeId,
            instruction_id: x.instructionId,
            book: x.book,
            isin: x.isin,
            currency: x.currency,
            quantity: x.quantity.toFixed(),
            amount: x.amount.toFixed(),
            effective_date: x.effectiveDate,
            detail: x.detail,
          })),
        ),
      ],
    );
  }

  async list(em: EntityManager, filter: { tradeId?: string; kind?: LedgerExceptionKind; afterSequence?: number; limit: number }): Promise<LedgerExceptionRow[]> {
    return em.query(
      `select exception_id, sequence, event_id, kind, trade_id, instruction_id, book, isin, currency, quantity::text as quantity, amount::text as amount,
              effective_date::text as effective_date, detail, raised_at
         from ledger_exceptions
        where ($1::uuid is null or trade_id = $1) and ($2::text is null or kind = $2) and ($3::bigint is null or sequence > $3)
        order by sequence
        limit $4`,
      [filter.tradeId ?? null, filter.kind ?? null, filter.afterSequence ?? null, filter.limit],
    );
  }
}
