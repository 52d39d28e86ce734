import fc from 'fast-check';
import { Decimal } from '../decimal';
import { canonicalJson, sha256OfCanonicalJson } from './canonical-json';
import { appendToChain, emptyChain, HashChainVerifier, verifyChains, type Chained, type ChainHead, type HashChainRule } from './hash-chain';

/** A small record: what a chained record of a service might say. */
interface Note {
  id: string;
  text: string;
  amount: Decimal;
}

const rule: HashChainRule<Note, null> = {
  genesis: null,
  hash: (note, previousHash) => sha256OfCanonicalJson({ id: note.id, text: note.text, amount: note.amount, previousHash }),
};

const noteArb = fc.record({
  id: fc.uuid(),
  text: fc.string({ maxLength: 12 }),
  amount: fc.tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 6 })).map(([units, scale]) => new Decimal(units.toString()).dividedBy(10 ** scale)),
});

/** Appends the notes in calls of the given sizes, as batches would. */
function appendInCalls(chain: string, notes: Note[], callSizes: number[]): { records: Chained<Note, null>[]; head: ChainHead<null> } {
  let head = emptyChain(rule, chain);
  const records: Chained<Note, null>[] = [];
  let start = 0;
  for (const size of [...callSizes, notes.length]) {
    const appended = appendToChain(rule, head, notes.slice(start, start + size));
    records.push(...appended.records);
    head = appended.head;
    start += size;
    if (start >= notes.length) break;
  }
  return { records, head };
}

function verifyAll(records: Chained<Note, null>[], chain = 'main'): HashChainVerifier<Note, null> {
  const verifier = new HashChainVerifier(rule, chain);
  for (const record of records) if (!verifier.check(record)) break;
  return verifier;
}

/** Every way a stored record can be changed after the fact. */
const tamperings: ((r: Chained<Note, null>) => Chained<Note, null>)[] = [
  (r) => ({ ...r, text: `${r.text}!` }),
  (r) => ({ ...r, amount: r.amount.plus('0.01') }),
  (r) => ({ ...r, hash: rule.hash({ ...r, text: `${r.text}?` }, r.previousHash) }),
  (r) => ({ ...r, previousHash: r.previousHash === null ? 'f'.repeat(64) : null }),
  (r) => ({ ...r, chainSequence: r.chainSequence + 1 }),
  (r) => ({ ...r, chain: `${r.chain}-other` }),
];

describe('canonical JSON', () => {
  it('sorts keys at every level, so that key order does not change a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  });

  it('writes decimals by value: 1000.50 and 1000.5 hash alike, 1000.51 does not', () => {
    expect(canonicalJson({ amount: new Decimal('1000.50') })).toBe(canonicalJson({ amount: new Decimal('1000.5') }));
    expect(canonicalJson({ amount: new Decimal('1000.50') })).toBe('{"amount":"1000.5"}');
    expect(sha256OfCanonicalJson([new Decimal('1000.50')])).not.toBe(sha256OfCanonicalJson([new Decimal('1000.51')]));
  });

  it('writes a decimal as it reads back from JSON storage, so a stored record still verifies', () => {
    fc.assert(
      fc.property(noteArb, (note) => {
        const stored = JSON.parse(JSON.stringify(note));
        expect(canonicalJson(stored)).toBe(canonicalJson(note));
      }),
    );
  });

  it('writes a date as its ISO string and leaves out undefined fields', () => {
    expect(canonicalJson({ at: new Date('2026-11-20T10:00:00Z'), gone: undefined })).toBe('{"at":"2026-11-20T10:00:00.000Z"}');
    expect(canonicalJson([undefined])).toBe('[null]');
  });
});

describe('a hash chain', () => {
  it('verifies any list of records appended in any number of calls', () => {
    fc.assert(
      fc.property(fc.array(noteArb, { maxLength: 30 }), fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 10 }), (notes, callSizes) => {
        const { records, head } = appendInCalls('main', notes, callSizes);
        const verifier = verifyAll(records);
        expect(verifier.firstBad).toBeNull();
        expect(verifier.checked).toBe(notes.length);
        expect(verifier.endsAt(head)).toBe(true);
        expect(records.map((r) => r.chainSequence)).toEqual(notes.map((_, i) => i + 1));
      }),
    );
  });

  it('chains the same records alike whether appended at once or in calls', () => {
    fc.assert(
      fc.property(fc.array(noteArb, { minLength: 1, maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 10 }), (notes, callSizes) => {
        expect(appendInCalls('main', notes, callSizes).head).toEqual(appendToChain(rule, emptyChain(rule, 'main'), notes).head);
      }),
    );
  });

  it('breaks verification at the record that was changed, whatever the change', () => {
    fc.assert(
      fc.property(
        fc.array(noteArb, { minLength: 1, maxLength: 20 }),
        fc.nat(),
        fc.integer({ min: 0, max: tamperings.length - 1 }),
        (notes, at, how) => {
          const { records } = appendToChain(rule, emptyChain(rule, 'main'), notes);
          const index = at % records.length;
          const tampered = [...records];
          tampered[index] = tamperings[how](records[index]);
          const verifier = verifyAll(tampered);
          expect(verifier.firstBad).toBe(tampered[index]);
          expect(verifier.checked).toBe(index + 1);
        },
      ),
    );
  });

  it('names the record after one that was removed, and a chain cut short at its end no longer ends at its head', () => {
    const { records, head } = appendToChain(rule, emptyChain(rule, 'main'), ['a', 'b', 'c', 'd'].map((text, i) => ({ id: `N-${i + 1}`, text, amount: new Decimal(i) })));
    expect(verifyAll([...records.slice(0, 1), ...records.slice(2)]).firstBad?.id).toBe('N-3');
    const cut = verifyAll(records.slice(0, 3));
    expect(cut.firstBad).toBeNull();
    expect(cut.endsAt(head)).toBe(false);
  });

  it('starts a chain from its genesis hash', () => {
    const zeros: HashChainRule<Note, string> = { genesis: '0'.repeat(64), hash: rule.hash };
    const { records } = appendToChain(zeros, emptyChain(zeros, 'api:3'), [{ id: 'N-1', text: 'x', amount: new Decimal(1) }]);
    expect(records[0]).toMatchObject({ chain: 'api:3', chainSequence: 1, previousHash: '0'.repeat(64) });
    expect(new HashChainVerifier(zeros, 'api:3').check(records[0])).toBe(true);
    expect(new HashChainVerifier(rule, 'api:3').check(records[0])).toBe(false);
  });
});

