import type { TradeField } from './config';
import { blotterTrade, configWith, DEFAULTS, NO_OPEN_BREAKS, ourTrade, summary } from './matching-fixtures';
import { reconcileTrades } from './trades';

describe('reconciling the OMS blotter against captured trades', () => {
  it('matches a trade per source trade id, keyed trade:<sourceTradeId>', () => {
    const outcome = reconcileTrades([ourTrade()], [blotterTrade({ price: '189.2500' })], DEFAULTS, NO_OPEN_BREAKS);
    expect(summary(outcome)).toEqual({ matches: ['TRADE_EQUAL T-1 = OMS-1'], breaks: [], agreed: ['trade:OMS-1'] });
  });

  it.each<[TradeField, string, string]>([
    ['isin', 'DE0007164600', 'US0378331005'],
    ['side', 'SELL', 'BUY'],
    ['quantity', '999', '1000'],
    ['price', '189.26', '189.25'],
    ['currency', 'EUR', 'USD'],
    ['counterpartyLei', '529900T8BM49AURSDO55', '5493001KJTIIGC8Y1R12'],
  ])('breaks on a different %s, naming it', (name, theirs, ours) => {
    const outcome = reconcileTrades([ourTrade()], [blotterTrade({ [name]: theirs })], DEFAULTS, NO_OPEN_BREAKS);
    expect(outcome.breaks).toEqual([
      expect.objectContaining({ type: 'TRADE', reason: 'DIFFERENT', key: { sourceTradeId: 'OMS-1' }, keyString: 'trade:OMS-1', fields: [{ field: name, ours, theirs }] }),
    ]);
    expect(outcome.agreedKeys).toEqual([]);
  });

  it('gives the difference of a single numeric field, theirs − ours', () => {
    const outcome = reconcileTrades([ourTrade()], [blotterTrade({ quantity: '990' })], DEFAULTS, NO_OPEN_BREAKS);
    expect(outcome.breaks[0]).toMatchObject({ difference: '-10', ours: expect.objectContaining({ tradeId: 'T-1', quantity: '1000' }), theirs: expect.objectContaining({ quantity: '990' }) });
    expect(outcome.breaks[0].theirs).not.toHaveProperty('tradeId');
    const both = reconcileTrades([ourTrade()], [blotterTrade({ quantity: '990', price: '1' })], DEFAULTS, NO_OPEN_BREAKS);
    expect(both.breaks[0].difference).toBeNull();
  });

  it('compares quantity and price within their configured tolerances, inclusive', () => {
    const config = configWith({ TRADE: { quantity: '1', price: '0.01' } });
    const within = reconcileTrades([ourTrade()], [blotterTrade({ quantity: '1001', price: '189.24' })], config, NO_OPEN_BREAKS);
    expect(summary(within).matches).toEqual(['TRADE_WITHIN_TOLERANCE T-1 = OMS-1']);
    expect(reconcileTrades([ourTrade()], [blotterTrade({ price: '189.2601' })], config, NO_OPEN_BREAKS).breaks).toHaveLength(1);
    expect(reconcileTrades([ourTrade()], [blotterTrade({ quantity: '998.9' })], config, NO_OPEN_BREAKS).breaks).toHaveLength(1);
  });

  it('compares only the configured fields', () => {
    const config = configWith({ TRADE: { fields: ['isin', 'quantity'] } });
    const outcome = reconcileTrades([ourTrade()], [blotterTrade({ side: 'SELL', price: '1', counterpartyLei: 'X' })], config, NO_OPEN_BREAKS);
    expect(outcome.breaks).toEqual([]);
    expect(reconcileTrades([ourTrade()], [blotterTrade({ quantity: '1' })], config, NO_OPEN_BREAKS).breaks).toHaveLength(1);
  });

  it('reports a trade on one side only as missing on the other', () => {
    const outcome = reconcileTrades([ourTrade({ sourceTradeId: 'OMS-1' })], [blotterTrade({ sourceTradeId: 'OMS-2' })], DEFAULTS, NO_OPEN_BREAKS);
    expect(summary(outcome).breaks).toEqual(['MISSING_OURS trade:OMS-2', 'MISSING_THEIRS trade:OMS-1']);
    expect(outcome.breaks.map((b) => [b.ours === null, b.theirs === null, b.fields])).toEqual([
      [true, false, []],
      [false, true, []],
    ]);
  });

  it('reports a source trade id twice on a side as a break of its own rather than choosing one', () => {
    const outcome = reconcileTrades([ourTrade()], [blotterTrade(), blotterTrade()], DEFAULTS, NO_OPEN_BREAKS);
    expect(outcome.breaks).toEqual([expect.objectContaining({ reason: 'DIFFERENT', fields: [{ field: 'occurrences', ours: '1', theirs: '2' }] })]);
    expect(outcome.linesCompared).toBe(2);
  });

  it('closes an open trade break neither side has any more', () => {
    const open = new Set(['trade:OMS-0', 'trade:OMS-1', 'penalty:SI-1:2026-11-24']);
    expect(reconcileTrades([ourTrade()], [blotterTrade()], DEFAULTS, open).agreedKeys.sort()).toEqual(['trade:OMS-0', 'trade:OMS-1']);
  });
});
