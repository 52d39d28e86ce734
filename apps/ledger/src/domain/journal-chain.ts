import { createHash } from 'node:crypto';
import { Decimal } from '@postrade/kernel';

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

/** "1000.00", "1000" and "1e3" are the same amount: hash the value, not its spelling. */
function canonicalAmount(amount: Decimal | string): string {
  return (typeof amount === 'string' ? new Decimal(amount) : amount).toFixed();
}

/**
 * sha256 over the entry's canonical content and its predecessor's hash, hex. Changing any field
 * of an entry, or removing or reordering entries, breaks the chain from that entry on.
 */
export function entryHash(entry: EntryContent, previousHash: string | null): string {
  const canonical = JSON.stringify([
    previousHash,
    entry.entryId,
    entry.eventId,
    entry.eventPart,
    entry.eventType,
    entry.tradeId,
    entry.instructionId,
    entry.effectiveDate,
    entry.postedAt,
    entry.postings.map((p) => [p.account, p.asset, canonicalAmount(p.amount)]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface StoredChainEntry extends EntryContent {
  previousHash: string | null;
  hash: string;
}

/**
 * Recomputes a chain entry by entry, in chain order. The first entry that names the wrong
 * predecessor or whose content no longer yields its stored hash is the first bad one.
 */
export class ChainVerifier {
  private previousHash: string | null = null;
  checked = 0;
  firstBadEntryId: string | null = null;

  /** Returns false once a bad entry has been found (there is no need to read further). */
  check(entry: StoredChainEntry): boolean {
    if (this.firstBadEntryId !== null) return false;
    this.checked++;
    if (entry.previousHash !== this.previousHash || entryHash(entry, this.previousHash) !== entry.hash) {
      this.firstBadEntryId = entry.entryId;
      return false;
    }
    this.previousHash = entry.hash;
    return true;
  }
}
