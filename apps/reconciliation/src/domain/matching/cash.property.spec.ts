import fc from 'fast-check';
import { Decimal } from '@postrade/kernel';
import type { CashLine, OurCash } from '../model';
import { reconcileCash } from './cash';
import { amountTolerance, type AmountTolerance } from './config';
import { amountArb, PROPERTY_RUNS, seedArb, shuffled, splitDecimal, type ValueOf } from './matching-arbitraries';
import { configWith } from './matching-fixtures';

const NO_OPEN = new Set<string>();

/**
 * Balances of several hundred currencies (codes made up past the real ones, so that there are
 * enough), of every size and both signs, some flat; USD and EUR are hot and come in many lines.
 */
const caseArb = fc.record({
  balances: fc.uniqueArray(
    fc.record({
      currency: fc.stringMatching(/^[A-Z]{3}$/).filter((c) => c !== 'USD' && c !== 'EUR' && c !== 'ZZZ'),
      amount: fc.oneof({ weight: 6, arbitrary: amountArb }, { weight: 3, arbitrary: amountArb.map((a) => a.neg()) }, { weight: 1, arbitrary: fc.constant(new Decimal(0)) }),
      lines: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }) }),
    }),
    { minLength: 150, maxLength: 400, selector: (b) => b.currency },
  ),
  hot: fc.tuple(
    fc.record({ amount: amountArb.map((a) => a.plus(1_000_000)), lines: fc.integer({ min: 5, max: 40 }) }),
    fc.record({ amount: amountArb.map((a) => a.plus(1_000_000).neg()), lines: fc.integer({ min: 5, max: 40 }) }),
  ),
  rule: fc.oneof(
    fc.constant<AmountTolerance>({ kind: 'MATCHING' }),
    fc.constantFrom('0', '0.01', '5').map((value): AmountTolerance => ({ kind: 'ABSOLUTE', value: new Decimal(value) })),
  ),
  seed: seedArb,
});
type Case = ValueOf<typeof caseArb>;

const configOf = (rule: AmountTolerance) => configWith({ CASH: { amount: rule.kind === 'MATCHING' ? rule : { kind: 'ABSOLUTE', value: rule.value.toFixed() } } });

function booksAndStatement(c: Case): { ours: OurCash[]; theirs: CashLine[] } {
  const all = [...c.balances, { currency: 'USD', ...c.hot[0] }, { currency: 'EUR', ...c.hot[1] }];
  const ours = all.map(({ currency, amount }) => ({ currency, amount }));
  const theirs: CashLine[] = [];
  for (const { currency, amount, lines } of all) {
    if (!amount.isZero()) for (const part of splitDecimal(amount, lines)) theirs.push({ currency, amount: part });
  }
  return { ours, theirs: shuffled(theirs, c.seed) };
}

describe('cash: property', () => {
  it('a statement drawn from our books reconciles with no break and agrees on every currency', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { ours, theirs } = booksAndStatement(c);
        const outcome = reconcileCash(ours, theirs, configOf(c.rule), NO_OPEN);
        expect(outcome.breaks).toEqual([]);
        expect(outcome.agreedKeys).toHaveLength(ours.length);
        expect(new Set(outcome.agreedKeys)).toEqual(new Set(ours.map((b) => `currency:${b.currency}`)));
      }),
      PROPERTY_RUNS,
    );
  });

  const injections = ['amount beyond tolerance', 'amount within tolerance', 'line missing', 'extra line'] as const;
  const expected: Record<(typeof injections)[number], string | null> = {
    'amount beyond tolerance': 'DIFFERENT',
    'amount within tolerance': null,
    'line missing': 'MISSING_THEIRS',
    'extra line': 'MISSING_OURS',
  };

  it.each(injections)('with one difference injected (%s), finds exactly the break it makes and nothing else', (injection) => {
    fc.assert(
      fc.property(caseArb, fc.nat(), fc.boolean(), (c, pick, up) => {
        const { ours, theirs } = booksAndStatement(c);
        // The tolerance depends on the balance (its MATCHING tier): only a balance beyond its own can go missing.
        const toleranceOf = (amount: Decimal) => amountTolerance(c.rule, amount);
        const candidates = ours.filter((b) => b.amount.abs().gt(toleranceOf(b.amount)));
        const target = candidates[pick % candidates.length];
        let changed = theirs;
        let key = `currency:${target.currency}`;
        if (injection === 'amount beyond tolerance' || injection === 'amount within tolerance') {
          const tolerance = toleranceOf(target.amount);
          const delta = injection === 'amount within tolerance' ? tolerance : tolerance.plus('0.01');
          const at = theirs.findIndex((l) => l.currency === target.currency);
          changed = theirs.map((l, i) => (i === at ? { currency: l.currency, amount: up ? l.amount.plus(delta) : l.amount.minus(delta) } : l));
        } else if (injection === 'line missing') {
          changed = theirs.filter((l) => l.currency !== target.currency);
        } else {
          key = 'currency:ZZZ';
          changed = [...theirs, { currency: 'ZZZ', amount: new Decimal('1000') }];
        }
        const outcome = reconcileCash(ours, changed, configOf(c.rule), NO_OPEN);
        // A statement whose lines for the currency now sum to zero says there is none: a missing line, not a difference.
        const theirsNow = changed.filter((l) => l.currency === target.currency).reduce((sum, l) => sum.plus(l.amount), new Decimal(0));
        const reason = injection === 'amount beyond tolerance' && theirsNow.isZero() ? 'MISSING_THEIRS' : expected[injection];
        if (reason === null) {
          expect(outcome.breaks).toEqual([]);
          return;
        }
        expect(outcome.breaks.map((b) => [b.type, b.reason, b.keyString])).toEqual([['CASH', reason, key]]);
        expect(new Set(outcome.agreedKeys)).toEqual(new Set(ours.map((b) => `currency:${b.currency}`).filter((k) => k !== key)));
      }),
      PROPERTY_RUNS,
    );
  });
});
