import { Decimal } from '@postrade/kernel';
import {
  checkExposureLimit,
  checkLargeTrader,
  checkRestrictedList,
  checkSanctions,
  checkSelfTrade,
  checkWashTrade,
  isNmsSecurity,
  outcomeOf,
  type WashTradeCandidate,
} from './compliance-checks';
import type { RestrictedListEntry } from './restricted-list';
import type { ScreenedTrade } from './screened-trade';

const OUR_LEI = '529900T8BM49AURSDO55';
const THEIR_LEI = '5493001KJTIIGC8Y1R12';

function trade(overrides: Partial<ScreenedTrade> = {}): ScreenedTrade {
  return {
    tradeId: 'T-1',
    version: 1,
    status: 'CAPTURED',
    tradeDate: '2026-11-20',
    executedAt: '2026-11-20T10:00:00.000Z',
    side: 'BUY',
    isin: 'US0378331005',
    quantity: new Decimal('1000'),
    price: new Decimal('100'),
    currency: 'USD',
    grossAmount: new Decimal('100000'),
    netAmount: new Decimal('100000'),
    book: 'EQ1',
    counterparty: { lei: THEIR_LEI, name: 'Broker A', aliases: [] },
    legalEntityLei: OUR_LEI,
    ...overrides,
  };
}

describe('restricted and watch lists', () => {
  const restricted = (from: string, to: string | null): RestrictedListEntry => ({ isin: 'US0378331005', kind: 'RESTRICTED', from, to, reason: 'deal team' });

  it('holds a trade in an ISIN restricted on its trade date, the first and last days included', () => {
    expect(checkRestrictedList(trade(), [restricted('2026-11-20', '2026-11-30')])).toEqual([expect.objectContaining({ rule: 'RESTRICTED_LIST', severity: 'HIGH' })]);
    expect(checkRestrictedList(trade(), [restricted('2026-11-01', '2026-11-20')])).toHaveLength(1);
    expect(checkRestrictedList(trade(), [restricted('2026-11-01', null)])).toHaveLength(1);
  });

  it('lets a trade dated outside the restriction through', () => {
    expect(checkRestrictedList(trade(), [restricted('2026-11-21', null)])).toEqual([]);
    expect(checkRestrictedList(trade(), [restricted('2026-11-01', '2026-11-19')])).toEqual([]);
  });

  it('only alerts for the watch list', () => {
    const alerts = checkRestrictedList(trade(), [{ ...restricted('2026-11-01', null), kind: 'WATCH' }]);
    expect(alerts).toEqual([expect.objectContaining({ rule: 'WATCH_LIST', severity: 'MEDIUM' })]);
    expect(outcomeOf(alerts)).toBe('CLEARED');
  });
});

describe('exposure limit', () => {
  it('allows exposure up to the limit and holds one cent over it', () => {
    expect(checkExposureLimit(trade(), new Decimal('150000'), new Decimal('50000'))).toEqual([]);
    const breach = checkExposureLimit(trade(), new Decimal('150000'), new Decimal('50000.01'));
    expect(breach).toEqual([
      { rule: 'EXPOSURE_LIMIT', severity: 'HIGH', details: { counterpartyLei: THEIR_LEI, currency: 'USD', limit: '150000', exposure: '150000.01', tradeAmount: '100000' } },
    ]);
  });

  it('checks nothing for a counterparty without a limit in the currency', () => {
    expect(checkExposureLimit(trade(), null, new Decimal('1e12'))).toEqual([]);
  });
});

describe('self-trade', () => {
  it('holds a trade whose counterparty is one of our own legal entities', () => {
    expect(checkSelfTrade(trade({ counterparty: { lei: OUR_LEI, name: 'Our Fund', aliases: [] } }), new Set([OUR_LEI]))).toEqual([
      expect.objectContaining({ rule: 'SELF_TRADE', severity: 'HIGH' }),
    ]);
    expect(checkSelfTrade(trade(), new Set([OUR_LEI]))).toEqual([]);
  });
});

describe('wash trade', () => {
  const buy = trade();
  const sell = (overrides: Partial<WashTradeCandidate> = {}): WashTradeCandidate => ({
    tradeId: 'T-2',
    side: 'SELL',
    executedAt: '2026-11-20T10:05:00.000Z',
    price: new Decimal('100.1'),
    quantity: new Decimal('1000'),
    book: 'EQ1',
    isin: 'US0378331005',
    ...overrides,
  });

  it('alerts on the opposite side 300 seconds apart at a price 0.1 % away', () => {
    expect(checkWashTrade(buy, [sell()])).toEqual([expect.objectContaining({ rule: 'WASH_TRADE', severity: 'MEDIUM', details: expect.objectContaining({ oppositeTradeId: 'T-2', secondsApart: 300 }) })]);
  });

  it('does not alert 301 seconds apart, at a price more than 0.1 % away, on the same side or another quantity', () => {
    expect(checkWashTrade(buy, [sell({ executedAt: '2026-11-20T10:05:01.000Z' })])).toEqual([]);
    expect(checkWashTrade(buy, [sell({ price: new Decimal('100.1001') })])).toEqual([]);
    expect(checkWashTrade(buy, [sell({ side: 'BUY' })])).toEqual([]);
    expect(checkWashTrade(buy, [sell({ quantity: new Decimal('999') })])).toEqual([]);
    expect(checkWashTrade(buy, [sell({ book: 'EQ2' })])).toEqual([]);
  });

  it('measures the price difference against the earlier trade', () => {
    const earlierSell = sell({ executedAt: '2026-11-20T09:59:00.000Z', price: new Decimal('99.9') });
    // |100 - 99.9| = 0.1 is more than 0.1 % of 99.9 (0.0999)
    expect(checkWashTrade(buy, [earlierSell])).toEqual([]);
    expect(checkWashTrade(buy, [sell({ executedAt: '2026-11-20T09:59:00.000Z', price: new Decimal('99.9001') })])).toHaveLength(1);
  });
});

