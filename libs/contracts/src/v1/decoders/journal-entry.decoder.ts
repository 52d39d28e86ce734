import { PayloadFields } from '../payload-fields';
import { decimalText } from './fields';

export interface PostingView {
  account: string;
  asset: string;
  debit: string;
  credit: string;
}

/** What consumers (reconciliation's own books) read of `postrade.ledger.entry-posted.v1`. */
export interface JournalEntryView {
  /** Lower-cased UUID. */
  entryId: string;
  /** Null for an entry no single trade caused. */
  tradeId: string | null;
  effectiveDate: string;
  postings: PostingView[];
}

export function decodeJournalEntry(data: unknown): JournalEntryView {
  const e = PayloadFields.of(data);
  return {
    entryId: e.uuid('entryId'),
    tradeId: e.optionalUuid('tradeId'),
    effectiveDate: e.date('effectiveDate'),
    postings: e.objects('postings').map((p) => ({ account: p.text('account'), asset: p.text('asset'), debit: decimalText(p, 'debit'), credit: decimalText(p, 'credit') })),
  };
}
