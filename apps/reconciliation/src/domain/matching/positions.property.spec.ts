import fc from 'fast-check';
import { Decimal } from '@postrade/kernel';
import type { HoldingLine, OurPosition } from '../model';
import { configWith } from './matching-fixtures';
import { HOT_ISINS, PROPERTY_RUNS, quantityArb, seedArb, shuffled, splitDecimal, type ValueOf } from './matching-arbitraries';
import { reconcilePositions } from './positions';

const NO_OPEN = new Set<string>();

/** Our positions (a few hot ISINs with large holdings, a long tail, some flat, a few short) and how the custodian splits each into lines. */
const caseArb = fc.record({
  tail: fc.uniqueArray(
    fc.record({
      isin: fc.integer({ min: 0, max: 999_999 }).map((n) => `XS${String(n).padStart(10, '0')}`),
      quantity: fc.oneof({ weight: 8, arbitrary: quantityArb }, { weight: 1, arbitrary: fc.constant(new Decimal(0)) }, { weight: 1, arbitrary: quantityArb.map((q) => q.neg()) }),
      lines: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }) }),
    }),
    { minLength: 150, maxLength: 400, selector: (p) => p.isin },
  ),
  hot: fc.tuple(...HOT_ISINS.map(() => fc.record({ quantity: quantityArb.map((q) => q.times(1000).plus(100_000)), lines: fc.integer({ min: 5, max: 40 }) }))),
  tolerance: fc.constantFrom('0', '0.5', '100'),
  zeroLines: fc.boolean(),
  seed: seedArb,
});
type Case = ValueOf<typeof caseArb>;

function booksAndStatement(c: Case): { ours: OurPosition[]; theirs: HoldingLine[] } {
  const all = [...c.tail, ...HOT_ISINS.map((isin, k) => ({ isin, ...c.hot[k] }))];
  const ours = all.map(({ isin, quantity }) => ({ isin, quantity }));
  const theirs: HoldingLine[] = [];
  for (const { isin, quantity, lines } of all) {
    if (quantity.isZero()) {
      if (c.zeroLines) theirs.push({ isin, quantity });
      continue;
    }
    for (const part of splitDecimal(quantity, lines)) theirs.push({ isin, quantity: part });
  }
  return { ours, theirs: shuffled(theirs, c.seed) };
}

describe('positions: property', () => {
  it('a statement drawn from our books reconciles with no break and agrees on every ISIN', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { ours, theirs } = booksAndStatement(c);
        const outcome = reconcilePositions(ours, theirs, configWith({ POSITION: { quantity: c.tolerance } }), NO_OPEN);
        expect(outcome.breaks).toEqual([]);
        expect(outcome.agreedKeys).toHaveLength(ours.length);
        expect(new Set(outcome.agreedKeys)).toEqual(new Set(ours.map((p) => `isin:${p.isin}`)));
        expect(outcome.matches).toHaveLength(ours.filter((p) => !p.quantity.isZero()).length);
        expect(outcome.linesCompared).toBe(theirs.length);
      }),
      PROPERTY_RUNS,
    );
  });

  const injections = ['quantity beyond tolerance', 'quantity within tolerance', 'line missing', 'extra line'] as const;
  const expected: Record<(typeof injections)[number], string | null> = {
    'quantity beyond tolerance': 'DIFFERENT',
    'quantity within tolerance': null,
    'line missing': 'MISSING_THEIRS',
    'extra line': 'MISSING_OURS',
  };

  it.each(injections)('with one difference injected (%s), finds exactly the break it makes and nothing else; every other ISIN still agrees', (injection) => {
    fc.assert(
      fc.property(caseArb, fc.nat(), fc.boolean(), (c, pick, up) => {
        const { ours, theirs } = booksAndStatement(c);
        const tolerance = new Decimal(c.tolerance);
        // A position within the tolerance of zero may go unreported: only a larger one can be missed.
        const held = ours.filter((p) => p.quantity.abs().gt(tolerance));
        const target = held[pick % held.length];
        let changed = theirs;
        let key = `isin:${target.isin}`;
        if (injection === 'quantity beyond tolerance' || injection === 'quantity within tolerance') {
          const delta = injection === 'quantity within tolerance' ? tolerance : tolerance.plus('0.000001');
          const at = theirs.findIndex((l) => l.isin === target.isin);
          changed = theirs.map((l, i) => (i === at ? { isin: l.isin, quantity: up ? l.quantity.plus(delta) : l.quantity.minus(delta) } : l));
        } else if (injection === 'line missing') {
          changed = theirs.filter((l) => l.isin !== target.isin);
        } else {
          key = 'isin:ZZ0000000001';
          changed = [...theirs, { isin: 'ZZ0000000001', quantity: tolerance.plus(1) }];
        }
        const outcome = reconcilePositions(ours, changed, configWith({ POSITION: { quantity: c.tolerance } }), NO_OPEN);
        // A statement whose lines for the ISIN now sum to zero says they hold none: that is a missing line, not a difference.
        const theirsNow = changed.filter((l) => l.isin === target.isin).reduce((sum, l) => sum.plus(l.quantity), new Decimal(0));
        const reason = injection === 'quantity beyond tolerance' && theirsNow.isZero() ? 'MISSING_THEIRS' : expected[injection];
        if (reason === null) {
          expect(outcome.breaks).toEqual([]);
          return;
        }
        expect(outcome.breaks.map((b) => [b.type, b.reason, b.keyString])).toEqual([['POSITION', reason, key]]);
        expect(outcome.agreedKeys).not.toContain(key);
        expect(outcome.agreedKeys).toHaveLength(ours.length - (reason === 'MISSING_OURS' ? 0 : 1));
      }),
      PROPERTY_RUNS,
    );
  });
});
