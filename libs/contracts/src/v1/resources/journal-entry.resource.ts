/** One leg of a journal entry; debit and credit are decimal strings, one of them "0". */
export interface Posting {
  account: string;
  /** A currency code or an ISIN: each asset is its own balanced ledger. */
  asset: string;
  debit: string;
  credit: string;
}

/** `postrade.ledger.entry-posted.v1` on `ledger.events.v1`; items of `GET /api/v1/journal`. */
export interface JournalEntryResource {
  entryId: string;
  /** The `ce_id` of the event that caused the entry. */
  eventId: string;
  /** Null only for an entry no single trade caused, e.g. a penalty on a net instruction. */
  tradeId: string | null;
  effectiveDate: string;
  postedAt: string;
  postings: Posting[];
  /**
   * The hash chain the entry belongs to: the partition whose batch booked it (`<topic>:<partition>`),
   * or `main` for entries booked while the journal had one chain.
   */
  chain: string;
  hash: string;
  /** Null for the first entry of its chain. */
  previousHash: string | null;
}
