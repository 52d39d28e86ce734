import { Decimal, sha256OfCanonicalJson, type Chained, type HashChainRule } from '@postrade/kernel';

/** What the hash of a journal entry covers: everything the entry says, postings in leg order. */
export interface EntryContent {
  entryId: string;
  eventId: string;
  eventPart: number;
  eventType: string;
  tradeId: string | null;
  instructionId: string | null;
  effectiveDate: string;
  /** ISO 8601 instant, UTC, millisecond precision. */
  postedAt: string;
  postings: { account: string; asset: string; amount: Decimal | string }[];
}

/** An entry as stored: its content and its place in its chain. */
export type JournalChainEntry = Chained<EntryContent, null>;

/**
 * sha256 over the entry's canonical content and its predecessor's hash, hex. Amounts are hashed by
 * value ("1000.00", "1000" and "1e3" alike). Changing any field of an entry, or removing or
 * reordering entries, breaks the chain from that entry on. The bytes hashed are those of the
 * journal's first release (a positional array, not an object), so entries stored then still verify.
 */
export function entryHash(entry: EntryContent, previousHash: string | null): string {
  return sha256OfCanonicalJson([
    previousHash,
    entry.entryId,
    entry.eventId,
    entry.eventPart,
    entry.eventType,
    entry.tradeId,
    entry.instructionId,
    entry.effectiveDate,
    entry.postedAt,
    entry.postings.map((p) => [p.account, p.asset, typeof p.amount === 'string' ? new Decimal(p.amount) : p.amount]),
  ]);
}

/** The journal's chains: a chain's first entry names no predecessor. */
export const journalChain: HashChainRule<EntryContent, null> = { genesis: null, hash: entryHash };
