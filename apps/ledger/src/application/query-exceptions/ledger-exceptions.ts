import type { DataSource } from 'typeorm';
import { Decimal, minorUnits, toDecimalString } from '@postrade/kernel';
import type { LedgerExceptionKind } from '../../domain/bookkeeper';
import type { LedgerExceptionRepository } from '../../persistence/ledger-exception.repository';

/** `GET /api/v1/exceptions`: what the ledger raised for operations. */
export interface LedgerException {
  exceptionId: string;
  kind: LedgerExceptionKind;
  tradeId: string;
  instructionId: string | null;
  book: string;
  isin: string;
  currency: string;
  /** What stays settled (SETTLED_BEFORE_CANCELLATION: in total; SETTLED_AFTER_CANCELLATION: by that settlement). */
  quantity: string;
  amount: string;
  effectiveDate: string;
  /** The event that raised it. */
  eventId: string;
  detail: string;
  raisedAt: string;
}

export interface ListedLedgerException {
  sequence: number;
  exception: LedgerException;
}

export class LedgerExceptions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly exceptions: LedgerExceptionRepository,
  ) {}

  async list(q: { tradeId?: string; kind?: LedgerExceptionKind; afterSequence?: number; limit: number }): Promise<ListedLedgerException[]> {
    const rows = await this.exceptions.list(this.dataSource.manager, q);
    return rows.map((r) => ({
      sequence: Number(r.sequence),
      exception: {
        exceptionId: r.exception_id,
        kind: r.kind,
        tradeId: r.trade_id,
        instructionId: r.instruction_id,
        book: r.book,
        isin: r.isin,
        currency: r.currency,
        quantity: toDecimalString(new Decimal(r.quantity)),
        amount: toDecimalString(new Decimal(r.amount), minorUnits(r.currency)),
        effectiveDate: r.effective_date,
        eventId: r.event_id,
        detail: r.detail,
        raisedAt: r.raised_at.toISOString(),
      },
    }));
  }
}
