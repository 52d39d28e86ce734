import { anchorSignatureProblem, compareWithAnchor, signAnchor, type AnchorStatement, type ChainAnchor } from './anchor';
import type { ChainHead } from './hash-chain';

const key = { id: 'k1', secret: 'a-development-secret-of-at-least-32-chars' };

const statement: AnchorStatement = {
  service: 'ledger',
  schema: 'ledger',
  trail: 'journal',
  heads: [
    { chain: 'main', lastSequence: 3, lastHash: 'c'.repeat(64) },
    { chain: 'trades:0', lastSequence: 0, lastHash: null },
  ],
  anchoredAt: '2026-12-07T18:00:00.000Z',
};

describe('anchor signatures', () => {
  it('verifies an anchor signed with a known key', () => {
    const anchor = signAnchor(statement, key);
    expect(anchor).toMatchObject({ keyId: 'k1', algorithm: 'HMAC-SHA256' });
    expect(anchor.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(anchorSignatureProblem(anchor, [key])).toBeNull();
    // As it reads back from JSON (a Kafka message).
    expect(anchorSignatureProblem(JSON.parse(JSON.stringify(anchor)) as ChainAnchor, [key])).toBeNull();
  });

  it('finds an anchor altered after signing, whatever field changed', () => {
    const anchor = signAnchor(statement, key);
    const altered: ChainAnchor[] = [
      { ...anchor, heads: [{ ...anchor.heads[0], lastHash: 'd'.repeat(64) }, anchor.heads[1]] },
      { ...anchor, heads: [{ ...anchor.heads[0], lastSequence: 2 }, anchor.heads[1]] },
      { ...anchor, heads: anchor.heads.slice(1) },
      { ...anchor, schema: 'other' },
      { ...anchor, anchoredAt: '2026-12-07T18:00:01.000Z' },
      { ...anchor, signature: anchor.signature.slice(0, 63) + (anchor.signature.endsWith('0') ? '1' : '0') },
      { ...anchor, signature: 'not hex' },
    ];
    for (const a of altered) expect(anchorSignatureProblem(a, [key])).toBe('BAD_SIGNATURE');
  });

  it('refuses an anchor signed with another secret, an unknown key id or algorithm', () => {
    expect(anchorSignatureProblem(signAnchor(statement, { id: 'k1', secret: 'another-secret-of-at-least-32-characters' }), [key])).toBe('BAD_SIGNATURE');
    expect(anchorSignatureProblem(signAnchor(statement, { id: 'k2', secret: key.secret }), [key])).toBe('UNKNOWN_KEY');
    expect(anchorSignatureProblem({ ...signAnchor(statement, key), algorithm: 'none' as never }, [key])).toBe('UNKNOWN_ALGORITHM');
  });
});

describe('comparing chains with an anchor', () => {
  const anchor = { heads: [{ chain: 'a', lastSequence: 2, lastHash: 'h2' }, { chain: 'b', lastSequence: 1, lastHash: 'b1' }, { chain: 'empty', lastSequence: 0, lastHash: null }] };
  const stored: Record<string, string[]> = { a: ['h1', 'h2', 'h3'], b: ['b1'] };
  const heads = (chains: Record<string, string[]>): ChainHead[] => Object.entries(chains).map(([chain, hashes]) => ({ chain, lastSequence: hashes.length, lastHash: hashes.at(-1) ?? null }));
  const hashAt = (chains: Record<string, string[]>) => async (chain: string, sequence: number) => chains[chain]?.[sequence - 1] ?? null;

  it('finds nothing when every anchored position still holds its hash, records appended since included', async () => {
    expect(await compareWithAnchor(anchor, heads(stored), hashAt(stored))).toEqual([]);
  });

  it('names a chain whose anchored record has another hash now (rewritten, hashes recomputed)', async () => {
    const rewritten = { ...stored, a: ['x1', 'x2', 'x3'] };
    expect(await compareWithAnchor(anchor, heads(rewritten), hashAt(rewritten))).toEqual([
      { chain: 'a', problem: 'REWRITTEN', anchoredSequence: 2, anchoredHash: 'h2', currentSequence: 3, hashFound: 'x2' },
    ]);
  });

  it('names a chain cut short before the anchored position, and a chain that is gone', async () => {
    const cut = { a: ['h1'] };
    expect(await compareWithAnchor(anchor, heads(cut), hashAt(cut))).toEqual([
      { chain: 'a', problem: 'TRUNCATED', anchoredSequence: 2, anchoredHash: 'h2', currentSequence: 1, hashFound: null },
      { chain: 'b', problem: 'CHAIN_MISSING', anchoredSequence: 1, anchoredHash: 'b1', currentSequence: null, hashFound: null },
    ]);
  });

  it('names a chain whose head still claims the position when the record there is gone', async () => {
    const headKept = heads(stored);
    const rows = { ...stored, a: ['h1'] };
    expect(await compareWithAnchor(anchor, headKept, hashAt(rows))).toEqual([
      { chain: 'a', problem: 'TRUNCATED', anchoredSequence: 2, anchoredHash: 'h2', currentSequence: 3, hashFound: null },
    ]);
  });
});
