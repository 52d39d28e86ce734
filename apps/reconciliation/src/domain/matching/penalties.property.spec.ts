import fc from 'fast-check';
import { Decimal, LocalDate } from '@postrade/kernel';
import type { OurPenalty, PenaltyLine } from '../model';
import { amountArb, currencyArb, PROPERTY_RUNS, seedArb, shuffled, type ValueOf } from './matching-arbitraries';
import { DEFAULTS } from './matching-fixtures';
import { reconcilePenalties } from './penalties';

const NO_OPEN = new Set<string>();

/**
 * Several hundred penalties: a few failing instructions are penalised day after day (the hot
 * keys), most once; amounts mostly small, some very large.
 */
const caseArb = fc.record({
  penalties: fc.uniqueArray(
    fc.record({
      instruction: fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 0, max: 4 }) }, { weight: 3, arbitrary: fc.integer({ min: 5, max: 100_000 }) }),
      day: fc.integer({ min: 0, max: 60 }),
      amount: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 50_000 }).map((n) => new Decimal(n).div(100)) }, { weight: 1, arbitrary: amountArb }),
      currency: currencyArb,
      direction: fc.constantFrom('PAY' as const, 'RECEIVE' as const),
    }),
    { minLength: 150, maxLength: 400, selector: (p) => `${p.instruction}:${p.day}` },
  ),
  seed: seedArb,
});
type Case = ValueOf<typeof caseArb>;

function build(c: Case): { ours: OurPenalty[]; theirs: PenaltyLine[] } {
  const ours = c.penalties.map(
    (p, k): OurPenalty => ({
      penaltyId: `P-${k}`,
      instructionId: `SI-${p.instruction}`,
      date: LocalDate.addDays('2026-10-01', p.day),
      amount: p.amount,
      currency: p.currency,
      direction: p.direction,
    }),
  );
  const theirs = ours.map(({ penaltyId: _id, ...line }): PenaltyLine => line);
  return { ours, theirs: shuffled(theirs, c.seed) };
}

const keyOf = (p: { instructionId: string; date: string }) => `penalty:${p.instructionId}:${p.date}`;

describe('penalties: property', () => {
  it('a report drawn from our penalties reconciles with no break and agrees on every key', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { ours, theirs } = build(c);
        const outcome = reconcilePenalties(ours, theirs, DEFAULTS, NO_OPEN);
        expect(outcome.breaks).toEqual([]);
        expect(outcome.agreedKeys).toHaveLength(ours.length);
        expect(new Set(outcome.agreedKeys)).toEqual(new Set(ours.map(keyOf)));
      }),
      PROPERTY_RUNS,
    );
  });

  const injections = ['amount beyond 0.01', 'amount within 0.01', 'wrong direction', 'currency changed', 'line missing', 'extra line'] as const;
  const expected: Record<(typeof injections)[number], { reason: string; field?: string } | null> = {
    'amount beyond 0.01': { reason: 'DIFFERENT', field: 'amount' },
    'amount within 0.01': null,
    'wrong direction': { reason: 'DIFFERENT', field: 'direction' },
    'currency changed': { reason: 'DIFFERENT', field: 'currency' },
    'line missing': { reason: 'MISSING_THEIRS' },
    'extra line': { reason: 'MISSING_OURS' },
  };

  it.each(injections)('with one difference injected (%s), finds exactly that break and nothing else', (injection) => {
    fc.assert(
      fc.property(caseArb, fc.nat(), fc.boolean(), (c, pick, up) => {
        const { ours, theirs } = build(c);
        const target = theirs[pick % theirs.length];
        let key = keyOf(target);
        const replace = (line: PenaltyLine) => theirs.map((l) => (l === target ? line : l));
        let changed: PenaltyLine[];
        switch (injection) {
          case 'amount beyond 0.01':
            changed = replace({ ...target, amount: up ? target.amount.plus('0.011') : target.amount.minus('0.011') });
            break;
          case 'amount within 0.01':
            changed = replace({ ...target, amount: up ? target.amount.plus('0.01') : target.amount.minus('0.01') });
            break;
          case 'wrong direction':
            changed = replace({ ...target, direction: target.direction === 'PAY' ? 'RECEIVE' : 'PAY' });
            break;
          case 'currency changed':
            changed = replace({ ...target, currency: 'XAU' });
            break;
          case 'line missing':
            changed = theirs.filter((l) => l !== target);
            break;
          case 'extra line':
            changed = [...theirs, { ...target, date: '2027-01-04' }];
            key = keyOf({ instructionId: target.instructionId, date: '2027-01-04' });
        }
        const outcome = reconcilePenalties(ours, changed, DEFAULTS, NO_OPEN);
        const want = expected[injection];
        if (want === null) {
          expect(outcome.breaks).toEqual([]);
          return;
        }
        expect(outcome.breaks.map((b) => [b.type, b.reason, b.keyString])).toEqual([['PENALTY', want.reason, key]]);
        if (want.field !== undefined) expect(outcome.breaks[0].fields.map((f) => f.field)).toEqual([want.field]);
        expect(new Set(outcome.agreedKeys)).toEqual(new Set(ours.map(keyOf).filter((k) => k !== key)));
      }),
      PROPERTY_RUNS,
    );
  });
});
