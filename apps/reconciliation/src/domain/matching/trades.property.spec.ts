import fc from 'fast-check';
import { Decimal } from '@postrade/kernel';
import type { BlotterTrade, OurTrade } from '../model';
import { TRADE_FIELDS, type TradeField } from './config';
import { currencyArb, isinArb, PROPERTY_RUNS, quantityArb, seedArb, shuffled, type ValueOf } from './matching-arbitraries';
import { DEFAULTS } from './matching-fixtures';
import { reconcileTrades } from './trades';

const NO_OPEN = new Set<string>();
const LEIS = ['5493001KJTIIGC8Y1R12', '529900T8BM49AURSDO55', '549300EX04Q2QBFQTQ27'];

/** A day's captured trades of one OMS: a few hot ISINs, lots and prices of every size. */
const caseArb = fc.record({
  trades: fc.array(
    fc.record({
      isin: isinArb,
      side: fc.constantFrom('BUY' as const, 'SELL' as const),
      quantity: quantityArb,
      price: fc.oneof(fc.integer({ min: 1, max: 1_000_000 }).map((n) => new Decimal(n).div(10_000)), fc.integer({ min: 1, max: 99_999_999 }).map((n) => new Decimal(n).div(100))),
      currency: currencyArb,
      counterpartyLei: fc.constantFrom(...LEIS),
    }),
    { minLength: 150, maxLength: 400 },
  ),
  seed: seedArb,
});
type Case = ValueOf<typeof caseArb>;

function build(c: Case): { ours: OurTrade[]; theirs: BlotterTrade[] } {
  const ours = c.trades.map((t, k): OurTrade => ({ tradeId: `T-${k}`, sourceTradeId: `OMS-${k}`, ...t }));
  const theirs = ours.map(({ tradeId: _id, ...trade }): BlotterTrade => trade);
  return { ours, theirs: shuffled(theirs, c.seed) };
}

/** A value of the field that differs from the one given. */
function otherValue(trade: BlotterTrade, field: TradeField): BlotterTrade {
  switch (field) {
    case 'isin':
      return { ...trade, isin: 'ZZ0000000000' };
    case 'side':
      return { ...trade, side: trade.side === 'BUY' ? 'SELL' : 'BUY' };
    case 'quantity':
      return { ...trade, quantity: trade.quantity.plus('0.000001') };
    case 'price':
      return { ...trade, price: trade.price.minus('0.0001') };
    case 'currency':
      return { ...trade, currency: 'XAU' };
    case 'counterpartyLei':
      return { ...trade, counterpartyLei: '959800R2X69K6Y6MX775' };
  }
}

describe('trades: property', () => {
  it('a blotter drawn from our captured trades reconciles with no break and agrees on every trade', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { ours, theirs } = build(c);
        const outcome = reconcileTrades(ours, theirs, DEFAULTS, NO_OPEN);
        expect(outcome.breaks).toEqual([]);
        expect(outcome.agreedKeys).toHaveLength(ours.length);
        expect(new Set(outcome.agreedKeys)).toEqual(new Set(ours.map((t) => `trade:${t.sourceTradeId}`)));
      }),
      PROPERTY_RUNS,
    );
  });

  it.each(TRADE_FIELDS)('with one field changed in one blotter trade (%s), finds exactly that break and nothing else', (field) => {
    fc.assert(
      fc.property(caseArb, fc.nat(), (c, pick) => {
        const { ours, theirs } = build(c);
        const target = theirs[pick % theirs.length];
        const outcome = reconcileTrades(ours, theirs.map((t) => (t === target ? otherValue(t, field) : t)), DEFAULTS, NO_OPEN);
        expect(outcome.breaks.map((b) => [b.type, b.reason, b.keyString, b.fields.map((f) => f.field)])).toEqual([
          ['TRADE', 'DIFFERENT', `trade:${target.sourceTradeId}`, [field]],
        ]);
        expect(outcome.agreedKeys).toHaveLength(ours.length - 1);
      }),
      PROPERTY_RUNS,
    );
  });

  it.each(['missing', 'extra'] as const)('with one trade %s on the blotter, finds exactly that break and nothing else', (injection) => {
    fc.assert(
      fc.property(caseArb, fc.nat(), (c, pick) => {
        const { ours, theirs } = build(c);
        const target = theirs[pick % theirs.length];
        const changed = injection === 'missing' ? theirs.filter((t) => t !== target) : [...theirs, { ...target, sourceTradeId: 'OMS-EXTRA' }];
        const key = injection === 'missing' ? `trade:${target.sourceTradeId}` : 'trade:OMS-EXTRA';
        const outcome = reconcileTrades(ours, changed, DEFAULTS, NO_OPEN);
        expect(outcome.breaks.map((b) => [b.type, b.reason, b.keyString])).toEqual([['TRADE', injection === 'missing' ? 'MISSING_THEIRS' : 'MISSING_OURS', key]]);
        expect(new Set(outcome.agreedKeys)).toEqual(new Set(ours.map((t) => `trade:${t.sourceTradeId}`).filter((k) => k !== key)));
      }),
      PROPERTY_RUNS,
    );
  });
});