describe('large trader thresholds (SEC 13h-1)', () => {
  const none = { shares: new Decimal(0), usdNotional: new Decimal(0) };

  it('alerts on the trade that takes the book to 2,000,000 shares in a day', () => {
    const alerts = checkLargeTrader(trade({ quantity: new Decimal('1000') }), true, { shares: new Decimal('1999000'), usdNotional: new Decimal(0) });
    expect(alerts).toEqual([expect.objectContaining({ rule: 'LARGE_TRADER', severity: 'MEDIUM', details: expect.objectContaining({ crossed: ['SHARES'], shares: '2000000' }) })]);
    expect(checkLargeTrader(trade({ quantity: new Decimal('999') }), true, { shares: new Decimal('1999000'), usdNotional: new Decimal(0) })).toEqual([]);
  });

  it('alerts on the trade that takes the book to 20,000,000 USD notional in a day', () => {
    const before = { shares: new Decimal(0), usdNotional: new Decimal('19900000') };
    expect(checkLargeTrader(trade(), true, before)).toEqual([expect.objectContaining({ details: expect.objectContaining({ crossed: ['USD_NOTIONAL'], usdNotional: '20000000' }) })]);
    expect(checkLargeTrader(trade({ grossAmount: new Decimal('99999.99') }), true, before)).toEqual([]);
  });

  it('does not alert again once the book is over the threshold, nor for non-equities', () => {
    expect(checkLargeTrader(trade(), true, { shares: new Decimal('2000000'), usdNotional: new Decimal(0) })).toEqual([]);
    expect(checkLargeTrader(trade({ quantity: new Decimal('5000000') }), false, none)).toEqual([]);
  });

  it('counts notional in USD only', () => {
    expect(checkLargeTrader(trade({ currency: 'EUR', grossAmount: new Decimal('30000000') }), true, none)).toEqual([]);
  });

  it('checks against the thresholds it is given (those in force on the trade date)', () => {
    const lower = { shares: '5000', usdNotional: '900000000' };
    expect(checkLargeTrader(trade({ quantity: new Decimal('5000') }), true, none, lower)).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ crossed: ['SHARES'], sharesThreshold: '5000', usdNotionalThreshold: '900000000' }) }),
    ]);
    expect(checkLargeTrader(trade({ quantity: new Decimal('4999') }), true, none, lower)).toEqual([]);
  });

  it('counts NMS securities only: US equities and ETFs (ISIN prefix US and asset class)', () => {
    expect(isNmsSecurity('US0378331005', 'EQUITY')).toBe(true);
    expect(isNmsSecurity('US78462F1030', 'ETF')).toBe(true);
    expect(isNmsSecurity('DE0007164600', 'EQUITY')).toBe(false);
    expect(isNmsSecurity('IE00B4L5Y983', 'ETF')).toBe(false);
    expect(isNmsSecurity('US912828XG55', 'GOVT_BOND')).toBe(false);
    expect(isNmsSecurity('US0378331005', 'CORP_BOND')).toBe(false);
    // Not heard of: a US ISIN counts (a spare alert rather than a missed one), another does not.
    expect(isNmsSecurity('US0378331005', null)).toBe(true);
    expect(isNmsSecurity('GB0002634946', null)).toBe(false);
  });
});

describe('sanctions alert and outcome', () => {
  it('holds with the matched entry, the name that matched and the score', () => {
    const alerts = checkSanctions(
      THEIR_LEI,
      [{ source: 'OFAC', listVersion: '2019-01', entryId: 'SDN-1', entryName: 'ACME', program: 'SDGT', matchedName: 'ACME', screenedName: 'Acme Ltd', score: 100 }],
      85,
    );
    expect(alerts).toEqual([{ rule: 'SANCTIONS', severity: 'HIGH', details: expect.objectContaining({ entryId: 'SDN-1', matchedName: 'ACME', screenedName: 'Acme Ltd', score: 100 }) }]);
    expect(outcomeOf(alerts)).toBe('HELD');
    expect(outcomeOf([])).toBe('CLEARED');
  });
});
