import { ChainVerifier, entryHash, type EntryContent, type StoredChainEntry } from './journal-chain';

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

function chain(length: number): StoredChainEntry[] {
  const entries: StoredChainEntry[] = [];
  let previousHash: string | null = null;
  for (let n = 1; n <= length; n++) {
    const hash = entryHash(content(n), previousHash);
    entries.push({ ...content(n), previousHash, hash });
    previousHash = hash;
  }
  return entries;
}

function verify(entries: StoredChainEntry[]): ChainVerifier {
  const verifier = new ChainVerifier();
  for (const entry of entries) if (!verifier.check(entry)) break;
  return verifier;
}

describe('the journal hash chain', () => {
  it('hashes amounts by value, not spelling', () => {
    const spelled = content(1, { postings: [{ account: 'a', asset: 'USD', amount: '1000.50' }] });
    const plain = content(1, { postings: [{ account: 'a', asset: 'USD', amount: '1000.5' }] });
    expect(entryHash(spelled, null)).toBe(entryHash(plain, null));
  });

  it('accepts an untouched chain', () => {
    const verifier = verify(chain(5));
    expect(verifier.firstBadEntryId).toBeNull();
    expect(verifier.checked).toBe(5);
  });

  it('names the entry whose content was edited', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], effectiveDate: '2026-11-19' };
    expect(verify(entries).firstBadEntryId).toBe('entry-3');
  });

  it('names the entry whose posting amount was edited', () => {
    const entries = chain(5);
    entries[1] = { ...entries[1], postings: [{ ...entries[1].postings[0], amount: '999' }, entries[1].postings[1]] };
    expect(verify(entries).firstBadEntryId).toBe('entry-2');
  });

  it('names the entry after a removed one, which no longer follows its predecessor', () => {
    const entries = chain(5);
    entries.splice(3, 1);
    expect(verify(entries).firstBadEntryId).toBe('entry-5');
  });
});