describe('verifying several chains', () => {
  const notes = (prefix: string, n: number): Note[] => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i + 1}`, text: prefix, amount: new Decimal(i) }));

  function store(chains: Record<string, Note[]>) {
    const heads: ChainHead<null>[] = [];
    const records: Chained<Note, null>[] = [];
    for (const [chain, list] of Object.entries(chains)) {
      const appended = appendToChain(rule, emptyChain(rule, chain), list);
      heads.push(appended.head);
      records.push(...appended.records);
    }
    const read = async (chain: string, after: number, through: number, limit: number) =>
      records.filter((r) => r.chain === chain && r.chainSequence > after && r.chainSequence <= through).slice(0, limit);
    return { heads, records, read };
  }

  it('walks each chain on its own, page by page, and counts every record', async () => {
    const { heads, read } = store({ 'trades:0': notes('A', 7), 'trades:1': notes('B', 5), 'api:2': [] });
    expect(await verifyChains(rule, heads, read, { pageSize: 3 })).toEqual({ ok: true, checked: 12, firstBad: null });
  });

  it('finds a record changed in the second of two chains', async () => {
    const { heads, records, read } = store({ 'trades:0': notes('A', 4), 'trades:1': notes('B', 4) });
    const victim = records.findIndex((r) => r.id === 'B-3');
    records[victim] = { ...records[victim], text: 'mallory' };
    const result = await verifyChains(rule, heads, read, { pageSize: 2 });
    expect(result).toMatchObject({ ok: false, checked: 7 });
    expect(result.firstBad?.id).toBe('B-3');
  });

  it('reports the earliest of the bad records when several chains are broken', async () => {
    const { heads, records, read } = store({ 'trades:0': notes('A', 4), 'trades:1': notes('B', 4) });
    for (const id of ['A-4', 'B-2']) {
      const i = records.findIndex((r) => r.id === id);
      records[i] = { ...records[i], text: 'mallory' };
    }
    const byPosition = (a: Chained<Note, null>, b: Chained<Note, null>) => a.chainSequence < b.chainSequence;
    expect((await verifyChains(rule, heads, read, { pageSize: 10, earlier: byPosition })).firstBad?.id).toBe('B-2');
    expect((await verifyChains(rule, heads, read, { pageSize: 10 })).firstBad?.id).toBe('A-4');
  });

  it('is not ok when a chain lost its last record, and leaves records past the head for the next run', async () => {
    const { heads, records, read } = store({ 'trades:0': notes('A', 3) });
    const late = appendToChain(rule, heads[0], notes('L', 1)).records;
    records.push(...late);
    expect(await verifyChains(rule, heads, read, { pageSize: 10 })).toEqual({ ok: true, checked: 3, firstBad: null });
    records.splice(records.findIndex((r) => r.id === 'A-3'), 1);
    expect(await verifyChains(rule, heads, read, { pageSize: 10 })).toEqual({ ok: false, checked: 2, firstBad: null });
  });
});
