import { appendToChain, emptyChain, HashChainVerifier } from '@postrade/kernel';
import { entryHash, journalChain, type EntryContent, type JournalChainEntry } from './journal-chain';

function content(n: number, overrides: Partial<EntryContent> = {}): EntryContent {
  return {
    entryId: `entry-${n}`,
    eventId: `event-${n}`,
    eventPart: 0,
    eventType: 'postrade.trade.captured.v1',
    tradeId: `trade-${n}`,
    instructionId: null,
    effectiveDate: '2026-11-20',
    postedAt: '2026-11-20T15:00:00.000Z',
    postings: [
      { account: 'book:EQ1:securities-pending', asset: 'US0378331005', amount: '1000' },
      { account: 'counterparty:X:pending-settlement', asset: 'US0378331005', amount: '-1000' },
    ],
    ...overrides,
  };
}

function chain(length: number): JournalChainEntry[] {
  return appendToChain(journalChain, emptyChain(journalChain, 'trade-capture.trades.v1:0'), Array.from({ length }, (_, i) => content(i + 1))).records;
}

function verify(entries: JournalChainEntry[]): HashChainVerifier<EntryContent, null> {
  const verifier = new HashChainVerifier(journalChain, 'trade-capture.trades.v1:0');
  for (const entry of entries) if (!verifier.check(entry)) break;
  return verifier;
}

describe('the journal hash chain', () => {
  it('hashes amounts by value, not spelling', () => {
    const spelled = content(1, { postings: [{ account: 'a', asset: 'USD', amount: '1000.50' }] });
    const plain = content(1, { postings: [{ account: 'a', asset: 'USD', amount: '1000.5' }] });
    expect(entryHash(spelled, null)).toBe(entryHash(plain, null));
  });

  it('hashes an entry exactly as the first release did, so entries stored before chains were sharded still verify', () => {
    // Hashes computed with the journal's original code (its own JSON.stringify of the same array).
    const stored: EntryContent = {
      entryId: '0b9d2f1e-4c1a-4e57-9a38-3f0c4c1d2e11',
      eventId: '5f1c7a2b-8d3e-4f60-a1b2-c3d4e5f60718',
      eventPart: 0,
      eventType: 'postrade.trade.captured.v1',
      tradeId: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
      instructionId: null,
      effectiveDate: '2026-11-20',
      postedAt: '2026-11-20T15:00:00.000Z',
      postings: [
        { account: 'book:EQ1:securities-pending', asset: 'US0378331005', amount: '1000' },
        { account: 'counterparty:5493001KJTIIGC8Y1R12:pending-settlement', asset: 'US0378331005', amount: '-1000' },
        { account: 'counterparty:5493001KJTIIGC8Y1R12:pending-settlement', asset: 'USD', amount: '189261.20' },
        { account: 'book:EQ1:cash-pending', asset: 'USD', amount: '-189261.20' },
      ],
    };
    const first = '5269150a949d42a4371b8465aab7bf96c8564dc914f5e7ca5df509c24ef348e9';
    expect(entryHash(stored, null)).toBe(first);
    expect(entryHash({ ...stored, entryId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', eventPart: 1 }, first)).toBe('a38a68deb76a3400842da0cddbcf64865b759a5a7efc0bd9c3f5b49fd80a1b4c');
  });

  it('accepts an untouched chain', () => {
    const verifier = verify(chain(5));
    expect(verifier.firstBad).toBeNull();
    expect(verifier.checked).toBe(5);
  });

  it('names the entry whose content was edited', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], effectiveDate: '2026-11-19' };
    expect(verify(entries).firstBad?.entryId).toBe('entry-3');
  });

  it('names the entry whose posting amount was edited', () => {
    const entries = chain(5);
    entries[1] = { ...entries[1], postings: [{ ...entries[1].postings[0], amount: '999' }, entries[1].postings[1]] };
    expect(verify(entries).firstBad?.entryId).toBe('entry-2');
  });

  it('names the entry after a removed one, which no longer follows its predecessor', () => {
    const entries = chain(5);
    entries.splice(3, 1);
    expect(verify(entries).firstBad?.entryId).toBe('entry-5');
  });
});
